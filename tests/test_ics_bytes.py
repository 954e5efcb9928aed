"""The feeds' bytes are icalendar's: arbitrary events, and the example's real ones, feed by feed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.output import OutputFolder
from advisors.output.base import ExportOptions
from advisors.output.exporters import feed_names, feed_writer
from advisors.output.ics import FeedWriter
from advisors.plan.events import EVENT_KINDS, LANGUAGES, CalendarEvent, Party, PublishedEvent

from .ics_reference import reference_feed, reference_vevent
from .test_contentline import ZONES, one_line, texts
from .test_exporters import publish, sample_events

SHANGHAI = ZoneInfo("Asia/Shanghai")

parties = st.builds(Party, name=texts, email=st.one_of(st.just(""), one_line),
                    role=st.sampled_from(["REQ-PARTICIPANT", "OPT-PARTICIPANT", "CHAIR"]) | texts)


@st.composite
def published(draw: st.DrawFn) -> PublishedEvent:
    """An event of any shape the exporter can be given: texts, zones, people, status."""
    start = draw(st.datetimes(min_value=dt.datetime(1990, 1, 1),
                              max_value=dt.datetime(2090, 1, 1))).replace(
        tzinfo=draw(st.sampled_from(ZONES)))
    kind = draw(st.sampled_from(EVENT_KINDS))
    localized = st.dictionaries(st.sampled_from(LANGUAGES), texts, max_size=3)
    event = CalendarEvent(
        id=draw(st.text("0123456789abcdef", min_size=1, max_size=20)),
        kind=kind, start=start,
        end=start + dt.timedelta(minutes=draw(st.integers(1, 20_000))),
        summary=draw(localized), description=draw(localized),
        languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), unique=True, max_size=3))),
        location=draw(texts),
        geo=draw(st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
        organizer=draw(st.none() | parties),
        attendees=tuple(draw(st.lists(parties, max_size=3))),
        status=draw(st.sampled_from(["CONFIRMED", "TENTATIVE", "CANCELLED"])),
        extra={"home": "1"} if kind == "appointment" and draw(st.booleans()) else {})
    stamp = draw(st.datetimes(min_value=dt.datetime(1990, 1, 1),
                              max_value=dt.datetime(2090, 1, 1))).replace(tzinfo=SHANGHAI)
    return PublishedEvent(event, sequence=draw(st.integers(0, 10_000)), stamp=stamp,
                          cancelled=draw(st.booleans()))


writers = st.builds(FeedWriter, domain=st.sampled_from(["advisors.invalid", "例子.中国"]),
                    alarms=st.lists(st.integers(0, 20_000), max_size=3).map(tuple),
                    organizer=st.none() | parties)


@settings(max_examples=150, deadline=None)
@given(writers, published(), st.booleans(), st.booleans())
def test_an_event_is_the_bytes_icalendar_writes(writer: FeedWriter, item: PublishedEvent,
                                                private: bool, alarms: bool) -> None:
    assert writer.vevent(item, private=private, alarms=alarms) == reference_vevent(
        writer, item, private=private, alarms=alarms)


@settings(max_examples=50, deadline=None)
@given(writers, st.lists(published(), max_size=4, unique_by=lambda i: i.event.id), one_line,
       st.sampled_from(["PUBLISH", "REQUEST", "CANCEL"]), st.booleans())
def test_a_feed_is_the_bytes_icalendar_writes(writer: FeedWriter, items: list[PublishedEvent],
                                              name: str, method: str, private: bool) -> None:
    got = b"".join(writer.feed_bytes(name, items, private=private, method=method))
    assert got == reference_feed(writer, name, items, private=private, method=method)


def test_every_feed_of_the_example_is_the_bytes_icalendar_writes(
        tongren: advisors.Dataset, tmp_path: Path) -> None:
    calendar = attrs.evolve(tongren.policy.calendar, organizer_name="同仁市司法局",
                            organizer_email="sfj@example.org")
    ds = attrs.evolve(tongren, policy=attrs.evolve(tongren.policy, calendar=calendar))
    events = sample_events(ds)
    first = publish(ds, events)
    # the second version moves, drops (cancels) and keeps events: every shape a feed holds
    later = sample_events(ds, shift_days=1)
    pub = publish(ds, later[2:], first.events, first.stamp + dt.timedelta(days=1), 2)
    options = ExportOptions()
    writer = feed_writer(pub, options)
    names = feed_names(pub, options)
    written = writer.write_all(OutputFolder(tmp_path), pub.events, names)
    assert len(written) > 10
    reference = feed_writer(pub, options)
    for relative in written:
        feed = relative.as_posix().removeprefix("calendars/").removesuffix(".ics")
        kind = feed.split("/", 1)[0]
        items = [i for i in pub.events
                 if feed == "all" or feed.replace("/", ":", 1) in i.event.owners]
        expected = reference_feed(reference, names.get(feed, feed), items,
                                  private=kind not in ("village", "township"),
                                  alarms=kind not in ("all", "township"))
        assert (tmp_path / relative).read_bytes() == expected, relative
    assert any(i.cancelled for i in pub.events) and any(i.sequence for i in pub.events)
