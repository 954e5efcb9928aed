"""On-site service days (到村服务): the problem, its result, and replanning.

For a period, every village gets the visits a month its service class asks
for (policy ``[visits]``), from its advisor of record, on working days of its
township when the advisor is available, at most so many a day, spread
through the month and — where possible — on a regular pattern a notice board
can promise. Once a quarter one visit per village is the legal lecture.

This module holds :class:`VisitFacts`, what the rules
(:mod:`advisors.visits.rules`) and the strategies read; strategies (plugins)
receive a :class:`~advisors.visits.problem.VisitProblem` and return
``problem.finish(chosen days)``. With a previous plan, every event that can
stay is kept (same id, same time) and a strategy only places what is missing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..assignment import Assignment
from ..calendar import WorkCalendar
from ..data.dataset import Dataset
from ..geo import Timetable, travel_minutes
from ..model import Advisor, Village
from ..period import Period
from ..rules import check_pinned, pinned_ids
from .patterns import Pattern, find_pattern, one_off_moves
from .visit_plan import (
    Visit,
    VisitPlan,
    minutes_of,
    month_of,
)

__all__ = ["VisitFacts", "lecture_months", "visits_due"]


def lecture_months(village: str, lectures_per_quarter: int) -> dict[int, int]:
    """Month of the quarter (0–2) → lectures due then; fixed by the village's id.

    Spreading villages over the quarter's months evens the advisors' lecture
    load, and tying it to the id (not to the assignment) keeps it stable.
    """
    first = zlib.crc32(village.encode("utf-8")) % 3
    out: dict[int, int] = {}
    for i in range(lectures_per_quarter):
        out[(first + i) % 3] = out.get((first + i) % 3, 0) + 1
    return out


def visits_due(dataset: Dataset, period: Period
               ) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Visits and legal lectures due in ``period``: (village, ``YYYY-MM``) → count.

    A month cut by the period's edge owes its share of the visits (rounded);
    a lecture is due only in a whole month, the village's lecture month of
    its quarter (:func:`lecture_months`).
    """
    policy = dataset.policy.visits
    shares = []
    for m in period.months():
        full = Period.parse(m.label)
        share = ((m.end - m.start).days + 1) / ((full.end - full.start).days + 1)
        shares.append((m, share, (m.start, m.end) == (full.start, full.end)))
    need: dict[tuple[str, str], int] = {}
    lectures: dict[tuple[str, str], int] = {}
    for village in dataset.villages:
        per_month = policy.per_month.get(village.service_class, 0)
        due = lecture_months(village.id, policy.lectures_per_quarter)
        for m, share, whole in shares:
            count = int(per_month * share + 0.5)
            if count:
                need[(village.id, m.label)] = count
            lec = due.get((m.start.month - 1) % 3, 0)
            if lec and count and whole:
                lectures[(village.id, m.label)] = lec
    return need, lectures


