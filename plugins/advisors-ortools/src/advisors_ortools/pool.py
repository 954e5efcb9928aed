"""One training pool's CP-SAT model (see :mod:`advisors_ortools.training` for what it means).

Written with :class:`~advisors_ortools.satproto.LinearModel`, so planning training never
imports ``cp_model`` (nor pandas with it); the proto is the one the planner wrote with
``cp_model`` before (``tests/test_satproto.py`` builds both and compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from advisors.model import Trainer
from advisors.training.greedy import Placer, first_topic, language_order
from advisors.training.problem import Participant, TrainingProblem

from .satproto import INT_MAX, INT_MIN, LinearModel, parameters

__all__ = [
    "NEAREST_TRAINERS",
    "REPEAT_WEIGHT",
    "SESSION_WEIGHT",
    "SUBSETS_UP_TO",
    "WALL_LIMIT_S",
    "Pool",
    "PoolModel",
    "pool_model",
    "pool_numbers",
    "solve_pool",
    "surely_infeasible",
]

SESSION_WEIGHT = 10_000
"""Cost of one more session, in trainer road km: fewer sessions first, then less travel."""
REPEAT_WEIGHT = 10
"""Cost, in trainer road km, of each pool member a trainer's topic repeats for (a topic had
earlier in the year, from the previous plans)."""
NEAREST_TRAINERS = 8
"""Trainers a pool's model may choose from, nearest first (more cost time, rarely km)."""
WALL_LIMIT_S = 10.0
"""A guard per model in wall seconds; reached only on a much slower machine."""
SUBSETS_UP_TO = 6
"""Language classes up to which :func:`surely_infeasible` tries every set of them."""

Grouped = list[tuple[Sequence[Participant], Sequence[Trainer] | None]]
"""Groups of a pool, each with the trainer chosen for it."""


