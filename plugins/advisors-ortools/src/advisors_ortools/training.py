"""CP-SAT training planner (``training.cpsat``): fewest sessions, then least trainer travel.

Round by round (as the greedy planner), each pool — the participants of one
home venue and stream still needing this round — gets a small model. People
are counted by language class (their set of languages), so the models stay
small at any scale:

- ``use[k]`` says candidate session *k* is held, ``z[k,t]`` that trainer *t*
  (one of the nearest who can teach the pool) teaches it — exactly one when
  held; ``x[k,c]`` how many people of language class *c* attend it;
- every person of the pool is in one session, within the venue's seats;
- a class may sit in a session only if its trainer speaks one of its
  languages (so Tibetan-only people get a Tibetan speaker, and a session
  mixing Tibetan-only and Chinese-only people a bilingual one) — with
  ``[training] instruction = "first"``, only a trainer speaking the class's
  first language when a candidate does (bilingual Tibetans are not taught in
  Chinese alone);
- a trainer teaches at most the monthly capacity left in the round's window
  after the pools solved before (pools are solved in id order);
- objective: ``10 000 × sessions + road km from the trainers' homes``, plus
  ``10 ×`` the pool members who had the trainer's topic earlier in the year
  (from the previous plans), so that plans made month by month rotate topics.

Each model is solved with one worker, a fixed seed and a limit in
deterministic time, so the plan is reproducible. Days and topics are then
placed as the greedy planner does, trying the chosen trainer first; what
cannot be placed is split by language and, failing that, reported with its
reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisors.hookspecs import Register
from advisors.model import Trainer
from advisors.period import Period
from advisors.training.greedy import (
    Groups,
    Placer,
    Pools,
    chunk,
    plan_rounds,
)
from advisors.training.problem import Participant, TrainingPlan, TrainingProblem
from advisors.training.rules import analyse_training

DETERMINISTIC_LIMIT = 5.0
"""Limit of one pool's model in CP-SAT's *deterministic* time units (not wall seconds), so
that what is found by the limit is the same on every run and machine; the small pool
models are usually solved to optimality long before."""


class CpSatTrainingPlanner:
    """CP-SAT grouping and trainer choice, greedy day placement."""

    kind = "training"
    """Which problem this scheduler solves."""

    def __init__(self, time_limit: float = DETERMINISTIC_LIMIT) -> None:
        self.time_limit = time_limit

    def __call__(self, problem: TrainingProblem) -> TrainingPlan:
        """Plan ``problem``'s sessions."""
        def grouper(problem: TrainingProblem, window: Period, pools: Pools,
                    placer: Placer) -> Groups:
            return solve_round(problem, window, pools, placer, self.time_limit)

        plan = plan_rounds(problem, "training.cpsat", grouper)
        rank = _rank(problem, plan)
        # never worse than the greedy plan its pools start from: keep that one, and say so
        start = plan_rounds(problem, "training.cpsat (greedy start kept)")
        if len(short_of_target(problem, start)) > rank[0]:
            return plan  # the start leaves more people short: it cannot rank better
        return start if _rank(problem, start) < rank else plan


def _rank(problem: TrainingProblem, plan: TrainingPlan) -> tuple[int, int, int]:
    """(people in hard violations, hard violations, sessions): the smaller, the better.

    Everyone short of the target is in a hard violation (``session_target``), so
    :func:`short_of_target` never counts more than the first figure."""
    hard = analyse_training(problem, plan).hard
    return (sum(len(v.people) for v in hard), len(hard), len(plan.sessions))


def short_of_target(problem: TrainingProblem, plan: TrainingPlan) -> list[str]:
    """The participants ``plan`` gives fewer sessions than the target, without analysing it."""
    booked: dict[str, int] = {}
    for s in plan.sessions:
        for p in s.participants:
            booked[p] = booked.get(p, 0) + 1
    return [p.id for p in problem.participants if booked.get(p.id, 0) < problem.target]


def _capacity_left(placer: Placer, trainer: Trainer, window: Period) -> int:
    total = 0
    for month in window.months():
        used = placer.ledger.trainer_month.get((trainer.id, month.label), 0)
        total += max(0, trainer.max_sessions_per_month - used)
    return total


def solve_round(problem: TrainingProblem, window: Period, pools: Pools, placer: Placer,
                time_limit: float) -> Groups:
    """Group each pool of a round and choose its trainers, one small CP-SAT model a pool.

    Pools are solved in id order; each model sees the trainers' monthly
    capacity left in the window after the pools before it.
    """
    from .pool import solve_pool  # OR-Tools is imported when a round is planned, not before

    left = {t.id: _capacity_left(placer, t, window) for t in problem.dataset.trainers}
    out: dict[tuple[str, str], list[tuple[Sequence[Participant], Sequence[Trainer] | None]]] = {}
    for key in sorted(pools):
        pool = pools[key]
        groups = solve_pool(problem, key[0], pool, placer, left, time_limit)
        if groups is None:  # nobody can teach them, or no solution: the greedy grouping
            groups = [(g, None) for g in chunk(pool, problem.venues[key[0]].capacity)]
        for _, chosen in groups:
            for t in chosen or ():
                left[t.id] -= 1
        out[key] = groups
    return out


def register(register: Register) -> None:
    """Offer the CP-SAT training planner."""
    register("training.cpsat", CpSatTrainingPlanner(),
             "training sessions: CP-SAT fewest sessions and least trainer travel (OR-Tools)")
