"""Stage timings of a run, for `advisors plan --timings` and the benchmarks.

A :class:`Stopwatch` is a progress callback: each call with a stage label
records the time since the previous call under that label. It measures and
reports; nothing it records reaches a plan's outputs, which stay free of
wall-clock time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Stopwatch"]


class Stopwatch:
    """Seconds per stage, in the order the stages ended.

    ``then`` is called with each label after recording it (e.g. a progress
    bar), so one callback does both jobs.
    """

    def __init__(self, then: Callable[[str], None] | None = None) -> None:
        self.laps: list[tuple[str, float]] = []
        self._then = then
        self._last = time.perf_counter()

    def __call__(self, label: str) -> None:
        """End the current stage, naming it ``label``."""
        now = time.perf_counter()
        self.laps.append((label, now - self._last))
        self._last = now
        if self._then is not None:
            self._then(label)

    @property
    def total(self) -> float:
        """Seconds over every recorded stage."""
        return sum(seconds for _, seconds in self.laps)

    def lines(self) -> list[str]:
        """One ``timing <stage> <seconds>`` line per stage, then the total."""
        width = max((len(label) for label, _ in self.laps), default=5)
        rows = [f"timing {label:<{width}} {seconds:8.3f}" for label, seconds in self.laps]
        rows.append(f"timing {'total':<{width}} {self.total:8.3f}")
        return rows
