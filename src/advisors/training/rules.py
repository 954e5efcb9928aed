"""The named rules of a training plan, and the analysis that checks any plan against them.

Hard rules (a plan breaking one cannot be published as is):

``session_target``
    every participant attends at least the period's target of sessions;
``trainer_double_booked`` / ``participant_double_booked`` / ``venue_double_booked``
    nobody and no room is in two overlapping sessions;
``language``
    the trainer speaks every language of the session, each participant at least one;
``venue_capacity``
    no more participants than the venue seats;
``participant_travel``
    each participant's village is within ``max_participant_travel_km`` of the venue;
``trainer_topic``
    the topic is in the curriculum and the trainer teaches it;
``topic_repeated``
    nobody gets the same topic twice in the period;
``trainer_available`` / ``working_day``
    not on the trainer's absences, only on working days of the venue's township;
``trainer_monthly_limit``
    at most the trainer's ``max_sessions_per_month``;
``trainer_travel``
    a venue within ``max_trainer_travel_km`` of the trainer's home and of the
    venue the trainer taught at on the previous calendar day;
``cadres_separate``
    with ``cadres = "separate"``, no session mixes legal-savvy persons with cadres;
``outside_period`` / ``unknown_reference``
    sessions inside the period, about known trainers, venues and participants.

Soft rules: ``other_township`` — a participant is trained at a venue of another
township (allowed when their own township has no venue in reach);
``topic_had_earlier`` — a participant is taught a topic they already had
earlier in the year (the previous plans), while some curriculum topic is
still new to them; ``not_first_language`` — with ``instruction = "first"``, a participant is
not taught in their first language (bilingual Tibetans put in a Chinese-only
session, or taught by a trainer who lacks Tibetan).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

from ..wording import Joined, Month, Ref, Text, Value
from .problem import (
    Participant,
    TrainingAnalysis,
    TrainingPlan,
    TrainingProblem,
    TrainingSession,
    TrainingViolation,
    langs_of,
)

__all__ = ["HARD_RULES", "SOFT_RULES", "TrainingAnalysis", "analyse_training", "violation_order"]

HARD_RULES: tuple[str, ...] = (
    "session_target", "trainer_double_booked", "participant_double_booked",
    "venue_double_booked", "language", "venue_capacity", "participant_travel",
    "trainer_topic", "topic_repeated", "trainer_available", "working_day",
    "trainer_monthly_limit", "trainer_travel", "cadres_separate", "outside_period",
    "unknown_reference",
)
"""Names of the hard rules, in the order they are checked."""
SOFT_RULES: tuple[str, ...] = ("other_township", "topic_had_earlier", "not_first_language")
"""Names of the soft rules."""


def _overlap(a: TrainingSession, b: TrainingSession) -> bool:
    return a.date == b.date and a.start < b.end and b.start < a.end


def analyse_training(problem: TrainingProblem, plan: TrainingPlan) -> TrainingAnalysis:
    """Check ``plan`` against every rule; deterministic order of violations.

    A plan (the very object: plans are frozen) checked before against the same
    problem is not checked again."""
    for checked, found in problem.analysed:
        if checked is plan:
            return found
    data = problem.dataset
    policy = data.policy.training
    calendar = data.work_calendar
    who = problem.participant_by_id()
    out: list[TrainingViolation] = []

    def hard(rule: str, msgid: str, s: TrainingSession, people: tuple[str, ...] = (),
             **values: Value) -> None:
        # every sentence may name the session by its day and venue, not only by its id
        venue = problem.venues.get(s.venue)
        text = Text.of(msgid, session=s.id, day=s.date, **values,
                       venue=Ref("venue", s.venue, venue.name if venue else ""))
        out.append(TrainingViolation(rule, True, str(text), people, (s.date,), (s.id,), text))

    def soft(rule: str, msgid: str, s: TrainingSession, people: tuple[str, ...],
             **values: Value) -> None:
        # named as hard() names the session: by its day and venue
        venue = problem.venues.get(s.venue)
        text = Text.of(msgid, session=s.id, day=s.date, **values,
                       venue=Ref("venue", s.venue, venue.name if venue else ""))
        out.append(TrainingViolation(rule, False, str(text), people, (s.date,), (s.id,), text))

    def reach(p: Participant, venue: str) -> float:
        # the road from home to the session: measured already when it is the home venue
        return p.venue_km if p.venue == venue else problem.travel.road_km(p.village, venue)

    sessions = sorted(plan.sessions, key=lambda s: (s.date, s.start, s.id))
    by_trainer: dict[str, list[TrainingSession]] = defaultdict(list)
    by_person: dict[str, list[TrainingSession]] = defaultdict(list)
    by_venue: dict[str, list[TrainingSession]] = defaultdict(list)
    for s in sessions:
        by_trainer[s.trainer].append(s)
        by_venue[s.venue].append(s)
        for p in s.participants:
            by_person[p].append(s)
        trainer = data.trainer_by_id.get(s.trainer)
        venue = problem.venues.get(s.venue)
        unknown = [p for p in s.participants if p not in who]
        if trainer is None or venue is None or unknown:
            what: list[Value] = []
            if trainer is None:
                what.append(Text.of("trainer {id}", id=s.trainer))
            if venue is None:
                what.append(Text.of("venue {id}", id=s.venue))
            what += [Text.of("participant {id} (unknown, inactive or removed)", id=p)
                     for p in unknown]
            hard("unknown_reference", "{session}: {what}", s, tuple(unknown), what=Joined(what))
        if s.date not in problem.period:
            hard("outside_period", "{session}: {day} is outside {period}", s,
                 period=Month(problem.period.label))
        township = venue.township if venue is not None else s.township
        if not calendar.is_working_day(s.date, township):
            hard("working_day", "{session}: {day} is not a working day ({reason})", s,
                 reason=calendar.not_working(s.date, township) or "None")
        if venue is not None and len(s.participants) > venue.capacity:
            hard("venue_capacity", "{session}: {n} participants, {venue_name} seats {seats}", s,
                 n=len(s.participants), venue_name=Ref("venue", venue.id, venue.name),
                 seats=venue.capacity)
        known = [who[p] for p in s.participants if p in who]
        if trainer is not None:
            teacher = Ref("trainer", trainer.id, trainer.name)
            if not set(s.language) <= set(trainer.languages):
                hard("language", "{session}: taught in {langs}, trainer {trainer} speaks "
                     "{spoken}", s, (trainer.id,), langs=langs_of(s.language), trainer=teacher,
                     spoken=langs_of(trainer.languages))
            if s.topic not in policy.curriculum or s.topic not in trainer.topics:
                hard("trainer_topic", "{session}: trainer {trainer} does not teach {topic}", s,
                     (trainer.id,), trainer=teacher, topic=Ref("topic", s.topic))
            if not calendar.is_available(trainer.id, s.date):
                hard("trainer_available", "{session}: trainer {trainer} is absent on {day}", s,
                     (trainer.id,), trainer=teacher)
            if venue is not None:
                km = problem.travel.road_km(trainer.id, venue.id)
                if km > policy.max_trainer_travel_km:
                    hard("trainer_travel", "{session}: {venue_name} is {km:.0f} km from trainer "
                         "{trainer}'s home (limit {limit:g})", s, (trainer.id,),
                         venue_name=Ref("venue", venue.id, venue.name), km=km, trainer=teacher,
                         limit=policy.max_trainer_travel_km)
        if not s.language:
            hard("language", "{session}: no teaching language", s)
        if policy.instruction == "first":
            second = tuple(p.id for p in known
                           if p.languages and p.languages[0] not in s.language)
            if second:
                soft("not_first_language", "{session}: {n} participants taught in {langs}, "
                     "not in their first language {first}", s, second, n=len(second),
                     langs=langs_of(s.language),
                     first=langs_of(sorted({who[p].languages[0] for p in second})))
        deaf = tuple(p.id for p in known if not set(p.languages) & set(s.language))
        if deaf:
            hard("language", "{session}: {n} participants speak none of {langs}", s, deaf,
                 n=len(deaf), langs=langs_of(s.language))
        if venue is not None:
            far = tuple(p.id for p in known
                        if reach(p, venue.id) > policy.max_participant_travel_km)
            if far:
                hard("participant_travel", "{session}: {n} participants live more than "
                     "{limit:g} km from {venue_name}", s, far, n=len(far),
                     limit=policy.max_participant_travel_km,
                     venue_name=Ref("venue", venue.id, venue.name))
            elsewhere = tuple(p.id for p in known if p.township != venue.township)
            if elsewhere:
                soft("other_township", "{session}: {n} participants from another township "
                     "at {venue_name}", s, elsewhere, n=len(elsewhere),
                     venue_name=Ref("venue", venue.id, venue.name))
        if policy.cadres == "separate" and len({p.stream for p in known}) > 1:
            hard("cadres_separate", "{session}: legal-savvy persons and cadres together", s)
    _pairs(out, by_trainer, "trainer_double_booked", "trainer")
    _pairs(out, by_person, "participant_double_booked", "participant")
    _pairs(out, by_venue, "venue_double_booked", "venue")
    _trainer_limits(problem, by_trainer, out)
    curriculum = set(policy.curriculum)
    for pid, booked in sorted(by_person.items()):
        seen: dict[str, str] = {}
        for s in booked:
            if s.topic in seen:
                text = Text.of("{person}: {topic} twice ({first}, {second})",
                               person=Ref("person", pid), topic=Ref("topic", s.topic),
                               first=seen[s.topic], second=s.id, day=s.date)
                out.append(TrainingViolation("topic_repeated", True, str(text), (pid,),
                                             (s.date,), (seen[s.topic], s.id), text))
            seen.setdefault(s.topic, s.id)
        had = problem.earlier.get(pid)
        if not had:
            continue  # nothing had earlier (most people): no topic again
        earlier = set(had)
        new = curriculum - earlier - set(seen)
        for s in booked:
            if s.topic in earlier and new:
                soft("topic_had_earlier", "{person}: {topic} again ({session}), already had "
                     "earlier this year; new to them: {new}", s, (pid,),
                     person=Ref("person", pid), topic=Ref("topic", s.topic),
                     new=Joined([Ref("topic", t) for t in sorted(new)]))
    _targets(problem, by_person, out)
    analysis = TrainingAnalysis(tuple(sorted(out, key=violation_order)))
    problem.analysed.append((plan, analysis))
    return analysis


def violation_order(v: TrainingViolation) -> tuple[object, ...]:
    """Sort key of an analysis: hard first, built-in rules in check order, others by name."""
    rank = HARD_RULES.index(v.rule) if v.rule in HARD_RULES else len(HARD_RULES)
    return (not v.hard, rank, v.rule if rank == len(HARD_RULES) else "", v.days, v.sessions,
            v.people, v.message)


_KIND = {"trainer": "trainer", "participant": "person", "venue": "venue"}
_PAIR_TEXTS = {"trainer": "trainer {who} in {first} and {second} on {day}",
               "participant": "participant {who} in {first} and {second} on {day}",
               "venue": "venue {who} in {first} and {second} on {day}"}
"""The message id of each kind of double booking."""


def _pairs(out: list[TrainingViolation], booked: dict[str, list[TrainingSession]], rule: str,
           what: str) -> None:
    for key, items in sorted(booked.items()):
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if b.date != a.date:
                    break
                if _overlap(a, b):
                    values: dict[str, Value] = {
                        "who": Ref(_KIND[what], key), "first": a.id, "second": b.id,
                        "day": a.date, "start": a.start, "end": a.end, "start2": b.start,
                        "end2": b.end}
                    text = Text(_PAIR_TEXTS[what], values)
                    out.append(TrainingViolation(rule, True, str(text), (key,), (a.date,),
                                                 (a.id, b.id), text))


def _trainer_limits(problem: TrainingProblem, by_trainer: dict[str, list[TrainingSession]],
                    out: list[TrainingViolation]) -> None:
    data = problem.dataset
    limit_km = data.policy.training.max_trainer_travel_km
    for tid, items in sorted(by_trainer.items()):
        trainer = data.trainer_by_id.get(tid)
        if trainer is None:
            continue
        months: dict[str, list[TrainingSession]] = defaultdict(list)
        for s in items:
            months[f"{s.date:%Y-%m}"].append(s)
        for month, ss in sorted(months.items()):
            if len(ss) > trainer.max_sessions_per_month:
                text = Text.of("trainer {trainer}: {n} sessions in {month}, at most {limit}",
                               trainer=Ref("trainer", tid, trainer.name), n=len(ss),
                               month=Month(month), limit=trainer.max_sessions_per_month)
                out.append(TrainingViolation(
                    "trainer_monthly_limit", True, str(text), (tid,),
                    tuple(sorted({s.date for s in ss})), tuple(s.id for s in ss), text))
        for a, b in itertools.pairwise(items):
            if b.date - a.date != dt.timedelta(days=1) or a.venue == b.venue:
                continue
            if a.venue in problem.venues and b.venue in problem.venues:
                km = problem.travel.road_km(a.venue, b.venue)
                if km > limit_km:
                    text = Text.of("trainer {trainer}: {km:.0f} km from {first} to {second} "
                                   "overnight (limit {limit:g})",
                                   trainer=Ref("trainer", tid, trainer.name), km=km,
                                   first=Ref("venue", a.venue), second=Ref("venue", b.venue),
                                   limit=limit_km)
                    out.append(TrainingViolation(
                        "trainer_travel", True, str(text), (tid,), (a.date, b.date),
                        (a.id, b.id), text))


def _targets(problem: TrainingProblem, by_person: dict[str, list[TrainingSession]],
             out: list[TrainingViolation]) -> None:
    short: dict[str, list[str]] = defaultdict(list)
    for p in problem.participants:
        if len(by_person.get(p.id, ())) < problem.target:
            short[p.township].append(p.id)
    for township, people in sorted(short.items()):
        text = Text.of("{township}: {n} participants below {target} sessions in {period}",
                       township=Ref("township", township, problem.township_name(township)),
                       n=len(people), target=problem.target,
                       period=Month(problem.period.label))
        out.append(TrainingViolation("session_target", True, str(text), tuple(people),
                                     text=text))
