"""The main job: Plan JSON round trip, byte-identical reruns, atomic output, replanning."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
import recurring_ical_events

import advisors
from advisors import hookimpl
from advisors.cli import run
from advisors.model import Unavailability
from advisors.plan import plan as plan_module
from advisors.plan.plan import Plan, make_plan
from advisors.plugins import get_plugin_manager

from .conftest import TONGREN


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> Plan:
    return make_plan(tongren, "2026-12")


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_plan_round_trips_through_json(december: Plan) -> None:
    text = december.to_json()
    again = Plan.from_json(text)
    assert again == december
    assert again.to_json() == text


def test_plan_json_is_the_same_whatever_is_kept_for_an_events_second_place(
        december: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    text = december.to_json()
    assert text == json.dumps(december.as_dict(), ensure_ascii=False, indent=2,
                              sort_keys=True) + "\n"
    for keep in (0, 2_000):  # nothing kept; a few events' text kept, the rest made again
        monkeypatch.setattr(plan_module, "KEEP_JSON_CHARS", keep)
        assert december.to_json() == text


def test_first_plan_publishes_every_event_as_new(december: Plan) -> None:
    assert december.version == 1 and not december.has_previous
    assert {c.kind for c in december.changes} == {"new"}
    assert len(december.changes) == len(december.events)
    assert all(e.sequence == 0 for e in december.events)
    kinds = {e.event.kind for e in december.events}
    assert {"visit", "hotline", "training"} <= kinds
    visits = {v.id for v in december.visits.visits}
    assert len(visits) == sum(e.event.kind in ("visit", "lecture") for e in december.events)


def test_running_twice_gives_byte_identical_output(tmp_path: Path) -> None:
    codes = [run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / n),
                  "-q"]) for n in ("a", "b")]
    assert codes[0] == codes[1] and codes[0] in (0, 3)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second
    for expected in ("plan.json", "calendars/all.ics", "rosters/roster.csv", "report.html",
                     "notifications/index.csv"):
        assert expected in first
    assert any(name.startswith("notices/") for name in first)
    assert any(name.startswith("calendars/advisor/") for name in first)
    window = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2027, 2, 1, tzinfo=dt.UTC))
    for name in first:
        if name.endswith(".ics"):
            cal = icalendar.Calendar.from_ical((tmp_path / "a" / name).read_bytes())
            expanded = recurring_ical_events.of(cal).between(*window)
            assert len(expanded) == len(cal.walk("VEVENT")) > 0, name


def test_a_failure_midway_leaves_the_old_output_whole(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(out), "-q"]) in (0, 3)
    before = _tree(out)
    from advisors.output import exporters

    def broken(*args: Any) -> list[Path]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporters, "report", broken)
    code = run(["plan", str(TONGREN), "--period", "2027-01", "--out", str(out), "-q"])
    assert code == 1
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary left


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, Any]] = []

    @hookimpl
    def plan_published(self, plan: Any, changes: Any) -> None:
        self.calls.append((plan, changes))


def test_plan_published_hook_gets_the_plan_and_changes(tmp_path: Path) -> None:
    recorder = _Recorder()
    get_plugin_manager().register(recorder)
    code = run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "o"),
                "-q", "--exporters", "plan-json"])
    assert code in (0, 3)
    ((plan, changes),) = recorder.calls
    assert isinstance(plan, Plan) and changes == plan.changes
    assert Plan.read(tmp_path / "o" / "plan.json") == plan


def test_replanning_moves_only_what_it_must_and_bumps_sequence(tongren: advisors.Dataset,
                                                              december: Plan) -> None:
    # the advisor with the most visits in the second week becomes unavailable that week
    week = (dt.date(2026, 12, 14), dt.date(2026, 12, 18))
    in_week = [v for v in december.visits.visits if week[0] <= v.date <= week[1]]
    assert in_week
    advisor = max(sorted({v.advisor for v in in_week}),
                  key=lambda a: sum(v.advisor == a for v in in_week))
    absent = Unavailability(advisor, week[0], week[1], "病假")
    changed = attrs.evolve(tongren, unavailability=(*tongren.unavailability, absent))
    later = make_plan(changed, "2026-12", december)
    assert later.version == 2 and later.stamp > december.stamp
    before = {e.event.id: e for e in december.events}
    touched = {c.id for c in later.changes}
    for item in later.events:
        old = before.get(item.event.id)
        if item.event.id not in touched:
            assert old is not None and item == old  # unchanged: same SEQUENCE and DTSTAMP
        elif old is not None:
            assert item.sequence == old.sequence + 1 and item.stamp == later.stamp
    for item in later.events:
        event = item.event
        if advisor in event.owner_ids("advisor") and not item.cancelled:
            assert not (week[0] <= event.start.date() <= week[1])
    moved_or_cancelled = {c.id for c in later.changes if c.kind in ("moved", "cancelled")}
    absent_events = {e.event.id for e in december.events
                     if advisor in e.event.owner_ids("advisor")
                     and week[0] <= e.event.start.date() <= week[1]}
    assert absent_events <= moved_or_cancelled


def test_a_broken_previous_plan_is_bad_input(tmp_path: Path) -> None:
    broken = tmp_path / "plan.json"
    broken.write_text("{not json", "utf-8")
    code = run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "o"),
                "-q", "--previous", str(broken)])
    assert code == 2 and not (tmp_path / "o").exists()
