"""Fewer garbage collections while a flow runs: its CPU goes to its records.

A run allocates millions of small objects (items, drafts, rows, journal lines)
and keeps many of them to its end; Python's cyclic collector, at its default
thresholds, walks the young ones every 700 allocations and, as the heap grows,
every object again and again, the process's own (imported modules, the
profile, connectors) included. Measured on ``benchmarks/local_overhead.py`` at
20,000 items: 15 % of a no-change export and of a stock sync, a third of a
no-change stock sync, spent collecting and finding almost nothing to free.

So while a flow runs, what existed before it is set aside (``gc.freeze``: never
walked, nothing lost: it goes back to the collector when the run ends) and the
young generation is collected every 10,000 allocations instead of 700 (a few
thousand more objects at most wait for their collection). Reference counting,
which frees nearly everything a run drops, is untouched.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["YOUNG_THRESHOLD", "fewer_collections"]

#: Allocations between two collections of the young generation while a flow runs.
YOUNG_THRESHOLD = 10_000


class _Pause:
    """The collector's settings are the process's: runs in several threads (the worker)
    or nested share one pause, begun by the first and ended by the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.saved = gc.get_threshold()

    def begin(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.saved = gc.get_threshold()
                gc.freeze()
                gc.set_threshold(max(YOUNG_THRESHOLD, self.saved[0]), *self.saved[1:])
            self.depth += 1

    def end(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0:
                gc.set_threshold(*self.saved)
                gc.unfreeze()


_PAUSE = _Pause()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect less while the block runs; the collector's settings as they were after."""
    _PAUSE.begin()
    try:
        yield
    finally:
        _PAUSE.end()
