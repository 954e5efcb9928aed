"""Legal-aid priority requests (法律援助优先, seed plan §五): booked onto the visit plan.

Each request of ``dataset.requests`` is served within the policy's
``[requests]`` working days — ``priority_days`` for the priority groups,
``other_days`` otherwise — counted from the day it was received, in the
village's township calendar:

1. on a service day of the village's advisor in that village, when the
   advisor speaks the requester's language (the earliest such day, at most
   ``max_per_visit`` requests a day);
2. else on an extra home visit (上门服务) by the advisor of record or — for
   a priority group, preferred — by legal-aid staff (``legal_aid``) who speak
   the language, on a working day the advisor is free;
3. else it is not met in time, and the booking says why.

A booking names the request by id only: the note and the requester stay in
the dataset (and the portal's records), never in ``plan.json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import attrs

from ..geo import great_circle_km
from ..model import Advisor, Request
from ..policy import minutes_of
from ..rules import Rule, Violation, run_rules
from ..wording import Joined, Langs, Ref, Text, Value
from .facts import VisitFacts
from .visit_plan import Booking, HomeVisit, Visit, split_hours

__all__ = ["REQUEST_RULES", "Booking", "HomeVisit", "book_requests", "deadline_of",
           "request_languages"]


def request_languages(problem: VisitFacts, request: Request) -> tuple[str, ...]:
    """The languages the request must be served in: its own, else its village's."""
    if request.languages:
        return request.languages
    village = problem.dataset.village_by_id.get(request.village)
    return village.languages if village else ()


def deadline_of(problem: VisitFacts, request: Request) -> dt.date:
    """The ``priority_days``-th (or ``other_days``-th) working day after it was received."""
    policy = problem.dataset.policy.requests
    days = policy.priority_days if request.priority else policy.other_days
    township = problem.dataset.village_by_id[request.village].township
    day, counted = request.received_on, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if problem.calendar.is_working_day(day, township, request.village):
            counted += 1
        if (day - request.received_on).days > 366:  # a calendar with no working day left
            break
    return day


def _in_scope(problem: VisitFacts, request: Request, deadline: dt.date) -> bool:
    return (request.village in problem.dataset.village_by_id
            and request.received_on <= problem.period.end
            and deadline >= problem.period.start)


