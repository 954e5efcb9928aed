"""Optimality over every eligible pair: dual potentials, and the pairs outside the graph priced.

``optimal`` solves on a candidate graph (the ``k`` cheapest eligible
advisors of each village). Its flow is a maximum flow of least cost *on that
graph*; whether it is also one on the graph of every eligible pair (every
advisor within ``max_travel_km`` who speaks the village's languages) is
decided by linear-programming duality:

* the residual graph of the flow has no negative cycle (it is optimal on its
  graph), so shortest distances ``d`` from a virtual root exist
  (Bellman–Ford, :func:`potentials`), and every residual arc ``u → v`` has
  a reduced cost ``cost + d[u] - d[v] >= 0``;
* a pair ``(v, a)`` outside the graph carries no flow, so it would add the
  residual arc ``v → a``; if ``cost + d[v] - d[a] >= 0`` for every such
  pair, the potentials prove the flow optimal over all of them too (no
  negative cycle can use an added arc); the pairs that price negative are
  added to the graph and the graph solved again, until none does
  (:func:`negative_pairs`).

Outside pairs cost at least the village's ``k``-th candidate, so a village
whose potentials leave no room below that cost (``kth >= max(d[a]) - d[v]``)
is proven without looking at its pairs; the others are searched by the same
grid search that built the graph (``CoverageProblem.candidates``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from advisors.coverage.grid import SLACK
from advisors.coverage.problem import CoverageProblem
from advisors.geo import EARTH_RADIUS_KM

__all__ = ["PairCache", "eligible_pairs", "negative_pairs", "potentials"]

SCALE = 1000
"""Same integer costs as the flow solvers: km × SCALE (metres)."""
_CHUNK = 20_000  # villages per batch of the pair count
_TOL = 1e-7  # relative distance to the travel limit below which a pair is checked exactly


def potentials(offsets: Any, advs: Any, costs: Any, chosen_adv: Any, free: Any, cheap: Any,
               dear: int, prices: Any = None) -> tuple[Any, Any]:
    """Shortest distances of villages and advisors in the residual graph of a flow.

    ``offsets``/``advs``/``costs`` is the graph (village position → arcs),
    ``chosen_adv`` the advisor of each village position (-1: uncovered),
    ``free``/``cheap``/``dear`` the places as the solvers see them. Raises
    :class:`RuntimeError` when the residual graph has a negative cycle, i.e.
    the flow is not optimal on its own graph.

    ``prices`` (the advisors' prices of the augmenting-path solver) give a
    start close to the answer, so the relaxation settles in a few passes; any
    start gives valid potentials.
    """
    n = len(offsets) - 1
    n_a = len(free)
    counts = np.diff(offsets)
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    advs = np.asarray(advs, np.int64)
    costs = np.asarray(costs, np.int64)
    taken = advs == chosen_adv[owner]
    source, sink = n + n_a, n + n_a + 1
    load = np.bincount(chosen_adv[chosen_adv >= 0], minlength=n_a)
    on_cheap = np.minimum(load, cheap)
    on_dear = load - on_cheap
    a_nodes = np.arange(n, n + n_a, dtype=np.int64)
    covered = chosen_adv >= 0
    villages = np.arange(n, dtype=np.int64)
    parts = [
        # pairs: unused v → a at +cost, used a → v at -cost
        (np.where(taken, n + advs, owner), np.where(taken, owner, n + advs),
         np.where(taken, -costs, costs)),
        # source: S → v while v is uncovered, v → S once covered
        (np.where(covered, villages, source), np.where(covered, source, villages),
         np.zeros(n, np.int64)),
        # cheap places: a → T while one is left, T → a once one is used
        (a_nodes[on_cheap < cheap], np.full(int((on_cheap < cheap).sum()), sink), 0),
        (np.full(int((on_cheap > 0).sum()), sink), a_nodes[on_cheap > 0], 0),
        # dear places (load balancing): the same at +dear / -dear
        (a_nodes[on_dear < free - cheap], np.full(int((on_dear < free - cheap).sum()), sink),
         dear),
        (np.full(int((on_dear > 0).sum()), sink), a_nodes[on_dear > 0], -dear),
    ]
    tail = np.concatenate([np.asarray(t, np.int64) for t, _, _ in parts])
    head = np.concatenate([np.asarray(h, np.int64) for _, h, _ in parts])
    cost = np.concatenate([np.broadcast_to(np.asarray(c, np.int64), np.shape(t))
                           for t, _, c in parts])
    dist = np.zeros(n + n_a + 2, np.int64)
    if prices is not None:
        dist[n:n + n_a] = -np.asarray(prices, np.int64)
        # a village: what it pays (placed) or the least it could pay (not placed)
        paid = np.full(n, np.iinfo(np.int64).max // 4, np.int64)
        np.minimum.at(paid, owner, costs + np.asarray(prices, np.int64)[advs])
        paid[covered] = (costs - dist[n + advs])[taken]  # arcs come in village order
        dist[:n] = -paid
        dist[source] = dist[:n][covered].min(initial=0)
        dist[sink] = dist[n:n + n_a][on_cheap < cheap].min(initial=0)
    for _ in range(n + n_a + 3):
        reach = dist[tail] + cost
        better = reach < dist[head]
        if not better.any():
            return dist[:n], dist[n:n + n_a]
        np.minimum.at(dist, head[better], reach[better])
    raise RuntimeError("the flow is not optimal on its graph (a negative cycle remains)")


class PairCache:
    """The eligible pairs of the villages searched so far, kept for the next rounds.

    Between the certificate's rounds only the potentials change, and mostly the
    same villages are in doubt: their pairs (position, advisor, approximate
    cost in metres) are kept, up to :attr:`cap` pairs, instead of being found
    by the grid search again. A position is marked seen only once all its
    pairs are kept.
    """

    cap = 20_000_000

    def __init__(self, villages: int) -> None:
        self.seen = np.zeros(villages, np.bool_)
        self.full = False
        self._parts: list[tuple[Any, Any, Any]] = []
        self._size = 0

    def keep(self, pos: Any, adv: Any, cost: Any) -> None:
        """Keep some pairs (while there is room)."""
        self._size += len(pos)
        self.full = self.full or self._size > self.cap
        if not self.full:
            self._parts.append((pos, adv, cost))

    def seal(self, positions: Any) -> None:
        """Mark ``positions`` seen, unless the room ran out while their pairs were kept."""
        if not self.full:
            self.seen[positions] = True
        if len(self._parts) > 1:
            pos, adv, cost = (np.concatenate(x) for x in zip(*self._parts, strict=True))
            self._parts = [(pos, adv, cost)]

    def pairs(self, positions: Any) -> tuple[Any, Any, Any]:
        """The kept pairs of ``positions`` (all seen)."""
        if not self._parts:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.float64)
        pos, adv, cost = self._parts[0]
        want = np.zeros(len(self.seen), np.bool_)
        want[positions] = True
        pick = want[pos]
        return pos[pick], adv[pick], cost[pick]


def negative_pairs(problem: CoverageProblem, open_: Any, offsets: Any, advs: Any,
                   costs: Any, exhaustive: Any, d_village: Any, d_advisor: Any,
                   k: int, cache: PairCache | None = None,
                   ) -> tuple[dict[int, list[tuple[int, int]]], int]:
    """Pairs outside the graph whose reduced cost ``cost + d[v] - d[a]`` is negative.

    Returns village position → ``[(advisor, cost in metres), ...]`` of those
    pairs, and how many villages had to be searched (the others are proven
    by the bound). ``exhaustive`` marks positions whose list already holds
    every eligible advisor. ``cache`` keeps the pairs found by the
    vectorised search for the next call (same problem, other potentials).
    """
    counts = np.diff(offsets)
    top = int(d_advisor.max(initial=0))
    # The k-th cheapest candidate of each list (lists are ordered by cost); an outside
    # pair costs at least that much.
    has_k = (counts >= k) & ~exhaustive
    kth = np.full(len(counts), np.iinfo(np.int64).max, np.int64)
    kth[has_k] = np.asarray(costs, np.int64)[offsets[:-1][has_k] + k - 1]
    doubtful = np.flatnonzero(has_k & (kth < top - d_village))
    if problem.vectorise and not problem._slow():
        return _price_vectorised(problem, open_, offsets, advs, doubtful, d_village,
                                 d_advisor, cache), len(doubtful)
    found: dict[int, list[tuple[int, int]]] = {}
    for p in doubtful.tolist():
        inside = set(np.asarray(advs[offsets[p]:offsets[p + 1]]).tolist())
        dv = int(d_village[p])
        neg = [(ai, c) for ai, c in ((ai, round(c * SCALE))
                                      for c, ai, _ in problem.candidates(int(open_[p]), None)[0])
               if ai not in inside and c + dv - int(d_advisor[ai]) < 0]
        if neg:
            found[p] = neg
    return found, len(doubtful)


def _price_vectorised(problem: CoverageProblem, open_: Any, offsets: Any, advs: Any,
                      doubtful: Any, d_village: Any, d_advisor: Any,
                      cache: PairCache | None) -> dict[int, list[tuple[int, int]]]:
    """:func:`negative_pairs` of the ``doubtful`` positions, searched in numpy.

    Reduced costs are first taken from approximate distances; a pair within a
    metre of pricing negative is priced again from its exact cost
    (``CoverageProblem.cost``), so the answer is the Python search's.
    """
    vec = problem._vector()
    n_a = len(problem.advisors)
    open_ = np.asarray(open_, np.int64)
    sizes = offsets[doubtful + 1] - offsets[doubtful]
    idx = np.repeat(offsets[doubtful] - (np.cumsum(sizes) - sizes), sizes) + np.arange(
        int(sizes.sum()), dtype=np.int64)
    inside = np.sort(np.repeat(doubtful, sizes) * n_a + np.asarray(advs, np.int64)[idx])
    found: dict[int, list[tuple[int, int]]] = {}

    def collect(pos: Any, adv: Any, cost: Any) -> None:
        near = cost + d_village[pos] - d_advisor[adv] < 1.0
        key = pos * n_a + adv
        at = np.searchsorted(inside, key)
        at[at == len(inside)] = 0
        near &= inside[at] != key if len(inside) else near
        for p, ai in zip(pos[near].tolist(), adv[near].tolist(), strict=True):
            v = int(open_[p])
            if problem.why_not(v, ai) is not None:
                continue
            c = round(problem.cost(v, ai) * SCALE)
            if c + int(d_village[p]) - int(d_advisor[ai]) < 0:
                found.setdefault(p, []).append((ai, c))

    fresh = doubtful
    if cache is not None:
        known = cache.seen[doubtful]
        collect(*cache.pairs(doubtful[known]))
        fresh = doubtful[~known]
    for q, adv, km in _pairs(problem, open_[fresh]):
        pos = fresh[q]
        cost = vec._costs(open_[pos], adv, km) * SCALE
        if cache is not None:
            cache.keep(pos, adv, cost)
        collect(pos, adv, cost)
    if cache is not None:
        cache.seal(fresh)
    return {p: sorted(pairs, key=lambda x: (x[1], x[0])) for p, pairs in sorted(found.items())}


def _pairs(problem: CoverageProblem, villages: Any) -> Any:
    """(row in ``villages``, advisor, approximate road km) of the pairs that speak and lie
    within the travel limit (and a hair beyond), ring by ring, in batches."""
    vec = problem._vector()
    vec.prepare()
    rings = vec.rings
    max_km, factor = problem.max_km, problem.road_factor
    for lo in range(0, len(villages), _CHUNK):
        vi = villages[lo:lo + _CHUNK]
        centres = rings.keys(vec.vlat[vi], vec.vlon[vi])
        r = 0
        while True:
            owner, adv = rings.ring_pairs(centres, r)
            q = vi[owner]
            talk = vec.speaks[vec.vlang[q], vec.alang[adv]]
            owner, q, adv = owner[talk], q[talk], adv[talk]
            h = np.sin((vec.vrad[q] - vec.arad[adv]) / 2) ** 2 + vec.acos[adv] * vec.vcos[q] * \
                np.sin(np.radians(vec.vlon[q] - vec.alon[adv]) / 2) ** 2
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0))) * factor
            keep = km <= max_km + _TOL * max(1.0, max_km)
            yield owner[keep] + lo, adv[keep], km[keep]
            if r * rings.cell_km * SLACK > problem.reach_gc_km:
                break
            r += 1


def eligible_pairs(problem: CoverageProblem) -> int:
    """How many (open village, advisor) pairs are eligible, by the same grid search.

    Vectorised over the grid rings when the problem's searches are (the pairs
    within a hair of the travel limit are settled exactly as the Python search
    settles them); village by village otherwise.
    """
    if not problem.vectorise or problem._slow():
        return sum(len(problem.candidates(vi, None)[0]) for vi in problem.open)
    vec = problem._vector()
    max_km = problem.max_km
    total = 0
    villages = np.asarray(problem.open, np.int64)
    for q, adv, km in _pairs(problem, villages):
        near = np.abs(km - max_km) <= _TOL * max(1.0, max_km)
        total += int((km[~near] <= max_km).sum())
        if near.any():  # a hair from the limit: exactly as CoverageProblem.road_km
            exact = vec.road_km(villages[q[near]].tolist(), adv[near].tolist())
            total += sum(k <= max_km for k in exact)
    return total
