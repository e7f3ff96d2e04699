"""`l5s1-viewer benchmark`: the real window playing both toggles, against baselines from the same run.

Measures, in the window: seconds from process start (as the kernel records it) to the
first full frame, every frame's time (the frame pipeline's pose and readouts, plus the
canvas's render), how many renders and poses each animation tick causes (one each: every
drawing goes through one coalescer), and resident memory after
every cycle. Its growth is given two ways: the median of the last tenth of the cycles
against the first tenth, and the same for the lowest reading (the floor). The memory in
use swings by 20-40 MB from one cycle's end to the next, held by rendering (VTK and the
OpenGL driver: with the render call left out, the heap in use is flat to 0.2 MB, and
tracemalloc sees the viewer's Python and numpy objects flat); so two single readings mostly
measure the swing, and a leak shows best as a rising floor. Baselines, each in a fresh
process at the same size: an empty pyvistaqt window in a QMainWindow (first frame) and
bare VTK rendering the same meshes in a plain X window (frame time). Compare ratios: the
machine is noisy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np


def process_age_s() -> float:
    """Seconds since this process started, from /proc (the kernel's start time)."""
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def measure_window(size: tuple[int, int], cycles: int, render_scale: float = 1.0, film: str | None = None) -> dict:
    from PyQt6.QtWidgets import QApplication

    from meshes.preparation import prepare
    from meshes.segment import build_segment
    from viewer.qt.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(prepare(build_segment()), render_scale=render_scale)
    window.model.film = film  # the imaging pane open on this film (None: closed)
    window.resize(*size)
    window.show()
    # The first frame: the posed scene rendered and painted by the canvas after show.
    while not window.canvas.has_frame:
        app.processEvents()
    first = process_age_s()
    poses: list[float] = []  # the frame pipeline: pose, scene update, readouts
    renders: list[float] = []  # the canvas's renders (labels placed, drawn, painted)
    ticks = [0]  # the animated values' changes: one animation tick each
    pose_frame, render = window.pipeline.frame, window.canvas.render

    def timed_frame():
        t0 = time.perf_counter()
        out = pose_frame()
        poses.append(1000.0 * (time.perf_counter() - t0))
        return out

    def timed_render() -> None:
        t0 = time.perf_counter()
        render()
        renders.append(1000.0 * (time.perf_counter() - t0))

    window.pipeline.frame, window.canvas.render = timed_frame, timed_render
    for c in window.model.conditions:
        window.model.on(c.field, lambda _v: ticks.__setitem__(0, ticks[0] + 1))
    toggles = [window.pathology.toggles[f] for f in ("slip_percent", "herniation")]

    def cycle() -> None:
        for toggle in toggles:
            for _state in (True, False):
                toggle.click()
                while window.animator.running():
                    app.processEvents()
                app.processEvents()

    # One warm-up cycle first: caches that fill once (herniation weights, GL buffers)
    # are not growth; memory is then read before and after the measured cycles.
    cycle()
    poses.clear()
    renders.clear()
    ticks[0] = 0
    rss_start = rss_mb()
    rss = []  # after every cycle: resident memory swings by 20-40 MB between cycles
    for _ in range(cycles):
        cycle()
        rss.append(rss_mb())
    rss_end = rss[-1]
    window.close()
    app.processEvents()
    times = [a + b for a, b in zip(poses, renders, strict=False)]  # a frame: its pose and its render
    return {
        "first_frame_s": round(first, 3),
        "frames": len(times),
        "animation_ticks": ticks[0],
        "renders_per_tick": round(len(renders) / ticks[0], 2) if ticks[0] else None,
        "poses_per_tick": round(len(poses) / ticks[0], 2) if ticks[0] else None,
        "pose_ms_median": round(float(np.median(poses)), 2) if poses else None,
        "render_ms_median": round(float(np.median(renders)), 2) if renders else None,
        "frame_ms_median": round(float(np.median(times)), 2) if times else None,
        "frame_ms_p95": round(float(np.percentile(times, 95)), 2) if times else None,
        "cycles": cycles,
        "film": film,
        "films_made": window.imaging.films_made,
        "rss_mb_start": round(rss_start, 1),
        "rss_mb_end": round(rss_end, 1),
        "rss_mb_per_cycle": [round(v, 1) for v in rss],
    }


def baseline_empty(size: tuple[int, int]) -> dict:
    """First frame of an empty pyvistaqt window in a QMainWindow."""
    from PyQt6.QtWidgets import QApplication, QMainWindow
    from pyvistaqt import QtInteractor

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    plotter = QtInteractor(window, auto_update=False)
    window.setCentralWidget(plotter)
    window.resize(*size)
    window.show()
    app.processEvents()
    plotter.render()
    first = process_age_s()
    plotter.close()
    window.close()
    return {"first_frame_s": round(first, 3)}


def baseline_bare(size: tuple[int, int], frames: int = 40) -> dict:
    """Median frame of bare VTK rendering the rest meshes in a plain X window."""
    import vtk

    from meshes.segment import build_segment
    from viewer.scene.style import BACKGROUND, COLOURS, rgb

    ren = vtk.vtkRenderer()
    ren.SetBackground(*rgb(BACKGROUND))
    for name, mesh in build_segment().structures.items():
        normals = mesh.compute_normals(cell_normals=False, split_vertices=False)
        mapper = vtk.vtkPolyDataMapper()
        mapper.SetInputData(normals)
        actor = vtk.vtkActor()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColor(*rgb(COLOURS[name]))
        actor.GetProperty().SetInterpolationToGouraud()
        ren.AddActor(actor)
    win = vtk.vtkRenderWindow()
    win.SetSize(*size)
    win.SetMultiSamples(0)
    win.AddRenderer(ren)
    ren.ResetCamera()
    win.Render()
    times = []
    for _ in range(frames):
        ren.GetActiveCamera().Azimuth(2.0)
        t0 = time.perf_counter()
        win.Render()
        times.append(1000.0 * (time.perf_counter() - t0))
    win.Finalize()
    return {"frame_ms_median": round(float(np.median(times)), 2)}


def _child(kind: str, *args) -> dict:
    """Run ``kind`` (measure_window or a baseline) in a fresh process: its own start time and memory."""
    code = (f"from viewer.qt.benchmark import {kind}; import json; "
            f"print(json.dumps({kind}(*{args!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=7200)
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise BenchmarkError(f"{kind} failed: {last}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class BenchmarkError(RuntimeError):
    """A measuring process failed; the message is one line."""


def run(size: tuple[int, int], cycles: int, as_json: bool, render_scale: float = 1.0, film: str | None = None) -> int:
    # Every measurement runs in a fresh process (start-up time counts from that process's start).
    # Baselines run before and after the window and are averaged: this machine drifts by 10%
    # within a minute.
    try:
        result = _measure_all(size, cycles, render_scale, film)
    except BenchmarkError as exc:
        print(f"l5s1-viewer: error: benchmark: {exc}", file=sys.stderr)
        return 1
    if as_json:  # with every cycle's resident memory, to see the trend for oneself
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            if key != "rss_mb_per_cycle":
                print(f"{key:32s} {value}")
    return 0


def _measure_all(size: tuple[int, int], cycles: int, render_scale: float, film: str | None = None) -> dict:
    empty = [_child("baseline_empty", size)["first_frame_s"]]
    bare = [_child("baseline_bare", size)["frame_ms_median"]]
    result = _child("measure_window", size, cycles, render_scale)
    if film is not None:
        # The same window with the imaging pane open on ``film``, right after: what the films cost
        # the 3D animation, as a ratio of two runs a minute apart.
        with_film = _child("measure_window", size, cycles, render_scale, film)
        result["with_film"] = {k: with_film[k] for k in ("film", "films_made", "frames", "animation_ticks",
                                                         "frame_ms_median", "frame_ms_p95", "pose_ms_median",
                                                         "render_ms_median")}
        result["film_frame_ratio"] = round(with_film["frame_ms_median"] / result["frame_ms_median"], 2)
        result["film_frames_ratio"] = round(with_film["frames"] / result["frames"], 2)
    result["render_scale"] = render_scale
    empty.append(_child("baseline_empty", size)["first_frame_s"])
    bare.append(_child("baseline_bare", size)["frame_ms_median"])
    result["baseline_empty_first_frame_s"] = round(float(np.mean(empty)), 3)
    result["baseline_bare_vtk_frame_ms"] = round(float(np.mean(bare)), 2)
    result["baseline_runs"] = {"empty_first_frame_s": empty, "bare_vtk_frame_ms": bare}
    result["first_frame_ratio"] = round(result["first_frame_s"] / result["baseline_empty_first_frame_s"], 2)
    if result["frame_ms_median"] is not None:
        result["frame_ratio"] = round(result["frame_ms_median"] / result["baseline_bare_vtk_frame_ms"], 2)
    # Growth as a trend: the median of the last tenth of the cycles against the first tenth
    # (two single readings would mostly measure where the allocator happened to be).
    rss = result["rss_mb_per_cycle"]
    k = max(1, len(rss) // 10)
    result["rss_growth_mb"] = round(float(np.median(rss[-k:]) - np.median(rss[:k])), 1)
    # The floor: a leak lifts the lowest readings too; memory that rendering holds for a while
    # (it swings by 20-40 MB from cycle to cycle) lifts only some.
    result["rss_floor_growth_mb"] = round(float(min(rss[-k:]) - min(rss[:k])), 1)
    result["rss_mb_min_max"] = [min(rss), max(rss)]
    return result
