"""A spatial grid: points bucketed into lat/lon cells, searched ring by ring.

Used to find the advisors near a village (and the village nearest an
advisor) without looking at all pairs.
"""

from __future__ import annotations

import math
from typing import Any

from ..geo import EARTH_RADIUS_KM

__all__ = ["BIG", "KM_PER_DEG", "SLACK", "Grid", "steps"]

KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0
"""Great-circle km per degree of latitude."""
SLACK = 0.98
"""Grid lower bounds are approximate off the meridian: stay on the safe side."""


BIG = 1 << 24
"""Cell key = row * BIG + column; columns stay far below BIG / 2."""


def steps(lats: list[float], cell_km: float) -> tuple[float, float]:
    """Cell height and width in degrees for points at latitudes ``lats``."""
    top = max((abs(x) for x in lats), default=0.0)
    return (cell_km / KM_PER_DEG,
            cell_km / (KM_PER_DEG * math.cos(math.radians(min(89.0, top + 1.0)))))


class Grid:
    """Points bucketed into lat/lon cells about ``cell_km`` wide."""

    def __init__(self, lats: list[float], lons: list[float], cell_km: float,
                 items: list[Any] | None = None) -> None:
        self.cell_km = cell_km
        self.dlat, self.dlon = steps(lats, cell_km)
        cells: dict[int, list[Any]] = {}
        for i, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
            cells.setdefault(self.cell(lat, lon), []).append(i if items is None else items[i])
        self.cells = cells
        self._offsets: list[list[int]] = []

    def cell(self, lat: float, lon: float) -> int:
        """The key of the cell holding a point."""
        return math.floor(lat / self.dlat) * BIG + math.floor(lon / self.dlon)

    def ring(self, centre: int, r: int) -> list[list[Any]]:
        """Point lists of the non-empty cells at Chebyshev distance ``r`` from ``centre``."""
        offsets = self._offsets
        while len(offsets) <= r:
            n = len(offsets)
            offsets.append(sorted({di * BIG + dj for di in range(-n, n + 1)
                                   for dj in range(-n, n + 1) if max(abs(di), abs(dj)) == n}))
        get = self.cells.get
        return [hit for d in offsets[r] if (hit := get(centre + d))]

    def lower_bound_km(self, r: int) -> float:
        """No point in ring ``r`` or beyond is closer than this (great-circle km)."""
        return max(0, r - 1) * self.cell_km * SLACK
