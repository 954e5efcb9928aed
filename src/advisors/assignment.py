"""Coverage: every village and community gets exactly one advisor of record.

This module holds the *result*: :class:`Assignment` (village → advisor, with
the distance of each pair, the villages nobody can cover and why, and the
diagnoses), plain and immutable, with a JSON round trip. The problem itself
(who may serve whom, at what cost) is :mod:`advisors.coverage.problem`; the
checks that explain infeasibility are :mod:`advisors.coverage.diagnose`.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .wording import Text

if TYPE_CHECKING:
    from .data.dataset import Dataset

__all__ = ["REASONS", "Assignment", "Diagnosis", "Uncovered"]

REASONS: tuple[str, ...] = ("language", "distance", "excluded", "own_township", "inactive",
                            "capacity", "none")
"""Why a village cannot be covered, as a code: the binding constraint."""


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    # Sorted plain dict: iteration order, equality and JSON output do not depend on input order.
    keys = list(value)
    if all(map(operator.le, keys, itertools.islice(keys, 1, None))):
        return dict(value)  # in order already (as the strategies build it): a copy is 6× faster
    keys.sort()
    return dict(zip(keys, map(value.__getitem__, keys), strict=True))


def _sorted_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(value))


@attrs.frozen
class Uncovered:
    """A village left without an advisor, with the constraint that stops it."""

    village: str
    reason: str
    """One of :data:`REASONS`."""
    message: str
    """The reason as a sentence a township office understands."""
    fix: str = ""
    """The nearest change that would cover it (a capacity, a distance limit)."""
    text: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``message`` as a sentence to put in the reader's language (not in :meth:`as_dict`)."""
    fix_text: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``fix`` as a sentence to put in the reader's language."""

    @classmethod
    def said(cls, village: str, reason: str, text: Text, fix: Text | None) -> Uncovered:
        """An uncovered village whose message and fix are ``text`` and ``fix`` in English."""
        return cls(village, reason, str(text), str(fix) if fix else "", text, fix)

    def as_dict(self) -> dict[str, str]:
        """Plain form."""
        return {"village": self.village, "reason": self.reason, "message": self.message,
                "fix": self.fix}


@attrs.frozen
class Diagnosis:
    """A group of villages that cannot all be covered (a Hall-type deficit).

    ``villages`` compete for the places of ``advisors``; ``shortfall`` of them
    cannot be covered whatever the strategy.
    """

    township: str
    """Township id (the first, when the group spans several)."""
    language: str
    """The language the group needs, or ``""`` when language is not the point."""
    reason: str
    """The binding constraint, one of :data:`REASONS`."""
    villages: tuple[str, ...]
    advisors: tuple[str, ...]
    """Advisors able to serve some village of the group."""
    free_places: int
    shortfall: int
    message: str
    fixes: tuple[str, ...] = ()
    text: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``message`` as a sentence to put in the reader's language (not in :meth:`as_dict`)."""
    fix_texts: tuple[Text, ...] = attrs.field(default=(), eq=False, repr=False)
    """``fixes`` as sentences to put in the reader's language."""

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""
        out = attrs.asdict(self, filter=lambda a, _: a.name not in ("text", "fix_texts"))
        out["villages"] = list(self.villages)
        out["advisors"] = list(self.advisors)
        out["fixes"] = list(self.fixes)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Diagnosis:
        """Inverse of :meth:`as_dict`."""
        return cls(
            str(data["township"]), str(data["language"]), str(data["reason"]),
            tuple(data["villages"]), tuple(data["advisors"]), int(data["free_places"]),
            int(data["shortfall"]), str(data["message"]), tuple(data.get("fixes", ())),
        )


@attrs.frozen
class Assignment:
    """Village → advisor of record; ``None`` for a village nobody can cover."""

    advisor_of: Mapping[str, str | None] = attrs.field(converter=_frozen_map)
    strategy: str = ""
    distance_km: Mapping[str, float] = attrs.field(factory=dict, converter=_frozen_map)
    """Road km from the advisor's office to each covered village."""
    pinned: tuple[str, ...] = attrs.field(default=(), converter=_sorted_tuple)
    """Villages whose pinned contract was kept as it is."""
    uncovered: tuple[Uncovered, ...] = ()
    """Every village without an advisor, with the reason; nothing is dropped silently."""
    diagnoses: tuple[Diagnosis, ...] = ()
    warnings: tuple[str, ...] = ()
    """Rules broken by contracts kept because they are pinned, and similar notices."""
    cost: float = 0.0
    """The objective: road km plus the policy's soft penalties."""
    notes: tuple[str, ...] = ()
    """What the strategy says about its result (optimality, widening of candidates)."""

    def villages_of(self, advisor: str) -> tuple[str, ...]:
        """The villages ``advisor`` serves, sorted by id."""
        return tuple(sorted(v for v, a in self.advisor_of.items() if a == advisor))

    @property
    def covered(self) -> int:
        """Number of villages with an advisor."""
        return sum(1 for a in self.advisor_of.values() if a is not None)

    @property
    def coverage(self) -> float:
        """Share of villages covered, 0..1 (1 for no villages)."""
        return self.covered / len(self.advisor_of) if self.advisor_of else 1.0

    @property
    def total_km(self) -> float:
        """Road km summed over covered villages."""
        return sum(self.distance_km.values())

    def loads(self) -> dict[str, int]:
        """Advisor → number of villages served (advisors with none are absent)."""
        out: dict[str, int] = {}
        for a in self.advisor_of.values():
            if a is not None:
                out[a] = out.get(a, 0) + 1
        return dict(sorted(out.items()))

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form; :meth:`from_dict` gives back an equal Assignment."""
        return {
            "strategy": self.strategy,
            "advisor_of": dict(self.advisor_of),
            "distance_km": dict(self.distance_km),
            "pinned": list(self.pinned),
            "uncovered": [u.as_dict() for u in self.uncovered],
            "diagnoses": [d.as_dict() for d in self.diagnoses],
            "warnings": list(self.warnings),
            "cost": self.cost,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assignment:
        """Inverse of :meth:`as_dict`."""
        return cls(
            advisor_of=dict(data["advisor_of"]),
            strategy=str(data.get("strategy", "")),
            distance_km={k: float(v) for k, v in data.get("distance_km", {}).items()},
            pinned=tuple(data.get("pinned", ())),
            uncovered=tuple(Uncovered(**u) for u in data.get("uncovered", ())),
            diagnoses=tuple(Diagnosis.from_dict(d) for d in data.get("diagnoses", ())),
            warnings=tuple(data.get("warnings", ())),
            cost=float(data.get("cost", 0.0)),
            notes=tuple(data.get("notes", ())),
        )

    @classmethod
    def from_existing(cls, dataset: Dataset) -> Assignment:
        """The contracts in force (``assignments.csv``) as an Assignment, unchecked.

        Villages without a contract map to ``None``; no reasons are computed
        (use :func:`advisors.assign` for that).
        """
        record = {a.village: a.advisor for a in dataset.assignments}
        model = dataset.travel_model()
        advisor_of = {v.id: record.get(v.id) for v in dataset.villages}
        distance = {
            v: round(model.road_km(a, v), 3) for v, a in advisor_of.items() if a is not None
        }
        return cls(
            advisor_of=advisor_of,
            strategy="existing",
            distance_km=distance,
            pinned=tuple(a.village for a in dataset.assignments if a.pinned),
            cost=round(sum(distance.values()), 3),
        )
