"""Exact coverage by shortest augmenting paths: the solver behind ``optimal``.

On a candidate graph, coverage is a transportation problem: each village
needs one place, advisor ``j`` offers ``free[j]`` places, the first
``cheap[j]`` of them at no extra cost and the rest at ``dear`` each (load
balancing), and a (village, advisor) arc costs its km in metres. This module
solves it exactly with the successive shortest path method, village by
village, as the Hungarian method does for square assignment:

* every advisor carries a price ``p[j] >= 0``; a village is always placed
  with an advisor minimising ``cost + price`` over its candidates (so the
  reduced costs of the residual graph stay non-negative);
* a village is added by a Dijkstra search from it over *advisors*: from an
  advisor the search may move any village placed there to another of that
  village's candidates (reduced cost ``cost + price`` minus what it pays
  now) and it ends at the first advisor with a free place (or, when no
  place can be reached at all, by leaving the village whose loss is least
  uncovered, at a cost larger than any real path);
* the path found is applied, and only the advisors the search settled have
  their prices raised, so a search touches its own neighbourhood only.

When all searches are done the prices prove optimality (complementary
slackness: a village sits at an advisor minimising ``cost + price``, and an
advisor with a free place has the price of its next place). Coverage is
maximal, since "uncovered" costs more than any set of real arcs, and the
cost is least among the maximal coverages. Villages are taken in the order
given; neighbouring villages one after the other keep searches local.

The kernel is compiled by numba on first use and cached on disk beside this
file (or in numba's user cache when that is read-only).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

__all__ = ["UNCOVERED", "Augmenter", "solve", "warm_up"]

UNCOVERED = 1 << 52
"""Cost of leaving a village uncovered: above any sum of real arc costs the solver accepts
(villages × the dearest arc), and far enough below 2**63 for prices and labels."""

_INF = np.int64(1) << 62


class Augmenter:
    """Villages added in order, each placed at once along a shortest augmenting path.

    ``free`` and ``cheap`` are per advisor (``cheap <= free``); ``dear`` is
    the extra cost of each place above ``cheap``; ``villages`` how many will
    be added (their arcs may come in several :meth:`add` calls, as a
    candidate search delivers them). Same input, same output, however the
    villages are split between calls.
    """

    def __init__(self, free: Any, cheap: Any, dear: int, villages: int, arcs: int = 0) -> None:
        self.free = np.ascontiguousarray(free, np.int64)
        self.cheap = np.ascontiguousarray(cheap, np.int64)
        if np.any(self.cheap > self.free) or np.any(self.cheap < 0):
            raise ValueError("cheap places must lie between 0 and the free places")
        self.dear = int(dear)
        self.offsets = np.zeros(villages + 1, np.int64)
        self.added = 0
        """Villages added so far."""
        self.advisor = np.empty(max(arcs, 16), np.int64)
        self.cost = np.empty(max(arcs, 16), np.int64)
        n_a = len(self.free)
        self._first = np.concatenate([[0], np.cumsum(self.free)]).astype(np.int64)
        # price, load (per advisor); slots (per place); slot_of, chosen (per village);
        # label, settled, via_arc, via_adv, touched, done (per advisor + the sink)
        self._state = (
            np.zeros(n_a, np.int64), np.zeros(n_a, np.int64),
            np.full(int(self._first[-1]), -1, np.int64),
            np.full(villages, -1, np.int64), np.full(villages, -1, np.int64),
            np.full(n_a + 1, _INF, np.int64), np.zeros(n_a + 1, np.bool_),
            np.full(n_a + 1, -1, np.int64), np.full(n_a + 1, -1, np.int64),
            np.empty(n_a + 1, np.int64), np.empty(n_a + 1, np.int64),
        )
        self._work = np.zeros(2, np.int64)

    def add(self, advisor: Any, cost: Any, sizes: Any) -> None:
        """Add the next ``len(sizes)`` villages: their arcs (``cost`` in int64 metres, >= 0)."""
        sizes = np.asarray(sizes, np.int64)
        lo, hi = self.added, self.added + len(sizes)
        if hi > len(self.offsets) - 1:
            raise ValueError(f"more than the {len(self.offsets) - 1} villages announced")
        m0 = int(self.offsets[lo])
        m1 = m0 + int(sizes.sum())
        if len(cost) != m1 - m0 or len(advisor) != m1 - m0:
            raise ValueError("arc arrays and list sizes disagree")
        if len(cost) and (int(np.min(cost)) < 0
                          or int(np.max(cost)) * (len(self.offsets) - 1) >= UNCOVERED):
            raise ValueError("arc costs must be non-negative and small enough for the solver")
        if m1 > len(self.cost):
            size = max(m1, 2 * len(self.cost))
            self.advisor = np.concatenate([self.advisor[:m0], np.empty(size - m0, np.int64)])
            self.cost = np.concatenate([self.cost[:m0], np.empty(size - m0, np.int64)])
        self.advisor[m0:m1] = advisor
        self.cost[m0:m1] = cost
        self.offsets[lo + 1:hi + 1] = m0 + np.cumsum(sizes)
        _run(self.offsets, self.advisor, self.cost, self.free, self.cheap, np.int64(self.dear),
             self._first, np.arange(lo, hi, dtype=np.int64), hi, self._work, *self._state)
        self.added = hi

    @property
    def prices(self) -> Any:
        """The price of each advisor (the dual potentials the searches kept), a copy."""
        return self._state[0].copy()

    @property
    def chosen(self) -> Any:
        """Chosen arc of each village added (an index into the arcs), -1 when uncovered."""
        return self._state[4][:self.added]

    @property
    def settled(self) -> int:
        """Advisors settled over all searches (the work done)."""
        return int(self._work[0])

    @property
    def scanned(self) -> int:
        """Arcs scanned over all searches."""
        return int(self._work[1])


def solve(offsets: Any, advisor: Any, cost: Any, free: Any, cheap: Any,
          dear: int) -> Augmenter:
    """Cover villages ``0 .. len(offsets) - 2`` in order, at least cost.

    ``offsets`` (n + 1) delimits each village's arcs in ``advisor`` and
    ``cost``; see :class:`Augmenter` for the rest. Returns the augmenter, whose
    :attr:`~Augmenter.chosen` holds the arc of each village.
    """
    offsets = np.asarray(offsets, np.int64)
    out = Augmenter(free, cheap, dear, len(offsets) - 1, int(offsets[-1]))
    out.add(advisor, cost, np.diff(offsets))
    return out


@njit(cache=True)
def _grow(keys: Any, nodes: Any) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """Heap arrays twice as long."""
    k2 = np.empty(2 * len(keys), np.int64)
    n2 = np.empty(2 * len(nodes), np.int64)
    k2[:len(keys)] = keys
    n2[:len(nodes)] = nodes
    return k2, n2


@njit(cache=True)
def _push(keys: Any, nodes: Any, size: int, key: int, node: int) -> None:  # pragma: no cover
    """Sift ``(key, node)`` up from position ``size`` of a binary min-heap."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        nodes[i] = nodes[parent]
        i = parent
    keys[i] = key
    nodes[i] = node


