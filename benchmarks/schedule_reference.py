"""The practitioner's reference for the visit benchmark: CP-SAT per advisor, with a hint.

Advisors share nothing in the visit problem, so the natural model is one
CP-SAT model per advisor, written straight from the rules: a boolean per
(village, open day), a boolean per notice-board pattern that forces the
village's days onto it, a penalty per village left irregular and per pair of
visits too close together (the rules' weights), a penalty far above those for
each visit not placed, and the per-day limit (more villages only when they are
all nearby). Each model starts from the greedy plan's days (``AddHint``) and
runs CP-SAT's default portfolio under a wall-clock limit, as one would write
it without knowing the library.

Every improving solution is recorded with its wall time (a solution
callback), so one run gives the score the reference would have had with any
shorter limit per advisor: what it reaches at the library's time, and how long
it needs to reach the library's score.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from advisors_ortools.cpsat import MISSING_WEIGHT
from ortools.sat.python import cp_model

from advisors.visits.patterns import candidate_patterns
from advisors.visits.rules import IRREGULAR_WEIGHT, SPREAD_WEIGHT, min_gap

Trace = list[tuple[float, int]]
"""(seconds since the solve started, objective) of each improving solution."""


class _Recorder(cp_model.CpSolverSolutionCallback):  # type: ignore[misc]
    def __init__(self, start: float) -> None:
        super().__init__()
        self.start = start
        self.trace: Trace = []

    def on_solution_callback(self) -> None:
        self.trace.append((time.perf_counter() - self.start, round(self.ObjectiveValue())))


def _model(problem: Any, advisor: str, villages: tuple[str, ...]
           ) -> tuple[Any, dict[tuple[str, dt.date], Any]]:
    policy = problem.dataset.policy.visits
    model = cp_model.CpModel()
    x: dict[tuple[str, dt.date], Any] = {}
    objective: list[Any] = []
    by_day: dict[dt.date, list[str]] = {}
    for v in villages:
        for d in problem.open_days(v):
            x[(v, d)] = model.NewBoolVar("")
            by_day.setdefault(d, []).append(v)
        for m in problem.months:
            due = problem.need.get((v, m.label), 0)
            days = [d for d in m.days if (v, d) in x]
            if due:
                miss = model.NewIntVar(0, due, "")
                model.Add(sum(x[(v, d)] for d in days) + miss == due)
                objective.append(MISSING_WEIGHT * miss)
            gap = min_gap(problem, v, m.label)
            for i, a in enumerate(days):
                for b in days[i + 1:]:
                    if (b - a).days >= gap:
                        break
                    both = model.NewBoolVar("")
                    model.AddBoolOr([x[(v, a)].Not(), x[(v, b)].Not(), both])
                    objective.append(SPREAD_WEIGHT * both)
        k = max((problem.need.get((v, m.label), 0) for m in problem.months), default=0)
        if not k:
            continue
        ys = []
        for p in candidate_patterns(k):
            on = {d for m in problem.months for d in p.dates(m.start.year, m.start.month)}
            y = model.NewBoolVar("")
            for d in problem.open_days(v):
                if d not in on:
                    model.AddImplication(y, x[(v, d)].Not())
            ys.append(y)
        irregular = model.NewBoolVar("")
        model.Add(sum(ys) + irregular == 1)
        objective.append(IRREGULAR_WEIGHT * irregular)
    high = max(policy.max_per_day, policy.max_per_day_nearby)
    for day, vs in sorted(by_day.items()):
        if len(vs) <= policy.max_per_day:
            continue
        wide = model.NewBoolVar("")
        model.Add(sum(x[(v, day)] for v in vs) <= policy.max_per_day
                  + (high - policy.max_per_day) * wide)
        for i, a in enumerate(vs):
            for b in vs[i + 1:]:
                if not problem.nearby(a, b):
                    model.AddBoolOr([x[(a, day)].Not(), x[(b, day)].Not(), wide.Not()])
    model.Minimize(sum(objective))
    return model, x


def solve_per_advisor(problem: Any, hint: set[tuple[str, dt.date]], seconds: float,
                      only: set[str] | None = None) -> dict[str, Any]:
    """Solve each advisor's model (those in ``only`` when given) with ``seconds`` each.

    Returns per advisor: build seconds, solve seconds, the trace, the final
    status and the chosen (village, day) pairs; advisors not solved keep
    their hinted days.
    """
    out: dict[str, Any] = {}
    for advisor, villages in problem.by_advisor().items():
        mine = [(v, d) for (v, d) in hint if v in set(villages)]
        if only is not None and advisor not in only:
            out[advisor] = {"build": 0.0, "solve": 0.0, "trace": [], "status": "kept",
                            "days": sorted(mine)}
            continue
        t0 = time.perf_counter()
        model, x = _model(problem, advisor, villages)
        for key, var in sorted(x.items()):
            model.AddHint(var, key in hint)
        t1 = time.perf_counter()
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        recorder = _Recorder(t1)
        status = solver.Solve(model, recorder)
        t2 = time.perf_counter()
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        out[advisor] = {
            "build": t1 - t0, "solve": t2 - t1, "trace": recorder.trace,
            "status": solver.StatusName(status),
            "days": sorted(k for k, var in x.items() if solver.Value(var)) if found
            else sorted(mine),
        }
    return out


def at_limit(runs: dict[str, Any], limit: float, start: dict[str, int]) -> tuple[float, int]:
    """(seconds, objective) of the reference had each advisor's limit been ``limit``.

    An advisor's solve stops at the limit or when it finished (proved optimal);
    its objective is the best found by then, else its start's (``start``).
    """
    seconds = 0.0
    total = 0
    for advisor, r in runs.items():
        if r["status"] == "kept":
            total += start[advisor]
            continue
        seconds += r["build"] + min(limit, r["solve"])
        best = [obj for t, obj in r["trace"] if t <= limit]
        total += min(best) if best else start[advisor]
    return seconds, total
