"""The candidate table: the ``k`` cheapest candidates of every open village, in flat arrays.

Strategies that look at every village (``greedy``, ``optimal``, the
benchmark's baseline) read the candidates of all open villages at once. The
table is built by the vectorised search when numpy is installed
(:mod:`advisors.coverage_vector`), else village by village with
:meth:`CoverageProblem.candidates`; large problems are split between two
forked workers. Neither choice changes the table, bit for bit.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .coverage_problem import CoverageProblem

__all__ = ["PARALLEL_MIN", "candidate_table", "table_chunk"]

PARALLEL_MIN = 50_000
"""Open villages from which :func:`candidate_table` uses two workers."""

Table = tuple["array[int]", "array[float]", "array[int]"]

_SHARED: CoverageProblem | None = None  # the problem forked workers read


def _chunk(args: tuple[int, int, int]) -> Table:
    assert _SHARED is not None
    return table_chunk(_SHARED, *args)


def candidate_table(problem: CoverageProblem, k: int) -> Table:
    """(advisor indices, costs, list sizes) of the ``k`` cheapest candidates of every open village.

    The candidates of ``open[i]`` are the ``sizes[i]`` entries after those
    of ``open[:i]``, ordered by (cost, advisor index).
    """
    n = len(problem.open)
    workers = min(os.cpu_count() or 1, 2)
    if n < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        return table_chunk(problem, 0, n, k)
    if problem.vectorise and not problem._slow():
        problem._vector().prepare()  # once, before the workers fork
    global _SHARED
    _SHARED = problem
    try:
        cuts = [n * i // workers for i in range(workers + 1)]
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_chunk, [(cuts[i], cuts[i + 1], k) for i in range(workers)])
    finally:
        _SHARED = None
    advs, costs, sizes = array("i"), array("d"), array("q")
    for a, c, z in parts:
        advs.extend(a)
        costs.extend(c)
        sizes.extend(z)
    return advs, costs, sizes


def table_chunk(problem: CoverageProblem, lo: int, hi: int, k: int) -> Table:
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
