"""Pairs added to a solved augmenter and solved again warm (:mod:`advisors_ortools.warm`).

Random transportation problems (as in ``test_assign_paths``) are solved,
then more pairs are added — some cheaper than what their villages pay, so
villages must be released and placed again — and the warm result is
compared with OR-Tools and with a solve from scratch of the larger graph.
The prices left behind must be valid dual potentials on every residual arc.
"""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from .test_assign_paths import arrays, evaluate, ortools_optimum, problems

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("advisors_ortools") is None
    or importlib.util.find_spec("numba") is None,
    reason="the advisors-ortools plugin with numba is not installed",
)


@st.composite
def grown(draw: st.DrawFn) -> tuple[dict, dict[int, list[tuple[int, int]]]]:
    """A problem with places for most villages, and pairs to add (village → [(advisor, cost)])."""
    p = draw(problems(least_free=1))
    n_a = len(p["free"])
    extra: dict[int, list[tuple[int, int]]] = {}
    for v, lst in enumerate(p["lists"]):
        others = [a for a in range(n_a) if a not in lst]
        more = draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []
        if more:
            extra[v] = sorted(((a, draw(st.integers(0, 60_000))) for a in more),
                              key=lambda x: (x[1], x[0]))
    return p, extra


def merged(p: dict, extra: dict[int, list[tuple[int, int]]]) -> dict:
    """The problem with the pairs added, each list that grew in (cost, advisor) order."""
    lists, costs = [], []
    for v, (lst, cs) in enumerate(zip(p["lists"], p["costs"], strict=True)):
        if v not in extra:
            lists.append(lst)
            costs.append(cs)
            continue
        both = sorted([(c, a) for a, c in zip(lst, cs, strict=True)]
                      + [(c, a) for a, c in extra.get(v, [])])
        lists.append([a for _, a in both])
        costs.append([c for c, _ in both])
    return {**p, "lists": lists, "costs": costs}


def check_potentials(q: dict, aug) -> None:
    """Every residual arc of the solved ``q`` prices non-negative under the read-off potentials."""
    from advisors_ortools.warm import potentials

    found = potentials(aug)
    assert found is not None, "the prices are not valid potentials"
    d_v, d_a = found
    offsets, advisor, cost, _, _ = arrays(q)
    chosen = aug.chosen.tolist()
    for v in range(len(q["lists"])):
        for e in range(int(offsets[v]), int(offsets[v + 1])):
            reduced = int(cost[e]) + int(d_v[v]) - int(d_a[advisor[e]])
            assert reduced == 0 if e == chosen[v] else reduced >= 0, (v, e)


@settings(max_examples=300, deadline=None)
@given(grown())
def test_pairs_added_warm_give_the_optimum(case: tuple[dict, dict]) -> None:
    from advisors_ortools.augment import solve
    from advisors_ortools.warm import extend

    p, extra = case
    offsets, advisor, cost, free, cheap = arrays(p)
    aug = solve(offsets, advisor, cost, free, cheap, p["dear"])
    placed = [e >= 0 for e in aug.chosen.tolist()]
    warm = extend(aug, extra)
    if warm is None:  # refused: some village with arcs was not placed, and nothing changed
        assert not all(ok for ok, lst in zip(placed, p["lists"], strict=True) if lst)
        assert [e >= 0 for e in aug.chosen.tolist()] == placed
        assume(False)
    q = merged(p, extra)
    o2, a2, c2, _, _ = arrays(q)
    assert (warm.offsets.tolist(), warm.advisor.tolist(), warm.cost.tolist()) == \
        (o2.tolist(), a2.tolist(), c2.tolist())
    scratch = solve(o2, a2, c2, free, cheap, p["dear"])
    assert evaluate(q, warm.chosen) == evaluate(q, scratch.chosen) == ortools_optimum(q)
    check_potentials(q, warm)


@settings(max_examples=100, deadline=None)
@given(grown())
def test_a_warm_solve_is_deterministic(case: tuple[dict, dict]) -> None:
    from advisors_ortools.augment import solve
    from advisors_ortools.warm import extend

    p, extra = case
    offsets, advisor, cost, free, cheap = arrays(p)
    runs = [extend(solve(offsets, advisor, cost, free, cheap, p["dear"]), extra)
            for _ in range(2)]
    assume(runs[0] is not None)
    assert runs[1] is not None
    assert runs[0].chosen.tolist() == runs[1].chosen.tolist()
    assert runs[0].prices.tolist() == runs[1].prices.tolist()


def test_the_solver_prices_are_valid_potentials_after_a_solve() -> None:
    import numpy as np
    from advisors_ortools.augment import solve

    # Three villages, two advisors of one place each: one village stays out; the
    # cheap pairs are taken and the prices say why.
    p = {"lists": [[0, 1], [0, 1], [0]], "costs": [[1_000, 5_000], [2_000, 2_500], [500]],
         "free": [1, 1], "cheap": [1, 1], "dear": 0}
    aug = solve(*arrays(p), 0)
    assert evaluate(p, aug.chosen) == ortools_optimum(p)
    check_potentials(p, aug)
    assert np.all(aug.prices >= 0)
