"""What the CP-SAT planners share: the weight of a hard miss and a reproducible solver."""

from __future__ import annotations

from typing import Any

__all__ = ["MISSING_WEIGHT", "solver"]

MISSING_WEIGHT = 100_000
"""Penalty of what a hard rule wants and cannot be had (a visit not placed, an empty seat),
far above every soft penalty."""


def solver(deterministic_time: float, workers: int = 1, seed: int = 0,
           wall_seconds: float | None = None) -> Any:
    """A CP-SAT solver limited in *deterministic* time, so the same input gives the same plan
    (one worker); ``wall_seconds`` is only a guard for a much slower machine."""
    from ortools.sat.python import cp_model

    out = cp_model.CpSolver()
    out.parameters.num_workers = workers
    out.parameters.random_seed = seed
    out.parameters.max_deterministic_time = deterministic_time
    if wall_seconds is not None:
        out.parameters.max_time_in_seconds = wall_seconds
    return out
