"""How a plan explains itself: named rules, their matches and justifications.

Timefold style: every rule is one named function that, given a problem and
a candidate plan, yields a :class:`Violation` per match, each with a
readable justification and the people, places and days involved. A plan
carries the resulting :class:`Analysis`; hard violations mean the plan does
not meet the rules (the CLI exits 3), soft ones say how far it is from ideal.

The rules of each problem are listed next to the problem
(:data:`advisors.visits.rules.VISIT_RULES`, :data:`advisors.hotline.rules.HOTLINE_RULES`);
training may reuse these types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from .errors import DataError, Problem
from .wording import Text

__all__ = ["Analysis", "Rule", "SolveStats", "Violation", "date_tuple", "run_rules", "str_tuple"]

P = TypeVar("P")
E = TypeVar("E")


def str_tuple(items: Iterable[str]) -> tuple[str, ...]:
    """Converter: any iterable of ids → a tuple."""
    return tuple(items)


def pinned_ids(items: Iterable[str]) -> tuple[str, ...]:
    """Converter of ``pinned`` event ids: sorted, each once."""
    return tuple(sorted(set(items)))


def check_pinned(pinned: Sequence[str], previous: Mapping[str, object] | None,
                 event: str, plan: str) -> None:
    """Raise a DataError unless every ``pinned`` id names an event of the previous plan.

    ``previous`` maps the previous plan's event ids (``None``: there is no
    previous plan); ``event`` and ``plan`` name them in the message
    ("shift", "rota").
    """
    if previous is None:
        if pinned:
            raise DataError([Problem("pinned", f"pinned {event}s need a previous {plan}",
                                     field="pinned", value=pinned[0])])
        return
    unknown = [p for p in pinned if p not in previous]
    if unknown:
        raise DataError([Problem("pinned", f"not {'an' if event[0] in 'aeiou' else 'a'} "
                                 f"{event} of the previous {plan}", field="pinned", value=p)
                         for p in unknown])


def date_tuple(items: Iterable[dt.date]) -> tuple[dt.date, ...]:
    """Converter: any iterable of dates → a tuple."""
    return tuple(items)


def _sorted_violations(items: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(items, key=_order))


@attrs.frozen(order=True)
class Violation:
    """One match of one rule: what is wrong, who and when."""

    rule: str
    """The rule's name, e.g. ``"Advisor double-booked"``."""
    hard: bool = attrs.field(order=False)
    """Hard rules must hold; soft ones are preferences."""
    message: str
    """The justification, as a sentence a township office can act on."""
    subjects: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    """Ids of the advisors, lawyers, villages or events involved."""
    days: tuple[dt.date, ...] = attrs.field(default=(), converter=date_tuple)
    """Days involved."""
    weight: int = attrs.field(default=1, order=False)
    """Penalty of this match; solvers minimise the sum over soft matches."""
    text: Text | None = attrs.field(default=None, eq=False, order=False, repr=False)
    """The justification as a message id and values (ids, codes, dates), put in the
    reader's language where people read it; ``message`` is its English form. Not in
    :meth:`as_dict`: a plan read back tells its English message."""

    @classmethod
    def said(cls, text: Text, subjects: Iterable[str] = (), days: Iterable[dt.date] = (),
             weight: int = 1, *, hard: bool = True, rule: str = "") -> Violation:
        """A match whose ``message`` is ``text`` in English (the rule fills in ``rule``)."""
        return cls(rule, hard, str(text), tuple(subjects), tuple(days), weight, text)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {"rule": self.rule, "hard": self.hard, "message": self.message,
                "subjects": list(self.subjects), "days": [d.isoformat() for d in self.days],
                "weight": self.weight}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Violation:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["rule"]), bool(data["hard"]), str(data["message"]),
                   tuple(str(s) for s in data.get("subjects", ())),
                   tuple(dt.date.fromisoformat(d) for d in data.get("days", ())),
                   int(data.get("weight", 1)))


