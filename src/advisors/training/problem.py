"""The training problem: who must be trained, where, in which language, and the plan's form.

Every active or candidate person (legal-savvy persons, two-committee cadres,
liaison officers) must attend at least :func:`session_target` sessions in the
period. A participant's *home venue* is the first venue (file order) of their
township within ``max_participant_travel_km`` road km of their village; where
the township has none in reach, the nearest venue of any township in reach;
a township without any venue gets a virtual one at the mean position of its
villages (``<township>-centre``, capacity 40). Participants are grouped by
home venue, by stream (everyone together when ``policy.training.cadres`` is
``joint``; legal-savvy persons apart from cadres and liaisons when it is
``separate``) and by language.

Language rule: a session's ``language`` is the list of languages it is taught
in; the trainer speaks all of them and every participant speaks at least one.
With ``[training] instruction = "first"`` (the default) a session is taught
in every member's first language the trainer speaks: in a Tibetan township a
bilingual trainer gives one bilingual session to Tibetan and Chinese
speakers, and bilingual Tibetans are not put in a Chinese-only one.
A Tibetan-only group therefore gets a trainer speaking ``bo``; a group mixing
Tibetan-only and Chinese-only people a trainer speaking both.

This module knows nothing of the plugin manager; strategies (plugins) turn a
:class:`TrainingProblem` into a :class:`TrainingPlan`, and
:mod:`advisors.training.rules` checks any plan against the rules.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..data import jsontext
from ..data.dataset import Dataset
from ..geo import Reach, Timetable, TravelModel
from ..languages import language_name
from ..model import Person, Trainer, Venue
from ..period import Period
from ..policy import minutes_of
from ..rules import Violation
from ..wording import Langs, Text

__all__ = [
    "Participant",
    "TrainingAnalysis",
    "TrainingPlan",
    "TrainingProblem",
    "TrainingSession",
    "TrainingViolation",
    "describe_languages",
    "instruction_languages",
    "session_id",
    "session_target",
]




def describe_languages(languages: Iterable[str], only: bool = False) -> str:
    """``("bo",)`` → ``Tibetan`` (``Tibetan-only`` with ``only``); two → ``Tibetan/Chinese``."""
    names = "/".join(language_name(tag) for tag in languages)
    return names + "-only" if only and "/" not in names else names


def langs_of(languages: Iterable[str], only: bool = False) -> Langs:
    """The languages as a sentence's value, shown in English as :func:`describe_languages`."""
    tags = tuple(languages)
    return Langs(tags, describe_languages(tags, only))


def instruction_languages(trainer: Sequence[str],
                          members: Iterable[Participant]) -> tuple[str, ...]:
    """What a session is taught in (``[training] instruction = "first"``).

    Every language of the trainer that is some member's first language — so a
    bilingual trainer teaching Tibetan speakers, bilingual or not, and
    Chinese speakers gives one bilingual session — then, for a member whose
    first language the trainer lacks, the first of theirs the trainer speaks.
    """
    chosen: set[str] = set()
    members = list(members)
    for m in members:
        if m.languages and m.languages[0] in trainer:
            chosen.add(m.languages[0])
    for m in members:
        if not chosen & set(m.languages):
            spoken = [lang for lang in m.languages if lang in trainer]
            if spoken:
                chosen.add(spoken[0])
    return tuple(lang for lang in trainer if lang in chosen)


def session_target(per_year: int, period: Period) -> int:
    """Sessions each person needs in ``period``: ``per_year`` pro rata, rounded up.

    The period is measured in months, a partly covered month counting by its
    share of days: a year needs ``per_year``, a quarter ``ceil(per_year / 4)``,
    a month ``ceil(per_year / 12)``. A period longer than a year needs more.
    """
    months = 0.0
    for month in period.months():
        first = month.start.replace(day=1)
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        months += ((month.end - month.start).days + 1) / (nxt - first).days
    # a hair of tolerance so that twelve whole months never round up to 13/12
    return max(0, math.ceil(per_year * months / 12 - 1e-9))


