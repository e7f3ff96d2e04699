"""`l5s1-viewer benchmark`: the real window playing both toggles, against baselines from the same run.

Measures, in the window: seconds from process start (as the kernel records it) to the
first full frame, every frame's time (pose + readouts + render), and resident memory
before and after the cycles. Baselines, each in a fresh process at the same size: an
empty pyvistaqt window in a QMainWindow (first frame) and bare VTK rendering the same
meshes in a plain X window (frame time). Compare ratios: the machine is noisy.
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


def measure_window(size: tuple[int, int], cycles: int, render_scale: float = 1.0) -> dict:
    from PyQt6.QtWidgets import QApplication

    from meshes.pose import prepare
    from meshes.segment import build_segment
    from viewer.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(prepare(build_segment()), render_scale=render_scale)
    window.resize(*size)
    window.show()
    app.processEvents()
    window.frame()
    first = process_age_s()
    times: list[float] = []
    inner = window.frame

    def timed() -> None:
        t0 = time.perf_counter()
        inner()
        times.append(1000.0 * (time.perf_counter() - t0))

    window.frame = timed

    def cycle() -> None:
        for toggle in (window.slip_toggle, window.herniation_toggle):
            for _state in (True, False):
                toggle.click()
                while window.animator.running():
                    app.processEvents()
                app.processEvents()

    # One warm-up cycle first: caches that fill once (herniation weights, GL buffers)
    # are not growth; memory is then read before and after the measured cycles.
    cycle()
    times.clear()
    rss_start = rss_mb()
    for _ in range(cycles):
        cycle()
    rss_end = rss_mb()
    window.close()
    app.processEvents()
    return {
        "first_frame_s": round(first, 3),
        "frames": len(times),
        "frame_ms_median": round(float(np.median(times)), 2) if times else None,
        "frame_ms_p95": round(float(np.percentile(times, 95)), 2) if times else None,
        "cycles": cycles,
        "rss_mb_start": round(rss_start, 1),
        "rss_mb_end": round(rss_end, 1),
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
    from viewer.style import BACKGROUND, COLOURS, rgb

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


def _child(kind: str, size: tuple[int, int]) -> dict:
    code = f"from viewer.benchmark import baseline_{kind}; import json; print(json.dumps(baseline_{kind}({size})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(size: tuple[int, int], cycles: int, as_json: bool, render_scale: float = 1.0) -> int:
    # Baselines before and after the window, averaged: this machine drifts by 10% within a minute.
    empty = [_child("empty", size)["first_frame_s"]]
    bare = [_child("bare", size)["frame_ms_median"]]
    result = measure_window(size, cycles, render_scale)
    result["render_scale"] = render_scale
    empty.append(_child("empty", size)["first_frame_s"])
    bare.append(_child("bare", size)["frame_ms_median"])
    result["baseline_empty_first_frame_s"] = round(float(np.mean(empty)), 3)
    result["baseline_bare_vtk_frame_ms"] = round(float(np.mean(bare)), 2)
    result["baseline_runs"] = {"empty_first_frame_s": empty, "bare_vtk_frame_ms": bare}
    result["first_frame_ratio"] = round(result["first_frame_s"] / result["baseline_empty_first_frame_s"], 2)
    if result["frame_ms_median"] is not None:
        result["frame_ratio"] = round(result["frame_ms_median"] / result["baseline_bare_vtk_frame_ms"], 2)
    result["rss_growth_mb"] = round(result["rss_mb_end"] - result["rss_mb_start"], 1)
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32s} {value}")
    return 0
