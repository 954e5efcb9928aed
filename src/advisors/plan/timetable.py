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
from ..wording import Ref, Text, Value

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
        if a.end > b.start:
            why = Text.of("overlap by {n} min", n=a.end - b.start)
        else:
            why = Text.of("{travel} min of travel needed, {n} left", travel=c.travel,
                          n=b.start - a.end)
        found.append(Violation.said(Text.of(
            "{person} on {day}: {start}–{end} at {place} and {start2}–{end2} at {place2} "
            "({why})", person=_person(dataset, a.person), day=a.date, start=_hhmm(a.start),
            end=_hhmm(a.end), place=_place(dataset, a.place), start2=_hhmm(b.start),
            end2=_hhmm(b.end), place2=_place(dataset, b.place), why=why),
            (a.person, a.what, b.what), (a.date,), rule=ONE_PLACE))
    return Analysis(tuple(found))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _person(dataset: Dataset, person: str) -> Ref:
    if person in dataset.advisor_by_id:
        return Ref("advisor", person, dataset.advisor_by_id[person].name)
    if person in dataset.trainer_by_id:
        return Ref("trainer", person, dataset.trainer_by_id[person].name)
    return Ref("person", person)


def _place(dataset: Dataset, place: str) -> Value:
    if place in dataset.village_by_id:
        return Ref("village", place, dataset.village_by_id[place].name)
    if place in dataset.venue_by_id:
        return Ref("venue", place, dataset.venue_by_id[place].name)
    if place in dataset.advisor_by_id:
        return Text.of("{advisor}'s office", advisor=Ref(
            "advisor", place, dataset.advisor_by_id[place].name))
    return place
