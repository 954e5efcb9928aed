"""Visit-scheduling benchmark: one month of on-site service days.

Usage::

    python benchmarks/bench_schedule.py [--scales prefecture,national] [--period 2026-12]
                                        [--seed N] [--reference-seconds 60]

For each scale, every strategy runs in a fresh interpreter (``common.measure``):
load the dataset, give every village an advisor (nearest advisor with
capacity left, written here so that the benchmark measures scheduling
alone), then plan the month. Besides the library's strategies (``greedy``,
``cpsat``), a *reference* CP-SAT model of the same problem is written
directly here — one monolithic model, all advisors at once, CP-SAT's
default portfolio of workers under a wall-clock limit — and judged by the
same rules. The table gives the planning time (loading and the assignment
are timed apart), peak RSS, visits, hard violations, the soft score (the
objective), the proven lower bound and the gap to it.

Targets (issue 4): prefecture within 0.1 % of the lower bound in ≤ 5 s; the
national month in ≤ 120 s with ≤ 2 GB. The reference model is skipped above
``--reference-max-villages`` (it does not fit in memory and time at national
scale; that is the point of decomposing by advisor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import math
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from advisors_ortools.cpsat import MISSING_WEIGHT  # the planners' weight, for a fair score
from common import dataset_dir, measure


def nearest_assignment(dataset: Any) -> Any:
    """Each village (by id) to the nearest advisor with capacity left, searched on a grid.

    Written here rather than calling ``advisors.assign`` so that the benchmark
    measures scheduling alone and does not depend on the coverage strategies.
    """
    from advisors.assignment import Assignment

    cell = 0.25
    grid: dict[tuple[int, int], list[Any]] = {}
    for a in dataset.advisors:
        if a.active:
            grid.setdefault((math.floor(a.lat / cell), math.floor(a.lon / cell)), []).append(a)
    left = {a.id: dataset.capacity(a) for a in dataset.advisors}
    out: dict[str, str | None] = {}
    for v in sorted(dataset.villages, key=lambda v: v.id):
        ci, cj = math.floor(v.lat / cell), math.floor(v.lon / cell)
        shrink = math.cos(math.radians(v.lat))  # an equirectangular distance ranks as well
        best = None
        for ring in range(0, 6):
            for i in range(ci - ring, ci + ring + 1):
                for j in range(cj - ring, cj + ring + 1):
                    if max(abs(i - ci), abs(j - cj)) != ring:
                        continue
                    for a in grid.get((i, j), ()):
                        if left[a.id] > 0:
                            key = ((v.lat - a.lat) ** 2 + ((v.lon - a.lon) * shrink) ** 2, a.id)
                            if best is None or key < best[0]:
                                best = (key, a)
            if best is not None and ring >= 1:
                break
        if best is None:
            out[v.id] = None
        else:
            out[v.id] = best[1].id
            left[best[1].id] -= 1
    return Assignment(out)


def reference_cpsat(problem: Any, seconds: float) -> tuple[list[tuple[str, dt.date]], Any]:
    """The whole month as one CP-SAT model, written from the issue's rules."""
    from ortools.sat.python import cp_model

    from advisors.visits.patterns import candidate_patterns
    from advisors.visits.rules import IRREGULAR_WEIGHT, SPREAD_WEIGHT, min_gap

    policy = problem.dataset.policy.visits
    model = cp_model.CpModel()
    x: dict[tuple[str, dt.date], Any] = {}
    objective: list[Any] = []
    by_advisor_day: dict[tuple[str, dt.date], list[str]] = {}
    for advisor, villages in problem.by_advisor().items():
        for v in villages:
            for d in problem.open_days(v):
                x[(v, d)] = model.NewBoolVar("")
                by_advisor_day.setdefault((advisor, d), []).append(v)
            for m in problem.months:
                due = problem.need.get((v, m.label), 0)
                if due:
                    miss = model.NewIntVar(0, due, "")
                    model.Add(sum(x[(v, d)] for d in m.days if (v, d) in x) + miss == due)
                    objective.append(MISSING_WEIGHT * miss)
                gap = min_gap(problem, v, m.label)
                days = [d for d in m.days if (v, d) in x]
                for i, a in enumerate(days):
                    for b in days[i + 1:]:
                        if (b - a).days >= gap:
                            break
                        both = model.NewBoolVar("")
                        model.AddBoolOr([x[(v, a)].Not(), x[(v, b)].Not(), both])
                        objective.append(SPREAD_WEIGHT * both)
            k = max((problem.need.get((v, m.label), 0) for m in problem.months), default=0)
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
    for (_, day), vs in by_advisor_day.items():
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
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    chosen = [k for k, var in x.items() if solver.Value(var)] \
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else []
    return chosen, (solver, status)


