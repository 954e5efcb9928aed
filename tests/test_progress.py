"""Training progress: attendance → hours, completion, certification, removal, gaps."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import attrs
import pytest

import advisors
from advisors import Attendance, DataError
from advisors.cli import run

from .conftest import TONGREN


@pytest.fixture(scope="module")
def plan(tongren: advisors.Dataset) -> advisors.TrainingPlan:
    return advisors.plan_training(tongren, "2027", strategy="greedy")


def _independent_below(data: advisors.Dataset) -> set[str]:
    active = Counter(p.village for p in data.people
                     if p.role == "legal_savvy" and p.status == "active")
    return {v.id for v in data.villages
            if active[v.id] < data.policy.training.legal_savvy_per_village}


def test_tongren_report_shows_villages_below_target(tongren: advisors.Dataset) -> None:
    report = advisors.training_progress(tongren)
    below = {v.village for v in report.villages_below_target()}
    assert below == _independent_below(tongren)
    assert below, "the example has villages below target"
    per_township = {t.township: set(t.villages_below_target) for t in report.townships}
    for village in below:
        assert village in per_township[tongren.village_by_id[village].township]


def test_hours_completion_and_certification(tongren: advisors.Dataset,
                                            plan: advisors.TrainingPlan) -> None:
    candidate = next(p for p in tongren.people if p.status == "candidate")
    active = next(p for p in tongren.people if p.status == "active" and p.role == "legal_savvy")
    first, second = plan.sessions_of(candidate.id)[:2]
    rows = [Attendance(first.id, candidate.id, 3), Attendance(second.id, candidate.id, 3),
            Attendance(plan.sessions_of(active.id)[0].id, active.id, 3)]
    report = advisors.training_progress(tongren, rows, plan)
    by_id = {p.person: p for p in report.people}
    c, a = by_id[candidate.id], by_id[active.id]
    assert (c.sessions, c.hours, c.completion) == (2, 6.0, 1.0)
    assert c.certification_eligible and not c.behind_target
    assert (a.sessions, a.hours, a.completion) == (1, 3.0, 0.5)
    assert a.behind_target and not a.certification_eligible
    short = advisors.training_progress(tongren, rows[:1], plan)
    assert not {p.person: p for p in short.people}[candidate.id].certification_eligible
    # before the year is out, what is still planned keeps people on track
    early = advisors.training_progress(tongren, rows[:1], plan, as_of=dt.date(2027, 1, 1))
    assert not {p.person: p for p in early.people}[candidate.id].behind_target


def test_due_for_removal_after_months_without_attendance(tongren: advisors.Dataset) -> None:
    person = next(p for p in tongren.people if p.status == "active" and p.role == "legal_savvy")
    old = attrs.evolve(person, certified_on=dt.date(2020, 1, 1))
    data = attrs.evolve(tongren, people=tuple(old if p.id == person.id else p
                                              for p in tongren.people))
    report = advisors.training_progress(data, [], as_of=dt.date(2027, 6, 30))
    row = {p.person: p for p in report.people}[person.id]
    assert row.due_for_removal
    recent = [Attendance(f"training/{report.people[0].township}/2027-03/1", person.id, 3)]
    again = advisors.training_progress(data, recent, as_of=dt.date(2027, 6, 30))
    assert not {p.person: p for p in again.people}[person.id].due_for_removal
    village = {v.village: v for v in report.villages}[person.village]
    assert person.id in village.due_for_removal
    assert village.must_nominate >= 1


def test_unknown_session_and_person_are_located(tongren: advisors.Dataset,
                                                plan: advisors.TrainingPlan) -> None:
    good = plan.sessions[0]
    rows = [Attendance(good.id, good.participants[0], 3),
            Attendance("training/longwu/2027-13/1", good.participants[0], 3),
            Attendance(good.id, "nobody", 3)]
    with pytest.raises(DataError) as err:
        advisors.training_progress(tongren, rows, plan, origins=[2, 3, 4])
    problems = err.value.problems
    assert [(p.source, p.line, p.field, p.value) for p in problems] == [
        ("attendance.csv", 3, "session", "training/longwu/2027-13/1"),
        ("attendance.csv", 4, "person", "nobody")]
    with pytest.raises(DataError) as err:
        advisors.training_progress(tongren, rows[1:2])
    assert err.value.problems[0].line is None
    assert "row 1" in err.value.problems[0].message


def test_cli_progress_json(capsys: pytest.CaptureFixture[str],
                           tongren: advisors.Dataset) -> None:
    assert run(["progress", str(TONGREN), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    below = {v["village"] for v in data["villages"] if v["below_target"]}
    assert below == _independent_below(tongren)
    assert run(["progress", str(TONGREN)]) == 0
    text = capsys.readouterr().out
    assert f"{len(below)} villages below 3" in text


def test_report_json_round_trip(tongren: advisors.Dataset, plan: advisors.TrainingPlan) -> None:
    rows = [Attendance(s.id, p, 3) for s in plan.sessions[:5] for p in s.participants]
    report = advisors.training_progress(tongren, rows, plan)
    back = advisors.TrainingProgress.from_json(report.to_json())
    assert back == report
    assert back.to_json() == report.to_json()


def test_missed_booked_sessions_count_and_can_mean_removal(
        tongren: advisors.Dataset, plan: advisors.TrainingPlan) -> None:
    active = [p for p in tongren.people if p.status == "active" and p.role == "legal_savvy"
              and len(plan.sessions_of(p.id)) >= 2]
    kept, dropped = active[0], active[1]
    first, second = plan.sessions_of(kept.id)[:2]
    rows = [Attendance(first.id, kept.id, 3), Attendance(second.id, kept.id, 3),
            Attendance(plan.sessions_of(dropped.id)[0].id, dropped.id, 3)]
    as_of = max(first.date, second.date, plan.sessions_of(dropped.id)[1].date)
    booked = {p: sum(1 for s in plan.sessions_of(p) if s.date <= as_of) for p in
              (kept.id, dropped.id)}
    report = advisors.training_progress(tongren, rows, plan, as_of=as_of)
    by_id = {p.person: p for p in report.people}
    assert by_id[kept.id].missed == booked[kept.id] - 2
    assert by_id[dropped.id].missed == booked[dropped.id] - 1 >= 1
    assert not by_id[dropped.id].due_for_removal  # off by default: attended this year
    strict = attrs.evolve(tongren, policy=attrs.evolve(
        tongren.policy, training=attrs.evolve(tongren.policy.training,
                                              removal_after_missed=by_id[dropped.id].missed)))
    again = {p.person: p for p in
             advisors.training_progress(strict, rows, plan, as_of=as_of).people}
    assert again[dropped.id].due_for_removal
    assert again[kept.id].due_for_removal == (
        0 < by_id[dropped.id].missed <= by_id[kept.id].missed)
    # without a plan nothing is known to be missed
    assert all(p.missed == 0 for p in advisors.training_progress(tongren, rows).people)
