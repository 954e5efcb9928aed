"""The value classes: what they normalise, what they refuse, and how they say so."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from advisors import (
    Advisor,
    DataError,
    Dataset,
    ExistingAssignment,
    Person,
    Township,
    Trainer,
    Unavailability,
    Village,
)
from advisors.errors import Problem


def village(**kw: object) -> Village:
    args: dict[str, object] = dict(id="v1", name="四合吉村", township="t1", kind="village",
                                   service_class="remote", languages="bo", lat=35.5, lon=102.0)
    args.update(kw)
    return Village(**args)  # type: ignore[arg-type]


def test_converters_normalise_what_people_type() -> None:
    v = village(name="  四合吉村 ", languages="藏语；ZH", lat="35.5")
    assert v.name == "四合吉村"
    assert v.languages == ("bo", "zh")
    assert v.lat == 35.5 and isinstance(v.lat, float)
    t = Trainer("tr1", "多杰", ["bo", "zh"], "civil_code; mediation;civil_code", 35.5, 102.0)
    assert t.topics == ("civil_code", "mediation")


@pytest.mark.parametrize("field, value, message", [
    ("id", "v 1", "bad id"),
    ("name", " ", "empty required field"),
    ("kind", "hamlet", "unknown value"),
    ("service_class", "urban", "unknown value"),
    ("lat", 91.0, "bad coordinate"),
    ("lon", float("nan"), "bad coordinate"),
    ("population", -1, "bad number"),
    ("languages", "", "empty required field"),
])
def test_bad_values_raise_data_error_naming_record_and_field(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(DataError) as info:
        village(**{field: value})
    [problem] = info.value.problems
    assert problem.field == field and problem.message == message
    assert "v1" in problem.source or field == "id"


def test_unknown_language_is_a_data_error() -> None:
    with pytest.raises(DataError) as info:
        village(languages="bo;klingon")
    assert info.value.problems[0].value == "klingon"


def test_advisor_speaks_every_language() -> None:
    a = Advisor("a1", "才让", "lawyer", "律所", "bo;zh", 35.5, 102.0)
    assert a.speaks(("bo",)) and a.speaks(("zh", "bo")) and a.speaks(())
    assert not a.speaks(("bo", "en"))
    assert a.capacity is None and not a.hotline and a.active


def test_records_are_frozen_and_hashable() -> None:
    t = Township("t1", "隆务镇")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        t.name = "x"  # type: ignore[misc]
    assert len({t, Township("t1", "隆务镇")}) == 1


def test_person_defaults() -> None:
    p = Person("p1", "卓玛", "v1", "legal_savvy", "candidate")
    assert p.languages == () and p.certified_on is None and p.phone == ""
    with pytest.raises(DataError):
        Person("p1", "卓玛", "v1", "lawyer", "active")


def test_unavailability_span() -> None:
    u = Unavailability("a1", dt.date(2026, 12, 7), dt.date(2026, 12, 7))
    assert u.covers(dt.date(2026, 12, 7)) and not u.covers(dt.date(2026, 12, 8))


def test_problem_text_carries_location_value_and_expectation() -> None:
    p = Problem("villages.csv", "bad coordinate", 14, "lat", "135.2", "a latitude")
    assert str(p) == ("villages.csv:14 [lat]: bad coordinate (got '135.2'); "
                      "expected a latitude")
    assert p.as_dict()["line"] == 14
    assert DataError([p, p]).args[0].startswith("2 problems in the data:")


def test_dataset_build_reports_every_whole_dataset_problem() -> None:
    t = Township("t1", "隆务镇")
    a = Advisor("t1", "才让", "lawyer", "律所", "bo", 35.5, 102.0)  # id taken by the township
    v = village(township="t9")
    bad_trainer = Trainer("tr1", "多杰", "bo", "astrology", 35.5, 102.0)
    with pytest.raises(DataError) as info:
        Dataset.build(townships=[t], villages=[v], advisors=[a], trainers=[bad_trainer],
                      assignments=[ExistingAssignment("v1", "nobody"),
                                   ExistingAssignment("v1", "t1")],
                      unavailability=[Unavailability("ghost", dt.date(2026, 1, 1),
                                                     dt.date(2026, 1, 2))])
    got = {(p.field, p.message) for p in info.value.problems}
    assert got == {
        ("id", "duplicate id"),
        ("township", "unknown reference"),
        ("advisor", "unknown reference"),
        ("village", "village assigned twice"),
        ("who", "unknown reference"),
        ("topics", "unknown topic"),
    }
    sources = {p.source for p in info.value.problems}
    assert "advisors[0] (id 't1')" in sources  # located by collection and index


def test_dataset_indexes_and_capacity(tongren: Dataset) -> None:
    for a in tongren.advisors:
        assert tongren.advisor_by_id[a.id] is a
        assert tongren.capacity(a) == (a.capacity if a.capacity is not None
                                       else tongren.policy.assignment.default_capacity)
    tm = tongren.travel_model()
    v, a = tongren.villages[0], tongren.advisors[0]
    assert tm.road_km(v.id, a.id) == pytest.approx(tm.road_km(a.id, v.id))
    assert tm.road_km(v.id, v.id) == 0
