"""The Plan: coverage, visits, the hotline rota and training of one period, as published.

:func:`make_plan` runs the whole job — assign, schedule visits and the
hotline, plan training — and turns the results into calendar events whose
SEQUENCE follows the previously published plan (:mod:`advisors.plan.events`). A
Plan is versioned and round-trips through JSON (``plan.json``), which is what
the next run reads as ``previous`` so that phones get updates, not
duplicates.

The publication stamp (DTSTAMP of what changed) is deterministic: by default
midnight (Asia/Shanghai) of the day before the period starts, and at least
one minute after the previous version's stamp, so the same input gives
byte-identical output and versions still order correctly.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import attrs

from ..assignment import Assignment
from ..coverage.api import assign
from ..data import jsontext
from ..data.dataset import Dataset
from ..data.heap import gc_sparse
from ..errors import DataError, Problem
from ..hotline.api import hotline_rota
from ..hotline.facts import HotlineRota, PastShift
from ..locale import Translator
from ..output.base import Publication
from ..period import Period
from ..rules import Analysis
from ..training.api import plan_training
from ..training.problem import TrainingPlan
from ..visits.api import schedule_visits
from ..visits.visit_plan import VisitPlan
from .event_builders import EventBuilder
from .events import CalendarEvent, EventChange, PublishedEvent, change_counts, reconcile
from .schema import PLAN_SCHEMA, build_checked, parse_json
from .shortfalls import Shortfall, shortfalls
from .timetable import (
    busy_before,
    clash_analysis,
    plan_bookings,
    session_bookings,
    shift_bookings,
    timetable,
    visit_bookings,
)

__all__ = ["PLAN_FORMAT", "Plan", "dropped_references", "make_plan", "plan_events"]

PLAN_FORMAT = "advisors-plan/1"
"""The ``format`` field of ``plan.json``."""
KEEP_JSON_CHARS = 200_000_000
"""Characters of event text :meth:`Plan.write_json` keeps for an event's second place: all
of a province's (about 10 million), a sixth of a national plan's."""


@attrs.frozen
class Plan:
    """Everything one period's plan holds, with its calendar state."""

    period: Period
    assignment: Assignment
    visits: VisitPlan
    hotline: HotlineRota
    training: TrainingPlan
    version: int = 1
    """1 for the first publication, previous + 1 after."""
    stamp: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    """When this version is published (deterministic; DTSTAMP of what changed)."""
    events: tuple[PublishedEvent, ...] = ()
    """Every event the calendars carry, with SEQUENCE; cancelled ones in their retention."""
    changes: tuple[EventChange, ...] = ()
    """What changed against the previous version (all ``new`` for a first plan)."""
    has_previous: bool = False
    timetable: Analysis = attrs.field(factory=Analysis)
    """Clashes across the parts: a person in two places, travel included (hard)."""

    @property
    def feasible(self) -> bool:
        """Whether every hard rule of every part holds (else the CLI exits 3)."""
        return (not self.assignment.uncovered and self.visits.feasible
                and self.hotline.feasible and self.training.analysis.feasible
                and self.timetable.feasible)

    def shortfalls(self) -> list[Shortfall]:
        """Every village, day or seat the plan does not serve, with the reason and the fix."""
        return shortfalls(self.assignment, self.hotline, self.visits, self.training,
                          self.timetable)

    def change_counts(self) -> dict[str, int]:
        """How many events are new, moved, changed, cancelled."""
        return change_counts(self.changes)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form; :meth:`from_dict` reads it back to an equal Plan."""
        return self._form(PublishedEvent.as_dict)

    def _form(self, event: Callable[[PublishedEvent], Any]) -> dict[str, Any]:
        """:meth:`as_dict`, each published event in the form ``event`` gives it."""
        return {
            "format": PLAN_FORMAT,
            "version": self.version,
            "stamp": self.stamp.astimezone(dt.UTC).isoformat(),
            "period": self.period.as_dict(),
            "has_previous": self.has_previous,
            "assignment": self.assignment.as_dict(),
            "visits": self.visits.as_dict(),
            "hotline": self.hotline.as_dict(),
            "training": self.training.as_dict(),
            "timetable": self.timetable.as_dict(),
            "events": [event(e) for e in self.events],
            "changes": [
                {"kind": c.kind, "current": event(c.current),
                 "previous": event(c.previous) if c.previous else None}
                for c in self.changes],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "plan.json") -> Plan:
        """Read the form written by :meth:`as_dict`, checked first.

        Raises :class:`DataError` listing every value :data:`PLAN_SCHEMA` refuses,
        each with its JSON path: ids that break the dataset's id rule, owners that
        are not ``<kind>:<id>``, numbers out of range, over-long texts.
        """
        if not isinstance(data, Mapping) or data.get("format") != PLAN_FORMAT:
            found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
            raise DataError([Problem(source, "not an advisors plan", field="$.format",
                                     value=str(found)[:80], expected=PLAN_FORMAT)])
        return build_checked(cls._build, data, PLAN_SCHEMA, source)

    @classmethod
    def _build(cls, data: Mapping[str, Any]) -> Plan:
        return cls(
            period=Period.from_dict(data["period"]),
            assignment=Assignment.from_dict(data["assignment"]),
            visits=VisitPlan.from_dict(data["visits"]),
            hotline=HotlineRota.from_dict(data["hotline"]),
            training=TrainingPlan.from_dict(data["training"]),
            version=int(data["version"]),
            stamp=dt.datetime.fromisoformat(data["stamp"]).astimezone(dt.UTC),
            events=tuple(PublishedEvent.from_dict(e) for e in data.get("events", ())),
            changes=tuple(
                EventChange(c["kind"], PublishedEvent.from_dict(c["current"]),
                            PublishedEvent.from_dict(c["previous"]) if c.get("previous") else None)
                for c in data.get("changes", ())),
            has_previous=bool(data.get("has_previous", False)),
            timetable=Analysis.from_dict(data.get("timetable", {})),
        )

    def to_json(self) -> str:
        """``plan.json`` text: sorted keys, two-space indent, UTF-8 characters kept."""
        buffer = io.BytesIO()
        self.write_json(buffer)
        return buffer.getvalue().decode("utf-8")

    def write_json(self, sink: IO[bytes]) -> None:
        """Write :meth:`to_json`'s text to ``sink`` in UTF-8, a few MB at a time.

        Each event is encoded as the writing reaches it. An event is in
        ``changes`` and again in ``events``: its text is kept for the second time
        while the kept texts stay under :data:`KEEP_JSON_CHARS`, and made again
        after that, so a national plan is not held as text beside its events.
        """
        texts: dict[int, jsontext.Fragment] = {}
        room = KEEP_JSON_CHARS

        def event(item: object) -> jsontext.Fragment:
            nonlocal room
            if not isinstance(item, PublishedEvent):
                raise TypeError(f"Object of type {type(item).__name__} is not JSON "
                                "serializable")
            text = texts.get(id(item))
            if text is None:
                text = jsontext.Fragment(jsontext.dumps(item.as_dict()))
                if room > 0:
                    texts[id(item)] = text
                    room -= len(text)
            return text

        jsontext.dump(self._form(lambda item: item), sink, end="\n", default=event)

    @classmethod
    def from_json(cls, text: str, source: str = "plan.json") -> Plan:
        """Read ``plan.json`` text (a :class:`DataError` for anything else)."""
        data = parse_json(text, source)
        return cls.from_dict(data, source)

    @classmethod
    def read(cls, path: Path) -> Plan:
        """Read a ``plan.json`` file (a :class:`DataError` when it is not one)."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataError([Problem(str(path), "not UTF-8 text", value=str(exc)[:120],
                                     expected="the plan.json of a run")]) from None
        return cls.from_json(text, str(path))

    def publication(self, dataset: Dataset) -> Publication:
        """The exporters' view of this plan."""
        patterns = {village: {"zh": p.zh, "en": p.en}
                    for village, p in sorted(self.visits.patterns.items()) if p is not None}
        return Publication(
            dataset, self.period, self.events, self.changes, self.assignment.advisor_of,
            version=self.version, stamp=self.stamp, patterns=patterns,
            moves={village: {new: old for old, new in moved}
                   for village, moved in sorted(self.visits.moves.items())},
            facts={"training_scheduled": self.training_scheduled(dataset),
                   "shortfalls": self.shortfalls()},
            plan_writer=self.write_json, has_previous=self.has_previous,
        )

    def training_scheduled(self, dataset: Dataset) -> dict[str, int]:
        """Per township: trainees (active or candidate) the plan gives their sessions."""
        booked: dict[str, int] = {}
        for session in self.training.sessions:
            for person in session.participants:
                booked[person] = booked.get(person, 0) + 1
        out: dict[str, int] = {}
        for member in dataset.people:
            village = dataset.village_by_id.get(member.village)
            if village is None or member.status not in ("active", "candidate"):
                continue
            done = booked.get(member.id, 0) >= self.training.target
            out[village.township] = out.get(village.township, 0) + done
        return dict(sorted(out.items()))


