"""Property tests of coverage: rules kept, coverage maximal, optimal ≤ greedy, determinism.

Random small datasets are built in Python; the expected values (which pairs
are allowed, the most villages any assignment can cover, the least cost) are
computed here by brute force from the travel model, independently of the
strategies under test.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors import Advisor, Dataset, ExistingAssignment, Policy, Township, Village
from advisors.geo import great_circle_km

LANGS = (("zh",), ("bo",), ("bo", "zh"))

needs_ortools = pytest.mark.skipif(
    importlib.util.find_spec("advisors_ortools") is None,
    reason="the advisors-ortools plugin (strategy optimal) is not installed",
)


@st.composite
def datasets(draw: st.DrawFn, max_villages: int = 5, max_advisors: int = 4) -> Dataset:
    seed = draw(st.integers(0, 2**32 - 1))
    n_v = draw(st.integers(1, max_villages))
    n_a = draw(st.integers(1, max_advisors))
    rnd = random.Random(seed)
    towns = [Township(f"t{i}", f"第{i}乡") for i in range(rnd.randint(1, 2))]
    villages = [
        Village(f"v{i}", f"村{i}", rnd.choice(towns).id, "village", "remote",
                list(rnd.choice(LANGS)), 35 + rnd.uniform(-0.4, 0.4), 101 + rnd.uniform(-0.4, 0.4))
        for i in range(n_v)
    ]
    advs = [
        Advisor(f"a{i}", f"顾问{i}", "lawyer", "所", list(rnd.choice(LANGS)),
                35 + rnd.uniform(-0.4, 0.4), 101 + rnd.uniform(-0.4, 0.4),
                capacity=rnd.randint(0, 3), active=rnd.random() < 0.9)
        for i in range(n_a)
    ]
    existing = []
    for v in villages:
        if rnd.random() < 0.3:
            existing.append(ExistingAssignment(v.id, rnd.choice(advs).id, rnd.random() < 0.5))
    excluded = tuple((v.id, a.id) for v in villages for a in advs if rnd.random() < 0.1)
    policy = Policy.from_dict({"assignment": {
        "max_travel_km": rnd.choice([40.0, 80.0, 120.0]),
        "other_township_km": rnd.choice([0.0, 10.0]),
        "stability_km": rnd.choice([0.0, 5.0]),
        "balance_weight": rnd.choice([0.0, 0.0, 3.0]),
        "excluded": [list(p) for p in excluded],
    }})
    order = draw(st.permutations(range(n_v)))
    return Dataset(towns, [villages[i] for i in order], advs, assignments=existing,
                   policy=policy)


def allowed(ds: Dataset, v: Village, a: Advisor) -> bool:
    """The hard rules, restated from the issue."""
    pol = ds.policy.assignment
    model = ds.travel_model()
    return (a.active and set(v.languages) <= set(a.languages)
            and model.road_km(a.id, v.id) <= pol.max_travel_km
            and (v.id, a.id) not in pol.excluded)


def home(ds: Dataset, a: Advisor) -> str:
    """Township of the village nearest the advisor's office (ties: lower id)."""
    near = min(ds.villages, key=lambda v: (great_circle_km(a.lat, a.lon, v.lat, v.lon), v.id))
    return near.township


def brute_force(ds: Dataset) -> tuple[int, float]:
    """(most villages coverable, least cost among assignments covering that many)."""
    pol = ds.policy.assignment
    model = ds.travel_model()
    pinned = {e.village: e.advisor for e in ds.assignments if e.pinned}
    old = {e.village: e.advisor for e in ds.assignments if not e.pinned}
    open_v = [v for v in sorted(ds.villages, key=lambda v: v.id) if v.id not in pinned]
    options = [[None] + [a for a in ds.advisors if allowed(ds, v, a)] for v in open_v]
    homes = {a.id: home(ds, a) for a in ds.advisors}
    active = sum(a.active for a in ds.advisors)
    target = math.ceil(len(ds.villages) / active) if active else 0
    best: tuple[int, float] | None = None
    for combo in itertools.product(*options):
        load = {a.id: 0 for a in ds.advisors}
        for a_id in pinned.values():
            load[a_id] += 1
        ok = True
        cost = 0.0
        for v, a in zip(open_v, combo, strict=True):
            if a is None:
                continue
            load[a.id] += 1
            cap = ds.capacity(a)
            open_load = load[a.id] - sum(1 for x in pinned.values() if x == a.id)
            if open_load > max(0, cap - sum(1 for x in pinned.values() if x == a.id)):
                ok = False
                break
            cost += model.road_km(a.id, v.id)
            cost += pol.other_township_km if homes[a.id] != v.township else 0.0
            cost += pol.stability_km if v.id in old and old[v.id] != a.id else 0.0
        if not ok:
            continue
        cost += pol.balance_weight * sum(max(0, n - target) for n in load.values())
        covered = sum(a is not None for a in combo)
        if best is None or covered > best[0] or (covered == best[0] and cost < best[1]):
            best = (covered, cost)
    assert best is not None  # leaving every open village out is always allowed
    return best[0] + len(pinned), best[1]


