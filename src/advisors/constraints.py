"""A deployment's own rules: what a registered constraint is, and how its matches are checked.

A plugin's ``register_constraints`` hook registers objects with

``name``
    the rule's name, as the analysis shows it (``"mycounty: no visits on Mondays"``);
``hard``
    ``True``: a plan breaking it does not meet the rules (the CLI exits 3);
    ``False``: a preference, its matches add their weight to the soft score;
``applies_to``
    ``"visits"``, ``"hotline"`` or ``"training"`` — the problem it checks;
``check(problem, result)``
    yields an :class:`~advisors.rules.Violation` per match: ``problem`` is the
    :class:`~advisors.visits.problem.VisitProblem`,
    :class:`~advisors.hotline.problem.HotlineProblem` or
    :class:`~advisors.training.problem.TrainingProblem`, ``result`` the plan a strategy
    made (:class:`~advisors.visits.visit_plan.VisitPlan`,
    :class:`~advisors.hotline.problem.HotlineRota`,
    :class:`~advisors.training.problem.TrainingPlan`).

:class:`Constraint` is a ready-made such object. The strategies do not see
these rules: the facades check every plan against them after solving and add
the matches to the plan's analysis, like the built-in rules. This module knows
nothing of the plugin manager; the facades look the constraints up and hand
them over as :class:`Bound` pairs (the plugin's name is for error messages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import attrs

from .errors import PluginError
from .rules import Analysis, Violation

__all__ = ["APPLIES_TO", "Bound", "Constraint", "ConstraintLike", "check_constraints", "validate",
           "with_constraints"]

APPLIES_TO: tuple[str, ...] = ("visits", "hotline", "training")
"""The problems a constraint can apply to."""


class ConstraintLike(Protocol):
    """What ``register_constraints`` registers (see the module docs)."""

    @property
    def name(self) -> str:
        """The rule's name in the analysis."""

    @property
    def hard(self) -> bool:
        """Whether the rule must hold."""

    @property
    def applies_to(self) -> str:
        """``visits``, ``hotline`` or ``training``."""

    def check(self, problem: Any, result: Any) -> Iterable[Violation]:
        """Every match of the rule in ``result``."""


@attrs.frozen
class Constraint:
    """A ready-made constraint: a name, how hard, which problem, and a check function."""

    name: str
    """The rule's name in the analysis."""
    applies_to: str = attrs.field(validator=attrs.validators.in_(APPLIES_TO))
    """``visits``, ``hotline`` or ``training``."""
    rule: Callable[[Any, Any], Iterable[Violation]]
    """``(problem, result)`` → the matches; their ``rule`` and ``hard`` are set from here."""
    hard: bool = True
    """Hard rules must hold; soft ones are preferences."""

    def check(self, problem: Any, result: Any) -> Iterable[Violation]:
        """Every match of the rule in ``result``."""
        return self.rule(problem, result)


@attrs.frozen
class Bound:
    """A constraint with the plugin that registered it."""

    plugin: str
    """Name of the plugin, for error messages."""
    constraint: Any
    """The registered object (a :class:`ConstraintLike`)."""
    registered_as: str = ""
    """The name it was registered under."""

    def describe(self) -> str:
        """``constraint 'x' of plugin 'p'``."""
        name = self.registered_as or str(getattr(self.constraint, "name", "?"))
        return f"constraint {name!r} of plugin {self.plugin!r}"


def validate(bound: Bound) -> str | None:
    """The problem a constraint applies to; ``None`` if it does not look like one.

    Raises :class:`PluginError` when an attribute of the contract is missing or wrong.
    """
    c = bound.constraint
    missing = [a for a in ("name", "hard", "applies_to", "check") if not hasattr(c, a)]
    if missing:
        raise PluginError(f"{bound.describe()} lacks {', '.join(missing)}; a constraint has "
                          "name, hard, applies_to and check(problem, result) "
                          "(see docs/plugin_hooks.md)")
    if c.applies_to not in APPLIES_TO:
        raise PluginError(f"{bound.describe()} applies to {c.applies_to!r}; expected one of "
                          + ", ".join(APPLIES_TO))
    if not isinstance(c.name, str) or not c.name or not isinstance(c.hard, bool):
        raise PluginError(f"{bound.describe()} needs a non-empty name and hard=True/False")
    return str(c.applies_to)


def check_constraints(constraints: Sequence[Bound], kind: str, problem: Any,
                      result: Any) -> tuple[Violation, ...]:
    """Matches of every constraint that applies to ``kind``, named and graded by it.

    A constraint that raises, or yields something other than a
    :class:`~advisors.rules.Violation`, raises :class:`PluginError` naming the plugin.
    """
    found: list[Violation] = []
    for bound in constraints:
        if validate(bound) != kind:
            continue
        c = bound.constraint
        try:
            matches = list(c.check(problem, result))
        except Exception as exc:
            raise PluginError(f"{bound.describe()} failed: {type(exc).__name__}: {exc}") \
                from exc
        for v in matches:
            if not isinstance(v, Violation):
                raise PluginError(f"{bound.describe()} returned {type(v).__name__}, not an "
                                  "advisors.rules.Violation")
            # the declaration says what the rule is called and how hard it is, as for built-ins
            found.append(attrs.evolve(v, rule=c.name, hard=c.hard))
    return tuple(found)


def with_constraints(constraints: Sequence[Bound], kind: str, problem: Any,
                     result: Any) -> tuple[Analysis, bool]:
    """``result``'s analysis with the matches of ``constraints`` added, and whether any matched.

    The solver's stats stay as they are: plugin rules are checked, not optimised.
    """
    extra = check_constraints(constraints, kind, problem, result)
    return Analysis(result.analysis.violations + extra), bool(extra)