@attrs.frozen(eq=False)
class VisitFacts:
    """Everything a visit strategy and the rules read, computed once."""

    dataset: Dataset
    assignment: Assignment
    period: Period
    previous: VisitPlan | None = None
    pinned: tuple[str, ...] = attrs.field(default=(), converter=pinned_ids)
    """Ids of published visits that must stay as they are, even against a rule."""
    busy: Timetable | None = None
    """Advisors' other bookings (hotline shifts, training they give): a visit day leaves
    them, and the travel to and from them, free."""
    repattern: bool = False
    """Let a village take a new regular pattern although the previous plan promised one."""

    calendar: WorkCalendar = attrs.field(init=False)
    months: tuple[Period, ...] = attrs.field(init=False)
    need: Mapping[tuple[str, str], int] = attrs.field(init=False)
    """(village, ``YYYY-MM``) → visits due in that month (within the period)."""
    lectures: Mapping[tuple[str, str], int] = attrs.field(init=False)
    """(village, ``YYYY-MM``) → lectures due in that month."""
    kept: tuple[Visit, ...] = attrs.field(init=False)
    """Visits of the previous plan that stay unchanged."""
    hours: tuple[int, int] = attrs.field(init=False)
    """Visit hours in minutes after midnight."""
    _open: dict[str, tuple[dt.date, ...]] = attrs.field(init=False, repr=False)
    _near: dict[tuple[str, str], bool] = attrs.field(init=False, repr=False)
    _kept_on: dict[tuple[str, dt.date], tuple[Visit, ...]] = attrs.field(init=False, repr=False)
    _kept_by_village: dict[str, tuple[Visit, ...]] = attrs.field(init=False, repr=False)
    _travel: list[Any] = attrs.field(init=False, repr=False)
    _working: dict[str, frozenset[dt.date]] = attrs.field(init=False, repr=False)
    _working_sorted: dict[str, tuple[dt.date, ...]] = attrs.field(init=False, repr=False)
    _villages: list[Village] = attrs.field(init=False, repr=False)
    _promises: dict[str, Pattern | None] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        policy = self.dataset.policy.visits
        set_(self, "calendar", self.dataset.work_calendar)
        set_(self, "months", tuple(self.period.months()))
        set_(self, "hours", (minutes_of(policy.start), minutes_of(policy.end)))
        set_(self, "_open", {})
        set_(self, "_near", {})
        set_(self, "_travel", [])
        set_(self, "_working", {})
        set_(self, "_working_sorted", {})
        set_(self, "_villages", [])
        set_(self, "_promises", {})
        set_(self, "_kept_by_village", {})
        need, lectures = visits_due(self.dataset, self.period)
        set_(self, "need", need)
        set_(self, "lectures", lectures)
        set_(self, "kept", self._keep())
        kept_on: dict[tuple[str, dt.date], list[Visit]] = {}
        for v in self.kept:
            kept_on.setdefault((v.advisor, v.date), []).append(v)
        set_(self, "_kept_on", {k: tuple(v) for k, v in kept_on.items()})
        by_village: dict[str, list[Visit]] = {}
        for v in self.kept:
            by_village.setdefault(v.village, []).append(v)
        set_(self, "_kept_by_village", {k: tuple(v) for k, v in by_village.items()})

    # ---- questions strategies ask -------------------------------------------------
    def promised(self, village: str) -> Pattern | None:
        """The regular pattern the previous plan promised ``village``, while it still holds.

        It holds while the village keeps its advisor and its visits a month
        (service class), unless ``repattern`` was asked: an absence or another
        booking then moves single days (:func:`~advisors.visits.patterns.one_off_moves`),
        never the pattern.
        """
        if self.previous is None or self.repattern:
            return None
        if not self._promises:
            advisors: dict[str, set[str]] = {}
            for v in self.previous.visits:
                advisors.setdefault(v.village, set()).add(v.advisor)
            for village_id, pattern in self.previous.patterns.items():
                per_month = max((self.need.get((village_id, m.label), 0) for m in self.months),
                                default=0)
                if (pattern is not None and len(pattern.ordinals) == per_month
                        and advisors.get(village_id) == {self.advisor_of(village_id)}):
                    self._promises[village_id] = pattern
            self._promises.setdefault("", None)  # computed, even when nothing is promised
        return self._promises.get(village)

    def standing(self, village: str, days: Sequence[dt.date],
                 ) -> tuple[Pattern | None, tuple[tuple[dt.date, dt.date], ...]]:
        """The pattern a notice board shows for ``village`` and the one-off changes to it.

        The promised pattern stays when the days are it with single days
        moved; otherwise the pattern the days follow, if any.
        """
        promised = self.promised(village)
        if promised is not None:
            moved = one_off_moves(promised, days, self.period.__contains__)
            if moved is not None:
                return promised, moved
        return find_pattern(days), ()

    def travel(self, a: str, b: str) -> int:
        """Whole minutes of road between two villages (0 for the same)."""
        if a == b:
            return 0
        if not self._travel:
            self._travel.append(self.dataset.travel_model())
        return travel_minutes(self._travel[0].minutes, a, b)

    def advisor_of(self, village: str) -> str | None:
        """The village's advisor of record, if any and known."""
        advisor = self.assignment.advisor_of.get(village)
        return advisor if advisor in self.dataset.advisor_by_id else None

    def villages(self) -> tuple[Village, ...]:
        """Villages with visits due, by id."""
        if not self._villages:
            due = {v for v, _ in self.need}
            self._villages.extend(v for v in sorted(self.dataset.villages, key=lambda v: v.id)
                                  if v.id in due)
        return tuple(self._villages)

    def by_advisor(self) -> dict[str, tuple[str, ...]]:
        """Advisor → the villages (with visits due) they serve, both sorted."""
        out: dict[str, list[str]] = {}
        for village in self.villages():
            advisor = self.advisor_of(village.id)
            if advisor is not None and self.dataset.advisor_by_id[advisor].active:
                out.setdefault(advisor, []).append(village.id)
        return {a: tuple(vs) for a, vs in sorted(out.items())}

    def open_days(self, village: str) -> tuple[dt.date, ...]:
        """Days of the period its advisor may visit ``village``: working there, available."""
        if village not in self._open:
            advisor = self.advisor_of(village)
            township = self.dataset.village_by_id[village].township
            days: tuple[dt.date, ...] = ()
            if advisor is not None and self.dataset.advisor_by_id[advisor].active:
                self.working_days(township)
                days = self._working_sorted[township]
                if self.calendar.absences(advisor):
                    days = tuple(d for d in days if self.calendar.is_available(advisor, d))
                if self.calendar.village_festivals(village):
                    days = tuple(d for d in days
                                 if self.calendar.is_working_day(d, township, village))
                if self.busy is not None:
                    start, end = self.hours
                    days = tuple(d for d in days
                                 if self.busy.fits(advisor, d, start, end, village))
            self._open[village] = days
        return self._open[village]

    def working_days(self, township: str) -> frozenset[dt.date]:
        """Working days of the period in ``township`` (computed once per township)."""
        if township not in self._working:
            days = tuple(self.calendar.working_days(self.period.start, self.period.end, township))
            self._working[township] = frozenset(days)
            self._working_sorted[township] = days
        return self._working[township]

    def missing(self, village: str, month: str) -> int:
        """Visits still to place for ``village`` in ``month`` beyond the kept ones."""
        kept = sum(1 for v in self.kept_of(village) if month_of(v.date) == month)
        return max(0, self.need.get((village, month), 0) - kept)

    def kept_of(self, village: str) -> tuple[Visit, ...]:
        """Kept visits of ``village``."""
        return self._kept_by_village.get(village, ())

    def kept_on(self, advisor: str, day: dt.date) -> tuple[Visit, ...]:
        """Kept visits of ``advisor`` on ``day``."""
        return self._kept_on.get((advisor, day), ())

    def nearby(self, a: str, b: str) -> bool:
        """Whether villages ``a`` and ``b`` are within the policy's nearby distance."""
        key = (a, b) if a < b else (b, a)
        if key not in self._near:
            if not self._travel:
                self._travel.append(self.dataset.travel_model())
            km = self._travel[0].road_km(*key) if a != b else 0.0
            self._near[key] = km <= self.dataset.policy.visits.nearby_km
        return self._near[key]

    def day_limit(self, villages: Sequence[str]) -> int:
        """Visits one advisor may make on a day to these villages."""
        policy = self.dataset.policy.visits
        if all(self.nearby(a, b) for a, b in itertools.combinations(sorted(villages), 2)):
            return max(policy.max_per_day, policy.max_per_day_nearby)
        return policy.max_per_day

    def may_serve(self, advisor: Advisor, township: str) -> bool:
        """Whether ``advisor`` may serve villages of ``township`` at all (司法所 staff: only
        their own township's)."""
        return advisor.role != "justice_office" or advisor.township == township

    def day_allows(self, advisor: str, day: dt.date, villages: Sequence[str]) -> bool:
        """Whether ``advisor`` may visit these (new) villages on ``day`` besides kept visits."""
        kept = self.kept_on(advisor, day)
        every = [v.village for v in kept] + list(villages)
        if len(set(every)) < len(every) or len(every) > self.day_limit(every):
            return False
        if kept and villages:
            start, end = self.hours
            busy = sum(minutes_of(v.end) - minutes_of(v.start) for v in kept)
            return (end - start - busy) * len(every) >= (end - start) * len(villages)
        return True

    def _keep(self) -> tuple[Visit, ...]:
        if self.previous is None:
            check_pinned(self.pinned, None, "event", "plan")
            return ()
        by_id = {v.id: v for v in self.previous.visits}
        check_pinned(self.pinned, by_id, "event", "plan")
        kept: list[Visit] = [by_id[p] for p in self.pinned if by_id[p].date in self.period]
        counts: dict[tuple[str, str], int] = {}
        per_day: dict[tuple[str, dt.date], list[Visit]] = {}
        for v in kept:
            key = (v.village, month_of(v.date))
            counts[key] = counts.get(key, 0) + 1
            per_day.setdefault((v.advisor, v.date), []).append(v)
        start, end = self.hours
        for v in sorted(self.previous.visits, key=lambda v: v.key):
            if v.id in self.pinned or v.date not in self.period:
                continue
            key = (v.village, month_of(v.date))
            same_day = per_day.get((v.advisor, v.date), [])
            ok = (
                v.village in self.dataset.village_by_id
                and self.advisor_of(v.village) == v.advisor
                and v.date in self.open_days(v.village)
                and counts.get(key, 0) < self.need.get(key, 0)
                and start <= minutes_of(v.start) < minutes_of(v.end) <= end
                and not any(minutes_of(o.start) < minutes_of(v.end)
                            and minutes_of(v.start) < minutes_of(o.end) for o in same_day)
                and len(same_day) + 1 <= self.day_limit([o.village for o in same_day]
                                                        + [v.village])
            )
            if ok:
                kept.append(v)
                counts[key] = counts.get(key, 0) + 1
                same_day.append(v)
                per_day[(v.advisor, v.date)] = same_day
        return tuple(sorted(kept, key=lambda v: v.key))
