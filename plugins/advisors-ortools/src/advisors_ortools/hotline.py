"""CP-SAT hotline rota maker: ``hotline.cpsat``.

One boolean per (lawyer, shift) — seats of one shift are interchangeable, so
they are numbered after solving, which removes symmetric solutions. Hard
rules are constraints except staffing and languages, which have slack with a
penalty far above any soft one, so that an impossible month still yields the
best rota and the analysis says which seats stay empty. Fairness: the spread
of counts including the history beyond one, for all, rest-day and evening
shifts, with the rules' weights. Deterministic (one worker, fixed seed,
deterministic time limit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from advisors.hookspecs import Register
from advisors.hotline.facts import HotlineRota, Slot
from advisors.hotline.greedy import GreedyHotline
from advisors.hotline.problem import HotlineProblem
from advisors.hotline.rules import FAIRNESS_WEIGHTS, counts_of
from advisors.period import month_of
from advisors.rules import SolveStats

from . import cpsat
from .cpsat import MISSING_WEIGHT


class CpsatHotline:
    """Staff every seat and balance counts across periods with CP-SAT."""

    kind = "hotline"

    def __init__(self, deterministic_time: float = 5.0, workers: int = 1, seed: int = 0,
                 shortcuts: bool = True) -> None:
        self.deterministic_time = deterministic_time
        """Deterministic time limit (CP-SAT's own work units, about seconds)."""
        self.workers = workers
        self.seed = seed
        self.shortcuts = shortcuts
        """Return the greedy start without a search where it is proved optimal (tests turn
        this off to check the proofs against a search)."""

    def __call__(self, problem: HotlineProblem) -> HotlineRota:
        """Solve ``problem``."""
        start = self._start(problem)
        if self.shortcuts and (start.analysis.rank == (0, 0) or _no_seat_more(problem, start)):
            # The start is optimal when it breaks no rule, hard or soft (no rota scores below
            # 0), or when its only faults are empty seats and every lawyer is at a monthly cap
            # (no rota staffs more seats). CP-SAT has nothing to find (at province scale it
            # would search ~16 s of CPU) and OR-Tools is not even imported (half a second: it
            # brings pandas). Objective and bound are the soft part, as after a search.
            return attrs.evolve(start, stats=SolveStats("hotline.cpsat", "optimal", 0, 0))
        from ortools.sat.python import cp_model

        policy = problem.dataset.policy.hotline
        kept_by_shift: dict[tuple[dt.date, int], list[str]] = {}
        for k in problem.kept:
            kept_by_shift.setdefault((k.date, k.index), []).append(k.lawyer)
        seats: dict[tuple[dt.date, int], list[Slot]] = {}
        kept_ids = {k.id for k in problem.kept}
        for s in problem.slots:
            if s.id not in kept_ids:
                seats.setdefault((s.date, s.index), []).append(s)
        model = cp_model.CpModel()
        x: dict[tuple[str, tuple[dt.date, int]], Any] = {}
        for shift, free in sorted(seats.items()):
            for lawyer in problem.eligible:
                if lawyer not in kept_by_shift.get(shift, []) and problem.can_take(lawyer, free[0]):
                    x[(lawyer, shift)] = model.NewBoolVar(f"x|{lawyer}|{shift[0]}|{shift[1]}")
        penalties = []
        for shift, free in sorted(seats.items()):
            on = [x[(lw, shift)] for lw in problem.eligible if (lw, shift) in x]
            empty = model.NewIntVar(0, len(free), f"empty|{shift[0]}|{shift[1]}")
            model.Add(sum(on) + empty == len(free))
            penalties.append(empty)
            for lang in policy.required_languages:
                if any(problem.speaks(k, lang) for k in kept_by_shift.get(shift, [])):
                    continue
                speakers = [x[(lw, shift)] for lw in problem.eligible
                            if (lw, shift) in x and problem.speaks(lw, lang)]
                # only a staffed shift can lack a language; an empty one is counted once
                staffed = model.NewBoolVar("")
                for var in on:
                    model.AddImplication(var, staffed)
                model.Add(sum(on) >= 1).OnlyEnforceIf(staffed)
                mute = model.NewBoolVar("")
                model.AddBoolOr([*speakers, mute]).OnlyEnforceIf(staffed)
                penalties.append(mute)
        kept_day: dict[tuple[str, dt.date], int] = {}
        kept_month: dict[tuple[str, str], int] = {}
        for k in problem.kept:
            kept_day[(k.lawyer, k.date)] = kept_day.get((k.lawyer, k.date), 0) + 1
            month = month_of(k.date)
            kept_month[(k.lawyer, month)] = kept_month.get((k.lawyer, month), 0) + 1
        by_day: dict[tuple[str, dt.date], list[Any]] = {}
        by_month: dict[tuple[str, str], list[Any]] = {}
        for (lawyer, (day, _)), var in x.items():
            by_day.setdefault((lawyer, day), []).append(var)
            by_month.setdefault((lawyer, month_of(day)), []).append(var)
        for (lawyer, day), vs in by_day.items():
            model.Add(sum(vs) <= max(0, policy.max_shifts_per_day
                                     - kept_day.get((lawyer, day), 0)
                                     - problem.past_days.get((lawyer, day), 0)))
        for (lawyer, month), vs in by_month.items():
            model.Add(sum(vs) <= max(0, problem.month_cap(lawyer, month)
                                     - kept_month.get((lawyer, month), 0)))
        soft = self._fairness(problem, model, x, seats)
        model.Minimize(MISSING_WEIGHT * sum(penalties) + sum(w * t for w, t in soft))
        self._hint(start, model, x)
        solver = cpsat.solver(self.deterministic_time, self.workers, self.seed)
        result = solver.Solve(model)
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # nothing found in the limit (UNKNOWN): never publish less than the start
            return attrs.evolve(start, stats=SolveStats("hotline.cpsat", "hint",
                                                        start.stats.objective))
        chosen: list[tuple[str, str]] = []
        for shift, free in sorted(seats.items()):
            lawyers = sorted(lw for lw in problem.eligible
                             if (lw, shift) in x and solver.Value(x[(lw, shift)]))
            chosen.extend((slot.id, lw) for slot, lw in zip(free, lawyers, strict=False))
        hard = sum(solver.Value(p) for p in penalties)
        bound = max(0, round(solver.BestObjectiveBound()) - MISSING_WEIGHT * hard)
        status = "optimal" if result == cp_model.OPTIMAL else "feasible"
        rota = problem.finish(chosen, SolveStats("hotline.cpsat", status, None, bound))
        if rota.analysis.rank > start.analysis.rank:
            return attrs.evolve(start, stats=SolveStats("hotline.cpsat", "hint",
                                                        start.stats.objective))
        return rota

    @staticmethod
    def _start(problem: HotlineProblem) -> HotlineRota:
        # the greedy rota: CP-SAT only has to improve it, and it is never published worse
        return GreedyHotline()(problem)

    @staticmethod
    def _hint(start: HotlineRota, model: Any, x: dict[Any, Any]) -> None:
        on = {(s.lawyer, (s.date, s.index)) for s in start.shifts}
        for key, var in sorted(x.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            model.AddHint(var, key in on)

    @staticmethod
    def _fairness(problem: HotlineProblem, model: Any, x: dict[Any, Any],
                  seats: dict[tuple[dt.date, int], list[Slot]]) -> list[tuple[int, Any]]:
        if len(problem.eligible) < 2:
            return []
        kind = {shift: free[0] for shift, free in seats.items()}
        base = counts_of(problem, problem.kept)  # what the fairness rules count, too
        horizon = len(problem.slots) + max(c.total for c in base.values()) + 1
        per_lawyer: dict[str, list[tuple[tuple[dt.date, int], Any]]] = {}
        for (lw, shift), var in x.items():
            per_lawyer.setdefault(lw, []).append((shift, var))
        terms: list[tuple[int, Any]] = []
        for what in ("total", "weekend", "evening"):
            hi = model.NewIntVar(0, horizon, f"hi|{what}")
            lo = model.NewIntVar(0, horizon, f"lo|{what}")
            for lawyer in problem.eligible:
                mine = [var for shift, var in per_lawyer.get(lawyer, [])
                        if what == "total" or getattr(kind[shift], what)]
                count = getattr(base[lawyer], what) + sum(mine)
                model.Add(hi >= count)
                model.Add(lo <= count)
            excess = model.NewIntVar(0, horizon, f"excess|{what}")
            model.Add(excess >= hi - lo - 1)
            terms.append((FAIRNESS_WEIGHTS[what], excess))
        return terms


def register(register: Register) -> None:
    """Offer the CP-SAT rota maker."""
    register("hotline.cpsat", CpsatHotline(),
             "CP-SAT: staff every seat, balance counts with history, reports the bound")


def _no_seat_more(problem: HotlineProblem, start: HotlineRota) -> bool:
    """Whether ``start`` is optimal because its only faults are seats no rota can staff.

    Sound, not complete: every hard violation is an empty seat, none is soft, and
    every eligible lawyer already holds as many shifts in each month of the period
    as the monthly cap allows (kept shifts included). Each seat takes one lawyer and
    the monthly caps are hard, so no rota staffs more seats than this one.
    """
    analysis = start.analysis
    if analysis.soft_score or not all(v.rule == "Shift understaffed" for v in analysis.hard):
        return False
    held: dict[tuple[str, str], int] = {}
    for shift in start.shifts:
        key = (shift.lawyer, month_of(shift.date))
        held[key] = held.get(key, 0) + 1
    months = sorted({month_of(slot.date) for slot in problem.slots})
    return all(held.get((lawyer, month), 0) >= problem.month_cap(lawyer, month)
               for lawyer in problem.eligible for month in months)
