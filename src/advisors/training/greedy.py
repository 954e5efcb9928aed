"""The built-in training planner (``training.greedy``): fill rounds, one group at a time.

A participant needing ``target`` sessions takes part in rounds 1..target; round
*r* is planned in the *r*-th equal slice of the period (so a year's two
sessions fall one in each half), falling back to the whole period. For each
round, participants of one home venue and stream are cut into groups of at
most the venue's seats, ordered by language so that Tibetan-only people sit
together, then bilingual ones, then Chinese-only ones. Each group gets the
first day (from a per-venue offset, to spread the load) on which a trainer —
nearest first — speaks a language of every member, teaches a topic none of
them has had (in curriculum rotation from the round), is free, under their
monthly limit and within travel limits. A group nobody can teach is split by
language and tried again; what still cannot be placed is named with why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import attrs

from ..geo import Reach
from ..hookspecs import Register, hookimpl
from ..model import Trainer
from ..period import Period
from ..wording import Joined, Month, Ref, Text
from .problem import (
    Participant,
    TrainingPlan,
    TrainingProblem,
    TrainingSession,
    TrainingViolation,
    instruction_languages,
    langs_of,
    session_id,
)
from .rules import analyse_training

__all__ = [
    "GreedyTrainingPlanner",
    "Groups",
    "Ledger",
    "Placer",
    "chunk",
    "chunk_round",
    "number_sessions",
    "plan_rounds",
    "register_schedulers",
]


@attrs.define
class Ledger:
    """Bookings so far: who and what is taken on which day."""

    trainer_days: dict[str, dict[dt.date, str]] = attrs.field(factory=lambda: defaultdict(dict))
    """Trainer → day → venue."""
    trainer_month: dict[tuple[str, str], int] = attrs.field(factory=lambda: defaultdict(int))
    person_days: dict[str, set[dt.date]] = attrs.field(factory=lambda: defaultdict(set))
    person_topics: dict[str, set[str]] = attrs.field(factory=lambda: defaultdict(set))
    venue_days: dict[str, set[dt.date]] = attrs.field(factory=lambda: defaultdict(set))
    sessions: list[TrainingSession] = attrs.field(factory=list)

    def book(self, s: TrainingSession) -> None:
        """Record session ``s``."""
        self.trainer_days[s.trainer][s.date] = s.venue
        self.trainer_month[(s.trainer, f"{s.date:%Y-%m}")] += 1
        self.venue_days[s.venue].add(s.date)
        for p in s.participants:
            self.person_days[p].add(s.date)
            self.person_topics[p].add(s.topic)
        self.sessions.append(s)


def _slices(period: Period, n: int) -> list[Period]:
    days = (period.end - period.start).days + 1
    out = []
    for r in range(n):
        a = period.start + dt.timedelta(days=days * r // n)
        b = period.start + dt.timedelta(days=days * (r + 1) // n - 1)
        out.append(Period(a, max(a, b)))
    return out


def _months_text(window: Period) -> Month | Text:
    a, b = window.start, window.end
    first = Month(f"{a:%Y-%m}", f"{a:%B %Y}")
    if (a.year, a.month) == (b.year, b.month):
        return first
    return Text.of("{first}–{last}", first=first, last=Month(f"{b:%Y-%m}", f"{b:%B %Y}"))


class Placer:
    """Finds a day, trainer and topic for a group; shared by the greedy and CP-SAT planners."""

    def __init__(self, problem: TrainingProblem, ledger: Ledger) -> None:
        self.problem = problem
        self.ledger = ledger
        data = problem.dataset
        self.policy = data.policy.training
        self.calendar = data.work_calendar
        self.start, self.end = self.policy.session_start, self.policy.session_end
        self.curriculum = self.policy.curriculum
        self._days: dict[tuple[str, dt.date, dt.date], list[dt.date]] = {}
        self._near: dict[str, list[tuple[float, Trainer]]] = {}
        self._trainers = {t.id: t for t in data.trainers}
        self._speaks = {t.id: frozenset(t.languages) for t in data.trainers}
        self._months: dict[dt.date, str] = {}  # day → "YYYY-MM", the ledger's month key
        self._reach: Reach | None = None  # built on first use

    def days(self, township: str, window: Period) -> list[dt.date]:
        """Working days of ``township`` in ``window`` (cached)."""
        key = (township, window.start, window.end)
        if key not in self._days:
            self._days[key] = self.calendar.working_days(window.start, window.end, township)
        return self._days[key]

    def trainers_near(self, venue: str) -> list[tuple[float, Trainer]]:
        """Trainers within travel reach of ``venue``, nearest first (cached)."""
        if venue not in self._near:
            if self._reach is None:
                self._reach = Reach(self.problem.travel, self._trainers)
            near = self._reach.within(venue, self.policy.max_trainer_travel_km)
            self._near[venue] = [(km, self._trainers[i]) for km, i in near]
        return self._near[venue]

    def had_earlier(self, members: Sequence[Participant]) -> dict[str, int]:
        """Topic → how many of ``members`` had it earlier in the year (previous plans)."""
        before: dict[str, int] = {}
        earlier = self.problem.earlier
        for m in members:
            for t in earlier.get(m.id, ()):
                before[t] = before.get(t, 0) + 1
        return before

    def topics_for(self, members: Sequence[Participant], rotation: int,
                   before: Mapping[str, int] | None = None) -> list[str]:
        """Curriculum topics none of ``members`` has had this period: those fewest of them had
        earlier in the year first (``before``: :meth:`had_earlier`, computed when not given),
        then in rotation order from ``rotation``."""
        had: set[str] = set()
        for m in members:
            had |= self.ledger.person_topics.get(m.id, set())
        if before is None:
            before = self.had_earlier(members)
        n = len(self.curriculum)
        order = [self.curriculum[(rotation + i) % n] for i in range(n)]
        fresh = [t for t in order if t not in had]
        return sorted(fresh, key=lambda t: before.get(t, 0))  # stable: rotation breaks ties

    def _travel_ok(self, trainer: str, day: dt.date, venue: str) -> bool:
        booked = self.ledger.trainer_days.get(trainer)
        if not booked:
            return True
        limit = self.policy.max_trainer_travel_km
        for other in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
            there = booked.get(other)
            if there is not None and there != venue and \
                    self.problem.travel.road_km(there, venue) > limit:
                return False
        return True

    def place(self, members: Sequence[Participant], venue: str, window: Period, rotation: int,
              offset: int = 0, trainers: Sequence[Trainer] | None = None) -> TrainingSession | None:
        """Book the first feasible (day, trainer, topic) for ``members``; ``None`` if none."""
        township = self.problem.venues[venue].township
        needs = {frozenset(m.languages) for m in members}
        before = self.had_earlier(members)
        topics = self.topics_for(members, rotation, before)
        if not topics:
            return None
        allowed = None if trainers is None else {t.id for t in trainers}
        candidates = [t for _, t in self.trainers_near(venue)
                      if (allowed is None or t.id in allowed)
                      and all(need & self._speaks[t.id] for need in needs)
                      and any(topic in t.topics for topic in topics)]
        if not candidates:
            return None
        days = self.days(township, window)
        ids = [m.id for m in members]
        person_days = self.ledger.person_days
        # the days any member is booked, gathered once (the loop below books nothing)
        taken = set(self.ledger.venue_days.get(venue, ()))
        for p in ids:
            taken.update(person_days.get(p, ()))
        for i in range(len(days)):
            day = days[(offset + i) % len(days)]
            if day in taken:
                continue
            month = self._months.get(day) or self._months.setdefault(day, f"{day:%Y-%m}")
            free = [t for t in candidates
                    if day not in self.ledger.trainer_days.get(t.id, {})
                    and self.ledger.trainer_month.get((t.id, month), 0) < t.max_sessions_per_month
                    and self.calendar.is_available(t.id, day)
                    and self._travel_ok(t.id, day, venue)
                    and self.problem.trainer_free(t, day, venue)]
            if not free:
                continue
            # the trainer speaking most members' first language (with instruction "first"),
            # then whose best topic fewest members had earlier; then the nearest
            if len(free) == 1:
                t = free[0]
            else:
                firsts = self.first_languages(members)
                t = min(free, key=lambda t: (self.not_first(t, firsts),
                                             before.get(first_topic(t, topics), 0)))
            topic = first_topic(t, topics)
            language = tuple(lang for lang in t.languages if any(lang in need for need in needs))
            taught = (instruction_languages(t.languages, members)
                      if self.policy.instruction == "first" else _minimal(language, needs))
            session = TrainingSession("", day, self.start, self.end, venue, township, t.id,
                                      taught, topic, tuple(sorted(ids)))
            self.ledger.book(session)
            return session
        return None

    def first_languages(self, members: Sequence[Participant]) -> dict[str, int]:
        """First language → how many of ``members`` have it (none with ``fewest``)."""
        out: dict[str, int] = {}
        if self.policy.instruction == "first":
            for m in members:
                if m.languages:
                    out[m.languages[0]] = out.get(m.languages[0], 0) + 1
        return out

    def not_first(self, trainer: Trainer, firsts: Mapping[str, int]) -> int:
        """Members whose first language ``trainer`` does not speak, from their
        :meth:`first_languages` (0 with ``fewest``)."""
        return sum(n for lang, n in firsts.items() if lang not in trainer.languages)

    def why_not(self, members: Sequence[Participant], venue: str, window: Period,
                rotation: int) -> Text:
        """The sentence naming why ``members`` could not be placed."""
        township = self.problem.venues[venue].township
        needs = sorted({tuple(sorted(m.languages)) for m in members})
        mono = sorted({n[0] for n in needs if len(n) == 1})
        who: Text
        if len(mono) == 1 and len(needs) == 1:
            who = Text.of("{n} {langs} participants", n=len(members),
                          langs=langs_of(mono, only=True))
        elif mono:
            counts = Joined([Text.of("{n} {langs}", n=sum(
                1 for m in members if m.languages == (lang,)), langs=langs_of([lang], only=True))
                for lang in mono])
            who = Text.of("{n} participants ({counts})", n=len(members), counts=counts)
        else:
            who = Text.of("{n} {langs}-speaking participants", n=len(members),
                          langs=langs_of(needs[0]))
        speak = langs_of(mono) if mono else langs_of(needs[0][:1])

        def said(why: Text) -> Text:
            return Text.of("{township}: {who}, {why}", township=Ref(
                "township", township, self.problem.township_name(township)), who=who, why=why)

        needsets = {frozenset(n) for n in needs}
        speakers = [t for t in self.problem.dataset.trainers
                    if all(n & set(t.languages) for n in needsets)]
        if not speakers:
            return said(Text.of("no trainer speaks {langs}", langs=speak))
        near = {t.id for _, t in self.trainers_near(venue)}
        speakers = [t for t in speakers if t.id in near]
        if not speakers:
            return said(Text.of("no {langs}-speaking trainer within {km:g} km", langs=speak,
                                km=self.policy.max_trainer_travel_km))
        topics = self.topics_for(members, rotation)
        if not topics:
            return said(Text.of("every topic of the curriculum already taught to them this "
                                "period"))
        if not any(x in t.topics for t in speakers for x in topics):
            return said(Text.of("no {langs}-speaking trainer teaches a topic they have not had",
                                langs=speak))
        return said(Text.of("no {langs}-speaking trainer free in {months}", langs=speak,
                            months=_months_text(window)))


def _minimal(language: tuple[str, ...], needs: set[frozenset[str]]) -> tuple[str, ...]:
    # teach in as few languages as serve everyone: drop a language others already cover
    chosen = list(language)
    for lang in language:
        rest = [x for x in chosen if x != lang]
        if rest and all(need & set(rest) for need in needs):
            chosen = rest
    return tuple(chosen)


def number_sessions(sessions: Sequence[TrainingSession],
                    kept: Sequence[TrainingSession] = ()) -> list[TrainingSession]:
    """Give new sessions (empty id) ids ``training/<township>/<YYYY-MM>/<n>`` not used by kept."""
    used = {s.id for s in kept}
    counters: dict[tuple[str, str], int] = defaultdict(int)
    out = list(kept)
    for s in sorted(sessions, key=lambda s: (s.township, s.date, s.venue, s.trainer,
                                             s.participants)):
        key = (s.township, f"{s.date:%Y-%m}")
        while True:
            counters[key] += 1
            sid = session_id(s.township, s.date, counters[key])
            if sid not in used:
                break
        used.add(sid)
        out.append(attrs.evolve(s, id=sid))
    return sorted(out, key=lambda s: (s.date, s.id))


def kept_sessions(problem: TrainingProblem) -> list[TrainingSession]:
    """Sessions of the previous plan inside the period that still keep every hard rule."""
    if problem.previous is None:
        return []
    known = problem.participant_by_id()
    candidates = []
    for s in problem.previous.sessions:
        if s.date not in problem.period:
            continue
        people = tuple(p for p in s.participants if p in known)
        if people:
            candidates.append(attrs.evolve(s, participants=people))
    trial = TrainingPlan(problem.period, tuple(candidates))
    broken = {sid for v in analyse_training(problem, trial).hard
              if v.rule != "session_target" for sid in v.sessions}
    trainers = problem.dataset.trainer_by_id
    # a session whose trainer is now booked elsewhere at that time cannot stay
    return [s for s in candidates if s.id not in broken
            and (s.trainer not in trainers
                 or problem.trainer_free(trainers[s.trainer], s.date, s.venue))]


def first_topic(trainer: Trainer, topics: Sequence[str]) -> str:
    """The first of ``topics`` (in preference order) that ``trainer`` teaches."""
    return next(x for x in topics if x in trainer.topics)


def language_order(p: Participant) -> tuple[str, ...]:
    """Sort key clustering people by language: bo-only, bo+zh, zh-only (tags sorted)."""
    return tuple(sorted(p.languages))


def chunk(members: Sequence[Participant], capacity: int) -> list[list[Participant]]:
    """Cut ``members`` (in order) into the fewest groups of at most ``capacity``, sizes ±1."""
    if not members:
        return []
    k = -(-len(members) // max(1, capacity))
    n = len(members)
    return [list(members[n * i // k: n * (i + 1) // k]) for i in range(k)]


Pools = Mapping[tuple[str, str], Sequence[Participant]]
"""(venue, stream) → the participants still needing this round, in language order."""
Groups = Mapping[tuple[str, str], Sequence[tuple[Sequence[Participant], Sequence[Trainer] | None]]]
"""(venue, stream) → groups, each with the trainers to try first (``None``: nearest first)."""
RoundGrouper = Callable[[TrainingProblem, Period, Pools, "Placer"], Groups]
"""How one round's pools are cut into groups (and, optionally, who should teach them)."""


