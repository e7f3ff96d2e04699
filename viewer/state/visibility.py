"""What a scene model shows, and how opaque: the methods over its visibility fields.

:class:`Visibility` is a base of the scene model (``viewer.state.model``): its methods read and
set the model's ``structures``, ``regions``, ``visible``, ``opacity`` and ``ghost_bones``
fields, so each change emits the model's events like any other. Qt-free.
"""

from __future__ import annotations

# A ghosted bone's opacity: faint enough to see the disc and roots through, there enough to place them.
GHOST_OPACITY = 0.25


class Visibility:
    """The scene model's show, hide, isolate and opacity methods (a mixin; it has no fields)."""

    def hide(self, names) -> None:
        """Hide some structures or L5 regions, leaving the rest as they are.

        Parameters
        ----------
        names : iterable of str
            Structure ids or L5 region names.
        """
        self.visible = self.visible | {name: False for name in names}

    def set_visible(self, name: str, visible: bool) -> None:
        """Show or hide a single structure or L5 region.

        Parameters
        ----------
        name : str
            A structure id or an L5 region name.
        visible : bool
            True to show it.
        """
        self.visible = self.visible | {name: bool(visible)}

    def set_opacity(self, name: str, opacity: float) -> None:
        """Set the opacity of a structure (an L5 region sets the whole L5).

        Parameters
        ----------
        name : str
            A structure id (``"sacrum"``) or an L5 region (``"pars_left"``).
        opacity : float
            0 (invisible) to 1 (opaque); held in that range.
        """
        target = "L5" if name in self.regions else name
        self.opacity = self.opacity | {target: opacity}

    def isolate(self, name: str) -> None:
        """Show one thing and hide every other structure.

        Parameters
        ----------
        name : str
            A structure id (every L5 region's flag is set on, so an isolated L5 shows whole),
            or an L5 region (then only the L5 shows, with that region alone).
        """
        names = (*self.structures, *self.regions)
        if name in self.regions:
            self.visible = {n: n in ("L5", name) for n in names}
        else:
            self.visible = {n: n == name or n in self.regions for n in names}

    def show_all(self) -> None:
        """Make every structure and every L5 region visible."""
        self.visible = {n: True for n in (*self.structures, *self.regions)}

    def drawn_opacity(self) -> dict[str, float]:
        """Each structure's opacity as drawn: ghosting caps the bones at 25%.

        Returns
        -------
        dict of str to float
            Structure id to opacity, 0-1 fraction; L5, S1 and the sacrum at most :data:`GHOST_OPACITY` while
            ``ghost_bones`` is on.
        """
        bones = ("L5", "S1", "sacrum")
        return {n: (min(v, GHOST_OPACITY) if self.ghost_bones and n in bones else v) for n, v in self.opacity.items()}