def session_id(township: str, day: dt.date, n: int) -> str:
    """Stable id ``training/<township>/<YYYY-MM>/<n>`` (calendar UIDs derive from it)."""
    return f"training/{township}/{day:%Y-%m}/{n}"


@attrs.frozen
class TrainingSession:
    """One training session: a day, a venue, a trainer, a topic and its participants."""

    id: str
    """``training/<township>/<YYYY-MM>/<n>``; kept when a plan is revised."""
    date: dt.date
    start: str
    """Local time ``HH:MM``."""
    end: str
    venue: str
    township: str
    """Township of the venue."""
    trainer: str
    language: tuple[str, ...]
    """Languages it is taught in: the trainer speaks all, each participant at least one."""
    topic: str
    """Curriculum topic id."""
    participants: tuple[str, ...]
    """Person ids, sorted."""

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {
            "id": self.id, "date": self.date.isoformat(), "start": self.start, "end": self.end,
            "venue": self.venue, "township": self.township, "trainer": self.trainer,
            "language": list(self.language), "topic": self.topic,
            "participants": list(self.participants),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingSession:
        """Inverse of :meth:`as_dict`."""
        return cls(
            str(data["id"]), dt.date.fromisoformat(data["date"]), str(data["start"]),
            str(data["end"]), str(data["venue"]), str(data["township"]), str(data["trainer"]),
            tuple(data["language"]), str(data["topic"]), tuple(data["participants"]),
        )


@attrs.frozen
class TrainingViolation:
    """A rule a training plan breaks (or a need it could not meet), said in a sentence."""

    rule: str
    """Rule name, e.g. ``language``, ``session_target`` (see docs/training.md)."""
    hard: bool
    message: str
    people: tuple[str, ...] = ()
    """Person or trainer ids involved."""
    days: tuple[dt.date, ...] = ()
    sessions: tuple[str, ...] = ()
    text: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``message`` as a sentence to put in the reader's language (not in ``plan.json``)."""

    @property
    def subjects(self) -> tuple[str, ...]:
        """People, then sessions: the ids involved, as :class:`~advisors.rules.Violation` has."""
        return self.people + self.sessions

    @property
    def weight(self) -> int:
        """Penalty of this match (1), as :class:`advisors.rules.Violation` has it."""
        return 1

    def as_violation(self) -> Violation:
        """The same match as an :class:`advisors.rules.Violation` (visits and hotline speak it)."""
        return Violation(self.rule, self.hard, self.message, self.subjects, self.days,
                         text=self.text)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {"rule": self.rule, "hard": self.hard, "message": self.message,
                "people": list(self.people), "days": [d.isoformat() for d in self.days],
                "sessions": list(self.sessions)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingViolation:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["rule"]), bool(data["hard"]), str(data["message"]),
                   tuple(data.get("people", ())),
                   tuple(dt.date.fromisoformat(d) for d in data.get("days", ())),
                   tuple(data.get("sessions", ())))


@attrs.frozen
class TrainingAnalysis:
    """Every rule a plan breaks, hard ones first, each with a sentence."""

    violations: tuple[TrainingViolation, ...]

    @property
    def hard(self) -> tuple[TrainingViolation, ...]:
        """Broken hard rules."""
        return tuple(v for v in self.violations if v.hard)

    @property
    def soft(self) -> tuple[TrainingViolation, ...]:
        """Broken soft rules."""
        return tuple(v for v in self.violations if not v.hard)

    @property
    def feasible(self) -> bool:
        """No hard rule is broken."""
        return not self.hard


def earlier_topics(previous: TrainingPlan | None,
                   period: Period) -> dict[str, tuple[str, ...]]:
    """Person → topics taught to them in ``period``'s calendar year before ``period`` starts.

    From ``previous``: its history, when it is of the same year, and its
    sessions dated in that year before the period. A new year starts afresh:
    the curriculum rotates anew each year.
    """
    if previous is None:
        return {}
    year = period.start.year
    had: dict[str, set[str]] = {}
    if previous.period.start.year == year:
        for person, topics in previous.history.items():
            had.setdefault(person, set()).update(topics)
    for s in previous.sessions:
        if s.date.year == year and s.date < period.start:
            for person in s.participants:
                had.setdefault(person, set()).add(s.topic)
    return _history(had)


