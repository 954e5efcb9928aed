"""The facade of scheduling: build the problem, look the strategy up, return its plan."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from .assign import Assignment
from .bookings import Timetable
from .constraints import Bound, check_constraints
from .dataset import Dataset
from .errors import PluginError
from .hotline import HotlineProblem, HotlineRota, PastShift, read_history
from .period import Period
from .plugins import collect
from .rules import Analysis
from .schedule import VisitPlan, VisitProblem

__all__ = ["hotline_rota", "installed_constraints", "schedule_visits", "scheduler_strategies"]


def installed_constraints() -> tuple[Bound, ...]:
    """Every constraint plugins register (``register_constraints``), in registration order."""
    return tuple(Bound(reg.plugin, reg.implementation, name)
                 for name, reg in collect("constraints").items())


def _with_constraints(kind: str, problem: object, result: VisitPlan | HotlineRota,
                      ) -> tuple[Analysis, bool]:
    extra = check_constraints(installed_constraints(), kind, problem, result)
    return Analysis(result.analysis.violations + extra), bool(extra)


def scheduler_strategies(kind: str) -> list[str]:
    """Installed strategies for ``kind`` (``visits``, ``hotline``), e.g. ``["cpsat", "greedy"]``."""
    return sorted(name.split(".", 1)[1] for name, reg in collect("schedulers").items()
                  if getattr(reg.implementation, "kind", None) == kind
                  and name.startswith(kind + "."))


def _scheduler(kind: str, strategy: str) -> object:
    installed = scheduler_strategies(kind)
    if strategy == "auto":
        strategy = "cpsat" if "cpsat" in installed else "greedy"
    if strategy not in installed:
        raise PluginError(f"no {kind} scheduler named {strategy!r}; available: "
                          + (", ".join(installed) or "none installed"))
    return collect("schedulers")[f"{kind}.{strategy}"].implementation


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
    constraint plugins included; compare versions with :func:`advisors.diff.diff`.
    ``busy`` holds the advisors' other bookings (hotline shifts, training they
    give): a visit day must leave them, and the travel to and from them, free.
    ``repattern`` lets villages take a new regular pattern although the
    previous plan promised one (by default a pattern changes only with the
    village's advisor or service class; a one-off absence moves one day).
    """
    if isinstance(period, str):
        period = Period.parse(period)
    solver = _scheduler("visits", strategy)
    problem = VisitProblem(dataset, assignment, period, previous, tuple(pinned), busy,
                           repattern)
    assert callable(solver)
    plan: VisitPlan = solver(problem)
    analysis, changed = _with_constraints("visits", problem, plan)
    # the solver's stats stay as they are: plugin rules are checked, not optimised
    return attrs.evolve(plan, analysis=analysis) if changed else plan


def hotline_rota(dataset: Dataset, period: Period | str,
                 history: Iterable[PastShift] | Path | str | None = None,
                 previous: HotlineRota | None = None, strategy: str = "auto",
                 pinned: Iterable[str] = (), busy: Timetable | None = None) -> HotlineRota:
    """Staff every 12348 hotline shift of ``period``.

    ``history`` is the past rotas (rows, or a CSV/JSON file ``date,start,end,lawyer``):
    fairness counts them, and their shifts in the period's months count toward
    the monthly cap. With ``previous``, every shift that can stay is kept;
    ``pinned`` shift ids stay even if a rule now breaks (the analysis says which).
    The rota's ``analysis`` includes the matches of installed constraint plugins.
    ``busy`` holds the lawyers' other bookings (service days, lectures,
    training): a lawyer takes a shift only when it and the travel to it fit.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    if isinstance(history, str | Path):
        history = read_history(Path(history))
    solver = _scheduler("hotline", strategy)
    problem = HotlineProblem(dataset, period, tuple(history or ()), previous, tuple(pinned),
                             busy)
    assert callable(solver)
    rota: HotlineRota = solver(problem)
    analysis, changed = _with_constraints("hotline", problem, rota)
    return attrs.evolve(rota, analysis=analysis) if changed else rota
