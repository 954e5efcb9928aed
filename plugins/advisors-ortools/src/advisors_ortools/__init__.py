"""advisors-ortools: OR-Tools strategies for advisors, installed as a plugin.

Registers the ``optimal`` coverage strategy (min-cost flow) and CP-SAT
schedulers for visits, the hotline rota and training sessions. OR-Tools is
imported only when a strategy runs, not when the plugin is registered.
"""

from __future__ import annotations

from advisors import hookimpl
from advisors.hookspecs import Register


@hookimpl
def register_assigners(register: Register) -> None:
    """Offer the optimal coverage strategy."""
    from . import assign

    assign.register(register)


@hookimpl
def register_schedulers(register: Register) -> None:
    """Offer the CP-SAT visit scheduler, hotline rota maker and training planner."""
    from . import hotline, training, visits

    visits.register(register)
    hotline.register(register)
    training.register(register)
