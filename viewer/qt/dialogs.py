"""The window's file dialogs and what they do: save a screenshot, record, export, open a lesson.

Each ``*_dialog`` asks the user, then calls the method that does the work, which tests and
lessons can call directly. Work that fails reports one line in the status bar and writes no
file (each writer publishes its file only once complete).
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QProgressDialog

EXPORT_CHOICES = {
    "glb: one scene for slides, web pages and Blender": "glb",
    "vtp: VTK, ParaView (keeps the bone regions)": "vtp",
    "stl: 3D printing": "stl",
    "ply": "ply",
    "obj": "obj",
}


class Dialogs:
    """File dialogs of ``window`` (its model, rest segment, frame pipeline, lesson dock)."""

    def __init__(self, window) -> None:
        self.window = window

    def _status(self, message: str, ms: int = 0) -> None:
        self.window.statusBar().showMessage(message, ms)

    # ----- screenshot ---------------------------------------------------------------------------
    def save_screenshot_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save screenshot", "l5s1.png", "PNG images (*.png)")
        if path:
            self.save_screenshot(path)

    def save_screenshot(self, path: str, size: tuple[int, int] = (3840, 2160)) -> str:
        """Render what the window shows (camera, cut, labels, visibility) at ``size`` to a PNG."""
        from viewer.output.screenshot import ScreenshotError, check_target, render, save_png

        try:
            target = check_target(path)
            save_png(render(self.window.rest, self.window.model, size), target)
        except (ScreenshotError, OSError) as exc:
            self._status(f"Screenshot not saved: {exc}", 10000)
            return ""
        self._status(f"Saved {target}")
        return str(target)

    # ----- export -------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        choice, ok = QInputDialog.getItem(self.window, "Export meshes", "Format:", list(EXPORT_CHOICES), 0, False)
        if not ok:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Export meshes to folder")
        if folder:
            self.export_to(folder, EXPORT_CHOICES[choice])

    def export_to(self, folder: str, fmt: str = "vtp") -> str:
        """Write the posed meshes and manifest like ``l5s1-viewer export`` does, in the
        colours on screen (glb)."""
        from meshes.export import ExportError, export
        from meshes.pose import posed_structures
        from meshes.segment import REGIONS
        from viewer.scene.style import structure_colours
        from viewer.state.anatomy_choice import record

        window = self.window
        state = window.model.pathology
        posed = window.pipeline.posed
        structures = posed_structures(window.rest, posed)
        colours = structure_colours(structures, state.degeneration, window.model.palette)
        try:
            out = export(folder, structures, REGIONS, posed.landmarks, state.as_dict(), fmt, colours,
                         anatomy=record(window.rebuilder.in_use))
        except ExportError as exc:
            self._status(f"Export failed: {exc}", 10000)
            return ""
        self._status(f"Exported to {out}")
        return str(out)

    # ----- recording ----------------------------------------------------------------------------
    def record_dialog(self) -> None:
        from meshes.modalities import TITLES

        window = self.window
        film = window.model.film
        choices = {c.label: (c.name, None) for c in window.model.conditions}
        if window.player.lesson is not None:
            choices[f"Lesson: {window.player.lesson.title}"] = ("lesson", None)
        if film is not None:  # the imaging pane is open: its film can be recorded instead of the scene
            for label, (what, _none) in list(choices.items()):
                choices[f"{label}, as the {TITLES[film]} film"] = (what, film)
        label, ok = QInputDialog.getItem(window, "Record animation", "What to record:", list(choices), 0, False)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(window, "Record to", "l5s1.mp4", "Video (*.mp4);;Animated GIF (*.gif)")
        if path:
            what, film = choices[label]
            self.record_to(path, what, film=film, size=(720, 720) if film else (1280, 720))

    def record_to(self, path: str, what: str, fps: int = 25, seconds: float | None = None,
                  size: tuple[int, int] = (1280, 720), film: str | None = None) -> str:
        """Record ``what`` (a condition's name, or "lesson") like ``l5s1-viewer record``, with a
        progress bar that can cancel; with ``film``, that film of each frame (with the pane's
        overlay switch and slice place) instead of the 3D scene, as ``record --modality`` does."""
        from viewer.output.film import FilmError
        from viewer.output.recorder import RecordError, animation_frames, lesson_frames, record

        window, model = self.window, self.window.model
        if what == "lesson":
            frames = lesson_frames(window.player.lesson, fps, seconds)
        else:
            frames = animation_frames(what, fps, seconds or 6.0, model.zone, model.side, model.conditions)
        dialog = QProgressDialog("Recording…", "Cancel", 0, len(frames), window)
        dialog.setWindowTitle("Record animation")
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def progress(done: int, _total: int) -> bool:
            dialog.setValue(done)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            out = record(path, frames, fps, size, window.rest, progress, model, film=film,
                         overlay=model.film_overlay, slice_mm=model.slice_mm if film == model.film else 0.0)
        except (RecordError, FilmError) as exc:
            self._status(f"Not recorded: {exc}", 10000)
            return ""
        finally:
            dialog.close()
            dialog.deleteLater()
        self._status(f"Recorded {out} ({len(frames)} frames)")
        return str(out)

    # ----- lessons ------------------------------------------------------------------------------
    def open_lesson_dialog(self) -> None:
        from annotations.lessons import LESSONS

        dock = self.window.lesson_dock
        path, _ = QFileDialog.getOpenFileName(self.window, "Open lesson", str(LESSONS), "Lessons (*.toml)")
        if path and not dock.open_lesson(path):
            QMessageBox.warning(self.window, "Lesson has problems", dock.problems)
