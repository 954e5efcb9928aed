"""Pairs added to a solved :class:`~advisors_ortools.augment.Augmenter`, solved again warm.

The certificate (:mod:`advisors_ortools.certificate`) adds the pairs outside
the candidate graph that price negative; solving the larger graph from
scratch cost about 2 s a time at national scale. Here the solver keeps its
places and prices instead:

1. The new arcs join each village's list (in cost order, as a fresh graph
   has them), the placed arcs are renumbered; the new arcs are *pending*:
   not yet part of the residual graph.
2. While a pending arc prices negative (``cost + price`` below what its
   village pays), its village is *released*: its unit of flow is taken
   back along the cheapest way to do so, a shortest path from the sink
   to the village in the residual graph without the pending arcs, found by
   a Dijkstra search run backwards from the village's advisor
   (:func:`_release`). That graph has no arc of negative reduced cost (the
   old graph's flow was optimal under these prices, and every earlier
   release kept it so), so the search is exact and the flow stays of least
   cost for the villages still placed.
3. Now every pending arc of a placed village prices non-negative, so every
   residual arc of the whole new graph has a non-negative reduced cost —
   the condition under which :mod:`advisors_ortools.augment` adds
   villages — and the released villages are added again by the same
   searches, each starting from the least ``cost + price`` over all its
   arcs, old and new.

Releasing needs every village with arcs placed (with an uncovered village a
hole could also be filled by it, which the backward search does not
consider); otherwise :func:`extend` answers ``None`` and the caller solves
from scratch. :func:`potentials` reads the dual potentials off the prices
and checks them on every residual arc.

Price update of a release, with ``δ(x)`` the backward distance from ``x`` to
the village's advisor and ``D`` the distance from the sink: every advisor
settled with ``δ < D`` lowers its price by ``D - δ`` (the mirror of the
forward search, which raises them). That keeps every reduced cost
non-negative (``δ(x) <= reduced(x → y) + δ(y)`` on every arc), makes the
path's arcs tight, and leaves each settled advisor's price at least the
extra cost of its last used place (``D`` is the least over them), so the
sink's potential stays 0 as the forward search assumes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit

from .augment import _INF, Augmenter, _grow, _pop, _push, _run, solve

__all__ = ["extend", "potentials", "warm_up"]


def warm_up() -> None:
    """Load the compiled functions (or compile them) on a two-village problem.

    Both villages sit with advisor 0; a free pair to advisor 1 releases one.
    """
    one = np.ones(2, np.int64)
    free = np.asarray([2, 1], np.int64)
    aug = solve(np.arange(3, dtype=np.int64), np.zeros(2, np.int64), 2 * one, free, free, 0)
    if extend(aug, {0: [(1, 0)]}) is None or potentials(aug) is None:  # pragma: no cover
        raise RuntimeError("the warm re-solve failed on its warm-up problem")


def extend(aug: Augmenter, pairs: Mapping[int, list[tuple[int, int]]]) -> Augmenter | None:
    """``aug`` with ``pairs`` (village → ``[(advisor, cost), ...]``) added, solved again.

    Returns ``None`` (nothing changed) when some village with arcs is not
    placed: then the graph must be solved from scratch.
    """
    n = aug.added
    if n != len(aug.offsets) - 1:
        raise ValueError("every village must be added before pairs are")
    counts = np.diff(aug.offsets)
    state = aug._state
    chosen = state[4]
    if np.any(chosen[counts > 0] < 0):
        return None
    positions = np.asarray(sorted(pairs), np.int64)
    sizes = np.asarray([len(pairs[p]) for p in positions.tolist()], np.int64)
    new_adv = np.asarray([a for p in positions.tolist() for a, _ in pairs[p]], np.int64)
    new_cost = np.asarray([c for p in positions.tolist() for _, c in pairs[p]], np.int64)
    if len(new_cost) and (int(new_cost.min()) < 0
                          or int(new_cost.max()) * n >= (1 << 52)):
        raise ValueError("arc costs must be non-negative and small enough for the solver")
    m = int(aug.offsets[-1])
    offsets, advisor, cost, pending, chosen_new = _merge(
        aug.offsets, aug.advisor[:m], aug.cost[:m], chosen, positions,
        np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64), new_adv, new_cost)
    aug.offsets, aug.advisor, aug.cost = offsets, advisor, cost
    chosen[:] = chosen_new
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    into, by_adv = _by_advisor(advisor, len(aug.free))
    released = np.empty(n, np.int64)
    count = _release(offsets, advisor, cost, owner, pending, np.flatnonzero(pending),
                     into, by_adv, aug.cheap,
                     np.int64(aug.dear), aug._first, released, *state)
    if count < 0:  # pragma: no cover - the prices were not optimal (a solver bug)
        raise RuntimeError("a residual arc priced negative before a release")
    # the released villages (all got new arcs), and those that had no arc before, are added
    _run(offsets, advisor, cost, aug.free, aug.cheap, np.int64(aug.dear), aug._first,
         positions[chosen[positions] < 0], n, aug._work, *state)
    return aug


def potentials(aug: Augmenter) -> tuple[Any, Any] | None:
    """Dual potentials (villages, advisors) read off the prices, or ``None`` if invalid.

    Advisors get ``-price``, a placed village minus what it pays, an
    unplaced one minus the least it could pay; the sink 0, the source the
    least of the placed villages. They are returned only when every residual
    arc (pairs, source, sink, as in :func:`advisors_ortools.certificate.potentials`)
    has a non-negative reduced cost under them.
    """
    n = aug.added
    m = int(aug.offsets[n])
    d_village = np.empty(n, np.int64)
    ok = _check(aug.offsets[:n + 1], aug.advisor[:m], aug.cost[:m], aug.free, aug.cheap,
                np.int64(aug.dear), aug._state[0], aug._state[1], aug._state[4][:n],
                d_village)
    return (d_village, -aug._state[0]) if ok else None


@njit(cache=True)
def _merge(offsets: Any, advisor: Any, cost: Any, chosen: Any, positions: Any, new_off: Any,
           new_adv: Any, new_cost: Any) -> tuple[Any, Any, Any, Any, Any]:  # pragma: no cover
    """Arc arrays with the new arcs joined to their villages, each list in (cost, advisor)
    order; which arcs are new; each village's chosen arc renumbered."""
    n = len(offsets) - 1
    m = len(advisor) + len(new_adv)
    out_off = np.zeros(n + 1, np.int64)
    out_adv = np.empty(m, np.int64)
    out_cost = np.empty(m, np.int64)
    pending = np.zeros(m, np.bool_)
    out_chosen = np.full(n, -1, np.int64)
    at = 0
    i = 0
    for v in range(n):
        lo = at
        for e in range(offsets[v], offsets[v + 1]):
            out_adv[at] = advisor[e]
            out_cost[at] = cost[e]
            at += 1
        if i < len(positions) and positions[i] == v:
            for e in range(new_off[i], new_off[i + 1]):
                out_adv[at] = new_adv[e]
                out_cost[at] = new_cost[e]
                pending[at] = True
                at += 1
            i += 1
            for x in range(lo + 1, at):  # insertion sort, stable, by (cost, advisor)
                a, c, p = out_adv[x], out_cost[x], pending[x]
                y = x - 1
                while y >= lo and (out_cost[y] > c or (out_cost[y] == c and out_adv[y] > a)):
                    out_adv[y + 1] = out_adv[y]
                    out_cost[y + 1] = out_cost[y]
                    pending[y + 1] = pending[y]
                    y -= 1
                out_adv[y + 1] = a
                out_cost[y + 1] = c
                pending[y + 1] = p
        out_off[v + 1] = at
        if chosen[v] >= 0:
            a = advisor[chosen[v]]
            for e in range(lo, at):
                if out_adv[e] == a and not pending[e]:
                    out_chosen[v] = e
                    break
    return out_off, out_adv, out_cost, pending, out_chosen


