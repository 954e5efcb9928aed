"""``optimal`` is optimal over every eligible pair, not just its candidate graph.

On a generated prefecture with every advisor's capacity scaled down (×0.8,
×0.85, ×0.9) places run short, and the 8 cheapest candidates per village no
longer hold the optimum (×0.85 was 0.24 % dearer before the certificate).
The result of ``optimal`` (and of ``mincostflow``, the same code with the
other solver; and with the pure-Python searches) is compared with OR-Tools'
maximum flow of minimum cost on the graph of *every* eligible pair, built
here from the exhaustive searches.
"""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import attrs
import numpy as np
import pytest

import advisors
from advisors.coverage.problem import CoverageProblem

pytestmark = pytest.mark.skipif(importlib.util.find_spec("advisors_ortools") is None,
                                reason="the advisors-ortools plugin is not installed")

GENERATE = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def prefecture(tmp_path_factory: pytest.TempPathFactory) -> advisors.Dataset:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("prefecture")
    module.generate("prefecture", folder, seed=0)
    return advisors.read_folder(folder)


def scaled(dataset: advisors.Dataset, factor: float) -> advisors.Dataset:
    """Every advisor's capacity × ``factor``, rounded by a fixed spread (as bench_flow.py)."""
    people = sorted(dataset.advisors, key=lambda a: a.id)
    return attrs.evolve(dataset, advisors=tuple(
        attrs.evolve(a, capacity=math.floor(dataset.capacity(a) * factor
                                            + (i * 0.6180339887498949) % 1.0))
        for i, a in enumerate(people)))


def full_optimum(problem: CoverageProblem) -> tuple[int, int, int]:
    """(covered, cost in metres, eligible pairs) of OR-Tools on every eligible pair."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    n_v = len(problem.open)
    dear = round(problem.balance_weight * 1000)
    pairs = 0
    for p, vi in enumerate(problem.open):
        flow.add_arc_with_capacity_and_unit_cost(0, 2 + p, 1, 0)
        found, exhaustive = problem.candidates(vi, None)
        assert exhaustive
        pairs += len(found)
        for c, ai, _ in found:
            flow.add_arc_with_capacity_and_unit_cost(2 + p, 2 + n_v + ai, 1, round(c * 1000))
    for ai, free in enumerate(problem.free):
        cheap = min(free, problem.free_below_target[ai]) if dear else free
        flow.add_arc_with_capacity_and_unit_cost(2 + n_v + ai, 1, cheap, 0)
        flow.add_arc_with_capacity_and_unit_cost(2 + n_v + ai, 1, free - cheap, dear)
    flow.set_node_supply(0, n_v)
    flow.set_node_supply(1, -n_v)
    assert flow.solve_max_flow_with_min_cost() == flow.OPTIMAL
    return flow.maximum_flow(), flow.optimal_cost(), pairs


def metres(problem: CoverageProblem, choice: dict[int, int]) -> int:
    """The objective of a choice in whole metres, as the flow solvers count it."""
    km = problem.road_kms(choice)
    total = sum(round(problem.cost(vi, ai, km[vi]) * 1000) for vi, ai in choice.items())
    load = np.bincount(np.asarray(list(choice.values()), np.int64),
                       minlength=len(problem.free))
    if problem.balance_weight > 0:
        cheap = np.minimum(problem.free, problem.free_below_target)
        total += round(problem.balance_weight * 1000) * int(np.maximum(load - cheap, 0).sum())
    return total


@pytest.mark.parametrize(("solver", "vectorise"),
                         [("flow", True), ("paths", True), ("flow", False)])
def test_optimal_over_every_eligible_pair_when_places_are_short(
        prefecture: advisors.Dataset, solver: str, vectorise: bool) -> None:
    from advisors_ortools.assign import optimal_choice

    added = warm = 0
    for factor in (0.8, 0.85, 0.9):
        problem = CoverageProblem(scaled(prefecture, factor), vectorise=vectorise)
        choice, notes = optimal_choice(problem, solver=solver)
        covered, best, pairs = full_optimum(problem)
        assert (len(choice), metres(problem, choice)) == (covered, best), factor
        last = notes[-1]
        assert "certificate: no negative reduced cost" in last
        if solver == "flow":
            assert f"optimal over all {pairs:,} eligible pairs" in last
        found = re.search(r"([\d,]+) pairs added", last)
        assert found is not None
        added += int(found.group(1).replace(",", ""))
        again = re.search(r"(\d+) of them warm", last)
        warm += int(again.group(1)) if again else 0
    # The candidate graph alone was not optimal somewhere: the pricing did real work.
    assert added > 0
    # The augmenting-path solver was solved again warm, and still matched OR-Tools.
    assert (warm > 0) == (solver == "paths")


def test_the_strategy_reports_its_certificate(prefecture: advisors.Dataset) -> None:
    result = advisors.assign(scaled(prefecture, 0.85), "optimal")
    assert any("certificate: no negative reduced cost" in note for note in result.notes)


def test_potentials_refuse_a_flow_that_is_not_optimal() -> None:
    from advisors_ortools.certificate import potentials

    # Two villages, two advisors with one place each; crossing the pairs costs more.
    offsets = np.asarray([0, 2, 4], np.int64)
    advs = np.asarray([0, 1, 0, 1], np.int64)
    costs = np.asarray([1, 10, 10, 1], np.int64)
    free = np.ones(2, np.int64)
    chosen = np.asarray([0, 1], np.int64)
    d_v, d_a = potentials(offsets, advs, costs, chosen, free, free, 0)
    for e, v in enumerate([0, 0, 1, 1]):  # unused arcs v → a never price negative
        if advs[e] != chosen[v]:
            assert costs[e] + d_v[v] - d_a[advs[e]] >= 0
    with pytest.raises(RuntimeError, match="not optimal"):
        potentials(offsets, advs, costs, np.asarray([1, 0], np.int64), free, free, 0)
