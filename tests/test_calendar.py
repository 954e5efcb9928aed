"""The work calendar: statutory holidays, adjusted working days, festivals, absences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors import DataError, Festival, Unavailability, WorkCalendar
from advisors.calendar import YearSchedule, days_between
from advisors.data.tomlwrite import dumps_toml

from .conftest import TONGREN

D = dt.date


def test_adjusted_saturday_2026_02_14_is_a_working_day() -> None:
    cal = WorkCalendar()
    day = D(2026, 2, 14)
    assert day.weekday() == 5  # a Saturday…
    assert cal.is_adjusted_workday(day)
    assert cal.is_working_day(day) and cal.is_statutory_working_day(day)
    assert cal.why_not_working(day) is None


def test_spring_festival_2026_is_off_including_weekdays() -> None:
    cal = WorkCalendar()
    off = days_between(D(2026, 2, 16), D(2026, 2, 23))
    for day in off:
        assert not cal.is_working_day(day), day
        assert cal.why_not_working(day)
    assert any(day.weekday() < 5 for day in off)  # weekdays are off too
    assert any(cal.holiday_name(day) for day in off)
    assert cal.is_working_day(D(2026, 2, 24))


def test_plain_weekend_and_weekday() -> None:
    cal = WorkCalendar()
    assert not cal.is_working_day(D(2026, 3, 7))  # Saturday
    assert cal.why_not_working(D(2026, 3, 7)) == "weekend"
    assert cal.is_working_day(D(2026, 3, 9))  # Monday


def test_festival_only_in_its_townships() -> None:
    cal = WorkCalendar.from_toml(TONGREN / "calendar.toml")
    rebgong = next(f for f in cal.festivals if f.name_en.startswith("Rebgong")
               and f.start.year == 2026)
    day = next(d for d in days_between(rebgong.start, rebgong.end)
               if cal.is_statutory_working_day(d))
    inside, outside = rebgong.townships[0], "baoan"
    assert outside not in rebgong.townships
    assert not cal.is_working_day(day, inside)
    assert cal.is_working_day(day, outside)
    assert cal.festival_on(day, inside) == rebgong
    assert cal.festival_on(day, outside) is None
    assert cal.why_not_working(day, inside) == f"local festival: {rebgong.name}"
    assert not cal.is_working_day(day)  # township unknown: treated as everywhere


def test_festival_everywhere_when_townships_empty() -> None:
    losar = Festival("藏历新年", D(2027, 2, 8), D(2027, 2, 10))
    cal = WorkCalendar(festivals=(losar,))
    for township in ("longwu", "baoan", None):
        assert not cal.is_working_day(D(2027, 2, 8), township)
    assert cal.working_days(D(2027, 2, 8), D(2027, 2, 12), "x") == [D(2027, 2, 11),
                                                                  D(2027, 2, 12)]


def test_year_table_replaces_the_package_schedule() -> None:
    data = {"year": {"2026": {"holidays": ["2026-03-02"], "workdays": ["2026-03-07"]}}}
    cal = WorkCalendar.from_dict(data)
    assert not cal.is_working_day(D(2026, 3, 2))
    assert cal.is_working_day(D(2026, 3, 7))  # a Saturday declared a working day
    # The package's schedule for 2026 no longer applies:
    assert cal.is_working_day(D(2026, 2, 17))
    assert not cal.is_working_day(D(2026, 2, 14))
    # …other years still use it
    assert not cal.is_working_day(D(2027, 1, 1))


def test_extra_holiday_and_workday() -> None:
    text = """
[[holiday]]
date = 2026-06-30
name = "县庆"

[[workday]]
date = 2026-06-27
reason = "补班"
"""
    cal = WorkCalendar.from_dict(__import__("tomllib").loads(text))
    assert cal.holiday_name(D(2026, 6, 30)) == "县庆"
    assert not cal.is_working_day(D(2026, 6, 30))
    assert cal.is_working_day(D(2026, 6, 27))  # Saturday


def test_schedule_confirmed() -> None:
    cal = WorkCalendar()
    assert cal.schedule_confirmed(2026)  # the package knows 2026's adjusted days
    far = 2090
    assert not cal.schedule_confirmed(far)
    declared = WorkCalendar(years={far: YearSchedule({}, frozenset())})
    assert declared.schedule_confirmed(far)


def test_unavailability_covers_both_ends() -> None:
    away = Unavailability("adv-01", D(2026, 12, 7), D(2026, 12, 11), "培训")
    cal = WorkCalendar().with_unavailability([away])
    assert cal.is_available("adv-01", D(2026, 12, 6))
    assert not cal.is_available("adv-01", D(2026, 12, 7))
    assert not cal.is_available("adv-01", D(2026, 12, 11))
    assert cal.is_available("adv-01", D(2026, 12, 12))
    assert cal.is_available("adv-02", D(2026, 12, 8))
    assert cal.absences("adv-01") == (away,)


def test_dataset_work_calendar_has_example_absences(tongren) -> None:  # type: ignore[no-untyped-def]
    cal = tongren.work_calendar
    for row in tongren.unavailability:
        assert not cal.is_available(row.who, row.start)
        assert not cal.is_available(row.who, row.end)


def test_unavailability_rejects_end_before_start() -> None:
    with pytest.raises(DataError):
        Unavailability("adv-01", D(2026, 12, 7), D(2026, 12, 1))


@pytest.mark.parametrize("text, field", [
    ("[[festival]]\nname = 'x'\nstart = 2026-01-05\nend = 2026-01-01\n", "festival[0].end"),
    ("[[festival]]\nstart = 2026-01-05\n", "festival[0].name"),
    ("[[festival]]\nname='x'\nstart = 2026-01-05\ncolour = 'red'\n", "festival[0].colour"),
    ("[year.\"２０２６\"]\nholidays = []\n", "year.２０２６"),
    ("[year.2026]\nholidays = 3\n", "year.2026.holidays"),
    ("[[holiday]]\ndate = 'tomorrow'\n", "holiday[0].date"),
    ("festivals = []\n", "festivals"),
])
def test_calendar_problems_name_the_key(tmp_path: Path, text: str, field: str) -> None:
    (tmp_path / "calendar.toml").write_text(text, "utf-8")
    with pytest.raises(DataError) as info:
        WorkCalendar.from_toml(tmp_path / "calendar.toml")
    assert field in {p.field for p in info.value.problems}
    assert all(p.source == "calendar.toml" for p in info.value.problems)


def test_calendar_toml_round_trip_of_example() -> None:
    cal = WorkCalendar.from_toml(TONGREN / "calendar.toml")
    again = WorkCalendar.from_dict(__import__("tomllib").loads(dumps_toml(cal.as_dict(),
                                                                          dates=True)))
    assert again == cal


@settings(max_examples=30, deadline=None)
@given(st.dates(D(2026, 1, 1), D(2026, 12, 31)), st.dates(D(2026, 1, 1), D(2026, 12, 31)))
def test_working_days_agree_with_is_working_day(a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    cal = WorkCalendar.from_toml(TONGREN / "calendar.toml")
    days = cal.working_days(start, end, "longwu")
    assert days == [d for d in days_between(start, end) if cal.is_working_day(d, "longwu")]
    assert all(cal.why_not_working(d, "longwu") is None for d in days)
