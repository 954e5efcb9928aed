"""The roster and its gaps, and training progress from sign-in sheets.

:func:`training_progress` reads attendance rows (``session, person, hours``)
and tells, per person: sessions attended in the period and hours in all,
completion against the period's target, whether a candidate has the hours to
be certified, whether they are behind target, and whether an active
legal-savvy person is due for removal (动态清退: no attendance, and no
certification, for ``policy.training.inactive_after_months`` months; or,
with a plan, ``removal_after_missed`` booked sessions missed). Per
village: active legal-savvy persons against ``legal_savvy_per_village``,
candidates in the pipeline, and how many new candidates the village must
nominate (at least ``new_candidates_per_village_year``, and enough to close
the gap). Per township: the sums.

Sessions are known from ``plan`` when one is given; without a plan a session
id must have the planner's form ``training/<township>/<YYYY-MM>/<n>`` with a
known township, and its month stands for its date. An unknown session or
person is a :class:`~advisors.errors.DataError` whose problems name
``attendance.csv`` and the field; the line is taken from ``origins`` (file
line of each row) when given, else the row is named by its number (1 = the
first row after the header) in the message.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..data import jsontext
from ..data.dataset import Dataset
from ..errors import ProblemList
from ..model import Attendance
from ..period import Period
from .problem import TrainingPlan, session_target

__all__ = ["PersonProgress", "TownshipProgress", "TrainingProgress", "VillageProgress",
           "training_progress"]

_SESSION_ID = re.compile(r"training/([A-Za-z0-9_.\-]+)/(\d{4})-(\d{2})/\d+")


@attrs.frozen
class PersonProgress:
    """Where one person stands."""

    person: str
    village: str
    township: str
    role: str
    status: str
    sessions: int
    """Sessions attended in the period (all sessions when there is no period)."""
    hours: float
    """Training hours in all attendance rows."""
    target: int
    planned: int
    """Sessions the plan books the person into after ``as_of``."""
    completion: float
    """``sessions / target``, at most 1 (1 when the target is 0)."""
    certification_eligible: bool
    """A candidate with at least ``certification_hours`` hours."""
    behind_target: bool
    """Attended plus still planned is below the target."""
    due_for_removal: bool
    last_session: dt.date | None
    missed: int = 0
    """Sessions of the plan, up to ``as_of``, the person was booked into and has no
    attendance row for (0 without a plan)."""


@attrs.frozen
class VillageProgress:
    """A village's legal-savvy persons against the target."""

    village: str
    name: str
    township: str
    active: int
    """Active legal-savvy persons."""
    target: int
    candidates: int
    due_for_removal: tuple[str, ...]
    certification_eligible: tuple[str, ...]
    behind_target: tuple[str, ...]
    must_nominate: int
    """New candidates the village must put forward."""

    @property
    def below_target(self) -> bool:
        """Fewer active legal-savvy persons than the policy wants."""
        return self.active < self.target


@attrs.frozen
class TownshipProgress:
    """Sums over a township's villages."""

    township: str
    name: str
    villages: int
    villages_below_target: tuple[str, ...]
    active: int
    target: int
    candidates: int
    due_for_removal: int
    certification_eligible: int
    behind_target: int
    must_nominate: int


