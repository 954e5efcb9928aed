"""Built-in greedy visit scheduler: ``visits.greedy``.

Fast and dependency-free. Advisor by advisor, the most constrained village
first takes the first notice-board pattern whose days are all free, else as
many pattern days as fit and the best-spread free days for the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from ..hookspecs import Register, hookimpl
from ..period import month_of
from ..rules import SolveStats
from .patterns import Pattern, candidate_patterns
from .problem import VisitProblem
from .visit_plan import VisitPlan

__all__ = ["GreedyVisits", "register_schedulers"]


class GreedyVisits:
    """Place each village's visits on a regular pattern where one fits."""

    kind = "visits"

    def __call__(self, problem: VisitProblem) -> VisitPlan:
        """Solve ``problem``."""
        chosen: list[tuple[str, dt.date]] = []
        for advisor, villages in problem.by_advisor().items():
            taken: dict[dt.date, list[str]] = {}
            order = sorted(villages, key=lambda v: (len(problem.open_days(v)), v))
            for village in order:
                for day in _place(problem, advisor, village, taken):
                    taken.setdefault(day, []).append(village)
                    chosen.append((village, day))
        return problem.finish(chosen, SolveStats("visits.greedy"))


def _place(problem: VisitProblem, advisor: str, village: str,
           taken: dict[dt.date, list[str]]) -> list[dt.date]:
    missing = {m.label: problem.missing(village, m.label) for m in problem.months}
    if not any(missing.values()):
        return []
    open_days = set(problem.open_days(village))
    own = {v.date for v in problem.kept_of(village)}

    def fits(day: dt.date, share: bool) -> bool:
        others = taken.get(day, [])
        if day not in open_days or day in own or (others and not share):
            return False
        if not share and problem.kept_on(advisor, day):
            return False
        return problem.day_allows(advisor, day, [*others, village])

    promised = problem.promised(village)
    if promised is not None:
        return _keep_promise(problem, promised, missing, own, fits)
    best: list[dt.date] = []
    for share in (False, True):
        def fits_now(day: dt.date, share: bool = share) -> bool:
            return fits(day, share)

        for pattern in _patterns(problem, village):
            days = list(_pattern_days(problem, pattern, missing, own, fits_now))
            if len(days) == sum(missing.values()):
                return days
            if len(days) > len(best):
                best = days
    # no pattern fits whole: keep its days that fit, add the best-spread free days
    placed = list(best)
    for month in problem.months:
        want = missing[month.label] - sum(1 for d in placed if d in month)
        for _ in range(max(0, want)):
            day = _spread_day(problem, month.label, own | set(placed), open_days, fits)
            if day is None:
                break
            placed.append(day)
    return placed


def _keep_promise(problem: VisitProblem, pattern: Pattern, missing: dict[str, int],
                  own: set[dt.date], fits: Callable[[dt.date, bool], bool]) -> list[dt.date]:
    """The promised pattern's days; one that cannot be held moves to the nearest free day
    of its month (later first), a one-off change — the pattern itself stays."""
    placed: list[dt.date] = []
    for month in problem.months:
        want = missing[month.label]
        if not want:
            continue
        due = [d for d in pattern.dates(month.start.year, month.start.month)
               if d in month and d not in own]
        free = [d for d in month.days if d not in own]
        for day in due:
            if want == 0:
                break
            taken = set(placed)
            pick = next((d for share in (False, True) for d in [day] if fits(d, share)
                         and d not in taken), None)
            if pick is None:
                by_distance = sorted((d for d in free if d not in taken and d not in due),
                                     key=lambda d: (abs((d - day).days), d < day, d))
                pick = next((d for share in (False, True) for d in by_distance
                             if fits(d, share)), None)
            if pick is not None:
                placed.append(pick)
                want -= 1
    return placed


def _patterns(problem: VisitProblem, village: str) -> Iterator[Pattern]:
    previous = problem.previous.patterns.get(village) if problem.previous else None
    if previous is not None:
        yield previous
    per_month = max((problem.need.get((village, m.label), 0) for m in problem.months), default=0)
    yield from candidate_patterns(per_month)


def _pattern_days(problem: VisitProblem, pattern: Pattern, missing: dict[str, int],
                  own: set[dt.date], fits: Callable[[dt.date], bool]) -> Iterator[dt.date]:
    for month in problem.months:
        want = missing[month.label]
        if not want:
            continue
        days = [d for d in pattern.dates(month.start.year, month.start.month)
                if d in month and d not in own]
        yield from [d for d in days if fits(d)][:want]


def _spread_day(problem: VisitProblem, month: str, own: set[dt.date], open_days: set[dt.date],
                fits: Callable[[dt.date, bool], bool]) -> dt.date | None:
    mine = [d for d in own if month_of(d) == month]
    best: tuple[int, int, dt.date] | None = None
    for day in sorted(open_days):
        if month_of(day) != month or day in own:
            continue
        for rank, share in ((0, False), (1, True)):
            if fits(day, share):
                distance = min((abs((day - d).days) for d in mine), default=99)
                key = (rank, -distance, day)
                if best is None or key < best:
                    best = key
                break
    return None if best is None else best[2]


@hookimpl
def register_schedulers(register: Register) -> None:
    """Offer the greedy visit scheduler."""
    register("visits.greedy", GreedyVisits(),
             "greedy: regular notice-board patterns first, fast, no optimality bound")