def check_rules(ds: Dataset, result: advisors.Assignment) -> None:
    pinned = {e.village: e.advisor for e in ds.assignments if e.pinned}
    assert set(result.advisor_of) == {v.id for v in ds.villages}
    for vid, aid in pinned.items():
        assert result.advisor_of[vid] == aid
    assert set(result.pinned) == set(pinned)
    for vid, aid in result.advisor_of.items():
        if aid is None or vid in pinned:
            continue
        assert allowed(ds, ds.village_by_id[vid], ds.advisor_by_id[aid]), (vid, aid)
    for a in ds.advisors:
        n_pinned = sum(1 for x in pinned.values() if x == a.id)
        n_open = sum(1 for v, x in result.advisor_of.items() if x == a.id and v not in pinned)
        assert n_open <= max(0, ds.capacity(a) - n_pinned)
    uncovered = {u.village for u in result.uncovered}
    assert uncovered == {v for v, a in result.advisor_of.items() if a is None}


@needs_ortools
@settings(max_examples=50, deadline=None)
@given(datasets())
def test_optimal_matches_brute_force_and_beats_greedy(ds: Dataset) -> None:
    covered, cost = brute_force(ds)
    tol = 1e-3 * len(ds.villages) + 1e-6
    opt = advisors.assign(ds, "optimal")
    flow = advisors.assign(ds, "mincostflow")
    greedy = advisors.assign(ds, "greedy")
    for result in (opt, flow, greedy):
        check_rules(ds, result)
        assert result.covered == covered  # maximal coverage
        assert result.cost >= cost - tol
    assert abs(opt.cost - cost) <= tol
    assert abs(flow.cost - cost) <= tol
    # small problems take the flow solver under `optimal`: the augmenting paths directly
    from advisors_ortools.assign import optimal_choice

    from advisors.coverage.problem import CoverageProblem

    problem = CoverageProblem(ds)
    paths = problem.result(optimal_choice(problem, solver="paths")[0], "paths")
    check_rules(ds, paths)
    assert paths.covered == covered
    assert abs(paths.cost - cost) <= tol
    assert opt.cost <= greedy.cost + tol


@needs_ortools
@settings(max_examples=25, deadline=None)
@given(datasets(max_villages=12, max_advisors=6), st.randoms(use_true_random=False))
def test_same_input_same_output(ds: Dataset, rnd: random.Random) -> None:
    shuffled = Dataset(ds.townships, rnd.sample(ds.villages, len(ds.villages)),
                       rnd.sample(ds.advisors, len(ds.advisors)), assignments=ds.assignments,
                       policy=ds.policy)
    for strategy in ("greedy", "optimal"):
        first = advisors.assign(ds, strategy)
        again = advisors.assign(shuffled, strategy)
        assert json.dumps(first.as_dict(), sort_keys=True) == json.dumps(
            again.as_dict(), sort_keys=True)
        assert advisors.Assignment.from_dict(json.loads(json.dumps(first.as_dict()))) == first
        check_rules(ds, first)


