"""The national month planned through the library, stage by stage, with the process tree's memory.

Run:  python benchmarks/bench_plan_national.py [--scale national] [--period 2026-12] [--json]

A child process loads the generated dataset and runs ``advisors.make_plan``
with a :class:`~advisors.plan.stopwatch.Stopwatch`, printing each stage's
wall and CPU seconds as it ends (a national run takes many minutes, so the
figures come as they are made); ``--json`` then also writes ``plan.json``
into a temporary folder as the ``plan-json`` exporter does (streamed to the
file), and deletes it. No other output is written: the national plan's
outputs are about 9 million files. The parent samples the
child's process tree (RSS summed, and PSS) and prints the peaks at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import TreePeak, dataset_dir

CHILD = """
import os
import sys
import tempfile
import advisors
from advisors.plan.stopwatch import Stopwatch

def show(label):
    _, wall, cpu = watch.laps[-1]
    print(f"{label:12s} wall {wall:8.1f} s  cpu {cpu:8.1f} s", flush=True)

watch = Stopwatch(show)
data = advisors.read_folder(sys.argv[1])
watch("load")
plan = advisors.make_plan(data, sys.argv[2], progress=watch)
print(f"events {len(plan.events):,}", flush=True)
if sys.argv[3] == "json":
    with tempfile.TemporaryDirectory(prefix="bench-plan-json-") as tmp:
        advisors.export(plan.publication(data), tmp, names=["plan-json"])
        watch("plan-json")
        size = os.path.getsize(os.path.join(tmp, "plan.json"))
    print(f"plan.json {size:,} bytes", flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="national")
    parser.add_argument("--period", default="2026-12")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = dataset_dir(args.scale)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), args.period,
                             "json" if args.json else "-"])
    tree = TreePeak(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    rss = max(usage.ru_maxrss / 1024, tree.stop())
    print(f"exit {os.waitstatus_to_exitcode(status)}; wall {time.perf_counter() - t0:.1f} s; "
          f"CPU {usage.ru_utime + usage.ru_stime:.1f} s; peak RSS (tree sum) {rss:,.0f} MiB; "
          f"peak PSS (tree) {tree.pss_peak:,.0f} MiB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
