"""Coverage benchmark: the library's strategies against a direct OR-Tools min-cost flow.

Usage::

    python benchmarks/bench_assign.py [SCALE ...] [--seed N] [--strategies greedy,optimal]

For each scale (default: township prefecture province), every strategy and
the baseline run in a fresh process (:func:`common.measure`). The *baseline*
is written here, not in the library: the same candidate graph (the 8
cheapest eligible advisors of each village, from
:meth:`advisors.coverage.problem.CoverageProblem.candidates`) solved as one
monolithic ``SimpleMinCostFlow`` maximum flow of minimum cost (``solve``, its
quicker call when every village can be covered, then
``solve_max_flow_with_min_cost`` if not; the graph is
built with the same :meth:`CoverageProblem.candidate_table` — vectorised, as
in the library, when numpy is installed — so the graph times are alike and
the comparison is about solving). Its cost is
the optimum for that graph; every strategy's cost is reported relative to
it. ``time`` is the first ``advisors.assign`` call in a fresh process
(finding plugins and importing numpy/OR-Tools included); ``warm`` a second
call in the same process (up to 100,000 villages; it must give the same
result). Times exclude reading the dataset (reported as ``load``); peak
memory is the whole child process tree, workers included, twice: RSS
summed over the processes (a page a forked worker shares with its parent
counts once per process, an upper bound) and PSS (each page once, shared
out between the processes that map it).

Only the files coverage needs are read (townships, villages, advisors,
assignments): the people of the national instance (2 million rows) play no
part in coverage.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import dataset_dir, last_pss_mb, measure

NEEDED = ("townships", "villages", "advisors", "assignments", "policy.toml")
HEADERS = {
    "trainers": "id,name,languages,topics,lat,lon,max_sessions_per_month\n",
    "people": "id,name,village,role,status,languages,phone,certified_on\n",
}


def slim_folder(source: Path, target: Path) -> Path:
    """A folder with only what coverage reads, linked to ``source``; required others empty."""
    target.mkdir(parents=True, exist_ok=True)
    for name in NEEDED:
        src = source / (name if name.endswith(".toml") else f"{name}.csv")
        if src.exists():
            dst = target / src.name
            if not dst.exists():
                dst.symlink_to(src)
    for name, header in HEADERS.items():
        (target / f"{name}.csv").write_text(header, encoding="utf-8")
    return target


def run_strategy(folder: str, strategy: str) -> dict[str, Any]:
    """Child: load, then time ``advisors.assign`` end to end."""
    import advisors

    t0 = time.perf_counter()
    ds = advisors.read_folder(folder)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = advisors.assign(ds, strategy)
    seconds = time.perf_counter() - t0
    warm = seconds
    if len(ds.villages) <= 100_000:  # again, with plugins found and solver libraries imported
        t0 = time.perf_counter()
        again = advisors.assign(ds, strategy)
        warm = time.perf_counter() - t0
        assert again == result, "not deterministic"
    return {"load": load, "seconds": seconds, "warm": warm, "cost": result.cost,
            "covered": result.covered,
            "villages": len(ds.villages), "advisors": len(ds.advisors),
            "notes": list(result.notes)}


def run_baseline(folder: str) -> dict[str, Any]:
    """Child: one monolithic OR-Tools min-cost flow over the k=8 candidate graph."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    import advisors
    from advisors.coverage.problem import DEFAULT_K, CoverageProblem

    ds = advisors.read_folder(folder)
    t0 = time.perf_counter()
    problem = CoverageProblem(ds)
    n_v, n_a = len(problem.villages), len(problem.advisors)
    sink = 1 + n_v + n_a
    advs, cost_km, sizes = problem.candidate_table(DEFAULT_K)  # the same graph as `optimal`
    pair_v = np.repeat(np.asarray(problem.open, np.int64), np.asarray(sizes, np.int64))
    pair_a = np.asarray(advs, np.int64)
    tails = 1 + pair_v
    heads = 1 + n_v + pair_a
    costs = np.rint(np.asarray(cost_km, np.float64) * 1000).astype(np.int64)
    graph = time.perf_counter() - t0
    t1 = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    opened = list(problem.open)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(len(opened), dtype=np.int32), np.asarray([1 + v for v in opened], np.int32),
        np.ones(len(opened), dtype=np.int64), np.zeros(len(opened), dtype=np.int64))
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), np.ones(len(tails), np.int64), costs)
    bw = problem.balance_weight
    for ai in range(n_a):
        free = problem.free[ai]
        cheap = min(free, problem.free_below_target[ai]) if bw > 0 else free
        if cheap > 0:
            flow.add_arc_with_capacity_and_unit_cost(1 + n_v + ai, sink, cheap, 0)
        if free - cheap > 0:
            flow.add_arc_with_capacity_and_unit_cost(1 + n_v + ai, sink, free - cheap,
                                                     round(bw * 1000))
    flow.set_node_supply(0, len(opened))
    flow.set_node_supply(sink, -len(opened))
    # The quicker call when every village can be covered; the maximum flow otherwise.
    status = flow.solve()
    if status != flow.OPTIMAL:
        status = flow.solve_max_flow_with_min_cost()
    assert status == flow.OPTIMAL, status
    hit = np.flatnonzero(flow.flows(pair_arcs) > 0)
    choice = dict(zip(pair_v[hit].tolist(), pair_a[hit].tolist(), strict=True))
    solve = time.perf_counter() - t1
    return {"graph": graph, "solve": solve, "seconds": graph + solve,
            "cost": round(problem.objective(choice), 3),
            "covered": len(choice) + len(problem.fixed), "arcs": len(tails)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scales", nargs="*", default=["township", "prefecture", "province"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strategies", default="greedy,optimal,mincostflow")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            folder = slim_folder(dataset_dir(scale, args.seed), Path(tmp) / scale)
            _, b_mb, base = measure(run_baseline, str(folder))
            b_pss = last_pss_mb()
            print(f"{scale}: baseline {base}", file=sys.stderr)
            for strategy in args.strategies.split(","):
                sec, mb, res = measure(run_strategy, str(folder), strategy)
                pss = last_pss_mb()
                print(f"{scale}: {strategy} {res}", file=sys.stderr)
                rows.append((scale, res["villages"], res["advisors"], strategy, res["load"],
                             res["seconds"], res["warm"], mb, pss, res["cost"] / base["cost"],
                             res["covered"] - base["covered"]))
            rows.append((scale, res["villages"], res["advisors"],
                         f"baseline (graph {base['graph']:.2f} s + flow {base['solve']:.2f} s)",
                         float("nan"), base["seconds"], base["seconds"], b_mb, b_pss, 1.0, 0))
    print("| scale | villages | advisors | strategy | load s | time s | warm s | peak MB (RSS) "
          "| peak MB (PSS) | cost / baseline | covered − baseline |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for scale, n_v, n_a, strategy, load, sec, warm, mb, pss, ratio, dcov in rows:
        load_s = "" if load != load else f"{load:.2f}"
        print(f"| {scale} | {n_v:,} | {n_a:,} | {strategy} | {load_s} | {sec:.2f} | {warm:.2f} "
              f"| {mb:.0f} | {pss:.0f} | {ratio:.4f} | {dcov:+d} |")


if __name__ == "__main__":
    main()