class _Booker:
    """The state of one booking pass: visits' appointments and advisors' busy days."""

    def __init__(self, problem: VisitFacts, visits: Sequence[Visit]) -> None:
        self.problem = problem
        self.visits = {v.id: v for v in visits}
        self.busy = {(v.advisor, v.date) for v in visits}
        self.home: list[HomeVisit] = []
        self.booked_on = {a: v.id for v in visits for a in v.appointments}

    def on_service_day(self, request: Request, deadline: dt.date) -> Visit | None:
        langs = request_languages(self.problem, request)
        limit = self.problem.dataset.policy.requests.max_per_visit
        advisors = self.problem.dataset.advisor_by_id
        for v in sorted(self.visits.values(), key=lambda v: v.key):
            if (v.village == request.village and request.received_on < v.date <= deadline
                    and advisors[v.advisor].speaks(langs) and len(v.appointments) < limit):
                return v
        return None

    def candidates(self, request: Request) -> list[Advisor]:
        """Who may make the extra home visit, in order of preference."""
        dataset = self.problem.dataset
        village = dataset.village_by_id[request.village]
        record = self.problem.advisor_of(request.village)
        out = [dataset.advisor_by_id[record]] if record else []
        if request.priority and dataset.policy.requests.prefer_legal_aid:
            staff = sorted((a for a in dataset.advisors if a.role == "legal_aid" and a.active
                            and a.id != record),
                           key=lambda a: (great_circle_km(a.lat, a.lon, village.lat, village.lon),
                                          a.id))
            out = staff + out
        return [a for a in out if a.active and self.problem.may_serve(a, village.township)]

    def free_day(self, advisor: Advisor, request: Request, deadline: dt.date) -> dt.date | None:
        township = self.problem.dataset.village_by_id[request.village].township
        day = max(request.received_on + dt.timedelta(days=1), self.problem.period.start)
        last = min(deadline, self.problem.period.end)
        start = minutes_of(self.problem.dataset.policy.visits.start)
        end = start + self.problem.dataset.policy.requests.home_visit_minutes
        timetable = self.problem.busy  # the person's other roles (hotline, training), if known
        while day <= last:
            if (self.problem.calendar.is_working_day(day, township, request.village)
                    and self.problem.calendar.is_available(advisor.id, day)
                    and (advisor.id, day) not in self.busy
                    and (timetable is None
                         or timetable.fits(advisor.id, day, start, end, request.village))):
                return day
            day += dt.timedelta(days=1)
        return None

    def home_visit(self, request: Request, advisor: Advisor, day: dt.date) -> HomeVisit:
        policy = self.problem.dataset.policy.requests
        start = minutes_of(self.problem.dataset.policy.visits.start)
        ((a, b),) = split_hours(start, start + policy.home_visit_minutes, 1)
        visit = HomeVisit(f"home/{request.id}", request.id, request.village, advisor.id, day,
                          a, b)
        self.home.append(visit)
        self.busy.add((advisor.id, day))
        return visit

    def why_not(self, request: Request, deadline: dt.date) -> Text:
        langs = Langs(request_languages(self.problem, request))
        record = self.problem.advisor_of(request.village)
        village = Ref("village", request.village)
        span: dict[str, Value] = {"village": village, "start": request.received_on,
                                  "deadline": deadline, "langs": langs}
        parts: list[Text] = [
            Text.of("no service day of {advisor} in {village} from {start} to {deadline} in a "
                    "language the requester speaks ({langs})", advisor=Ref("advisor", record),
                    **span) if record else
            Text.of("no service day of an advisor in {village} from {start} to {deadline} in "
                    "a language the requester speaks ({langs})", **span)]
        people = self.candidates(request)
        if not people:
            parts.append(Text.of("and nobody who may serve the village is active"))
        for a in people:
            who = Ref("advisor", a.id)
            if not a.speaks(langs.tags):
                parts.append(Text.of("{advisor} does not speak {langs}", advisor=who,
                                     langs=langs))
                continue
            away = [s.reason or "away" for s in self.problem.calendar.absences(a.id)
                    if s.start <= deadline and s.end > request.received_on]
            parts.append(Text.of("{advisor} has no free working day by {deadline} ({away})",
                                 advisor=who, deadline=deadline,
                                 away=Joined([_away(x) for x in away], "; "))
                         if away else Text.of("{advisor} has no free working day by {deadline}",
                                              advisor=who, deadline=deadline))
        return Text.of("{parts}", parts=Joined(parts, "; "))

    def book(self, request: Request, deadline: dt.date) -> Booking:
        carried = self.booked_on.get(request.id)
        if carried is not None:
            v = self.visits[carried]
            return Booking(request.id, deadline, v.id, v.date, v.advisor)
        visit = self.on_service_day(request, deadline)
        if visit is not None:
            visit = attrs.evolve(visit, appointments=(*visit.appointments, request.id))
            self.visits[visit.id] = visit
            return Booking(request.id, deadline, visit.id, visit.date, visit.advisor)
        langs = request_languages(self.problem, request)
        for advisor in self.candidates(request):
            if not advisor.speaks(langs):
                continue
            day = self.free_day(advisor, request, deadline)
            if day is not None:
                home = self.home_visit(request, advisor, day)
                return Booking(request.id, deadline, home.id, day, advisor.id)
        why = (Text.of("due after this period: the next period's plan books it")
               if deadline > self.problem.period.end else self.why_not(request, deadline))
        return Booking(request.id, deadline, reason=str(why), why=why)


def _away(reason: str) -> Text | str:
    # "away" is the planner's word; an absence's own reason is the data's
    return Text.of("away") if reason == "away" else reason


def book_requests(problem: VisitFacts, visits: Sequence[Visit],
                  ) -> tuple[tuple[Visit, ...], tuple[HomeVisit, ...], tuple[Booking, ...]]:
    """Book every request of the period: the visits with their appointments, the extra
    home visits, and one booking per request (the earliest deadline first)."""
    booker = _Booker(problem, visits)
    todo = []
    for request in problem.dataset.requests:
        if request.village not in problem.dataset.village_by_id:
            continue
        deadline = deadline_of(problem, request)
        if _in_scope(problem, request, deadline):
            todo.append((deadline, not request.priority, request.received_on, request.id,
                         request))
    bookings = [booker.book(r, d) for d, *_, r in sorted(todo, key=lambda t: t[:4])]
    ordered = tuple(sorted(booker.visits.values(), key=lambda v: v.key))
    home = tuple(sorted(booker.home, key=lambda h: (h.date, h.advisor, h.id)))
    return ordered, home, tuple(sorted(bookings, key=lambda b: b.request))


@attrs.frozen
class Booked:
    """What the request rules check: the problem, the home visits and the bookings."""

    problem: VisitFacts
    home_visits: tuple[HomeVisit, ...]
    bookings: tuple[Booking, ...]


