"""A linear CP-SAT model written straight into its protocol buffer.

``ortools.sat.python.cp_model`` imports pandas (a quarter of a second at start-up, for its
``pd.Series`` helpers) and builds every constraint through Python operator overloading;
the training planner builds hundreds of small models. :class:`LinearModel` writes the
proto ``cp_model.CpModel`` writes for the same variables and linear constraints — terms
merged per variable, zero coefficients dropped, variables in index order, ``<=`` and
``>=`` as 64-bit infinite bounds — with ``cp_model_helper`` alone (no pandas, no numpy),
and solves it as ``cp_model.CpSolver`` does. The same proto and parameters give the same
solution (``tests/test_satproto.py`` compares the protos with ``cp_model``'s).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model_helper as cmh

__all__ = ["FOUND", "INT_MAX", "INT_MIN", "LinearModel", "Solution", "Term", "parameters"]

INT_MIN = -(2**63)
"""The lower bound of ``expr <= rhs`` in CP-SAT's proto (what ``cp_model`` writes)."""
INT_MAX = 2**63 - 1
"""The upper bound of ``expr >= rhs``."""

Term = tuple[int, int]
"""(variable index, coefficient)."""

FOUND = (cmh.CpSolverStatus.OPTIMAL, cmh.CpSolverStatus.FEASIBLE)
"""The statuses with a solution."""


class Solution:
    """A solve's status and, when one was found, the value of each variable."""

    def __init__(self, response: cmh.CpSolverResponse) -> None:
        self.status = response.status
        self._values = list(response.solution)

    @property
    def found(self) -> bool:
        """Whether a solution was found (optimal or feasible)."""
        return self.status in FOUND

    def value(self, var: int) -> int:
        """The value of variable ``var`` (an index from :class:`LinearModel`)."""
        return int(self._values[var])


class LinearModel:
    """Integer variables, linear constraints and a linear objective to minimise."""

    def __init__(self) -> None:
        self.proto = cmh.CpModelProto()
        self._variables = self.proto.variables
        self._constraints = self.proto.constraints
        self._count = 0

    def int_var(self, lb: int, ub: int, name: str) -> int:
        """A new variable in ``[lb, ub]``; returns its index."""
        var = self._variables.add()
        var.name = name
        var.domain.extend((lb, ub))
        self._count += 1
        return self._count - 1

    def bool_var(self, name: str) -> int:
        """A new 0-1 variable; returns its index."""
        return self.int_var(0, 1, name)

    def add(self, terms: Iterable[Term], lb: int, ub: int) -> None:
        """``lb <= sum(coefficient * variable) <= ub`` (:data:`INT_MIN`/:data:`INT_MAX` for
        a one-sided bound)."""
        variables, coefficients = _merged(terms)
        linear = self._constraints.add().linear
        linear.vars.extend(variables)
        linear.coeffs.extend(coefficients)
        linear.domain.extend((lb, ub))

    def minimize(self, terms: Iterable[Term]) -> None:
        """Minimise ``sum(coefficient * variable)``."""
        variables, coefficients = _merged(terms)
        objective = self.proto.objective
        objective.vars.extend(variables)
        objective.scaling_factor = 1.0
        objective.coeffs.extend(coefficients)

    def solve(self, parameters: cmh.SatParameters) -> Solution:
        """Solve, as ``cp_model.CpSolver.Solve`` does with these parameters."""
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(parameters)
        return Solution(wrapper.solve(self.proto))


def parameters(deterministic_time: float, wall_seconds: float, workers: int = 1,
               seed: int = 0) -> cmh.SatParameters:
    """The parameters :func:`advisors_ortools.cpsat.solver` sets: a limit in deterministic
    time (the same plan on every run), a wall-clock guard, one worker, a fixed seed."""
    out = cmh.SatParameters()
    out.num_workers = workers
    out.random_seed = seed
    out.max_deterministic_time = deterministic_time
    out.max_time_in_seconds = wall_seconds
    return out


def _merged(terms: Iterable[Term]) -> tuple[Sequence[int], Sequence[int]]:
    # as cp_model flattens an expression: one coefficient per variable, zeros dropped,
    # variables in index order
    ordered = sorted(terms)
    variables, coefficients = zip(*ordered, strict=True) if ordered else ((), ())
    if len(set(variables)) == len(variables) and 0 not in coefficients:
        return variables, coefficients  # the usual case, without a loop in Python
    total: dict[int, int] = {}
    for var, coefficient in ordered:
        total[var] = total.get(var, 0) + coefficient
    kept = [var for var, coefficient in total.items() if coefficient]  # in order already
    return kept, [total[var] for var in kept]
