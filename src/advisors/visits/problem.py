"""The visit problem a strategy solves: the facts, and the plan it finishes.

A strategy (plugin) receives a :class:`VisitProblem`, reads its facts
(:class:`~advisors.visits.facts.VisitFacts`) and returns
``problem.finish(chosen days)``: the plan, with times, lectures and carried
appointments set, checked against the named rules (:mod:`advisors.visits.rules`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

import attrs

from ..period import month_of
from ..policy import minutes_of
from ..rules import SolveStats, run_rules
from .facts import VisitFacts
from .patterns import find_pattern
from .rules import VISIT_RULES
from .visit_plan import Visit, VisitPlan, split_hours

__all__ = ["VisitProblem"]


@attrs.frozen(eq=False)
class VisitProblem(VisitFacts):
    """The facts of one period's visits, and how a strategy's choices become the plan."""

    def finish(self, chosen: Iterable[tuple[str, dt.date]], stats: SolveStats) -> VisitPlan:
        """The plan from the kept visits plus new ``(village, day)`` choices."""
        visits = list(self.kept)
        used: dict[tuple[str, str], set[int]] = {}
        for v in self.kept:
            used.setdefault((v.village, month_of(v.date)), set()).add(
                int(v.id.rsplit("/", 1)[1]))
        carried = self._carried_appointments()
        by_day: dict[tuple[str, dt.date], list[str]] = {}
        for village, day in sorted(set(chosen), key=lambda c: (c[1], c[0])):
            advisor = self.advisor_of(village) or ""
            by_day.setdefault((advisor, day), []).append(village)
        new: list[Visit] = []
        for (advisor, day), villages in sorted(by_day.items()):
            for village, (start, end) in zip(villages, self._times(advisor, day, len(villages)),
                                             strict=True):
                month = month_of(day)
                taken = used.setdefault((village, month), set())
                n = next(i for i in itertools.count(1) if i not in taken)
                taken.add(n)
                ident = f"visit/{village}/{month}/{n}"
                new.append(Visit(ident, village, advisor, day, start, end, False,
                                 carried.get(ident, ())))
        visits.extend(self._mark_lectures(new))
        ordered = tuple(sorted(visits, key=lambda v: v.key))
        analysis = run_rules(VISIT_RULES, self, ordered)
        days: dict[str, list[dt.date]] = {}
        for x in ordered:
            days.setdefault(x.village, []).append(x.date)
        patterns = {v.id: find_pattern(days.get(v.id, ())) for v in self.villages()}
        # the objective is always the analysis's score, so gaps are honest whatever the solver
        return VisitPlan(self.period, ordered, patterns, analysis,
                         attrs.evolve(stats, objective=analysis.soft_score))

    def _times(self, advisor: str, day: dt.date, count: int) -> tuple[tuple[str, str], ...]:
        start, end = self.hours
        if not self.kept_on(advisor, day):
            return split_hours(start, end, count)
        kept = sorted(self.kept_on(advisor, day), key=lambda v: v.start)
        free: list[tuple[int, int]] = []
        cursor = start
        for v in kept:
            if minutes_of(v.start) > cursor:
                free.append((cursor, minutes_of(v.start)))
            cursor = max(cursor, minutes_of(v.end))
        if cursor < end:
            free.append((cursor, end))
        if not free:  # no time left: the double-booking rule will say so
            free = [(start, end)]
        a, b = max(free, key=lambda w: (w[1] - w[0], -w[0]))
        return split_hours(a, b, count)

    def _mark_lectures(self, new: list[Visit]) -> list[Visit]:
        lectures = {(v.village, month_of(v.date)): 0 for v in self.kept}
        for v in self.kept:
            if v.lecture:
                lectures[(v.village, month_of(v.date))] += 1
        out = []
        for v in sorted(new, key=lambda v: v.key):
            key = (v.village, month_of(v.date))
            if lectures.get(key, 0) < self.lectures.get(key, 0):
                lectures[key] = lectures.get(key, 0) + 1
                v = attrs.evolve(v, lecture=True)
            out.append(v)
        return out

    def _carried_appointments(self) -> dict[str, tuple[str, ...]]:
        # a visit that moves keeps its id, so its appointments go with it
        if self.previous is None:
            return {}
        return {v.id: v.appointments for v in self.previous.visits if v.appointments}