def chunk_round(problem: TrainingProblem, window: Period, pools: Pools, placer: Placer) -> Groups:
    """The greedy grouping: each pool cut by :func:`chunk`, trainers chosen at placement."""
    return {key: [(g, None) for g in chunk(pool, problem.venues[key[0]].capacity)]
            for key, pool in pools.items()}


def plan_rounds(problem: TrainingProblem, strategy: str,
                grouper: RoundGrouper = chunk_round) -> TrainingPlan:
    """Plan every round: group each round's pools with ``grouper``, then place each group."""
    kept = kept_sessions(problem)
    ledger = Ledger()
    for s in kept:
        ledger.book(s)
    placer = Placer(problem, ledger)
    have: dict[str, int] = defaultdict(int)
    for s in kept:
        for pid in s.participants:
            have[pid] += 1
    unmet: list[TrainingViolation] = []
    unreachable: dict[str, list[Participant]] = defaultdict(list)
    for p in problem.participants:
        if not p.venue and have[p.id] < problem.target:
            unreachable[p.village].append(p)
    limit = problem.dataset.policy.training.max_participant_travel_km
    for village, people in sorted(unreachable.items()):
        name = problem.dataset.village_by_id[village].name
        text = Text.of(
            "{township} {village}: {n} participants, nearest venue {km:.0f} km away (limit "
            "{limit:g})", township=Ref("township", people[0].township,
                                       problem.township_name(people[0].township)),
            village=Ref("village", village, name), n=len(people), km=people[0].venue_km,
            limit=limit)
        unmet.append(TrainingViolation("participant_travel", True, str(text),
                                       tuple(p.id for p in people), text=text))
    pools: dict[tuple[str, str], list[Participant]] = defaultdict(list)
    for p in problem.participants:
        if p.venue:
            pools[(p.venue, p.stream)].append(p)
    venue_index = {v: i for i, v in enumerate(sorted(problem.venues))}
    windows = _slices(problem.period, max(1, problem.target))
    township_index = {t: i for i, t in enumerate(sorted(problem.venues_of_township))}
    for r, window in enumerate(windows, start=1):
        round_pools = {}
        for key, members in sorted(pools.items()):
            pool = sorted((m for m in members if have[m.id] < r), key=lambda m: (
                language_order(m), m.village, m.id))
            if pool:
                round_pools[key] = pool
        grouped = grouper(problem, window, round_pools, placer)
        for (venue, stream) in sorted(grouped):
            rotation = township_index.get(problem.venues[venue].township, 0) + r - 1
            # spread venues over the window so trainers' monthly limits are not hit at once
            span = len(placer.days(problem.venues[venue].township, window)) or 1
            base = venue_index[venue] * span // len(venue_index)
            for g, (group, preferred) in enumerate(grouped[(venue, stream)]):
                offset = base + g * 2
                tries: list[tuple[Sequence[Trainer] | None, Period]] = []
                if preferred:
                    tries += [(preferred, window), (preferred, problem.period)]
                tries += [(None, window), (None, problem.period)]
                if not any(placer.place(group, venue, w, rotation, offset, trainers=t)
                           for t, w in tries):
                    _split_and_place(placer, list(group), venue, window, problem.period,
                                     rotation, offset, unmet)
    sessions = number_sessions([s for s in ledger.sessions if not s.id], kept)
    return TrainingPlan(problem.period, tuple(sessions), strategy, problem.target,
                        tuple(unmet))


