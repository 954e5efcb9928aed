"""The reference for the calendar bytes: events and feeds serialised whole by ``icalendar``.

This is how :class:`advisors.output.ics.FeedWriter` wrote them before it
wrote content lines itself (one ``icalendar`` component per event, its
ATTENDEE/ORGANIZER lines after the properties, then its VALARMs); the
feeds on people's phones hold these bytes, so the writer must keep them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import icalendar

from advisors.output.ics import PRODID, FeedWriter, vtimezone
from advisors.plan.events import Party, PublishedEvent

__all__ = ["reference_feed", "reference_vevent"]

_END_VEVENT = b"END:VEVENT\r\n"


def _between(raw: bytes, begin: bytes, end: bytes) -> bytes:
    assert raw.startswith(begin) and raw.endswith(end), raw
    return raw[len(begin):-len(end)]


def _people(organizer: Party | None, attendees: Sequence[Party]) -> bytes:
    holder = icalendar.Event()
    if organizer is not None and organizer.email:
        params = {"CN": organizer.name} if organizer.name else {}
        holder.add("organizer", icalendar.vCalAddress(f"mailto:{organizer.email}"),
                   parameters=params)
    for party in attendees:
        if party.email:
            holder.add("attendee", icalendar.vCalAddress(f"mailto:{party.email}"),
                       parameters={"CN": party.name, "ROLE": party.role,
                                   "PARTSTAT": "NEEDS-ACTION", "CUTYPE": "INDIVIDUAL"})
    return _between(holder.to_ical(), b"BEGIN:VEVENT\r\n", _END_VEVENT)


def reference_vevent(writer: FeedWriter, item: PublishedEvent, *, private: bool = True,
                     alarms: bool = True) -> bytes:
    """The VEVENT of ``item`` as ``icalendar`` serialises it, for ``writer``'s settings."""
    event = item.event
    vevent = icalendar.Event()
    vevent.add("uid", writer.uid(item))
    vevent.add("dtstamp", item.stamp.astimezone(dt.UTC))
    vevent.add("sequence", item.sequence)
    vevent.add("status", item.status)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    summary = writer.text(item, "summary")
    vevent.add("summary", summary)
    description = writer.text(item, "description")
    if description:
        vevent.add("description", description)
    if event.location:
        vevent.add("location", event.location)
    if event.geo is not None:
        vevent.add("geo", event.geo)
    vevent.add("categories", [event.kind.upper()])
    during = event.kind == "appointment" and not event.get("home")
    vevent.add("transp", "TRANSPARENT" if item.cancelled or during else "OPAQUE")
    out = vevent.to_ical()[: -len(_END_VEVENT)]
    if private:
        out += _people(event.organizer or writer.organizer, event.attendees)
    if alarms and not item.cancelled:
        for minutes in writer.alarms:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", dt.timedelta(minutes=-minutes))
            out += alarm.to_ical()
    return out + _END_VEVENT


def reference_feed(writer: FeedWriter, name: str, items: Sequence[PublishedEvent], *,
                   private: bool, method: str = "PUBLISH", alarms: bool = True) -> bytes:
    """A whole feed: one ``icalendar`` calendar with its VTIMEZONE, then the events."""
    if items:
        first = min(i.event.start.date() for i in items)
        last = max(i.event.end.date() for i in items)
    else:
        first = last = dt.date(1970, 1, 1)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", writer.zone)
    cal.add_component(vtimezone(writer.zone, first, last))
    head = cal.to_ical()[: -len(b"END:VCALENDAR\r\n")]
    events = b"".join(reference_vevent(writer, i, private=private, alarms=alarms) for i in items)
    return head + events + b"END:VCALENDAR\r\n"
