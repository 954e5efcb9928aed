"""Promises stay put: a one-off absence moves one occurrence, never the notice board's pattern."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.cli import run
from advisors.output import export
from advisors.plan.plan import Plan, make_plan
from advisors.visits.patterns import Pattern, one_off_moves
from advisors.visits.problem import VisitProblem

from .conftest import TONGREN

WEEK = (dt.date(2026, 12, 14), dt.date(2026, 12, 18))


def test_one_off_moves_pair_missed_pattern_days_with_the_days_held() -> None:
    first_third_tuesday = Pattern(1, (1, 3))
    held = [dt.date(2026, 12, 1), dt.date(2026, 12, 17)]  # the 15th moved to the 17th
    assert one_off_moves(first_third_tuesday, held) == ((dt.date(2026, 12, 15),
                                                          dt.date(2026, 12, 17)),)
    assert one_off_moves(first_third_tuesday, [dt.date(2026, 12, 1), dt.date(2026, 12, 15)]
                         ) == ()
    # another count in a month is no one-off change of this pattern
    assert one_off_moves(first_third_tuesday, [dt.date(2026, 12, 1)]) is None


def _absent_week(tongren: advisors.Dataset, plan: Plan) -> tuple[str, advisors.Dataset]:
    """An advisor with a visit in the week, and the dataset where they are away all of it."""
    advisor = next(v.advisor for v in plan.visits.visits if WEEK[0] <= v.date <= WEEK[1])
    away = advisors.Unavailability(advisor, WEEK[0], WEEK[1], "court hearings")
    return advisor, attrs.evolve(tongren, unavailability=(*tongren.unavailability, away))


def _pattern_texts(out: Path) -> dict[str, str]:
    texts = {}
    for notice in sorted((out / "notices").glob("*.html")):
        found = re.search(r"每月第[^<]*", notice.read_text(encoding="utf-8"))
        texts[notice.stem] = found.group(0) if found else ""
    return texts


def test_a_week_away_changes_that_week_only_and_no_pattern(tmp_path: Path,
                                                          tongren: advisors.Dataset) -> None:
    first = make_plan(tongren, "2026-12")
    advisor, away = _absent_week(tongren, first)
    second = make_plan(away, "2026-12", previous=first)
    changed = [c for c in second.changes if c.kind != "unchanged"]
    assert changed, "the absence must move something"
    for c in changed:
        before = c.previous.event if c.previous is not None else c.current.event
        assert WEEK[0] <= before.start.date() <= WEEK[1], c.current.event.id
    assert second.feasible and second.timetable.feasible
    assert Plan.from_json(second.to_json()) == second  # the moves travel in plan.json
    export(first.publication(tongren), tmp_path / "first", names=["notices"])
    export(second.publication(away), tmp_path / "second", names=["notices"])
    before, after = _pattern_texts(tmp_path / "first"), _pattern_texts(tmp_path / "second")
    assert any(before.values())
    assert before == after
    # the notice of a village whose day moved says so, once
    moved = sorted(second.visits.moves)
    assert moved
    for village in moved:
        text = (tmp_path / "second" / "notices" / f"{village}.html").read_text(encoding="utf-8")
        (old, new), = second.visits.moves[village]
        assert f"{old.month}月{old.day}日改至{new.month}月{new.day}日" in text
        assert not WEEK[0] <= new <= WEEK[1]
        assert {v.advisor for v in second.visits.visits_of(village)} == {advisor}


def test_the_pattern_text_stays_into_the_next_month(tongren: advisors.Dataset) -> None:
    november = make_plan(tongren, "2026-11")
    _, away = _absent_week(tongren, make_plan(tongren, "2026-12"))
    december = make_plan(away, "2026-12", previous=november)
    kept = [v for v, p in november.visits.patterns.items()
            if p is not None and december.visits.patterns.get(v) is not None]
    assert kept
    assert all(december.visits.patterns[v] == november.visits.patterns[v] for v in kept)


def _problem(dataset: advisors.Dataset, previous: Plan, **kw: object) -> VisitProblem:
    return VisitProblem(dataset, previous.assignment, advisors.Period.parse("2026-12"),
                        previous.visits, **kw)  # type: ignore[arg-type]


def test_a_pattern_changes_with_the_advisor_or_when_asked(tongren: advisors.Dataset) -> None:
    plan = make_plan(tongren, "2026-12")
    village = next(v for v, p in sorted(plan.visits.patterns.items()) if p is not None)
    assert _problem(tongren, plan).promised(village) == plan.visits.patterns[village]
    assert _problem(tongren, plan, repattern=True).promised(village) is None
    other = next(a.id for a in tongren.advisors if a.id != plan.assignment.advisor_of[village])
    changed = attrs.evolve(plan.assignment,
                           advisor_of={**plan.assignment.advisor_of, village: other})
    problem = VisitProblem(tongren, changed, advisors.Period.parse("2026-12"), plan.visits)
    assert problem.promised(village) is None


@pytest.mark.parametrize("strategy", ["greedy", "cpsat"])
def test_every_strategy_keeps_the_promise(strategy: str, tongren: advisors.Dataset) -> None:
    first = make_plan(tongren, "2026-12")
    _, away = _absent_week(tongren, first)
    second = advisors.schedule_visits(away, first.assignment, "2026-12", previous=first.visits,
                                      strategy=strategy)
    for village, pattern in first.visits.patterns.items():
        if pattern is not None:
            assert second.patterns[village] == pattern, village


def test_cli_keeps_the_promise_unless_repattern(tmp_path: Path,
                                                tongren: advisors.Dataset) -> None:
    data = tmp_path / "data"
    shutil.copytree(TONGREN, data)
    assert run(["plan", str(data), "--period", "2026-12", "--out", str(tmp_path / "a"),
                "-q"]) == 0
    first = Plan.read(tmp_path / "a" / "plan.json")
    advisor, _ = _absent_week(tongren, first)
    with open(data / "unavailability.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{advisor},{WEEK[0]},{WEEK[1]},court hearings\n")
    previous = str(tmp_path / "a" / "plan.json")
    assert run(["plan", str(data), "--period", "2026-12", "--out", str(tmp_path / "b"),
                "--previous", previous, "-q"]) == 0
    kept = Plan.read(tmp_path / "b" / "plan.json")
    assert kept.visits.moves and kept.visits.patterns == first.visits.patterns
    assert run(["plan", str(data), "--period", "2026-12", "--out", str(tmp_path / "c"),
                "--previous", previous, "--repattern", "-q"]) == 0
    assert not Plan.read(tmp_path / "c" / "plan.json").visits.moves