def warm_up() -> None:
    """Compile (or load from the cache) the solver on a one-village problem."""
    one = np.ones(1, np.int64)
    solve(np.arange(2, dtype=np.int64), np.zeros(1, np.int64), one, one, one, 0)


@njit(cache=True)
def _pop(keys: Any, nodes: Any, size: int) -> None:  # pragma: no cover - compiled
    """Remove the root of a heap of ``size`` entries."""
    key = keys[size - 1]
    node = nodes[size - 1]
    n = size - 1
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and keys[c + 1] < keys[c]:
            c += 1
        if keys[c] >= key:
            break
        keys[i] = keys[c]
        nodes[i] = nodes[c]
        i = c
    if n > 0:
        keys[i] = key
        nodes[i] = node


@njit(cache=True)
def _village_of(offsets: Any, hi: int, arc: int) -> int:  # pragma: no cover - compiled
    """The village an arc leaves (binary search in ``offsets[:hi + 1]``)."""
    lo = 0
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if offsets[mid] <= arc:
            lo = mid
        else:
            hi = mid
    return lo


@njit(cache=True)
def _run(offsets: Any, advisor: Any, cost: Any, free: Any, cheap: Any, dear: int, first: Any,
         todo: Any, v_hi: int, work: Any, price: Any, load: Any, slots: Any, slot_of: Any,
         chosen: Any, label: Any, settled: Any, via_arc: Any, via_adv: Any, touched: Any,
         done: Any) -> None:  # pragma: no cover - compiled
    """Add the villages ``todo``, in order (see the module docstring); ``work`` counts.

    Villages ``0 .. v_hi - 1`` have their arcs in ``offsets``; those not in ``todo`` are
    either placed already or not yet added (``chosen`` -1, never moved).
    """
    # The heap push (label, grow, sift up) is written out at its three call sites: a helper
    # returning the heap arrays measured 15-25 % slower at national scale, even inlined.
    n_a = len(free)
    sink = n_a  # node number of "a free place"
    keys = np.empty(1 << 12, np.int64)
    nodes = np.empty(1 << 12, np.int64)
    total_settled = 0
    total_scanned = 0
    for t in range(len(todo)):
        s = todo[t]
        lo, hi = offsets[s], offsets[s + 1]
        if lo == hi:
            continue  # no candidate: uncovered, and no effect on anyone else
        base = _INF
        for e in range(lo, hi):
            v = cost[e] + price[advisor[e]]
            if v < base:
                base = v
        n_touched = 0
        n_done = 0
        size = 0
        # Cheapest way out found so far by dropping a village: (cost, village's arc or -1
        # for the new village, advisor it leaves).
        drop_at = UNCOVERED - base
        drop_arc = -1
        drop_adv = -1
        for e in range(lo, hi):
            k = advisor[e]
            d = cost[e] + price[k] - base
            if d < label[k]:
                if label[k] == _INF:
                    touched[n_touched] = k
                    n_touched += 1
                label[k] = d
                via_arc[k] = e
                via_adv[k] = -1
                if size == len(keys):
                    keys, nodes = _grow(keys, nodes)
                _push(keys, nodes, size, d, k)
                size += 1
        total_scanned += hi - lo
        dist = -1
        end = -1
        while size > 0:
            d = keys[0]
            j = nodes[0]
            if d >= drop_at:
                break
            _pop(keys, nodes, size)
            size -= 1
            if settled[j] or d > label[j]:
                continue
            if j == sink:
                dist = d
                end = via_adv[sink]
                break
            settled[j] = True
            done[n_done] = j
            n_done += 1
            if load[j] < free[j]:
                nd = d + (0 if load[j] < cheap[j] else dear) - price[j]
                if nd < label[sink]:
                    if label[sink] == _INF:
                        touched[n_touched] = sink
                        n_touched += 1
                    label[sink] = nd
                    via_adv[sink] = j
                    if size == len(keys):
                        keys, nodes = _grow(keys, nodes)
                    _push(keys, nodes, size, nd, sink)
                    size += 1
            pj = price[j]
            for q in range(first[j], first[j] + load[j]):
                w = slots[q]
                paid = cost[chosen[w]] + pj
                out = d + UNCOVERED - paid
                if out < drop_at:
                    drop_at = out
                    drop_arc = chosen[w]
                    drop_adv = j
                w_lo, w_hi = offsets[w], offsets[w + 1]
                total_scanned += w_hi - w_lo
                for e in range(w_lo, w_hi):
                    k = advisor[e]
                    if settled[k]:
                        continue
                    nd = d + cost[e] + price[k] - paid
                    if nd < label[k]:
                        if label[k] == _INF:
                            touched[n_touched] = k
                            n_touched += 1
                        label[k] = nd
                        via_arc[k] = e
                        via_adv[k] = j
                        if size == len(keys):
                            keys, nodes = _grow(keys, nodes)
                        _push(keys, nodes, size, nd, k)
                        size += 1
        total_settled += n_done
        if dist < 0:  # no free place is reachable: drop the village whose loss is least
            dist = drop_at
        for i in range(n_done):
            j = done[i]
            if label[j] < dist:
                price[j] += dist - label[j]
        if end >= 0:  # the path ends at a free place of `end`...
            q = first[end] + load[end]
            load[end] += 1
            j = end
        elif drop_adv >= 0:  # ... or by leaving a placed village uncovered...
            w = _village_of(offsets, v_hi, drop_arc)
            q = slot_of[w]
            chosen[w] = -1
            slot_of[w] = -1
            j = drop_adv
        else:  # ... or the new village itself stays uncovered
            j = -1
        while j >= 0:  # advisor j gives place q to the village moving in; its old place is next
            e = via_arc[j]
            w = _village_of(offsets, v_hi, e)
            old = slot_of[w]
            slots[q] = w
            slot_of[w] = q
            chosen[w] = e
            q = old
            j = via_adv[j]
        for i in range(n_touched):
            k = touched[i]
            label[k] = _INF
            settled[k] = False
    work[0] += total_settled
    work[1] += total_scanned
