"""Give freed heap memory back to the system once an animation has settled.

Under software OpenGL (Mesa's llvmpipe) every frame allocates and frees some 35 MB of
vertex and bin buffers at 1920x1080, interleaved with long-lived small allocations.
glibc keeps most of the freed pages, so the resident size creeps up in steps of tens of
megabytes over a lesson although the memory in use stays flat (measured with heaptrack
and ``mallinfo2``: in use flat after the third toggle cycle, resident +39 MB over 100).
``malloc_trim`` hands the free pages back; it takes a few milliseconds, so it runs when
an animation has finished, not during one. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; True if any were released."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
