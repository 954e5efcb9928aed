"""The rules of on-site visits, one named function each.

Each function takes the :class:`~advisors.visits.facts.VisitFacts` and the
plan's visits (sorted) and yields a :class:`~advisors.rules.Violation` per
match; :data:`VISIT_RULES` says which are hard. Solvers minimise the soft
weights below, so their objective is the plan's ``analysis.soft_score``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator, Sequence

from ..period import month_of
from ..policy import minutes_of
from ..rules import Rule, Violation
from ..wording import Joined, Month, Ref, Text
from .facts import VisitFacts
from .visit_plan import Visit

__all__ = ["IRREGULAR_WEIGHT", "ONE_OFF_WEIGHT", "SPREAD_WEIGHT", "VISIT_RULES", "min_gap"]

IRREGULAR_WEIGHT = 10
"""Penalty of a village whose days follow no notice-board pattern."""
SPREAD_WEIGHT = 3
"""Penalty of two visits to a village too close together in a month."""
ONE_OFF_WEIGHT = 2
"""Penalty of one day of a promised pattern moved once (an absence, another booking)."""

Visits = Sequence["Visit"]


def min_gap(problem: VisitFacts, village: str, month: str) -> int:
    """Fewest days between two visits to ``village`` in ``month``: half the even spacing."""
    k = problem.need.get((village, month), 0)
    if k < 2:
        return 0
    first = dt.date.fromisoformat(month + "-01")
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return math.ceil((nxt - first).days / (2 * k))


def village_without_advisor(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """Villages with visits due but no advisor of record."""
    for village in problem.villages():
        if problem.advisor_of(village.id) is None:
            yield Violation.said(Text.of("{village} has no advisor of record", village=Ref(
                "village", village.id, f"{village.name} ({village.id})")), (village.id,))


def advisor_inactive(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """Villages whose advisor of record is not active."""
    for village in problem.villages():
        advisor = problem.advisor_of(village.id)
        if advisor is not None and not problem.dataset.advisor_by_id[advisor].active:
            yield Violation.said(Text.of("{village}: advisor {advisor} is not active",
                                         village=Ref("village", village.id),
                                         advisor=Ref("advisor", advisor)), (advisor, village.id))


def visit_count(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """Each village gets exactly its policy's visits in each month."""
    got: dict[tuple[str, str], int] = {}
    for v in visits:
        key = (v.village, month_of(v.date))
        got[key] = got.get(key, 0) + 1
    for (village, month), due in sorted(problem.need.items()):
        advisor = problem.advisor_of(village)
        if advisor is None or not problem.dataset.advisor_by_id[advisor].active:
            continue  # reported once by the rules above
        n = got.get((village, month), 0)
        if n < due:
            open_days = [d for d in problem.open_days(village) if month_of(d) == month]
            who = Ref("advisor", advisor)
            why = (Text.of("only {n} day(s) when {advisor} is free and it is a working day "
                           "there", n=len(open_days), advisor=who) if len(open_days) < due
                   else Text.of("{advisor} has no free day left", advisor=who))
            yield Violation.said(Text.of("{village} gets {n} of {due} visits in {month}: {why}",
                                         village=Ref("village", village), n=n, due=due,
                                         month=Month(month), why=why),
                                 (village, advisor), (), due - n)
    for (village, month), n in sorted(got.items()):
        due = problem.need.get((village, month), 0)
        if n > due:
            yield Violation.said(Text.of("{village} gets {n} visits in {month}, {due} due",
                                         village=Ref("village", village), n=n,
                                         month=Month(month), due=due), (village,), (), n - due)


