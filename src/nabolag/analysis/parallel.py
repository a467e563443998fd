"""Work over ranges of a large array on several cores, in threads.

numpy releases Python's lock inside most of its loops over large arrays (take, ufuncs, bincount), so
threads that each work their own range of the people run side by side; only the Python steps between the
loops wait for one another. Measured on the access benchmark's 500,000 people and three kinds (two cores,
``bench/results/findings.md``): the person distances and zone sums in 17-19 ms against 25-34 ms on one
thread. A scatter (``a[order] = b``) holds the lock, yet putting the snapped people back in their order
still took 5.7 ms in two parts against 7.7 ms in one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from nabolag.analysis.nearest import default_threads

T = TypeVar("T")

MIN_PART = 50_000
"""Fewer items than this per part are not worth a thread (starting one and the lock hand-overs)."""

MAX_PARTS = 4
"""At most this many parts: the work is memory-bound, and a web server runs other requests meanwhile."""


def ranges(n: int, parts: int | None = None) -> list[tuple[int, int]]:
    """``parts`` (default: as many as there are cores, at most :data:`MAX_PARTS`, each at least
    :data:`MIN_PART` long) consecutive ranges that cover ``0..n``.

    >>> ranges(10, 3)
    [(0, 3), (3, 6), (6, 10)]
    >>> ranges(1000)
    [(0, 1000)]
    """
    if parts is None:
        parts = max(1, min(default_threads(), MAX_PARTS, n // MIN_PART))
    parts = max(1, min(parts, n)) if n else 1
    bounds = [n * i // parts for i in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def over_ranges(n: int, work: Callable[[int, int], T], parts: int | None = None) -> list[T]:
    """``work(lo, hi)`` for each of :func:`ranges`: the first in this thread, the others in new threads;
    the results in the order of the ranges. An error in any part is raised here, after all have ended.

    >>> over_ranges(10, lambda lo, hi: sum(range(lo, hi)), parts=2)
    [10, 35]
    """
    spans = ranges(n, parts)
    if len(spans) == 1:
        return [work(*spans[0])]
    with ThreadPoolExecutor(max_workers=len(spans) - 1, thread_name_prefix="nabolag-part") as pool:
        others = [pool.submit(work, lo, hi) for lo, hi in spans[1:]]
        try:
            first = work(*spans[0])
        finally:
            done = [f.exception() for f in others]  # waits for each
    errors = [e for e in done if e is not None]
    if errors:
        raise errors[0]
    return [first, *(f.result() for f in others)]
