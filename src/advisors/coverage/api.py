"""The coverage facade: :func:`assign` picks a strategy plugin and hands it the problem."""

from __future__ import annotations

from ..assignment import Assignment
from ..data.dataset import Dataset
from ..plugins import collect, lookup
from .diagnose import diagnose
from .problem import CoverageProblem

__all__ = ["AUTO_ORDER", "assign", "assign_strategies", "diagnose_coverage"]

AUTO_ORDER: tuple[str, ...] = ("optimal", "greedy")
"""Strategies ``auto`` tries, best first."""


def assign_strategies() -> dict[str, str]:
    """Installed coverage strategies: name → description."""
    return {name: reg.description for name, reg in sorted(collect("assigners").items())}


def resolve_strategy(strategy: str) -> str:
    """The installed strategy ``strategy`` names (``auto``: the best installed)."""
    if strategy != "auto":
        return strategy
    found = collect("assigners")
    for name in AUTO_ORDER:
        if name in found:
            return name
    return lookup("assigners", "greedy").name  # raises a PluginError listing what exists


def assign(dataset: Dataset, strategy: str = "auto",
           previous: Assignment | None = None) -> Assignment:
    """Give every village of ``dataset`` an advisor of record.

    ``strategy`` names an installed assigner (``advisors plugins`` lists them);
    ``auto`` picks ``optimal`` when the advisors-ortools plugin is installed,
    else ``greedy``. ``previous`` is an earlier assignment whose contracts are
    kept unless moving saves more than the policy's ``stability_km`` (pinned
    contracts of ``assignments.csv`` are always kept). Villages nobody can
    cover map to ``None`` and are listed in ``uncovered`` with the reason.
    """
    name = resolve_strategy(strategy)
    solver = lookup("assigners", name).implementation
    problem = CoverageProblem(dataset, previous)
    result = solver(problem)
    if not isinstance(result, Assignment):  # pragma: no cover - a broken plugin
        raise TypeError(f"assigner {name!r} returned {type(result).__name__}, not Assignment")
    return result


def diagnose_coverage(dataset: Dataset) -> Assignment:
    """Before solving: the villages no assignment can cover, with reasons and fixes.

    Returns a quick maximal coverage (no attention to cost) whose
    ``uncovered`` and ``diagnoses`` hold for every strategy.
    """
    return diagnose(CoverageProblem(dataset))