def non_working_day(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """No visit on a statutory holiday, a rest day or a local festival of the township or
    of the village."""
    for v in visits:
        village = problem.dataset.village_by_id.get(v.village)
        township = village.township if village else None
        if (township is not None and v.date in problem.working_days(township)
                and not problem.calendar.village_festivals(v.village)):
            continue
        why = problem.calendar.not_working(v.date, township, v.village)
        if why is not None:
            yield Violation.said(Text.of("{visit} on {day}: {why}", visit=v.id, day=v.date,
                                         why=why, village=Ref("village", v.village),
                                         advisor=Ref("advisor", v.advisor)),
                                 (v.id, v.advisor), (v.date,))


def advisor_unavailable(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """No visit on a day the advisor is absent."""
    for v in visits:
        for absence in problem.calendar.absences(v.advisor):
            if absence.covers(v.date):
                yield Violation.said(Text.of(
                    "{advisor} is away on {day} ({reason}): {visit}" if absence.reason
                    else "{advisor} is away on {day}: {visit}", advisor=Ref("advisor", v.advisor),
                    day=v.date, reason=absence.reason, visit=v.id,
                    village=Ref("village", v.village)), (v.id, v.advisor), (v.date,))
                break


def wrong_advisor(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """A visit is made by the village's advisor of record."""
    for v in visits:
        if problem.advisor_of(v.village) != v.advisor:
            yield Violation.said(Text.of(
                "{visit} is with {advisor}, not the advisor of record {record}", visit=v.id,
                advisor=Ref("advisor", v.advisor),
                record=Ref("advisor", str(problem.advisor_of(v.village))),
                village=Ref("village", v.village), day=v.date), (v.id, v.advisor), (v.date,))


def _by_advisor_day(visits: Visits) -> dict[tuple[str, dt.date], list[Visit]]:
    out: dict[tuple[str, dt.date], list[Visit]] = {}
    for v in visits:
        out.setdefault((v.advisor, v.date), []).append(v)
    return out


def double_booked(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """An advisor is never in two villages at once."""
    for (advisor, day), group in sorted(_by_advisor_day(visits).items()):
        for a, b in itertools.combinations(group, 2):
            if minutes_of(a.start) < minutes_of(b.end) and minutes_of(b.start) < minutes_of(a.end):
                yield Violation.said(Text.of(
                    "{advisor} is in {first} and {second} at once on {day}",
                    advisor=Ref("advisor", advisor), first=Ref("village", a.village),
                    second=Ref("village", b.village), day=day), (advisor, a.id, b.id), (day,))


def too_many_a_day(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """At most ``max_per_day`` visits a day, ``max_per_day_nearby`` when all are nearby."""
    for (advisor, day), group in sorted(_by_advisor_day(visits).items()):
        villages = [v.village for v in group]
        limit = problem.day_limit(villages)
        if len(group) > limit:
            yield Violation.said(Text.of(
                "{advisor} has {n} visits on {day}; at most {limit} for {villages}",
                advisor=Ref("advisor", advisor), n=len(group), day=day, limit=limit,
                villages=Joined([Ref("village", x) for x in villages])),
                (advisor, *villages), (day,))


def outside_hours(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """Visits lie within the policy's visit hours."""
    start, end = problem.hours
    for v in visits:
        if not start <= minutes_of(v.start) < minutes_of(v.end) <= end:
            yield Violation.said(Text.of("{visit} {start}–{end} is outside visit hours",
                                         visit=v.id, start=v.start, end=v.end, day=v.date,
                                         village=Ref("village", v.village)), (v.id,), (v.date,))


def lecture_missing(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """The quarter's legal lecture (普法讲座) is held in the village's lecture month."""
    held: dict[tuple[str, str], int] = {}
    for v in visits:
        if v.lecture:
            key = (v.village, month_of(v.date))
            held[key] = held.get(key, 0) + 1
    for (village, month), due in sorted(problem.lectures.items()):
        if problem.advisor_of(village) is None:
            continue
        if held.get((village, month), 0) < due:
            yield Violation.said(Text.of("{village}: no legal lecture in {month} (due then)",
                                         village=Ref("village", village), month=Month(month)),
                                 (village,), (), due - held.get((village, month), 0))


def irregular_days(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """A village's days follow a pattern a notice board can promise."""
    days: dict[str, list[dt.date]] = {}
    for v in visits:
        days.setdefault(v.village, []).append(v.date)
    for village, ds in sorted(days.items()):
        pattern, moved = problem.standing(village, ds)
        for old, new in moved:
            # the promise stays; the single day it could not be kept is a one-off change
            yield Violation.said(Text.of("{village}: {old} moved to {new} (one-off change of "
                                         "{pattern})", village=Ref("village", village), old=old,
                                         new=new, pattern=pattern.zh if pattern else ""),
                                 (village,), (old, new), ONE_OFF_WEIGHT, hard=False)
        if pattern is None:
            yield Violation.said(Text.of("{village}: days {days} follow no regular pattern",
                                         village=Ref("village", village),
                                         days=Joined(sorted(ds))),
                                 (village,), sorted(ds), IRREGULAR_WEIGHT, hard=False)


def uneven_spread(problem: VisitFacts, visits: Visits) -> Iterator[Violation]:
    """A village's visits in a month are at least half the even spacing apart."""
    days: dict[tuple[str, str], list[dt.date]] = {}
    for v in visits:
        days.setdefault((v.village, month_of(v.date)), []).append(v.date)
    for (village, month), ds in sorted(days.items()):
        gap = min_gap(problem, village, month)
        for a, b in itertools.combinations(sorted(ds), 2):
            if (b - a).days < gap:
                yield Violation.said(Text.of("{village}: visits on {first} and {second} are less "
                                             "than {gap} days apart",
                                             village=Ref("village", village), first=a, second=b,
                                             gap=gap),
                                     (village,), (a, b), SPREAD_WEIGHT, hard=False)


VISIT_RULES: tuple[Rule[VisitFacts, Visit], ...] = (
    Rule("Village without advisor", True, village_without_advisor),
    Rule("Advisor inactive", True, advisor_inactive),
    Rule("Visit count", True, visit_count),
    Rule("Non-working day", True, non_working_day),
    Rule("Advisor unavailable", True, advisor_unavailable),
    Rule("Wrong advisor", True, wrong_advisor),
    Rule("Advisor double-booked", True, double_booked),
    Rule("Too many visits a day", True, too_many_a_day),
    Rule("Outside visit hours", True, outside_hours),
    Rule("Lecture missing", True, lecture_missing),
    Rule("Irregular days", False, irregular_days),
    Rule("Uneven spread", False, uneven_spread),
)
"""Every visit rule, hard first."""
