"""advisors-ortools: OR-Tools strategies for advisors, installed as a plugin.

Registers the exact coverage strategies ``optimal`` (shortest augmenting
paths, compiled with numba) and ``mincostflow`` (OR-Tools min-cost flow),
and CP-SAT schedulers for visits, the hotline rota and training sessions.
OR-Tools and numba are imported only when a strategy runs, not when the
plugin is registered.
"""

from __future__ import annotations

from advisors import hookimpl
from advisors.hookspecs import Register


@hookimpl
def register_assigners(register: Register) -> None:
    """Offer the exact coverage strategies."""
    from . import assign

    assign.register(register)


@hookimpl
def register_schedulers(register: Register) -> None:
    """Offer the CP-SAT visit scheduler, hotline rota maker and training planner."""
    from . import hotline, training, visits

    visits.register(register)
    hotline.register(register)
    training.register(register)