@njit(cache=True)
def _by_advisor(advisor: Any, n_a: int) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """The arcs grouped by advisor (in arc order within each): offsets and arc numbers."""
    into = np.zeros(n_a + 1, np.int64)
    for e in range(len(advisor)):
        into[advisor[e] + 1] += 1
    for a in range(n_a):
        into[a + 1] += into[a]
    fill = into[:-1].copy()
    arcs = np.empty(len(advisor), np.int64)
    for e in range(len(advisor)):
        arcs[fill[advisor[e]]] = e
        fill[advisor[e]] += 1
    return into, arcs


@njit(cache=True)
def _check(offsets: Any, advisor: Any, cost: Any, free: Any, cheap: Any, dear: Any,
           price: Any, load: Any, chosen: Any, d_village: Any) -> bool:  # pragma: no cover
    """Fill ``d_village``; whether every residual arc's reduced cost is non-negative."""
    n = len(offsets) - 1
    top_placed = _INF  # the source's potential: the least placed village's
    low_free = -_INF  # no unplaced village may sit above it
    for v in range(n):
        lo, hi = offsets[v], offsets[v + 1]
        if chosen[v] >= 0:
            paid = cost[chosen[v]] + price[advisor[chosen[v]]]
        elif lo == hi:
            continue  # no arc: set below, level with the source
        else:
            paid = _INF
            for e in range(lo, hi):
                paid = min(paid, cost[e] + price[advisor[e]])
        for e in range(lo, hi):
            if e != chosen[v] and cost[e] + price[advisor[e]] - paid < 0:
                return False
        d_village[v] = -paid
        if chosen[v] >= 0:
            top_placed = min(top_placed, -paid)
        else:
            low_free = max(low_free, -paid)
    if low_free > top_placed:
        return False
    source = top_placed if top_placed < _INF else max(low_free, 0)
    for v in range(n):
        if offsets[v] == offsets[v + 1]:
            d_village[v] = source
    for a in range(len(free)):
        used_cheap = min(load[a], cheap[a])
        used_dear = load[a] - used_cheap
        # the sink at 0: a place left costs its extra minus the price, a used one the reverse
        if used_cheap < cheap[a] and price[a] > 0:
            return False
        if used_cheap > 0 and price[a] < 0:
            return False
        if used_dear < free[a] - cheap[a] and price[a] > dear:
            return False
        if used_dear > 0 and price[a] < dear:
            return False
    return True