@attrs.frozen
class Analysis:
    """Every violation of a plan, sorted; the plan's score."""

    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_sorted_violations)

    @property
    def hard(self) -> tuple[Violation, ...]:
        """Violations of hard rules."""
        return tuple(v for v in self.violations if v.hard)

    @property
    def soft(self) -> tuple[Violation, ...]:
        """Violations of soft rules."""
        return tuple(v for v in self.violations if not v.hard)

    @property
    def feasible(self) -> bool:
        """Whether every hard rule holds."""
        return not self.hard

    @property
    def soft_score(self) -> int:
        """Sum of the weights of soft violations (what solvers minimise)."""
        return sum(v.weight for v in self.soft)

    @property
    def rank(self) -> tuple[int, int]:
        """(hard violations, soft score): the smaller, the better the plan."""
        return (len(self.hard), self.soft_score)

    def by_rule(self) -> dict[str, tuple[Violation, ...]]:
        """Rule name → its matches, hard rules first."""
        out: dict[str, list[Violation]] = {}
        for v in self.violations:
            out.setdefault(v.rule, []).append(v)
        return {k: tuple(v) for k, v in out.items()}

    def lines(self, limit: int = 10) -> list[str]:
        """A readable report: one heading per rule, at most ``limit`` matches under each."""
        out: list[str] = []
        for rule, matches in self.by_rule().items():
            kind = "hard" if matches[0].hard else "soft"
            out.append(f"{rule} ({kind}): {len(matches)}")
            out.extend(f"  - {m.message}" for m in matches[:limit])
            if len(matches) > limit:
                out.append(f"  … and {len(matches) - limit} more")
        return out

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {"feasible": self.feasible, "soft_score": self.soft_score,
                "violations": [v.as_dict() for v in self.violations]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        """Inverse of :meth:`as_dict`."""
        return cls(tuple(Violation.from_dict(v) for v in data.get("violations", ())))


def _order(v: Violation) -> tuple[bool, str, tuple[dt.date, ...], tuple[str, ...], str]:
    return (not v.hard, v.rule, v.days, v.subjects, v.message)


@attrs.frozen
class SolveStats:
    """How a strategy did: its objective (the soft score), its bound, and the gap."""

    strategy: str
    status: str = "heuristic"
    """``optimal``, ``feasible`` (time limit reached), ``heuristic`` (no bound proven) or
    ``hint`` (the solver found nothing better than its greedy starting solution within
    its limit, or nothing at all: that starting solution is returned)."""
    objective: int | None = None
    bound: int | None = None
    """A proven lower bound of the objective, when the strategy has one."""

    @property
    def gap(self) -> float | None:
        """``(objective - bound) / max(objective, 1)``; ``None`` without a bound, or where
        the bound exceeds the objective (a plan breaking hard rules: its soft score is not
        what the bound bounds)."""
        if self.objective is None or self.bound is None or self.bound > self.objective:
            return None
        return (self.objective - self.bound) / max(self.objective, 1)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {"strategy": self.strategy, "status": self.status, "objective": self.objective,
                "bound": self.bound, "gap": self.gap}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SolveStats:
        """Inverse of :meth:`as_dict`."""
        return cls(str(data["strategy"]), str(data.get("status", "heuristic")),
                   data.get("objective"), data.get("bound"))


@attrs.frozen
class Rule(Generic[P, E]):
    """A named rule: a function from (problem, events) to its violations."""

    name: str
    hard: bool
    check: Callable[[P, Sequence[E]], Iterable[Violation]]
    description: str = ""


def run_rules(rules: Iterable[Rule[P, E]], problem: P, events: Sequence[E]) -> Analysis:
    """Apply every rule and collect the analysis."""
    found: list[Violation] = []
    for rule in rules:
        found.extend(_checked(rule, problem, events))
    return Analysis(tuple(found))


def _checked(rule: Rule[P, E], problem: P, events: Sequence[E]) -> Iterator[Violation]:
    for v in rule.check(problem, events):
        # a rule function only states the match; the rule's declaration says how hard it is
        yield attrs.evolve(v, rule=rule.name, hard=rule.hard)