def _split_and_place(placer: Placer, group: list[Participant], venue: str, window: Period,
                     period: Period, rotation: int, offset: int,
                     unmet: list[TrainingViolation]) -> None:
    # nobody could teach the whole group: one group per single language, and the
    # multilingual members apart, so that those who can be taught are
    by_lang: dict[str, list[Participant]] = defaultdict(list)
    flex: list[Participant] = []
    for m in group:
        (by_lang[m.languages[0]] if len(m.languages) == 1 else flex).append(m)
    parts = [by_lang[lang] for lang in sorted(by_lang)] + ([flex] if flex else [])
    for part in parts:
        if len(parts) > 1 and (placer.place(part, venue, window, rotation, offset) or
                               placer.place(part, venue, period, rotation, offset)):
            continue
        why = placer.why_not(part, venue, window, rotation)
        unmet.append(TrainingViolation(
            "session_target", True, str(why), tuple(sorted(m.id for m in part)),
            (window.start, window.end), text=why))


class GreedyTrainingPlanner:
    """Greedy round-by-round planner: fast, deterministic, no solver."""

    kind = "training"
    """Which problem this scheduler solves."""

    def __call__(self, problem: TrainingProblem) -> TrainingPlan:
        """Plan ``problem``'s sessions."""
        return plan_rounds(problem, "training.greedy")


@hookimpl
def register_schedulers(register: Register) -> None:
    """Offer the greedy training planner."""
    register("training.greedy", GreedyTrainingPlanner(),
             "training sessions round by round, nearest free trainer first")