def not_met_in_time(booked: Booked, visits: Sequence[Visit]) -> Iterator[Violation]:
    """Every request of the period is served by its deadline; the match says why not."""
    for b in booked.bookings:
        if b.met or (not b.event and b.deadline > booked.problem.period.end):
            continue
        why: Text | str = (Text.of("booked on {day}, after its deadline", day=b.date)
                           if b.event and b.date else b.why or b.reason)
        request = booked.problem.dataset.request_by_id.get(b.request)
        yield Violation.said(Text.of(
            "request {request} is not met by {deadline}: {why}", request=Ref("request", b.request),
            deadline=b.deadline, why=why,
            village=Ref("village", request.village if request else "")),
            (b.request, b.advisor) if b.advisor else (b.request,), (b.deadline,))


def wrong_language(booked: Booked, visits: Sequence[Visit]) -> Iterator[Violation]:
    """A request is served by someone who speaks the requester's language."""
    dataset = booked.problem.dataset
    for b in booked.bookings:
        request = dataset.request_by_id.get(b.request)
        advisor = dataset.advisor_by_id.get(b.advisor)
        if request is None or advisor is None:
            continue
        langs = request_languages(booked.problem, request)
        if not advisor.speaks(langs):
            yield Violation.said(Text.of(
                "request {request}: {advisor} does not speak {langs}",
                request=Ref("request", b.request), advisor=Ref("advisor", b.advisor),
                langs=Langs(langs), village=Ref("village", request.village)),
                (b.request, b.advisor), (b.date,) if b.date else ())


def home_visit_clash(booked: Booked, visits: Sequence[Visit]) -> Iterator[Violation]:
    """An extra home visit falls on a working day the advisor is free and has no visit."""
    busy = {(v.advisor, v.date) for v in visits}
    seen: set[tuple[str, dt.date]] = set()
    problem = booked.problem
    for h in booked.home_visits:
        township = problem.dataset.village_by_id[h.village].township
        who = Ref("advisor", h.advisor)
        why = None
        if (h.advisor, h.date) in busy or (h.advisor, h.date) in seen:
            why = Text.of("{advisor} has another visit that day", advisor=who)
        elif not problem.calendar.is_available(h.advisor, h.date):
            why = Text.of("{advisor} is away", advisor=who)
        elif not problem.calendar.is_working_day(h.date, township, h.village):
            why = (problem.calendar.not_working(h.date, township, h.village)
                   or Text.of("not a working day"))
        seen.add((h.advisor, h.date))
        if why:
            yield Violation.said(Text.of("{visit} on {day}: {why}", visit=h.id, day=h.date,
                                         why=why, village=Ref("village", h.village),
                                         advisor=who, request=Ref("request", h.request)),
                                 (h.id, h.advisor), (h.date,))


def legal_aid_preferred(booked: Booked, visits: Sequence[Visit]) -> Iterator[Violation]:
    """A priority group's home visit goes to legal-aid staff when one speaks the language."""
    dataset = booked.problem.dataset
    if not dataset.policy.requests.prefer_legal_aid:
        return
    for h in booked.home_visits:
        request = dataset.request_by_id.get(h.request)
        advisor = dataset.advisor_by_id.get(h.advisor)
        if request is None or advisor is None or not request.priority:
            continue
        langs = request_languages(booked.problem, request)
        staff = [a.id for a in dataset.advisors
                 if a.role == "legal_aid" and a.active and a.speaks(langs)]
        if advisor.role != "legal_aid" and staff:
            yield Violation("", False, f"{h.id}: a legal-aid case with {h.advisor}, not "
                            f"legal-aid staff ({', '.join(staff)} busy)", (h.id, h.advisor),
                            (h.date,))


REQUEST_RULES: tuple[Rule[Booked, Visit], ...] = (
    Rule("Request not met in time", True, not_met_in_time),
    Rule("Request language", True, wrong_language),
    Rule("Home visit clash", True, home_visit_clash),
    Rule("Legal-aid staff preferred", False, legal_aid_preferred),
)
"""The rules of legal-aid priority requests, hard first."""


def check_requests(problem: VisitFacts, visits: Sequence[Visit],
                   home: tuple[HomeVisit, ...], bookings: tuple[Booking, ...],
                   ) -> tuple[Violation, ...]:
    """Every violation of :data:`REQUEST_RULES`."""
    return run_rules(REQUEST_RULES, Booked(problem, home, bookings), visits).violations