def _history(value: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    # sorted people, sorted topics, nobody without topics: equal plans compare and dump equal
    return {k: tuple(sorted(set(value[k]))) for k in sorted(value) if value[k]}


@attrs.frozen
class TrainingPlan:
    """The sessions of a period, with what the planner could not place."""

    period: Period
    sessions: tuple[TrainingSession, ...]
    """Sorted by date, then id."""
    strategy: str = ""
    target: int = 0
    """Sessions each participant needs in the period."""
    unmet: tuple[TrainingViolation, ...] = ()
    """Needs the strategy could not meet, each named with its reason."""
    violations: tuple[TrainingViolation, ...] = ()
    """Every rule the plan breaks, as :func:`~advisors.training.rules.analyse_training` found."""
    history: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_history)
    """Person → topics taught to them earlier in the same calendar year, before ``period``
    (from the previous plans), so that plans made month by month rotate topics over the year."""

    @property
    def analysis(self) -> TrainingAnalysis:
        """The plan's violations as an analysis (hard, soft, feasible)."""
        return TrainingAnalysis(self.violations)

    def sessions_of(self, person: str) -> list[TrainingSession]:
        """Sessions ``person`` is booked into, by date."""
        return [s for s in self.sessions if person in s.participants]

    def by_id(self) -> dict[str, TrainingSession]:
        """Sessions indexed by id."""
        return {s.id: s for s in self.sessions}

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form; :meth:`from_dict` reads it back equal."""
        return {
            "kind": "training",
            "period": self.period.as_dict(),
            "strategy": self.strategy,
            "target": self.target,
            "sessions": [s.as_dict() for s in self.sessions],
            "unmet": [v.as_dict() for v in self.unmet],
            "violations": [v.as_dict() for v in self.violations],
            "history": {k: list(v) for k, v in self.history.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingPlan:
        """Inverse of :meth:`as_dict`."""
        return cls(Period.from_dict(data["period"]),
                   tuple(TrainingSession.from_dict(s) for s in data["sessions"]),
                   str(data.get("strategy", "")), int(data.get("target", 0)),
                   tuple(TrainingViolation.from_dict(v) for v in data.get("unmet", ())),
                   tuple(TrainingViolation.from_dict(v) for v in data.get("violations", ())),
                   {str(k): tuple(v) for k, v in data.get("history", {}).items()})

    def to_json(self) -> str:
        """Deterministic JSON text."""
        return jsontext.dumps(self.as_dict()) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TrainingPlan:
        """Read :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))

    def csv_rows(self) -> list[list[str]]:
        """Rows of ``sessions.csv``, header first; participants ``;``-joined."""
        rows = [["session", "date", "start", "end", "venue", "trainer", "language", "topic",
                 "participants"]]
        for s in self.sessions:
            rows.append([s.id, s.date.isoformat(), s.start, s.end, s.venue, s.trainer,
                         ";".join(s.language), s.topic, ";".join(s.participants)])
        return rows


@attrs.frozen
class Participant:
    """A person to train in the period, with where and in which stream."""

    id: str
    name: str
    village: str
    township: str
    role: str
    status: str
    languages: tuple[str, ...]
    """The person's languages, or their village's when the person lists none."""
    venue: str
    """Home venue id; empty when no venue is within reach."""
    stream: str
    """``all`` (joint), ``legal_savvy`` or ``cadres`` (separate)."""
    venue_km: float
    """Road km from the village to the home venue (to the nearest venue when none is in reach)."""


def _stream(person: Person, cadres: str) -> str:
    if cadres != "separate":
        return "all"
    return "legal_savvy" if person.role == "legal_savvy" else "cadres"


