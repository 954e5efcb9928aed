"""The Dataset: everything one plan is made from, indexed and checked as a whole.

Records are checked one by one where they are built (:mod:`advisors.model`);
here the whole is checked: ids unique across every kind, every reference
resolves, trainers' topics are in the curriculum. :meth:`Dataset.build`
collects every such problem and raises one :class:`~advisors.errors.DataError`.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import operator
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..calendar import WorkCalendar
from ..errors import Problem, ProblemList
from ..geo import TravelModel
from ..languages import normalize_language
from ..limits import record_values
from ..locale.codes import fold, reverse
from ..model import (
    Advisor,
    Attendance,
    ExistingAssignment,
    Person,
    Request,
    Township,
    Trainer,
    TravelTime,
    Unavailability,
    Venue,
    Village,
)
from ..policy import Policy

__all__ = ["COLLECTIONS", "VIRTUAL_VENUE_CAPACITY", "Dataset"]

VIRTUAL_VENUE_CAPACITY = 40
"""Seats of a township centre standing in for a venue the dataset does not list."""

COLLECTIONS: tuple[str, ...] = (
    "townships",
    "villages",
    "advisors",
    "trainers",
    "people",
    "venues",
    "assignments",
    "unavailability",
    "requests",
    "attendance",
    "travel",
)
"""The record collections of a dataset, in file order; each is ``<name>.csv`` in a folder."""

_IDENTIFIED = ("townships", "villages", "advisors", "trainers", "people", "venues", "requests")
"""Collections whose records have an ``id``; ids are unique across all of them."""
_INDEX_OF = {
    "townships": "township_by_id",
    "villages": "village_by_id",
    "advisors": "advisor_by_id",
    "trainers": "trainer_by_id",
    "people": "person_by_id",
    "venues": "venue_by_id",
    "requests": "request_by_id",
}

_GROUPED_BY = {"villages": "township", "people": "village"}
"""Collections the Dataset groups, and by which field."""

_PREBUILT: contextvars.ContextVar[Mapping[tuple[str, str], tuple[Any, Any]] | None] = (
    contextvars.ContextVar("advisors_prebuilt_indexes", default=None)
)
"""Indexes a loader built while reading: (collection, "id" or field) → (records, index)."""


@contextlib.contextmanager
def _prebuilt(indexes: Mapping[tuple[str, str], tuple[Any, Any]]) -> Iterator[None]:
    """Datasets made inside take these indexes instead of building them again.

    An index is used only for the very tuple of records it was built from,
    so a Dataset is the same whether or not its loader gave any.
    """
    token = _PREBUILT.set(indexes)
    try:
        yield
    finally:
        _PREBUILT.reset(token)


Origins = Mapping[str, Sequence[int]]
"""Collection name → the file line of each record, for located messages."""


def _index(records: Iterable[Any]) -> dict[str, Any]:
    records = tuple(records)
    return dict(zip(map(_get_id, records), records, strict=True))


def _group(records: Iterable[Any], key: str) -> dict[str, tuple[Any, ...]]:
    # Files usually list a village's people together: take each run in one step
    # (groupby works in C); a key met again later extends its group.
    groups: dict[str, list[Any]] = {}
    get = groups.get
    for k, run in itertools.groupby(records, operator.attrgetter(key)):
        found = get(k)
        if found is None:
            groups[k] = list(run)
        else:
            found.extend(run)
    return dict(zip(groups, map(tuple, groups.values()), strict=True))


_get_id = operator.attrgetter("id")


def _topics_by_id(trainers: tuple[Trainer, ...], policy: Policy) -> tuple[Trainer, ...]:
    """Trainers whose topics are written by the policy's name (``民法典``) get the topic id.

    A topic neither an id nor a name stays as written, for :meth:`Dataset.check`.
    """
    curriculum = set(policy.training.curriculum)
    if all(curriculum.issuperset(t.topics) for t in trainers):
        return trainers
    ids = reverse(policy.training.topic_names)

    def topic_id(topic: str) -> str:
        return topic if topic in curriculum else ids.get(fold(topic), topic)

    return tuple(
        t if curriculum.issuperset(t.topics)
        else attrs.evolve(t, topics=tuple(dict.fromkeys(map(topic_id, t.topics))))
        for t in trainers)


@attrs.frozen
class Dataset:
    """Townships, villages, advisors, trainers and people, with the policy and calendar."""

    townships: tuple[Township, ...] = attrs.field(converter=tuple)
    villages: tuple[Village, ...] = attrs.field(converter=tuple)
    advisors: tuple[Advisor, ...] = attrs.field(converter=tuple)
    trainers: tuple[Trainer, ...] = attrs.field(default=(), converter=tuple)
    people: tuple[Person, ...] = attrs.field(default=(), converter=tuple)
    venues: tuple[Venue, ...] = attrs.field(default=(), converter=tuple)
    assignments: tuple[ExistingAssignment, ...] = attrs.field(default=(), converter=tuple)
    """Contracts in force (``assignments.csv``); pinned ones are kept by every strategy."""
    unavailability: tuple[Unavailability, ...] = attrs.field(default=(), converter=tuple)
    requests: tuple[Request, ...] = attrs.field(default=(), converter=tuple)
    """Legal-aid priority requests (``requests.csv``): the visit planner books each one."""
    attendance: tuple[Attendance, ...] = attrs.field(default=(), converter=tuple)
    travel: tuple[TravelTime, ...] = attrs.field(default=(), converter=tuple)
    policy: Policy = attrs.field(factory=Policy)
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar)
    """Festivals and overrides; :attr:`work_calendar` adds the absences."""
    extras: Mapping[str, Mapping[str, Mapping[str, str]]] = attrs.field(factory=dict, eq=False)
    """Columns a file had beyond the format: file → record key → column → value.

    Kept so that writing the dataset back loses nothing; never used in planning."""

    township_by_id: Mapping[str, Township] = attrs.field(init=False, repr=False, eq=False)
    village_by_id: Mapping[str, Village] = attrs.field(init=False, repr=False, eq=False)
    advisor_by_id: Mapping[str, Advisor] = attrs.field(init=False, repr=False, eq=False)
    trainer_by_id: Mapping[str, Trainer] = attrs.field(init=False, repr=False, eq=False)
    person_by_id: Mapping[str, Person] = attrs.field(init=False, repr=False, eq=False)
    venue_by_id: Mapping[str, Venue] = attrs.field(init=False, repr=False, eq=False)
    request_by_id: Mapping[str, Request] = attrs.field(init=False, repr=False, eq=False)
    villages_of_township: Mapping[str, tuple[Village, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    people_of_village: Mapping[str, tuple[Person, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "trainers", _topics_by_id(self.trainers, self.policy))
        prebuilt = _PREBUILT.get() or {}

        def built(collection: str, field: str) -> Any:
            found = prebuilt.get((collection, field))
            records = getattr(self, collection)
            if found is not None and found[0] is records:
                return found[1]
            return _index(records) if field == "id" else _group(records, field)

        for collection, index in _INDEX_OF.items():
            set_(self, index, built(collection, "id"))
        set_(self, "villages_of_township", built("villages", "township"))
        set_(self, "people_of_village", built("people", "village"))

    @classmethod
    def build(cls, *, origins: Origins | None = None, **collections: Any) -> Dataset:
        """Make a Dataset and check it as a whole; raise one DataError listing every problem.

        ``origins`` gives each record's file line (loaders pass it) so that a
        problem is reported as ``people.csv:57`` rather than ``people[55]``.
        """
        dataset = cls(**collections)
        problems = ProblemList()
        problems.extend(dataset.check(origins))
        problems.raise_if_any()
        return dataset

    @property
    def work_calendar(self) -> WorkCalendar:
        """The calendar with every advisor's and trainer's absences.

        A trainer who is also an advisor (``trainers.csv`` column ``advisor``) is
        one person: an absence under either id holds for both."""
        spans = list(self.unavailability)
        linked = {t.id: t.advisor for t in self.trainers if t.advisor}
        if linked:
            back = {advisor: trainer for trainer, advisor in linked.items()}
            for span in self.unavailability:
                other = linked.get(span.who) or back.get(span.who)
                if other:
                    spans.append(attrs.evolve(span, who=other))
        calendar = self.calendar.with_unavailability(spans)
        policy = self.policy.calendar
        if not (policy.extended_festivals and policy.extended_days):
            return calendar
        of_kind: dict[str, list[str]] = {}
        for township in self.townships:
            of_kind.setdefault(township.kind, []).append(township.id)
        return calendar.with_extensions(policy.extended_festivals, policy.extended_days, of_kind)

    def person_of(self, ident: str) -> str:
        """The timetable id of an advisor or trainer (a trainer's advisor id when linked)."""
        trainer = self.trainer_by_id.get(ident)
        return trainer.person if trainer is not None else ident

    def virtual_venues(self) -> tuple[Venue, ...]:
        """A venue ``<township>-centre`` at the mean position of its villages, for every
        township with villages and no venue of its own (where its training is held)."""
        with_venue = {v.township for v in self.venues}
        out = []
        for township in self.townships:
            villages = self.villages_of_township.get(township.id, ())
            if township.id in with_venue or not villages:
                continue
            lat = sum(v.lat for v in villages) / len(villages)
            lon = sum(v.lon for v in villages) / len(villages)
            out.append(Venue(f"{township.id}-centre", township.name, township.id,
                             round(lat, 5), round(lon, 5), VIRTUAL_VENUE_CAPACITY))
        return tuple(out)

    def travel_model(self) -> TravelModel:
        """Road km and minutes between any two located ids (township centres included)."""
        points: dict[str, tuple[float, float]] = {}
        for records in (self.villages, self.advisors, self.trainers, self.venues,
                        self.virtual_venues()):
            for r in records:
                points[r.id] = (r.lat, r.lon)
        return TravelModel.build(
            points, self.travel, self.policy.road_factor, self.policy.speed_kmh
        )

    def capacity(self, advisor: Advisor) -> int:
        """The advisor's capacity in villages, the policy default where none is given."""
        return self.policy.capacity_of(advisor.capacity)

    def check(
        self,
        origins: Origins | None = None,
        incomplete: Iterable[str] = (),
        rejected: Mapping[str, Container[str]] | None = None,
    ) -> list[Problem]:
        """Every whole-dataset problem: duplicate ids, unknown references, unknown topics.

        Loaders pass what they could not read, having reported why, so that
        one bad row is not reported again as every row that points to it:
        ``incomplete`` names collections (and ``"policy"``) not read at all —
        references into them and topics checked against a failed policy are
        skipped — and ``rejected`` gives, per collection, the ids of rows that
        were rejected; references to those are not reported.
        """
        problems: list[Problem] = []
        skip = set(incomplete)
        dropped = rejected or {}

        def where(collection: str, i: int, record: Any) -> tuple[str, int | None]:
            lines = (origins or {}).get(collection)
            if lines is not None and i < len(lines):
                return f"{collection}.csv", lines[i]
            ident = getattr(record, "id", None)
            return (f"{collection}[{i}]" + (f" (id {ident!r})" if ident else "")), None

        def report(collection: str, i: int, record: Any, field: str, message: str,
                   value: str, expected: str) -> None:
            source, line = where(collection, i, record)
            problems.append(Problem(source, message, line, field, value, expected))

        if self._ids_may_repeat():
            seen: dict[str, str] = {}
            for collection in _IDENTIFIED:
                for i, record in enumerate(getattr(self, collection)):
                    first = seen.get(record.id)
                    if first is not None:
                        report(collection, i, record, "id", "duplicate id", record.id,
                               f"an id not already used (first used in {first})")
                    else:
                        seen[record.id] = collection

        def ref(collection: str, field: str, targets: Sequence[str], kind: str) -> None:
            if skip.intersection(targets):
                return  # a file it points into was not read whole: misses would be echoes
            maps: list[Container[str]] = [getattr(self, _INDEX_OF[t]) for t in targets]
            maps += [dropped[t] for t in targets if dropped.get(t)]
            records = getattr(self, collection)

            def known(value: str) -> bool:
                return any(value in m for m in maps)

            # One pass in C first: millions of people usually all resolve.
            contains = maps[0].__contains__ if len(maps) == 1 else known
            if all(map(contains, map(operator.attrgetter(field), records))):
                return
            for i, record in enumerate(records):
                value = getattr(record, field)
                if not known(value):
                    report(collection, i, record, field, "unknown reference", value,
                           f"the id of a {kind}")

        ref("villages", "township", ["townships"], "township in townships.csv")
        ref("venues", "township", ["townships"], "township in townships.csv")
        ref("people", "village", ["villages"], "village in villages.csv")
        ref("assignments", "village", ["villages"], "village in villages.csv")
        ref("assignments", "advisor", ["advisors"], "advisor in advisors.csv")
        ref("requests", "village", ["villages"], "village in villages.csv")
        ref("attendance", "person", ["people"], "person in people.csv")
        ref("unavailability", "who", ["advisors", "trainers"], "advisor or trainer")
        linked = [t for t in self.trainers if t.advisor]
        if linked and "advisors" not in skip:
            named: dict[str, str] = {}
            for i, trainer in enumerate(self.trainers):
                if trainer.advisor and trainer.advisor not in self.advisor_by_id:
                    report("trainers", i, trainer, "advisor", "unknown reference",
                           trainer.advisor, "the id of an advisor in advisors.csv, or empty")
                elif trainer.advisor in named:
                    report("trainers", i, trainer, "advisor", "advisor named twice",
                           trainer.advisor, f"an advisor no other trainer is "
                           f"(already {named[trainer.advisor]})")
                elif trainer.advisor:
                    named[trainer.advisor] = trainer.id
        located = ["villages", "advisors", "trainers", "venues"]
        ref("travel", "origin", located, "village, advisor, trainer or venue")
        ref("travel", "destination", located, "village, advisor, trainer or venue")

        for collection in COLLECTIONS:
            records = getattr(self, collection)
            for i, field, value, expected in record_values(records):
                report(collection, i, records[i], field, "value not accepted", value, expected)

        for i, advisor in enumerate(self.advisors):
            if advisor.role == "justice_office" and not advisor.township:
                report("advisors", i, advisor, "township", "empty required field", "",
                       "for 司法所 staff (justice_office): the township of their office")
            elif (advisor.township and "townships" not in skip
                  and advisor.township not in self.township_by_id):
                report("advisors", i, advisor, "township", "unknown reference",
                       advisor.township, "the id of a township in townships.csv")

        for i, festival in enumerate(self.calendar.festivals):
            for key, index in (("townships", self.township_by_id),
                               ("villages", self.village_by_id)):
                if key in skip:
                    continue
                for ident in getattr(festival, key):
                    if ident not in index:
                        problems.append(Problem("calendar.toml" if origins else "calendar",
                                                "unknown reference", None,
                                                f"festival[{i}].{key}", ident,
                                                f"the id of a {key[:-1]} in {key}.csv"))

        for i, span in enumerate(self.unavailability):
            # Loaders build records with validators off, so the span is checked here too.
            if span.end < span.start:
                report("unavailability", i, span, "end", "ends before it starts",
                       span.end.isoformat(), f"a date on or after {span.start.isoformat()}")

        assigned: set[str] = set()
        for i, row in enumerate(self.assignments):
            if row.village in assigned:
                report("assignments", i, row, "village", "village assigned twice", row.village,
                       "one advisor of record per village")
            assigned.add(row.village)

        curriculum = set(self.policy.training.curriculum)
        names = self.policy.training.topic_names
        for i, trainer in enumerate(() if "policy" in skip else self.trainers):
            for topic in trainer.topics:
                if topic not in curriculum:
                    report("trainers", i, trainer, "topics", "unknown topic", topic,
                           "a topic of the policy's curriculum: " + ", ".join(
                               f"{names.get(c, c)} ({c})" for c in sorted(curriculum)))
        hotline_venue = self.policy.hotline.venue
        if hotline_venue and "venues" not in skip and hotline_venue not in self.venue_by_id:
            problems.append(Problem("policy", "unknown venue", None, "hotline.venue",
                                    hotline_venue, "the id of a venue in venues.csv, or empty"))
        for tag in self.policy.hotline.required_languages:
            if normalize_language(tag) != tag:
                problems.append(Problem("policy", "unknown language", None,
                                        "hotline.required_languages", tag, "a language tag"))
        return problems

    def _ids_may_repeat(self) -> bool:
        """Whether any id is used twice; exact and cheap, from the indexes already built."""
        indexes = [getattr(self, _INDEX_OF[c]) for c in _IDENTIFIED]
        if any(len(index) != len(getattr(self, c)) for index, c in zip(indexes, _IDENTIFIED,
                                                                         strict=True)):
            return True
        return any(
            not a.keys().isdisjoint(b.keys())
            for i, a in enumerate(indexes) for b in indexes[i + 1:]
        )

    def summary(self) -> list[dict[str, Any]]:
        """Per township: villages, advisors of record, villages without one, people vs target."""
        record_of = {a.village: a.advisor for a in self.assignments}
        target = self.policy.training.legal_savvy_per_village
        rows = []
        for township in self.townships:
            villages = self.villages_of_township.get(township.id, ())
            covered = [v for v in villages if v.id in record_of]
            active = below = 0
            for v in villages:
                n = sum(
                    1 for p in self.people_of_village.get(v.id, ())
                    if p.role == "legal_savvy" and p.status == "active"
                )
                active += n
                below += n < target
            rows.append({
                "township": township.id,
                "name": township.name,
                "villages": len(villages),
                "communities": sum(1 for v in villages if v.kind == "community"),
                "advisors_of_record": len({record_of[v.id] for v in covered}),
                "villages_without_advisor": len(villages) - len(covered),
                "legal_savvy_active": active,
                "legal_savvy_target": target * len(villages),
                "villages_below_target": below,
            })
        return rows
