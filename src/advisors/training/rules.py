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
still new to them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

from .problem import (
    TrainingAnalysis,
    TrainingPlan,
    TrainingProblem,
    TrainingSession,
    TrainingViolation,
    describe_languages,
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
SOFT_RULES: tuple[str, ...] = ("other_township", "topic_had_earlier")
"""Names of the soft rules."""


def _overlap(a: TrainingSession, b: TrainingSession) -> bool:
    return a.date == b.date and a.start < b.end and b.start < a.end


def analyse_training(problem: TrainingProblem, plan: TrainingPlan) -> TrainingAnalysis:
    """Check ``plan`` against every rule; deterministic order of violations."""
    data = problem.dataset
    policy = data.policy.training
    calendar = data.work_calendar
    who = problem.participant_by_id()
    out: list[TrainingViolation] = []

    def hard(rule: str, message: str, s: TrainingSession, people: tuple[str, ...] = ()) -> None:
        out.append(TrainingViolation(rule, True, message, people, (s.date,), (s.id,)))

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
            what = [x for x, bad in ((f"trainer {s.trainer}", trainer is None),
                                     (f"venue {s.venue}", venue is None)) if bad]
            what += [f"participant {p} (unknown, inactive or removed)" for p in unknown]
            hard("unknown_reference", f"{s.id}: " + ", ".join(what), s, tuple(unknown))
        if s.date not in problem.period:
            hard("outside_period", f"{s.id}: {s.date} is outside {problem.period}", s)
        township = venue.township if venue is not None else s.township
        if not calendar.is_working_day(s.date, township):
            reason = calendar.why_not_working(s.date, township)
            hard("working_day", f"{s.id}: {s.date} is not a working day ({reason})", s)
        if venue is not None and len(s.participants) > venue.capacity:
            hard("venue_capacity", f"{s.id}: {len(s.participants)} participants, "
                 f"{venue.name} seats {venue.capacity}", s)
        known = [who[p] for p in s.participants if p in who]
        if trainer is not None:
            if not set(s.language) <= set(trainer.languages):
                hard("language", f"{s.id}: taught in {describe_languages(s.language)}, "
                     f"trainer {trainer.name} speaks {describe_languages(trainer.languages)}",
                     s, (trainer.id,))
            if s.topic not in policy.curriculum or s.topic not in trainer.topics:
                hard("trainer_topic", f"{s.id}: trainer {trainer.name} does not teach "
                     f"{s.topic}", s, (trainer.id,))
            if not calendar.is_available(trainer.id, s.date):
                hard("trainer_available", f"{s.id}: trainer {trainer.name} is absent on "
                     f"{s.date}", s, (trainer.id,))
            if venue is not None:
                km = problem.travel.road_km(trainer.id, venue.id)
                if km > policy.max_trainer_travel_km:
                    hard("trainer_travel", f"{s.id}: {venue.name} is {km:.0f} km from trainer "
                         f"{trainer.name}'s home (limit {policy.max_trainer_travel_km:g})",
                         s, (trainer.id,))
        if not s.language:
            hard("language", f"{s.id}: no teaching language", s)
        deaf = tuple(p.id for p in known if not set(p.languages) & set(s.language))
        if deaf:
            hard("language", f"{s.id}: {len(deaf)} participants speak none of "
                 f"{describe_languages(s.language)}", s, deaf)
        if venue is not None:
            far = tuple(p.id for p in known
                        if problem.travel.road_km(p.village, venue.id)
                        > policy.max_participant_travel_km)
            if far:
                hard("participant_travel", f"{s.id}: {len(far)} participants live more than "
                     f"{policy.max_participant_travel_km:g} km from {venue.name}", s, far)
            elsewhere = tuple(p.id for p in known if p.township != venue.township)
            if elsewhere:
                out.append(TrainingViolation(
                    "other_township", False, f"{s.id}: {len(elsewhere)} participants from "
                    f"another township at {venue.name}", elsewhere, (s.date,), (s.id,)))
        if policy.cadres == "separate" and len({p.stream for p in known}) > 1:
            hard("cadres_separate", f"{s.id}: legal-savvy persons and cadres together", s)
    _pairs(out, by_trainer, "trainer_double_booked", "trainer")
    _pairs(out, by_person, "participant_double_booked", "participant")
    _pairs(out, by_venue, "venue_double_booked", "venue")
    _trainer_limits(problem, by_trainer, out)
    for pid, booked in sorted(by_person.items()):
        seen: dict[str, str] = {}
        for s in booked:
            if s.topic in seen:
                out.append(TrainingViolation(
                    "topic_repeated", True, f"{pid}: {s.topic} twice ({seen[s.topic]}, {s.id})",
                    (pid,), (s.date,), (seen[s.topic], s.id)))
            seen.setdefault(s.topic, s.id)
        earlier = set(problem.earlier.get(pid, ()))
        new = set(policy.curriculum) - earlier - set(seen)
        for s in booked:
            if s.topic in earlier and new:
                out.append(TrainingViolation(
                    "topic_had_earlier", False,
                    f"{pid}: {s.topic} again ({s.id}), already had earlier this year; "
                    f"new to them: {', '.join(sorted(new))}", (pid,), (s.date,), (s.id,)))
    _targets(problem, by_person, out)
    return TrainingAnalysis(tuple(sorted(out, key=violation_order)))


def violation_order(v: TrainingViolation) -> tuple[object, ...]:
    """Sort key of an analysis: hard first, built-in rules in check order, others by name."""
    rank = HARD_RULES.index(v.rule) if v.rule in HARD_RULES else len(HARD_RULES)
    return (not v.hard, rank, v.rule if rank == len(HARD_RULES) else "", v.days, v.sessions,
            v.people, v.message)


def _pairs(out: list[TrainingViolation], booked: dict[str, list[TrainingSession]], rule: str,
           what: str) -> None:
    for key, items in sorted(booked.items()):
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if b.date != a.date:
                    break
                if _overlap(a, b):
                    out.append(TrainingViolation(rule, True, f"{what} {key} in {a.id} and {b.id} "
                                                 f"on {a.date}", (key,), (a.date,), (a.id, b.id)))


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
                out.append(TrainingViolation(
                    "trainer_monthly_limit", True, f"trainer {trainer.name}: {len(ss)} sessions "
                    f"in {month}, at most {trainer.max_sessions_per_month}", (tid,),
                    tuple(sorted({s.date for s in ss})), tuple(s.id for s in ss)))
        for a, b in itertools.pairwise(items):
            if b.date - a.date != dt.timedelta(days=1) or a.venue == b.venue:
                continue
            if a.venue in problem.venues and b.venue in problem.venues:
                km = problem.travel.road_km(a.venue, b.venue)
                if km > limit_km:
                    out.append(TrainingViolation(
                        "trainer_travel", True, f"trainer {trainer.name}: {km:.0f} km from "
                        f"{a.venue} to {b.venue} overnight (limit {limit_km:g})", (tid,),
                        (a.date, b.date), (a.id, b.id)))


def _targets(problem: TrainingProblem, by_person: dict[str, list[TrainingSession]],
             out: list[TrainingViolation]) -> None:
    short: dict[str, list[str]] = defaultdict(list)
    for p in problem.participants:
        if len(by_person.get(p.id, ())) < problem.target:
            short[p.township].append(p.id)
    for township, people in sorted(short.items()):
        out.append(TrainingViolation(
            "session_target", True, f"{problem.township_name(township)}: {len(people)} "
            f"participants below {problem.target} sessions in {problem.period}",
            tuple(people)))
