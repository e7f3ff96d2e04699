"""Links and images in shared lessons: only in-app ids, steps and web links pass; every other
scheme, a file link, an absolute or climbing image path is a problem at its line."""

from __future__ import annotations

import textwrap

import pytest

from annotations import load
from annotations.lessons import check
from annotations.links import image_path, image_problem, link_problem, problems, targets
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS
from viewer.cli import main
from viewer.scene.style import VIEWS

IDS = {"root_S1_left", "L5", "herniation"}


@pytest.mark.parametrize(("address", "allowed"), [
    ("#root_S1_left", True), ("#herniation", True), ("#step-2", True), ("https://example.org/a?b#c", True),
    ("HTTP://EXAMPLE.ORG", True),
    ("#step-9", False), ("#nowhere", False), ("file:///etc/hostname", False), ("FILE:/etc/hostname", False),
    ("javascript:alert(1)", False), ("data:text/html,x", False), ("ftp://example.org", False),
    ("/etc/hostname", False), ("notes.html", False), ("../secret.md", False), ("mailto:a@b.c", False), ("", False),
])
def test_a_link_acts_inside_the_app_or_opens_the_web_and_nothing_else(address, allowed):
    assert (link_problem(address, IDS, steps=3) is None) == allowed


@pytest.mark.parametrize(("address", "allowed"), [
    ("figure.png", True), ("figures/disc.png", True), ("a/../b.png", True), ("./c.png", True),
    ("../x.png", False), ("a/../../x.png", False), ("%2e%2e/x.png", False), ("/etc/x.png", False),
    ("C:\\x.png", False), ("c:/x.png", False), ("\\\\server\\share\\x.png", False), ("file:///x.png", False),
    ("https://example.org/x.png", False), ("data:image/png;base64,AAAA", False), ("", False),
])
def test_an_image_comes_only_from_beside_the_text(address, allowed):
    assert (image_problem(address) is None) == allowed


def test_every_way_to_write_a_link_is_found():
    text = textwrap.dedent("""\
        [a](#L5) ![b](x.png "title") <https://example.org>
        <a href='javascript:x'>y</a> <img src="/abs.png"> [d](<spaced path.png>)

        [c]: file:///ref
        """)
    found = [(t.address, t.image) for t in targets(text)]
    assert found == [("#L5", False), ("x.png", True), ("https://example.org", False), ("javascript:x", False),
                     ("/abs.png", True), ("spaced path.png", False), ("file:///ref", False)]
    assert len(problems(text, IDS)) == 4  # javascript, the absolute image, a file link, the reference's file link


def test_an_image_path_resolves_inside_its_folder_only(tmp_path):
    (tmp_path / "lesson").mkdir()
    (tmp_path / "lesson" / "fig.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"png")
    (tmp_path / "lesson" / "link.png").symlink_to(tmp_path / "secret.png")
    folder = tmp_path / "lesson"
    assert image_path("fig.png", folder) == (folder / "fig.png").resolve()
    assert image_path("../secret.png", folder) is None
    assert image_path("link.png", folder) is None, "a symbolic link out of the folder is refused"
    assert image_path("missing.png", folder) is None


def test_a_lesson_with_a_file_link_or_a_climbing_image_is_refused_at_its_lines(tmp_path, capsys):
    path = tmp_path / "shared.toml"
    path.write_text(textwrap.dedent('''\
        [lesson]
        title = "Shared"
        audience = "any"
        sources = ["x"]

        [[step]]
        title = "One"
        text = "[Next](file:///etc/hostname) and ![x](../../grades.png)"

        [[step]]
        title = "Two"
        text = "See [the root](#root_S1_left), [step one](#step-1) and [Fardon](https://example.org)."
        '''))
    _, found = check(path.read_text(), STRUCTURES, L5_REGIONS, VIEWS)
    assert [line for line, _ in found] == [8, 8]
    messages = " | ".join(message for _, message in found)
    assert "file: links are not opened" in messages and "climbs out" in messages
    assert main(["lesson", "check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(line.startswith(f"{path}:8: ") for line in err)


def test_the_bundled_content_links_nowhere_outside():
    known = set(STRUCTURES) | set(L5_REGIONS) | {"slip", "herniation", "degeneration", "posture"}
    for annotation in load().values():
        assert problems(annotation.body, known) == [], annotation.id
