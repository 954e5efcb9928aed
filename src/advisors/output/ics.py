"""iCalendar feeds (RFC 5545): one per advisor, trainer, village and township, and one of all.

Each VEVENT is serialised **once**, its content lines written by
:mod:`advisors.output.contentline` with the bytes ``icalendar`` would write
(``icalendar`` itself serialises the parts written once per run — the
calendar head, the VTIMEZONE, the VALARM around its text — and anything
unusual); feeds are then written one after the other by concatenating the
bytes, so memory holds one copy of each event whatever the number of feeds,
and the time is that of serialising each event once.

What phones need to stay right:

* ``UID`` is ``<event id>@<domain>``: the id comes from the event's identity,
  so a moved event updates in place;
* ``SEQUENCE`` and ``DTSTAMP`` come from :mod:`advisors.plan.events` — the stamp is
  the plan's publication stamp, never the wall clock, so an unchanged event
  is byte-identical from one run to the next;
* ``STATUS:CANCELLED`` events stay in the feeds for the retention window;
* times carry ``TZID=Asia/Shanghai`` and the feed holds a VTIMEZONE with a
  single STANDARD +0800 component (icalendar's full definition for this zone
  carries the 1986–1991 daylight-saving history that Outlook mishandles).

Village and township feeds are public: they carry no ORGANIZER or ATTENDEE
(emails are personal data unless the policy marks them public).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import icalendar

from ..locale import Translator
from ..plan.events import Party, PublishedEvent
from .contentline import datetime_line, line, text_line, verbatim_line
from .folder import OutputFolder

__all__ = [
    "AGGREGATE_FEEDS",
    "PRODID",
    "PUBLIC_FEEDS",
    "FeedWriter",
    "feed_members",
    "vtimezone",
]

PRODID = "-//advisors//legal services calendar//ZH"
"""Product id; without a version number so that an upgrade does not change every feed."""
PUBLIC_FEEDS = ("village", "township")
"""Feed kinds that anyone may subscribe to."""
AGGREGATE_FEEDS = ("all", "township")
"""Feeds of many people's events: they carry no alarms unless asked
(:attr:`FeedWriter.aggregate_alarms`) — 290 pop-ups a month help no coordinator."""
_END = b"END:VCALENDAR\r\n"
_END_VEVENT = b"END:VEVENT\r\n"


@functools.lru_cache(maxsize=64)
def _offset_changes(zone_name: str, begin: dt.date, last: dt.date) -> bool:
    """Whether the zone's UTC offset changes between ``begin`` and ``last`` (probed daily)."""
    zone = ZoneInfo(zone_name)
    offset = dt.datetime.combine(begin, dt.time(12), tzinfo=zone).utcoffset()
    day = begin
    while day <= last + dt.timedelta(days=1):
        if dt.datetime.combine(day, dt.time(12), tzinfo=zone).utcoffset() != offset:
            return True
        day += dt.timedelta(days=1)
    return False


def vtimezone(zone_name: str, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """A VTIMEZONE holding only what events from ``first`` to ``last`` need.

    For a zone with one offset over that span (Asia/Shanghai since 1991) this
    is a single STANDARD component starting on 1 January of ``first``'s year;
    otherwise icalendar's definition clipped to the span.
    """
    zone = ZoneInfo(zone_name)
    begin = dt.date(first.year, 1, 1)
    probe = dt.datetime.combine(begin, dt.time(12), tzinfo=zone)
    offset = probe.utcoffset()
    if _offset_changes(zone_name, begin, last):
        return icalendar.Timezone.from_tzinfo(zone, zone_name, first_date=begin,
                                              last_date=last + dt.timedelta(days=1))
    tz = icalendar.Timezone()
    tz.add("tzid", zone_name)
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", dt.datetime.combine(begin, dt.time(0)))
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    standard.add("tzname", probe.tzname() or zone_name)
    tz.add_component(standard)
    return tz


def feed_members(event_owners: Iterable[str]) -> list[str]:
    """Feed paths (``advisor/adv-01``) of an event's owners, plus ``all``."""
    return ["all", *(owner.replace(":", "/", 1) for owner in event_owners)]


def _people_lines(organizer: Party | None, attendees: Sequence[Party]) -> bytes:
    """The ATTENDEE and ORGANIZER content lines, in icalendar's order (ATTENDEEs first)."""
    lines = [verbatim_line("ATTENDEE", f"mailto:{party.email}",
                           (("CN", party.name), ("ROLE", party.role),
                            ("PARTSTAT", "NEEDS-ACTION"), ("CUTYPE", "INDIVIDUAL")))
             for party in attendees if party.email]
    if organizer is not None and organizer.email:
        lines.append(verbatim_line("ORGANIZER", f"mailto:{organizer.email}",
                                   (("CN", organizer.name),) if organizer.name else ()))
    return b"".join(lines)


@functools.cache
def _alarm(minutes: int) -> tuple[bytes, bytes]:
    """A VALARM ``minutes`` before, serialised once, split where its DESCRIPTION goes.

    Content lines are folded one by one, so a reminder is these two pieces
    around its DESCRIPTION line: the bytes of serialising the whole VALARM.
    """
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "x")
    alarm.add("trigger", dt.timedelta(minutes=-minutes))
    before, found, after = alarm.to_ical().partition(text_line("DESCRIPTION", "x"))
    if not found:  # pragma: no cover - a VALARM holds its DESCRIPTION line
        raise AssertionError(alarm.to_ical())
    return before, after


