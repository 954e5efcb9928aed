"""`advisors plan` end to end, stage by stage, at township, prefecture and province scale.

Run:  python benchmarks/bench_plan_stages.py [--repeat 3] [--scales township,prefecture,province]
                                      [--strategy auto] [--keep DIR] [--over]

Each run is the real command line in a fresh process
(``advisors plan DATA --period 2026-12 --out TMP -q --timings``), so
interpreter start-up and imports count. The command prints the seconds of
each stage to stderr (``--timings``; nothing of it reaches the outputs);
*start-up* is the time of the process minus the stages it timed: the
interpreter, imports, building the command line and exit. The project's
modules are compiled to bytecode first (:func:`common.compile_sources`), as
they are in an installed package. Each stage has
its wall time and its CPU time (the process's own and its waited-for
workers'; on a machine shared with other jobs CPU time moves much less
than wall time). The exporters run side by side in one forked worker per
core (``--jobs``): each exporter's own wall and CPU seconds, measured in the
worker that ran it, are listed as "· name" rows above the *exporters* row,
which is the stage as a whole (its CPU includes the workers'); the rows of
parts do not add up to it in wall time. Every figure is
the best of ``--repeat`` runs; end to end is the best run's, not a sum of
bests. Peak memory is over the whole process tree, twice: RSS, the larger of the
command's own peak (``wait4``) and the largest sum over it and its
descendants sampled every 50 ms (an upper bound: a page a forked worker
shares with its parent counts in both), and PSS, each page counted once
(shared out between the processes that map it), sampled every 250 ms.

Each run writes a new output folder, as a first plan does; ``--over`` writes
each over the last one's, as a user replanning into the same folder does
(the *swap* stage then deletes the old folder: tens of thousands of files at
province scale). ``--keep DIR`` leaves each scale's output in ``DIR/<scale>`` (the last run),
to compare two versions with ``diff -r``. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import TreePeak, compile_sources, dataset_dir

SCALES = ("township", "prefecture", "province")
PERIOD = "2026-12"
STAGE_NAMES = {"assign": "coverage"}
"""Table labels for the command's stage names where they differ."""


Times = dict[str, tuple[float, float]]
"""Stage → (wall seconds, CPU seconds)."""


def run_once(data: Path, out: Path, strategy: str
             ) -> tuple[float, float, tuple[float, float], Times, int]:
    """One `advisors plan` process: wall s, CPU s, peak (RSS, PSS) MiB, stages, exit code."""
    command = [sys.executable, "-c", "from advisors.cli import main; main()", "plan", str(data),
               "--period", PERIOD, "--out", str(out), "-q", "--timings", "--strategy", strategy]
    env = dict(os.environ, ADVISORS_OUTBOX="")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
        tree = TreePeak(proc.pid) if os.path.isdir("/proc") else None
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        tree_peak = tree.stop() if tree is not None else 0.0
        pss = tree.pss_peak if tree is not None else 0.0
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode not in (0, 3):  # 3: a plan with unmet hard rules, still written
        raise SystemExit(f"advisors plan failed ({proc.returncode}):\n{stderr}")
    stages: Times = {}
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "timing" and parts[1] != "total":
            stages[parts[1]] = (float(parts[2]), float(parts[3]))
    peak = (max(usage.ru_maxrss / 1024, tree_peak), pss)
    return wall, usage.ru_utime + usage.ru_stime, peak, stages, proc.returncode


def bench_scale(scale: str, repeat: int, strategy: str, keep: Path | None, over: bool = False
                ) -> tuple[tuple[float, float], tuple[float, float], Times, int]:
    """Best-of-``repeat`` (wall, CPU) end to end and per stage, peak RSS, exit code."""
    data = dataset_dir(scale)
    best_wall = best_cpu = float("inf")
    best: dict[str, tuple[float, float]] = {}
    peak = (0.0, 0.0)
    code = 0
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        out = Path(tmp) / "out"
        if over:  # an output folder for the first timed run to replace
            run_once(data, out, strategy)
        for _ in range(repeat):
            if not over:  # a new folder, as a first plan writes; --over: replace the last
                shutil.rmtree(out, ignore_errors=True)
            wall, cpu, run_peak, stages, code = run_once(data, out, strategy)
            peak = (max(peak[0], run_peak[0]), max(peak[1], run_peak[1]))
            laps = [times for name, times in stages.items() if "/" not in name]
            startup = (wall - sum(w for w, _ in laps), cpu - sum(c for _, c in laps))
            stages = {"start-up": startup, **stages}
            for name, (w, c) in stages.items():
                was = best.get(name, (float("inf"), float("inf")))
                best[name] = (min(was[0], w), min(was[1], c))
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        if keep is not None:
            target = keep / scale
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(out, target)
    return (best_wall, best_cpu), peak, best, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", default=",".join(SCALES))
    parser.add_argument("--strategy", default="auto")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--over", action="store_true",
                        help="write each run over the last one's output (the swap then "
                             "deletes the old folder), as a user replanning does")
    args = parser.parse_args()
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    compile_sources()
    results = {scale: bench_scale(scale, args.repeat, args.strategy, args.keep, args.over)
               for scale in scales}

    names: list[str] = []
    for _, _, stages, _ in results.values():
        names += [n for n in stages if n not in names]
    print(f"`advisors plan --period {PERIOD} --strategy {args.strategy}`, best of "
          f"{args.repeat}, {dt.date.today().isoformat()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
          + (", each run over the last one's output" if args.over else "") + "\n")
    print("| stage | " + " | ".join(f"{s} wall | {s} CPU" for s in scales) + " |")
    print("|---|" + "---:|---:|" * len(scales))
    for name in names:
        cells = []
        for s in scales:
            found = results[s][2].get(name)
            cells += [f"{found[0]:.2f} s", f"{found[1]:.2f} s"] if found else ["—", "—"]
        label = STAGE_NAMES.get(name, name)
        if "/" in name:  # a part of the stage below it, timed where it ran
            label = "· " + name.split("/", 1)[1]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| **end to end** | " + " | ".join(
        f"**{results[s][0][0]:.2f} s** | **{results[s][0][1]:.2f} s**" for s in scales) + " |")
    print("| peak RSS (tree sum) | " + " | ".join(f"{results[s][1][0]:.0f} MiB | "
                                                for s in scales) + " |")
    print("| peak PSS (tree) | " + " | ".join(f"{results[s][1][1]:.0f} MiB | "
                                             for s in scales) + " |")
    print("| exit code | " + " | ".join(f"{results[s][3]} | " for s in scales) + " |")


if __name__ == "__main__":
    main()
