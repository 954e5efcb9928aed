"""`advisors plan` end to end, stage by stage, at township, prefecture and province scale.

Run:  python benchmarks/bench_plan.py [--repeat 3] [--scales township,prefecture,province]
                                      [--strategy auto] [--keep DIR]

Each run is the real command line in a fresh process
(``advisors plan DATA --period 2026-12 --out TMP -q --timings``), so
interpreter start-up and imports count. The command prints the seconds of
each stage to stderr (``--timings``; nothing of it reaches the outputs);
*start-up* is the wall time of the process minus the stages it timed:
the interpreter, imports, building the command line and exit. Every stage
is the best of ``--repeat`` runs, and so is the end-to-end wall time (the
best run's, not a sum of bests). Peak RSS is the largest resident set of
the command's process (``wait4``), not a sum over a process tree.

``--keep DIR`` leaves each scale's output in ``DIR/<scale>`` (the last run),
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

from common import dataset_dir

SCALES = ("township", "prefecture", "province")
PERIOD = "2026-12"
STAGE_NAMES = {"assign": "coverage"}
"""Table labels for the command's stage names where they differ."""


def run_once(data: Path, out: Path, strategy: str) -> tuple[float, float, dict[str, float], int]:
    """One `advisors plan` process: wall seconds, peak RSS MiB, stage seconds, exit code."""
    command = [sys.executable, "-c", "from advisors.cli import main; main()", "plan", str(data),
               "--period", PERIOD, "--out", str(out), "-q", "--timings", "--strategy", strategy]
    env = dict(os.environ, ADVISORS_OUTBOX="")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode not in (0, 3):  # 3: a plan with unmet hard rules, still written
        raise SystemExit(f"advisors plan failed ({proc.returncode}):\n{stderr}")
    stages: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "timing" and parts[1] != "total":
            stages[parts[1]] = float(parts[2])
    peak = usage.ru_maxrss / 1024
    return wall, peak, stages, proc.returncode


def bench_scale(scale: str, repeat: int, strategy: str, keep: Path | None
                ) -> tuple[float, float, dict[str, float], int]:
    """Best-of-``repeat`` wall time and per-stage times of one scale."""
    data = dataset_dir(scale)
    best_wall = float("inf")
    best: dict[str, float] = {}
    peak = 0.0
    code = 0
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        out = Path(tmp) / "out"
        for _ in range(repeat):
            wall, run_peak, stages, code = run_once(data, out, strategy)
            peak = max(peak, run_peak)
            startup = wall - sum(stages.values())
            stages = {"start-up": startup, **stages}
            for name, seconds in stages.items():
                best[name] = min(best.get(name, float("inf")), seconds)
            best_wall = min(best_wall, wall)
        if keep is not None:
            target = keep / scale
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(out, target)
    return best_wall, peak, best, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", default=",".join(SCALES))
    parser.add_argument("--strategy", default="auto")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    results = {scale: bench_scale(scale, args.repeat, args.strategy, args.keep)
               for scale in scales}

    names: list[str] = []
    for _, _, stages, _ in results.values():
        names += [n for n in stages if n not in names]
    print(f"`advisors plan --period {PERIOD} --strategy {args.strategy}`, best of "
          f"{args.repeat}, {dt.date.today().isoformat()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}\n")
    print("| stage | " + " | ".join(scales) + " |")
    print("|---|" + "---:|" * len(scales))
    for name in names:
        cells = [f"{results[s][2][name]:.2f} s" if name in results[s][2] else "—"
                 for s in scales]
        print(f"| {STAGE_NAMES.get(name, name)} | " + " | ".join(cells) + " |")
    print("| **end to end (wall)** | "
          + " | ".join(f"**{results[s][0]:.2f} s**" for s in scales) + " |")
    print("| peak RSS | " + " | ".join(f"{results[s][1]:.0f} MiB" for s in scales) + " |")
    print("| exit code | " + " | ".join(str(results[s][3]) for s in scales) + " |")


if __name__ == "__main__":
    main()
