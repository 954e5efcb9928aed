"""The 12348 hotline rota: the problem, its result, and the history fairness carries over.

Every shift of the policy on every open day is staffed by the policy's number
of lawyers who take hotline shifts (``advisor.hotline`` and active); a
speaker of each required language is on every shift; nobody takes more than
the policy's shifts a day or a month; and shift counts — counted across
periods from the history of past rotas — differ by at most one among the
eligible lawyers, with weekend and evening shifts balanced separately.

This module holds the values and :class:`HotlineFacts`, what the rules
(:mod:`advisors.hotline.rules`) and the strategies read; strategies (plugins)
receive a :class:`~advisors.hotline.problem.HotlineProblem` and return
``problem.finish(choices)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..calendar import WorkCalendar
from ..data.dataset import Dataset
from ..errors import DataError, Problem, ProblemList
from ..geo import Timetable
from ..model import Advisor
from ..period import Period, month_of
from ..policy import minutes_of, parse_hhmm
from ..rules import Analysis, SolveStats, check_pinned, pinned_ids

__all__ = ["Counts", "DutyShift", "HotlineFacts", "HotlineRota", "PastShift", "Slot",
           "read_history"]



@attrs.frozen
class DutyShift:
    """One lawyer on one hotline shift."""

    id: str
    """Stable identity ``hotline/<YYYY-MM-DD>/<shift-index>/<slot>``."""
    date: dt.date
    index: int
    """Which shift of the policy's day (0-based)."""
    slot: int
    """Which of the shift's seats (1-based, up to ``lawyers_per_shift``)."""
    start: str
    end: str
    lawyer: str

    @property
    def key(self) -> tuple[dt.date, int, int]:
        """Sort order: date, shift, seat."""
        return (self.date, self.index, self.slot)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {"id": self.id, "date": self.date.isoformat(), "index": self.index,
                "slot": self.slot, "start": self.start, "end": self.end, "lawyer": self.lawyer}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DutyShift:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["id"]), dt.date.fromisoformat(data["date"]), int(data["index"]),
                   int(data["slot"]), str(data["start"]), str(data["end"]), str(data["lawyer"]))


@attrs.frozen
class PastShift:
    """A shift of a past rota, as history for fairness: ``date,start,end,lawyer``."""

    date: dt.date
    start: str
    end: str
    lawyer: str


@attrs.frozen
class Slot:
    """A seat to fill: one of a shift's ``lawyers_per_shift`` seats on one open day."""

    id: str
    date: dt.date
    index: int
    slot: int
    start: str
    end: str
    weekend: bool
    """On a rest day (a weekend not made a working day, or a holiday kept open)."""
    evening: bool
    """Ends after the policy's ``evening_after``."""


@attrs.frozen
class Counts:
    """A lawyer's shifts: all, on rest days, in the evening."""

    total: int = 0
    weekend: int = 0
    evening: int = 0

    def plus(self, weekend: bool, evening: bool) -> Counts:
        """These counts with one more shift."""
        return Counts(self.total + 1, self.weekend + weekend, self.evening + evening)


def _sorted_shifts(items: Iterable[DutyShift]) -> tuple[DutyShift, ...]:
    return tuple(sorted(items, key=lambda s: s.key))


def _past(items: Iterable[PastShift]) -> tuple[PastShift, ...]:
    return tuple(items)


