"""Stage timings of a run, for `advisors plan --timings` and the benchmarks.

A :class:`Stopwatch` is a progress callback (of :func:`~advisors.plan.plan.make_plan` and
:func:`~advisors.output.export`): each call with a stage label
records the time since the previous call under that label. It measures and
reports; nothing it records reaches a plan's outputs, which stay free of
wall-clock time.

CPU seconds are this process's plus those of its children it has waited for
(the exporters' forked workers), so a stage run in workers shows all the CPU
it cost. Parts of a stage measured on their own (each exporter, possibly in a
worker) are listed as ``exporters/<name>`` and do not add to the total.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

__all__ = ["Stopwatch"]


def _cpu() -> float:
    """CPU seconds of this process and of its children that have been waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Stopwatch:
    """Wall and CPU seconds per stage, in the order the stages ended.

    On a machine shared with other work CPU seconds move far less than wall
    seconds do. ``then`` is called with each label after recording it (e.g. a
    progress bar), so one callback does both jobs.
    """

    def __init__(self, then: Callable[[str], None] | None = None) -> None:
        self.laps: list[tuple[str, float, float]] = []
        """(stage, wall seconds, CPU seconds) of each stage."""
        self.parts: list[list[tuple[str, float, float]]] = []
        """For each lap, the (``stage/part``, wall, CPU) of parts measured inside it."""
        self._pending: list[tuple[str, float, float]] = []
        self._then = then
        self._last = time.perf_counter()
        self._cpu = _cpu()

    def __call__(self, label: str) -> None:
        """End the current stage, naming it ``label``."""
        now, cpu = time.perf_counter(), _cpu()
        self.laps.append((label, now - self._last, cpu - self._cpu))
        self.parts.append([(f"{label}/{name}", wall, used) for name, wall, used in self._pending])
        self._pending = []
        self._last, self._cpu = now, cpu
        if self._then is not None:
            self._then(label)

    def part(self, name: str, wall: float, cpu: float) -> None:
        """Record a part of the current stage, timed where it ran (an exporter in a worker)."""
        self._pending.append((name, wall, cpu))

    @property
    def total(self) -> float:
        """Wall seconds over every recorded stage."""
        return sum(wall for _, wall, _ in self.laps)

    def lines(self) -> list[str]:
        """One ``timing <stage> <wall s> <cpu s>`` line per stage, each stage's parts
        (``timing <stage>/<part> …``) before it, then the total."""
        labels = [label for label, _, _ in self.laps]
        labels += [label for parts in self.parts for label, _, _ in parts]
        width = max((len(label) for label in labels), default=5)
        rows = []
        for (label, wall, cpu), parts in zip(self.laps, self.parts, strict=True):
            rows += [f"timing {part:<{width}} {w:8.3f} {c:8.3f}" for part, w, c in parts]
            rows.append(f"timing {label:<{width}} {wall:8.3f} {cpu:8.3f}")
        cpu_total = sum(cpu for _, _, cpu in self.laps)
        rows.append(f"timing {'total':<{width}} {self.total:8.3f} {cpu_total:8.3f}")
        return rows
