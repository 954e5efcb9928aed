"""Why this advisor: explanations of a coverage Assignment for one village or advisor.

For a village: its advisor, the distance, the languages, the advisor's
load, what the pair costs and why, and the next-best alternatives with their
costs and why they were not chosen — or, for an uncovered village, the
reason and the nearest fix. For an advisor: their villages and load.
"""

from __future__ import annotations

import attrs

from ..assignment import Assignment
from ..data.dataset import Dataset
from .problem import CoverageProblem

__all__ = ["AdvisorExplanation", "Alternative", "VillageExplanation", "explain_advisor",
           "explain_coverage", "explain_village"]


@attrs.frozen
class Alternative:
    """An advisor who could also serve the village."""

    advisor: str
    name: str
    distance_km: float
    cost: float
    load: int
    capacity: int
    why_not: str
    """Why the chosen advisor was preferred."""


@attrs.frozen
class VillageExplanation:
    """Why a village has its advisor (or none)."""

    village: str
    name: str
    township: str
    languages: tuple[str, ...]
    advisor: str | None
    advisor_name: str = ""
    distance_km: float = 0.0
    cost: float = 0.0
    cost_parts: tuple[str, ...] = ()
    """How the cost is made up, e.g. ``12.3 road km``, ``+10 other township``."""
    load: int = 0
    capacity: int = 0
    pinned: bool = False
    alternatives: tuple[Alternative, ...] = ()
    reason: str = ""
    """For an uncovered village: the binding constraint and the fix."""

    def lines(self) -> list[str]:
        """The explanation as readable lines."""
        head = f"{self.township} {self.name} ({self.village}), needs {'+'.join(self.languages)}"
        if self.advisor is None:
            return [head, f"  not covered: {self.reason}"]
        out = [
            head,
            f"  advisor: {self.advisor_name} ({self.advisor})"
            + (" — pinned contract, kept as it is" if self.pinned else ""),
            f"  distance: {self.distance_km:.1f} road km; cost {self.cost:.1f} = "
            + " ".join(self.cost_parts),
            f"  load: {self.load} of {self.capacity} villages",
        ]
        if self.alternatives:
            out.append("  alternatives:")
            for alt in self.alternatives:
                out.append(f"    {alt.name} ({alt.advisor}): {alt.distance_km:.1f} km, cost "
                           f"{alt.cost:.1f}, load {alt.load}/{alt.capacity} — {alt.why_not}")
        else:
            out.append("  no other advisor may serve this village")
        return out


@attrs.frozen
class AdvisorExplanation:
    """An advisor's villages and load."""

    advisor: str
    name: str
    languages: tuple[str, ...]
    capacity: int
    villages: tuple[tuple[str, str, float], ...]
    """(village id, name, road km), sorted by id."""
    active: bool = True

    def lines(self) -> list[str]:
        """The explanation as readable lines."""
        out = [f"{self.name} ({self.advisor}), speaks {'+'.join(self.languages)}"
               + ("" if self.active else ", inactive"),
               f"  load: {len(self.villages)} of {self.capacity} villages"]
        out += [f"    {name} ({vid}): {km:.1f} km" for vid, name, km in self.villages]
        return out


def explain_village(dataset: Dataset, assignment: Assignment, village: str,
                    alternatives: int = 3, previous: Assignment | None = None,
                    problem: CoverageProblem | None = None) -> VillageExplanation:
    """Why ``village`` has its advisor in ``assignment``, and the next-best alternatives."""
    problem = problem or CoverageProblem(dataset, previous)
    vi = problem.village_index[village]
    v = problem.villages[vi]
    township = dataset.township_by_id.get(v.township)
    tname = township.name if township else v.township
    loads = assignment.loads()
    chosen = assignment.advisor_of.get(village)
    if chosen is None:
        found = [u for u in assignment.uncovered if u.village == village]
        reason = (found[0].message + (f" Fix: {found[0].fix}." if found[0].fix else "")
                  if found else "no advisor")
        return VillageExplanation(village, v.name, tname, v.languages, None, reason=reason)
    ai = problem.advisor_index[chosen]
    a = problem.advisors[ai]
    km = problem.road_km(vi, ai)
    parts = _parts(problem, vi, ai, km)
    cost = problem.cost(vi, ai, km)
    alts: list[Alternative] = []
    for c, bi, bkm in problem.candidates(vi, alternatives + 1)[0]:
        if bi == ai or len(alts) >= alternatives:
            continue
        b = problem.advisors[bi]
        load = loads.get(b.id, 0)
        cap = problem.capacity[bi]
        if village in assignment.pinned:
            why = "the contract with the chosen advisor is pinned"
        elif c < cost:
            why = f"full ({load}/{cap}): its places serve villages it suits better"
        elif c == cost:
            why = "same cost; ties go to the lower advisor id"
        else:
            why = f"costs {c - cost:.1f} more ({' '.join(_parts(problem, vi, bi, bkm))})"
        alts.append(Alternative(b.id, b.name, round(bkm, 3), round(c, 3), load, cap, why))
    return VillageExplanation(
        village, v.name, tname, v.languages, chosen, a.name, round(km, 3), round(cost, 3),
        tuple(parts), loads.get(chosen, 0), problem.capacity[ai], village in assignment.pinned,
        tuple(alts),
    )


def _parts(problem: CoverageProblem, vi: int, ai: int, km: float) -> list[str]:
    """How the cost of a pair is made up."""
    parts = [f"{km:.1f} road km"]
    if problem.home[ai] != problem.villages[vi].township:
        parts.append(f"+ {problem.policy.other_township_km:g} (outside the advisor's township)")
    old = problem.existing.get(vi)
    if old is not None and old != ai:
        parts.append(f"+ {problem.policy.stability_km:g} (moves the contract with "
                     f"{problem.advisors[old].id})")
    return parts


def explain_advisor(dataset: Dataset, assignment: Assignment, advisor: str) -> AdvisorExplanation:
    """The villages ``advisor`` serves in ``assignment`` and their load."""
    a = dataset.advisor_by_id[advisor]
    villages = tuple(
        (vid, dataset.village_by_id[vid].name, assignment.distance_km.get(vid, 0.0))
        for vid in assignment.villages_of(advisor)
    )
    return AdvisorExplanation(a.id, a.name, a.languages, dataset.capacity(a), villages, a.active)


def explain_coverage(dataset: Dataset, assignment: Assignment, ident: str,
                     problem: CoverageProblem | None = None) -> list[str]:
    """Explanation lines for a village or advisor id; a KeyError for an unknown id.

    ``problem`` (the dataset's, without a previous assignment) saves building
    it again when several ids are explained.
    """
    if ident in dataset.village_by_id:
        return explain_village(dataset, assignment, ident, problem=problem).lines()
    if ident in dataset.advisor_by_id:
        return explain_advisor(dataset, assignment, ident).lines()
    raise KeyError(ident)
