"""Render the README's pathology strips: the slip at 0/20/40/100%, each herniation stage, and
degenerative disc disease (0, 0.5, 1, and 1 with a 20% slip) in the foramen.

    .venv/bin/python tools/render_strip.py [OUT_DIR]

Each panel is captioned with what was measured on its geometry (slip %, Meyerding
grade, root clearance), not with the requested values. The slip is seen from the left,
where the pars gap opens and the foramen narrows; the herniation from above with L5
and the dural sac hidden, like an axial MRI slice, so the root it reaches is in view.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

from meshes.pathology import STAGES, Pathology
from meshes.pose import pose, readouts
from meshes.preparation import prepare
from meshes.segment import build_segment
from viewer.output.screenshot import render
from viewer.state.model import SceneModel

SIZE = (640, 560)


def panel(rest, state: Pathology, view: str, caption, hidden=(), zoom=1.3) -> np.ndarray:
    posed = pose(rest, state)
    model = SceneModel.for_rest(rest, state, view=view, labels=False)
    model.hide(hidden)
    return render(rest, model, SIZE, caption(readouts(rest, posed, state)), zoom)


def _state(root: dict) -> str:
    return f"{'compressed' if root['compressed'] else 'clear'} ({root['clearance_mm']:+.1f} mm)"


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    rest = prepare(build_segment())
    slips = [
        panel(rest, Pathology(slip_percent=s), "left",
              lambda r: f"slip {r['slip_percent']:.0f}%  grade {r['meyerding_grade']}  "
                        f"angle {r['slip_angle_deg']:+.0f}°\n"
                        f"L5 root {_state(r['roots']['root_L5_left'])}")
        for s in (0, 20, 40, 100)
    ]
    Image.fromarray(np.hstack(slips)).save(out / "strip_slip.png")

    def root_line(r):
        worst = min(r["roots"].items(), key=lambda kv: kv[1]["clearance_mm"])
        name, v = worst
        state = "compressed" if v["compressed"] else "clear"
        return f"{r['herniation']['stage']}\n{name.replace('root_', '')} {state} ({v['clearance_mm']:+.1f} mm)"

    stages = [
        panel(rest, Pathology(herniation=STAGES[s], zone="subarticular", side="left"), "superior", root_line,
              hidden=("L5", "dural_sac", "sacrum", "facet_cartilage_left", "facet_cartilage_right"), zoom=2.2)
        for s in ("protrusion", "extrusion", "sequestration")
    ]
    Image.fromarray(np.hstack(stages)).save(out / "strip_herniation.png")

    def foramen_line(r):
        slip = f"slip {r['slip_percent']:.0f}%, " if r["slip_percent"] >= 1.0 else ""
        return (f"{slip}posterior disc {r['disc_height_posterior_mm']:.1f} mm, "
                f"foramen {r['foramen']['left']['height_mm']:.1f} mm high\n"
                f"L5 root {_state(r['roots']['root_L5_left'])}")

    worn = [
        panel(rest, Pathology(degeneration=d, slip_percent=s), "foramen", foramen_line, zoom=0.8)
        for d, s in ((0.0, 0.0), (0.5, 0.0), (1.0, 0.0), (1.0, 20.0))
    ]
    Image.fromarray(np.hstack(worn)).save(out / "strip_degeneration.png")


if __name__ == "__main__":
    main()
