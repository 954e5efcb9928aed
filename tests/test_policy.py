"""The policy: DOMAIN.md's defaults, strict keys and types, and a TOML round trip."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors import DataError, Policy
from advisors.data.tomlwrite import dumps_toml
from advisors.policy import parse_hhmm


def test_defaults_match_domain() -> None:
    p = Policy()
    # Zhashui: 2 duty days a month for communities and suburban villages, 1 for remote ones
    assert dict(p.visits.per_month) == {"community": 2, "suburban": 2, "remote": 1}
    assert p.visits.lectures_per_quarter == 1
    # 法律明白人: at least 3 per village; Gaoyou: 2 sessions a person a year;
    # Qinghai: 1 new candidate a village a year
    assert p.training.legal_savvy_per_village == 3
    assert p.training.sessions_per_person_year == 2
    assert p.training.new_candidates_per_village_year == 1
    # 12348: 08:00–20:00 in two shifts, weekends open, holidays closed, 2–3 shifts a month
    assert p.hotline.shifts == (("08:00", "14:00"), ("14:00", "20:00"))
    assert p.hotline.weekends_open and p.hotline.holidays_closed
    assert p.hotline.max_shifts_per_month == 3
    assert p.hotline.required_languages == ()  # national; the Qinghai preset asks for bo
    assert p.timezone == "Asia/Shanghai"
    assert p.road_factor > 1
    assert p.capacity_of(None) == p.assignment.default_capacity
    assert p.capacity_of(7) == 7


def test_public_fields_exclude_personal_data() -> None:
    p = Policy()
    assert "phone" not in p.public.person
    assert "email" not in p.public.advisor


def leaf_keys(data: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in data.items():
        if isinstance(value, dict) and key in Policy().as_dict() and not prefix:
            out += leaf_keys(value, f"{key}.")
        else:
            out.append(prefix + key)
    return out


@pytest.mark.parametrize("key", leaf_keys(Policy().as_dict()))
def test_unknown_key_is_an_error_naming_it(key: str) -> None:
    section, _, name = key.rpartition(".")
    typo = name + "_x"
    data: dict[str, Any] = {section: {typo: 1}} if section else {typo: 1}
    with pytest.raises(DataError) as info:
        Policy.from_dict(data, source="policy.toml")
    [problem] = info.value.problems
    assert problem.message == "unknown key"
    assert problem.field == (f"{section}.{typo}" if section else typo)
    assert problem.source == "policy.toml"
    assert name in (problem.expected or "")  # the right spelling is offered


@pytest.mark.parametrize("data, field", [
    ({"road_factor": "fast"}, "road_factor"),
    ({"visits": {"max_per_day": 1.5}}, "visits.max_per_day"),
    ({"visits": {"max_per_day": True}}, "visits.max_per_day"),
    ({"visits": {"start": "9am"}}, "visits.start"),
    ({"visits": {"per_month": {"remote": "one"}}}, "visits.per_month.remote"),
    ({"visits": {"per_month": 3}}, "visits.per_month"),
    ({"hotline": {"weekends_open": "yes"}}, "hotline.weekends_open"),
    ({"hotline": {"shifts": [["08:00", "14:00", "20:00"]]}}, "hotline.shifts"),
    ({"hotline": {"shifts": [["08:00", "25:00"]]}}, "hotline.shifts[0][1]"),
    ({"hotline": {"required_languages": "bo"}}, "hotline.required_languages"),
    ({"assignment": {"max_travel_km": -1}}, "assignment.max_travel_km"),
    ({"training": "lots"}, "training"),
])
def test_wrong_types_are_errors_naming_the_key(data: dict[str, Any], field: str) -> None:
    with pytest.raises(DataError) as info:
        Policy.from_dict(data)
    assert field in {p.field for p in info.value.problems}


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(DataError) as info:
        Policy.from_dict({"visits": {"max_per_dya": 2, "start": 9}, "hotlien": {}})
    assert {p.field for p in info.value.problems} == {"visits.max_per_dya", "visits.start",
                                                       "hotlien"}


def test_overrides_apply_and_keep_other_defaults() -> None:
    p = Policy.from_dict({"hotline": {"max_shifts_per_month": 2},
                          "assignment": {"excluded": [["v1", "a1"]]}})
    assert p.hotline.max_shifts_per_month == 2
    assert p.hotline.shifts == Policy().hotline.shifts
    assert p.assignment.excluded == (("v1", "a1"),)
    assert p.visits == Policy().visits


def test_default_policy_toml_round_trip() -> None:
    text = dumps_toml(Policy().as_dict())
    assert Policy.from_dict(tomllib.loads(text)) == Policy()


def test_bad_toml_syntax_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "policy.toml").write_text("[visits\n", "utf-8")
    with pytest.raises(DataError) as info:
        Policy.from_toml(tmp_path / "policy.toml")
    assert info.value.problems[0].message == "not valid TOML"


hhmm = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


@settings(max_examples=60, deadline=None)
@given(
    road_factor=st.floats(1, 5),
    per_month=st.dictionaries(st.sampled_from(["community", "suburban", "remote"]),
                              st.integers(0, 10)),
    start=hhmm.filter(lambda t: t < "17:00"),  # visit hours end at 17:00 by default
    shifts=st.lists(st.tuples(hhmm, hhmm).filter(lambda s: s[0] < s[1]), min_size=1, max_size=3),
    langs=st.lists(st.sampled_from(["bo", "zh", "mn"]), unique=True),
    curriculum=st.lists(st.text("abcdefghij_", min_size=1, max_size=6), unique=True),
    excluded=st.lists(st.tuples(st.text("abc-1", min_size=1), st.text("xyz-2", min_size=1))),
    weekends=st.booleans(),
)
def test_toml_round_trip_through_writer(
    road_factor: float, per_month: dict[str, int], start: str,
    shifts: list[tuple[str, str]], langs: list[str], curriculum: list[str],
    excluded: list[tuple[str, str]], weekends: bool,
) -> None:
    p = Policy.from_dict({
        "road_factor": road_factor,
        "visits": {"per_month": per_month, "start": start},
        "hotline": {"shifts": [list(s) for s in shifts], "required_languages": langs,
                    "weekends_open": weekends},
        "training": {"curriculum": curriculum},
        "assignment": {"excluded": [list(e) for e in excluded]},
    })
    assert p.road_factor == road_factor and p.hotline.weekends_open == weekends
    assert Policy.from_dict(tomllib.loads(dumps_toml(p.as_dict()))) == p


def test_parse_hhmm() -> None:
    assert parse_hhmm("08:30").hour == 8
    for bad in ("8:30", "24:00", "08:60", "0830"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)
