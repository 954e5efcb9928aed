"""Visit-scheduling benchmark: one month of on-site service days, on easy and hard instances.

Usage::

    python benchmarks/bench_schedule.py [--scales prefecture] [--instances all]
                                        [--reference-seconds 2] [--seed N]

For each scale and instance, one fresh interpreter (``common.measure``)
loads the dataset, gives every village an advisor (nearest advisor with
capacity left, written here so that the benchmark measures scheduling
alone), then plans the month three ways: ``visits.greedy``,
``visits.cpsat`` (the library), and a *reference* a practitioner would
write: CP-SAT per advisor (the natural decomposition: advisors share
nothing), the greedy days as hint, CP-SAT's default portfolio, a wall-clock
limit per advisor (``benchmarks/schedule_reference.py``). Like the library,
the reference solves only the advisors whose greedy days break a rule (the
others score 0, the floor); its time includes the greedy hint.

Instances (``--instances``, comma-separated):

- ``generated``: the dataset as generated; greedy is already optimal there.
- ``visits-x2``: twice the policy's visits a month: patterns collide.
- ``tight``: half the advisors (every other by id) serve every village
  (capacity ignored), twice the villages each: days fill up.
- ``absences``: every advisor away on 6 working days of the month, and one
  in three also on a 5-day leave (seeded): fewer open days, broken patterns.
- ``hotline``: the coherent plan's busy time: the hotline rota's shifts
  (``hotline.greedy``) block their lawyers' visit days, as ``make_plan`` does.
- ``hard``: all of the above together.

(Lectures add no constraint to the schedule: the quarter's lecture is a mark
on one of the month's visits, so they make no harder instance.)

The score is the objective every planner minimises: 100,000 per visit not
placed plus the soft score (irregular villages, visits too close). The table
gives greedy's score; the library's score, wall and CPU seconds, bound and
status; the reference's score at the library's wall time (*quality at equal
time*), the wall time it needs to reach the library's score (*time to equal
quality*), and its best score within its limit. Both reference figures come
from one run: every improving solution is recorded with its time, so the
score it would have had with a shorter limit per advisor is read off, not
rerun. The library's time is its whole ``schedule_visits`` call.
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


def nearest_assignment(dataset: Any, half: bool = False) -> Any:
    """Each village (by id) to the nearest advisor with capacity left, searched on a grid.

    ``half``: only every other active advisor (by id) serves, capacity ignored.

    Written here rather than calling ``advisors.assign`` so that the benchmark
    measures scheduling alone and does not depend on the coverage strategies.
    """
    from advisors.assignment import Assignment

    cell = 0.25
    grid: dict[tuple[int, int], list[Any]] = {}
    serving = sorted((a for a in dataset.advisors if a.active), key=lambda a: a.id)
    for a in serving[::2] if half else serving:
        grid.setdefault((math.floor(a.lat / cell), math.floor(a.lon / cell)), []).append(a)
    left = {a.id: len(dataset.villages) if half else dataset.capacity(a)
            for a in dataset.advisors}
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




INSTANCES = ("generated", "visits-x2", "tight", "absences", "hotline", "hard")


def _absences(dataset: Any, period: str, seed: int) -> Any:
    """Every advisor away 6 working days, one in three also on a 5-day leave (seeded)."""
    import random

    import attrs

    from advisors.model import Unavailability
    from advisors.period import Period

    rng = random.Random(seed)
    days = [d for d in Period.parse(period).days if d.weekday() < 5]
    spans = list(dataset.unavailability)
    for a in sorted(dataset.advisors, key=lambda a: a.id):
        for d in rng.sample(days, 6):
            spans.append(Unavailability(a.id, d, d, "bench"))
        if rng.random() < 1 / 3:
            first = rng.choice(days[:-5])
            spans.append(Unavailability(a.id, first, first + dt.timedelta(days=4), "bench"))
    return attrs.evolve(dataset, unavailability=tuple(spans))


def build(folder: Path, period: str, instance: str, seed: int) -> tuple[Any, Any, Any]:
    """(dataset, assignment, busy timetable or None) of one instance."""
    import attrs

    import advisors
    from advisors.plan.timetable import shift_bookings, timetable

    dataset = advisors.read_folder(folder)
    if instance in ("visits-x2", "hard"):
        visits = dataset.policy.visits
        more = {k: n * 2 for k, n in visits.per_month.items()}
        dataset = attrs.evolve(dataset, policy=attrs.evolve(
            dataset.policy, visits=attrs.evolve(visits, per_month=more)))
    if instance in ("absences", "hard"):
        dataset = _absences(dataset, period, seed)
    assignment = nearest_assignment(dataset, half=instance in ("tight", "hard"))
    busy = None
    if instance in ("hotline", "hard"):
        rota = advisors.hotline_rota(dataset, period, strategy="greedy")
        busy = timetable(dataset, shift_bookings(dataset, rota.shifts))
    return dataset, assignment, busy


def _score(plan: Any, problem: Any) -> int:
    return MISSING_WEIGHT * (sum(problem.need.values()) - len(plan.visits)) \
        + plan.analysis.soft_score


def _start_scores(plan: Any, problem: Any) -> dict[str, int]:
    """Each advisor's share of ``plan``'s score (visits not placed, soft penalties)."""
    owner = {v: a for a, vs in problem.by_advisor().items() for v in vs}
    out = dict.fromkeys(problem.by_advisor(), 0)
    for (v, _), due in problem.need.items():
        if v in owner:
            out[owner[v]] += MISSING_WEIGHT * due
    for visit in plan.visits:
        if visit.village in owner:
            out[owner[visit.village]] -= MISSING_WEIGHT
    for v in plan.analysis.soft:
        who = {owner.get(s, s) for s in v.subjects} & out.keys()
        if who:
            out[min(who)] += v.weight
    return out


def run_instance(folder: Path, period: str, instance: str, seed: int,
                 seconds: float) -> dict[str, Any]:
    """Plan one instance with greedy, the library's CP-SAT and the reference; the figures."""
    from schedule_reference import at_limit, solve_per_advisor

    import advisors
    from advisors.period import Period
    from advisors.rules import SolveStats
    from advisors.visits.problem import VisitProblem

    dataset, assignment, busy = build(folder, period, instance, seed)
    gc.collect()
    gc.freeze()
    out: dict[str, Any] = {"villages": len(dataset.villages)}
    # once untimed: plugins, the travel model and first-call costs are not the strategies'
    advisors.schedule_visits(dataset, assignment, period, strategy="greedy", busy=busy)
    for strategy in ("greedy", "cpsat"):
        w, c = time.perf_counter(), time.process_time()
        plan = advisors.schedule_visits(dataset, assignment, period, strategy=strategy,
                                        busy=busy)
        problem = VisitProblem(dataset, assignment, Period.parse(period), busy=busy)
        out[strategy] = {"wall": time.perf_counter() - w, "cpu": time.process_time() - c,
                         "score": _score(plan, problem), "status": plan.stats.status,
                         "bound": plan.stats.bound, "hard": len(plan.analysis.hard)}
        if strategy == "greedy":
            greedy = plan
    problem = VisitProblem(dataset, assignment, Period.parse(period), busy=busy)
    start = _start_scores(greedy, problem)
    dirty = {a for a, score in start.items() if score}
    hint = {(v.village, v.date) for v in greedy.visits}
    w, c = time.perf_counter(), time.process_time()
    runs = solve_per_advisor(problem, hint, seconds, dirty)
    ref_wall, ref_cpu = time.perf_counter() - w, time.process_time() - c
    chosen = [k for r in runs.values() for k in r["days"]]
    final = problem.finish(chosen, SolveStats("reference", "feasible"))
    head = out["greedy"]["wall"]  # the reference needs the greedy hint too
    target, budget = out["cpsat"]["score"], out["cpsat"]["wall"]
    lo, hi = 0.0, seconds
    for _ in range(40):  # the longest limit per advisor that fits in the library's time
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if head + at_limit(runs, mid, start)[0] <= budget else (lo, mid)
    equal_time = at_limit(runs, lo, start) if head + at_limit(runs, 0.0, start)[0] <= budget \
        else None
    lo, hi = 0.0, seconds
    reached = at_limit(runs, seconds, start)[1] <= target
    for _ in range(40):  # the shortest limit per advisor that reaches the library's score
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if at_limit(runs, mid, start)[1] <= target else (mid, hi)
    out["reference"] = {
        "advisors": len(dirty), "of": len(start), "wall": head + ref_wall,
        "cpu": out["greedy"]["cpu"] + ref_cpu,
        "score": _score(final, problem), "model_score": at_limit(runs, seconds, start)[1],
        "hard": len(final.analysis.hard),
        "optimal": sum(1 for r in runs.values() if r["status"] == "OPTIMAL"),
        "equal_time": None if equal_time is None else (head + equal_time[0], equal_time[1]),
        "to_equal": (head + at_limit(runs, hi, start)[0]) if reached else None,
    }
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="prefecture")
    parser.add_argument("--instances", default=",".join(INSTANCES))
    parser.add_argument("--period", default="2026-12")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference-seconds", type=float, default=2.0,
                        help="the reference's wall-clock limit per advisor")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("advisors_ortools") is None:
        raise SystemExit("bench_schedule needs advisors-ortools (make install)")
    print(f"period {args.period}, seed {args.seed}, reference limit "
          f"{args.reference_seconds:g} s per advisor; scores: 100,000 × visits not placed "
          "+ soft score; seconds wall (CPU)\n")
    header = ["scale", "instance", "villages", "greedy score (s)", "visits.cpsat score",
              "visits.cpsat s", "bound / status", "reference advisors solved (optimal)",
              "reference at equal time", "reference time to equal quality",
              "reference best (s)", "peak MiB"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
    for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
        folder = dataset_dir(scale, args.seed)
        for instance in [s.strip() for s in args.instances.split(",") if s.strip()]:
            _, peak, r = measure(run_instance, folder, args.period, instance, args.seed,
                                 args.reference_seconds)
            g, c, ref = r["greedy"], r["cpsat"], r["reference"]
            et = "slower to build than the library's whole run" if ref["equal_time"] is None \
                else f"{ref['equal_time'][1]:,} ({ref['equal_time'][0]:.2f} s)"
            te = "not reached" if ref["to_equal"] is None else f"{ref['to_equal']:.2f} s"
            bound = "–" if c["bound"] is None else f"{c['bound']:,}"
            best = f"{ref['score']:,} ({ref['wall']:.2f} s, CPU {ref['cpu']:.2f} s)"
            if ref["model_score"] != ref["score"]:
                best += f" [model said {ref['model_score']:,}]"
            print(f"| {scale} | {instance} | {r['villages']:,} | {g['score']:,} "
                  f"({g['wall']:.2f} s) | {c['score']:,} | {c['wall']:.2f} (CPU {c['cpu']:.2f}) | "
                  f"{bound} / {c['status']} | "
                  f"{ref['advisors']} of {ref['of']} ({ref['optimal']}) | {et} | {te} | "
                  f"{best} | {peak:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
