"""Helpers shared by the benchmarks: cached datasets and per-task measurements.

- :func:`dataset_dir` generates a synthetic dataset once into
  ``benchmarks/.cache/<scale>-<seed>/`` and returns that folder.
- :func:`peak_rss_mb` is this process's peak resident set size.
- :func:`measure` runs a function in a fresh interpreter, so that the time
  and memory figures belong to that task alone.
- :func:`compile_sources` writes the bytecode of the project's own modules
  before a benchmark starts a command in a fresh interpreter.

Standard library only. A benchmark script that calls :func:`measure` must
guard its entry point with ``if __name__ == "__main__":`` (the child process
re-imports the script), and the function it passes must be defined at module
level.
"""

from __future__ import annotations

import compileall
import importlib.util
import json
import multiprocessing
import os
import resource
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["BENCH_DIR", "CACHE_DIR", "TreePeak", "compile_sources", "dataset_dir", "last_pss_mb",
           "measure", "peak_rss_mb", "tree_pss_mb", "tree_rss_mb"]

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / ".cache"


def _generator() -> Any:
    """The sibling ``generate.py`` module, loaded by path (works with or without a package)."""
    name = "advisors_benchmarks_generate"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, BENCH_DIR / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


def compile_sources() -> int:
    """Write the bytecode of ``src/`` and ``plugins/*/src/``; how many folders were compiled.

    An installed package has its bytecode: pip writes it when it installs a
    wheel, and Python when it first imports a module. An editable install on
    a machine that sets ``PYTHONDONTWRITEBYTECODE`` (as this one does) would
    compile the project's ~100 modules from source in every fresh process,
    about 0.2 s that no user pays; ``compileall`` writes the bytecode anyway.
    """
    root = BENCH_DIR.parent
    folders = [root / "src", *sorted(root.glob("plugins/*/src"))]
    for folder in folders:
        if not compileall.compile_dir(folder, quiet=1):
            raise SystemExit(f"could not compile {folder}")
    return len(folders)


def dataset_dir(scale: str, seed: int = 0) -> Path:
    """Folder holding the ``scale`` dataset for ``seed``, generated on first use.

    The data go to ``benchmarks/.cache/<scale>-<seed>/``; a marker file
    ``<scale>-<seed>.complete`` next to it (holding the row counts as JSON)
    says the folder is whole. Generation writes into a temporary folder and
    renames it, so an interrupted run or two benchmarks racing never leave a
    half-written dataset behind the marker.
    """
    gen = _generator()
    if scale not in gen.SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(gen.SCALES)}")
    target = CACHE_DIR / f"{scale}-{seed}"
    marker = CACHE_DIR / f"{scale}-{seed}.complete"
    if marker.exists() and target.is_dir():
        return target
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = CACHE_DIR / f".{scale}-{seed}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        counts = gen.generate(scale, tmp, seed)
        if marker.exists() and target.is_dir():  # someone else finished first
            return target
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
        marker.write_text(json.dumps(counts, sort_keys=True) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _child(
    conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    try:
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - t0
        conn.send(("ok", seconds, peak_rss_mb(), result))
    except BaseException as exc:  # report everything, including SystemExit
        conn.send(("error", repr(exc), traceback.format_exc(), None))
    finally:
        conn.close()


_LAST_PSS = [0.0]


def last_pss_mb() -> float:
    """The peak PSS (MiB) of the process tree of the last :func:`measure` call: each
    page once, where the RSS peak counts a page a worker shares with its parent twice."""
    return _LAST_PSS[0]


def measure(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, float, Any]:
    """Run ``fn(*args, **kwargs)`` in a fresh ``spawn`` subprocess.

    Returns ``(seconds, peak_mb, result)``: wall-clock seconds of the call
    alone (interpreter start-up excluded), the peak RSS in MiB of the child
    *and the workers it starts* (the larger of the child's own peak and the
    largest sum over its process tree sampled every 50 ms on Linux; it
    includes the interpreter and whatever ``fn`` imports), and ``fn``'s
    return value, which must be picklable. An exception in the child is
    raised here as :class:`RuntimeError` carrying the child's traceback.
    """
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    tree = TreePeak(proc.pid) if os.path.isdir("/proc") else None
    try:
        message = parent.recv()
    except EOFError:
        proc.join()
        raise RuntimeError(f"benchmark child died with exit code {proc.exitcode}") from None
    finally:
        parent.close()
        tree_peak = tree.stop() if tree is not None else 0.0
    proc.join()
    _LAST_PSS[0] = tree.pss_peak if tree is not None else 0.0
    status, a, b, result = message
    if status != "ok":
        raise RuntimeError(f"benchmark child failed: {a}\n{b}")
    return a, max(b, tree_peak), result


def _tree(pid: int) -> list[int]:
    """Process ``pid`` and all its descendants now (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def _status_kib(pid: int, path: str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):  # ended meanwhile, or no such file (old kernels)
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """Resident set of process ``pid`` and all its descendants now, in MiB.

    An upper bound: a page a forked worker shares with its parent counts once
    per process. :func:`tree_pss_mb` shares it out instead."""
    return _rss_mb(_tree(pid))


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` and its descendants now, in MiB: each page
    counted once, split between the processes that share it (``smaps_rollup``)."""
    return _pss_mb(_tree(pid))


def _rss_mb(pids: list[int]) -> float:
    return sum(_status_kib(p, "status", "VmRSS:") for p in pids) / 1024


def _pss_mb(pids: list[int]) -> float:
    return sum(_status_kib(p, "smaps_rollup", "Pss:") for p in pids) / 1024


class TreePeak:
    """Largest :func:`tree_rss_mb` and :func:`tree_pss_mb` of a process tree, sampled
    every ``interval`` s (PSS, dearer to read, every fifth sample)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.peak = 0.0
        self.pss_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(pid, interval), daemon=True)
        self._thread.start()

    def _run(self, pid: int, interval: float) -> None:
        count = 0
        while not self._stop.is_set():
            pids = _tree(pid)  # one walk of /proc per sample
            self.peak = max(self.peak, _rss_mb(pids))
            if count % 5 == 0:
                self.pss_peak = max(self.pss_peak, _pss_mb(pids))
            count += 1
            self._stop.wait(interval)

    def stop(self) -> float:
        """Stop sampling; the RSS peak in MiB (``pss_peak`` holds the PSS one)."""
        self._stop.set()
        self._thread.join()
        return self.peak
