"""The visit plan: service days, the pattern each village got, requests booked, its analysis,
its JSON form."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import DataError, Problem
from ..period import Period, month_of
from ..policy import minutes_of
from ..rules import Analysis, SolveStats, str_tuple
from ..wording import Text
from .patterns import Pattern

__all__ = [
    "Booking",
    "HomeVisit",
    "Visit",
    "VisitPlan",
    "minutes_of",
    "month_of",
    "split_hours",
    "split_with_gaps",
]


@functools.lru_cache(maxsize=256)
def split_hours(a: int, b: int, count: int) -> tuple[tuple[str, str], ...]:
    """``count`` equal consecutive windows from minute ``a`` to ``b``, as ``HH:MM`` pairs."""
    step = (b - a) // count
    return tuple((_hhmm(a + i * step), _hhmm(b if i == count - 1 else a + (i + 1) * step))
                 for i in range(count))


def split_with_gaps(a: int, b: int, gaps: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
    """``len(gaps) + 1`` equal windows from minute ``a`` to ``b`` with the ``gaps`` (travel
    minutes) between them; without room for the travel, :func:`split_hours`."""
    count = len(gaps) + 1
    usable = b - a - sum(gaps)
    if not any(gaps) or usable < count:
        return split_hours(a, b, count)
    step = usable // count
    out = []
    cursor = a
    for i in range(count):
        stop = b if i == count - 1 else cursor + step
        out.append((_hhmm(cursor), _hhmm(stop)))
        if i < count - 1:
            cursor = stop + gaps[i]
    return tuple(out)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@attrs.frozen
class Visit:
    """One advisor's service day in one village."""

    id: str
    """Stable identity ``visit/<village>/<YYYY-MM>/<n>``, never derived from the time."""
    village: str
    advisor: str
    date: dt.date
    start: str
    """Local time ``HH:MM``."""
    end: str
    lecture: bool = False
    """This visit is the quarter's legal lecture (普法讲座)."""
    appointments: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    """Home-visit appointments (法律援助优先) booked on this visit, as the portal's opaque
    ids; never names, addresses or conditions — those stay in the portal's records."""

    @property
    def key(self) -> tuple[dt.date, str, str, str, str]:
        """Sort order: date, time, advisor, village, id."""
        return (self.date, self.start, self.advisor, self.village, self.id)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {"id": self.id, "village": self.village, "advisor": self.advisor,
                "date": self.date.isoformat(), "start": self.start, "end": self.end,
                "lecture": self.lecture, "appointments": list(self.appointments)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Visit:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["id"]), str(data["village"]), str(data["advisor"]),
                   dt.date.fromisoformat(data["date"]), str(data["start"]), str(data["end"]),
                   bool(data.get("lecture", False)),
                   tuple(str(a) for a in data.get("appointments", ())))


@attrs.frozen
class HomeVisit:
    """An extra visit at a requester's home, made for one request."""

    id: str
    """``home/<request id>``: stable, never derived from the time."""
    request: str
    village: str
    advisor: str
    date: dt.date
    start: str
    end: str

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form (ids only: no name, no note)."""
        return {"id": self.id, "request": self.request, "village": self.village,
                "advisor": self.advisor, "date": self.date.isoformat(),
                "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HomeVisit:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["id"]), str(data["request"]), str(data["village"]),
                   str(data["advisor"]), dt.date.fromisoformat(data["date"]),
                   str(data["start"]), str(data["end"]))


@attrs.frozen
class Booking:
    """Where a request is served, or why it is not."""

    request: str
    deadline: dt.date
    """The last day it may be served (policy ``[requests]`` working days)."""
    event: str = ""
    """The visit or home visit id it is booked on; empty: not booked in this plan."""
    date: dt.date | None = None
    advisor: str = ""
    reason: str = ""
    """Why it is not booked (empty when it is)."""
    why: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``reason`` as a sentence to put in the reader's language (not in ``plan.json``)."""

    @property
    def met(self) -> bool:
        """Whether it is booked on or before its deadline."""
        return bool(self.event) and self.date is not None and self.date <= self.deadline

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form (ids only)."""
        return {"request": self.request, "deadline": self.deadline.isoformat(),
                "event": self.event, "date": self.date.isoformat() if self.date else None,
                "advisor": self.advisor, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Booking:
        """Inverse of :meth:`as_dict`."""
        day = data.get("date")
        return cls(str(data["request"]), dt.date.fromisoformat(data["deadline"]),
                   str(data.get("event", "")), dt.date.fromisoformat(day) if day else None,
                   str(data.get("advisor", "")), str(data.get("reason", "")))


def _sorted_visits(items: Iterable[Visit]) -> tuple[Visit, ...]:
    return tuple(sorted(items, key=lambda v: v.key))


@attrs.frozen
class VisitPlan:
    """The service days of a period, the pattern each village got, and the analysis."""

    period: Period
    visits: tuple[Visit, ...] = attrs.field(converter=_sorted_visits)
    patterns: Mapping[str, Pattern | None]
    """Village → the regular pattern its days follow (``None``: irregular or no visits)."""
    analysis: Analysis
    stats: SolveStats
    moves: Mapping[str, tuple[tuple[dt.date, dt.date], ...]] = attrs.field(factory=dict)
    """Village → one-off changes to its pattern: (pattern day, day held instead)."""
    home_visits: tuple[HomeVisit, ...] = ()
    """Extra home visits made for legal-aid priority requests (:mod:`advisors.visits.bookings`)."""
    bookings: tuple[Booking, ...] = ()
    """Where each legal-aid priority request of the period is served, or why it is not."""

    @property
    def feasible(self) -> bool:
        """Whether every hard rule holds."""
        return self.analysis.feasible

    def visits_of(self, village: str) -> tuple[Visit, ...]:
        """The visits to ``village``, by date."""
        return tuple(v for v in self.visits if v.village == village)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form; :meth:`from_dict` reads it back equal."""
        return {
            "kind": "visits",
            "period": self.period.as_dict(),
            "visits": [v.as_dict() for v in self.visits],
            "patterns": {k: (p.as_dict() if p else None) for k, p in sorted(self.patterns.items())},
            "analysis": self.analysis.as_dict(),
            "stats": self.stats.as_dict(),
            "moves": {k: [[a.isoformat(), b.isoformat()] for a, b in m]
                      for k, m in sorted(self.moves.items())},
            "home_visits": [h.as_dict() for h in self.home_visits],
            "bookings": [b.as_dict() for b in self.bookings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VisitPlan:
        """Inverse of :meth:`as_dict`; raises DataError for another kind of plan."""
        if data.get("kind") != "visits":
            raise DataError([Problem("plan", "not a visit plan", field="kind",
                                     value=str(data.get("kind")), expected="visits")])
        return cls(Period.from_dict(data["period"]),
                   tuple(Visit.from_dict(v) for v in data["visits"]),
                   {k: (Pattern.from_dict(p) if p else None)
                    for k, p in data.get("patterns", {}).items()},
                   Analysis.from_dict(data.get("analysis", {})),
                   SolveStats.from_dict(data.get("stats", {"strategy": ""})),
                   {k: tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in m)
                    for k, m in data.get("moves", {}).items()},
                   tuple(HomeVisit.from_dict(h) for h in data.get("home_visits", ())),
                   tuple(Booking.from_dict(b) for b in data.get("bookings", ())))
