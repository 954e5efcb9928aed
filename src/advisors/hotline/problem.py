"""The 12348 hotline problem a strategy solves: the facts, and the rota it finishes.

A strategy (plugin) receives a :class:`HotlineProblem`, reads its facts
(:class:`~advisors.hotline.facts.HotlineFacts`) and returns
``problem.finish(choices)``: the rota, checked against the named rules
(:mod:`advisors.hotline.rules`).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..rules import SolveStats, run_rules
from .facts import DutyShift, HotlineFacts, HotlineRota
from .rules import HOTLINE_RULES, counts_of

__all__ = ["HotlineProblem"]


@attrs.frozen(eq=False)
class HotlineProblem(HotlineFacts):
    """The facts of one rota, and how a strategy's choices become the rota."""

    def finish(self, chosen: Iterable[tuple[str, str]], stats: SolveStats) -> HotlineRota:
        """The rota from the kept shifts plus new ``(slot id, lawyer)`` choices."""
        by_id = self.slot_by_id
        shifts = list(self.kept)
        taken = {s.id for s in self.kept}
        for slot_id, lawyer in sorted(set(chosen)):
            slot = by_id[slot_id]
            if slot_id in taken:
                continue
            taken.add(slot_id)
            shifts.append(DutyShift(slot.id, slot.date, slot.index, slot.slot, slot.start,
                                    slot.end, lawyer))
        ordered = tuple(sorted(shifts, key=lambda s: s.key))
        analysis = run_rules(HOTLINE_RULES, self, ordered)
        return HotlineRota(self.period, ordered, counts_of(self, ordered), analysis,
                           attrs.evolve(stats, objective=analysis.soft_score))
