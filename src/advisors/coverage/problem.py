"""The coverage problem: who may serve which village, and at what cost.

Rules (hard): an advisor may serve a village when they are active, speak
every language the village lists, are within ``max_travel_km`` road km (and
``max_travel_minutes`` when set), the pair is not in the policy's
``excluded`` list, and they stay within their capacity. Pinned contracts are
kept as they are, even when they break a rule (a warning names the rule).

Cost (soft, in km) of a pair: road km, plus ``other_township_km`` when the
village is outside the advisor's *home township* (the township of the
village nearest to the advisor's office by great-circle distance, ties to the
lower village id), plus ``stability_km`` when the
village has an unpinned contract with another advisor — so a contract only
moves when that saves more than ``stability_km``. With ``balance_weight``
> 0, every village an advisor serves above the *target load* (the mean load,
rounded up) costs ``balance_weight`` more.

Candidates are found with a spatial grid, never by looking at all pairs:
:meth:`CoverageProblem.candidates` returns the ``k`` cheapest eligible
advisors of a village (or all of them), searching grid rings outwards until
no farther cell can hold a cheaper one.
"""

from __future__ import annotations

import functools
import itertools
import math
from array import array
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..geo import EARTH_RADIUS_KM, great_circle_km
from .diagnose import build_assignment
from .facts import Candidate
from .grid import KM_PER_DEG, Grid
from .table import candidate_table

if TYPE_CHECKING:
    from ..assignment import Assignment
    from ..data.dataset import Dataset
    from ..geo import TravelModel
    from ..model import Advisor, Village
    from .vector import Vectors

__all__ = ["DEFAULT_K", "CoverageProblem", "vector_search"]

ROUND_MANY = 10_000
"""Distances from which :meth:`CoverageProblem.rounded_km` rounds with numpy."""
DEFAULT_K = 8
"""Candidates per village that strategies start from."""


@functools.cache
def vector_search() -> bool:
    """Whether the vectorised search can run here (numpy installed and exact on this platform).

    Numpy is optional: the vectorised search gives the same results as the
    Python one. Imported on first use, so ``import advisors`` stays light.
    """
    try:
        from .vector import EXACT
    except ImportError:  # pragma: no cover - numpy comes with the ortools plugin
        return False
    return EXACT


_TWO_R = 2 * EARTH_RADIUS_KM


