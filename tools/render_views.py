"""Render the rest segment from the front, side, back and top into docs/ for the README.

    xvfb-run -a .venv/bin/python tools/render_views.py [OUT_DIR]

Uses the viewer's colours; the camera looks at the S1 endplate centre.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyvista as pv

from meshes.segment import build_segment
from viewer.style import BACKGROUND, COLOURS

VIEWS = {
    "front": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "side": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "back": ((0.0, -1.0, 0.0), (0.0, 0.0, 1.0)),
    "top": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
}


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    seg = build_segment()
    centre = np.mean([m.center for m in seg.structures.values()], axis=0)
    for name, (direction, up) in VIEWS.items():
        p = pv.Plotter(off_screen=True, window_size=(900, 900))
        p.set_background(BACKGROUND)
        for key, mesh in seg.structures.items():
            p.add_mesh(mesh, color=COLOURS[key], smooth_shading=True, specular=0.2)
        p.camera.focal_point = tuple(centre)
        p.camera.position = tuple(centre + 400.0 * np.asarray(direction))
        p.camera.up = up
        p.reset_camera()
        p.camera.zoom(1.3)
        p.add_text(name, font_size=18, color="white")
        p.screenshot(str(out / f"segment_{name}.png"))
        p.close()


if __name__ == "__main__":
    main()
