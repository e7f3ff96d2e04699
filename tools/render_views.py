"""Render the rest segment from the front, side, back, top and behind-left into docs/ for the README.

    xvfb-run -a .venv/bin/python tools/render_views.py [OUT_DIR]

The same offscreen renderer, colours, lights and view presets as `l5s1-viewer screenshot`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from meshes.pathology import Pathology  # noqa: E402
from meshes.preparation import prepare  # noqa: E402
from meshes.segment import build_segment  # noqa: E402
from viewer.output.screenshot import render, save_png  # noqa: E402
from viewer.state.model import SceneModel  # noqa: E402

# README name -> the viewer's preset
VIEWS = {"front": "anterior", "side": "right", "back": "posterior", "top": "superior",
         "posterior_oblique": "posterior_oblique"}


def render_view(rest, name: str):
    """The README's picture ``docs/segment_{name}.png`` of the rest segment, as an RGB array."""
    model = SceneModel.for_rest(rest, Pathology(), view=VIEWS[name], labels=True)
    return render(rest, model, (900, 900), caption=name.replace("_", " "))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    rest = prepare(build_segment())
    for name in VIEWS:
        save_png(render_view(rest, name), out / f"segment_{name}.png")


if __name__ == "__main__":
    main()
