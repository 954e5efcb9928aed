"""Distances and travel times between located things, and the timetable travel constrains.

Road distance is estimated as the great-circle distance times the policy's
road factor (mountain roads wind); where ``travel.csv`` gives a measured
travel time between two ids, that time wins, and distance is derived from it
at the policy's average speed so both views agree.

One timetable per person (:class:`Timetable`): a person is an advisor
(service days, lectures, hotline shifts) or a trainer — the same person when
``trainers.csv`` names the trainer's ``advisor``. Two bookings of one person
never overlap, and between two consecutive bookings of a day there is at
least the travel time between their places, in whole minutes rounded up.
The planning problems receive a timetable of the bookings made before them
and only place what :meth:`Timetable.fits`; the plan checks the whole with
:meth:`Timetable.clashes`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from .model import TravelTime

__all__ = ["EARTH_RADIUS_KM", "Booking", "Clash", "Reach", "Timetable", "TravelModel",
           "great_circle_km", "travel_minutes"]

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


class Reach:
    """Which of a fixed set of ids lie within a road distance of a place, without
    measuring the distance to every one of them.

    The great-circle distance is at least the Earth's radius times the
    difference in latitude, so an id whose latitude is further away than the
    limit allows (divided by the road factor) cannot be within it, unless the
    travel table measures that pair; only the ids in the latitude band, the
    ids the table pairs with the place and the ids without a point are
    measured, with :meth:`TravelModel.road_km`. The answer is exactly that of
    measuring every id.

    From :attr:`VECTOR_FROM` ids on (a national dataset's trainers and venues),
    when numpy is installed, the band is first narrowed by the great-circle
    distance computed with numpy for the whole band at once, with a margin far
    above numpy's rounding differences from :mod:`math`, so that nothing within
    reach is lost; what is left is measured as above.
    """

    VECTOR_FROM = 5000
    """Ids from which the band is narrowed with numpy (importing it costs ~0.1 s)."""
    VECTOR_BAND = 64
    """A band narrower than this is measured whole."""

    def __init__(self, travel: TravelModel, ids: Iterable[str]) -> None:
        self.travel = travel
        ids_set = set(ids)
        self.ids: tuple[str, ...] = tuple(sorted(ids_set))
        """Every id, sorted."""
        located = sorted((travel.points[i][0], i) for i in ids_set if i in travel.points)
        self._lats = [lat for lat, _ in located]
        self._ids = [i for _, i in located]
        self._unlocated = sorted(i for i in ids_set if i not in travel.points)
        self._tabled: dict[str, set[str]] = {}
        for origin, destination in travel.table:
            if origin in ids_set:
                self._tabled.setdefault(destination, set()).add(origin)
        self._vector: Any = None
        if len(self._ids) >= self.VECTOR_FROM:
            try:
                import numpy  # optional: the core runs without it
            except ImportError:  # pragma: no cover - numpy comes with advisors-ortools
                pass
            else:
                self._vector = (numpy, numpy.radians(numpy.array(self._lats, dtype=float)),
                                numpy.radians(numpy.array(
                                    [travel.points[i][1] for i in self._ids], dtype=float)))

    def within(self, place: str, limit_km: float) -> list[tuple[float, str]]:
        """(road km, id) of every id within ``limit_km`` of ``place``, nearest first
        (ties by id)."""
        lat = self.travel.points[place][0] if place in self.travel.points else None
        chosen: set[str] = set(self._unlocated) | self._tabled.get(place, set())
        if lat is None:
            chosen.update(self._ids)
        else:
            # a relative margin for rounding, and an absolute one for points so close that
            # their measured distance underflows to 0 (1e-9 degrees is about 0.1 mm)
            band = math.degrees(limit_km / self.travel.road_factor / EARTH_RADIUS_KM) \
                * 1.000001 + 1e-9
            lo = bisect.bisect_left(self._lats, lat - band)
            hi = bisect.bisect_right(self._lats, lat + band)
            chosen.update(self._narrowed(place, lo, hi, limit_km))
        found = [(self.travel.road_km(i, place), i) for i in chosen]
        return sorted((km, i) for km, i in found if km <= limit_km)

    def _narrowed(self, place: str, lo: int, hi: int, limit_km: float) -> list[str]:
        """The band's ids, less those numpy finds clearly out of reach (see above)."""
        reach = limit_km / self.travel.road_factor
        if self._vector is None or hi - lo < self.VECTOR_BAND or reach >= EARTH_RADIUS_KM * 3:
            return self._ids[lo:hi]
        np, phi, lam = self._vector
        lat, lon = self.travel.points[place]
        p1, l1 = math.radians(lat), math.radians(lon)
        band_phi = phi[lo:hi]
        a = (np.sin((band_phi - p1) / 2) ** 2
             + math.cos(p1) * np.cos(band_phi) * np.sin((lam[lo:hi] - l1) / 2) ** 2)
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        keep = np.flatnonzero(km <= reach * (1 + 1e-9) + 1e-6)
        return [self._ids[lo + k] for k in keep.tolist()]


def travel_minutes(minutes: Callable[[str, str], float], a: str, b: str) -> int:
    """Whole minutes to get from place ``a`` to place ``b`` (0 for the same place)."""
    if a == b or not a or not b:
        return 0
    # round away float noise first, so 30.0000001 minutes is 30, not 31
    return math.ceil(round(minutes(a, b), 6))


@attrs.frozen(order=True)
class Booking:
    """One commitment of one person: a day, a time, a place."""

    person: str
    date: dt.date
    start: int
    """Minutes after midnight."""
    end: int
    place: str = attrs.field(order=False)
    """A located id of the travel model (village, venue, advisor's office)."""
    what: str = attrs.field(default="", order=False)
    """The event's id, to name it in a message."""


def _booking_order(b: Booking) -> tuple[str, dt.date, int, int]:
    """The fields :class:`Booking` orders by, in its order."""
    return (b.person, b.date, b.start, b.end)


@attrs.frozen
class Clash:
    """Two consecutive bookings of one person that overlap or leave too little travel time."""

    first: Booking
    second: Booking
    missing: int
    """Minutes lacking between them (overlap plus the travel time)."""
    travel: int
    """Minutes of travel the second needs after the first."""


class Timetable:
    """Bookings per person and day, and whether one more fits with travel."""

    def __init__(self, bookings: Iterable[Booking],
                 minutes: Callable[[str, str], float]) -> None:
        self._minutes = minutes
        self._by_day: dict[tuple[str, dt.date], list[Booking]] = {}
        # Booking's own order, by a key: far faster than its generated comparisons
        for b in sorted(bookings, key=_booking_order):
            self._by_day.setdefault((b.person, b.date), []).append(b)

    def with_bookings(self, more: Iterable[Booking]) -> Timetable:
        """A timetable holding these bookings and ``more``."""
        return Timetable([*self.bookings(), *more], self._minutes)

    def bookings(self) -> Iterator[Booking]:
        """Every booking, by person, day and time."""
        for key in sorted(self._by_day):
            yield from self._by_day[key]

    def on(self, person: str, day: dt.date) -> tuple[Booking, ...]:
        """The bookings of ``person`` on ``day``, by time."""
        return tuple(self._by_day.get((person, day), ()))

    def travel(self, a: str, b: str) -> int:
        """Whole minutes between two places."""
        return travel_minutes(self._minutes, a, b)

    def fits(self, person: str, day: dt.date, start: int, end: int, place: str) -> bool:
        """Whether ``person`` can be at ``place`` from ``start`` to ``end`` on ``day``."""
        booked = self._by_day.get((person, day))
        if not booked:
            return True
        i = bisect.bisect_left([b.start for b in booked], start)
        before = booked[i - 1] if i else None
        after = booked[i] if i < len(booked) else None
        if before is not None and before.end + self.travel(before.place, place) > start:
            return False
        return after is None or end + self.travel(place, after.place) <= after.start

    def clashes(self) -> list[Clash]:
        """Consecutive bookings of a person's day that overlap or leave too little travel."""
        found = []
        for key in sorted(self._by_day):
            day = self._by_day[key]
            latest = day[0]
            for b in day[1:]:
                travel = self.travel(latest.place, b.place)
                if latest.end + travel > b.start:
                    found.append(Clash(latest, b, latest.end + travel - b.start, travel))
                if b.end >= latest.end:
                    latest = b
        return found
