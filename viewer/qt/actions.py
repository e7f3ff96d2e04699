"""The window's menus and keyboard shortcuts, and the check marks that mirror the model.

Every action is also added to the window itself, so its shortcut keeps working while presenter
mode hides the menu bar. Help > Keyboard shortcuts lists each key with what it does. The
checkable actions (labels, axial from above, high contrast, colour-blind palette) set the model
and show it under a signal blocker; the others call the window's parts.
"""

from __future__ import annotations

from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import QMessageBox

from viewer.qt.canvas import RENDER_SCALES
from viewer.qt.panels.quiet import Bindings, check_quietly
from viewer.scene.style import VIEWS


class Actions:
    """Builds ``window``'s File, View and Help menus and its shortcuts."""

    def __init__(self, window) -> None:
        self.window = window
        model = window.model
        self.shortcuts: dict[str, str] = {}
        self.bindings = Bindings(model)
        self.last_film = model.film or "xray-lateral"  # what key I opens the pane on: the film last shown
        self.bindings.on("film", self._film_shown)
        dialogs, presenter = window.dialogs, window.presenter
        file_menu = window.menuBar().addMenu("&File")
        for text, key, slot, help_text in (
            ("Save screenshot…", "Ctrl+S", dialogs.save_screenshot_dialog, "save a 4K screenshot"),
            ("Open lesson…", "Ctrl+O", dialogs.open_lesson_dialog, "open a lesson"),
            ("Record animation…", "Ctrl+Shift+R", dialogs.record_dialog, "record an animation"),
            ("Export meshes…", "Ctrl+E", dialogs.export_dialog, "export the meshes"),
            ("Practice…", "Ctrl+P", window.open_practice, "a practice quiz of random cases (keys 1-4, PageDown)"),
            ("Quit", "Ctrl+Q", window.close, "quit"),
        ):
            self.add(file_menu, text, key, slot, help_text)
        view_menu = window.menuBar().addMenu("&View")
        for key, name in zip("123456789", VIEWS, strict=True):
            title = name.replace("_", " ").capitalize()
            self.add(view_menu, title, key, lambda n=name: model.set("view", n), f"{title.lower()} view")
        self.add(view_menu, "Reset view", "R", window.reset_view, "reset the view")
        self.labels = self._mirrored(view_menu, "Labels", "L", "labels", "labels on / off")
        self.add(view_menu, "Next cut (none, mid-sagittal, axial)", "C", window.next_clip,
                 "next cut: none, mid-sagittal, axial")
        self.axial_above = self._mirrored(view_menu, "Axial view from above (anatomy atlas)", "", "axial_convention",
                                          on_value="anatomical", off_value="radiological")
        self.axial_above.setToolTip("Off: seen from the feet, as CT and MR slices are (the patient's right "
                                    "on the screen's left)")
        self.imaging = self.add(view_menu, "Imaging pane (radiographs, MRI)", "I", self._imaging,
                                "imaging pane on / off", checkable=True)
        self.bindings.on("film", lambda film: check_quietly(self.imaging, film is not None))
        view_menu.addSeparator()
        self.presenter = self.add(view_menu, "Presenter mode", "F5", presenter.toggle,
                                  "presenter mode on / off (Esc leaves)", checkable=True)
        self.add(window, "Leave presenter mode", "Esc", lambda: presenter.presenting and presenter.toggle(False))
        self.contrast = self._mirrored(view_menu, "High contrast", "Ctrl+H", "high_contrast", "high contrast on / off")
        self.palette = self._mirrored(view_menu, "Colour-blind-safe palette", "Ctrl+B", "palette",
                                      "colour-blind-safe root colours", on_value="colour-blind", off_value="standard")
        self.add(view_menu, "Bigger text", "Ctrl++", lambda: window.scale_text(+1), "bigger text")
        self.add(window, "Bigger text (=)", "Ctrl+=", lambda: window.scale_text(+1))
        self.add(view_menu, "Smaller text", "Ctrl+-", lambda: window.scale_text(-1), "smaller text")
        self.blackout = self.add(view_menu, "Black screen", "B", self._blackout, "black screen on / off",
                                 checkable=True)
        self.turntable = self.add(view_menu, "Turntable", "A", self._turntable, "slow turntable rotation on / off",
                                  checkable=True)
        view_menu.addSeparator()
        self._render_scales(view_menu.addMenu("Render scale"))
        for c in model.conditions:
            button = window.pathology.toggles[c.field]
            self.add(window, button.text(), c.key, button.toggle, f"toggle {button.text().lower()}")
        player = window.player
        for keys, label, slot in ((("PgDown", "Right"), "next lesson step", player.next),
                                  (("PgUp", "Left"), "previous lesson step", player.previous)):
            act = self.add(window, label, keys[0], slot, label)
            act.setShortcuts([QKeySequence(k) for k in keys])
            self.shortcuts[" / ".join(keys)] = self.shortcuts.pop(keys[0])
        self.add(window, "Pause", "Space", window.space, "pause / play (next step when presenting a lesson)")
        # Shortcuts must keep working when presenter mode hides the menu bar.
        for menu in (file_menu, view_menu):
            for act in menu.actions():
                if not act.isSeparator() and act.menu() is None:
                    window.addAction(act)
        help_menu = window.menuBar().addMenu("&Help")
        keys = QAction("Keyboard shortcuts", window)
        keys.triggered.connect(self._show_shortcuts)
        help_menu.addAction(keys)

    def add(self, menu, text: str, key: str, slot, help_text: str = "", checkable: bool = False) -> QAction:
        """A QAction with a shortcut (none if ``key`` is empty), added to ``menu`` (or the window) and
        listed in Help when it has ``help_text``."""
        act = QAction(text, self.window, checkable=checkable)
        if key:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda checked=False: slot(checked) if checkable else slot())
        menu.addAction(act)
        if help_text:
            self.shortcuts[key] = help_text
        return act

    def _mirrored(self, menu, text: str, key: str, field: str, help_text: str = "",
                  on_value=True, off_value=False) -> QAction:
        """A checkable action that sets a model field and shows it."""
        model = self.window.model
        act = self.add(menu, text, key, lambda on: model.set(field, on_value if on else off_value), help_text,
                       checkable=True)
        act.setChecked(model.get(field) == on_value)
        self.bindings.on(field, lambda value: check_quietly(act, value == on_value))
        return act

    def _imaging(self, on: bool) -> None:
        self.window.model.film = self.last_film if on else None

    def _film_shown(self, film: str | None) -> None:
        if film is not None:
            self.last_film = film

    def _blackout(self, on: bool) -> None:
        check_quietly(self.blackout, self.window.presenter.toggle_blackout(on))

    def _turntable(self, on: bool) -> None:
        check_quietly(self.turntable, self.window.presenter.toggle_turntable(on))

    def _render_scales(self, menu) -> None:
        canvas = self.window.canvas
        self.scales = QActionGroup(self.window)
        for scale in RENDER_SCALES:
            act = QAction(f"{scale:.0%}" + (" (sharpest)" if scale == 1.0 else ""), self.window, checkable=True)
            act.setChecked(abs(scale - canvas.render_scale) < 1e-6)
            act.triggered.connect(lambda _c=False, s=scale: canvas.set_render_scale(s))
            self.scales.addAction(act)
            menu.addAction(act)

    def _show_shortcuts(self) -> None:
        text = "\n".join(f"{k:14s} {v}" for k, v in self.shortcuts.items())
        QMessageBox.information(self.window, "Keyboard shortcuts", text)
