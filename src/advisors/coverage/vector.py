"""Vectorised (numpy) grid-ring search: the same answers as the pure-Python search, faster.

:class:`advisors.coverage.problem.CoverageProblem` searches grid rings
outwards, one village (or advisor) at a time, in pure Python. This module
runs the same search for many queries at once with numpy, ring by ring:
each round adds ring ``r`` for every query still searching, then applies the
same stopping rule as the Python loop. Numpy is optional: the core works
without it (``CoverageProblem`` imports this module only when numpy is
installed) and both paths give identical results — a test holds them to it.

Identical, not just close: ``numpy.arcsin`` may differ from ``math.asin`` in
the last bit, so the search ranks with approximate distances and keeps every
pair within a small tolerance of a decision boundary (the k-th cost, the
travel limit, a ring's lower bound). The distances of the pairs kept are
then recomputed exactly (``arcsin`` in extended precision, rounded once;
values too near a rounding midpoint go through ``math.asin``), and a query
whose search outcome hangs on a near tie is answered by the Python search.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ..geo import EARTH_RADIUS_KM
from .facts import CoverageFacts
from .grid import BIG, SLACK, steps

__all__ = ["EXACT", "Pool", "Rings", "Vectors", "exact_gc_km", "rounded_km"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

TOL = 1e-7
"""Relative tolerance (far above float64 rounding) for near ties with a boundary."""
_TWO_R = 2 * EARTH_RADIUS_KM
_HALF_NEAR = 1e-6
"""How near a half ``x * 1000`` may be before :func:`rounded_km` asks Python."""
_SCALED_MAX = 2.0**33
"""Below it the product ``x * 1000`` is off by at most half its last place, 2**-20 (under
:data:`_HALF_NEAR`), so it cannot round across a half; from it on (x above 8.5 million km)
Python rounds."""
_CHUNK = 20_000  # queries per batch: bounds the memory of the pairs of one ring


def _h(qp: F64, qc: F64, qlon: F64, tp: F64, tc: F64, tlon: F64, target_first: bool,
       exact: bool = False) -> F64:
    """Haversine term, with the operands in the same order as the Python code."""
    if target_first:  # target = advisor (p1), query = village (p2)
        dp, dl, cc = qp - tp, np.radians(qlon - tlon), tc * qc
    else:  # query = advisor (p1), target = village (p2)
        dp, dl, cc = tp - qp, np.radians(tlon - qlon), qc * tc
    sq = _square if exact else np.square
    out: F64 = sq(np.sin(dp / 2)) + cc * sq(np.sin(dl / 2))
    return out


def _near_midpoint(wide: Any, a: F64, within: float) -> I64:
    """Where the wide value lies within ``within`` ulp of a rounding midpoint next to ``a``."""
    up = np.nextafter(a, np.inf)
    down = np.nextafter(a, -np.inf)
    a_w = a.astype(np.longdouble)
    ulp = (up - a).astype(np.longdouble)
    near = np.minimum(np.abs(wide - (a_w + up) / 2), np.abs(wide - (a_w + down) / 2))
    out: I64 = np.flatnonzero(near < ulp * np.longdouble(within))
    return out


def _square(x: F64) -> F64:
    """``x ** 2`` as Python computes it: libm ``pow`` (within 0.52 ulp, not always x * x)."""
    y = x * x
    wide = x.astype(np.longdouble) ** 2
    doubt = _near_midpoint(wide, y, 0.05)
    if len(doubt):
        y[doubt] = [v ** 2 for v in x[doubt].tolist()]
    out: F64 = y
    return out


def exact_gc_km(h: F64) -> F64:
    """``2 R asin(min(1, sqrt(h)))`` rounded exactly as ``math.asin`` rounds it."""
    s = np.sqrt(np.minimum(h, 1.0))
    wide = np.arcsin(s.astype(np.longdouble))
    a = wide.astype(np.float64)
    # Rounding the wide value once is exact unless it lies next to a midpoint.
    doubt = _near_midpoint(wide, a, 0.05)
    if len(doubt):
        a[doubt] = [math.asin(x) for x in s[doubt].tolist()]
    out: F64 = _TWO_R * a
    return out


class Pool:
    """Pairs kept by a search, grouped by query: query position, target, approx cost."""

    def __init__(self) -> None:
        self.q: I64 = np.zeros(0, np.int64)
        """Query position (in the batch) of each pair."""
        self.t: I64 = np.zeros(0, np.int64)
        """Target index of each pair."""
        self.c: F64 = np.zeros(0, np.float64)
        """Approximate cost of each pair."""
        self.keep: B = np.zeros(0, np.bool_)
        """Pairs kept whatever their cost (the existing advisor)."""

    def add(self, q: I64, t: I64, c: F64, keep: B | None = None) -> None:
        """Add pairs."""
        self.q = np.concatenate([self.q, q])
        self.t = np.concatenate([self.t, t])
        self.c = np.concatenate([self.c, c])
        self.keep = np.concatenate([self.keep, np.zeros(len(q), np.bool_) if keep is None
                                    else keep])

    def take(self, idx: I64) -> None:
        """Keep only the pairs at ``idx``."""
        self.q, self.t, self.c, self.keep = self.q[idx], self.t[idx], self.c[idx], self.keep[idx]


Filter = Callable[[I64, I64, F64], tuple[B, F64, B]]
"""(query positions, targets, great-circle km) → (eligible, cost, doubtful) of each pair."""


class Rings:
    """Targets bucketed in the cells of a :class:`~advisors.coverage.grid.Grid`, in numpy."""

    def __init__(self, lat_deg: F64, lon_deg: F64, rad: F64, cos: F64, dlat: float, dlon: float,
                 cell_km: float, members: I64) -> None:
        self.dlat, self.dlon, self.cell_km = dlat, dlon, cell_km
        self.rad, self.cos, self.lon = rad, cos, lon_deg
        keys = self.keys(lat_deg[members], lon_deg[members])
        order = np.lexsort((members, keys))
        self.order: I64 = members[order]
        sk = keys[order]
        first = (np.flatnonzero(np.concatenate([[True], sk[1:] != sk[:-1]])) if len(sk)
                 else np.zeros(0, np.int64))
        self.cell_keys: I64 = sk[first]
        self.start: I64 = first.astype(np.int64)
        self.size: I64 = np.diff(np.concatenate([first, [len(sk)]])).astype(np.int64)

    def keys(self, lat: F64, lon: F64) -> I64:
        """Cell keys of points, as :meth:`Grid.cell` computes them."""
        out: I64 = (np.floor(lat / self.dlat).astype(np.int64) * BIG
                    + np.floor(lon / self.dlon).astype(np.int64))
        return out

    def ring_pairs(self, centres: I64, r: int) -> tuple[I64, I64]:
        """(index into ``centres``, target) of every target in ring ``r`` around each centre."""
        offs = np.asarray(sorted({di * BIG + dj for di in range(-r, r + 1)
                                  for dj in range(-r, r + 1) if max(abs(di), abs(dj)) == r}),
                          np.int64)
        want = (centres[:, None] + offs[None, :]).ravel()
        at = np.searchsorted(self.cell_keys, want)
        at[at == len(self.cell_keys)] = 0
        hit = np.flatnonzero(self.cell_keys[at] == want) if len(self.cell_keys) else \
            np.zeros(0, np.int64)
        cells = at[hit]
        counts = self.size[cells]
        total = int(counts.sum())
        owner = np.repeat(hit // len(offs), counts)
        begin = np.cumsum(counts) - counts
        idx = np.repeat(self.start[cells] - begin, counts) + np.arange(total, dtype=np.int64)
        return owner.astype(np.int64), self.order[idx]

    def search(self, qlat: F64, qlon: F64, qrad: F64, qcos: F64, k: int, target_first: bool,
               keep: tuple[I64, I64, F64] | None, doubt: B, pair_filter: Filter,
               stop: Callable[[float, F64], tuple[B, B]], reach: float,
               ) -> tuple[Pool, I64, B]:
        """Run the ring search for a batch of queries.

        Returns the pairs kept (every pair whose cost is within tolerance of
        the k-th cost, and the ``keep`` pairs), the number of eligible
        targets found per query, and which queries are *doubtful* (their
        outcome hangs on a near tie; answer them with the Python search).
        ``stop(bound, kth)`` gives (stop, doubtful) for the queries that have
        ``k`` targets; every query stops once ``bound > reach``.
        """
        n = len(qlat)
        pool = Pool()
        found = np.zeros(n, np.int64)
        old_t = np.full(n, -1, np.int64)
        old_c = np.full(n, np.inf)
        if keep is not None:
            kq, kt, kc = keep
            pool.add(kq, kt, kc, np.ones(len(kq), np.bool_))
            found[kq] += 1
            old_t[kq], old_c[kq] = kt, kc
        centres = self.keys(qlat, qlon)
        act = np.arange(n, dtype=np.int64)
        # Pairs kept so far of the queries still searching, one row each, cheapest first.
        kc_ = np.zeros((n, 0), np.float64)
        kt_ = np.zeros((n, 0), np.int64)
        r = 0
        while len(act):
            owner, tgt = self.ring_pairs(centres[act], r)
            q = act[owner]
            fresh = old_t[q] != tgt
            owner, q, tgt = owner[fresh], q[fresh], tgt[fresh]
            h = _h(qrad[q], qcos[q], qlon[q], self.rad[tgt], self.cos[tgt], self.lon[tgt],
                   target_first)
            km = _TWO_R * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
            ok, cost, unsure = pair_filter(q, tgt, km)
            doubt[q[unsure]] = True
            owner, tgt, cost = owner[ok], tgt[ok], cost[ok]
            cnt = np.bincount(owner, minlength=len(act))
            found[act] += cnt
            width = int(cnt.max(initial=0))
            pos = np.arange(len(owner), dtype=np.int64) - (np.cumsum(cnt) - cnt)[owner]
            nc = np.full((len(act), width), np.inf)
            nt = np.full((len(act), width), -1, np.int64)
            nc[owner, pos] = cost
            nt[owner, pos] = tgt
            mc = np.hstack([kc_, nc, old_c[act][:, None]])
            mt = np.hstack([kt_, nt, old_t[act][:, None]])
            # The k-th cost of each row; the order within rows does not matter (the pairs
            # are sorted once the search is done).
            kth = (np.partition(mc, k - 1, axis=1)[:, k - 1] if mc.shape[1] >= k
                   else np.full(len(act), np.inf))
            limit = np.where(np.isinf(kth), np.inf, kth + TOL * np.maximum(1.0, kth))
            stay = (mc <= limit[:, None]) & (mt != old_t[act][:, None]) & (mt >= 0)
            # Kept pairs to the front of each row, then the rows cut short.
            kept = stay.sum(1)
            width = int(kept.max(initial=0))
            rows, cols = np.nonzero(stay)
            slot = np.arange(len(rows), dtype=np.int64) - (np.cumsum(kept) - kept)[rows]
            kc_ = np.full((len(act), width), np.inf)
            kt_ = np.full((len(act), width), -1, np.int64)
            kc_[rows, slot] = mc[rows, cols]
            kt_[rows, slot] = mt[rows, cols]
            bound = max(0, r) * self.cell_km * SLACK  # Grid.lower_bound_km(r + 1)
            if bound > reach:  # the Python loop tests this first
                done = np.ones(len(act), np.bool_)
            else:
                halt, unsure_q = stop(bound, kth)
                enough = found[act] >= k
                doubt[act[unsure_q & enough]] = True
                done = (halt & enough) | doubt[act]
            rows, cols = np.nonzero(done[:, None] & (kt_ >= 0))
            pool.add(act[rows], kt_[rows, cols], kc_[rows, cols])
            act, kc_, kt_ = act[~done], kc_[~done], kt_[~done]
            r += 1
        return pool, found, doubt


def _stop_le(scale: float) -> Callable[[float, F64], tuple[B, B]]:
    """Stop when ``bound * scale >= kth`` (candidates); doubtful when nearly equal."""
    def stop(bound: float, kth: F64) -> tuple[B, B]:
        b = bound * scale
        return b >= kth, np.abs(b - kth) <= TOL * np.maximum(1.0, kth)
    return stop


def _stop_gt(bound: float, kth: F64) -> tuple[B, B]:
    """Stop when ``bound > best`` (home township); doubtful when nearly equal."""
    return bound > kth, np.abs(bound - kth) <= TOL * np.maximum(1.0, kth)


def rounded_km(values: list[float]) -> list[float]:
    """``round(x, 3)`` of each, exactly as Python rounds.

    ``rint(x * 1000) / 1000`` is Python's answer unless ``x * 1000`` lies within
    its rounding error of a half (the product rounds across the boundary, or
    a tie is broken on the binary value): the division of an integer below
    2**53 by 1000 is the double nearest the decimal, as Python's is. Values
    within :data:`_HALF_NEAR` of a half, any at or above :data:`_SCALED_MAX`
    once scaled, and any not finite, go to ``round``.
    """
    x = np.asarray(values, np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # not finite: asked below
        scaled = x * 1000.0
        out = np.rint(scaled) / 1000.0
        doubtful = ~np.isfinite(scaled) | (np.abs(scaled) >= _SCALED_MAX) | (
            np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) <= _HALF_NEAR)
    result: list[float] = out.tolist()
    for i in np.flatnonzero(doubtful).tolist():
        result[i] = round(values[i], 3)
    return result


class Vectors:
    """The arrays of one CoverageProblem that the vectorised searches read."""

    def __init__(self, problem: CoverageFacts) -> None:
        self.problem = problem
        vs, ads = problem.villages, problem.advisors
        self.vlat = np.asarray([v.lat for v in vs], np.float64)
        self.vlon = np.asarray([v.lon for v in vs], np.float64)
        self.vrad = np.asarray(problem._vlat, np.float64)
        self.vcos = np.asarray(problem._vcos, np.float64)
        self.alat = np.asarray([a.lat for a in ads], np.float64)
        self.alon = np.asarray(problem._alon, np.float64)
        self.arad = np.asarray(problem._alat, np.float64)
        self.acos = np.asarray(problem._acos, np.float64)
        self.vlang = np.asarray(problem._vlang, np.int64)
        self.alang = np.asarray(problem._alang, np.int64)
        self.speaks = np.asarray(problem._speaks, np.bool_).reshape(
            len(problem._speaks), len(problem._speaks))

    def road_km(self, vis: list[int], ais: list[int]) -> list[float]:
        """Road km of pairs, exactly as :meth:`CoverageProblem.road_km` (no travel table)."""
        v, a = np.asarray(vis, np.int64), np.asarray(ais, np.int64)
        h = _h(self.vrad[v], self.vcos[v], self.vlon[v], self.arad[a], self.acos[a],
               self.alon[a], True, True)
        out: list[float] = (exact_gc_km(h) * self.problem.road_factor).tolist()
        return out

    def pair_costs(self, vis: list[int], ais: list[int], km: list[float]) -> list[float]:
        """Costs of pairs given their road km, exactly as :meth:`CoverageProblem.cost`."""
        self.prepare()
        out: list[float] = self._costs(np.asarray(vis, np.int64), np.asarray(ais, np.int64),
                                       np.asarray(km, np.float64)).tolist()
        return out

    def _costs(self, v: I64, a: I64, km: F64) -> F64:
        """Village ``v``, advisor ``a``, road km → cost (after :meth:`prepare`)."""
        policy = self.problem.policy
        c = np.where(self.ahome[a] != self.vtown[v], km + policy.other_township_km, km)
        if policy.stability_km:
            old = self.vold[v]
            c = np.where((old >= 0) & (old != a), c + policy.stability_km, c)
        out: F64 = c
        return out

    def rule_broken(self, vis: list[int], ais: list[int],
                    km: list[float]) -> tuple[int, str] | None:
        """As :meth:`CoverageProblem.rule_broken`, for problems without travel table,
        minute limit or conflict list."""
        self.prepare()
        v, a, c = np.asarray(vis, np.int64), np.asarray(ais, np.int64), np.asarray(km, np.float64)
        checks = (("inactive", ~self.active[a]),
                  ("language", ~self.speaks[self.vlang[v], self.alang[a]]),
                  ("distance", c > self.problem.max_km))
        bad = np.zeros(len(v), np.bool_)
        for _, broken in checks:
            bad |= broken
        if not bad.any():
            return None
        at = np.flatnonzero(bad)
        first = int(at[np.argmin(v[at])])
        for rule, broken in checks:  # the order of why_not
            if broken[first]:
                return int(v[first]), rule
        raise AssertionError("unreachable")  # pragma: no cover

    def home_villages(self) -> list[int | None]:
        """Index of the village nearest each advisor (``None``: ask the Python search)."""
        problem = self.problem
        n_a = len(problem.advisors)
        cell = problem._home_cell_km()
        dlat, dlon = steps([v.lat for v in problem.villages], cell)
        rings = Rings(self.vlat, self.vlon, self.vrad, self.vcos, dlat, dlon, cell,
                      np.arange(len(problem.villages), dtype=np.int64))
        out: list[int | None] = []
        for lo in range(0, n_a, _CHUNK):
            hi = min(n_a, lo + _CHUNK)
            pool, _, doubt = rings.search(
                self.alat[lo:hi], self.alon[lo:hi], self.arad[lo:hi], self.acos[lo:hi], 1,
                False, None, np.zeros(hi - lo, np.bool_), _all_pairs, _stop_gt, math.inf)
            km = exact_gc_km(_h(self.arad[lo:hi][pool.q], self.acos[lo:hi][pool.q],
                                self.alon[lo:hi][pool.q], self.vrad[pool.t], self.vcos[pool.t],
                                self.vlon[pool.t], False, True))
            order = np.lexsort((pool.t, km, pool.q))
            q, t = pool.q[order], pool.t[order]
            first = np.flatnonzero(np.concatenate([[True], q[1:] != q[:-1]]))
            best = np.full(hi - lo, -1, np.int64)
            best[q[first]] = t[first]
            out.extend(None if d or b < 0 else b
                       for b, d in zip(best.tolist(), doubt.tolist(), strict=True))
        return out

    def table(self, lo: int, hi: int, k: int) -> tuple[I64, F64, I64]:
        """(advisors, costs, sizes) of the ``k`` cheapest candidates of ``open[lo:hi]``."""
        parts = [self._batch(a, min(hi, a + _CHUNK), k) for a in range(lo, hi, _CHUNK)]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.int64)
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                np.concatenate([p[2] for p in parts]))

    def _batch(self, lo: int, hi: int, k: int) -> tuple[I64, F64, I64]:
        problem = self.problem
        self.prepare()
        vi = np.asarray(problem.open[lo:hi], np.int64)
        n = len(vi)
        qlat, qlon, qrad, qcos = self.vlat[vi], self.vlon[vi], self.vrad[vi], self.vcos[vi]
        qlang, qold = self.vlang[vi], self.vold[vi]
        factor, max_km = problem.road_factor, problem.max_km

        def pair_gc(q: I64, t: I64, exact: bool) -> F64:
            h = _h(qrad[q], qcos[q], qlon[q], self.arad[t], self.acos[t], self.alon[t], True,
                   exact)
            out: F64 = (exact_gc_km(h) if exact
                        else _TWO_R * np.arcsin(np.sqrt(np.minimum(h, 1.0))))
            return out

        def pair_filter(q: I64, t: I64, gc: F64) -> tuple[B, F64, B]:
            km = gc * factor
            talk = self.speaks[qlang[q], self.alang[t]]
            unsure = talk & (np.abs(km - max_km) <= TOL * max(1.0, max_km))
            return talk & (km <= max_km), self._costs(vi[q], t, km), unsure

        # The contract in force is a candidate wherever it lies (when eligible).
        kq = np.flatnonzero(qold >= 0)
        kt = qold[kq]
        live = self.active[kt]
        kq, kt = kq[live], kt[live]
        ok, kc, unsure = pair_filter(kq, kt, pair_gc(kq, kt, False))
        doubt = np.zeros(n, np.bool_)
        doubt[kq[unsure]] = True
        pool, found, doubt = self.rings.search(
            qlat, qlon, qrad, qcos, k, True, (kq[ok], kt[ok], kc[ok]), doubt, pair_filter,
            _stop_le(factor), problem.reach_gc_km)
        good = ~doubt[pool.q]
        pool.take(np.flatnonzero(good))
        cost = self._costs(vi[pool.q], pool.t, pair_gc(pool.q, pool.t, True) * factor)
        order = np.lexsort((pool.t, cost, pool.q))
        q, t, cost, kept = pool.q[order], pool.t[order], cost[order], pool.keep[order]
        first = np.searchsorted(q, np.arange(n, dtype=np.int64))
        rank = np.arange(len(q), dtype=np.int64) - first[q]
        take = (rank < k) | kept | (found[q] <= k)
        q, t, cost = q[take], t[take], cost[take]
        redo = np.flatnonzero(doubt)
        if len(redo):  # near ties: the Python search decides
            rq, rt, rc = [], [], []
            for p in redo.tolist():
                for c, ai, _ in problem.candidates(int(vi[p]), k)[0]:
                    rq.append(p)
                    rt.append(ai)
                    rc.append(c)
            q = np.concatenate([q, np.asarray(rq, np.int64)])
            t = np.concatenate([t, np.asarray(rt, np.int64)])
            cost = np.concatenate([cost, np.asarray(rc, np.float64)])
            order = np.argsort(q, kind="stable")
            q, t, cost = q[order], t[order], cost[order]
        return t, cost, np.bincount(q, minlength=n).astype(np.int64)

    def prepare(self) -> None:
        """Index the active advisors in rings (once)."""
        if hasattr(self, "rings"):
            return
        problem = self.problem
        towns = {t: i for i, t in enumerate(sorted({v.township for v in problem.villages}
                                                    | set(problem.home)))}
        self.vtown = np.asarray([towns[v.township] for v in problem.villages], np.int64)
        self.ahome = np.asarray([towns[h] for h in problem.home], np.int64)
        self.vold = np.full(len(problem.villages), -1, np.int64)
        for vi, ai in problem.existing.items():
            self.vold[vi] = ai
        self.active = np.asarray(problem.active, np.bool_)
        dlat, dlon = steps([a.lat for a in problem.advisors], problem._cell_km)
        self.rings = Rings(self.alat, self.alon, self.arad, self.acos, dlat, dlon,
                           problem._cell_km, np.flatnonzero(self.active).astype(np.int64))


def _all_pairs(q: I64, t: I64, km: F64) -> tuple[B, F64, B]:
    """Every pair is eligible at its great-circle km (home townships)."""
    none = np.zeros(len(q), np.bool_)
    return ~none, km, none


def _self_check() -> bool:
    """Whether this platform's numpy reproduces ``math`` bit for bit where the exact path needs it.

    ``numpy.sin`` may be a SIMD approximation on some processors, and
    ``longdouble`` may be no wider than ``double``: then the vectorised
    search is not used at all (the Python search gives the answers).
    """
    if np.finfo(np.longdouble).nmant < 63:
        return False
    rnd = np.random.default_rng(20261126)
    x = rnd.uniform(-0.05, 0.05, 4000)
    h = rnd.uniform(0.0, 1e-4, 4000)
    xs, hs = x.tolist(), h.tolist()
    same: bool = (np.sin(x).tolist() == [math.sin(v) for v in xs]
                  and np.radians(x).tolist() == [math.radians(v) for v in xs]
                  and _square(x.copy()).tolist() == [v ** 2 for v in xs]
                  and exact_gc_km(h).tolist() == [_TWO_R * math.asin(math.sqrt(v)) for v in hs])
    return same


EXACT = _self_check()
"""Whether the vectorised search is used on this platform (see :func:`_self_check`)."""
