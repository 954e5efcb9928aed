"""On-site visits: each rule given → expected, the Tongren February, and plan invariants."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advisors
from advisors.assignment import Assignment
from advisors.model import Unavailability
from advisors.period import Period
from advisors.visits.patterns import Pattern, candidate_patterns, find_pattern
from advisors.visits.problem import VisitProblem
from advisors.visits.rules import VISIT_RULES
from advisors.visits.visit_plan import Visit, VisitPlan

from .test_schedule_helpers import nearest_assignment, small_dataset

D = dt.date
RULES = {r.name: r for r in VISIT_RULES}


def _problem(classes: list[str], n: int = 1, absences: tuple[tuple[int, int, int], ...] = (),
             **visit_policy: object) -> VisitProblem:
    policy = advisors.Policy()
    if visit_policy:
        policy = attrs.evolve(policy, visits=attrs.evolve(policy.visits, **visit_policy))
    ds = small_dataset(classes, n, absences, policy=policy)
    return VisitProblem(ds, Assignment({v.id: "a0" for v in ds.villages}),
                        Period.parse("2026-12"))


def _visit(village: str, day: dt.date, start: str = "09:00", end: str = "17:00",
           n: int = 1, advisor: str = "a0", lecture: bool = False) -> Visit:
    return Visit(f"visit/{village}/{day:%Y-%m}/{n}", village, advisor, day, start, end, lecture)


def _matches(rule: str, problem: VisitProblem, visits: list[Visit]) -> list[advisors.Violation]:
    return list(RULES[rule].check(problem, visits))


# ---- each rule: given → expected -------------------------------------------------------

def test_non_working_day_flags_a_weekend_not_a_monday() -> None:
    p = _problem(["remote"])
    assert len(_matches("Non-working day", p, [_visit("v00", D(2026, 12, 5))])) == 1
    assert _matches("Non-working day", p, [_visit("v00", D(2026, 12, 7))]) == []


def test_advisor_unavailable_names_the_day() -> None:
    p = _problem(["remote"], absences=((0, 6, 2),))  # 2026-12-07 … 12-09
    found = _matches("Advisor unavailable", p, [_visit("v00", D(2026, 12, 8))])
    assert [v.days for v in found] == [(D(2026, 12, 8),)]
    assert _matches("Advisor unavailable", p, [_visit("v00", D(2026, 12, 10))]) == []


def test_double_booked_needs_overlapping_times() -> None:
    p = _problem(["remote", "remote"])
    day = D(2026, 12, 7)
    clash = [_visit("v00", day), _visit("v01", day, "13:00", "17:00")]
    apart = [_visit("v00", day, "09:00", "13:00"), _visit("v01", day, "13:00", "17:00")]
    assert len(_matches("Advisor double-booked", p, clash)) == 1
    assert _matches("Advisor double-booked", p, apart) == []


def test_two_a_day_only_for_nearby_villages() -> None:
    day = D(2026, 12, 7)
    two = [_visit("v00", day, "09:00", "13:00"), _visit("v01", day, "13:00", "17:00")]
    near = _problem(["remote", "remote"], nearby_km=1000.0)
    far = _problem(["remote", "remote"], nearby_km=0.001)
    assert _matches("Too many visits a day", near, two) == []
    assert len(_matches("Too many visits a day", far, two)) == 1


def test_visit_count_reports_the_shortfall() -> None:
    p = _problem(["community"])
    found = _matches("Visit count", p, [_visit("v00", D(2026, 12, 8))])
    assert len(found) == 1 and found[0].weight == 1 and "1 of 2" in found[0].message


def test_irregular_and_uneven() -> None:
    p = _problem(["community"])
    regular = [_visit("v00", D(2026, 12, 8)), _visit("v00", D(2026, 12, 22), n=2)]
    cramped = [_visit("v00", D(2026, 12, 8)), _visit("v00", D(2026, 12, 10), n=2)]
    assert _matches("Irregular days", p, regular) == []
    assert _matches("Uneven spread", p, regular) == []
    assert len(_matches("Irregular days", p, cramped)) == 1
    assert len(_matches("Uneven spread", p, cramped)) == 1


def test_lecture_due_in_the_village_lecture_month() -> None:
    p = _problem(["community", "community", "remote", "remote", "suburban", "suburban"])
    assert p.lectures, "some village has its lecture in December"
    (village, _), _ = sorted(p.lectures.items())[0]
    def about(visits: list[Visit]) -> list[advisors.Violation]:
        return [m for m in _matches("Lecture missing", p, visits) if m.subjects == (village,)]

    assert len(about([_visit(village, D(2026, 12, 8))])) == 1
    assert about([_visit(village, D(2026, 12, 8), lecture=True)]) == []


def test_pattern_texts_and_detection() -> None:
    tuesday = Pattern(1, (2, 4))
    assert tuesday.zh == "每月第2、4个星期二"
    assert tuesday.en == "the 2nd and 4th Tuesday of the month"
    assert tuesday.dates(2026, 12) == [D(2026, 12, 8), D(2026, 12, 22)]
    assert find_pattern([D(2026, 12, 8), D(2026, 12, 22), D(2027, 1, 12), D(2027, 1, 26)]) \
        == tuesday
    assert find_pattern([D(2026, 12, 8), D(2026, 12, 23)]) is None
    assert candidate_patterns(2)[0].ordinals in ((1, 3), (2, 4))


# ---- February 2026 on the Tongren example ------------------------------------------------

@pytest.mark.parametrize("strategy", ["greedy", "cpsat"])
def test_tongren_february_2026(tongren: advisors.Dataset, strategy: str) -> None:
    assignment = nearest_assignment(tongren)
    plan = advisors.schedule_visits(tongren, assignment, "2026-02", strategy=strategy)
    assert plan.feasible, plan.analysis.lines()
    days = {v.date for v in plan.visits}
    assert not days & {D(2026, 2, 16) + dt.timedelta(days=i) for i in range(8)}
    problem = VisitProblem(tongren, assignment, Period.parse("2026-02"))
    assert all(D(2026, 2, 14) in problem.open_days(v.id) for v in problem.villages()
               if problem.advisor_of(v.id) is not None
               and tongren.work_calendar.is_available(problem.advisor_of(v.id) or "",
                                                      D(2026, 2, 14)))


def test_tongren_saturday_14_february_can_be_used(tongren: advisors.Dataset) -> None:
    assignment = nearest_assignment(tongren)
    advisor = "adv-01"
    away = (Unavailability(advisor, D(2026, 2, 1), D(2026, 2, 13)),
            Unavailability(advisor, D(2026, 2, 15), D(2026, 2, 28)))
    ds = attrs.evolve(tongren, unavailability=(*tongren.unavailability, *away))
    plan = advisors.schedule_visits(ds, assignment, "2026-02", strategy="greedy")
    mine = [v for v in plan.visits if v.advisor == advisor]
    assert mine and {v.date for v in mine} == {D(2026, 2, 14)}
    assert not plan.analysis.by_rule().get("Non-working day")


# ---- invariants --------------------------------------------------------------------------

CLASSES = st.lists(st.sampled_from(["community", "suburban", "remote"]), min_size=1, max_size=7)
ABSENCES = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 25), st.integers(0, 9)),
                    max_size=3)
MONTHS = st.sampled_from(["2026-10", "2026-12", "2027-01", "2027-02", "2026-12-10..2027-01-20"])


def check_plan(ds: advisors.Dataset, assignment: Assignment, plan: VisitPlan) -> None:
    """Invariants of any visit plan, checked against the calendar directly."""
    cal = ds.work_calendar
    ids = [v.id for v in plan.visits]
    assert len(ids) == len(set(ids))
    start, end = ds.policy.visits.start, ds.policy.visits.end
    for v in plan.visits:
        township = ds.village_by_id[v.village].township
        assert cal.is_working_day(v.date, township) and cal.festival_on(v.date, township) is None
        assert cal.is_available(v.advisor, v.date)
        assert assignment.advisor_of[v.village] == v.advisor
        assert start <= v.start < v.end <= end
        assert v.id.startswith(f"visit/{v.village}/{v.date:%Y-%m}/")
    for (_, _), group in itertools.groupby(sorted(plan.visits, key=lambda v: (v.advisor, v.date)),
                                           key=lambda v: (v.advisor, v.date)):
        spans = sorted((v.start, v.end) for v in group)
        assert len(spans) <= max(ds.policy.visits.max_per_day, ds.policy.visits.max_per_day_nearby)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    reported = {s for v in plan.analysis.hard for s in v.subjects}
    for village in ds.villages:
        per_month = ds.policy.visits.per_month[village.service_class]
        for month in plan.period.months():
            full = Period.parse(month.label)
            if (month.start, month.end) != (full.start, full.end):
                continue
            got = sum(1 for v in plan.visits if v.village == village.id and v.date in month)
            assert got == per_month or village.id in reported


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CLASSES, st.integers(1, 3), ABSENCES, MONTHS, st.data())
def test_greedy_plans_keep_every_hard_rule(classes: list[str], n: int,
                                           absences: list[tuple[int, int, int]], month: str,
                                           data: st.DataObject) -> None:
    ds = small_dataset(classes, n, absences)
    owners = data.draw(st.lists(st.sampled_from([f"a{i}" for i in range(n)]),
                                min_size=len(classes), max_size=len(classes)))
    assignment = Assignment({v.id: a for v, a in zip(ds.villages, owners, strict=True)})
    plan = advisors.schedule_visits(ds, assignment, month, strategy="greedy")
    check_plan(ds, assignment, plan)
    assert VisitPlan.from_dict(plan.as_dict()) == plan
    assert advisors.schedule_visits(ds, assignment, month, strategy="greedy") == plan


@settings(max_examples=8, deadline=None)
@given(CLASSES, ABSENCES, MONTHS)
def test_cpsat_plans_keep_every_hard_rule_and_beat_greedy(
        classes: list[str], absences: list[tuple[int, int, int]], month: str) -> None:
    ds = small_dataset(classes, 1, absences)
    assignment = Assignment({v.id: "a0" for v in ds.villages})
    plan = advisors.schedule_visits(ds, assignment, month, strategy="cpsat")
    greedy = advisors.schedule_visits(ds, assignment, month, strategy="greedy")
    check_plan(ds, assignment, plan)
    assert len(plan.analysis.hard) <= len(greedy.analysis.hard)
    if plan.stats.status == "optimal" and len(plan.analysis.hard) == len(greedy.analysis.hard):
        assert plan.stats.objective is not None and greedy.stats.objective is not None
        assert plan.stats.bound is not None and plan.stats.bound <= plan.stats.objective
        assert plan.stats.objective <= greedy.stats.objective


def test_village_without_advisor_is_reported() -> None:
    ds = small_dataset(["remote", "community"], 1, ())
    plan = advisors.schedule_visits(ds, Assignment({"v00": "a0", "v01": None}), "2026-12",
                                    strategy="greedy")
    assert [v.subjects for v in plan.analysis.by_rule()["Village without advisor"]] == [("v01",)]
    assert not plan.feasible


def test_cpsat_models_what_greedy_leaves_irregular() -> None:
    # away for the first half of December: no two-a-month pattern fits, greedy must improvise
    ds = small_dataset(["community", "community", "suburban"], 1, [(0, 0, 13)])
    assignment = Assignment({v.id: "a0" for v in ds.villages})
    greedy = advisors.schedule_visits(ds, assignment, "2026-12", strategy="greedy")
    cpsat = advisors.schedule_visits(ds, assignment, "2026-12", strategy="cpsat")
    assert greedy.analysis.soft, "the case needs soft violations to be worth modelling"
    check_plan(ds, assignment, cpsat)
    assert cpsat.stats.objective is not None and greedy.stats.objective is not None
    assert cpsat.stats.bound is not None
    assert cpsat.stats.bound <= cpsat.stats.objective <= greedy.stats.objective
    assert advisors.schedule_visits(ds, assignment, "2026-12", strategy="cpsat") == cpsat
