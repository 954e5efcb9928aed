"""Built-in greedy hotline rota maker: ``hotline.greedy``.

Fast and dependency-free. The most constrained seat first goes to the
eligible lawyer with the fewest shifts counting the history (rest-day and
evening seats by those counts first), then a repair pass moves shifts to fill
seats left empty.
"""

from __future__ import annotations

import datetime as dt

from ..hookspecs import Register, hookimpl
from ..period import month_of
from ..rules import SolveStats
from .facts import Counts, HotlineRota, Slot
from .problem import HotlineProblem

__all__ = ["GreedyHotline", "register_schedulers"]


class GreedyHotline:
    """Fill the most constrained seats first with the least-loaded eligible lawyer."""

    kind = "hotline"

    def __call__(self, problem: HotlineProblem) -> HotlineRota:
        """Solve ``problem``."""
        state = _RotaState(problem)
        for slot in state.order():
            lawyer = state.best(slot)
            if lawyer is not None:
                state.put(slot, lawyer)
        state.repair()
        state.balance()
        return problem.finish(sorted(state.chosen.items()), SolveStats("hotline.greedy"))


class _RotaState:
    def __init__(self, problem: HotlineProblem) -> None:
        self.p = problem
        self.chosen: dict[str, str] = {}
        self.counts: dict[str, Counts] = {x: problem.past.get(x, Counts())
                                          for x in problem.eligible}
        self.month: dict[tuple[str, str], int] = {}
        self.day: dict[tuple[str, dt.date], int] = {}
        self.shift: dict[tuple[dt.date, int], list[str]] = {}
        self._can: dict[tuple[str, str], bool] = {}
        """``problem.can_take`` per (lawyer, slot id): it does not change while the rota is
        made, and :meth:`allowed` asks it for every seat and lawyer several times."""
        for s in problem.kept:
            slot = problem.slot_by_id.get(s.id)
            if slot is not None:
                self.put(slot, s.lawyer)
            else:  # a pinned shift on a day now closed: it still counts toward the caps
                self.month[(s.lawyer, month_of(s.date))] = \
                    self.month.get((s.lawyer, month_of(s.date)), 0) + 1
                self.day[(s.lawyer, s.date)] = self.day.get((s.lawyer, s.date), 0) + 1
        self.slots = [s for s in problem.slots if s.id not in self.chosen]

    def put(self, slot: Slot, lawyer: str) -> None:
        self.chosen[slot.id] = lawyer
        if lawyer in self.counts:
            self.counts[lawyer] = self.counts[lawyer].plus(slot.weekend, slot.evening)
        self._bump(slot, lawyer, 1)

    def take(self, slot: Slot) -> str:
        lawyer = self.chosen.pop(slot.id)
        c = self.counts[lawyer]
        self.counts[lawyer] = Counts(c.total - 1, c.weekend - slot.weekend,
                                     c.evening - slot.evening)
        self._bump(slot, lawyer, -1)
        return lawyer

    def _bump(self, slot: Slot, lawyer: str, by: int) -> None:
        month = month_of(slot.date)
        self.month[(lawyer, month)] = self.month.get((lawyer, month), 0) + by
        self.day[(lawyer, slot.date)] = self.day.get((lawyer, slot.date), 0) + by
        group = self.shift.setdefault((slot.date, slot.index), [])
        if by > 0:
            group.append(lawyer)
        else:
            group.remove(lawyer)

    def allowed(self, slot: Slot, lawyer: str) -> bool:
        p = self.p
        month = month_of(slot.date)
        on_shift = self.shift.get((slot.date, slot.index), [])
        if lawyer in on_shift:
            return False
        if self.month.get((lawyer, month), 0) >= p.month_cap(lawyer, month):
            return False
        if self.day.get((lawyer, slot.date), 0) + p.past_days.get((lawyer, slot.date), 0) \
                >= p.day_cap:
            return False
        can = self._can.get((lawyer, slot.id))
        if can is None:
            can = self._can[(lawyer, slot.id)] = p.can_take(lawyer, slot)
        if not can:
            return False
        seats_left = p.dataset.policy.hotline.lawyers_per_shift - len(on_shift)
        missing = [lang for lang in p.dataset.policy.hotline.required_languages
                   if not any(p.speaks(x, lang) for x in on_shift)]
        # the last seats must bring the languages still missing
        return len([m for m in missing if not p.speaks(lawyer, m)]) < seats_left

    def candidates(self, slot: Slot) -> list[str]:
        return [x for x in self.p.eligible if self.allowed(slot, x)]

    def order(self) -> list[Slot]:
        def key(s: Slot) -> tuple[int, int, dt.date, int, int]:
            rank = 0 if s.weekend else 1 if s.evening else 2
            return (rank, len(self.candidates(s)), s.date, s.index, s.slot)
        return sorted(self.slots, key=key)

    def best(self, slot: Slot, exclude: str = "") -> str | None:
        def key(x: str) -> tuple[int, int, int, str]:
            c = self.counts[x]
            # the scarcer kinds of seat are balanced first, the total last
            return (c.weekend if slot.weekend else 0, c.evening if slot.evening else 0,
                    c.total, x)
        found = [x for x in self.candidates(slot) if x != exclude]
        return min(found, key=key) if found else None

    def balance(self, rounds: int = 500) -> None:
        """Hand shifts from the most to the least loaded lawyer while that narrows a spread."""
        by_id = {s.id: s for s in self.p.slots}
        kept = {k.id for k in self.p.kept}
        for _ in range(rounds):
            if not any(self._narrow(what, by_id, kept) for what in ("total", "weekend",
                                                                     "evening")):
                return

    def _narrow(self, what: str, by_id: dict[str, Slot], kept: set[str]) -> bool:
        if len(self.counts) < 2:
            return False
        values = {x: getattr(c, what) for x, c in self.counts.items()}
        lo = min(values.values())
        for hi_lawyer in sorted(values, key=lambda x: (-values[x], x)):
            if values[hi_lawyer] - lo <= 1:
                return False
            for lo_lawyer in sorted(x for x in values if values[x] == lo):
                if self._give(hi_lawyer, lo_lawyer, what, by_id, kept):
                    return True
        return False

    def _give(self, hi: str, lo: str, what: str, by_id: dict[str, Slot], kept: set[str]) -> bool:
        mine = [by_id[i] for i, x in sorted(self.chosen.items()) if x == hi and i not in kept]
        theirs = [by_id[i] for i, x in sorted(self.chosen.items()) if x == lo and i not in kept]
        special = [s for s in mine if what == "total" or getattr(s, what)]
        plain = [s for s in theirs if what != "total" and not getattr(s, what)]
        gap = self.counts[hi].total - self.counts[lo].total
        if what == "total" or gap >= 1:  # a plain move keeps the totals within one
            for slot in special:
                self.take(slot)
                if self.allowed(slot, lo):
                    self.put(slot, lo)
                    return True
                self.put(slot, hi)
        for slot in special:  # else swap: lo hands a plain shift back
            for back in plain:
                self.take(slot)
                self.take(back)
                if self.allowed(slot, lo):
                    self.put(slot, lo)
                    if self.allowed(back, hi):
                        self.put(back, hi)
                        return True
                    self.take(slot)
                self.put(slot, hi)
                self.put(back, lo)
        return False

    def repair(self) -> None:
        """Fill an empty seat by moving a blocking lawyer's other shift to someone free."""
        by_id = {s.id: s for s in self.p.slots}
        for slot in [s for s in self.slots if s.id not in self.chosen]:
            for lawyer in self.p.eligible:
                if self._try_free(slot, lawyer, by_id):
                    break

    def _try_free(self, slot: Slot, lawyer: str, by_id: dict[str, Slot]) -> bool:
        for other_id, holder in sorted(self.chosen.items()):
            if holder != lawyer or other_id in {k.id for k in self.p.kept}:
                continue
            other = by_id[other_id]
            self.take(other)
            if self.allowed(slot, lawyer):
                replacement = self.best(other, exclude=lawyer)
                if replacement is not None:
                    self.put(other, replacement)
                    self.put(slot, lawyer)
                    return True
            self.put(other, lawyer)
        return False


@hookimpl
def register_schedulers(register: Register) -> None:
    """Offer the greedy rota maker."""
    register("hotline.greedy", GreedyHotline(),
             "greedy: least-loaded eligible lawyer per seat, history included")