@attrs.define
class FeedWriter:
    """Serialises events once and writes feeds from them.

    Build it with the publication's settings, then call :meth:`write_feed`
    per feed (or :meth:`write_all` to group and write every feed).
    """

    domain: str
    """Domain part of the UIDs."""
    zone: str = "Asia/Shanghai"
    alarms: tuple[int, ...] = (1440, 60)
    """Minutes before the start at which phones remind."""
    organizer: Party | None = None
    translator: Translator | None = None
    aggregate_alarms: bool = False
    """Whether the :data:`AGGREGATE_FEEDS` carry the alarms too."""
    _cache: dict[str, tuple[bytes, bytes, bytes]] = attrs.field(factory=dict, init=False)
    _heads: dict[tuple[dt.date, dt.date, str], tuple[bytes, bytes]] = attrs.field(
        factory=dict, init=False)
    _people: dict[tuple[Party | None, tuple[Party, ...]], bytes] = attrs.field(
        factory=dict, init=False)

    def uid(self, item: PublishedEvent) -> str:
        """The UID of an event."""
        return f"{item.event.id}@{self.domain}"

    def text(self, item: PublishedEvent, field: str) -> str:
        """SUMMARY or DESCRIPTION: the texts of the event's languages, joined."""
        event = item.event
        sep = " / " if field == "summary" else "\n\n"
        parts: list[str] = []
        for lang in event.languages:
            text = event.text(field, lang)
            if text and text not in parts:
                parts.append(text)
        if not parts:
            text = event.text(field, "zh") or event.text(field, "en")
            parts = [text] if text else []
        joined = sep.join(parts)
        if field == "summary" and item.cancelled:
            label = (self.translator.text("Cancelled", "zh") if self.translator
                     else "已取消")
            joined = f"【{label}】{joined}"
        return joined

    def _build(self, item: PublishedEvent) -> tuple[bytes, bytes, bytes]:
        """The event's properties, its ATTENDEE/ORGANIZER lines and its VALARMs.

        The properties in icalendar's order for a VEVENT: SUMMARY, DTSTART,
        DTEND, DTSTAMP, UID, SEQUENCE, then the others alphabetically.
        """
        event = item.event
        summary = self.text(item, "summary")
        description = self.text(item, "description")
        # an appointment kept during a service day takes no time of its own: the visit has it
        during = event.kind == "appointment" and not event.get("home")
        lines = [b"BEGIN:VEVENT\r\n",
                 text_line("SUMMARY", summary),
                 datetime_line("DTSTART", event.start),
                 datetime_line("DTEND", event.end),
                 datetime_line("DTSTAMP", item.stamp.astimezone(dt.UTC)),
                 text_line("UID", self.uid(item)),
                 line("SEQUENCE", str(int(item.sequence))),
                 text_line("CATEGORIES", event.kind.upper())]
        if description:
            lines.append(text_line("DESCRIPTION", description))
        if event.geo is not None:
            lines.append(line("GEO", f"{float(event.geo[0])};{float(event.geo[1])}"))
        if event.location:
            lines.append(text_line("LOCATION", event.location))
        lines.append(text_line("STATUS", item.status))
        lines.append(b"TRANSP:TRANSPARENT\r\n" if item.cancelled or during
                     else b"TRANSP:OPAQUE\r\n")
        alarms = b""
        if not item.cancelled and self.alarms:
            said = text_line("DESCRIPTION", summary)
            parts: list[bytes] = []
            for minutes in self.alarms:
                before, after = _alarm(minutes)
                parts += (before, said, after)
            alarms = b"".join(parts)
        who = (event.organizer or self.organizer, tuple(event.attendees))
        people = self._people.get(who)
        if people is None:
            people = self._people[who] = _people_lines(*who)
        return b"".join(lines), people, alarms

    def vevent(self, item: PublishedEvent, *, private: bool = True, alarms: bool = True
               ) -> bytes:
        """The serialised VEVENT; ``private`` adds ORGANIZER and ATTENDEE lines,
        ``alarms`` the VALARMs of the policy's reminders."""
        key = item.event.id
        found = self._cache.get(key)
        if found is None:
            found = self._build(item)
            self._cache[key] = found
        # Spliced from the pieces, in the order the feeds have always had (properties,
        # ATTENDEEs and ORGANIZER, then VALARMs), without serialising the event per variant.
        body, people, reminders = found
        return b"".join((body, people if private else b"", reminders if alarms else b"",
                         _END_VEVENT))

    def header(self, name: str, first: dt.date, last: dt.date, method: str = "PUBLISH"
               ) -> bytes:
        """The feed's VCALENDAR head with its VTIMEZONE, without the closing line.

        Each property is one content line of its own and the properties come
        before the components, so the head is the same bytes as serialising
        the whole calendar: the lines shared by every feed of the same dates
        (and the VTIMEZONE) are serialised once, the feed's name per feed.
        """
        key = (first, last, method)
        parts = self._heads.get(key)
        if parts is None:
            cal = icalendar.Calendar()
            cal.add("prodid", PRODID)
            cal.add("version", "2.0")
            cal.add("calscale", "GREGORIAN")
            cal.add("method", method)
            before = cal.to_ical()[: -len(_END)]
            after = verbatim_line("X-WR-TIMEZONE", self.zone)
            parts = (before, after + vtimezone(self.zone, first, last).to_ical())
            self._heads[key] = parts
        return parts[0] + verbatim_line("X-WR-CALNAME", name) + parts[1]

    def feed_bytes(self, name: str, items: Sequence[PublishedEvent], *, private: bool,
                   method: str = "PUBLISH", alarms: bool = True) -> Iterator[bytes]:
        """The feed as chunks of bytes (events in the given order)."""
        if items:
            first = min(i.event.start.date() for i in items)
            last = max(i.event.end.date() for i in items)
        else:
            first = last = dt.date(1970, 1, 1)
        yield self.header(name, first, last, method)
        for item in items:
            yield self.vevent(item, private=private, alarms=alarms)
        yield _END

    def write_feed(self, path: Path, name: str, items: Sequence[PublishedEvent], *,
                   private: bool, alarms: bool = True) -> None:
        """Write one feed file at ``path`` (its folder made)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(self.feed_bytes(name, items, private=private, alarms=alarms)))

    def write_all(self, out: OutputFolder, items: Sequence[PublishedEvent],
                  names: dict[str, str] | None = None) -> list[Path]:
        """Write ``calendars/all.ics`` and one feed per owner; return the relative paths.

        ``names`` gives each feed's display name (``advisor/adv-01`` → 才让多杰).
        """
        groups: dict[str, list[PublishedEvent]] = {}
        for item in items:
            for feed in feed_members(item.event.owners):
                groups.setdefault(feed, []).append(item)
        names = names or {}
        written: list[Path] = []
        for feed in sorted(groups):
            kind = feed.split("/", 1)[0]
            data = b"".join(self.feed_bytes(
                names.get(feed, feed), groups[feed], private=kind not in PUBLIC_FEEDS,
                alarms=self.aggregate_alarms or kind not in AGGREGATE_FEEDS))
            # one write of the whole feed, through the folder's checked fast path
            written.append(out.write_bytes(f"calendars/{feed}.ics", data))
        return written