@njit(cache=True)
def _release(offsets: Any, advisor: Any, cost: Any, owner: Any, pending: Any, waiting: Any,
             into: Any, by_adv: Any, cheap: Any, dear: Any, first: Any, released: Any,
             price: Any, load: Any, slots: Any, slot_of: Any, chosen: Any, label: Any,
             settled: Any, via_arc: Any, via_adv: Any, touched: Any,
             done: Any) -> int:  # pragma: no cover - compiled
    """Release villages until no pending arc of a placed village prices negative.

    Returns how many were released (in ``released``), or -1 when a residual arc
    was found negative (the prices were not optimal: never with a correct solver).
    """
    # The heap push (label, grow, sift up) is written out as in augment.py's search, for
    # the reason given there: a helper returning the heap arrays measured slower.
    keys = np.empty(1 << 12, np.int64)
    nodes = np.empty(1 << 12, np.int64)
    count = 0
    while True:
        v = -1
        for i in range(len(waiting)):
            e = waiting[i]
            w = owner[e]
            c = chosen[w]
            if c >= 0 and cost[e] + price[advisor[e]] < cost[c] + price[advisor[c]]:
                v = w
                break
        if v < 0:
            return count
        home = advisor[chosen[v]]
        label[home] = 0
        touched[0] = home
        n_touched = 1
        n_done = 0
        _push(keys, nodes, 0, 0, home)
        size = 1
        best = _INF  # distance from the sink, through the best advisor's last used place
        best_adv = -1
        while size > 0:
            d = keys[0]
            y = nodes[0]
            if d >= best:
                break
            _pop(keys, nodes, size)
            size -= 1
            if settled[y] or d > label[y]:
                continue
            settled[y] = True
            done[n_done] = y
            n_done += 1
            if load[y] > 0:
                t = d + price[y] - (dear if load[y] > cheap[y] else 0)
                if t < d:
                    return -1
                if t < best:
                    best = t
                    best_adv = y
            py = price[y]
            for r in range(into[y], into[y + 1]):
                e = by_adv[r]
                w = owner[e]
                c = chosen[w]
                if w == v or pending[e] or c < 0 or c == e:
                    continue
                x = advisor[c]
                if settled[x]:
                    continue
                red = cost[e] + py - cost[c] - price[x]
                if red < 0:
                    return -1
                nd = d + red
                if nd < label[x]:
                    if label[x] == _INF:
                        touched[n_touched] = x
                        n_touched += 1
                    label[x] = nd
                    via_arc[x] = e
                    via_adv[x] = y
                    if size == len(keys):
                        keys, nodes = _grow(keys, nodes)
                    _push(keys, nodes, size, nd, x)
                    size += 1
        for i in range(n_done):
            y = done[i]
            if label[y] < best:
                price[y] -= best - label[y]
        # best_adv gives up its last place: the village leaving it moves one step towards
        # home along the path, and so on; at home, v leaves.
        j = best_adv
        leaving = v if j == home else owner[via_arc[j]]
        q = slot_of[leaving]
        last = first[j] + load[j] - 1
        u = slots[last]
        slots[q] = u
        slot_of[u] = q
        slots[last] = -1
        load[j] -= 1
        while j != home:
            mover = leaving
            e = via_arc[j]
            j = via_adv[j]
            leaving = v if j == home else owner[via_arc[j]]
            q = slot_of[leaving]
            slots[q] = mover
            slot_of[mover] = q
            chosen[mover] = e
        chosen[v] = -1
        slot_of[v] = -1
        released[count] = v
        count += 1
        for i in range(n_touched):
            k = touched[i]
            label[k] = _INF
            settled[k] = False
