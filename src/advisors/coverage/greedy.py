"""The built-in ``greedy`` coverage strategy: regret construction, then moves and swaps.

1. *Regret construction*: villages are taken in order of regret — how much
   more their second-best advisor with a free place costs than their best —
   so villages with one good option are served before their option fills up.
2. *Maximal coverage*: alternating paths cover every village that any
   assignment could cover (:func:`advisors.coverage.diagnose.augment`).
3. *Local improvement*: a village moves to a cheaper advisor with a free
   place, swaps advisors with another village, or moves into a full advisor
   whose village moves on to a third advisor with a free place; repeated
   (villages near a change are looked at again) until no step lowers the cost.

Pure Python, deterministic: ties are broken by village and advisor index.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections import deque
from collections.abc import Iterator

from ..assignment import Assignment
from ..hookspecs import Register, hookimpl
from .diagnose import augment
from .problem import DEFAULT_K, CoverageProblem

__all__ = ["greedy_assign", "greedy_choice"]

_EPS = 1e-9
_BIG = 1e12
_MAX_MOVES_PER_VILLAGE = 50


@hookimpl
def register_assigners(register: Register) -> None:
    """Offer the greedy strategy."""
    register("greedy", greedy_assign,
             "regret-based construction with moves and swaps (built in, pure Python)")


def greedy_assign(problem: CoverageProblem) -> Assignment:
    """Cover the villages of ``problem`` greedily."""
    choice, moves = greedy_choice(problem)
    return problem.result(choice, "greedy", (f"local improvement: {moves} moves",))


def greedy_choice(problem: CoverageProblem, k: int = DEFAULT_K) -> tuple[dict[int, int], int]:
    """Village index → advisor index for the open villages, and the improving moves made."""
    cands = _Candidates(problem, k)
    load = list(problem.pinned_load)
    cap = problem.capacity
    bw, target = problem.balance_weight, problem.target_load

    def pen(n: int) -> float:
        return bw * max(0, n - target) if bw > 0 else 0.0

    def marginal(ai: int) -> float:
        return pen(load[ai] + 1) - pen(load[ai])

    def best_two(vi: int) -> tuple[float, int, float]:
        first: tuple[float, int] | None = None
        second = _BIG
        for c, ai in cands[vi]:
            if load[ai] >= cap[ai]:
                continue
            m = c + marginal(ai)
            if first is None or (m, ai) < first:
                if first is not None:
                    second = min(second, first[0])
                first = (m, ai)
            else:
                second = min(second, m)
        if first is None:
            return _BIG, -1, _BIG
        return first[0], first[1], second

    choice: dict[int, int] = {}
    heap: list[tuple[float, float, int, int]] = []
    for vi in problem.open:
        c, ai, second = best_two(vi)
        if ai >= 0:
            heap.append((-(second - c), c, vi, ai))
    heapq.heapify(heap)
    while heap:
        _, c, vi, ai = heapq.heappop(heap)
        if load[ai] < cap[ai] and abs(c - _cost(cands[vi], ai) - marginal(ai)) < _EPS:
            choice[vi] = ai
            load[ai] += 1
            continue
        c2, a2, second = best_two(vi)
        if a2 >= 0:
            heapq.heappush(heap, (-(second - c2), c2, vi, a2))

    covered = augment(problem, choice)
    for vi, ai in covered.items():
        old = choice.get(vi)
        if old != ai:
            if old is not None:
                load[old] -= 1
            load[ai] += 1
            if all(a != ai for _, a in cands[vi]):
                cands[vi] = sorted([*cands[vi], (problem.cost(vi, ai), ai)])
    choice = covered
    served: list[set[int]] = [set() for _ in problem.advisors]
    for vi, ai in choice.items():
        served[ai].add(vi)

    def move(vi: int, src: int, dst: int) -> None:
        choice[vi] = dst
        served[src].discard(vi)
        served[dst].add(vi)
        load[src] -= 1
        load[dst] += 1

    # Worklist instead of full passes: after a move only the villages that could use
    # one of the advisors whose load changed are looked at again.
    watch: list[list[int]] = [[] for _ in problem.advisors]
    for vi in sorted(cands):
        for _, ai in cands[vi]:
            watch[ai].append(vi)
    queue = deque(sorted(choice))
    queued = set(queue)
    moves = 0
    limit = _MAX_MOVES_PER_VILLAGE * max(1, len(choice))
    while queue and moves < limit:
        vi = queue.popleft()
        queued.discard(vi)
        cur = choice[vi]
        mine = cands[vi]
        cur_c = _cost(mine, cur)
        best: tuple[float, int, int, int] | None = None  # (delta, a2, wi, a3)
        for c, a2 in mine:
            if c >= cur_c - _EPS and bw == 0:
                break
            if a2 == cur:
                continue
            gain = c - cur_c
            if load[a2] < cap[a2]:
                d = gain + pen(load[a2] + 1) - pen(load[a2])
                d += pen(load[cur] - 1) - pen(load[cur])
                if d < -_EPS and (best is None or (d, a2, -1, -1) < best):
                    best = (d, a2, -1, -1)
                continue
            for wi in sorted(served[a2]):
                theirs = cands[wi]
                w_c = _cost(theirs, a2)
                for c3, a3 in theirs:
                    if a3 == a2:
                        continue
                    if a3 != cur and load[a3] >= cap[a3]:
                        continue
                    d = gain + c3 - w_c
                    if a3 != cur:
                        d += pen(load[a3] + 1) - pen(load[a3])
                        d += pen(load[cur] - 1) - pen(load[cur])
                    if d < -_EPS and (best is None or (d, a2, wi, a3) < best):
                        best = (d, a2, wi, a3)
        if best is None:
            continue
        _, a2, wi, a3 = best
        if wi >= 0:
            move(wi, a2, a3)
        move(vi, cur, a2)
        moves += 1
        for ai in (cur, a2, a3) if wi >= 0 else (cur, a2):
            for w in watch[ai]:
                if w in choice and w not in queued:
                    queue.append(w)
                    queued.add(w)
    return choice, moves


class _Candidates:
    """Village index → its candidates as (cost, advisor) pairs, cheapest first.

    Kept in the candidate table's flat arrays (12 bytes a pair, not a Python
    tuple of objects, about 100): the pairs of a village are built when asked
    for. A list replaced by :meth:`set` is kept as given.
    """

    def __init__(self, problem: CoverageProblem, k: int) -> None:
        self.advs, self.costs, sizes = problem.candidate_table(k)
        self.open = problem.open
        # first[vi] .. first[vi + 1]: the pairs of village vi (none for pinned villages)
        n = array("q", bytes(8 * len(problem.villages)))
        for vi, size in zip(problem.open, sizes, strict=True):
            n[vi] = size
        self.first = array("q", itertools.accumulate(n, initial=0))
        self.replaced: dict[int, list[tuple[float, int]]] = {}

    def __getitem__(self, vi: int) -> list[tuple[float, int]]:
        found = self.replaced.get(vi)
        if found is not None:
            return found
        lo, hi = self.first[vi], self.first[vi + 1]
        return list(zip(self.costs[lo:hi], self.advs[lo:hi], strict=True))

    def __setitem__(self, vi: int, pairs: list[tuple[float, int]]) -> None:
        self.replaced[vi] = pairs

    def __iter__(self) -> Iterator[int]:
        return iter(self.open)


def _cost(cands: list[tuple[float, int]], ai: int) -> float:
    for c, a in cands:
        if a == ai:
            return c
    raise KeyError(ai)  # pragma: no cover - a chosen advisor is always a candidate
