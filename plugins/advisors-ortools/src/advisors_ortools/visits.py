"""CP-SAT visit scheduler: ``visits.cpsat``.

Advisors do not share anything in the visit problem, so each advisor's
villages are one small model: a boolean per (village, open day), a boolean
per (village, notice-board pattern) that forces the village's days onto the
pattern, and penalties for villages left irregular and for visits too close
together — the same weights as the rules, so the objective is the plan's
soft score. Missing visits carry a penalty far above any soft one.

Deterministic: one worker, a fixed seed, and a *deterministic* time limit
per advisor (wall-clock limits would make the result depend on the machine).
The bound reported is the sum of the advisors' proven bounds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from advisors.hookspecs import Register
from advisors.rules import SolveStats
from advisors.visits.patterns import candidate_patterns
from advisors.visits.problem import VisitProblem
from advisors.visits.rules import IRREGULAR_WEIGHT, SPREAD_WEIGHT, min_gap
from advisors.visits.visit_plan import VisitPlan

from . import cpsat
from .cpsat import MISSING_WEIGHT


class CpsatVisits:
    """Optimise regularity and spread of each advisor's visits with CP-SAT."""

    kind = "visits"

    def __init__(self, deterministic_time: float = 2.0, workers: int = 1, seed: int = 0) -> None:
        self.deterministic_time = deterministic_time
        """Deterministic time limit per advisor (CP-SAT's own work units, about seconds)."""
        self.workers = workers
        self.seed = seed

    def __call__(self, problem: VisitProblem) -> VisitPlan:
        """Solve ``problem`` advisor by advisor."""
        from advisors.visits.greedy import GreedyVisits

        # an advisor whose greedy days break no rule at all is optimal already (bound 0):
        # only the others need a model
        greedy = GreedyVisits()(problem)
        dirty = {s for v in greedy.analysis.violations for s in v.subjects}
        kept = {k.id for k in problem.kept}
        work = problem.by_advisor()
        if not any(a in dirty or dirty.intersection(vs) for a, vs in work.items()):
            # nothing to improve: greedy's plan is optimal, with the trivial bound
            return attrs.evolve(greedy, stats=SolveStats("visits.cpsat", "optimal",
                                                         greedy.stats.objective, 0))
        greedy_days: dict[str, list[tuple[str, dt.date]]] = {}
        for v in greedy.visits:
            if v.id not in kept:
                greedy_days.setdefault(v.advisor, []).append((v.village, v.date))
        chosen: list[tuple[str, dt.date]] = []
        bound = 0
        status = "optimal"
        for advisor, villages in work.items():
            if advisor not in dirty and not dirty.intersection(villages):
                chosen.extend(greedy_days.get(advisor, []))
                continue
            hint = set(greedy_days.get(advisor, []))
            days, sub_bound, optimal = self._solve(problem, advisor, villages, hint)
            if not optimal and not days:  # no solution within the limit: keep greedy's
                days = sorted(hint)
                status = "hint"
            chosen.extend(days)
            bound += sub_bound
            if not optimal and status == "optimal":
                status = "feasible"
        plan = problem.finish(chosen, SolveStats("visits.cpsat", status, None, bound))
        if plan.analysis.rank > greedy.analysis.rank:
            # never worse than the starting solution: keep it, and say so
            return attrs.evolve(greedy, stats=SolveStats("visits.cpsat", "hint",
                                                         greedy.stats.objective))
        return plan

    def _solve(self, problem: VisitProblem, advisor: str, villages: tuple[str, ...],
               hint: set[tuple[str, dt.date]]) -> tuple[list[tuple[str, dt.date]], int, bool]:
        from ortools.sat.python import cp_model

        model = cp_model.CpModel()
        x: dict[tuple[str, dt.date], Any] = {}
        terms: list[tuple[int, Any]] = []
        misses: list[Any] = []
        for v in villages:
            own = {k.date for k in problem.kept_of(v)}
            promised = problem.promised(v) is not None
            for d in problem.open_days(v):
                if promised and (v, d) not in hint:
                    continue
                if d not in own and problem.day_allows(advisor, d, [v]):
                    x[(v, d)] = model.NewBoolVar(f"x|{v}|{d}")
                    if promised:  # a promise stays: its days (one-off moves included) are fixed
                        model.Add(x[(v, d)] == 1)
            for m in problem.months:
                due = problem.missing(v, m.label)
                if not due:
                    continue
                ds = [x[(v, d)] for d in m.days if (v, d) in x]
                miss = model.NewIntVar(0, due, f"miss|{v}|{m.label}")
                model.Add(sum(ds) + miss == due)
                misses.append(miss)
            _spread(problem, model, x, v, own, terms)
            if not promised:
                _regular(problem, model, x, v, own, terms)
        _per_day(problem, model, x, advisor, villages)
        model.Minimize(MISSING_WEIGHT * sum(misses) + sum(w * t for w, t in terms))
        for key, var in sorted(x.items()):
            model.AddHint(var, key in hint)
        solver = cpsat.solver(self.deterministic_time, self.workers, self.seed)
        result = solver.Solve(model)
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [], 0, False
        missed = sum(solver.Value(m) for m in misses)
        bound = max(0, round(solver.BestObjectiveBound()) - MISSING_WEIGHT * missed)
        constant = sum(w for w, t in terms if isinstance(t, int))
        days = [key for key, var in sorted(x.items()) if solver.Value(var)]
        return days, max(bound, constant), result == cp_model.OPTIMAL


