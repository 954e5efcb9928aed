"""The exact coverage strategies: ``optimal`` and ``mincostflow``, over a candidate graph.

Each open village is linked to its ``k`` cheapest eligible advisors
(:meth:`CoverageProblem.candidates`). On that graph coverage is a maximum
flow of minimum cost: source → village (1 place) → advisor (cost of the
pair, in metres) → sink (the advisor's free places; with load balancing,
places above the target load cost ``balance_weight`` each). Two solvers
give the same optimum:

* ``optimal`` adds villages one by one along shortest augmenting paths
  (:mod:`advisors_ortools.augment`, compiled with numba), whose searches stay
  local, so the national graph — one connected component — is solved in
  about a tenth of the time a monolithic OR-Tools solve takes. Below
  :data:`PATHS_MIN` open villages, or without numba, it uses the solver
  below, which is faster there.
* ``mincostflow`` splits the graph into independent components (villages
  linked through shared advisors) and solves each with OR-Tools'
  ``SimpleMinCostFlow`` (cost scaling). It is kept as the cross-check.

When a village stays uncovered although an alternating path over *all* its
eligible advisors could cover it, the candidate lists of the villages on
that path are widened to every eligible advisor and the component solved
again, until coverage is maximal. Then every eligible pair outside the
graph is priced with the dual potentials of the solution
(:mod:`advisors_ortools.certificate`); those that price negative are added
and the graph solved again (the augmenting-path solver warm, from its
places and prices: :mod:`advisors_ortools.warm`) until none does. The
result is optimal over every eligible pair; the notes say how far the graph
was widened and give the certificate. The graph and its two solvers are in
:mod:`advisors_ortools.graph`.
"""

from __future__ import annotations

from typing import Any

from advisors.assignment import Assignment
from advisors.coverage.diagnose import alternating_reach
from advisors.coverage.problem import DEFAULT_K, CoverageProblem
from advisors.hookspecs import Register

from .certificate import SCALE, PairCache, eligible_pairs, negative_pairs
from .graph import CandidateGraph

__all__ = ["optimal_assign", "optimal_choice", "register"]

PATHS_MIN = 30_000
"""Open villages from which ``optimal`` solves by augmenting paths; below, numba's start-up
(about 0.5 s) costs more than OR-Tools takes for the whole solve."""


def register(register: Register) -> None:
    """Offer the exact strategies."""
    register("optimal", optimal_assign,
             "least-cost maximal coverage over the k nearest eligible advisors, widened as "
             "needed (shortest augmenting paths, compiled with numba); optimal for the "
             "candidate graph")
    register("mincostflow", mincostflow_assign,
             "the same optimum with OR-Tools min-cost flow per independent component "
             "(slower on large connected graphs; the cross-check of optimal)")


def optimal_assign(problem: CoverageProblem) -> Assignment:
    """Cover the villages of ``problem`` at least cost (for the candidate graph)."""
    choice, notes = optimal_choice(problem)
    return problem.result(choice, "optimal", notes)


def mincostflow_assign(problem: CoverageProblem) -> Assignment:
    """:func:`optimal_assign` solved with OR-Tools min-cost flow, component by component."""
    choice, notes = optimal_choice(problem, solver="flow")
    return problem.result(choice, "mincostflow", notes)


def paths_available() -> bool:
    """Whether the shortest-augmenting-path solver can run.

    Not when numba cannot be imported, nor when it has nowhere to cache the
    compiled solver (numba refuses then); ``optimal`` then uses OR-Tools.
    """
    try:
        from . import augment  # noqa: F401
    except (ImportError, RuntimeError, OSError):  # pragma: no cover - numba is a dependency
        return False
    return True


