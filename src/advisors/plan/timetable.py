"""The one timetable per person of a plan: its bookings, and the check that none clash.

:func:`make_plan <advisors.plan.make_plan>` plans in a fixed order — visits,
then the hotline, then training — and hands each problem the bookings made
before it (:func:`busy_before`), so that a person is never in two places by
construction, whatever strategy solves each problem. :func:`clash_analysis`
checks the whole afterwards: a strategy (a plugin) that returned a clash
makes the plan infeasible with the clash named, never published as "ok".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..data.dataset import Dataset
from ..geo import Booking, Timetable, TravelModel
from ..hotline.facts import DutyShift
from ..policy import minutes_of
from ..rules import Analysis, Violation
from ..training.problem import TrainingSession
from ..visits.visit_plan import Visit

__all__ = ["ONE_PLACE", "busy_before", "clash_analysis", "plan_bookings", "timetable"]

ONE_PLACE = "One person, one place"
"""The rule's name: no two bookings of a person overlap, travel between them included."""


def visit_bookings(visits: Iterable[Visit]) -> Iterator[Booking]:
    """A service day or lecture books its advisor in the village."""
    for v in visits:
        yield Booking(v.advisor, v.date, minutes_of(v.start), minutes_of(v.end), v.village, v.id)


def shift_bookings(dataset: Dataset, shifts: Iterable[DutyShift]) -> Iterator[Booking]:
    """A hotline shift books its lawyer where the hotline is staffed."""
    venue = dataset.policy.hotline.venue
    for s in shifts:
        yield Booking(s.lawyer, s.date, minutes_of(s.start), minutes_of(s.end),
                      venue or s.lawyer, s.id)


def session_bookings(dataset: Dataset, sessions: Iterable[TrainingSession]) -> Iterator[Booking]:
    """A training session books its trainer (the advisor, when the same person) at the venue."""
    for s in sessions:
        yield Booking(dataset.person_of(s.trainer), s.date, minutes_of(s.start),
                      minutes_of(s.end), s.venue, s.id)


def plan_bookings(dataset: Dataset, visits: Iterable[Visit], shifts: Iterable[DutyShift],
                  sessions: Iterable[TrainingSession]) -> list[Booking]:
    """Every booking of a plan's parts."""
    return [*visit_bookings(visits), *shift_bookings(dataset, shifts),
            *session_bookings(dataset, sessions)]


def timetable(dataset: Dataset, bookings: Iterable[Booking],
              travel: TravelModel | None = None) -> Timetable:
    """A timetable over the dataset's travel model."""
    model = travel or dataset.travel_model()
    return Timetable(bookings, model.minutes)


def busy_before(dataset: Dataset, bookings: Iterable[Booking]) -> list[Booking]:
    """Bookings of a previous plan that still bind: the person is available that day.

    The first problem planned sees these, so that it does not take the time of
    a published shift or session the later problems will keep.
    """
    calendar = dataset.work_calendar
    return [b for b in bookings if calendar.is_available(b.person, b.date)]


def clash_analysis(dataset: Dataset, table: Timetable) -> Analysis:
    """A hard violation per pair of a person's consecutive bookings that clash."""
    found = []
    for c in table.clashes():
        a, b = c.first, c.second
        name = _name(dataset, a.person)
        if a.end > b.start:
            why = f"overlap by {a.end - b.start} min"
        else:
            why = f"{c.travel} min of travel needed, {b.start - a.end} left"
        found.append(Violation(
            ONE_PLACE, True,
            f"{name} on {a.date.isoformat()}: {_hhmm(a.start)}–{_hhmm(a.end)} at "
            f"{_place(dataset, a.place)} and {_hhmm(b.start)}–{_hhmm(b.end)} at "
            f"{_place(dataset, b.place)} ({why})",
            (a.person, a.what, b.what), (a.date,)))
    return Analysis(tuple(found))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _name(dataset: Dataset, person: str) -> str:
    record = dataset.advisor_by_id.get(person) or dataset.trainer_by_id.get(person)
    return record.name if record is not None else person


def _place(dataset: Dataset, place: str) -> str:
    for index in (dataset.village_by_id, dataset.venue_by_id, dataset.advisor_by_id):
        record = index.get(place)
        if record is not None:
            return record.name if index is not dataset.advisor_by_id else \
                f"{record.name}'s office"
    return place
