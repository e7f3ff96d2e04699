"""The README's pictures of the rest segment are what the program draws today: each view is
rendered again as `tools/render_views.py` does and compared with the committed picture. A change
that alters the picture (a light, a colour, a label) must come with the picture re-rendered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.render_views import VIEWS, render_view

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_the_readme_picture_is_what_the_viewer_draws(rest, name):
    committed = np.asarray(Image.open(DOCS / f"segment_{name}.png").convert("RGB")).astype(int)
    drawn = np.asarray(render_view(rest, name))[..., :3].astype(int)
    assert drawn.shape == committed.shape
    differs = np.abs(drawn - committed).max(axis=-1) > 3
    # Rasterisation may move an edge pixel; a light, a colour or a label changes thousands.
    assert differs.mean() < 1e-3, f"{differs.mean():.2%} of the pixels differ from docs/segment_{name}.png"
