"""The vectorised (numpy) candidate search gives exactly what the pure-Python search gives.

The core works without numpy; with numpy, :class:`CoverageProblem` runs the
grid-ring searches (home townships, candidate table) vectorised. These tests
hold the two paths to identical results, bit for bit, on random instances —
including the near-tie fallback to the Python search.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors import Advisor, Dataset, ExistingAssignment, Policy, Township, Village
from advisors.coverage.problem import CoverageProblem
from advisors.geo import great_circle_km

np = pytest.importorskip("numpy")
vector = pytest.importorskip("advisors.coverage.vector")
if not vector.EXACT:  # pragma: no cover - the Python search is used on such platforms
    pytest.skip("numpy does not reproduce math bit for bit here", allow_module_level=True)

LANGS = (("zh",), ("zh",), ("bo",), ("bo", "zh"), ("ug",))


def instance(seed: int) -> Dataset:
    """Clustered villages and advisors (some offices shared), mixed languages and contracts."""
    rnd = random.Random(seed)
    lat0, lon0 = rnd.uniform(-50, 50), rnd.uniform(-170, 170)
    spread = rnd.choice([0.2, 1.0, 3.0])
    towns = [Township(f"t{i}", f"第{i}乡") for i in range(rnd.randint(1, 6))]
    centres = [(lat0 + rnd.uniform(-spread, spread), lon0 + rnd.uniform(-spread, spread))
               for _ in range(rnd.randint(1, 8))]

    def near() -> tuple[float, float]:
        c = rnd.choice(centres)
        return c[0] + rnd.gauss(0, spread / 6), c[1] + rnd.gauss(0, spread / 6)

    villages = [Village(f"v{i:03d}", "村", rnd.choice(towns).id, "village", "remote",
                        list(rnd.choice(LANGS)), *near())
                for i in range(rnd.randint(1, 150))]
    offices = [near() for _ in range(rnd.randint(1, 60))]
    advs = [Advisor(f"a{i:03d}", "顾问", "lawyer", "所", list(rnd.choice(LANGS)),
                    *rnd.choice(offices), capacity=rnd.randint(0, 5),
                    active=rnd.random() < 0.9)
            for i in range(rnd.randint(1, 80))]
    existing = [ExistingAssignment(v.id, rnd.choice(advs).id, rnd.random() < 0.3)
                for v in villages if rnd.random() < 0.4]
    policy = Policy.from_dict({"assignment": {
        "max_travel_km": rnd.choice([20.0, 60.0, 80.0, 200.0]),
        "other_township_km": rnd.choice([0.0, 10.0, 40.0]),
        "stability_km": rnd.choice([0.0, 5.0]),
    }})
    return Dataset(towns, villages, advs, assignments=existing, policy=policy)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.sampled_from([1e-7, 0.3, 1e9]))
def test_vectorised_search_equals_python_search(seed: int, k: int, tol: float) -> None:
    ds = instance(seed)
    old = vector.TOL
    vector.TOL = tol  # wider tolerances send more (with 1e9: every) query to the Python search
    try:
        fast = CoverageProblem(ds)
        assert fast.vectorise
        table = fast.candidate_table(k)
    finally:
        vector.TOL = old
    slow = CoverageProblem(ds, vectorise=False)
    assert fast.home == slow.home
    assert table == slow.candidate_table(k)
    # and the table is what candidates() answers, village by village
    at = 0
    for vi, n in zip(slow.open, table[2], strict=True):
        want = slow.candidates(vi, k)[0]
        assert list(zip(table[1][at:at + n], table[0][at:at + n], strict=True)) == [
            (c, ai) for c, ai, _ in want]
        at += n


def test_exact_distances_round_like_math() -> None:
    rnd = np.random.default_rng(7)
    x = rnd.uniform(-0.02, 0.02, 200_000)
    assert vector._square(x.copy()).tolist() == [v ** 2 for v in x.tolist()]
    h = rnd.uniform(0, 1e-5, 200_000)
    want = [2 * 6371.0088 * math.asin(min(1.0, math.sqrt(v))) for v in h.tolist()]
    assert vector.exact_gc_km(h).tolist() == want


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_home_township_is_the_nearest_village(seed: int) -> None:
    ds = instance(seed)
    problem = CoverageProblem(ds)
    for a, town in zip(problem.advisors, problem.home, strict=True):
        near = min(ds.villages, key=lambda v: (great_circle_km(a.lat, a.lon, v.lat, v.lon), v.id))
        assert town == near.township


def test_pair_distances_are_bit_identical() -> None:
    rnd = random.Random(3)
    n = 100_000
    alat = [rnd.uniform(20, 45) for _ in range(n)]
    alon = [rnd.uniform(75, 130) for _ in range(n)]
    vlat = [a + rnd.uniform(-0.6, 0.6) for a in alat]
    vlon = [a + rnd.uniform(-0.6, 0.6) for a in alon]
    arr = np.asarray
    ar, vr = arr([math.radians(x) for x in alat]), arr([math.radians(x) for x in vlat])
    ac, vc = np.cos(ar), np.cos(vr)
    # advisor → village as CoverageProblem.road_km computes it (target = advisor)
    h = vector._h(vr, vc, arr(vlon), ar, ac, arr(alon), True, True)
    km = vector.exact_gc_km(h).tolist()
    want = [great_circle_km(a, b, c, d) for a, b, c, d in zip(alat, alon, vlat, vlon,
                                                               strict=True)]
    assert km == want


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_road_km_of_many_pairs_is_road_km(seed: int) -> None:
    ds = instance(seed)
    problem = CoverageProblem(ds)
    rnd = random.Random(seed)
    pairs = {vi: rnd.randrange(len(problem.advisors)) for vi in range(len(problem.villages))}
    assert problem.road_kms(pairs) == {vi: problem.road_km(vi, ai) for vi, ai in pairs.items()}


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_travel_table_is_honoured_on_both_paths(seed: int) -> None:
    from advisors.model import TravelTime

    base = instance(seed)
    rnd = random.Random(seed)
    rows = [TravelTime(a.id, v.id, rnd.uniform(5, 300))
            for v in base.villages for a in base.advisors if rnd.random() < 0.2]
    ds = Dataset(base.townships, base.villages, base.advisors, assignments=base.assignments,
                 policy=base.policy, travel=rows)
    model = ds.travel_model()
    fast, slow = CoverageProblem(ds), CoverageProblem(ds, vectorise=False)
    for vi, v in enumerate(fast.villages):
        for ai, a in enumerate(fast.advisors):
            assert fast.road_km(vi, ai) == model.road_km(a.id, v.id)
    pairs = {vi: rnd.randrange(len(fast.advisors)) for vi in range(len(fast.villages))}
    assert fast.road_kms(pairs) == {vi: slow.road_km(vi, ai) for vi, ai in pairs.items()}
    assert fast.home == slow.home
    assert fast.candidate_table(4) == slow.candidate_table(4)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                  math.copysign(1, b))


NEAR_HALVES = st.builds(
    lambda k, step: math.nextafter(k / 1000 + 0.0005, math.inf if step > 0 else -math.inf)
    if step else k / 1000 + 0.0005,
    st.integers(-10**9, 10**9), st.sampled_from([-1, 0, 1]))


@settings(max_examples=300)
@given(st.lists(st.one_of(st.floats(), st.floats(-1e5, 1e5), NEAR_HALVES), max_size=60))
def test_distances_are_rounded_as_python_rounds_them(values: list[float]) -> None:
    rounded = vector.rounded_km(values)
    assert all(_same(r, round(v, 3)) for r, v in zip(rounded, values, strict=True))


def test_many_distances_go_through_numpy_and_come_out_as_round_gives_them() -> None:
    rnd = random.Random(7)
    kms = [rnd.uniform(0, 120) for _ in range(20_000)] + [k / 1000 + 0.0005 for k in
                                                          range(20_000)]
    problem = CoverageProblem(instance(1))
    assert problem.vectorise
    assert problem.rounded_km(kms) == [round(km, 3) for km in kms]