def optimal_choice(problem: CoverageProblem, k: int = DEFAULT_K,
                   solver: str = "auto") -> tuple[dict[int, int], tuple[str, ...]]:
    """Village index → advisor index for the open villages, and notes on the solve.

    ``solver`` is ``paths`` (shortest augmenting paths), ``flow`` (OR-Tools
    per component) or ``auto`` (paths from :data:`PATHS_MIN` open villages
    when numba is installed, else flow). Both give the optimum.
    """
    if solver not in ("auto", "paths", "flow"):
        raise ValueError(f"unknown solver {solver!r}: expected auto, paths or flow")
    paths = solver == "paths" or (
        solver == "auto" and len(problem.open) >= PATHS_MIN and paths_available()
        and _fits(problem))
    graph = CandidateGraph(problem, k, paths)
    widened: set[int] = set()
    rounds = added = searched = warm = 0
    cache = PairCache(len(problem.open))
    work = ""
    components: list[list[int]] = []
    while True:
        rounds += 1
        choice: dict[int, int] = {}
        if paths:
            placed, work = graph.solve_paths()
        else:
            components = graph.components()
            for comp in components:
                choice.update(graph.solve(comp))
            placed = graph.placed(choice)
        if _widen(problem, graph, placed, widened):
            continue
        # Maximal coverage: now price every eligible pair outside the graph.
        extra, looked = _price(problem, graph, placed, k, widened, cache)
        searched += looked
        if not extra:
            break
        warm += graph.add_pairs(extra)
        added += sum(map(len, extra.values()))
    if paths:
        choice = graph.choice(placed)
        notes = [f"solved on the candidate graph: {k} cheapest eligible advisors per village; "
                 f"shortest augmenting paths ({work})"]
    else:
        notes = [
            f"solved on the candidate graph: {k} cheapest eligible advisors per village, "
            f"{len(components)} independent component{'' if len(components) == 1 else 's'} "
            f"(largest {max(map(len, components), default=0)} villages)",
        ]
    if widened:
        notes.append(f"candidates widened to every eligible advisor for {len(widened)} villages "
                     f"(up to {graph.longest()} candidates)")
    else:
        notes.append("no widening needed")
    everything = (f"all {eligible_pairs(problem):,} eligible pairs" if not paths
                  else f"every eligible pair within {problem.max_km:g} km")
    notes.append(f"optimal over {everything} (certificate: no negative reduced cost; "
                 f"{searched:,} villages' pairs priced, {added:,} pairs added, {rounds} solves"
                 f"{f', {warm} of them warm' if warm else ''})")
    return choice, tuple(notes)


def _widen(problem: CoverageProblem, graph: CandidateGraph, placed: Any, widened: set[int]) -> bool:
    """Widen the villages on an alternating path to an uncovered village; whether any was.

    ``placed`` is the advisor of each open village's position (-1: uncovered).
    """
    import numpy as np

    short = [vi for vi in graph.open[np.flatnonzero(placed < 0)].tolist()
             if problem.candidates(vi, None)[0]]
    if not short:
        return False
    villages, _, path = alternating_reach(problem, graph.choice(placed), short)
    if path is None:
        return False
    grow = [vi for vi in villages if vi not in widened]
    if not grow:  # pragma: no cover - a path over exhaustive lists is always in the graph
        return False
    graph.widen({vi: problem.candidates(vi, None)[0] for vi in grow})
    widened.update(grow)
    return True


def _price(problem: CoverageProblem, graph: CandidateGraph, placed: Any, k: int,
           widened: set[int], cache: PairCache) -> tuple[dict[int, list[tuple[int, int]]], int]:
    """The pairs outside the graph that price negative, and how many villages were searched."""
    import numpy as np

    d_village, d_advisor = graph.potentials(placed)
    exhaustive = np.isin(graph.open, np.asarray(sorted(widened), np.int64))
    return negative_pairs(problem, graph.open, graph.offsets, graph.advs, graph.costs,
                          exhaustive, d_village, d_advisor, k, cache)


def _fits(problem: CoverageProblem) -> bool:
    """Whether every arc cost, times the villages, stays below the solver's "uncovered"."""
    from .augment import UNCOVERED

    pol = problem.policy
    dearest = (problem.max_km + pol.other_township_km + pol.stability_km) * SCALE + 1
    return dearest * (len(problem.open) + 1) < UNCOVERED