@attrs.frozen
class HotlineRota:
    """The shifts of a period, the counts fairness is judged on, and the analysis."""

    period: Period
    shifts: tuple[DutyShift, ...] = attrs.field(converter=_sorted_shifts)
    counts: Mapping[str, Counts]
    """Eligible lawyer → shifts including the history."""
    analysis: Analysis
    stats: SolveStats

    @property
    def feasible(self) -> bool:
        """Whether every hard rule holds."""
        return self.analysis.feasible

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form; :meth:`from_dict` reads it back equal."""
        return {"kind": "hotline", "period": self.period.as_dict(),
                "shifts": [s.as_dict() for s in self.shifts],
                "counts": {k: attrs.asdict(c) for k, c in sorted(self.counts.items())},
                "analysis": self.analysis.as_dict(), "stats": self.stats.as_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HotlineRota:
        """Inverse of :meth:`as_dict`."""
        if data.get("kind") != "hotline":
            raise DataError([Problem("rota", "not a hotline rota", field="kind",
                                     value=str(data.get("kind")), expected="hotline")])
        return cls(Period.from_dict(data["period"]),
                   tuple(DutyShift.from_dict(s) for s in data["shifts"]),
                   {k: Counts(**c) for k, c in data.get("counts", {}).items()},
                   Analysis.from_dict(data.get("analysis", {})),
                   SolveStats.from_dict(data.get("stats", {"strategy": ""})))


def read_history(path: Path) -> tuple[PastShift, ...]:
    """Past rotas from a CSV (``date,start,end,lawyer``) or JSON (a rota, or a list of rows)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows: list[Mapping[str, Any]]
    if Path(path).suffix.lower() == ".json":
        data = json.loads(text)
        rows = data.get("shifts", []) if isinstance(data, Mapping) else data
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    problems = ProblemList()
    out = []
    for i, row in enumerate(rows):
        line = i + 2 if Path(path).suffix.lower() != ".json" else None
        try:
            day = dt.date.fromisoformat(str(row["date"]))
            start, end = str(row["start"]), str(row["end"])
            parse_hhmm(start), parse_hhmm(end)
            lawyer = str(row["lawyer"]).strip()
            if not lawyer:
                raise ValueError("empty lawyer")
        except (KeyError, ValueError, TypeError) as exc:
            problems.add(Path(path).name, "bad history row", line=line, value=str(exc),
                         expected="date,start,end,lawyer")
            continue
        out.append(PastShift(day, start, end, lawyer))
    problems.raise_if_any()
    return tuple(sorted(out, key=lambda s: (s.date, s.start, s.lawyer)))


