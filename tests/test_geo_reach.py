"""`Reach` finds the ids within a road distance exactly as measuring every one would."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisors.geo import Reach, TravelModel
from advisors.model import TravelTime

lat = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False)
lon = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[TravelModel, list[str], list[str], float]:
    """Trainers, places (some sharing a trainer's point), a travel table, a limit."""
    n_ids, n_places = draw(st.integers(1, 25)), draw(st.integers(1, 6))
    ids = [f"R{i:02d}" for i in range(n_ids)]
    places = [f"S{i:02d}" for i in range(n_places)]
    centre = (draw(lat), draw(lon))
    spread = draw(st.sampled_from([0.01, 0.5, 3.0, 60.0]))  # degrees: a county to the world
    points: dict[str, tuple[float, float]] = {}
    for name in ids + places:
        if draw(st.booleans()) and points:  # on top of an earlier point: zero distance
            points[name] = points[draw(st.sampled_from(sorted(points)))]
            continue
        dlat = draw(st.floats(-spread, spread))
        dlon = draw(st.floats(-spread, spread))
        points[name] = (max(-89.9, min(89.9, centre[0] + dlat)),
                        (centre[1] + dlon + 180.0) % 360.0 - 180.0)
    table = [TravelTime(draw(st.sampled_from(ids)), draw(st.sampled_from(places)),
                        draw(st.floats(1.0, 600.0)))
             for _ in range(draw(st.integers(0, 4)))]
    travel = TravelModel.build(points, table, draw(st.floats(1.0, 2.0)), 40.0)
    limit = draw(st.floats(0.0, 3000.0))
    return travel, ids, places, limit


def _measured(travel: TravelModel, ids: list[str], place: str,
              limit: float) -> list[tuple[float, str]]:
    return sorted((km, i) for i in ids
                  if (km := travel.road_km(i, place)) <= limit)


@pytest.mark.parametrize("vector", [False, True], ids=["python", "numpy"])
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_within_equals_measuring_every_id(
        world: tuple[TravelModel, list[str], list[str], float], vector: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    travel, ids, places, limit = world
    if vector:  # narrow every band with numpy first, however small
        monkeypatch.setattr(Reach, "VECTOR_FROM", 0)
        monkeypatch.setattr(Reach, "VECTOR_BAND", 0)
    reach = Reach(travel, ids)
    assert (reach._vector is not None) == vector
    for place in places:
        assert reach.within(place, limit) == _measured(travel, ids, place, limit)


def test_a_measured_travel_time_brings_a_far_id_within_reach() -> None:
    points = {"R1": (30.0, 100.0), "R2": (40.0, 100.0), "S1": (30.0, 100.01)}
    travel = TravelModel.build(points, [TravelTime("S1", "R2", 90.0)], 1.4, 40.0)
    reach = Reach(travel, ["R1", "R2"])
    near = reach.within("S1", 100.0)
    assert [i for _, i in near] == ["R1", "R2"]  # R2 is 1,100 km away, but 60 km by the table
    assert near[1][0] == 60.0
    assert reach.within("S1", 50.0) == [(travel.road_km("R1", "S1"), "R1")]


@pytest.mark.parametrize("vector", [False, True], ids=["python", "numpy"])
def test_a_point_a_hair_away_is_within_a_zero_limit(vector: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by hypothesis: 2.2e-308 degrees away, the measured distance underflows to 0."""
    if vector:
        monkeypatch.setattr(Reach, "VECTOR_FROM", 0)
        monkeypatch.setattr(Reach, "VECTOR_BAND", 0)
    travel = TravelModel.build({"R00": (2.2250738585072014e-308, 0.0), "S00": (0.0, 0.0)},
                               [], 1.0, 40.0)
    assert travel.road_km("R00", "S00") == 0.0
    assert Reach(travel, ["R00"]).within("S00", 0.0) == [(0.0, "R00")]
