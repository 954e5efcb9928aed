"""The training pools' CP-SAT model, written without ``cp_model``, is ``cp_model``'s model;
a pool proved infeasible without it is one CP-SAT finds infeasible.

:mod:`advisors_ortools.pool` writes each pool's proto straight through
``cp_model_helper`` (no pandas). CP-SAT given the same proto and the same
parameters finds the same solution, so the plans stay byte-identical; here the
reference formulation — the one the planner built with ``cp_model`` before —
is built from the same numbers and both protos (and parameters) are compared
as text, on generated pools.
"""

from __future__ import annotations

from typing import Any

import attrs
from advisors_ortools import cpsat
from advisors_ortools.pool import SESSION_WEIGHT, Pool, pool_model, surely_infeasible
from advisors_ortools.satproto import LinearModel, parameters
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model


def reference(pool: Pool) -> Any:
    """The pool's model as the planner wrote it with ``cp_model``."""
    capacity, counts = pool.capacity, pool.counts
    model = cp_model.CpModel()
    n_sessions = -(-sum(counts) // capacity) + len(counts)
    use = [model.NewBoolVar(f"use{k}") for k in range(n_sessions)]
    z: dict[tuple[int, str], Any] = {}
    x: dict[tuple[int, int], Any] = {}
    cost: list[Any] = [SESSION_WEIGHT * sum(use)]
    for k in range(n_sessions):
        if k:
            model.Add(use[k] <= use[k - 1])
        for t, cost_t in zip(pool.trainers, pool.costs, strict=True):
            z[(k, t)] = var = model.NewBoolVar(f"z{k}_{t}")
            cost.append(cost_t * var)
        model.Add(sum(z[(k, t)] for t in pool.trainers) == use[k])
        for ci in range(len(counts)):
            x[(k, ci)] = model.NewIntVar(0, counts[ci], f"x{k}_{ci}")
            speakers = [z[(k, pool.trainers[i])] for i in pool.speakers[ci]]
            if speakers:
                model.Add(x[(k, ci)] <= counts[ci] * sum(speakers))
            else:
                model.Add(x[(k, ci)] == 0)
        seated = sum(x[(k, ci)] for ci in range(len(counts)))
        model.Add(seated <= capacity * use[k])
        model.Add(seated >= use[k])
    for ci in range(len(counts)):
        model.Add(sum(x[(k, ci)] for k in range(n_sessions)) == counts[ci])
    for t, left in zip(pool.trainers, pool.left, strict=True):
        model.Add(sum(z[(k, t)] for k in range(n_sessions)) <= left)
    model.Minimize(sum(cost))
    return model


@st.composite
def pools(draw: st.DrawFn) -> Pool:
    classes = draw(st.integers(1, 3))
    n_trainers = draw(st.integers(1, 8))
    trainers = tuple(f"R{i:03d}" for i in range(n_trainers))
    speakers = tuple(tuple(sorted(draw(st.sets(st.integers(0, n_trainers - 1)))))
                     for _ in range(classes))
    return Pool(draw(st.integers(1, 60)),
                tuple(draw(st.integers(1, 90)) for _ in range(classes)), trainers,
                tuple(draw(st.integers(0, 400)) for _ in trainers), speakers,
                tuple(draw(st.integers(0, 6)) for _ in trainers))


@settings(max_examples=150, deadline=None)
@given(pools())
def test_pool_model_is_the_cp_model_one(pool: Pool) -> None:
    assert str(pool_model(pool).model.proto) == str(reference(pool).Proto())


def test_same_parameters_as_the_cp_model_solver() -> None:
    assert str(parameters(5.0, 10.0)) == str(cpsat.solver(5.0, wall_seconds=10.0).parameters)
    assert str(parameters(2.5, 3.0, workers=2, seed=7)) == str(
        cpsat.solver(2.5, workers=2, seed=7, wall_seconds=3.0).parameters)


@settings(max_examples=40, deadline=None)
@given(pools())
def test_same_solution_as_the_cp_model_solver(pool: Pool) -> None:
    built = pool_model(pool)
    mine = built.model.solve(parameters(5.0, 10.0))
    model = reference(pool)
    solver = cpsat.solver(5.0, wall_seconds=10.0)
    status = solver.Solve(model)
    assert mine.status == status
    if mine.found:
        values = [mine.value(i) for i in range(len(built.model.proto.variables))]
        assert values == [solver.Value(v) for v in _variables(model)]
        assert solver.ObjectiveValue() == sum(
            c * mine.value(v) for v, c in zip(built.model.proto.objective.vars,
                                              built.model.proto.objective.coeffs, strict=True))


def _variables(model: Any) -> list[Any]:
    return [model.GetIntVarFromProtoIndex(i) for i in range(len(model.Proto().variables))]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-4, 4)), min_size=1, max_size=12),
       st.integers(-20, 20), st.integers(0, 2))
def test_linear_constraint_as_cp_model_writes_it(terms: list[tuple[int, int]], rhs: int,
                                                 sense: int) -> None:
    # repeated variables and zero coefficients, as an expression may hold them
    mine = LinearModel()
    model = cp_model.CpModel()
    variables = [model.NewIntVar(-9, 9, f"v{i}") for i in range(6)]
    for i in range(6):
        mine.int_var(-9, 9, f"v{i}")
    expr = sum(c * variables[v] for v, c in terms)
    if not isinstance(expr, cp_model.LinearExpr):
        return  # every coefficient 0: cp_model keeps a constant, no constraint to compare
    if sense == 0:
        model.Add(expr <= rhs)
        mine.add(terms, -(2**63), rhs)
    elif sense == 1:
        model.Add(expr >= rhs)
        mine.add(terms, rhs, 2**63 - 1)
    else:
        model.Add(expr == rhs)
        mine.add(terms, rhs, rhs)
    model.Minimize(expr)
    mine.minimize(terms)
    assert str(mine.proto) == str(model.Proto())


@st.composite
def tight_pools(draw: st.DrawFn) -> Pool:
    # small numbers, so that seats and people are often equal or one apart
    classes = draw(st.integers(1, 3))
    n_trainers = draw(st.integers(1, 4))
    speakers = tuple(tuple(sorted(draw(st.sets(st.integers(0, n_trainers - 1)))))
                     for _ in range(classes))
    return Pool(draw(st.integers(1, 4)), tuple(draw(st.integers(1, 9)) for _ in range(classes)),
                tuple(f"R{i}" for i in range(n_trainers)),
                tuple(draw(st.integers(0, 50)) for _ in range(n_trainers)), speakers,
                tuple(draw(st.integers(0, 3)) for _ in range(n_trainers)))


@settings(max_examples=300, deadline=None)
@given(st.one_of(tight_pools(), pools()))
def test_surely_infeasible_is_what_the_search_finds(pool: Pool) -> None:
    if surely_infeasible(pool):
        found = pool_model(pool).model.solve(parameters(5.0, 10.0))
        assert found.status.name == "INFEASIBLE"


def test_surely_infeasible_on_a_shared_trainer() -> None:
    # each class alone fits in the one session R0 has left; both together do not
    pool = Pool(5, (3, 3), ("R0", "R1"), (10, 20), ((0,), (0,)), (1, 4))
    assert surely_infeasible(pool)
    assert not surely_infeasible(attrs.evolve(pool, left=(2, 4)))
    assert not surely_infeasible(attrs.evolve(pool, speakers=((0,), (0, 1))))