@attrs.frozen(eq=False)
class HotlineFacts:
    """Everything a rota strategy and the rules read, computed once."""

    dataset: Dataset
    period: Period
    history: tuple[PastShift, ...] = attrs.field(default=(), converter=_past)
    previous: HotlineRota | None = None
    pinned: tuple[str, ...] = attrs.field(default=(), converter=pinned_ids)
    """Shift ids of ``previous`` kept as published even if a rule now breaks (reported)."""
    busy: Timetable | None = None
    """Lawyers' other bookings (visits, training): a shift must fit around them."""

    calendar: WorkCalendar = attrs.field(init=False)
    slots: tuple[Slot, ...] = attrs.field(init=False)
    slot_by_id: Mapping[str, Slot] = attrs.field(init=False)
    """The seats of the rota by id (a kept shift on a day now closed has none)."""
    lawyers: tuple[Advisor, ...] = attrs.field(init=False)
    """Hotline lawyers (``hotline`` and active), by id."""
    eligible: tuple[str, ...] = attrs.field(init=False)
    """Lawyers fairness is judged among: those who could take some seat of this rota."""
    past: Mapping[str, Counts] = attrs.field(init=False)
    """History counts per lawyer (every history row, any date)."""
    past_in_month: Mapping[tuple[str, str], int] = attrs.field(init=False)
    """(lawyer, ``YYYY-MM``) → history shifts in that month (they count toward the cap)."""
    past_days: Mapping[tuple[str, dt.date], int] = attrs.field(init=False)
    """(lawyer, day) → history shifts that day (they count toward the daily cap)."""
    kept: tuple[DutyShift, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        policy = self.dataset.policy.hotline
        set_(self, "calendar", self.dataset.work_calendar)
        evening_after = parse_hhmm(policy.evening_after)
        slots = []
        for day in self.period.days:
            if not self.is_open(day):
                continue
            rest = not self.calendar.is_statutory_working_day(day)
            for index, (start, end) in enumerate(policy.shifts):
                evening = parse_hhmm(end) > evening_after
                for seat in range(1, policy.lawyers_per_shift + 1):
                    slots.append(Slot(f"hotline/{day.isoformat()}/{index}/{seat}", day, index,
                                      seat, start, end, rest, evening))
        set_(self, "slots", tuple(slots))
        set_(self, "slot_by_id", {s.id: s for s in self.slots})
        lawyers = tuple(sorted((a for a in self.dataset.advisors if a.hotline and a.active),
                               key=lambda a: a.id))
        set_(self, "lawyers", lawyers)
        required = policy.required_languages
        eligible = [a.id for a in lawyers
                    if (policy.lawyers_per_shift > 1 or a.speaks(required))
                    and any(self.calendar.is_available(a.id, d) for d in {s.date for s in slots})]
        set_(self, "eligible", tuple(eligible))
        past: dict[str, Counts] = {}
        in_month: dict[tuple[str, str], int] = {}
        for row in self.history:
            rest = not self.calendar.is_statutory_working_day(row.date)
            past[row.lawyer] = past.get(row.lawyer, Counts()).plus(
                rest, parse_hhmm(row.end) > evening_after)
            key = (row.lawyer, month_of(row.date))
            in_month[key] = in_month.get(key, 0) + 1
        set_(self, "past", past)
        set_(self, "past_in_month", in_month)
        past_days: dict[tuple[str, dt.date], int] = {}
        for r in self.history:
            past_days[(r.lawyer, r.date)] = past_days.get((r.lawyer, r.date), 0) + 1
        set_(self, "past_days", past_days)
        set_(self, "kept", self._keep())

    def is_open(self, day: dt.date) -> bool:
        """Whether the hotline is staffed on ``day`` under the policy."""
        policy = self.dataset.policy.hotline
        if policy.holidays_closed and self.calendar.holiday_name(day) is not None:
            return False
        if day.weekday() >= 5 and not self.calendar.is_adjusted_workday(day):
            return policy.weekends_open
        return True

    def lawyer(self, ident: str) -> Advisor | None:
        """The advisor record of a lawyer id."""
        return self.dataset.advisor_by_id.get(ident)

    def can_take(self, lawyer: str, slot: Slot) -> bool:
        """Hotline lawyer, available that day, daily cap not reached by the history,
        and the shift (with the travel to and from it) free in the lawyer's timetable."""
        record = self.lawyer(lawyer)
        return (record is not None and record.hotline and record.active
                and self.calendar.is_available(lawyer, slot.date)
                and self.past_days.get((lawyer, slot.date), 0) < self.day_cap
                and (self.busy is None
                     or self.busy.fits(lawyer, slot.date, minutes_of(slot.start),
                                       minutes_of(slot.end), self.place_of(lawyer))))

    def place_of(self, lawyer: str) -> str:
        """Where ``lawyer`` takes hotline calls: the policy's venue, else their office."""
        return self.dataset.policy.hotline.venue or lawyer

    @property
    def day_cap(self) -> int:
        """The policy's shifts per lawyer per day."""
        return self.dataset.policy.hotline.max_shifts_per_day

    def month_cap(self, lawyer: str, month: str) -> int:
        """Shifts ``lawyer`` may still take in ``month`` given the history."""
        cap = self.dataset.policy.hotline.max_shifts_per_month
        return max(0, cap - self.past_in_month.get((lawyer, month), 0))

    def speaks(self, lawyer: str, language: str) -> bool:
        """Whether ``lawyer`` speaks ``language``."""
        record = self.lawyer(lawyer)
        return record is not None and language in record.languages

    def _keep(self) -> tuple[DutyShift, ...]:
        if self.previous is None:
            check_pinned(self.pinned, None, "shift", "rota")
            return ()
        previous = {s.id: s for s in self.previous.shifts}
        check_pinned(self.pinned, previous, "shift", "rota")
        by_id = self.slot_by_id
        per_month: dict[tuple[str, str], int] = {}
        max_day = self.dataset.policy.hotline.max_shifts_per_day
        day_count: dict[tuple[str, dt.date], int] = {}
        kept = []

        def count(s: DutyShift) -> None:
            kept.append(s)
            day_count[(s.lawyer, s.date)] = day_count.get((s.lawyer, s.date), 0) + 1
            month = month_of(s.date)
            per_month[(s.lawyer, month)] = per_month.get((s.lawyer, month), 0) + 1

        # Pinned shifts were promised to people: they stay as published, and the
        # rules report whatever they now break; they count toward every cap.
        for ident in self.pinned:
            if previous[ident].date in self.period:
                count(previous[ident])
        pinned = set(self.pinned)
        for s in sorted(self.previous.shifts, key=lambda s: s.key):
            if s.id in pinned:
                continue
            slot = by_id.get(s.id)
            month = month_of(s.date)
            if (slot is None or (slot.start, slot.end) != (s.start, s.end)
                    or s.lawyer not in self.eligible or not self.can_take(s.lawyer, slot)
                    or day_count.get((s.lawyer, s.date), 0)
                    + self.past_days.get((s.lawyer, s.date), 0) >= max_day
                    or per_month.get((s.lawyer, month), 0) >= self.month_cap(s.lawyer, month)):
                continue
            count(s)
        return tuple(kept)