@attrs.frozen
class TrainingProgress:
    """The whole report: people, villages, townships."""

    period: Period | None
    as_of: dt.date | None
    target: int
    people: tuple[PersonProgress, ...]
    villages: tuple[VillageProgress, ...]
    townships: tuple[TownshipProgress, ...]

    def villages_below_target(self) -> list[VillageProgress]:
        """Villages with fewer active legal-savvy persons than the target."""
        return [v for v in self.villages if v.below_target]

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        def plain(x: Any) -> Any:
            if isinstance(x, dt.date):
                return x.isoformat()
            if isinstance(x, tuple):
                return [plain(i) for i in x]
            return x

        def row(obj: Any) -> dict[str, Any]:
            return {f.name: plain(getattr(obj, f.name)) for f in attrs.fields(type(obj))}

        return {
            "period": None if self.period is None else self.period.as_dict(),
            "as_of": plain(self.as_of),
            "target": self.target,
            "townships": [row(t) for t in self.townships],
            "villages": [{**row(v), "below_target": v.below_target} for v in self.villages],
            "people": [row(p) for p in self.people],
        }

    def to_json(self) -> str:
        """Deterministic JSON text."""
        return jsontext.dumps(self.as_dict()) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingProgress:
        """Inverse of :meth:`as_dict`."""
        def build(kind: type[Any], row: Mapping[str, Any]) -> Any:
            values = {}
            for f in attrs.fields(kind):
                value = row[f.name]
                if f.name == "last_session" and value is not None:
                    value = dt.date.fromisoformat(value)
                values[f.name] = tuple(value) if isinstance(value, list) else value
            return kind(**values)

        period = None if data["period"] is None else Period.from_dict(data["period"])
        as_of = None if data["as_of"] is None else dt.date.fromisoformat(data["as_of"])
        return cls(period, as_of, int(data["target"]),
                   tuple(build(PersonProgress, r) for r in data["people"]),
                   tuple(build(VillageProgress, r) for r in data["villages"]),
                   tuple(build(TownshipProgress, r) for r in data["townships"]))

    @classmethod
    def from_json(cls, text: str) -> TrainingProgress:
        """Read :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def training_progress(dataset: Dataset, attendance: Sequence[Attendance] | None = None,
                      plan: TrainingPlan | None = None, *,
                      origins: Sequence[int] | None = None,
                      as_of: dt.date | None = None) -> TrainingProgress:
    """Progress of every person, village and township; raises DataError on unknown ids.

    ``attendance`` defaults to ``dataset.attendance``. ``as_of`` (for removal
    and what is still planned) defaults to the plan's last day, else the
    latest attended session's date.
    """
    rows = dataset.attendance if attendance is None else tuple(attendance)
    policy = dataset.policy.training
    known = plan.by_id() if plan is not None else {}
    problems = ProblemList()
    dates: dict[str, dt.date] = {}
    for i, row in enumerate(rows):
        line = origins[i] if origins is not None and i < len(origins) else None
        where = "" if line is not None else f" (row {i + 1})"
        if plan is not None:
            if row.session in known:
                dates[row.session] = known[row.session].date
            else:
                problems.add("attendance.csv", "unknown session" + where, line=line,
                             field="session", value=row.session,
                             expected=f"a session of the plan for {plan.period}")
        else:
            m = _SESSION_ID.fullmatch(row.session)
            if m and m[1] in dataset.township_by_id and 1 <= int(m[3]) <= 12:
                dates[row.session] = dt.date(int(m[2]), int(m[3]), 1)
            else:
                problems.add("attendance.csv", "unknown session" + where, line=line,
                             field="session", value=row.session,
                             expected="training/<township>/<YYYY-MM>/<n> with a known township")
        if row.person not in dataset.person_by_id:
            problems.add("attendance.csv", "unknown person" + where, line=line, field="person",
                         value=row.person, expected="a person id of people.csv")
    problems.raise_if_any()

    period = plan.period if plan is not None else None
    if as_of is None:
        as_of = plan.period.end if plan is not None else max(dates.values(), default=None)
    if period is None and as_of is not None:
        period = Period(dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31), str(as_of.year))
    target = session_target(policy.sessions_per_person_year, period) if period is not None \
        else policy.sessions_per_person_year

    hours: dict[str, float] = defaultdict(float)
    attended: dict[str, set[str]] = defaultdict(set)
    last: dict[str, dt.date] = {}
    for row in rows:
        hours[row.person] += row.hours
        # a signed row counts as attendance even without hours (the column is optional)
        day = dates[row.session]
        if period is None or day in period:
            attended[row.person].add(row.session)
        if row.person not in last or day > last[row.person]:
            last[row.person] = day
    planned: dict[str, int] = defaultdict(int)
    missed: dict[str, int] = defaultdict(int)
    signed = {(row.session, row.person) for row in rows}
    if plan is not None:
        for s in plan.sessions:
            if as_of is None or s.date > as_of:
                for p in s.participants:
                    planned[p] += 1
            else:
                for p in s.participants:
                    if (s.id, p) not in signed:
                        missed[p] += 1

    people = []
    for person in sorted(dataset.people, key=lambda p: p.id):
        village = dataset.village_by_id[person.village]
        n = len(attended.get(person.id, ()))
        training = person.status in ("active", "candidate")
        seen = max((d for d in (last.get(person.id), person.certified_on) if d is not None),
                   default=None)
        gone = (seen is None or _months_between(seen, as_of) >= policy.inactive_after_months
                or 0 < policy.removal_after_missed <= missed.get(person.id, 0)) \
            if as_of is not None else False
        due = person.role == "legal_savvy" and person.status == "active" and gone
        people.append(PersonProgress(
            person.id, village.id, village.township, person.role, person.status, n,
            round(hours.get(person.id, 0.0), 2), target if training else 0,
            planned.get(person.id, 0), min(1.0, n / target) if target and training else 1.0,
            person.status == "candidate" and person.certified_on is None
            and hours.get(person.id, 0.0) >= policy.certification_hours,
            training and n + planned.get(person.id, 0) < target,
            bool(due), last.get(person.id), missed.get(person.id, 0)))
    villages = _villages(dataset, people)
    return TrainingProgress(period, as_of, target, tuple(people), villages,
                            _townships(dataset, villages))


def _villages(dataset: Dataset, people: Sequence[PersonProgress]) -> tuple[VillageProgress, ...]:
    policy = dataset.policy.training
    of_village: dict[str, list[PersonProgress]] = defaultdict(list)
    for p in people:
        of_village[p.village].append(p)
    out = []
    for village in sorted(dataset.villages, key=lambda v: (v.township, v.id)):
        ps = of_village.get(village.id, [])
        savvy = [p for p in ps if p.role == "legal_savvy"]
        active = sum(1 for p in savvy if p.status == "active")
        candidates = sum(1 for p in savvy if p.status == "candidate")
        due = tuple(p.person for p in savvy if p.due_for_removal)
        gap = policy.legal_savvy_per_village - (active - len(due)) - candidates
        out.append(VillageProgress(
            village.id, village.name, village.township, active, policy.legal_savvy_per_village,
            candidates, due, tuple(p.person for p in ps if p.certification_eligible),
            tuple(p.person for p in ps if p.behind_target),
            max(0, policy.new_candidates_per_village_year - candidates, gap)))
    return tuple(out)


def _townships(dataset: Dataset,
               villages: Sequence[VillageProgress]) -> tuple[TownshipProgress, ...]:
    of: dict[str, list[VillageProgress]] = defaultdict(list)
    for v in villages:
        of[v.township].append(v)
    out = []
    for t in dataset.townships:
        vs = of.get(t.id, [])
        out.append(TownshipProgress(
            t.id, t.name, len(vs), tuple(v.village for v in vs if v.below_target),
            sum(v.active for v in vs), sum(v.target for v in vs),
            sum(v.candidates for v in vs), sum(len(v.due_for_removal) for v in vs),
            sum(len(v.certification_eligible) for v in vs),
            sum(len(v.behind_target) for v in vs), sum(v.must_nominate for v in vs)))
    return tuple(out)
