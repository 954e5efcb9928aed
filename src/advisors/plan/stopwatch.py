"""Stage timings of a run, for `advisors plan --timings` and the benchmarks.

A :class:`Stopwatch` is a progress callback (of :func:`~advisors.plan.plan.make_plan` and
:func:`~advisors.output.export`): each call with a stage label
records the time since the previous call under that label. It measures and
reports; nothing it records reaches a plan's outputs, which stay free of
wall-clock time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Stopwatch"]


class Stopwatch:
    """Wall and CPU seconds per stage, in the order the stages ended.

    CPU seconds are this process's (``time.process_time``, workers not
    counted): on a machine shared with other work they move far less than
    wall seconds do.

    ``then`` is called with each label after recording it (e.g. a progress
    bar), so one callback does both jobs.
    """

    def __init__(self, then: Callable[[str], None] | None = None) -> None:
        self.laps: list[tuple[str, float, float]] = []
        """(stage, wall seconds, CPU seconds) of each stage."""
        self._then = then
        self._last = time.perf_counter()
        self._cpu = time.process_time()

    def __call__(self, label: str) -> None:
        """End the current stage, naming it ``label``."""
        now, cpu = time.perf_counter(), time.process_time()
        self.laps.append((label, now - self._last, cpu - self._cpu))
        self._last, self._cpu = now, cpu
        if self._then is not None:
            self._then(label)

    @property
    def total(self) -> float:
        """Wall seconds over every recorded stage."""
        return sum(wall for _, wall, _ in self.laps)

    def lines(self) -> list[str]:
        """One ``timing <stage> <wall s> <cpu s>`` line per stage, then the total."""
        width = max((len(label) for label, _, _ in self.laps), default=5)
        rows = [f"timing {label:<{width}} {wall:8.3f} {cpu:8.3f}"
                for label, wall, cpu in self.laps]
        cpu_total = sum(cpu for _, _, cpu in self.laps)
        rows.append(f"timing {'total':<{width}} {self.total:8.3f} {cpu_total:8.3f}")
        return rows