@attrs.frozen
class Pool:
    """What a pool's model needs, in numbers: language classes and candidate trainers."""

    capacity: int
    """Seats of the venue (at least 1)."""
    counts: tuple[int, ...]
    """People of each language class, in class order."""
    trainers: tuple[str, ...]
    """The candidate trainers' ids, nearest first."""
    costs: tuple[int, ...]
    """Each trainer's cost per session: road km plus the weighted topic repeats."""
    speakers: tuple[tuple[int, ...], ...]
    """For each class, the trainers (indices into :attr:`trainers`) who may teach it."""
    left: tuple[int, ...]
    """Sessions each trainer may still teach in the round's window."""

    @property
    def sessions(self) -> int:
        """Candidate sessions: the fewest that seat everyone, plus one per class."""
        return -(-sum(self.counts) // self.capacity) + len(self.counts)


@attrs.frozen
class PoolModel:
    """The model and its variables' indices."""

    model: LinearModel
    use: tuple[int, ...]
    """``use[k]``: session *k* is held (held sessions first)."""
    z: tuple[tuple[int, ...], ...]
    """``z[k][t]``: trainer *t* teaches session *k* (exactly one when held)."""
    x: tuple[tuple[int, ...], ...]
    """``x[k][c]``: people of class *c* in session *k*."""


def solve_pool(problem: TrainingProblem, venue: str, pool: Sequence[Participant],
               placer: Placer, left: dict[str, int], time_limit: float) -> Grouped | None:
    """Group ``pool`` and choose its trainers; ``None`` if nobody can teach it or no
    solution was found in ``time_limit`` (deterministic time)."""
    numbers = pool_numbers(problem, venue, pool, placer, left)
    if numbers is None or surely_infeasible(numbers):
        return None  # what CP-SAT would find, without building the model
    built = pool_model(numbers)
    found = built.model.solve(parameters(time_limit, WALL_LIMIT_S))
    if not found.found:
        return None
    queues: dict[tuple[str, ...], list[Participant]] = {}
    for p in pool:
        queues.setdefault(language_order(p), []).append(p)
    classes = sorted(queues)
    trainers = {t.id: t for _, t in placer.trainers_near(venue)}
    groups: Grouped = []
    for k, held in enumerate(built.use):
        if not found.value(held):
            continue
        members: list[Participant] = []
        for ci, c in enumerate(classes):
            n = found.value(built.x[k][ci])
            members += queues[c][:n]
            queues[c] = queues[c][n:]
        if members:
            chosen = [trainers[t] for t, var in zip(numbers.trainers, built.z[k], strict=True)
                      if found.value(var)]
            groups.append((members, chosen))
    return groups


def pool_numbers(problem: TrainingProblem, venue: str, pool: Sequence[Participant],
                 placer: Placer, left: dict[str, int]) -> Pool | None:
    """What the model of ``pool`` at ``venue`` needs; ``None`` if no trainer can teach it."""
    capacity = max(1, problem.venues[venue].capacity)
    # per language class: how many, and how many have each first language
    tallies: dict[tuple[str, ...], dict[str, int]] = {}
    counts_of: dict[tuple[str, ...], int] = {}
    for p in pool:
        c = language_order(p)
        counts_of[c] = counts_of.get(c, 0) + 1
        tally = tallies.setdefault(c, {})
        if p.languages:
            tally[p.languages[0]] = tally.get(p.languages[0], 0) + 1
    classes = sorted(counts_of)
    counts = [counts_of[c] for c in classes]
    before = placer.had_earlier(pool)
    topics = placer.topics_for(pool, 0, before)
    trainers = [t for _, t in placer.trainers_near(venue)
                if left.get(t.id, 0) > 0 and any(x in t.topics for x in topics)
                and any(set(c) & set(t.languages) for c in classes)][:NEAREST_TRAINERS]
    if not trainers:
        return None
    # the first language most of each class has: with instruction "first", a class sits
    # only with a trainer speaking it when one of the candidates does
    first_only = problem.dataset.policy.training.instruction == "first"
    speakers = []
    for c in classes:
        tally = tallies[c]
        first = min(tally, key=lambda lang: (-tally[lang], lang)) if tally else ""
        speak = [i for i, t in enumerate(trainers) if set(c) & set(t.languages)]
        native = [i for i, t in enumerate(trainers) if first in t.languages]
        speakers.append(tuple(native if native and first_only else speak))
    # road km, plus how many of the pool had, earlier in the year, the topic each trainer
    # would teach them
    costs = tuple(round(problem.travel.road_km(t.id, venue))
                  + REPEAT_WEIGHT * before.get(first_topic(t, topics), 0) for t in trainers)
    return Pool(capacity, tuple(counts), tuple(t.id for t in trainers), costs,
                tuple(speakers), tuple(left[t.id] for t in trainers))


def surely_infeasible(pool: Pool) -> bool:
    """Whether no grouping seats everyone: some classes hold more people than the sessions
    left to the trainers who may teach them can seat.

    Sound — each session seats at most ``capacity`` and has one trainer, a class sits
    only with a trainer who may teach it, each trainer teaches at most ``left``
    sessions — so CP-SAT finds such a model infeasible too (a test checks it against
    the search). Checked for every set of classes (each one alone when a pool has more
    than :data:`SUBSETS_UP_TO` classes, and all together).
    """
    n = len(pool.counts)
    if n <= SUBSETS_UP_TO:
        groups = [[c for c in range(n) if mask >> c & 1] for mask in range(1, 1 << n)]
    else:
        groups = [[c] for c in range(n)] + [list(range(n))]
    for classes in groups:
        teachers = set().union(*(pool.speakers[c] for c in classes))
        seats = pool.capacity * sum(pool.left[t] for t in teachers)
        if seats < sum(pool.counts[c] for c in classes):
            return True
    return False


def pool_model(pool: Pool) -> PoolModel:
    """Seat every person of ``pool`` in held sessions, fewest first, then least cost."""
    m = LinearModel()
    n = pool.sessions
    use = [m.bool_var(f"use{k}") for k in range(n)]
    objective = [(u, SESSION_WEIGHT) for u in use]
    z: list[tuple[int, ...]] = []
    x: list[tuple[int, ...]] = []
    for k in range(n):
        if k:
            m.add(((use[k], 1), (use[k - 1], -1)), INT_MIN, 0)  # symmetry: held ones first
        zk = tuple(m.bool_var(f"z{k}_{t}") for t in pool.trainers)
        objective += zip(zk, pool.costs, strict=True)
        m.add([*((v, 1) for v in zk), (use[k], -1)], 0, 0)
        xk = []
        for c, count in enumerate(pool.counts):
            v = m.int_var(0, count, f"x{k}_{c}")
            xk.append(v)
            # a class sits only with a trainer who may teach it
            if pool.speakers[c]:
                m.add([(v, 1), *((zk[t], -count) for t in pool.speakers[c])], INT_MIN, 0)
            else:
                m.add(((v, 1),), 0, 0)
        seated = [(v, 1) for v in xk]
        m.add([*seated, (use[k], -pool.capacity)], INT_MIN, 0)
        m.add([*seated, (use[k], -1)], 0, INT_MAX)
        z.append(zk)
        x.append(tuple(xk))
    for c, count in enumerate(pool.counts):
        m.add([(xk[c], 1) for xk in x], count, count)
    for t, left in enumerate(pool.left):
        m.add([(zk[t], 1) for zk in z], INT_MIN, left)
    m.minimize(objective)
    return PoolModel(m, tuple(use), tuple(z), tuple(x))
