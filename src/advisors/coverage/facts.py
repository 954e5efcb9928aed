"""What the search, the candidate table and the diagnosis read of a coverage problem.

:class:`~advisors.coverage.problem.CoverageProblem` builds the facts of one
problem and answers a strategy's questions; to answer some it calls the
vectorised search (:mod:`advisors.coverage.vector`), the candidate table
(:mod:`advisors.coverage.table`) or the diagnosis
(:mod:`advisors.coverage.diagnose`), and these read the problem back. They
see it through :class:`CoverageFacts`, which the problem satisfies (mypy
checks it where the problem hands itself over), so the problem imports them
and none of them imports the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ..data.dataset import Dataset
from ..model import Advisor, Village
from ..policy import AssignmentPolicy

__all__ = ["Candidate", "CoverageFacts", "Search"]

Candidate = tuple[float, int, float]
"""(cost, advisor index, road km), ordered by cost then advisor index."""


class Search(Protocol):
    """The vectorised search as the candidate table drives it."""

    def prepare(self) -> None:
        """Build the arrays every search reads (once, before workers fork)."""

    def table(self, lo: int, hi: int, k: int) -> tuple[Any, Any, Any]:
        """(advisor indices, costs, list sizes) of ``open[lo:hi]`` as numpy arrays."""


class CoverageFacts(Protocol):
    """The facts and questions of one coverage problem (villages and advisors by index)."""

    dataset: Dataset
    policy: AssignmentPolicy
    villages: tuple[Village, ...]
    advisors: tuple[Advisor, ...]
    village_index: dict[str, int]
    road_factor: float
    max_km: float
    reach_gc_km: float
    active: list[bool]
    excluded: set[tuple[int, int]]
    vectorise: bool
    home: list[str]
    capacity: list[int]
    fixed: dict[int, int]
    existing: dict[int, int]
    pinned_load: list[int]
    free: list[int]
    open: tuple[int, ...]
    # what the vectorised search copies into arrays
    _vlat: list[float]
    _vcos: list[float]
    _alat: list[float]
    _acos: list[float]
    _alon: list[float]
    _vlang: list[int]
    _alang: list[int]
    _speaks: list[list[bool]]
    _cell_km: float

    def _home_cell_km(self) -> float: ...

    def _slow(self) -> bool: ...

    def _vector(self) -> Search: ...

    def candidates(self, vi: int, k: int | None = ...) -> tuple[list[Candidate], bool]:
        """The ``k`` cheapest eligible advisors of village ``vi``, and whether that is all."""

    def road_km(self, vi: int, ai: int) -> float:
        """Road km between the advisor's office and the village."""

    def road_kms(self, pairs: Mapping[int, int]) -> dict[int, float]:
        """Village index → road km of each (village, advisor) pair."""

    def rounded_km(self, kms: list[float]) -> list[float]:
        """``round(km, 3)`` of each, exactly as Python rounds."""

    def why_not(self, vi: int, ai: int, km: float | None = None) -> str | None:
        """``None`` when the advisor may serve the village, else the rule that forbids it."""

    def speaks(self, vi: int, ai: int) -> bool:
        """Whether the advisor speaks every language of the village."""

    def objective(self, choice: Mapping[int, int],
                  km: Mapping[int, float] | None = None) -> float:
        """Total cost of a choice of advisors for open villages."""

    def rule_broken(self, choice: Mapping[int, int],
                    km: Mapping[int, float]) -> tuple[int, str] | None:
        """The first pair of ``choice`` that breaks a rule, and the rule."""
