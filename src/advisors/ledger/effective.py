"""Plan against reality: which planned visits were held, held late, missed; what was unplanned.

The ledger's service days (``duty_day`` and ``lecture`` records) are matched
to the period's planned visits village by village: first a record on the
planned day, then one within ``[ledger] match_days`` of it (the earliest
planned visit first, which matches as many as possible). A matched record is
*held*, or *held late* when it came after the planned day or started more
than ``late_minutes`` after the planned time; a planned visit left unmatched
is *missed*; a record left unmatched is *unplanned*. Other services (home
visits, consultations, mediation…) are counted, not matched.

Bad records are never counted silently. A service by an advisor who does not
serve the village, a service day that matches no plan, and overlapping
records of one advisor (in two villages at once, or the same kind twice) are
each a located :class:`Finding`; the policy's ``wrong_advisor``,
``outside_plan`` and ``overlap`` say whether such a record is counted and
listed (``warn``), listed but not counted (``exclude``), or refused with the
whole ledger (``error``, a DataError listing every such record).

The figures — planned against held per advisor, village and township,
villages visited at least once each month, lectures, home-visit appointments
kept, consultations by topic — are the "effective coverage" of the period.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from ..data.dataset import Dataset
from ..errors import DataError, Problem
from ..period import Period, month_of
from ..policy import minutes_of
from ..visits.visit_plan import Visit, VisitPlan
from .records import SERVICE_KINDS, ServiceRecord

__all__ = ["ACTIONS", "STATUSES", "Figures", "Finding", "Ledger", "Outcome", "match_ledger"]

STATUSES: Final = ("held", "late", "missed", "unplanned")
"""What became of a planned visit or a service day."""
ACTIONS: Final = ("warn", "exclude", "error")
"""What the policy may do with a bad record."""


@attrs.frozen
class Finding:
    """A record the ledger flags, located, and what was done with it."""

    rule: str
    """``wrong_advisor``, ``outside_plan`` or ``overlap``."""
    problem: Problem
    counted: bool
    """Whether the record still counts (policy ``warn``) or not (``exclude``)."""
    record: ServiceRecord = attrs.field(eq=False, repr=False)
    """The record flagged."""

    def __str__(self) -> str:
        return f"{self.problem} — {'counted' if self.counted else 'not counted'}"

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""
        return {"rule": self.rule, "counted": self.counted, **self.problem.as_dict()}


@attrs.frozen
class Outcome:
    """One planned visit with the record that held it, or one unplanned service day."""

    status: str
    """One of :data:`STATUSES`."""
    village: str
    advisor: str
    """The planned advisor; the record's advisor for an unplanned service day."""
    date: dt.date
    """The planned day; the record's day for an unplanned one."""
    visit: Visit | None = None
    record: ServiceRecord | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain form (no villagers' names)."""
        return {"status": self.status, "village": self.village, "advisor": self.advisor,
                "date": self.date.isoformat(), "visit": self.visit.id if self.visit else None,
                "held_on": self.record.date.isoformat() if self.record else None,
                "record": self.record.ref if self.record else None}


@attrs.frozen
class Figures:
    """The effective-coverage figures of one advisor, village, township, or all."""

    planned: int = 0
    held: int = 0
    """Planned visits held on time."""
    late: int = 0
    """Planned visits held late."""
    missed: int = 0
    unplanned: int = 0
    """Service days that matched no planned visit (and were counted)."""
    lectures_planned: int = 0
    lectures_held: int = 0
    appointments_planned: int = 0
    appointments_kept: int = 0
    villages: int = 0
    villages_every_month: int = 0
    """Villages with a service day in every month of the period."""
    people_served: int = 0
    records: int = 0
    """Counted ledger records (every kind)."""
    complete: int = 0
    """Counted records with people served and a note filled in."""
    services: Mapping[str, int] = attrs.field(factory=dict)
    """Counted records by kind."""
    consultations: Mapping[str, int] = attrs.field(factory=dict)
    """Consultations by topic."""

    @property
    def held_total(self) -> int:
        """Planned visits held, on time or late."""
        return self.held + self.late

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""
        out = attrs.asdict(self)
        out["held_total"] = self.held_total
        return out


def _check_actions(dataset: Dataset) -> None:
    policy = dataset.policy.ledger
    bad = [Problem("policy", "unknown action", field=f"ledger.{name}", value=value,
                   expected="one of " + ", ".join(ACTIONS))
           for name, value in (("wrong_advisor", policy.wrong_advisor),
                               ("outside_plan", policy.outside_plan),
                               ("overlap", policy.overlap)) if value not in ACTIONS]
    if bad:
        raise DataError(bad)


def _conflicts(a: ServiceRecord, b: ServiceRecord) -> bool:
    # A consultation during a duty day in the same village is normal; being in
    # two villages at once, or writing the same kind of service twice, is not.
    if a.advisor != b.advisor or a.date != b.date:
        return False
    (a0, a1), (b0, b1) = a.minutes, b.minutes
    return a0 < b1 and b0 < a1 and (a.village != b.village or a.kind == b.kind)


@attrs.frozen
class Ledger:
    """A period's plan against its ledger: outcomes, findings and figures."""

    period: Period
    outcomes: tuple[Outcome, ...]
    """Every planned visit of the period (held, late or missed) and every counted
    unplanned service day, by date, village, status."""
    services: tuple[ServiceRecord, ...]
    """Counted records of the other kinds (home visits, consultations…)."""
    excluded: tuple[ServiceRecord, ...]
    """Records the policy does not count (each has a finding)."""
    findings: tuple[Finding, ...]
    advisor_of: Mapping[str, str | None]
    """Village → advisor of record, as used for the check."""
    by_village: Mapping[str, Figures]
    by_advisor: Mapping[str, Figures]
    by_township: Mapping[str, Figures]
    total: Figures
    monthly: Mapping[str, Mapping[str, int]]
    """``YYYY-MM`` → township → villages with at least one service day that month."""

    @property
    def counted(self) -> tuple[ServiceRecord, ...]:
        """Every counted record, in ledger order."""
        days = [o.record for o in self.outcomes if o.record is not None]
        return tuple(sorted([*days, *self.services], key=lambda r: r.key))

    def outcomes_of(self, village: str) -> tuple[Outcome, ...]:
        """The outcomes of one village, by date."""
        return tuple(o for o in self.outcomes if o.village == village)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form without villagers' names."""
        return {
            "period": self.period.as_dict(),
            "total": self.total.as_dict(),
            "townships": {k: v.as_dict() for k, v in self.by_township.items()},
            "advisors": {k: v.as_dict() for k, v in self.by_advisor.items()},
            "villages": {k: v.as_dict() for k, v in self.by_village.items()},
            "monthly": {m: dict(t) for m, t in self.monthly.items()},
            "outcomes": [o.as_dict() for o in self.outcomes],
            "findings": [f.as_dict() for f in self.findings],
        }


class _Matcher:
    """Builds a :class:`Ledger`; one instance per call of :func:`match_ledger`."""

    def __init__(self, dataset: Dataset, period: Period, visits: Sequence[Visit],
                 advisor_of: Mapping[str, str | None]) -> None:
        self.dataset = dataset
        self.period = period
        self.policy = dataset.policy.ledger
        self.visits = [v for v in visits if v.date in period]
        self.advisor_of = advisor_of
        self.findings: list[Finding] = []
        self.errors: list[Problem] = []
        self.excluded: list[ServiceRecord] = []

    def flag(self, rule: str, record: ServiceRecord, problem: Problem) -> bool:
        """Apply the policy to a bad record; whether it is still counted."""
        action = str(getattr(self.policy, rule))
        if action == "error":
            self.errors.append(problem)
            return False
        self.findings.append(Finding(rule, problem, action == "warn", record))
        if action == "exclude":
            self.excluded.append(record)
        return action == "warn"

    def screen(self, records: Iterable[ServiceRecord]) -> list[ServiceRecord]:
        """Records of the period that pass the advisor and overlap checks (or only warn)."""
        kept: list[ServiceRecord] = []
        by_day: dict[tuple[str, dt.date], list[ServiceRecord]] = {}
        # file order: of two overlapping records, the one written later is flagged
        for r in sorted((r for r in records if r.date in self.period),
                        key=lambda r: (r.source, r.line or 0, r.key)):
            serves = self.advisor_of.get(r.village)
            if serves != r.advisor:
                whom = f"the village's advisor is {serves}" if serves else "no advisor of record"
                if not self.flag("wrong_advisor", r, Problem(
                        r.source, f"service by an advisor who does not serve {r.village} "
                        f"({whom})", r.line, "advisor", r.advisor, serves or "")):
                    continue
            same = by_day.setdefault((r.advisor, r.date), [])
            clash = next((o for o in same if _conflicts(o, r)), None)
            if clash is not None and not self.flag("overlap", r, Problem(
                    r.source, f"overlaps {clash.ref} ({clash.village} {clash.start}–{clash.end}"
                    f" {clash.kind})", r.line, "start", f"{r.start}–{r.end}",
                    "one place and one record of a kind at a time")):
                continue
            same.append(r)
            kept.append(r)
        return sorted(kept, key=lambda r: r.key)

    def match(self, days: Sequence[ServiceRecord]) -> list[Outcome]:
        """Planned visits against service-day records, village by village."""
        planned: dict[str, list[Visit]] = {}
        for v in sorted(self.visits, key=lambda v: (v.date, v.start, v.id)):
            planned.setdefault(v.village, []).append(v)
        records: dict[str, list[ServiceRecord]] = {}
        for r in days:
            records.setdefault(r.village, []).append(r)
        outcomes: list[Outcome] = []
        for village in sorted(set(planned) | set(records)):
            outcomes += self._match_village(planned.get(village, []), records.get(village, []))
        return outcomes

    def _match_village(self, plan: list[Visit], recs: list[ServiceRecord]) -> list[Outcome]:
        used: dict[int, ServiceRecord] = {}  # index into plan → record
        left: list[ServiceRecord] = []
        for r in recs:  # first pass: on the planned day
            i = next((i for i, v in enumerate(plan) if v.date == r.date and i not in used), None)
            if i is None:
                left.append(r)
            else:
                used[i] = r
        window = dt.timedelta(days=self.policy.match_days)
        dates = [v.date for v in plan]
        unplanned: list[ServiceRecord] = []
        for r in left:  # equal windows sorted by start: earliest free visit maximises matches
            i = bisect.bisect_left(dates, r.date - window)
            while i < len(plan) and (i in used):
                i += 1
            if i < len(plan) and plan[i].date <= r.date + window:
                used[i] = r
            else:
                unplanned.append(r)
        out = []
        for i, v in enumerate(plan):
            held = used.get(i)
            if held is None:
                out.append(Outcome("missed", v.village, v.advisor, v.date, v))
                continue
            late = held.date > v.date or (
                held.date == v.date
                and held.minutes[0] > minutes_of(v.start) + self.policy.late_minutes)
            out.append(Outcome("late" if late else "held", v.village, v.advisor, v.date, v,
                               held))
        for r in unplanned:
            if self.flag("outside_plan", r, Problem(
                    r.source, f"service day matches no planned visit of {r.village} within "
                    f"{self.policy.match_days} days", r.line, "date", r.date.isoformat(),
                    "a day of the plan")):
                out.append(Outcome("unplanned", r.village, r.advisor, r.date, None, r))
        return out


def _figures(outcomes: Sequence[Outcome], services: Sequence[ServiceRecord],
             months: Sequence[str]) -> Figures:
    records = [o.record for o in outcomes if o.record is not None] + list(services)
    visits = [o.visit for o in outcomes if o.visit is not None]
    planned_apps = {a for v in visits for a in v.appointments}
    kept_apps = {r.appointment for r in services
                 if r.kind == "home_visit" and r.appointment in planned_apps}
    visited: dict[str, set[str]] = {}
    for o in outcomes:
        if o.record is not None:
            visited.setdefault(o.village, set()).add(month_of(o.record.date))
    villages = {o.village for o in outcomes} | {r.village for r in services}
    kinds: dict[str, int] = {}
    topics: dict[str, int] = {}
    for r in records:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
        for t, n in r.consultations.items():
            topics[t] = topics.get(t, 0) + n
    count = {s: sum(o.status == s for o in outcomes) for s in STATUSES}
    return Figures(
        planned=len(visits), held=count["held"], late=count["late"], missed=count["missed"],
        unplanned=count["unplanned"],
        lectures_planned=sum(v.lecture for v in visits),
        lectures_held=sum(r.kind == "lecture" for r in records),
        appointments_planned=len(planned_apps), appointments_kept=len(kept_apps),
        villages=len(villages),
        villages_every_month=sum(all(m in visited.get(v, ()) for m in months)
                                 for v in villages),
        people_served=sum(r.people_served or 0 for r in records),
        records=len(records),
        complete=sum(r.people_served is not None and bool(r.note.strip()) for r in records),
        services={k: kinds[k] for k in SERVICE_KINDS if k in kinds},
        consultations=dict(sorted(topics.items())),
    )


def _group(outcomes: Sequence[Outcome], services: Sequence[ServiceRecord],
           key_o: Any, key_s: Any, keys: Iterable[str], months: Sequence[str]
           ) -> dict[str, Figures]:
    by_o: dict[str, list[Outcome]] = {}
    by_s: dict[str, list[ServiceRecord]] = {}
    for o in outcomes:
        by_o.setdefault(key_o(o), []).append(o)
    for r in services:
        by_s.setdefault(key_s(r), []).append(r)
    every = sorted(set(keys) | set(by_o) | set(by_s))
    return {k: _figures(by_o.get(k, []), by_s.get(k, []), months) for k in every}


def _finding_key(f: Finding) -> tuple[str, int, str]:
    return (f.problem.source, f.problem.line or 0, f.rule)


def match_ledger(dataset: Dataset, plan: VisitPlan | Sequence[Visit],
                 records: Iterable[ServiceRecord], period: Period | str | None = None,
                 advisor_of: Mapping[str, str | None] | None = None) -> Ledger:
    """Match the ledger's ``records`` to the planned visits of ``period``.

    ``plan`` is a VisitPlan (its period is the default) or its visits;
    ``advisor_of`` is each village's advisor of record (default: the advisors
    of the planned visits, then ``assignments.csv``). Records outside the
    period are ignored. Raises DataError when the policy makes a bad record
    an error.
    """
    _check_actions(dataset)
    if isinstance(period, str):
        period = Period.parse(period)
    if period is None:
        if not isinstance(plan, VisitPlan):
            raise TypeError("a period is needed with a list of visits")
        period = plan.period
    visits = plan.visits if isinstance(plan, VisitPlan) else tuple(plan)
    if advisor_of is None:
        advisor_of = {a.village: a.advisor for a in dataset.assignments}
        advisor_of |= {v.village: v.advisor for v in visits}
    matcher = _Matcher(dataset, period, visits, advisor_of)
    kept = matcher.screen(records)
    outcomes = matcher.match([r for r in kept if r.is_visit])
    if matcher.errors:
        raise DataError(matcher.errors)
    services = tuple(r for r in kept if not r.is_visit)
    # a record warned by one rule may be excluded by another: say what finally happened
    dropped = {(r.source, r.line, r.key) for r in matcher.excluded}
    findings = [attrs.evolve(f, counted=(f.record.source, f.record.line, f.record.key)
                             not in dropped) for f in matcher.findings]
    outcomes.sort(key=lambda o: (o.date, o.village, STATUSES.index(o.status),
                                 o.visit.id if o.visit else "", o.record.key if o.record else ()))
    months = [m.label for m in period.months()]
    village_by_id = dataset.village_by_id

    def township(village: str) -> str:
        return village_by_id[village].township

    by_village = _group(outcomes, services, lambda o: o.village, lambda r: r.village,
                        (v.id for v in dataset.villages), months)
    by_advisor = _group(outcomes, services, lambda o: o.advisor, lambda r: r.advisor,
                        (a for a in advisor_of.values() if a), months)
    by_township = _group(outcomes, services, lambda o: township(o.village),
                         lambda r: township(r.village), (t.id for t in dataset.townships), months)
    total = _figures(outcomes, services, months)
    # villages served each month, per township (records lie in the period: every month is known)
    monthly = {m: {t: 0 for t in sorted(t.id for t in dataset.townships)} for m in months}
    served: set[tuple[str, str]] = set()
    for o in outcomes:
        if o.record is not None:
            key = (month_of(o.record.date), o.village)
            if key not in served:
                served.add(key)
                monthly[key[0]][township(o.village)] += 1
    return Ledger(period, tuple(outcomes), services, tuple(sorted(matcher.excluded,
                                                                   key=lambda r: r.key)),
                  tuple(sorted(findings, key=_finding_key)), dict(advisor_of),
                  by_village, by_advisor,
                  by_township, total, monthly)
