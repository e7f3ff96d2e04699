"""The animator: eases a condition to a target over a time set by the registry's span, reverses
from wherever it is, pauses, and reuses one animation per field."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PyQt6.QtCore import QVariantAnimation  # noqa: E402

from meshes.conditions import by_field  # noqa: E402
from viewer.qt.animation import DURATION_MS, Animator  # noqa: E402
from viewer.state.model import SceneModel  # noqa: E402


@pytest.fixture
def animated(qtbot):
    model = SceneModel()
    animator = Animator(model)
    yield model, animator
    animator.stop()
    animator.deleteLater()


def test_a_full_swing_takes_the_duration_and_a_shorter_one_its_share(animated):
    model, animator = animated
    span = by_field("slip_percent").span
    animator.animate("slip_percent", span)
    anim = animator._animations["slip_percent"]
    assert anim.duration() == DURATION_MS
    animator.stop()
    model.slip_percent = 0.0
    animator.animate("slip_percent", span / 4)
    assert anim.duration() == pytest.approx(DURATION_MS / 4, abs=1)


def test_it_arrives_reverses_mid_way_and_reuses_its_animation(qtbot, animated):
    model, animator = animated
    seen = []
    off = model.on("herniation", seen.append)
    animator.animate("herniation", 0.6)
    qtbot.waitUntil(lambda: 0.1 < model.herniation < 0.5, timeout=3000)
    first = animator._animations["herniation"]
    animator.animate("herniation", 0.0)  # back from wherever it is
    with qtbot.waitSignal(animator.finished, timeout=5000) as finished:
        pass
    assert finished.args == ["herniation"] and model.herniation == 0.0
    assert max(seen) < 0.6, "it turned back before arriving"
    assert animator._animations["herniation"] is first
    off()


def test_pause_holds_the_value_and_play_goes_on(qtbot, animated):
    model, animator = animated
    animator.animate("degeneration", 1.0)
    qtbot.waitUntil(lambda: model.degeneration > 0.05, timeout=3000)
    animator.pause(True)
    held = model.degeneration
    qtbot.wait(300)
    assert model.degeneration == held and animator.running("degeneration")
    animator.pause(False)
    qtbot.waitUntil(lambda: model.degeneration == 1.0, timeout=5000)
    assert not animator.running()
    assert animator._animations["degeneration"].state() == QVariantAnimation.State.Stopped
