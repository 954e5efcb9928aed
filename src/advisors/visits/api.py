"""The public function of visit scheduling: build the problem, look the strategy up, plan."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..assignment import Assignment
from ..constraints import with_constraints
from ..data.dataset import Dataset
from ..geo import Timetable
from ..period import Period
from ..plugins import installed_constraints, scheduler
from .problem import VisitProblem
from .visit_plan import VisitPlan

__all__ = ["schedule_visits"]


def schedule_visits(dataset: Dataset, assignment: Assignment, period: Period | str,
                    previous: VisitPlan | None = None, strategy: str = "auto",
                    pinned: Iterable[str] = (), busy: Timetable | None = None,
                    repattern: bool = False) -> VisitPlan:
    """Plan every village's on-site service days in ``period``.

    ``assignment`` gives each village's advisor of record. With ``previous``
    (the published plan), every visit that can stay keeps its id, day and
    time, and only what is missing is placed; ``pinned`` visit ids stay even
    when a rule now forbids them (the analysis then says which). ``strategy``
    is ``greedy``, ``cpsat`` (advisors-ortools) or ``auto`` (best installed).
    The plan's ``analysis`` lists every broken rule, those of installed
    constraint plugins included; compare versions with :func:`advisors.diff`.
    ``busy`` holds the advisors' other bookings (hotline shifts, training they
    give): a visit day must leave them, and the travel to and from them, free.
    ``repattern`` lets villages take a new regular pattern although the
    previous plan promised one (by default a pattern changes only with the
    village's advisor or service class; a one-off absence moves one day).
    """
    if isinstance(period, str):
        period = Period.parse(period)
    solver = scheduler("visits", strategy)
    problem = VisitProblem(dataset, assignment, period, previous, tuple(pinned), busy,
                           repattern)
    assert callable(solver)
    plan: VisitPlan = solver(problem)
    analysis, changed = with_constraints(installed_constraints(), "visits", problem, plan)
    return attrs.evolve(plan, analysis=analysis) if changed else plan
