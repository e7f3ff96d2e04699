"""The 'Where it hurts' figure: names of the skin areas stay readable however small the panel."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PyQt6.QtCore import Qt  # noqa: E402

from viewer.qt.dermatomes import FOOT_AREAS, LEG_AREAS, DermatomePanel, _polygon  # noqa: E402


@pytest.mark.parametrize("size", [(150, 190), (240, 320), (420, 640)])
def test_area_names_sit_inside_their_areas_and_never_overlap(qtbot, size):
    panel = DermatomePanel()
    qtbot.addWidget(panel)
    panel.figure.resize(*size)
    leg, foot = panel.figure.boxes()
    rects = panel.figure.label_rects()
    for figure, box, areas in (("leg", leg, LEG_AREAS), ("foot", foot, FOOT_AREAS)):
        names = [rects[(figure, root)] for root in areas]
        assert not names[0].intersects(names[1]), f"the {figure}'s two names collide at {size}"
        for root, area in areas.items():
            centre = rects[(figure, root)].center()
            assert _polygon(area, box).containsPoint(centre, Qt.FillRule.OddEvenFill), (figure, root, size)
