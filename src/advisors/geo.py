"""Distances and travel times between located things.

Road distance is estimated as the great-circle distance times the policy's
road factor (mountain roads wind); where ``travel.csv`` gives a measured
travel time between two ids, that time wins, and distance is derived from it
at the policy's average speed so both views agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from .model import TravelTime

__all__ = ["EARTH_RADIUS_KM", "TravelModel", "great_circle_km"]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG)."""


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@attrs.frozen
class TravelModel:
    """Road kilometres and minutes between ids, from coordinates and a travel table."""

    points: Mapping[str, tuple[float, float]]
    """id → (lat, lon) of every located thing."""
    road_factor: float = 1.4
    speed_kmh: float = 40.0
    table: Mapping[tuple[str, str], float] = attrs.field(factory=dict)
    """(from, to) → minutes, both directions present."""

    @classmethod
    def build(
        cls,
        points: Mapping[str, tuple[float, float]],
        travel: Iterable[TravelTime],
        road_factor: float,
        speed_kmh: float,
    ) -> TravelModel:
        """Index a travel table symmetrically; a row given both ways keeps the first."""
        table: dict[tuple[str, str], float] = {}
        for row in travel:
            table.setdefault((row.origin, row.destination), row.minutes)
            table.setdefault((row.destination, row.origin), row.minutes)
        return cls(points, road_factor, speed_kmh, table)

    def road_km(self, a: str, b: str) -> float:
        """Estimated road distance in km between ids ``a`` and ``b``."""
        minutes = self.table.get((a, b))
        if minutes is not None:
            return minutes / 60.0 * self.speed_kmh
        (lat1, lon1), (lat2, lon2) = self.points[a], self.points[b]
        return great_circle_km(lat1, lon1, lat2, lon2) * self.road_factor

    def minutes(self, a: str, b: str) -> float:
        """Travel time in minutes between ids ``a`` and ``b``."""
        minutes = self.table.get((a, b))
        if minutes is not None:
            return minutes
        return self.road_km(a, b) / self.speed_kmh * 60.0
