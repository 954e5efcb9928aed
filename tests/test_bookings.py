"""Legal-aid priority requests: booked on a service day, an extra home visit, or not met."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advisors
from advisors.assignment import Assignment
from advisors.errors import DataError
from advisors.model import Advisor, Request, Township, Unavailability, Village
from advisors.visits.bookings import REQUEST_RULES, deadline_of
from advisors.visits.problem import VisitProblem

from .conftest import TONGREN

D = dt.date
PERIOD = "2026-12"


def _dataset(requests: list[Request], absences: list[Unavailability] = (),  # type: ignore[assignment]
             village_langs: str = "bo;zh", record_langs: str = "bo;zh",
             legal_aid_langs: str = "bo;zh", **request_policy: object) -> advisors.Dataset:
    policy = advisors.Policy()
    if request_policy:
        policy = attrs.evolve(policy, requests=attrs.evolve(policy.requests, **request_policy))
    return advisors.Dataset(
        [Township("t1", "甲乡")],
        [Village("v1", "一村", "t1", "village", "remote", village_langs, 35.5, 102.0)],
        [Advisor("a1", "顾问甲", "lawyer", "律所", record_langs, 35.5, 102.01),
         Advisor("la1", "援助甲", "legal_aid", "法律援助中心", legal_aid_langs, 35.5, 102.02)],
        requests=requests, unavailability=list(absences), policy=policy)


def _plan(ds: advisors.Dataset) -> advisors.VisitPlan:
    return advisors.schedule_visits(ds, Assignment({"v1": "a1"}), PERIOD, strategy="greedy")


def _req(ident: str = "r1", group: str = "elderly", kind: str = "home_visit",
         received: dt.date = dt.date(2026, 12, 1), languages: str = "") -> Request:
    return Request(ident, "v1", group, kind, received, languages, "私人备注")


def test_deadline_counts_working_days_of_the_township() -> None:
    ds = _dataset([])
    problem = VisitProblem(ds, Assignment({"v1": "a1"}), advisors.Period.parse(PERIOD))
    # Friday 4 December + 5 working days: 7, 8, 9, 10, 11 December (the weekend does not count)
    assert deadline_of(problem, _req(received=D(2026, 12, 4))) == D(2026, 12, 11)
    # not a priority group: 10 working days
    assert deadline_of(problem, _req(group="other", received=D(2026, 12, 4))) == D(2026, 12, 18)


def test_a_request_goes_onto_the_village_service_day_in_time() -> None:
    (day,) = [v.date for v in _plan(_dataset([])).visits]
    plan = _plan(_dataset([_req(received=day - dt.timedelta(days=1))]))
    (visit,) = plan.visits
    (booking,) = plan.bookings
    assert booking.event == visit.id and visit.appointments == ("r1",)
    assert booking.met and not plan.home_visits and plan.feasible


def _after_the_visit() -> dt.date:
    (day,) = [v.date for v in _plan(_dataset([])).visits]
    return day + dt.timedelta(days=1)


def test_no_service_day_in_time_gives_an_extra_home_visit_by_legal_aid_staff() -> None:
    received = _after_the_visit()
    plan = _plan(_dataset([_req(received=received)]))
    (booking,) = plan.bookings
    (home,) = plan.home_visits
    assert (home.id, home.advisor, booking.event) == ("home/r1", "la1", "home/r1")
    assert received < home.date <= booking.deadline
    assert all(v.date != home.date or v.advisor != home.advisor for v in plan.visits)


def test_an_other_request_goes_to_the_advisor_of_record() -> None:
    plan = _plan(_dataset([_req(group="other", received=_after_the_visit())]))
    (home,) = plan.home_visits
    assert home.advisor == "a1"


def test_a_language_nobody_may_serve_in_is_a_hard_violation_that_says_why() -> None:
    ds = _dataset([_req(group="other", languages="bo", received=D(2026, 12, 1))],
                  village_langs="zh", record_langs="zh")
    plan = _plan(ds)
    (v,) = [v for v in plan.analysis.hard if v.rule == "Request not met in time"]
    assert "a1 does not speak bo" in v.message and v.subjects == ("r1",)
    assert not plan.feasible and plan.bookings[0].event == ""


def test_an_absent_advisor_is_named_with_the_reason() -> None:
    away = Unavailability("a1", D(2026, 12, 1), D(2026, 12, 31), "病假")
    plan = _plan(_dataset([_req(group="other", received=D(2026, 12, 2))], [away]))
    (v,) = [v for v in plan.analysis.hard if v.rule == "Request not met in time"]
    assert "a1 has no free working day" in v.message and "病假" in v.message


def test_a_request_due_after_the_period_waits_for_the_next_plan() -> None:
    plan = _plan(_dataset([_req(group="other", received=D(2026, 12, 30))],
                          [Unavailability("a1", D(2026, 12, 1), D(2026, 12, 31))]))
    (booking,) = plan.bookings
    assert booking.event == "" and "next period" in booking.reason
    assert not [v for v in plan.analysis.violations if v.rule == "Request not met in time"]


def test_legal_aid_staff_preferred_is_a_soft_match() -> None:
    rule = next(r for r in REQUEST_RULES if r.name == "Legal-aid staff preferred")
    away = Unavailability("la1", D(2026, 12, 1), D(2026, 12, 31), "出差")
    plan = _plan(_dataset([_req(received=_after_the_visit())], [away]))
    (home,) = plan.home_visits
    assert home.advisor == "a1" and not rule.hard
    assert [v.rule for v in plan.analysis.soft if "home/r1" in v.subjects] == [rule.name]


def test_plan_json_has_ids_never_the_note(tmp_path: Path) -> None:
    plan = _plan(_dataset([_req(received=_after_the_visit())]))
    text = json.dumps(plan.as_dict(), ensure_ascii=False)
    assert "r1" in text and "私人备注" not in text and "elderly" not in text
    assert advisors.VisitPlan.from_dict(json.loads(text)) == plan


def test_chinese_group_and_kind_names_are_read_and_bad_ones_located(tmp_path: Path) -> None:
    import shutil
    root = tmp_path / "ds"
    shutil.copytree(TONGREN, root)
    (root / "requests.csv").write_text(
        "id,village,group,kind,received_on,languages,note\n"
        "q1,longwu-jiamao,老年人,上门服务,2026-12-01,bo,x\n"
        "q2,longwu-jiamao,农民工,预约咨询,2026-12-01,,y\n", encoding="utf-8")
    ds = advisors.read_folder(root)
    assert [(r.group, r.kind) for r in ds.requests] == [
        ("elderly", "home_visit"), ("migrant_worker", "consultation")]
    (root / "requests.csv").write_text(
        "id,village,group,kind,received_on,languages,note\n"
        "q1,longwu-jiamao,游客,上门服务,2026-12-01,bo,x\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        advisors.read_folder(root)
    problem = err.value.problems[0]
    assert (problem.source, problem.line, problem.field) == ("requests.csv", 2, "group")


def test_the_ledger_counts_a_kept_home_visit() -> None:
    ds = _dataset([_req(received=_after_the_visit())])
    plan = _plan(ds)
    (home,) = plan.home_visits
    record = advisors.ServiceRecord(home.advisor, "v1", home.date, "09:00", "12:00",
                                    "home_visit", appointment="r1")
    ledger = advisors.match_ledger(ds, plan, [record])
    assert (ledger.total.appointments_planned, ledger.total.appointments_kept) == (1, 1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["elderly", "other", "minor"]),
                          st.sampled_from(["home_visit", "consultation"])),
                min_size=1, max_size=8),
       st.integers(0, 20))
def test_every_booking_is_in_time_or_explained(items: list[tuple[int, str, str]],
                                               away: int) -> None:
    requests = [_req(f"r{i}", group, kind, D(2026, 11, 20) + dt.timedelta(days=offset))
                for i, (offset, group, kind) in enumerate(items)]
    absences = [Unavailability("a1", D(2026, 12, 1) + dt.timedelta(days=away),
                               D(2026, 12, 1) + dt.timedelta(days=away + 6))]
    plan = _plan(_dataset(requests, absences))
    unmet = {v.subjects[0] for v in plan.analysis.hard if v.rule == "Request not met in time"}
    for b in plan.bookings:
        request = next(r for r in requests if r.id == b.request)
        assert b.met or b.reason, b
        if b.met:
            assert b.date is not None and request.received_on < b.date <= b.deadline
        elif b.deadline <= plan.period.end:
            assert b.request in unmet
    busy = [(v.advisor, v.date) for v in plan.visits] + [
        (h.advisor, h.date) for h in plan.home_visits]
    homes = [(h.advisor, h.date) for h in plan.home_visits]
    assert all(busy.count(day) == 1 for day in homes)
    assert not [v for v in plan.analysis.hard if v.rule == "Home visit clash"]


def test_the_tongren_example_books_its_requests_and_says_which_cannot_be_met(
        tongren: advisors.Dataset) -> None:
    assignment = advisors.assign(tongren)
    december = advisors.schedule_visits(tongren, assignment, "2026-12")
    met = {b.request for b in december.bookings if b.met}
    assert len(met) >= 4 and not [v for v in december.analysis.hard if "request" in v.message]
    assert any(h.advisor in {a.id for a in tongren.advisors if a.role == "legal_aid"}
               for h in december.home_visits)
    january = advisors.schedule_visits(tongren, assignment, "2027-01")
    unmet = [v for v in january.analysis.hard if v.rule == "Request not met in time"]
    assert len(unmet) == 1
    away = next(s for s in tongren.unavailability if s.who == "adv-16")
    assert "adv-16" in unmet[0].message and away.reason in unmet[0].message


def test_a_portal_adds_a_request_and_rebooks_on_the_published_plan(
        tongren: advisors.Dataset) -> None:
    first = advisors.make_plan(tongren, "2026-12")
    request = Request("req-2026-201", "longwu-jiamao", "老年人", "上门服务", dt.date(2026, 12, 9),
                      "bo", "私人备注")
    more = attrs.evolve(tongren, requests=(*tongren.requests, request))
    second = advisors.make_plan(more, "2026-12", first)
    booking = {b.request: b for b in second.visits.bookings}[request.id]
    assert booking.met and dt.date(2026, 12, 9) < booking.date <= booking.deadline
    new = [c for c in second.changes if c.kind != "unchanged"]
    assert [c.kind for c in new] == ["new"] and new[0].current.event.kind == "appointment"
    assert "私人备注" not in second.to_json()
