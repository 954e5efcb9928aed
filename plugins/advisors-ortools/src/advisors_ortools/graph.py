"""The candidate graph of the exact coverage strategies, in flat arrays, and its solvers.

:class:`CandidateGraph` holds village position → (advisor, cost in metres)
arcs, solves them by shortest augmenting paths (:mod:`.augment`, kept warm
between the certificate's rounds by :mod:`.warm`) or with OR-Tools per
independent component, and gives the dual potentials of its solution.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisors.coverage.facts import Candidate
from advisors.coverage.problem import CoverageProblem

from .certificate import SCALE, potentials

__all__ = ["CandidateGraph", "places"]


def _warm_up() -> None:
    """Load the compiled solver (numba's start-up) while the candidate search runs."""
    from . import augment, warm

    augment.warm_up()
    warm.warm_up()


def places(problem: CoverageProblem) -> tuple[Any, Any, int]:
    """Free places of each advisor, how many of them cost nothing extra, and the extra cost."""
    import numpy as np

    free = np.asarray(problem.free, dtype=np.int64)
    if problem.balance_weight > 0:
        cheap = np.minimum(free, np.asarray(problem.free_below_target, dtype=np.int64))
    else:
        cheap = free
    return free, cheap, round(problem.balance_weight * SCALE)


class CandidateGraph:
    """The candidate graph in flat arrays: village position → (advisor, cost in metres).

    With ``paths``, the villages are also placed by shortest augmenting paths
    while the candidate search is still running (the parts of the table come
    in village order), and :meth:`solve_paths` has little left to do.
    """

    def __init__(self, problem: CoverageProblem, k: int, paths: bool = False) -> None:
        import numpy as np

        from advisors.coverage.table import table_chunks

        self.problem = problem
        self.open = np.asarray(problem.open, dtype=np.int64)
        self.augmenter: Any = None
        self.prices: Any = None
        """Advisor prices of the last augmenting-path solve (a start for the potentials)."""
        if paths:
            from .augment import Augmenter

            self.augmenter = Augmenter(*places(problem), len(self.open),
                                       len(self.open) * (k + 1))
        parts_a, parts_c, parts_s = [], [], []
        for _, _, (advs, costs, sizes) in table_chunks(problem, k, _warm_up if paths else None):
            a = np.asarray(advs, dtype=np.int32)
            # same rounding as round(c * SCALE): half to even on the same float product
            c = np.rint(np.asarray(costs, dtype=np.float64) * SCALE).astype(np.int64)
            z = np.asarray(sizes, dtype=np.int64)
            if self.augmenter is not None:
                self.augmenter.add(a, c, z)
            else:
                parts_a.append(a)
                parts_c.append(c)
                parts_s.append(z)
        if self.augmenter is not None:  # the augmenter holds the whole graph already
            self._share()
        else:
            self.advs = np.concatenate(parts_a) if parts_a else np.zeros(0, np.int32)
            self.costs = np.concatenate(parts_c) if parts_c else np.zeros(0, np.int64)
            sizes_all = np.concatenate(parts_s) if parts_s else np.zeros(0, np.int64)
            self.offsets = np.concatenate([[0], np.cumsum(sizes_all, dtype=np.int64)])

    def longest(self) -> int:
        """Most candidates of one village."""
        return int((self.offsets[1:] - self.offsets[:-1]).max(initial=0))

    def widen(self, lists: Mapping[int, list[Candidate]]) -> None:
        """Replace the candidate lists of some villages (by village index)."""
        import numpy as np

        pos = {vi: p for p, vi in enumerate(self.problem.open)}
        self._replace({pos[vi]: (np.asarray([ai for _, ai, _ in found], np.int32),
                                 np.asarray([round(c * SCALE) for c, _, _ in found], np.int64))
                       for vi, found in lists.items()})

    def add_pairs(self, pairs: Mapping[int, list[tuple[int, int]]]) -> bool:
        """Add arcs ``(advisor, cost in metres)`` to the lists of village positions, in order.

        After an augmenting-path solve with every village placed, the solver keeps
        its places and prices and is solved again at once (:mod:`.warm`): returns
        True then; False when :meth:`solve_paths` has to start from scratch.
        """
        import numpy as np

        if self.augmenter is not None:
            from .warm import extend

            if extend(self.augmenter, pairs) is not None:
                self._share()
                return True
        lists = {}
        for p, extra in pairs.items():
            lo, hi = self.offsets[p], self.offsets[p + 1]
            a = np.concatenate([self.advs[lo:hi], np.asarray([x for x, _ in extra], np.int32)])
            c = np.concatenate([self.costs[lo:hi], np.asarray([y for _, y in extra], np.int64)])
            order = np.lexsort((a, c))
            lists[p] = (a[order], c[order])
        self._replace(lists)
        return False

    def _share(self) -> None:
        """Read the arcs from the augmenter, which holds the whole graph."""
        m = int(self.augmenter.offsets[-1])
        self.advs = self.augmenter.advisor[:m]
        self.costs = self.augmenter.cost[:m]
        self.offsets = self.augmenter.offsets

    def placed(self, choice: Mapping[int, int]) -> Any:
        """The advisor of each open village's position (-1: uncovered), from a choice."""
        import numpy as np

        return np.asarray([choice.get(vi, -1) for vi in self.problem.open], np.int64)

    def choice(self, placed: Any) -> dict[int, int]:
        """Village index → advisor index of the covered villages, from :meth:`placed`."""
        import numpy as np

        hit = np.flatnonzero(placed >= 0)
        return dict(zip(self.open[hit].tolist(), placed[hit].tolist(), strict=True))

    def potentials(self, placed: Any) -> tuple[Any, Any]:
        """Dual potentials of the solved graph (villages, advisors), given :meth:`placed`.

        The solver's own prices when they check out on every residual arc
        (:func:`.warm.potentials`), else Bellman–Ford started from them.
        """
        if self.augmenter is not None:
            from .warm import potentials as read_off

            found = read_off(self.augmenter)
            if found is not None:
                return found
        return potentials(self.offsets, self.advs, self.costs, placed, *places(self.problem),
                          prices=self.prices)

    def _replace(self, lists: Mapping[int, tuple[Any, Any]]) -> None:
        """Replace the arcs of some village positions by (advisors, costs)."""
        import numpy as np

        self.augmenter = None
        parts_a, parts_c, sizes = [], [], []
        last = 0
        for p in sorted(lists):
            lo, hi = self.offsets[last], self.offsets[p]
            parts_a.append(self.advs[lo:hi])
            parts_c.append(self.costs[lo:hi])
            sizes.extend(int(n) for n in self.offsets[last + 1:p + 1] - self.offsets[last:p])
            parts_a.append(lists[p][0])
            parts_c.append(lists[p][1])
            sizes.append(len(lists[p][0]))
            last = p + 1
        lo = self.offsets[last]
        parts_a.append(self.advs[lo:])
        parts_c.append(self.costs[lo:])
        sizes.extend(int(n) for n in self.offsets[last + 1:] - self.offsets[last:-1])
        self.advs = np.concatenate(parts_a).astype(np.int32)
        self.costs = np.concatenate(parts_c).astype(np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])

    def components(self) -> list[list[int]]:
        """Positions of open villages grouped into independent components (with candidates)."""
        import numpy as np

        n = len(self.open)
        counts = self.offsets[1:] - self.offsets[:-1]
        owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        order = np.lexsort((owner, self.advs))
        a_sorted, o_sorted = self.advs[order], owner[order]
        del order
        same = np.flatnonzero(a_sorted[1:] == a_sorted[:-1])
        x, y = o_sorted[same], o_sorted[same + 1]
        # Hook and compress (vectorised union-find): every root is its component's least
        # position, as with the sequential union-find this replaces.
        parent = np.arange(n, dtype=np.int64)
        while True:
            px, py = parent[x], parent[y]
            lo, hi = np.minimum(px, py), np.maximum(px, py)
            differ = lo != hi
            if not differ.any():
                break
            np.minimum.at(parent, hi[differ], lo[differ])
            while True:
                up = parent[parent]
                if np.array_equal(up, parent):
                    break
                parent = up
        live = np.flatnonzero(counts > 0)
        roots = parent[live]
        order = np.argsort(roots, kind="stable")
        cuts = np.flatnonzero(np.diff(roots[order])) + 1
        return [part.tolist() for part in np.split(live[order], cuts)] if len(live) else []

    def solve_paths(self) -> tuple[Any, str]:
        """Least-cost maximal coverage of the whole graph by shortest augmenting paths:
        :meth:`placed`, and a note on the work."""
        import numpy as np

        from .augment import solve

        found = self.augmenter
        if found is None:  # not placed while searching, or widened since
            found = solve(self.offsets, self.advs, self.costs, *places(self.problem))
            self.augmenter = found
            self._share()
        self.prices = found.prices
        chosen = found.chosen
        placed = np.full(len(chosen), -1, np.int64)
        hit = chosen >= 0
        placed[hit] = self.advs[chosen[hit]]
        return placed, (f"{len(self.open):,} searches settled {found.settled:,} advisors "
                        f"and scanned {found.scanned:,} arcs")

    def solve(self, positions: list[int]) -> dict[int, int]:
        """Maximum coverage at minimum cost for one component (positions of open villages)."""
        import numpy as np
        from ortools.graph.python import min_cost_flow

        problem = self.problem
        pos = np.asarray(positions, dtype=np.int64)
        n_v = len(pos)
        counts = self.offsets[pos + 1] - self.offsets[pos]
        if n_v == len(self.open):  # one component holds every village: no copies
            arc_adv, arc_cost = self.advs, self.costs
        else:
            starts = self.offsets[pos]
            idx = np.repeat(starts - (np.cumsum(counts) - counts), counts)
            idx += np.arange(int(counts.sum()), dtype=np.int64)
            arc_adv, arc_cost = self.advs[idx], self.costs[idx]
            del idx, starts
        n_arcs = len(arc_adv)
        # Advisor nodes in advisor order, numbered through a dense map (no sort).
        used = np.zeros(len(problem.advisors), dtype=np.bool_)
        used[arc_adv] = True
        advisors = np.flatnonzero(used)
        node_of = np.cumsum(used, dtype=np.int64) - 1
        del used
        base = 2 + n_v
        free_all, cheap_all, dear_cost = places(problem)
        free, cheap = free_all[advisors], cheap_all[advisors]
        dear = free - cheap
        flow = min_cost_flow.SimpleMinCostFlow()
        # Arcs are added in blocks (source, pairs, sinks) and each block's arrays freed
        # before the next: arc i of the pair block is arc n_v + i of the solver.
        flow.add_arcs_with_capacity_and_unit_cost(
            np.zeros(n_v, np.int32), np.arange(2, 2 + n_v, dtype=np.int32),
            np.ones(n_v, np.int64), np.zeros(n_v, np.int64))
        flow.add_arcs_with_capacity_and_unit_cost(
            np.repeat(np.arange(2, 2 + n_v, dtype=np.int32), counts),
            (base + node_of[arc_adv]).astype(np.int32), np.ones(n_arcs, np.int64), arc_cost)
        del node_of
        a_nodes = np.arange(base, base + len(advisors), dtype=np.int32)
        flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate([a_nodes, a_nodes]), np.ones(2 * len(advisors), np.int32),
            np.concatenate([cheap, dear]),
            np.concatenate([np.zeros(len(advisors), np.int64),
                            np.full(len(advisors), dear_cost, np.int64)]))
        del a_nodes, cheap, dear, free, free_all, cheap_all
        flow.set_node_supply(0, n_v)
        flow.set_node_supply(1, -n_v)
        # Covering every village is the usual case, and then a plain min-cost flow is the
        # maximum flow of minimum cost, found sooner; otherwise solve for maximum flow first.
        status = flow.solve()
        if status != flow.OPTIMAL:
            status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - the graph is always well formed
            raise RuntimeError(f"min-cost flow failed with status {status}")
        used_arc = flow.flows(np.arange(n_v, n_v + n_arcs, dtype=np.int64))
        del flow
        hit = np.flatnonzero(used_arc > 0)
        arc_village = np.searchsorted(np.cumsum(counts), hit, side="right")
        villages = self.open[pos[arc_village]].tolist()
        return dict(zip(villages, arc_adv[hit].tolist(), strict=True))
