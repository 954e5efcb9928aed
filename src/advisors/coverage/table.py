"""The candidate table: the ``k`` cheapest candidates of every open village, in flat arrays.

Strategies that look at every village (``greedy``, ``optimal``, the
benchmark's baseline) read the candidates of all open villages at once. The
table is built by the vectorised search when numpy is installed
(:mod:`advisors.coverage.vector`), else village by village with
:meth:`CoverageProblem.candidates`; large problems are split into parts
searched by two forked workers, which a strategy may consume as they come
(:func:`table_chunks`). None of these choices changes the table, bit for bit.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from array import array
from collections.abc import Callable, Iterator

from .facts import CoverageFacts

__all__ = ["PARALLEL_MIN", "PART", "candidate_table", "table_chunk", "table_chunks"]

PARALLEL_MIN = 50_000
"""Open villages from which :func:`table_chunks` uses two workers."""

PART = 40_000
"""Open villages in one part searched by a worker (at least four parts)."""

Table = tuple["array[int]", "array[float]", "array[int]"]

_SHARED: CoverageFacts | None = None  # the problem forked workers read


def _chunk(args: tuple[int, int, int]) -> Table:
    assert _SHARED is not None
    return table_chunk(_SHARED, *args)


def candidate_table(problem: CoverageFacts, k: int) -> Table:
    """(advisor indices, costs, list sizes) of the ``k`` cheapest candidates of every open village.

    The candidates of ``open[i]`` are the ``sizes[i]`` entries after those
    of ``open[:i]``, ordered by (cost, advisor index).
    """
    advs, costs, sizes = array("i"), array("d"), array("q")
    for _, _, (a, c, z) in table_chunks(problem, k):
        advs.extend(a)
        costs.extend(c)
        sizes.extend(z)
    return advs, costs, sizes


def table_chunks(problem: CoverageFacts, k: int,
                 meanwhile: Callable[[], object] | None = None,
                 ) -> Iterator[tuple[int, int, Table]]:
    """The candidate table in consecutive parts ``(lo, hi, table of open[lo:hi])``.

    Large problems are searched by two forked workers and the parts come as
    they are done, in order, so a consumer may start on the first villages
    while the workers search the rest. ``meanwhile``, when given, is called
    once before the first part: while the workers search, if there are any.
    """
    n = len(problem.open)
    workers = min(os.cpu_count() or 1, 2)
    if n < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        if meanwhile is not None:
            meanwhile()
        yield 0, n, table_chunk(problem, 0, n, k)
        return
    if problem.vectorise and not problem._slow():
        problem._vector().prepare()  # once, before the workers fork
    parts = max(2 * workers, -(-n // PART))
    cuts = [n * i // parts for i in range(parts + 1)]
    global _SHARED
    _SHARED = problem
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            found = pool.imap(_chunk, [(cuts[i], cuts[i + 1], k) for i in range(parts)])
            if meanwhile is not None:
                meanwhile()
            for i, table in enumerate(found):
                yield cuts[i], cuts[i + 1], table
    finally:
        _SHARED = None


def table_chunk(problem: CoverageFacts, lo: int, hi: int, k: int) -> Table:
    """The table of ``open[lo:hi]``."""
    if problem.vectorise and not problem._slow():
        va, vc, vs = problem._vector().table(lo, hi, k)
        return (array("i", va.astype("int32").tobytes()), array("d", vc.tobytes()),
                array("q", vs.astype("int64").tobytes()))
    advs, costs, sizes = array("i"), array("d"), array("q")
    for vi in problem.open[lo:hi]:
        found = problem.candidates(vi, k)[0]
        for c, ai, _ in found:
            advs.append(ai)
            costs.append(c)
        sizes.append(len(found))
    return advs, costs, sizes
