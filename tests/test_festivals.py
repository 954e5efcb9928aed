"""Village-level festivals and Losar closing longer in herding townships."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import advisors
from advisors import DataError, Festival, WorkCalendar
from advisors.assignment import Assignment
from advisors.model import Advisor, Township, Village

D = dt.date
YUTU = Festival("於菟", D(2026, 12, 28), D(2026, 12, 28), villages=("v1",))


def test_a_village_festival_closes_its_village_not_its_township() -> None:
    cal = WorkCalendar((YUTU,))
    assert not cal.is_working_day(D(2026, 12, 28), "t1", "v1")
    assert cal.is_working_day(D(2026, 12, 28), "t1", "v2")
    assert cal.is_working_day(D(2026, 12, 28), "t1")  # the township's venue stays open
    assert cal.why_not_working(D(2026, 12, 28), "t1", "v1") == "local festival: 於菟"


def test_calendar_toml_reads_villages_and_rejects_a_bad_list() -> None:
    cal = WorkCalendar.from_dict({"festival": [
        {"name": "於菟", "start": "2026-12-28", "villages": ["v1"]}]})
    assert cal.festivals == (YUTU,)
    assert WorkCalendar.from_dict(cal.as_dict()) == cal
    with pytest.raises(DataError) as err:
        WorkCalendar.from_dict({"festival": [
            {"name": "於菟", "start": "2026-12-28", "villages": "v1"}]})
    assert err.value.problems[0].field == "festival[0].villages"


def _dataset(calendar: WorkCalendar, **calendar_policy: object) -> advisors.Dataset:
    policy = advisors.Policy()
    policy = attrs.evolve(policy, calendar=attrs.evolve(policy.calendar, **calendar_policy))
    return advisors.Dataset(
        [Township("t1", "甲乡", kind="herding"), Township("t2", "乙镇", kind="城镇")],
        [Village("v1", "一村", "t1", "village", "suburban", "zh", 35.5, 102.0),
         Village("v2", "二村", "t1", "village", "suburban", "zh", 35.5, 102.01),
         Village("v3", "三村", "t2", "village", "suburban", "zh", 35.5, 102.02)],
        [Advisor("a1", "顾问", "lawyer", "所", "zh", 35.5, 102.0, capacity=5)],
        calendar=calendar, policy=policy)


def test_visits_keep_off_the_village_festival_only() -> None:
    # 於菟 on every working day of December in v1: v1 gets no visit, v2 of its township does
    closed = Festival("於菟", D(2026, 12, 1), D(2026, 12, 31), villages=("v1",))
    ds = _dataset(WorkCalendar((closed,)))
    plan = advisors.schedule_visits(ds, Assignment({v.id: "a1" for v in ds.villages}),
                                    "2026-12", strategy="greedy")
    assert not [v for v in plan.visits if v.village == "v1"]
    assert [v for v in plan.visits if v.village == "v2"]
    (short,) = [v for v in plan.analysis.hard if v.rule == "Visit count"]
    assert "v1" in short.message


def test_the_township_kind_is_read_in_chinese() -> None:
    assert Township("t", "乙镇", kind="牧区").kind == "herding"
    with pytest.raises(DataError):
        Township("t", "乙镇", kind="森林")


def test_losar_closes_herding_townships_until_the_fifteenth_day() -> None:
    losar = Festival("藏历新年", D(2026, 2, 18), D(2026, 2, 20), name_en="Losar")
    plain = _dataset(WorkCalendar((losar,))).work_calendar
    extended = _dataset(WorkCalendar((losar,)), extended_festivals=("藏历新年",),
                        extended_days={"herding": 15}).work_calendar
    day = D(2026, 3, 4)  # 正月十五: the 15th day from 2026-02-18, a Wednesday
    assert plain.is_working_day(day, "t1")
    assert not extended.is_working_day(day, "t1")
    assert extended.why_not_working(day, "t1") == "local festival: 藏历新年"
    assert extended.is_working_day(D(2026, 3, 5), "t1")
    assert extended.is_working_day(day, "t2")  # a town: only the festival's own days


def test_the_tongren_example_keeps_yutu_in_its_village_and_losar_longer_in_duowa(
        tongren: advisors.Dataset) -> None:
    cal = tongren.work_calendar
    yutu = D(2026, 12, 28)
    assert not cal.is_working_day(yutu, "nianduhu", "nianduhu-nianduhu")
    assert cal.is_working_day(yutu, "nianduhu", "nianduhu-guomari")
    assert tongren.township_by_id["duowa"].kind == "herding"
    assert not cal.is_working_day(D(2026, 3, 4), "duowa")
    assert cal.is_working_day(D(2026, 3, 4), "longwu")
    plan = advisors.schedule_visits(tongren, advisors.assign(tongren), "2026-12")
    assert not [v for v in plan.visits if v.village == "nianduhu-nianduhu" and v.date == yutu]
