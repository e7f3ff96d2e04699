"""Render the fitted sacrum over the real one it was fitted to, for reviewers.

    .venv/bin/python tools/render_sacrum_fit.py [REFERENCE.vtp] [OUT.png]

The displayed S1 and sacrum of a segment built for the reference's own dimensions
(tests/meshes/test_sacrum.py measures the same), fitted into it by rigid motion and one
scale, and drawn ivory inside the reference, drawn as a translucent amber skin, from the
front, the left side and the back.
Where the skin shows amber, the model lies inside the real bone; where ivory pokes through,
the model is proud of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyvista as pv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "meshes"))

from test_sacrum import VHM  # noqa: E402

from meshes.fidelity import align  # noqa: E402
from meshes.frames import rotation_x  # noqa: E402

VIEWS = {"front": ((0, 1, 0), (0, 0, 1)), "left side": ((-1, 0, 0), (0, 0, 1)), "back": ((0, -1, 0), (0, 0, 1))}


def main() -> None:
    reference_path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "tests" / "data" / "sacrum_VHM.vtp")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "docs" / "sacrum_fit.png")
    reference = pv.read(reference_path).transform(rotation_x(39.0), inplace=False)
    from meshes.segment import build_segment

    # The displayed S1 and sacrum (processes, canal, foramina and all), in the S1 frame.
    segment = build_segment(VHM)
    to_s1 = np.linalg.inv(segment.placement.s1_to_world)
    # Without the flat caps where the two pieces meet (inside the bone), as the viewer draws them.
    pieces = [m.extract_cells(np.flatnonzero(m.cell_data["cap"] == 0)).extract_surface(algorithm="dataset_surface")
              for m in (segment.structures[k] for k in ("S1", "sacrum"))]
    model = pv.merge(pieces).transform(to_s1, inplace=False)
    matrix, _ = align(model, reference, start_rotations_deg=(0.0,))
    model = model.transform(matrix, inplace=False)
    plotter = pv.Plotter(off_screen=True, shape=(1, 3), window_size=(1800, 800), border=False)
    centre = np.array(model.center)
    for i, (name, (direction, up)) in enumerate(VIEWS.items()):
        plotter.subplot(0, i)
        plotter.set_background("#1d2430")
        plotter.add_mesh(model, color="#f2ead8", smooth_shading=True, specular=0.2)
        plotter.add_mesh(reference, color="#e0a040", opacity=0.35, smooth_shading=True)
        plotter.add_text(name, font_size=14, color="white")
        plotter.camera_position = [tuple(centre + 400 * np.array(direction)), tuple(centre), up]
        plotter.camera.parallel_projection = True
        plotter.camera.parallel_scale = 92
    plotter.add_text("model (ivory) inside the Male Visible Human sacrum (amber)", position="lower_right",
                     font_size=10, color="white")
    plotter.screenshot(str(out))
    plotter.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
