"""Changes reach phones: UID stability, SEQUENCE, CANCELLED, byte-identical unchanged events."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.output import export
from advisors.plan.events import CalendarEvent, PublishedEvent, reconcile, stable_id

from .test_exporters import STAMP, publish, sample_events

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _vevents(path: Path) -> dict[str, bytes]:
    """UID → the raw VEVENT block (unfolded lines are compared as written)."""
    raw = path.read_bytes()
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", raw, flags=re.S)
    out = {}
    for block in blocks:
        event = icalendar.Event.from_ical(block)
        out[str(event["UID"])] = block
    return out


def _run(tongren: advisors.Dataset, tmp_path: Path) -> tuple[list[CalendarEvent],
                                                             list[CalendarEvent], Path, Path]:
    first = sample_events(tongren)
    v1 = publish(tongren, first)
    export(v1, tmp_path / "v1", names=["ics"])
    second = list(first)
    # move the first visit by a week, drop the second event, add a new hotline shift
    moved = attrs.evolve(second[0], start=second[0].start + dt.timedelta(days=7),
                         end=second[0].end + dt.timedelta(days=7))
    added = attrs.evolve(second[-2], id=stable_id("extra"),
                         start=second[-2].start + dt.timedelta(days=1),
                         end=second[-2].end + dt.timedelta(days=1))
    second = [moved, *second[2:], added]
    v2 = publish(tongren, second, v1.events, STAMP + dt.timedelta(days=3), 2)
    export(v2, tmp_path / "v2", names=["ics"])
    return first, second, tmp_path / "v1", tmp_path / "v2"


def test_uid_sequence_and_cancelled_across_two_runs(tongren: advisors.Dataset,
                                                    tmp_path: Path) -> None:
    first, _second, v1, v2 = _run(tongren, tmp_path)
    old = _vevents(v1 / "calendars" / "all.ics")
    new = _vevents(v2 / "calendars" / "all.ics")
    uid = {e.id: f"{e.id}@advisors.invalid" for e in first}
    moved, removed = uid[first[0].id], uid[first[1].id]
    extra = f"{stable_id('extra')}@advisors.invalid"
    assert set(new) == set(old) | {extra}
    parse = icalendar.Event.from_ical
    assert parse(new[moved])["SEQUENCE"] == 1 and parse(old[moved])["SEQUENCE"] == 0
    assert parse(new[moved])["DTSTART"].dt - parse(old[moved])["DTSTART"].dt == \
        dt.timedelta(days=7)
    assert parse(new[removed])["STATUS"] == "CANCELLED"
    assert parse(new[removed])["SEQUENCE"] == 1
    assert not parse(new[removed]).walk("VALARM")
    assert parse(new[extra])["SEQUENCE"] == 0
    unchanged = set(old) - {moved, removed}
    assert unchanged
    for key in unchanged:
        assert new[key] == old[key], key


def test_unchanged_feeds_are_byte_identical(tongren: advisors.Dataset, tmp_path: Path) -> None:
    first, second, v1, v2 = _run(tongren, tmp_path)
    touched = {o.replace(":", "/") for e in (*first[:2], second[-1]) for o in e.owners}
    touched.add("all")
    same = 0
    for path in (v1 / "calendars").rglob("*.ics"):
        feed = path.relative_to(v1 / "calendars").as_posix()[:-4]
        if feed not in touched:
            assert (v2 / "calendars" / f"{feed}.ics").read_bytes() == path.read_bytes(), feed
            same += 1
    assert same > 0


def test_cancelled_events_stay_for_the_retention_window(tongren: advisors.Dataset) -> None:
    events = sample_events(tongren)
    days = tongren.policy.calendar.cancelled_retention_days
    v1 = reconcile(events, stamp=STAMP)
    v2 = reconcile(events[1:], v1.events, stamp=STAMP + dt.timedelta(days=1))
    kept = reconcile(events[1:], v2.events, stamp=STAMP + dt.timedelta(days=1 + days))
    gone = reconcile(events[1:], v2.events, stamp=STAMP + dt.timedelta(days=2 + days))
    ident = events[0].id
    assert [e.cancelled for e in v2.events if e.event.id == ident] == [True]
    assert [e.sequence for e in kept.events if e.event.id == ident] == [1]
    assert ident not in {e.event.id for e in gone.events}
    assert not kept.changes and not gone.changes


def test_published_events_round_trip_through_json(tongren: advisors.Dataset) -> None:
    result = reconcile(sample_events(tongren), stamp=STAMP)
    for item in result.events:
        again = PublishedEvent.from_dict(item.as_dict())
        assert again == item
        assert again.event.start.tzinfo is not None
        assert getattr(again.event.start.tzinfo, "key", None) == "Asia/Shanghai"


def _event(ident: int, day: int, hour: int) -> CalendarEvent:
    start = dt.datetime(2026, 12, 1, 8, tzinfo=SHANGHAI) + dt.timedelta(days=day, hours=hour)
    return CalendarEvent(id=f"e{ident}", kind="visit", start=start,
                         end=start + dt.timedelta(hours=2), summary={"zh": f"事件{ident}"},
                         owners=[f"village:v{ident % 3}"])


versions = st.lists(
    st.dictionaries(st.integers(0, 8), st.tuples(st.integers(0, 20), st.integers(0, 6)),
                    max_size=8),
    min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(versions)
def test_sequence_rules_hold_over_any_history(history: list[dict[int, tuple[int, int]]]) -> None:
    previous: tuple[PublishedEvent, ...] = ()
    for n, plan in enumerate(history):
        events = [_event(i, d, h) for i, (d, h) in sorted(plan.items())]
        stamp = STAMP + dt.timedelta(days=n)
        result = reconcile(events, previous, stamp=stamp, retention_days=30)
        before = {p.event.id: p for p in previous}
        now = {p.event.id: p for p in result.events}
        assert len(now) == len(result.events)
        changes = {c.id: c.kind for c in result.changes}
        for event in events:
            item, old = now[event.id], before.get(event.id)
            assert item.event == event and not item.cancelled
            if old is None:
                assert item.sequence == 0 and changes[event.id] == "new"
            elif old.event == event and not old.cancelled:
                assert item == old and event.id not in changes
            else:
                assert item.sequence == old.sequence + 1 and item.stamp == stamp
        for ident, old in before.items():
            if ident in plan_ids(plan):
                continue
            if not old.cancelled:
                assert now[ident].cancelled and now[ident].sequence == old.sequence + 1
                assert changes[ident] == "cancelled"
            else:
                assert now[ident] == old
        previous = result.events


def plan_ids(plan: dict[int, tuple[int, int]]) -> set[str]:
    """Ids of the events of one generated plan."""
    return {f"e{i}" for i in plan}