def dropped_references(previous: Plan, dataset: Dataset) -> list[str]:
    """What ``previous`` names that ``dataset`` no longer has (``advisor adv-09``), sorted.

    A plan's ids must be the dataset's, or be these: people and places dropped
    since it was published, whose events the next version publishes as cancelled.
    """
    known: dict[str, Mapping[str, object]] = {
        "advisor": dataset.advisor_by_id, "trainer": dataset.trainer_by_id,
        "village": dataset.village_by_id, "township": dataset.township_by_id}
    found: set[str] = set()
    for item in previous.events:
        for owner in item.event.owners:
            kind, _, ident = owner.partition(":")
            if ident not in known[kind]:
                found.add(f"{kind} {ident}")
    for village, advisor in previous.assignment.advisor_of.items():
        if village not in known["village"]:
            found.add(f"village {village}")
        if advisor is not None and advisor not in known["advisor"]:
            found.add(f"advisor {advisor}")
    return sorted(found)


def plan_events(dataset: Dataset, assignment: Assignment, visits: VisitPlan,
                hotline: HotlineRota, training: TrainingPlan,
                translator: Translator | None = None) -> list[CalendarEvent]:
    """The calendar events of a plan's parts, with their texts."""
    builder = EventBuilder(dataset, translator or Translator.load())
    moved = {(village, new): old for village, pairs in visits.moves.items()
             for old, new in pairs}
    events = [builder.visit(v.village, v.advisor, v.date, 0, lecture=v.lecture, key=v.id,
                            start=v.start, end=v.end, moved_from=moved.get((v.village, v.date)))
              for v in visits.visits]
    events += _appointment_events(builder, visits)
    events += [builder.hotline(s.lawyer, s.date, s.start, s.end, key=s.id)
               for s in hotline.shifts]
    events += [builder.training(s.id, s.trainer, s.venue, s.date, topic=s.topic,
                                language=s.language, participants=s.participants,
                                start=s.start, end=s.end, township=s.township)
               for s in training.sessions]
    return events


