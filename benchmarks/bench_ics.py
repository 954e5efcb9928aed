"""Calendar export: the library's feed writer against icalendar used directly, same run.

Run:  python benchmarks/bench_ics.py [--events 100000]

Scenarios (each in a fresh subprocess, see ``common.measure``):

1. **one feed**: every event into one ``.ics``;
2. **every feed**: one feed per advisor, village and township plus one of
   everything — each event is in four feeds;
3. **memory vs feeds**: the library writing the same events split into
   few or many feeds; peak memory should not grow with the number of feeds.

The direct icalendar code builds the same VEVENTs (same properties, alarms,
attendees, the same single-component VTIMEZONE) as a user would: one
``Calendar`` per feed, ``to_ical()``, write. Target: the library ≤ 1.1× the
direct time. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure

ZONE = "Asia/Shanghai"
STAMP = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def make_events(count: int, villages: int) -> list:  # type: ignore[type-arg]
    """``count`` visit events over ``villages`` villages (4 per advisor, 20 per township)."""
    from advisors.plan.events import CalendarEvent, Party, PublishedEvent, stable_id

    zone = ZoneInfo(ZONE)
    out = []
    for i in range(count):
        v = i % villages
        advisor, township = v // 4, v // 20
        day = dt.date(2026, 12, 1) + dt.timedelta(days=(i // villages) % 365)
        start = dt.datetime.combine(day, dt.time(9), tzinfo=zone)
        event = CalendarEvent(
            id=stable_id("visit", v, i), kind="visit", start=start,
            end=start + dt.timedelta(hours=8),
            summary={"zh": f"法律顾问到村服务：第{v}村"},
            description={"zh": f"法律顾问：律师{advisor}\n联系电话：1000000{advisor:04d}\n"
                               "12348公共法律服务热线"},
            languages=("zh",), location=f"第{v}村（第{township}乡）",
            geo=(35.0 + v / 10000, 102.0 + v / 10000),
            attendees=(Party(f"律师{advisor}", f"lawyer{advisor}@example.org"),),
            owners=[f"advisor:a{advisor}", f"village:v{v}", f"township:t{township}"],
        )
        out.append(PublishedEvent(event, 0, STAMP))
    return out


def groups(events: list, every: bool) -> dict[str, list[int]]:  # type: ignore[type-arg]
    """Feed → event indexes: only ``all``, or every owner's feed too."""
    from advisors.output.ics import feed_members

    out: dict[str, list[int]] = {}
    for i, item in enumerate(events):
        for feed in (feed_members(item.event.owners) if every else ["all"]):
            out.setdefault(feed, []).append(i)
    return out


def direct(count: int, villages: int, every: bool) -> float:
    """icalendar used directly: one Calendar per feed, to_ical, write."""
    import icalendar

    from advisors.output.ics import PUBLIC_FEEDS, vtimezone

    events = make_events(count, villages)
    feeds = groups(events, every)
    first = min(e.event.start.date() for e in events)
    last = max(e.event.end.date() for e in events)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        for feed, indexes in sorted(feeds.items()):
            cal = icalendar.Calendar()
            for key, value in (("prodid", "-//bench//x//ZH"), ("version", "2.0"),
                               ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                               ("x-wr-calname", feed), ("x-wr-timezone", ZONE)):
                cal.add(key, value)
            cal.add_component(vtimezone(ZONE, first, last))
            private = feed.split("/")[0] not in PUBLIC_FEEDS
            for i in indexes:
                item = events[i]
                e = item.event
                ev = icalendar.Event()
                ev.add("uid", f"{e.id}@bench.invalid")
                ev.add("dtstamp", item.stamp)
                ev.add("sequence", item.sequence)
                ev.add("status", item.status)
                ev.add("dtstart", e.start)
                ev.add("dtend", e.end)
                ev.add("summary", e.text("summary", "zh"))
                ev.add("description", e.text("description", "zh"))
                ev.add("location", e.location)
                ev.add("geo", e.geo)
                ev.add("categories", ["VISIT"])
                ev.add("transp", "OPAQUE")
                if private:
                    for p in e.attendees:
                        ev.add("attendee", icalendar.vCalAddress(f"mailto:{p.email}"),
                               parameters={"CN": p.name, "ROLE": p.role,
                                           "PARTSTAT": "NEEDS-ACTION",
                                           "CUTYPE": "INDIVIDUAL"})
                for minutes in (1440, 60):
                    alarm = icalendar.Alarm()
                    alarm.add("action", "DISPLAY")
                    alarm.add("description", e.text("summary", "zh"))
                    alarm.add("trigger", dt.timedelta(minutes=-minutes))
                    ev.add_component(alarm)
                cal.add_component(ev)
            path = Path(tmp) / f"{feed}.ics"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(cal.to_ical())
        return time.perf_counter() - t0


def library(count: int, villages: int, every: bool) -> float:
    """The library's FeedWriter: each VEVENT serialised once, feeds streamed."""
    from advisors.output import OutputFolder
    from advisors.output.ics import FeedWriter

    events = make_events(count, villages)
    writer = FeedWriter(domain="bench.invalid", zone=ZONE, alarms=(1440, 60))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        if every:
            writer.write_all(OutputFolder(tmp), events)
        else:
            writer.write_feed(Path(tmp) / "all.ics", "all", events, private=True)
        return time.perf_counter() - t0


def main() -> None:
    """Run the scenarios and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    n = args.events
    rows = []
    for label, every in (("one feed", False), ("every feed", True)):
        villages = max(20, n // 12)
        _, d_mb, d_inner = measure(direct, n, villages, every)
        _, l_mb, l_inner = measure(library, n, villages, every)
        feeds = 1 if not every else 1 + villages + villages // 4 + villages // 20
        rows.append((f"{label} ({feeds:,} feeds)", d_inner, d_mb, l_inner, l_mb))
    print(f"\n### Calendar export, {n:,} events\n")
    print("| scenario | icalendar direct s | MB | advisors s | MB | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, d, dmb, lib, lmb in rows:
        print(f"| {label} | {d:.2f} | {dmb:.0f} | {lib:.2f} | {lmb:.0f} | {lib / d:.2f}× |")
    print(f"\n### advisors memory against the number of feeds ({n:,} events)\n")
    print("| villages (feeds) | s | peak MB |")
    print("|---:|---:|---:|")
    for villages in (40, 400, 4000, 40000):
        if villages > n:
            continue
        _, mb, inner = measure(library, n, villages, True)
        feeds = 1 + villages + villages // 4 + villages // 20
        print(f"| {villages:,} ({feeds:,}) | {inner:.2f} | {mb:.0f} |")


if __name__ == "__main__":
    main()