@attrs.frozen
class TrainingProblem:
    """Everything a training planner needs, derived once from a dataset and a period."""

    dataset: Dataset
    period: Period
    target: int
    participants: tuple[Participant, ...]
    """Active and candidate people, sorted by id."""
    venues: Mapping[str, Venue]
    """Venue id → venue, the virtual ones included."""
    venues_of_township: Mapping[str, tuple[str, ...]]
    travel: TravelModel
    """Road km between villages, trainers and venues (virtual ones included)."""
    previous: TrainingPlan | None = None
    earlier: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Person → topics taught to them earlier in the period's calendar year
    (:func:`earlier_topics`)."""
    busy: Timetable | None = None
    """Trainers' other bookings (visits, hotline shifts) a session must fit around."""
    analysed: list[tuple[TrainingPlan, TrainingAnalysis]] = attrs.field(
        factory=list, init=False, eq=False, repr=False)
    """The plans :func:`~advisors.training.rules.analyse_training` checked against this
    problem, with their analyses: a planner ranks its plan and the facade checks the same
    plan again, once."""

    @classmethod
    def build(cls, dataset: Dataset, period: Period,
              previous: TrainingPlan | None = None,
              busy: Timetable | None = None) -> TrainingProblem:
        """Derive participants, home venues and the target from the dataset."""
        policy = dataset.policy.training
        venues: dict[str, Venue] = {v.id: v for v in dataset.venues}
        of_township: dict[str, list[str]] = {}
        for v in dataset.venues:
            of_township.setdefault(v.township, []).append(v.id)
        for centre in dataset.virtual_venues():
            venues[centre.id] = centre
            of_township[centre.township] = [centre.id]
        points: dict[str, tuple[float, float]] = {}
        for records in (dataset.villages, dataset.trainers, venues.values()):
            for r in records:
                points[r.id] = (r.lat, r.lon)
        travel = TravelModel.build(points, dataset.travel, dataset.policy.road_factor,
                                   dataset.policy.speed_kmh)
        limit = policy.max_participant_travel_km
        all_venues = Reach(travel, venues)
        home: dict[str, tuple[str, float]] = {}
        participants = []
        for person in sorted(dataset.people, key=lambda p: p.id):
            if person.status not in ("active", "candidate"):
                continue
            village = dataset.village_by_id[person.village]
            if village.id not in home:
                home[village.id] = _home_venue(village.id, of_township.get(village.township, []),
                                               all_venues, limit)
            venue, km = home[village.id]
            participants.append(Participant(
                person.id, person.name, village.id, village.township, person.role,
                person.status, person.languages or village.languages, venue,
                _stream(person, policy.cadres), km,
            ))
        known = {p.id for p in participants}
        earlier = {k: v for k, v in earlier_topics(previous, period).items() if k in known}
        return cls(dataset, period, session_target(policy.sessions_per_person_year, period),
                   tuple(participants), venues,
                   {k: tuple(v) for k, v in sorted(of_township.items())}, travel, previous,
                   earlier, busy)

    def participant_by_id(self) -> dict[str, Participant]:
        """Participants indexed by id."""
        return {p.id: p for p in self.participants}

    def trainer_free(self, trainer: Trainer, day: dt.date, venue: str) -> bool:
        """Whether the trainer's other bookings leave the session's time at ``venue`` free."""
        if self.busy is None:
            return True
        policy = self.dataset.policy.training
        return self.busy.fits(trainer.person, day, minutes_of(policy.session_start),
                              minutes_of(policy.session_end), venue)

    def township_name(self, township: str) -> str:
        """The township's Chinese name (its id if unknown)."""
        t = self.dataset.township_by_id.get(township)
        return t.name if t is not None else township


def _home_venue(village: str, own: Sequence[str], every: Reach,
                limit: float) -> tuple[str, float]:
    travel = every.travel
    for venue in own:
        km = travel.road_km(village, venue)
        if km <= limit:
            return venue, km
    # outside the township: the nearest venue in reach, ties by id
    near = every.within(village, limit)
    if near:
        return near[0][1], near[0][0]
    # none in reach: how far the nearest is, for the explanation
    best = min(((travel.road_km(village, v), v) for v in every.ids), default=(math.inf, ""))
    return "", best[0]
