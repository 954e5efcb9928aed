"""The facade of training planning: build the problem, look the strategy up, check the result."""

from __future__ import annotations

import attrs

from ..constraints import check_constraints
from ..data.dataset import Dataset
from ..errors import PluginError
from ..geo import Timetable
from ..period import Period
from ..plugins import collect, installed_constraints
from ..rules import Violation
from .problem import TrainingPlan, TrainingProblem, TrainingViolation
from .rules import analyse_training, violation_order

__all__ = ["plan_training", "training_strategies"]


def training_strategies() -> list[str]:
    """Names of the installed training planners, e.g. ``["greedy", "cpsat"]``."""
    return sorted(name.split(".", 1)[1] for name, reg in collect("schedulers").items()
                  if getattr(reg.implementation, "kind", None) == "training"
                  and name.startswith("training."))


def plan_training(dataset: Dataset, period: Period | str, previous: TrainingPlan | None = None,
                  strategy: str = "auto", busy: Timetable | None = None) -> TrainingPlan:
    """Plan the training sessions of ``period`` and check the plan against every rule.

    The plan's ``violations`` (``plan.analysis``) list every rule it breaks;
    ``plan.unmet`` says why what is missing could not be planned. Installed
    constraint plugins (``applies_to = "training"``) add their matches to the
    violations; their ``subjects`` become the ``sessions`` and ``people`` involved.
    ``strategy`` is ``greedy``, ``cpsat`` (with advisors-ortools) or ``auto``
    (CP-SAT if installed, else greedy). Sessions of ``previous`` inside the
    period that still keep every hard rule are kept with their ids; its
    sessions earlier in the same year, and its ``history``, say which topics
    people have had already: they are taught other topics first
    (``plan.history`` carries this on to the next plan). ``busy`` holds the
    trainers' other bookings (visits and hotline shifts of a trainer who is also
    an advisor): sessions are placed around them, travel included.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    installed = training_strategies()
    if strategy == "auto":
        strategy = "cpsat" if "cpsat" in installed else "greedy"
    if strategy not in installed:
        raise PluginError(f"no training planner named {strategy!r}; available: "
                          + (", ".join(installed) or "none installed"))
    planner = collect("schedulers")[f"training.{strategy}"].implementation
    problem = TrainingProblem.build(dataset, period, previous, busy)
    plan: TrainingPlan = planner(problem)
    plan = attrs.evolve(plan, violations=analyse_training(problem, plan).violations,
                        history=problem.earlier)
    extra = check_constraints(installed_constraints(), "training", problem, plan)
    if not extra:
        return plan
    sessions = {s.id for s in plan.sessions}
    found = plan.violations + tuple(_as_training(v, sessions) for v in extra)
    return attrs.evolve(plan, violations=tuple(sorted(found, key=violation_order)))


def _as_training(v: Violation, sessions: set[str]) -> TrainingViolation:
    # a constraint speaks rules.Violation; a training plan keeps session ids apart from people
    return TrainingViolation(v.rule, v.hard, v.message,
                             tuple(s for s in v.subjects if s not in sessions), v.days,
                             tuple(s for s in v.subjects if s in sessions), text=v.text)