class CoverageProblem:
    """One coverage problem built from a Dataset (and a previous assignment).

    Villages and advisors are addressed by their index in :attr:`villages`
    and :attr:`advisors`, both sorted by id, so every strategy sees the same
    order and breaks ties the same way.
    """

    def __init__(self, dataset: Dataset, previous: Assignment | None = None,
                 vectorise: bool = True) -> None:
        pol = dataset.policy.assignment
        self.dataset = dataset
        """The input."""
        self.policy = pol
        self.villages: tuple[Village, ...] = tuple(sorted(dataset.villages, key=lambda v: v.id))
        self.advisors: tuple[Advisor, ...] = tuple(sorted(dataset.advisors, key=lambda a: a.id))
        self.village_index = {v.id: i for i, v in enumerate(self.villages)}
        self.advisor_index = {a.id: i for i, a in enumerate(self.advisors)}
        self._model: TravelModel | None = None
        self._has_table = bool(dataset.travel)  # the model's table holds exactly these rows
        self.road_factor = dataset.policy.road_factor
        self.speed_kmh = dataset.policy.speed_kmh
        self.max_km = pol.max_travel_km
        self.max_minutes = pol.max_travel_minutes
        reach = self.max_km
        if self.max_minutes > 0:
            reach = min(reach, self.max_minutes / 60.0 * self.speed_kmh)
        self.reach_gc_km = reach / self.road_factor if self.road_factor > 0 else reach
        """Great-circle radius beyond which no pair is eligible by coordinates."""

        self._vlat = [math.radians(v.lat) for v in self.villages]
        self._vcos = [math.cos(p) for p in self._vlat]
        self._alat = [math.radians(a.lat) for a in self.advisors]
        self._acos = [math.cos(p) for p in self._alat]
        self._alon = [a.lon for a in self.advisors]
        # Language sets are few: compare set ids, not sets, on the hot path.
        lang_ids: dict[frozenset[str], int] = {}
        self._vlang = [lang_ids.setdefault(frozenset(v.languages), len(lang_ids))
                       for v in self.villages]
        self._alang = [lang_ids.setdefault(frozenset(a.languages), len(lang_ids))
                       for a in self.advisors]
        by_id = {i: s for s, i in lang_ids.items()}
        self._speaks = [[by_id[vl] <= by_id[al] for al in range(len(by_id))]
                        for vl in range(len(by_id))]
        self.active = [a.active for a in self.advisors]
        self.excluded = {
            (self.village_index[v], self.advisor_index[a])
            for v, a in pol.excluded
            if v in self.village_index and a in self.advisor_index
        }
        # 司法所 staff are civil servants: they serve, if at all, only their own township
        # (hard). Their other pairs join the excluded ones, so every strategy and the
        # diagnosis respect it as they respect the conflict list.
        for office, a in enumerate(self.advisors):
            if a.role == "justice_office":
                self.excluded.update((vi, office) for vi, v in enumerate(self.villages)
                                     if v.township != a.township)
        self._table: dict[int, list[int]] = {}
        for (o, d) in sorted(self.model.table if self._has_table else ()):
            if o in self.advisor_index and d in self.village_index:
                self._table.setdefault(self.village_index[d], []).append(self.advisor_index[o])

        n_adv = len(self.advisors)
        span = max(1.0, self._span_km())
        # Cells a third of the width that holds k advisors on average: rings stay small.
        cell = math.sqrt(span * span * DEFAULT_K / max(1, n_adv)) / 3
        cell = min(max(cell, 1.0), max(self.reach_gc_km, 1.0))
        self._cell_km = cell
        self.vectorise = vectorise and vector_search()
        """Whether searches run vectorised (numpy); the results are the same either way."""
        self._vectors: Vectors | None = None
        self.home = self._home_townships()
        """Advisor index → id of the township of the village nearest their office."""
        self._grid_cache: Grid | None = None

        self.capacity = [dataset.capacity(a) if a.active else 0 for a in self.advisors]
        """Full capacity of each advisor (0 when inactive)."""
        self.fixed: dict[int, int] = {}
        """Village index → advisor index of pinned contracts, kept as they are."""
        self.existing: dict[int, int] = {}
        """Village index → advisor index of unpinned contracts in force."""
        for row in sorted(dataset.assignments, key=lambda r: r.village):
            vi, ai = self.village_index.get(row.village), self.advisor_index.get(row.advisor)
            if vi is not None and ai is not None:  # Dataset.build reports unknown ids
                (self.fixed if row.pinned else self.existing)[vi] = ai
        if previous is not None:
            for vid, aid in sorted(previous.advisor_of.items()):
                vi2 = self.village_index.get(vid)
                ai2 = self.advisor_index.get(aid) if aid is not None else None
                if vi2 is not None and ai2 is not None and vi2 not in self.fixed:
                    self.existing[vi2] = ai2
        pinned_load = [0] * n_adv
        for ai in self.fixed.values():
            pinned_load[ai] += 1
        self.pinned_load = pinned_load
        self.free = [max(0, c - p) for c, p in zip(self.capacity, pinned_load, strict=True)]
        """Places left per advisor once pinned contracts are counted."""
        n_active = sum(self.active)
        self.target_load = math.ceil(len(self.villages) / n_active) if n_active else 0
        """Load above which ``balance_weight`` applies (mean load, rounded up)."""
        self.balance_weight = pol.balance_weight
        self.free_below_target = [max(0, self.target_load - p) for p in pinned_load]
        self._all: dict[int, list[Candidate]] = {}
        self.open = tuple(i for i in range(len(self.villages)) if i not in self.fixed)
        """Villages a strategy must decide (every village not pinned)."""

    # -- geometry -----------------------------------------------------------------------------

    def _span_km(self) -> float:
        if not self.advisors:
            return 1.0
        lats = [a.lat for a in self.advisors]
        lons = [a.lon for a in self.advisors]
        mid = math.cos(math.radians((max(lats) + min(lats)) / 2))
        h = (max(lats) - min(lats)) * KM_PER_DEG
        w = (max(lons) - min(lons)) * KM_PER_DEG * mid
        return math.sqrt(max(h, 1.0) * max(w, 1.0))

    @property
    def _grid(self) -> Grid:
        """Active advisors in a grid, built on first use (the vectorised path needs none)."""
        if self._grid_cache is None:
            # What the hot loop of candidates() reads about an active advisor, in one tuple.
            fast = [
                (ai, self._alat[ai], self._acos[ai], a.lon, self._alang[ai], self.home[ai])
                if a.active else None
                for ai, a in enumerate(self.advisors)
            ]
            self._grid_cache = Grid([a.lat for a in self.advisors],
                                    [a.lon for a in self.advisors], self._cell_km, fast)
        return self._grid_cache

    @property
    def model(self) -> TravelModel:
        """The dataset's travel model, built on first use (only minutes and tables need it)."""
        if self._model is None:
            self._model = self.dataset.travel_model()
        return self._model

    def _vector(self) -> Vectors:
        if self._vectors is None:
            from .vector import Vectors  # numpy is optional: imported on first use

            self._vectors = Vectors(self)
        return self._vectors

    def _home_cell_km(self) -> float:
        span = max(1.0, self._span_km())
        return max(1.0, math.sqrt(span * span * 4 / len(self.villages)) / 3)

    def _home_townships(self) -> list[str]:
        if not self.villages:
            return ["" for _ in self.advisors]
        near: list[int | None] = [None] * len(self.advisors)
        if self.vectorise:
            near = self._vector().home_villages()
        grid: Grid | None = None
        homes = []
        for ai, a in enumerate(self.advisors):
            nearest = near[ai]
            if nearest is not None:
                homes.append(self.villages[nearest].township)
                continue
            if grid is None:  # only for advisors the vectorised search left in doubt
                grid = Grid([v.lat for v in self.villages], [v.lon for v in self.villages],
                            self._home_cell_km())
            centre = grid.cell(a.lat, a.lon)
            best: tuple[float, str] | None = None
            r = 0
            while True:
                for hit in grid.ring(centre, r):
                    for vi in hit:
                        v = self.villages[vi]
                        key = (great_circle_km(a.lat, a.lon, v.lat, v.lon), v.id)
                        if best is None or key < best:
                            best = key
                if best is not None and grid.lower_bound_km(r + 1) > best[0]:
                    break
                r += 1
            homes.append(self._village_by_id(best[1]).township)
        return homes

    def _village_by_id(self, village_id: str) -> Village:
        """The village with id ``village_id``."""
        return self.villages[self.village_index[village_id]]

    # -- pairs --------------------------------------------------------------------------------

    def road_km(self, vi: int, ai: int) -> float:
        """Road km between the advisor's office and the village (same as the travel model)."""
        if self._has_table:
            table = self.model.table
            minutes = table.get((self.advisors[ai].id, self.villages[vi].id))
            if minutes is not None:
                return minutes / 60.0 * self.speed_kmh
        # Same arithmetic as geo.great_circle_km(advisor, village), so limits agree exactly.
        p1, p2 = self._alat[ai], self._vlat[vi]
        dl = math.radians(self.villages[vi].lon - self.advisors[ai].lon)
        h = math.sin((p2 - p1) / 2) ** 2 + self._acos[ai] * self._vcos[vi] * math.sin(dl / 2) ** 2
        return _TWO_R * math.asin(min(1.0, math.sqrt(h))) * self.road_factor

    def road_kms(self, pairs: Mapping[int, int]) -> dict[int, float]:
        """Village index → road km of each (village, advisor) pair, as :meth:`road_km` says."""
        if self.vectorise and not self._has_table and pairs:
            return dict(zip(pairs, self._vector().road_km(list(pairs), list(pairs.values())),
                            strict=True))
        return {vi: self.road_km(vi, ai) for vi, ai in pairs.items()}

    def rounded_km(self, kms: list[float]) -> list[float]:
        """``round(km, 3)`` of each, exactly as Python rounds: with numpy for many (Python's
        ``round`` takes 0.3–0.8 s for a national assignment's 615,000 distances)."""
        if self.vectorise and len(kms) >= ROUND_MANY:
            from .vector import rounded_km  # numpy is optional: imported on first use

            return rounded_km(kms)
        return list(map(round, kms, itertools.repeat(3)))

    def minutes(self, vi: int, ai: int) -> float:
        """Travel minutes between the advisor's office and the village."""
        return self.model.minutes(self.advisors[ai].id, self.villages[vi].id)

    def why_not(self, vi: int, ai: int, km: float | None = None) -> str | None:
        """``None`` when the advisor may serve the village, else the rule that forbids it."""
        if not self.active[ai]:
            return "inactive"
        if not self._speaks[self._vlang[vi]][self._alang[ai]]:
            return "language"
        km = self.road_km(vi, ai) if km is None else km
        if km > self.max_km or (self.max_minutes > 0 and self.minutes(vi, ai) > self.max_minutes):
            return "distance"
        if (vi, ai) in self.excluded:
            office = self.advisors[ai]
            if office.role == "justice_office" and office.township != self.villages[vi].township:
                return "own_township"
            return "excluded"
        return None

    def speaks(self, vi: int, ai: int) -> bool:
        """Whether the advisor speaks every language of the village."""
        return self._speaks[self._vlang[vi]][self._alang[ai]]

    def cost(self, vi: int, ai: int, km: float | None = None) -> float:
        """Cost in km of the pair, before the load-balance term."""
        km = self.road_km(vi, ai) if km is None else km
        c = km
        if self.home[ai] != self.villages[vi].township:
            c += self.policy.other_township_km
        old = self.existing.get(vi)
        if old is not None and old != ai:
            c += self.policy.stability_km
        return c

    def _slow(self) -> bool:
        """Whether pairs need the travel table, travel minutes or the conflict list."""
        return self._has_table or self.max_minutes > 0 or bool(self.excluded)

    def candidates(self, vi: int, k: int | None = DEFAULT_K) -> tuple[list[Candidate], bool]:
        """The ``k`` cheapest eligible advisors of village ``vi`` (all when ``k`` is None).

        Returns the candidates ordered by (cost, advisor index) and whether the
        list holds every eligible advisor. The existing advisor, when
        eligible, is always included.
        """
        if k is None and vi in self._all:
            return self._all[vi], True
        v = self.villages[vi]
        grid = self._grid
        centre = grid.cell(v.lat, v.lon)
        found: dict[int, Candidate] = {}
        speaks = self._speaks[self._vlang[vi]]
        alang, active = self._alang, self.active
        alat, acos, alon = self._alat, self._acos, self._alon
        p2, c2, lon2, town = self._vlat[vi], self._vcos[vi], v.lon, v.township
        slow = self._slow()
        max_km, factor, home = self.max_km, self.road_factor, self.home
        other_km = self.policy.other_township_km
        old = self.existing.get(vi)
        move_km = self.policy.stability_km if old is not None else 0.0
        sin, sqrt, asin, radians = math.sin, math.sqrt, math.asin, math.radians

        def consider(ai: int) -> None:
            if ai in found or not active[ai] or not speaks[alang[ai]]:
                return
            if slow:
                km = self.road_km(vi, ai)
                if self.why_not(vi, ai, km) is None:
                    found[ai] = (self.cost(vi, ai, km), ai, km)
                return
            # Inlined road_km and cost: this loop is the hot path of every strategy.
            p1 = alat[ai]
            h = sin((p2 - p1) / 2) ** 2 + acos[ai] * c2 * sin(radians(lon2 - alon[ai]) / 2) ** 2
            km = _TWO_R * asin(sqrt(h) if h < 1.0 else 1.0) * factor
            if km > max_km:
                return
            c = km
            if home[ai] != town:
                c += other_km
            if move_km and ai != old:
                c += move_km
            found[ai] = (c, ai, km)

        for ai in self._table.get(vi, ()):
            consider(ai)
        if old is not None:
            consider(old)
        r = 0
        exhaustive = False
        while True:
            for hit in grid.ring(centre, r):
                if slow:
                    for item in hit:
                        if item is not None:
                            consider(item[0])
                    continue
                # consider() inlined: this loop is the hot path of every strategy
                for item in hit:
                    if item is None:
                        continue
                    ai, p1, ca, lon1, lang, hm = item
                    if not speaks[lang] or ai in found:
                        continue
                    h = sin((p2 - p1) / 2) ** 2 + ca * c2 * sin(radians(lon2 - lon1) / 2) ** 2
                    km = _TWO_R * asin(sqrt(h) if h < 1.0 else 1.0) * factor
                    if km > max_km:
                        continue
                    c = km + other_km if hm != town else km
                    if move_km and ai != old:
                        c += move_km
                    found[ai] = (c, ai, km)
            bound = grid.lower_bound_km(r + 1)
            if bound > self.reach_gc_km:
                exhaustive = True
                break
            if k is not None and len(found) >= k:
                kth = sorted(found.values())[k - 1][0]
                if bound * self.road_factor >= kth:
                    break
            r += 1
        out = sorted(found.values())
        if k is None:
            self._all[vi] = out
        if k is not None and len(out) > k:
            keep = out[:k]
            if old is not None and old in found and found[old] not in keep:
                keep.append(found[old])
                keep.sort()
            return keep, False
        return out, exhaustive

    def candidate_table(self, k: int = DEFAULT_K) -> tuple[array[int], array[float], array[int]]:
        """The ``k`` cheapest candidates of every open village, in flat arrays.

        Returns (advisor indices, costs, list sizes): the candidates of
        ``open[i]`` are the ``sizes[i]`` entries after those of ``open[:i]``
        (see :func:`advisors.coverage.table.candidate_table`, and
        :func:`~advisors.coverage.table.table_chunks` for the same in parts).
        """
        return candidate_table(self, k)

    # -- results ------------------------------------------------------------------------------

    def objective(self, choice: Mapping[int, int],
                  km: Mapping[int, float] | None = None) -> float:
        """Total cost of a choice of advisors for open villages (pinned ones cost nothing).

        ``km``, when given, holds the road km of the chosen pairs (village → km).
        The pair costs are summed exactly (``math.fsum``), so the total does not
        depend on the order of ``choice``.
        """
        if km is None:
            km = self.road_kms(choice)
        if self.vectorise and choice:
            costs = self._vector().pair_costs(list(choice), list(choice.values()),
                                              [km[vi] for vi in choice])
        else:
            costs = [self.cost(vi, ai, km[vi]) for vi, ai in choice.items()]
        total = math.fsum(costs)
        if self.balance_weight > 0:
            load = list(self.pinned_load)
            for ai in choice.values():
                load[ai] += 1
            total += self.balance_weight * sum(max(0, n - self.target_load) for n in load)
        return total

    def rule_broken(self, choice: Mapping[int, int],
                    km: Mapping[int, float]) -> tuple[int, str] | None:
        """The first pair of ``choice`` (by village index) that breaks a rule, and the rule.

        ``km`` holds the road km of the pairs. ``None`` when every pair may stand.
        """
        if self.vectorise and not self._slow() and choice:
            return self._vector().rule_broken(list(choice), list(choice.values()),
                                              [km[vi] for vi in choice])
        for vi in sorted(choice):
            why = self.why_not(vi, choice[vi], km[vi])
            if why is not None:
                return vi, why
        return None

    def result(self, choice: Mapping[int, int], strategy: str,
               notes: Iterable[str] = ()) -> Assignment:
        """The Assignment of a choice: pinned kept, distances, reasons for the uncovered."""
        return build_assignment(self, choice, strategy, tuple(notes))
