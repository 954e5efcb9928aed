"""Replanning visits: keep what can stay, move only what must, and say exactly what changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.assignment import Assignment
from advisors.cli import run
from advisors.errors import DataError
from advisors.model import Unavailability
from advisors.period import Period
from advisors.plan.diff import diff
from advisors.visits.visit_plan import VisitPlan

from .conftest import TONGREN
from .test_schedule_helpers import nearest_assignment, small_dataset

D = dt.date
WEEK = (D(2026, 12, 14), D(2026, 12, 18))


def _busiest_in_week(plan: VisitPlan) -> str:
    counts: dict[str, int] = {}
    for v in plan.visits:
        if WEEK[0] <= v.date <= WEEK[1]:
            counts[v.advisor] = counts.get(v.advisor, 0) + 1
    return min(counts, key=lambda a: (-counts[a], a))


def _away(ds: advisors.Dataset, who: str) -> advisors.Dataset:
    away = Unavailability(who, WEEK[0], WEEK[1], "病假")
    return attrs.evolve(ds, unavailability=(*ds.unavailability, away))


@pytest.mark.parametrize("strategy", ["greedy", "cpsat"])
def test_one_advisor_away_for_a_week_moves_only_their_visits(
        tongren: advisors.Dataset, strategy: str) -> None:
    assignment = nearest_assignment(tongren)
    before = advisors.schedule_visits(tongren, assignment, "2026-12", strategy=strategy)
    who = _busiest_in_week(before)
    affected = {v.id for v in before.visits
                if v.advisor == who and WEEK[0] <= v.date <= WEEK[1]}
    after = advisors.schedule_visits(_away(tongren, who), assignment, "2026-12",
                                     previous=before, strategy=strategy)
    changes = diff(before.visits, after.visits)
    assert after.feasible, after.analysis.lines()
    assert {b.id for _, b in changes.moved} == affected
    assert not changes.new and not changes.cancelled
    assert all(not WEEK[0] <= b.date <= WEEK[1] for _, b in changes.moved)
    assert len(changes.unchanged) == len(before.visits) - len(affected)


def test_replanning_unchanged_data_changes_nothing(tongren: advisors.Dataset) -> None:
    assignment = nearest_assignment(tongren)
    before = advisors.schedule_visits(tongren, assignment, "2026-12", strategy="greedy")
    after = advisors.schedule_visits(tongren, assignment, "2026-12", previous=before,
                                     strategy="cpsat")
    assert not diff(before.visits, after.visits).changed


def test_pinned_visit_stays_and_the_broken_rule_is_reported(tongren: advisors.Dataset) -> None:
    assignment = nearest_assignment(tongren)
    before = advisors.schedule_visits(tongren, assignment, "2026-12", strategy="greedy")
    who = _busiest_in_week(before)
    pin = next(v for v in before.visits if v.advisor == who and WEEK[0] <= v.date <= WEEK[1])
    after = advisors.schedule_visits(_away(tongren, who), assignment, "2026-12",
                                     previous=before, strategy="greedy", pinned=[pin.id])
    assert pin in after.visits
    assert [v.subjects[0] for v in after.analysis.by_rule()["Advisor unavailable"]] == [pin.id]
    with pytest.raises(DataError):
        advisors.schedule_visits(tongren, assignment, "2026-12", previous=before,
                                 pinned=["visit/nowhere/2026-12/1"])


def test_moved_visit_keeps_its_appointments(tongren: advisors.Dataset) -> None:
    assignment = nearest_assignment(tongren)
    before = advisors.schedule_visits(tongren, assignment, "2026-12", strategy="greedy")
    who = _busiest_in_week(before)
    target = next(v for v in before.visits if v.advisor == who and WEEK[0] <= v.date <= WEEK[1])
    booked = attrs.evolve(target, appointments=("appt-7", "appt-9"))
    before = attrs.evolve(before, visits=[booked if v is target else v for v in before.visits])
    after = advisors.schedule_visits(_away(tongren, who), assignment, "2026-12",
                                     previous=before, strategy="greedy")
    moved = next(v for v in after.visits if v.id == target.id)
    assert moved.date != target.date and moved.appointments == ("appt-7", "appt-9")


def test_plan_json_round_trip(tongren: advisors.Dataset) -> None:
    plan = advisors.schedule_visits(tongren, nearest_assignment(tongren), "2026-Q4",
                                    strategy="greedy")
    text = json.dumps(plan.as_dict(), ensure_ascii=False, sort_keys=True)
    assert VisitPlan.from_dict(json.loads(text)) == plan
    lectures = {v.village for v in plan.visits if v.lecture}
    assert lectures == {v.village for v in plan.visits}  # one lecture per village per quarter
    assert sum(v.lecture for v in plan.visits) == len(lectures)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["community", "suburban", "remote"]), min_size=2, max_size=7),
       st.integers(0, 1), st.integers(0, 24))
def test_replanning_touches_only_the_absent_advisor(classes: list[str], who: int,
                                                    first: int) -> None:
    ds = small_dataset(classes, 2, ())
    assignment = Assignment({v.id: f"a{i % 2}" for i, v in enumerate(ds.villages)})
    before = advisors.schedule_visits(ds, assignment, "2026-12", strategy="greedy")
    start = D(2026, 12, 1) + dt.timedelta(days=first)
    away = attrs.evolve(ds, unavailability=(Unavailability(f"a{who}", start,
                                                           start + dt.timedelta(days=6)),))
    after = advisors.schedule_visits(away, assignment, "2026-12", previous=before,
                                     strategy="greedy")
    changes = diff(before.visits, after.visits)
    touched = [a for a, _ in changes.moved] + list(changes.cancelled)
    assert all(v.advisor == f"a{who}" and start <= v.date <= start + dt.timedelta(days=6)
               for v in touched)
    assert all(v.advisor == f"a{who}" for v in changes.new)
    assert {v.id for v in touched} == {v.id for v in before.visits if v.advisor == f"a{who}"
                                       and start <= v.date <= start + dt.timedelta(days=6)}


# ---- the command line --------------------------------------------------------------------

def test_cli_schedule_writes_csv_and_replans(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    plan_json, out_csv = tmp_path / "plan.json", tmp_path / "visits.csv"
    assert run(["schedule", str(TONGREN), "--period", "2026-12", "--strategy", "greedy",
                "-o", str(plan_json)]) == 0
    assert run(["schedule", str(TONGREN), "--period", "2026-12", "--strategy", "greedy",
                "--previous", str(plan_json), "-o", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert "0 new, 0 moved, 0 cancelled" in out and "every rule holds" in out
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["date", "start", "end", "advisor", "village", "lecture"]
    assert len(rows) == len(json.loads(plan_json.read_text(encoding="utf-8"))["visits"])


def test_cli_schedule_json_and_bad_period(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schedule", str(TONGREN), "--period", "2026-13"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert run(["schedule", str(TONGREN), "--period", "2026-12", "--strategy", "greedy",
                "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["plan"]["kind"] == "visits" and payload["changes"] is None


def test_diff_sorts_events_into_new_moved_cancelled_unchanged() -> None:
    from advisors.visits.visit_plan import Visit

    def v(n: int, day: int, advisor: str = "a0") -> Visit:
        return Visit(f"visit/v1/2026-12/{n}", "v1", advisor, D(2026, 12, day), "09:00", "17:00")

    old = [v(1, 8), v(2, 22), v(3, 15)]
    new = [v(1, 8), v(2, 23), v(4, 29), v(3, 15, "a1")]
    changes = diff(old, new)
    assert changes.ids() == {"new": ["visit/v1/2026-12/4"],
                             "moved": ["visit/v1/2026-12/2", "visit/v1/2026-12/3"],
                             "cancelled": [], "unchanged": ["visit/v1/2026-12/1"]}
    gone = diff(old, new[:1], within=Period.parse("2026-12-01..2026-12-20"))
    assert [e.id for e in gone.cancelled] == ["visit/v1/2026-12/3"]