@needs_ortools
@settings(max_examples=40, deadline=None)
@given(datasets(max_villages=5, max_advisors=5))
def test_widening_reaches_maximal_coverage_from_one_candidate(ds: Dataset) -> None:
    # With one candidate per village the first solve often leaves villages out that
    # another assignment covers; widening (optimal) and alternating paths (greedy)
    # must still reach the brute-force maximum.
    from advisors_ortools.assign import optimal_choice

    from advisors.coverage.greedy import greedy_choice
    from advisors.coverage.problem import CoverageProblem

    covered, _ = brute_force(ds)
    problem = CoverageProblem(ds)
    n_pinned = len(problem.fixed)
    for choice in (optimal_choice(problem, k=1, solver="paths")[0],
                   optimal_choice(problem, k=1, solver="flow")[0],
                   greedy_choice(problem, k=1)[0]):
        assert len(choice) + n_pinned == covered
        check_rules(ds, problem.result(choice, "test"))


@settings(max_examples=60, deadline=None)
@given(datasets(max_villages=6, max_advisors=4))
def test_every_uncovered_village_has_the_true_reason(ds: Dataset) -> None:
    result = advisors.assign(ds, "greedy")
    model = ds.travel_model()
    pol = ds.policy.assignment
    loads = result.loads()
    for u in result.uncovered:
        v = ds.village_by_id[u.village]
        speakers = [a for a in ds.advisors if set(v.languages) <= set(a.languages)]
        may = [a for a in ds.advisors if allowed(ds, v, a)]
        if u.reason == "capacity":
            assert may and all(loads.get(a.id, 0) >= ds.capacity(a) for a in may)
            (d,) = [d for d in result.diagnoses if u.village in d.villages]
            assert d.reason == "capacity" and d.shortfall >= 1
            assert {a.id for a in may} <= set(d.advisors)
            # Hall: the group's villages outnumber its advisors' free places
            assert len(d.villages) - d.free_places == d.shortfall
        else:
            assert not may
            (d,) = [d for d in result.diagnoses if d.villages == (u.village,)]
            assert d.reason == u.reason
        if u.reason == "language":
            assert not speakers
        if u.reason == "distance":
            assert speakers and all(
                model.road_km(a.id, v.id) > pol.max_travel_km
                for a in speakers if a.active and (v.id, a.id) not in pol.excluded)


@needs_ortools
@settings(max_examples=30, deadline=None)
@given(datasets(max_villages=5, max_advisors=4))
def test_diagnosis_before_solving_agrees_with_every_strategy(ds: Dataset) -> None:
    before = advisors.diagnose_coverage(ds)
    covered, _ = brute_force(ds)
    assert before.covered == covered
    for strategy in ("greedy", "optimal"):
        after = advisors.assign(ds, strategy)
        # the same villages are unreachable, and capacity shortfalls have the same size
        assert {(u.village, u.reason) for u in before.uncovered if u.reason != "capacity"} == {
            (u.village, u.reason) for u in after.uncovered if u.reason != "capacity"}
        assert sum(d.shortfall for d in before.diagnoses) == sum(
            d.shortfall for d in after.diagnoses)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_grid_search_finds_the_same_candidates_as_all_pairs(seed: int, k: int) -> None:
    from advisors.coverage.problem import CoverageProblem

    rnd = random.Random(seed)
    towns = [Township("t0", "甲乡"), Township("t1", "乙乡")]
    lat0, lon0 = rnd.uniform(-60, 60), rnd.uniform(-170, 170)
    villages = [Village(f"v{i}", "村", rnd.choice(towns).id, "village", "remote",
                        list(rnd.choice(LANGS)), lat0 + rnd.uniform(-1, 1),
                        lon0 + rnd.uniform(-1, 1)) for i in range(15)]
    advs = [Advisor(f"a{i:02d}", "顾问", "lawyer", "所", list(rnd.choice(LANGS)),
                    lat0 + rnd.uniform(-1, 1), lon0 + rnd.uniform(-1, 1), capacity=2)
            for i in range(40)]
    ds = Dataset(towns, villages, advs)
    problem = CoverageProblem(ds)
    model = ds.travel_model()
    for vi, v in enumerate(problem.villages):
        every = sorted(
            (problem.cost(vi, ai), ai) for ai, a in enumerate(problem.advisors)
            if allowed(ds, v, a) and model.road_km(a.id, v.id) <= ds.policy.assignment.max_travel_km
        )
        found, exhaustive = problem.candidates(vi, None)
        assert exhaustive and [(c, ai) for c, ai, _ in found] == every
        top, _ = problem.candidates(vi, k)
        assert [(c, ai) for c, ai, _ in top] == every[:k]
