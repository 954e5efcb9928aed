"""Calendar events, neutral of what produced them, and how published versions follow each other.

Every exporter (calendars, rosters, notices, messages) works from
:class:`CalendarEvent` values: an on-site visit, a hotline shift, a training
session or a legal lecture, with its texts per language, place and the
people it belongs to. An event's :attr:`~CalendarEvent.id` comes from what
the event *is* (village, month, ordinal…), never from when it happens, so a
moved event keeps its calendar UID and phones update it in place.

:func:`reconcile` compares the events of a new plan with the previously
published ones and decides, per event, what phones must be told (RFC 5545
§3.8.7.4): unchanged events keep their SEQUENCE and stamp and so serialise
byte-identically; changed ones get SEQUENCE + 1; removed ones are published
as CANCELLED with SEQUENCE + 1 and kept for a retention window; new ones start
at SEQUENCE 0.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

__all__ = [
    "EVENT_KINDS",
    "LANGUAGES",
    "CalendarEvent",
    "EventChange",
    "Party",
    "PublishedEvent",
    "Reconciled",
    "change_counts",
    "localized",
    "reconcile",
    "stable_id",
]

EVENT_KINDS: Final = ("visit", "hotline", "training", "lecture")
"""到村服务, 12348 热线坐班, 培训, 普法讲座."""
LANGUAGES: Final = ("zh", "bo", "en")
"""Languages the outputs carry text in."""
STATUSES: Final = ("CONFIRMED", "TENTATIVE", "CANCELLED")
"""RFC 5545 VEVENT statuses."""
OWNER_KINDS: Final = ("advisor", "trainer", "village", "township")
"""Kinds of feed an event can belong to (besides the feed of everything)."""

Localized = tuple[tuple[str, str], ...]
"""Text per language as sorted ``(lang, text)`` pairs (hashable, order-free)."""


def localized(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Localized:
    """Normalise text per language: sorted pairs, empty texts dropped."""
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((lang, text) for lang, text in items if text))


def stable_id(*parts: object) -> str:
    """A short id that depends only on ``parts`` (e.g. ``("visit", village, "2026-12", 1)``)."""
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"event times must carry a time zone: {value!r}")
    return value


def _owners(value: Iterable[str]) -> tuple[str, ...]:
    owners = tuple(sorted(set(value)))
    for owner in owners:
        kind, sep, ident = owner.partition(":")
        if not sep or kind not in OWNER_KINDS or not ident:
            raise ValueError(f"owner must be '<{'|'.join(OWNER_KINDS)}>:<id>', got {owner!r}")
    return owners


def _pairs(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(dict(value).items()))


@attrs.frozen
class Party:
    """A person an event is organised by or involves; email may be unknown."""

    name: str
    email: str = ""
    role: str = "REQ-PARTICIPANT"
    """RFC 5545 ROLE of an attendee."""


@attrs.frozen
class CalendarEvent:
    """One thing that happens at a time and place, told in the audience's languages."""

    id: str
    """Stable identity (see :func:`stable_id`): the same visit keeps it when it moves."""
    kind: str = attrs.field(validator=attrs.validators.in_(EVENT_KINDS))
    start: dt.datetime = attrs.field(converter=_aware)
    """Aware start time, normally in ``Asia/Shanghai``."""
    end: dt.datetime = attrs.field(converter=_aware)
    summary: Localized = attrs.field(converter=localized)
    """Title per language, e.g. ``{"zh": "法律顾问到村服务：…"}``."""
    description: Localized = attrs.field(default=(), converter=localized)
    languages: tuple[str, ...] = ("zh",)
    """The audience's languages, in the order texts are shown (the village's order)."""
    location: str = ""
    geo: tuple[float, float] | None = None
    """(lat, lon) of the place."""
    organizer: Party | None = None
    attendees: tuple[Party, ...] = ()
    owners: tuple[str, ...] = attrs.field(default=(), converter=_owners)
    """Feeds the event belongs to: ``advisor:adv-01``, ``village:…``, ``township:…``…"""
    status: str = attrs.field(default="CONFIRMED", validator=attrs.validators.in_(STATUSES))
    extra: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """Facts for tables, as sorted pairs: ``topic``, ``language``, ``participants``, ``venue``…"""

    @end.validator
    def _after_start(self, attribute: attrs.Attribute[Any], value: dt.datetime) -> None:
        if value <= self.start:
            raise ValueError(f"event {self.id} ends ({value}) before it starts ({self.start})")

    def text(self, field: str, lang: str) -> str:
        """``summary`` or ``description`` in ``lang``; empty when there is none."""
        pairs: Localized = getattr(self, field)
        return dict(pairs).get(lang, "")

    def get(self, key: str, default: str = "") -> str:
        """One of the :attr:`extra` facts."""
        return dict(self.extra).get(key, default)

    def owner_ids(self, kind: str) -> tuple[str, ...]:
        """Ids of the owners of one kind (``village`` → the village ids)."""
        prefix = kind + ":"
        return tuple(o[len(prefix):] for o in self.owners if o.startswith(prefix))

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON form; :meth:`from_dict` reads it back to an equal event."""
        return {
            "id": self.id,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "timezone": getattr(self.start.tzinfo, "key", ""),
            "summary": dict(self.summary),
            "description": dict(self.description),
            "languages": list(self.languages),
            "location": self.location,
            "geo": list(self.geo) if self.geo is not None else None,
            "organizer": attrs.asdict(self.organizer) if self.organizer else None,
            "attendees": [attrs.asdict(p) for p in self.attendees],
            "owners": list(self.owners),
            "status": self.status,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarEvent:
        """Read the form written by :meth:`as_dict`."""
        zone = ZoneInfo(data["timezone"]) if data.get("timezone") else None

        def when(text: str) -> dt.datetime:
            value = dt.datetime.fromisoformat(text)
            return value.astimezone(zone) if zone is not None else value

        geo = data.get("geo")
        organizer = data.get("organizer")
        return cls(
            id=data["id"],
            kind=data["kind"],
            start=when(data["start"]),
            end=when(data["end"]),
            summary=data.get("summary", {}),
            description=data.get("description", {}),
            languages=tuple(data.get("languages", ("zh",))),
            location=data.get("location", ""),
            geo=(float(geo[0]), float(geo[1])) if geo else None,
            organizer=Party(**organizer) if organizer else None,
            attendees=tuple(Party(**p) for p in data.get("attendees", ())),
            owners=data.get("owners", ()),
            status=data.get("status", "CONFIRMED"),
            extra=data.get("extra", {}),
        )


@attrs.frozen
class PublishedEvent:
    """An event as a published calendar carries it: with its SEQUENCE and stamp."""

    event: CalendarEvent
    sequence: int = 0
    """RFC 5545 SEQUENCE: 0 when first published, + 1 at every change or cancellation."""
    stamp: dt.datetime = attrs.field(
        default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC), converter=_aware
    )
    """When this revision was published (the plan's stamp, not the wall clock): DTSTAMP."""
    cancelled: bool = False
    """Removed from the plan; kept in feeds as STATUS:CANCELLED for the retention window."""

    @property
    def status(self) -> str:
        """The STATUS a calendar shows."""
        return "CANCELLED" if self.cancelled else self.event.status

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON form; :meth:`from_dict` reads it back."""
        return {
            "event": self.event.as_dict(),
            "sequence": self.sequence,
            "stamp": self.stamp.astimezone(dt.UTC).isoformat(),
            "cancelled": self.cancelled,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PublishedEvent:
        """Read the form written by :meth:`as_dict`."""
        return cls(
            event=CalendarEvent.from_dict(data["event"]),
            sequence=int(data.get("sequence", 0)),
            stamp=dt.datetime.fromisoformat(data["stamp"]).astimezone(dt.UTC),
            cancelled=bool(data.get("cancelled", False)),
        )


CHANGE_KINDS: Final = ("new", "moved", "changed", "cancelled", "unchanged")
"""What happened to an event between two published versions."""


@attrs.frozen
class EventChange:
    """What a phone that holds the previous calendar must be told about one event."""

    kind: str = attrs.field(validator=attrs.validators.in_(CHANGE_KINDS))
    current: PublishedEvent
    """The event as published now (for ``cancelled``: the old event, CANCELLED)."""
    previous: PublishedEvent | None = None
    """The event as published before; ``None`` for ``new``."""

    @property
    def id(self) -> str:
        """The event's id."""
        return self.current.event.id


@attrs.frozen
class Reconciled:
    """The events a new version publishes, and what changed since the previous one."""

    events: tuple[PublishedEvent, ...]
    """Every event the feeds carry, cancelled ones included, sorted by (start, id)."""
    changes: tuple[EventChange, ...]
    """One entry per event that is new, moved, changed or cancelled (not unchanged)."""

    def counts(self) -> dict[str, int]:
        """How many of each change kind, for summaries."""
        return change_counts(self.changes)


def change_counts(changes: Iterable[EventChange]) -> dict[str, int]:
    """How many changes are new, moved, changed and cancelled."""
    out = dict.fromkeys(CHANGE_KINDS[:-1], 0)
    for change in changes:
        out[change.kind] += 1
    return out


def _sort_key(item: PublishedEvent) -> tuple[dt.datetime, str]:
    return (item.event.start, item.event.id)


def reconcile(
    events: Iterable[CalendarEvent],
    previous: Iterable[PublishedEvent] = (),
    *,
    stamp: dt.datetime,
    retention_days: int = 30,
) -> Reconciled:
    """Publish ``events`` as the successor of ``previous``.

    :param stamp: when this version is published — deterministic (derived
        from the plan's version), never the wall clock; it becomes the
        DTSTAMP of every event that is new, changed or cancelled now.
    :param retention_days: a cancelled event stays in the feeds for this many
        days after its cancellation, so that subscribed phones remove it.
    :raises ValueError: when two events share an id.
    """
    stamp = _aware(stamp).astimezone(dt.UTC)
    before: dict[str, PublishedEvent] = {}
    for item in previous:
        before[item.event.id] = item
    published: list[PublishedEvent] = []
    changes: list[EventChange] = []
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            raise ValueError(f"two events share the id {event.id!r}")
        seen.add(event.id)
        old = before.get(event.id)
        if old is None:
            item = PublishedEvent(event, 0, stamp)
            changes.append(EventChange("new", item))
        elif old.event == event and not old.cancelled:
            item = old
        else:
            item = PublishedEvent(event, old.sequence + 1, stamp)
            moved = (old.event.start, old.event.end) != (event.start, event.end)
            changes.append(EventChange("moved" if moved or old.cancelled else "changed",
                                       item, old))
        published.append(item)
    horizon = stamp - dt.timedelta(days=retention_days)
    for ident in sorted(before.keys() - seen):
        old = before[ident]
        if not old.cancelled:
            item = PublishedEvent(old.event, old.sequence + 1, stamp, cancelled=True)
            changes.append(EventChange("cancelled", item, old))
            published.append(item)
        elif old.stamp >= horizon:
            published.append(old)
    published.sort(key=_sort_key)
    changes.sort(key=lambda c: (c.current.event.start, c.id))
    return Reconciled(tuple(published), tuple(changes))