def plan_once(folder: Path, period: str, strategy: str, seconds: float,
              busy: int = 1) -> dict[str, Any]:
    """Load ``folder``, assign, plan ``period`` with ``strategy``; return the figures.

    ``busy`` multiplies the policy's visits a month (2: twice the visits), which makes
    the advisors' patterns collide and gives the optimisers something to do.
    """
    import attrs

    import advisors
    from advisors.period import Period
    from advisors.rules import SolveStats
    from advisors.visits.problem import VisitProblem

    t0 = time.perf_counter()
    dataset = advisors.read_folder(folder)
    if busy != 1:
        visits = dataset.policy.visits
        more = {k: n * busy for k, n in visits.per_month.items()}
        dataset = attrs.evolve(dataset, policy=attrs.evolve(
            dataset.policy, visits=attrs.evolve(visits, per_month=more)))
    loaded = time.perf_counter() - t0
    # the loaded dataset (2 M people at national scale) lives to the end: keep the cyclic
    # garbage collector from rescanning it on every full collection while planning
    gc.collect()
    gc.freeze()
    t1 = time.perf_counter()
    assignment = nearest_assignment(dataset)
    assigned = time.perf_counter() - t1
    t2 = time.perf_counter()
    if strategy == "reference":
        from ortools.sat.python import cp_model

        problem = VisitProblem(dataset, assignment, Period.parse(period))
        chosen, (solver, status) = reference_cpsat(problem, seconds)
        missed = sum(problem.need.values()) - len(chosen)
        bound = max(0, round(solver.BestObjectiveBound()) - MISSING_WEIGHT * max(0, missed))
        state = "optimal" if status == cp_model.OPTIMAL else "feasible"
        plan = problem.finish(chosen, SolveStats("reference", state, None, bound))
    else:
        plan = advisors.schedule_visits(dataset, assignment, period, strategy=strategy)
    planned = time.perf_counter() - t2
    return {
        "villages": len(dataset.villages), "advisors": len(dataset.advisors),
        "load_s": loaded, "assign_s": assigned, "plan_s": planned,
        "visits": len(plan.visits), "hard": len(plan.analysis.hard),
        "unassigned": sum(1 for a in assignment.advisor_of.values() if a is None),
        "score": plan.stats.objective, "bound": plan.stats.bound, "gap": plan.stats.gap,
        "status": plan.stats.status,
        "regular": sum(1 for p in plan.patterns.values() if p is not None),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="prefecture,national")
    parser.add_argument("--period", default="2026-12")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strategies", default="greedy,cpsat,reference")
    parser.add_argument("--reference-seconds", type=float, default=60.0)
    parser.add_argument("--reference-max-villages", type=int, default=20_000)
    parser.add_argument("--busy", type=int, default=1,
                        help="multiply the policy's visits a month (a harder instance)")
    args = parser.parse_args(argv)
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    if importlib.util.find_spec("advisors_ortools") is None:
        strategies = [s for s in strategies if s == "greedy"]
    header = ["scale", "strategy", "villages", "plan s", "load s", "assign s", "peak MiB",
              "visits", "regular villages", "hard", "score", "bound", "gap", "status"]
    print(f"period {args.period}, seed {args.seed}, visits a month ×{args.busy}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
    for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
        folder = dataset_dir(scale, args.seed)
        for strategy in strategies:
            with open(folder / "villages.csv", encoding="utf-8") as fh:
                villages = sum(1 for _ in fh) - 1
            if strategy == "reference" and villages > args.reference_max_villages:
                print(f"| {scale} | reference | {villages:,} | skipped: one model of "
                      f"more than {args.reference_max_villages:,} villages |"
                      + " |" * (len(header) - 4))
                continue
            seconds, peak, r = measure(plan_once, folder, args.period, strategy,
                                       args.reference_seconds, args.busy)
            gap = "–" if r["gap"] is None else f"{100 * r['gap']:.2f} %"
            print(f"| {scale} | {strategy} | {r['villages']:,} | {r['plan_s']:.2f} | "
                  f"{r['load_s']:.2f} | {r['assign_s']:.2f} | {peak:.0f} | {r['visits']:,} | "
                  f"{r['regular']:,} | {r['hard']:,} | {r['score']} | "
                  f"{'–' if r['bound'] is None else r['bound']} | {gap} | {r['status']} |",
                  flush=True)
            del seconds
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
