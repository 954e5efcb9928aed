"""The visit problem a strategy solves: the facts, and the plan it finishes.

A strategy (plugin) receives a :class:`VisitProblem`, reads its facts
(:class:`~advisors.visits.facts.VisitFacts`) and returns
``problem.finish(chosen days)``: the plan, with times, lectures and carried
appointments set, checked against the named rules (:mod:`advisors.visits.rules`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

import attrs

from ..period import month_of
from ..policy import minutes_of
from ..rules import SolveStats, run_rules
from .facts import VisitFacts
from .patterns import Pattern
from .rules import VISIT_RULES
from .visit_plan import Visit, VisitPlan, split_with_gaps

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
            for village, (start, end) in zip(villages, self._times(advisor, day, villages),
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
        patterns: dict[str, Pattern | None] = {}
        moves: dict[str, tuple[tuple[dt.date, dt.date], ...]] = {}
        for place in self.villages():
            pattern, moved = self.standing(place.id, days.get(place.id, ()))
            patterns[place.id] = pattern
            if moved:
                moves[place.id] = moved
        # the objective is always the analysis's score, so gaps are honest whatever the solver
        return VisitPlan(self.period, ordered, patterns, analysis,
                         attrs.evolve(stats, objective=analysis.soft_score), moves)

    def _times(self, advisor: str, day: dt.date, villages: Sequence[str],
               ) -> tuple[tuple[str, str], ...]:
        start, end = self.hours
        gaps = [self.travel(a, b) for a, b in itertools.pairwise(villages)]
        kept = sorted(self.kept_on(advisor, day), key=lambda v: v.start)
        if not kept:
            return split_with_gaps(start, end, tuple(gaps))
        free: list[tuple[int, int]] = []
        cursor, last = start, ""
        for v in kept:
            # leave the road to and from the kept visit around the new ones
            lead = max((self.travel(last, x) for x in villages), default=0) if last else 0
            tail = max(self.travel(x, v.village) for x in villages)
            if minutes_of(v.start) - tail > cursor + lead:
                free.append((cursor + lead, minutes_of(v.start) - tail))
            cursor, last = max(cursor, minutes_of(v.end)), v.village
        lead = max(self.travel(last, x) for x in villages)
        if cursor + lead < end:
            free.append((cursor + lead, end))
        if not free:  # no time left: the timetable check will say so
            free = [(start, end)]
        a, b = max(free, key=lambda w: (w[1] - w[0], -w[0]))
        return split_with_gaps(a, b, tuple(gaps))

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
