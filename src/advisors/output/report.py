"""The figures of the progress report (督促检查): per township and for the hotline.

Coverage, visits planned against the policy, legal lectures, legal-savvy
persons against the target, training completion from the sign-in sheets,
and hotline staffing. Everything is computed from the publication and the
dataset; planners can add or correct figures through ``Publication.facts``
(``hotline_required``; per township ``training_completion`` — trainees who
attended their sessions — and ``training_scheduled`` — trainees the plan books).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from ..visits.facts import visits_due
from .base import Publication

__all__ = ["HotlineFacts", "ReportFacts", "TownshipFacts", "report_facts"]


def _ratio(part: int | float, whole: int | float) -> float | None:
    return None if whole <= 0 else min(1.0, part / whole)


@attrs.frozen
class TownshipFacts:
    """One township's figures."""

    id: str
    name: str
    name_bo: str
    office: str
    """The supervising justice office (司法所) of the township."""
    villages: int
    covered: int
    visits_planned: int
    visits_required: int
    lectures_planned: int
    lectures_required: int
    """Lectures due within the period (each village's lecture month of its quarter)."""
    legal_savvy_active: int
    """Active legal-savvy persons, all of them (as ``advisors check`` counts)."""
    legal_savvy_target: int
    candidates: int
    below_target: tuple[str, ...]
    """Names of villages with fewer active legal-savvy persons than the target."""
    trainees: int
    """Legal-savvy persons, cadres and liaison officers to be trained (active or candidate)."""
    trained: int
    """Of those, how many attended the policy's sessions a year (sign-in sheets)."""
    sessions_planned: int
    scheduled: int = 0
    """Trainees whom the period's training plan gives their sessions."""

    @property
    def coverage(self) -> float | None:
        """Share of villages with an advisor of record."""
        return _ratio(self.covered, self.villages)

    @property
    def visits(self) -> float | None:
        """Visits planned against the policy's count."""
        return _ratio(self.visits_planned, self.visits_required)

    @property
    def at_target(self) -> int:
        """Villages with as many active legal-savvy persons as the target, or more."""
        return self.villages - len(self.below_target)

    @property
    def legal_savvy(self) -> float | None:
        """Share of villages at the legal-savvy target (a surplus in one village does
        not make up for a shortfall in another)."""
        return _ratio(self.at_target, self.villages)

    @property
    def lectures(self) -> float | None:
        """Lectures planned against those due within the period."""
        return _ratio(self.lectures_planned, self.lectures_required)

    @property
    def training(self) -> float | None:
        """Share of trainees who had their sessions."""
        return _ratio(self.trained, self.trainees)

    @property
    def training_planned(self) -> float | None:
        """Share of trainees whose sessions the period's plan books."""
        return _ratio(self.scheduled, self.trainees)


@attrs.frozen
class HotlineFacts:
    """Staffing of the 12348 hotline over the period."""

    required: int
    """Lawyer-shifts the policy asks for (open days × shifts × lawyers per shift)."""
    staffed: int
    lawyers: int
    min_per_lawyer: int
    max_per_lawyer: int

    @property
    def share(self) -> float | None:
        """Staffed against required."""
        return _ratio(self.staffed, self.required)


@attrs.frozen
class ReportFacts:
    """Everything the report shows."""

    townships: tuple[TownshipFacts, ...]
    hotline: HotlineFacts
    totals: TownshipFacts


def _hotline_required(pub: Publication) -> int:
    policy = pub.dataset.policy.hotline
    calendar = pub.dataset.calendar
    total = 0
    for day in pub.period.days:
        if policy.holidays_closed and calendar.holiday_name(day):
            continue
        weekend = day.weekday() >= 5 and not calendar.is_adjusted_workday(day)
        if weekend and not policy.weekends_open:
            continue
        total += len(policy.shifts) * policy.lawyers_per_shift
    return total


def _per_village(due: Mapping[tuple[str, str], int]) -> Counter[str]:
    out: Counter[str] = Counter()
    for (village, _), count in due.items():
        out[village] += count
    return out


def report_facts(pub: Publication) -> ReportFacts:
    """Compute the report's figures."""
    data = pub.dataset
    policy = data.policy
    advisor_of: Mapping[str, str | None] = pub.advisor_of or {
        a.village: a.advisor for a in data.assignments}
    # Due within the period, as the visit planner counts them: a December plan owes the
    # lectures of the villages whose quarter lecture falls in December, not the quarter's.
    need, lectures_due = visits_due(data, pub.period)
    need_of, lectures_of = _per_village(need), _per_village(lectures_due)
    visits = Counter(v for e in pub.of_kind("visit", "lecture")
                     for v in e.event.owner_ids("village"))
    lectures = Counter(v for e in pub.of_kind("lecture") for v in e.event.owner_ids("village"))
    sessions = Counter(t for e in pub.of_kind("training") for t in e.event.owner_ids("township"))
    attended: dict[str, set[str]] = {}
    for row in data.attendance:
        attended.setdefault(row.person, set()).add(row.session)
    target = policy.training.legal_savvy_per_village
    overrides: Mapping[str, Any] = pub.facts.get("training_completion", {})
    scheduled: Mapping[str, Any] = pub.facts.get("training_scheduled", {})
    rows = []
    for township in sorted(data.townships, key=lambda t: t.id):
        villages = sorted(data.villages_of_township.get(township.id, ()), key=lambda v: v.id)
        people = [p for v in villages for p in data.people_of_village.get(v.id, ())]
        active_ls = Counter(p.village for p in people
                            if p.role == "legal_savvy" and p.status == "active")
        trainees = [p for p in people if p.status in ("active", "candidate")]
        trained = sum(len(attended.get(p.id, ())) >= policy.training.sessions_per_person_year
                      for p in trainees)
        if township.id in overrides:
            trained = int(overrides[township.id])
        rows.append(TownshipFacts(
            id=township.id, name=township.name, name_bo=township.name_bo,
            office=township.justice_office,
            villages=len(villages),
            covered=sum(advisor_of.get(v.id) is not None for v in villages),
            visits_planned=sum(visits[v.id] for v in villages),
            visits_required=sum(need_of[v.id] for v in villages),
            lectures_planned=sum(lectures[v.id] for v in villages),
            lectures_required=sum(lectures_of[v.id] for v in villages),
            legal_savvy_active=sum(active_ls[v.id] for v in villages),
            legal_savvy_target=target * len(villages),
            candidates=sum(p.role == "legal_savvy" and p.status == "candidate" for p in people),
            below_target=tuple(v.name for v in villages if active_ls[v.id] < target),
            trainees=len(trainees),
            trained=trained,
            sessions_planned=sessions[township.id],
            scheduled=int(scheduled.get(township.id, 0)),
        ))
    hotline = pub.of_kind("hotline")
    per_lawyer = Counter(a for e in hotline for a in e.event.owner_ids("advisor"))
    required = int(pub.facts.get("hotline_required", _hotline_required(pub)))
    hotline_facts = HotlineFacts(
        required=required, staffed=len(hotline), lawyers=len(per_lawyer),
        min_per_lawyer=min(per_lawyer.values(), default=0),
        max_per_lawyer=max(per_lawyer.values(), default=0),
    )

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in rows)

    numeric = [f.name for f in attrs.fields(TownshipFacts)
               if f.name not in ("id", "name", "name_bo", "office", "below_target")]
    totals = TownshipFacts(id="", name="", name_bo="", office="",
                           below_target=tuple(n for r in rows for n in r.below_target),
                           **{f: total(f) for f in numeric})
    return ReportFacts(tuple(rows), hotline_facts, totals)
