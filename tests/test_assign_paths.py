"""The exact solver behind ``optimal`` (shortest augmenting paths), against OR-Tools.

Random transportation problems — villages with 0..5 candidate advisors,
advisors with 0..4 free places of which some are "cheap" (load balancing),
some instances short of places — are solved by
:mod:`advisors_ortools.augment` and by OR-Tools' maximum flow of minimum
cost, built here directly. Both must cover as many villages, at the same
cost; the result must not depend on how the villages are fed in.
"""

from __future__ import annotations

import importlib.util
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("advisors_ortools") is None
    or importlib.util.find_spec("numba") is None,
    reason="the advisors-ortools plugin with numba is not installed",
)


@st.composite
def problems(draw: st.DrawFn, least_free: int = 0) -> dict:
    n_a = draw(st.integers(1, 8))
    n_v = draw(st.integers(1, 25))
    lists = [draw(st.lists(st.integers(0, n_a - 1), max_size=5, unique=True))
             for _ in range(n_v)]
    costs = [[draw(st.integers(0, 60_000)) for _ in lst] for lst in lists]
    free = [draw(st.integers(least_free, 4 + least_free)) for _ in range(n_a)]
    cheap = [draw(st.integers(0, f)) for f in free]
    dear = draw(st.sampled_from([0, 0, 3_000, 50_000]))
    return {"lists": lists, "costs": costs, "free": free, "cheap": cheap, "dear": dear}


def arrays(p: dict):
    import numpy as np

    sizes = np.asarray([len(lst) for lst in p["lists"]], np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    advisor = np.asarray([a for lst in p["lists"] for a in lst], np.int64)
    cost = np.asarray([c for cs in p["costs"] for c in cs], np.int64)
    return offsets, advisor, cost, np.asarray(p["free"], np.int64), \
        np.asarray(p["cheap"], np.int64)


def ortools_optimum(p: dict) -> tuple[int, int]:
    """(villages covered, cost) of OR-Tools' maximum flow of minimum cost."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    n_v, n_a = len(p["lists"]), len(p["free"])
    source, sink = 0, 1
    for v, (lst, cs) in enumerate(zip(p["lists"], p["costs"], strict=True)):
        flow.add_arc_with_capacity_and_unit_cost(source, 2 + v, 1, 0)
        for a, c in zip(lst, cs, strict=True):
            flow.add_arc_with_capacity_and_unit_cost(2 + v, 2 + n_v + a, 1, c)
    for a in range(n_a):
        free, cheap = p["free"][a], p["cheap"][a]
        flow.add_arc_with_capacity_and_unit_cost(2 + n_v + a, sink, cheap, 0)
        flow.add_arc_with_capacity_and_unit_cost(2 + n_v + a, sink, free - cheap, p["dear"])
    flow.set_node_supply(source, n_v)
    flow.set_node_supply(sink, -n_v)
    assert flow.solve_max_flow_with_min_cost() == flow.OPTIMAL
    return flow.maximum_flow(), flow.optimal_cost()


def evaluate(p: dict, chosen) -> tuple[int, int]:
    """(villages covered, cost) of a choice of arcs, checked arc by arc."""
    offsets, advisor, cost, free, cheap = arrays(p)
    load = [0] * len(free)
    total = 0
    for v, e in enumerate(chosen.tolist()):
        if e < 0:
            continue
        assert offsets[v] <= e < offsets[v + 1], "an arc of another village"
        a = int(advisor[e])
        total += int(cost[e]) + (p["dear"] if load[a] >= cheap[a] else 0)
        load[a] += 1
    assert all(n <= f for n, f in zip(load, free.tolist(), strict=True)), "capacity exceeded"
    return sum(1 for e in chosen.tolist() if e >= 0), total


@settings(max_examples=300, deadline=None)
@given(problems())
def test_same_optimum_as_ortools(p: dict) -> None:
    from advisors_ortools.augment import solve

    offsets, advisor, cost, free, cheap = arrays(p)
    found = solve(offsets, advisor, cost, free, cheap, p["dear"])
    assert evaluate(p, found.chosen) == ortools_optimum(p)


@settings(max_examples=100, deadline=None)
@given(problems(), st.data())
def test_villages_fed_in_parts_give_the_same_result(p: dict, data: st.DataObject) -> None:
    import numpy as np
    from advisors_ortools.augment import Augmenter, solve

    offsets, advisor, cost, free, cheap = arrays(p)
    whole = solve(offsets, advisor, cost, free, cheap, p["dear"])
    n = len(offsets) - 1
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=4))) | {0, n})
    parts = Augmenter(free, cheap, p["dear"], n)  # arcs capacity grows as needed
    for lo, hi in itertools.pairwise(cuts):
        a, b = int(offsets[lo]), int(offsets[hi])
        parts.add(advisor[a:b], cost[a:b], np.diff(offsets[lo:hi + 1]))
    assert parts.added == n
    assert np.array_equal(parts.chosen, whole.chosen)
    assert (parts.settled, parts.scanned) == (whole.settled, whole.scanned)


def test_bad_input_is_refused() -> None:
    import numpy as np
    from advisors_ortools.augment import Augmenter, solve

    one = np.ones(1, np.int64)
    offsets = np.asarray([0, 1], np.int64)
    with pytest.raises(ValueError, match="non-negative"):
        solve(offsets, np.zeros(1, np.int64), -one, one, one, 0)
    with pytest.raises(ValueError, match="cheap places"):
        solve(offsets, np.zeros(1, np.int64), one, one, 2 * one, 0)
    aug = Augmenter(one, one, 0, 1)
    with pytest.raises(ValueError, match="disagree"):
        aug.add(np.zeros(2, np.int64), one, one)
    aug.add(np.zeros(1, np.int64), one, one)
    with pytest.raises(ValueError, match="more than the 1 villages"):
        aug.add(np.zeros(1, np.int64), one, one)
    assert aug.chosen.tolist() == [0]


def test_optimal_picks_the_solver_by_size(tongren, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisors_ortools import assign

    import advisors

    small = advisors.assign(tongren, "optimal")
    assert "independent component" in small.notes[0]  # 78 villages: OR-Tools is quicker
    monkeypatch.setattr(assign, "PATHS_MIN", 0)
    large = advisors.assign(tongren, "optimal")
    assert "shortest augmenting paths" in large.notes[0]
    assert large.covered == small.covered == len(tongren.villages)
    # both are optimal in whole metres; km totals may differ by the rounding to metres
    tol = 0.5e-3 * len(tongren.villages)
    assert large.cost == pytest.approx(small.cost, abs=tol)
    assert large.cost == pytest.approx(advisors.assign(tongren, "mincostflow").cost, abs=tol)
    # arcs too dear for the solver's "uncovered" cost: OR-Tools instead, never an error
    from advisors_ortools import augment

    monkeypatch.setattr(augment, "UNCOVERED", 1000)
    dear = advisors.assign(tongren, "optimal")
    assert "independent component" in dear.notes[0]
    assert dear.cost == pytest.approx(small.cost, abs=1e-9)
