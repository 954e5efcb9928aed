"""The cyclic garbage collector around the library's big allocations.

Planning a province builds millions of small containers. With Python's
default thresholds (a collection of the youngest generation every 700
allocations) the collector ran 1,373 times during one province plan, and 9
of those were full collections that walked every object alive — the
dataset and the plan so far: 0.9 s of a 5 s plan (measured with
``gc.callbacks``). The library's objects hold few reference cycles; what
frees them is reference counting. So:

* :func:`gc_paused` stops the collector while records are loaded;
* :func:`gc_sparse` collects less often while a plan is made or exported;
* :func:`gc_frozen` keeps forked workers' collections off the objects they
  inherit (each walk would write to every inherited object's header and so
  copy its page: time and memory).

Each restores the collector as it found it, and each leaves alone a
collector the application has frozen objects in itself.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["SPARSE_THRESHOLD", "gc_frozen", "gc_paused", "gc_sparse"]

SPARSE_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation under :func:`gc_sparse`.
With it one province plan took 83 collections, none of them full, and 0.24 s."""

_lock = threading.Lock()
_sparse_depth = 0
_saved: tuple[int, int, int] = (700, 10, 10)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of records are built.

    Records hold no reference cycles, but every allocation of a container
    counts towards a collection, and each full collection walks every
    record built so far: on a national dataset that more than doubles the
    load time. The previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # Move what was built to the oldest generation in one step; otherwise
                # the first collection after this walks every record (seconds at
                # national scale). Skipped if the application froze objects itself.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@contextlib.contextmanager
def gc_sparse(threshold: int = SPARSE_THRESHOLD) -> Iterator[None]:
    """Collect the youngest generation every ``threshold`` allocations, not 700.

    Nested or concurrent uses (threads of a portal) share one setting: the
    first to enter raises the threshold if it is lower, the last to leave
    puts back what it found.
    """
    global _sparse_depth, _saved
    with _lock:
        if _sparse_depth == 0:
            _saved = gc.get_threshold()
            if _saved[0] < threshold:
                gc.set_threshold(threshold, *_saved[1:])
        _sparse_depth += 1
    try:
        yield
    finally:
        with _lock:
            _sparse_depth -= 1
            if _sparse_depth == 0:
                gc.set_threshold(*_saved)


@contextlib.contextmanager
def gc_frozen() -> Iterator[None]:
    """Freeze every object alive (out of the collector's reach) while workers are forked.

    A forked worker's collections then leave the objects it inherited alone,
    so their pages stay shared with the parent. Unfrozen on exit; a no-op if
    the application has frozen objects itself (unfreezing would free its too).
    """
    if gc.get_freeze_count() != 0:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
