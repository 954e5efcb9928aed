"""The whole plan, coherent against separate: what one person, one place costs.

Usage::

    python benchmarks/bench_plan.py [--scales prefecture,province] [--period 2026-12] [--seed N]

For each scale, in one run, ``advisors.make_plan`` plans the month twice,
each in a fresh interpreter (``common.measure``), with the default
strategies (CP-SAT where advisors-ortools is installed):

- ``separate``: the hotline, visits and training planned apart, as before
  issue 15 (``coherent=False``); the plan's timetable check then counts the
  clashes — people booked in two places, travel included;
- ``coherent``: the hotline first, then visits around its shifts, then
  training around both (the default).

The table gives the planning time (loading is timed apart), peak RSS, the
clashes, hotline seats staffed (and how many the greedy rota alone staffs,
the floor the default strategy must reach), visits placed and their soft
score, training sessions, and the hard violations of each part.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import dataset_dir, measure


def plan_month(folder: str, period: str, coherent: bool) -> dict[str, Any]:
    """Child: load ``folder`` and plan ``period``; the figures of the plan."""
    import advisors
    from advisors.hotline.greedy import GreedyHotline
    from advisors.hotline.problem import HotlineProblem

    t0 = time.perf_counter()
    dataset = advisors.read_folder(folder)
    loaded = time.perf_counter() - t0
    t1 = time.perf_counter()
    plan = advisors.make_plan(dataset, period, coherent=coherent)
    planned = time.perf_counter() - t1
    seats = len(HotlineProblem(dataset, plan.period).slots)
    greedy = GreedyHotline()(HotlineProblem(dataset, plan.period))
    return {
        "load_s": loaded, "plan_s": planned,
        "clashes": len(plan.timetable.hard),
        "seats": seats, "staffed": len(plan.hotline.shifts), "greedy_staffed": len(greedy.shifts),
        "hotline_status": plan.hotline.stats.status,
        "visits": len(plan.visits.visits), "visit_soft": plan.visits.analysis.soft_score,
        "visit_hard": len(plan.visits.analysis.hard),
        "sessions": len(plan.training.sessions),
        "training_hard": len(plan.training.analysis.hard),
        "hotline_hard": len(plan.hotline.analysis.hard),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="prefecture,province")
    parser.add_argument("--period", default="2026-12")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    head = ("scale", "mode", "plan s", "load s", "peak MB", "clashes", "seats staffed",
            "greedy alone", "visits", "visit soft", "sessions", "hard (hotline/visits/training)")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    failed = False
    for scale in args.scales.split(","):
        folder = str(dataset_dir(scale, args.seed))
        times = {}
        for mode in ("separate", "coherent"):
            _, peak, r = measure(plan_month, folder, args.period, mode == "coherent")
            times[mode] = r["plan_s"]
            print(" | ".join(str(x) for x in (
                scale, mode, f"{r['plan_s']:.1f}", f"{r['load_s']:.1f}", f"{peak:.0f}",
                r["clashes"], f"{r['staffed']}/{r['seats']} ({r['hotline_status']})",
                r["greedy_staffed"], r["visits"], r["visit_soft"], r["sessions"],
                f"{r['hotline_hard']}/{r['visit_hard']}/{r['training_hard']}")), flush=True)
            if mode == "coherent" and (r["clashes"] or r["staffed"] < r["greedy_staffed"]):
                failed = True
        print(f"{scale}: coherent / separate planning time = "
              f"{times['coherent'] / times['separate']:.2f}x", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
