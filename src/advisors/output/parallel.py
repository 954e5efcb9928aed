"""Running exporters side by side in forked worker processes.

The exporters of one publication are independent: each writes its own files
into the same :class:`OutputFolder` and reads the publication only. On a
machine with several cores :func:`run` forks ``jobs`` workers, which inherit
the publication (nothing is pickled but exporter names, the paths written
and the seconds spent), and hands them the exporters, the costliest first.
The files are the same bytes whatever the number of jobs or the order in
which exporters end; the list returned is sorted by the caller.

An exporter that raises stops the run: the exporters not yet started are
cancelled and its exception is raised again in the calling process, with
the worker's traceback as its cause. A worker that dies (killed, out of
memory) is reported as a :class:`PluginError` naming the exporters it may
have been running. Workers are asked to die with the process that forked
them, so a killed ``advisors plan`` leaves no writer behind.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..data.heap import gc_frozen
from ..errors import PluginError
from .base import Exporter, ExportOptions, Publication
from .folder import OutputFolder

__all__ = ["COST", "MIN_EVENTS", "can_fork", "default_jobs", "run", "worth_forking"]

MIN_EVENTS = 1000
"""Below this many events the exporters run in one process: forking workers (each
importing what its exporters need and building its own renderer) costs more than
it saves. Tongren's 145 events took 0.4 s more CPU in two workers than in one."""

COST: dict[str, float] = {
    "notifications": 5.1, "notices": 1.2, "ics": 0.8, "plan-json": 0.65, "roster-html": 0.5,
    "roster-xlsx": 0.45, "report": 0.3, "roster-md": 0.12, "assignments-xlsx": 0.1,
    "roster-csv": 0.06,
}
"""Relative cost of the built-in exporters (CPU seconds at province scale, 2026-12-03), to
start the long ones first. An exporter not listed counts as 1."""

Done = Callable[[str, float, float], None]
"""Told each exporter's name, wall seconds and CPU seconds as it ends."""

_JOB: tuple[Publication, OutputFolder, ExportOptions, dict[str, Exporter]] | None = None
"""What the forked workers inherit: set just before the pool forks them."""


def can_fork() -> bool:
    """Whether workers can be forked here (POSIX with the ``fork`` start method)."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def worth_forking(pub: Publication) -> bool:
    """Whether the publication is big enough for workers to pay off."""
    return len(pub.events) >= MIN_EVENTS


def default_jobs() -> int:
    """Cores this process may use (its CPU affinity where known), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def timed(exporter: Exporter, pub: Publication, out: OutputFolder, options: ExportOptions
          ) -> tuple[list[Path | str], float, float]:
    """Run one exporter: the paths it wrote, its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    paths = list(exporter(pub, out, options))
    return paths, time.perf_counter() - wall, time.process_time() - cpu


def run(pub: Publication, out: OutputFolder, options: ExportOptions,
        chosen: Sequence[tuple[str, Exporter]], jobs: int, done: Done) -> list[str]:
    """Run ``chosen`` exporters in ``jobs`` forked workers; the paths they wrote, as text."""
    global _JOB
    order = sorted(chosen, key=lambda item: -COST.get(item[0], 1.0))  # stable: ties keep order
    _JOB = (pub, out, options, dict(chosen))
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        with gc_frozen():  # the workers' collections leave what they inherit alone
            return _run(order, jobs, done)
    finally:
        _JOB = None


def _run(order: Sequence[tuple[str, Exporter]], jobs: int, done: Done) -> list[str]:
    written: list[str] = []
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(order)),
                               mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent)
    try:
        pending: dict[Future[tuple[list[str], float, float]], str] = {
            pool.submit(_work, name): name for name, _ in order}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: pending[f]):
                name = pending.pop(future)
                try:
                    paths, wall, cpu = future.result()
                except BrokenProcessPool as broken:
                    raise PluginError(
                        f"a worker writing the exporters died ({broken}); unfinished: "
                        + ", ".join(sorted([name, *pending.values()]))) from None
                written.extend(paths)
                done(name, wall, cpu)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return written


def _work(name: str) -> tuple[list[str], float, float]:
    """In a worker: run the exporter ``name`` on the inherited publication."""
    assert _JOB is not None, "the exporter workers must be forked by run()"
    pub, out, options, exporters = _JOB
    paths, wall, cpu = timed(exporters[name], pub, out, options)
    return [p if isinstance(p, str) else p.as_posix() for p in paths], wall, cpu


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that forked it dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
