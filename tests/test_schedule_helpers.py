"""Shared builders for the scheduling tests (no tests here).

The village → advisor assignment is built here, independently of the
coverage strategies, so these tests exercise scheduling alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import advisors
from advisors.assignment import Assignment
from advisors.geo import great_circle_km
from advisors.model import Advisor, Township, Unavailability, Village


def nearest_assignment(dataset: advisors.Dataset) -> Assignment:
    """Contracts in force, else the nearest active advisor (ties by id)."""
    out: dict[str, str | None] = {}
    active = [a for a in dataset.advisors if a.active]
    for v in dataset.villages:
        best = min(active, key=lambda a: (great_circle_km(a.lat, a.lon, v.lat, v.lon), a.id),
                   default=None)
        out[v.id] = best.id if best else None
    for row in dataset.assignments:
        out[row.village] = row.advisor
    return Assignment(out)


def small_dataset(classes: Sequence[str], advisors_n: int, absences: Sequence[tuple[int, int, int]],
                  hotline_langs: Sequence[str] = (), policy: advisors.Policy | None = None,
                  ) -> advisors.Dataset:
    """Two townships, villages of the given service classes, ``advisors_n`` advisors.

    ``absences`` are ``(advisor index, first day offset, length)`` from 2026-12-01.
    ``hotline_langs[i]`` is advisor ``i``'s languages (``"bo;zh"``); all take hotline shifts.
    """
    towns = [Township("t1", "甲乡"), Township("t2", "乙乡")]
    villages = [
        Village(f"v{i:02d}", f"村{i}", "t1" if i % 2 else "t2",
                "community" if c == "community" else "village", c, "zh",
                35.5 + 0.05 * (i % 4), 102.0 + 0.05 * (i // 4))
        for i, c in enumerate(classes)
    ]
    people = [
        Advisor(f"a{i}", f"顾问{i}", "lawyer", "所", hotline_langs[i] if i < len(hotline_langs)
                else "zh", 35.5 + 0.01 * i, 102.0, hotline=True)
        for i in range(advisors_n)
    ]
    start = dt.date(2026, 12, 1)
    absent = [Unavailability(f"a{i % advisors_n}", start + dt.timedelta(days=o),
                             start + dt.timedelta(days=o + n), "假")
              for i, o, n in absences]
    return advisors.Dataset(towns, villages, people, unavailability=absent,
                            policy=policy or advisors.Policy())
