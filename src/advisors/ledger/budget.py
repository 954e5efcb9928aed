"""Funding (经费): village subsidies and service pay scaled by the grade, per township and firm.

Every village with an advisor of record earns its advisor's organization a
quarter of ``[ledger] village_subsidy`` each quarter, and every counted
service earns ``service_rates[kind]``; both are multiplied by
``multipliers[grade]`` of the advisor's grade that quarter.

A quarter is *reported* when the ledger has records in it: its amounts come
from the counted records and the quarter's grades. Any other quarter is
*estimated* from the plan of that quarter (planned visits as duty days,
lectures as lectures, booked appointments as home visits), at the multiplier
of the advisor's latest reported grade before it (``ungraded`` without
one). The coming year's budget is thus an estimate from its plan, and a
running year mixes what happened with what is planned. No wall clock is
read: the same files give the same budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..data.dataset import Dataset
from ..period import Period
from ..visits.visit_plan import Visit
from .assess import Assessment, assess, check_policy
from .effective import match_ledger
from .records import Feedback, ServiceRecord

__all__ = ["Budget", "FundingLine", "budget"]


@attrs.frozen
class FundingLine:
    """Money for one village in one quarter."""

    quarter: str
    village: str
    township: str
    advisor: str
    organization: str
    grade: str
    """The grade whose multiplier applies (``ungraded``: none known)."""
    reported: bool
    """From the ledger (``True``) or estimated from the plan."""
    subsidy: float
    services: float
    """Service pay (per-service rates × counts)."""

    @property
    def total(self) -> float:
        """Subsidy plus service pay."""
        return round(self.subsidy + self.services, 2)


@attrs.frozen
class Budget:
    """A year's funding, line by line and summed."""

    year: int
    lines: tuple[FundingLine, ...]
    assessments: Mapping[str, Assessment]
    """Reported quarters' assessments (also those whose grades set an estimate)."""

    def _sum(self, key: Callable[[FundingLine], str]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for line in self.lines:
            row = out.setdefault(key(line), {"subsidy": 0.0, "services": 0.0, "total": 0.0})
            row["subsidy"] += line.subsidy
            row["services"] += line.services
            row["total"] += line.total
        return {k: {f: round(v, 2) for f, v in row.items()} for k, row in sorted(out.items())}

    def by_township(self) -> dict[str, dict[str, float]]:
        """Township → subsidy, service pay, total."""
        return self._sum(lambda line: line.township)

    def by_organization(self) -> dict[str, dict[str, float]]:
        """Advisor's organization → subsidy, service pay, total (what each firm is paid)."""
        return self._sum(lambda line: line.organization)

    def by_quarter(self) -> dict[str, dict[str, float]]:
        """Quarter → subsidy, service pay, total."""
        return self._sum(lambda line: line.quarter)

    @property
    def total(self) -> float:
        """The year's total in yuan."""
        return round(sum(line.total for line in self.lines), 2)

    @property
    def reported_quarters(self) -> tuple[str, ...]:
        """Quarters whose figures come from the ledger."""
        return tuple(sorted({line.quarter for line in self.lines if line.reported}))

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""
        return {"year": self.year, "total": self.total,
                "reported_quarters": list(self.reported_quarters),
                "by_quarter": self.by_quarter(), "by_township": self.by_township(),
                "by_organization": self.by_organization(),
                "lines": [attrs.asdict(line) | {"total": line.total} for line in self.lines]}


def _quarter_of(day: Any) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def budget(dataset: Dataset, year: int, advisor_of: Mapping[str, str | None],
           visits_for: Callable[[Period], Sequence[Visit]],
           records: Iterable[ServiceRecord] = (), feedback: Iterable[Feedback] = (),
           seed: int = 0) -> Budget:
    """The funding of ``year`` (see the module's description).

    ``advisor_of`` is each village's advisor of record; ``visits_for(quarter)``
    returns the planned visits of a quarter (the schedule, or a published plan).
    """
    records = list(records)
    feedback = list(feedback)
    policy = dataset.policy.ledger
    check_policy(policy)  # a misspelt grade or kind would silently pay the default
    reported_labels = sorted({_quarter_of(r.date) for r in records})
    assessments: dict[str, Assessment] = {}
    ledgers = {}

    def assessed(label: str) -> Assessment:
        if label not in assessments:
            quarter = Period.parse(label)
            ledger = match_ledger(dataset, visits_for(quarter), records, quarter, advisor_of)
            ledgers[label] = ledger
            assessments[label] = assess(dataset, ledger, feedback, seed)
        return assessments[label]

    def multiplier(grade: str) -> float:
        return policy.multipliers.get(grade, policy.multipliers.get("ungraded", 1.0))

    rates = policy.service_rates
    lines: list[FundingLine] = []
    for quarter in Period.parse(str(year)).quarters():
        reported = quarter.label in reported_labels
        before = [q for q in reported_labels if q < quarter.label]
        grades_from = assessed(quarter.label) if reported else (
            assessed(before[-1]) if before else None)
        pay: dict[str, float] = {}
        if reported:
            for r in ledgers[quarter.label].counted:
                pay[r.village] = pay.get(r.village, 0.0) + rates.get(r.kind, 0.0) * multiplier(
                    grades_from.grade_of(r.advisor) if grades_from else "ungraded")
        else:
            for v in visits_for(quarter):
                grade = grades_from.grade_of(v.advisor) if grades_from else "ungraded"
                amount = rates.get("lecture" if v.lecture else "duty_day", 0.0)
                amount += len(v.appointments) * rates.get("home_visit", 0.0)
                pay[v.village] = pay.get(v.village, 0.0) + amount * multiplier(grade)
        for village in sorted(dataset.villages, key=lambda v: v.id):
            advisor = advisor_of.get(village.id)
            if advisor is None and village.id not in pay:
                continue
            grade = grades_from.grade_of(advisor) if grades_from and advisor else "ungraded"
            person = dataset.advisor_by_id.get(advisor or "")
            subsidy = (policy.village_subsidy / 4 * multiplier(grade)
                       if advisor is not None else 0.0)
            lines.append(FundingLine(
                quarter.label, village.id, village.township, advisor or "",
                person.organization if person else "", grade, reported,
                round(subsidy, 2), round(pay.get(village.id, 0.0), 2)))
    return Budget(year, tuple(lines), dict(sorted(assessments.items())))
