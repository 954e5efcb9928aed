"""The solvers alone: shortest augmenting paths against OR-Tools, on the same candidate graph.

Usage::

    python benchmarks/bench_flow.py [SCALE ...] [--capacity 1.0,0.9,0.8] [--seed N]

``bench_assign.py`` times whole strategies; this one isolates the step that
differs. The candidate graph of a scale (the 8 cheapest eligible advisors of
each village, in whole metres, as ``optimal`` builds it) is built once; then,
for each capacity factor (every advisor's free places × the factor, rounded
up or down by a fixed spread so the total follows the factor — below 1 the
instance runs short of places in crowded areas, the case where augmenting
paths search widest), each solver runs in a fresh process
on the same arrays:

- ``paths``: :func:`advisors_ortools.augment.solve` (numba, warmed up first
  so compiling is not timed);
- ``ortools``: one ``SimpleMinCostFlow`` over the whole graph: ``solve``,
  then ``solve_max_flow_with_min_cost`` when not every village can be
  covered (adding the arcs from the arrays is timed too).

Both must cover as many villages at the same cost, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_assign import slim_folder
from common import dataset_dir, measure


def build_graph(folder: str, target: str) -> dict[str, Any]:
    """Child: the candidate graph of ``folder``, saved as arrays to ``target``."""
    import numpy as np

    import advisors
    from advisors.coverage.problem import DEFAULT_K, CoverageProblem

    problem = CoverageProblem(advisors.read_folder(folder))
    advs, costs, sizes = problem.candidate_table(DEFAULT_K)
    np.savez(target, advisor=np.asarray(advs, np.int64),
             cost=np.rint(np.asarray(costs, np.float64) * 1000).astype(np.int64),
             offsets=np.concatenate([[0], np.cumsum(np.asarray(sizes, np.int64))]),
             free=np.asarray(problem.free, np.int64))
    return {"villages": len(sizes), "advisors": len(problem.free), "arcs": len(advs)}


def _arrays(graph: str, factor: float) -> tuple[Any, Any, Any, Any]:
    import numpy as np

    data = np.load(graph)
    # Scaled, then rounded up or down by a fixed spread per advisor, so the total follows
    # the factor even where everyone has 3 or 4 places.
    spread = (np.arange(len(data["free"])) * 0.6180339887498949) % 1.0
    free = np.floor(data["free"] * factor + spread).astype(np.int64)
    return data["offsets"], data["advisor"], data["cost"], free


def run_paths(graph: str, factor: float) -> dict[str, Any]:
    """Child: shortest augmenting paths."""
    from advisors_ortools.augment import solve, warm_up

    offsets, advisor, cost, free = _arrays(graph, factor)
    warm_up()  # compiling is not timed
    t0 = time.perf_counter()
    found = solve(offsets, advisor, cost, free, free, 0)
    seconds = time.perf_counter() - t0
    chosen = found.chosen[found.chosen >= 0]
    return {"seconds": seconds, "covered": len(chosen), "cost": int(cost[chosen].sum()),
            "places": int(free.sum()), "settled": found.settled, "scanned": found.scanned}


def run_ortools(graph: str, factor: float) -> dict[str, Any]:
    """Child: one OR-Tools maximum flow of minimum cost over the whole graph."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    offsets, advisor, cost, free = _arrays(graph, factor)
    n_v, n_a = len(offsets) - 1, len(free)
    t0 = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n_v, np.int32), np.arange(2, 2 + n_v, dtype=np.int32),
        np.ones(n_v, np.int64), np.zeros(n_v, np.int64))
    pairs = flow.add_arcs_with_capacity_and_unit_cost(
        (2 + np.repeat(np.arange(n_v), np.diff(offsets))).astype(np.int32),
        (2 + n_v + advisor).astype(np.int32), np.ones(len(advisor), np.int64), cost)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(2 + n_v, 2 + n_v + n_a, dtype=np.int32), np.ones(n_a, np.int32), free,
        np.zeros(n_a, np.int64))
    flow.set_node_supply(0, n_v)
    flow.set_node_supply(1, -n_v)
    # The quicker call when every village can be covered; the maximum flow otherwise.
    status = flow.solve()
    if status != flow.OPTIMAL:
        status = flow.solve_max_flow_with_min_cost()
    assert status == flow.OPTIMAL, status
    used = flow.flows(pairs) > 0
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "covered": int(used.sum()), "cost": int(cost[used].sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scales", nargs="*", default=["province"])
    parser.add_argument("--capacity", default="1.0,0.9,0.8")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            folder = slim_folder(dataset_dir(scale, args.seed), Path(tmp) / scale)
            graph = str(Path(tmp) / f"{scale}.npz")
            _, _, size = measure(build_graph, str(folder), graph)
            for factor in (float(f) for f in args.capacity.split(",")):
                _, p_mb, paths = measure(run_paths, graph, factor)
                _, o_mb, ort = measure(run_ortools, graph, factor)
                print(f"{scale} ×{factor}: paths {paths} ortools {ort}", file=sys.stderr)
                if (paths["covered"], paths["cost"]) != (ort["covered"], ort["cost"]):
                    raise SystemExit(f"{scale} ×{factor}: the solvers disagree")
                rows.append((scale, size, factor, paths, ort, p_mb, o_mb))
    print("| scale | villages | arcs | capacity × | places | uncovered | paths s | OR-Tools s "
          "| ratio | peak MB (paths / OR-Tools) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, size, factor, paths, ort, p_mb, o_mb in rows:
        print(f"| {scale} | {size['villages']:,} | {size['arcs']:,} | {factor:g} "
              f"| {paths['places']:,} | {size['villages'] - paths['covered']:,} "
              f"| {paths['seconds']:.2f} | {ort['seconds']:.2f} "
              f"| {paths['seconds'] / ort['seconds']:.2f}× | {p_mb:.0f} / {o_mb:.0f} |")


if __name__ == "__main__":
    main()