def _spread(problem: VisitProblem, model: Any, x: dict[tuple[str, dt.date], Any], v: str,
            own: set[dt.date], terms: list[tuple[int, Any]]) -> None:
    for m in problem.months:
        gap = min_gap(problem, v, m.label)
        if gap <= 1:
            continue
        mine = sorted([d for d in m.days if (v, d) in x] + [d for d in own if d in m])
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                if (b - a).days >= gap:
                    break
                xa, xb = x.get((v, a)), x.get((v, b))
                if xa is None and xb is None:
                    terms.append((SPREAD_WEIGHT, 1))
                elif xa is None or xb is None:
                    terms.append((SPREAD_WEIGHT, xa if xb is None else xb))
                else:
                    both = model.NewBoolVar("")
                    model.AddBoolOr([xa.Not(), xb.Not(), both])
                    terms.append((SPREAD_WEIGHT, both))


def _regular(problem: VisitProblem, model: Any, x: dict[tuple[str, dt.date], Any], v: str,
             own: set[dt.date], terms: list[tuple[int, Any]]) -> None:
    per_month = max((problem.need.get((v, m.label), 0) for m in problem.months), default=0)
    if not per_month:
        return
    mine = [d for (w, d) in x if w == v]
    choices = []
    for pattern in candidate_patterns(per_month):
        on = {d for m in problem.months for d in pattern.dates(m.start.year, m.start.month)
              if d in m}
        if not own <= on:
            continue
        if any(len([d for d in on if d in m and ((v, d) in x or d in own)])
               < problem.need.get((v, m.label), 0) for m in problem.months):
            continue
        y = model.NewBoolVar(f"y|{v}|{pattern.weekday}|{pattern.ordinals}")
        for d in mine:
            if d not in on:
                model.AddImplication(y, x[(v, d)].Not())
        choices.append(y)
    if not choices:
        terms.append((IRREGULAR_WEIGHT, 1))
        return
    model.Add(sum(choices) <= 1)
    irregular = model.NewBoolVar(f"irregular|{v}")
    model.Add(sum(choices) + irregular == 1)
    terms.append((IRREGULAR_WEIGHT, irregular))


def _per_day(problem: VisitProblem, model: Any, x: dict[tuple[str, dt.date], Any], advisor: str,
             villages: tuple[str, ...]) -> None:
    policy = problem.dataset.policy.visits
    low = policy.max_per_day
    high = max(policy.max_per_day, policy.max_per_day_nearby)
    by_day: dict[dt.date, list[str]] = {}
    for v, d in x:
        by_day.setdefault(d, []).append(v)
    for d, vs in sorted(by_day.items()):
        kept = [k.village for k in problem.kept_on(advisor, d)]
        if len(vs) + len(kept) <= low:
            continue
        total = sum(x[(v, d)] for v in vs) + len(kept)
        if high <= low:
            model.Add(total <= low)
            continue
        wide = model.NewBoolVar(f"wide|{d}")
        model.Add(total <= low + (high - low) * wide)
        everyone = sorted(vs) + kept
        for i, a in enumerate(everyone):
            for b in everyone[i + 1:]:
                if problem.nearby(a, b):
                    continue
                lits = [x[(u, d)].Not() for u in (a, b) if (u, d) in x]
                model.AddBoolOr([*lits, wide.Not()])


def register(register: Register) -> None:
    """Offer the CP-SAT visit scheduler."""
    register("visits.cpsat", CpsatVisits(),
             "CP-SAT per advisor: regular patterns and spread, deterministic, reports the bound")
