"""The plugin contract: every hook a plugin may implement (pluggy project ``advisors``).

Collection hooks take a ``register`` callback: the plugin calls
``register(name, implementation, description="")`` once per thing it
provides. The core owns the registries and refuses a name registered twice.
What an implementation must be for each kind is documented in
``docs/plugin_hooks.md``.
"""

from __future__ import annotations

from typing import Any, Protocol

import pluggy

__all__ = ["Register", "hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("advisors")
hookimpl = pluggy.HookimplMarker("advisors")


class Register(Protocol):
    """The callback handed to ``register_*`` hooks."""

    def __call__(self, name: str, implementation: Any, description: str = "") -> None:
        """Offer ``implementation`` under ``name``."""


@hookspec
def register_assigners(register: Register) -> None:
    """Register strategies that cover villages with advisors.

    :param register: call ``register(name, assigner, description)``; an assigner
        is a callable ``(problem: CoverageProblem) -> Assignment``.
    """


@hookspec
def register_schedulers(register: Register) -> None:
    """Register visit schedulers, hotline rota makers and training planners.

    :param register: call ``register(name, scheduler, description)``; the
        scheduler's ``kind`` attribute says which problem it solves.
    """


@hookspec
def register_exporters(register: Register) -> None:
    """Register exporters: calendars, rosters, notices, reports, notifications.

    :param register: call ``register(name, exporter, description)``; an exporter
        writes files for a plan into an output folder.
    """


@hookspec
def register_loaders(register: Register) -> None:
    """Register dataset readers by format.

    :param register: call ``register(name, loader, description)`` with an
        :class:`advisors.plugins.Loader`.
    """


@hookspec
def register_constraints(register: Register) -> None:
    """Register extra hard or soft rules a deployment adds to the built-in ones.

    :param register: call ``register(name, constraint, description)``; a
        constraint has ``name``, ``hard``, ``applies_to`` (``visits``, ``hotline``
        or ``training``) and ``check(problem, result)`` yielding
        :class:`advisors.rules.Violation` — see :mod:`advisors.constraints`
        (:class:`~advisors.constraints.Constraint` is a ready-made one). The
        facades add the matches to the plan's analysis.
    """


@hookspec
def prepare_jinja2_environment(env: Any) -> None:
    """Add filters, globals or template folders to the jinja2 environment.

    :param env: the ``jinja2.Environment`` every exporter renders with.
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add commands to the ``advisors`` command line.

    :param cli: the root ``click.Group``; call ``cli.add_command(...)``.
    """


@hookspec
def plan_published(plan: Any, changes: Any, publication: Any) -> None:
    """A plan was published: deliver notifications, store it, tell other systems.

    An implementation may accept any subset of the arguments (pluggy passes
    only those it names), so ``plan_published(plan, changes)`` still works.

    :param plan: the published plan.
    :param changes: what changed against the previously published plan.
    :param publication: the :class:`advisors.output.Publication` the
        exporters wrote (the plan with its dataset: recipients' names,
        languages, the events with their SEQUENCE).
    """