def _appointment_events(builder: EventBuilder, visits: VisitPlan) -> list[CalendarEvent]:
    """One private event per booked request, on its advisor's feed."""
    requests = builder.dataset.request_by_id
    out = []
    for v in visits.visits:
        for rid in v.appointments:
            if rid in requests:
                out.append(builder.appointment(rid, v.village, v.advisor, v.date, v.start, v.end,
                                               kind=requests[rid].kind, home=False))
    for h in visits.home_visits:
        if h.request in requests:
            out.append(builder.appointment(h.request, h.village, h.advisor, h.date, h.start,
                                           h.end, kind=requests[h.request].kind, home=True))
    return out


def _default_stamp(period: Period, previous: Plan | None, zone: str) -> dt.datetime:
    local = dt.datetime.combine(period.start - dt.timedelta(days=1), dt.time(0),
                                tzinfo=ZoneInfo(zone))
    stamp = local.astimezone(dt.UTC)
    if previous is not None:
        stamp = max(stamp, previous.stamp + dt.timedelta(minutes=1))
    return stamp


@gc_sparse()
def make_plan(dataset: Dataset, period: Period | str, previous: Plan | None = None, *,
              strategy: str = "auto", stamp: dt.datetime | None = None,
              translator: Translator | None = None,
              progress: Callable[[str], None] | None = None,
              coherent: bool = True, repattern: bool = False) -> Plan:
    """Assign, schedule visits and the hotline, plan training; publish as calendar events.

    With ``previous`` (the last published plan), contracts, visits, shifts and
    sessions that can stay are kept, past hotline shifts count for fairness,
    and every event's SEQUENCE follows the published one. ``progress`` is
    called with a label after each stage.

    One person, one place: the hotline is planned first (around the previous
    plan's visits and sessions still binding: a seat of the 12348 line has
    no other day, a service day has), then visits around the shifts, then
    training around both, so nobody is booked twice, travel included.
    ``coherent=False`` plans the parts separately (as before this rule; for
    measuring its cost). Either way the plan's ``timetable``
    analysis names every clash left. ``repattern`` lets villages take new
    regular patterns (see :func:`~advisors.visits.api.schedule_visits`).
    """
    if isinstance(period, str):
        period = Period.parse(period)
    step = progress or (lambda label: None)
    travel = dataset.travel_model()
    assignment = assign(dataset, strategy,
                        previous=previous.assignment if previous else None)
    step("assign")
    held_visits = [v for v in previous.visits.visits if v.date in period] if previous else []
    held_sessions = ([s for s in previous.training.sessions if s.date in period]
                     if previous else [])
    busy = None
    if coherent:
        prior = busy_before(dataset, [*visit_bookings(held_visits),
                                      *session_bookings(dataset, held_sessions)])
        busy = timetable(dataset, prior, travel)
    history = tuple(PastShift(s.date, s.start, s.end, s.lawyer)
                    for s in (previous.hotline.shifts if previous else ())
                    if s.date < period.start)
    hotline = hotline_rota(dataset, period, history=history or None,
                           previous=previous.hotline if previous else None, busy=busy)
    step("hotline")
    if coherent:
        busy = timetable(dataset, [*shift_bookings(dataset, hotline.shifts),
                                   *busy_before(dataset, session_bookings(dataset,
                                                                          held_sessions))],
                         travel)
    visits = schedule_visits(dataset, assignment, period,
                             previous=previous.visits if previous else None, busy=busy,
                             repattern=repattern)
    step("visits")
    if coherent:
        busy = timetable(dataset, [*visit_bookings(visits.visits),
                                   *shift_bookings(dataset, hotline.shifts)], travel)
    training = plan_training(dataset, period, previous=previous.training if previous else None,
                             busy=busy)
    step("training")
    clashes = clash_analysis(dataset, timetable(
        dataset, plan_bookings(dataset, visits.visits, hotline.shifts, training.sessions),
        travel))
    events = plan_events(dataset, assignment, visits, hotline, training, translator)
    when = stamp or _default_stamp(period, previous, dataset.policy.timezone)
    result = reconcile(events, previous.events if previous else (), stamp=when,
                       retention_days=dataset.policy.calendar.cancelled_retention_days)
    step("calendar")
    return Plan(period, assignment, visits, hotline, training,
                version=previous.version + 1 if previous else 1, stamp=when,
                events=result.events, changes=result.changes,
                has_previous=previous is not None, timetable=clashes)
