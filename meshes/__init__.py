"""Parametric geometry of the L5-S1 segment: numpy and pyvista only, no Qt.

The rest segment is built (:mod:`meshes.segment`), prepared once for posing
(:mod:`meshes.preparation`) and posed for a pathology state (:mod:`meshes.pose`,
:class:`meshes.pathology.Pathology`). World frame RAS (+x right, +y anterior, +z superior),
mm, with its origin at the centre of S1's superior endplate.
"""
