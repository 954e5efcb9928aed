"""Load-and-validate benchmark: ``advisors`` against off-the-shelf CSV readers.

Usage::

    python benchmarks/bench_load.py [--scales township,prefecture,province,national]
                                    [--seed N] [--repeat N]

For each scale, each task runs in a fresh interpreter (``common.measure``) so
the time and peak RSS belong to that task alone:

- ``advisors``: ``advisors.read_folder`` — decode, parse every cell, build the
  records, index the dataset and check every reference and id;
- ``csv.DictReader``: the standard library reading the same files into dicts,
  with no conversion and no validation;
- ``pandas.read_csv(dtype=str)``: the same files as string frames, if pandas
  is installed (it is not a dependency of advisors).

The table gives seconds and peak MiB, and the ratio of advisors to each
baseline. The target for the national scale (615,000 villages, ~2.2 million
people) is ≤ 10 s and ≤ 2 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import dataset_dir, measure

SCALES = ("township", "prefecture", "province", "national")
TARGET_SECONDS = 10.0
TARGET_MB = 2048.0


def load_advisors(folder: Path) -> dict[str, float]:
    """Load and validate with advisors; return the record counts and the CPU seconds.

    A large folder is read by two processes (``advisors.data.parallel``): the
    worker's CPU seconds and peak RSS are returned as well.
    """
    cpu = time.process_time()
    from advisors.data import read_folder

    dataset = read_folder(folder)
    cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return {
        "villages": len(dataset.villages),
        "advisors": len(dataset.advisors),
        "people": len(dataset.people),
        "cpu": cpu,
        "worker_cpu": children.ru_utime + children.ru_stime,
        "worker_mb": children.ru_maxrss / scale,
    }


def load_dictreader(folder: Path) -> dict[str, float]:
    """Read every CSV file of the folder into dicts with the standard library."""
    import csv

    cpu = time.process_time()
    counts: dict[str, float] = {}
    kept: list[list[dict[str, str]]] = []  # keep the rows alive, as a loader would
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        kept.append(rows)
        counts[path.stem] = len(rows)
    counts["cpu"] = time.process_time() - cpu
    return counts


def load_pandas(folder: Path) -> dict[str, float]:
    """Read every CSV file of the folder as string columns with pandas."""
    cpu = time.process_time()
    import pandas as pd

    counts: dict[str, float] = {}
    kept: list[Any] = []
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        kept.append(frame)
        counts[path.stem] = len(frame)
    counts["cpu"] = time.process_time() - cpu
    return counts


def _fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b > 0 else "–"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default=",".join(SCALES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per task; the best time and its peak are kept")
    args = parser.parse_args(argv)
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    tasks: list[tuple[str, Any]] = [("advisors", load_advisors),
                                    ("csv.DictReader", load_dictreader)]
    if importlib.util.find_spec("pandas") is not None:
        tasks.append(("pandas (dtype=str)", load_pandas))

    header = ["scale", "villages", "people", "advisors s (CPU s: main+worker)",
              "advisors MiB (main+worker)"]
    for name, _ in tasks[1:]:
        header += [f"{name} s (CPU s)", f"{name} MiB", "time ratio", "mem ratio"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    verdict = ""
    for scale in scales:
        folder = dataset_dir(scale, args.seed)
        results: dict[str, tuple[float, float, Any]] = {}
        for name, fn in tasks:
            runs = [measure(fn, folder) for _ in range(args.repeat)]
            results[name] = min(runs, key=lambda r: r[0])
        secs, mb, counts = results["advisors"]
        worker_cpu, worker_mb = counts["worker_cpu"], counts["worker_mb"]
        mb += worker_mb  # both processes' peaks, as if they coincided
        cpu = (f"{counts['cpu']:.2f}+{worker_cpu:.2f}" if worker_cpu
               else f"{counts['cpu']:.2f}")
        row = [scale, f"{counts['villages']:,}", f"{counts['people']:,}",
               f"{secs:.2f} ({cpu})",
               f"{mb:.0f} ({mb - worker_mb:.0f}+{worker_mb:.0f})" if worker_mb else f"{mb:.0f}"]
        for name, _ in tasks[1:]:
            bs, bmb, other = results[name]
            row += [f"{bs:.2f} ({other['cpu']:.2f})", f"{bmb:.0f}", _fmt_ratio(secs, bs),
                    _fmt_ratio(mb, bmb)]
        print("| " + " | ".join(row) + " |", flush=True)
        if scale == "national":
            ok = secs <= TARGET_SECONDS and mb <= TARGET_MB
            verdict = (f"\nnational target (≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_MB:.0f} MiB): "
                       f"{'met' if ok else 'NOT met'} ({secs:.2f} s, {mb:.0f} MiB)")
    if verdict:
        print(verdict)
    print(f"\nload average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(other processes inflate the wall-clock times; CPU s is this process alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
