"""Two versions of a plan compared: what is new, moved, cancelled or unchanged.

Events are matched by their stable id — which comes from what the event *is*
(``visit/<village>/<YYYY-MM>/<n>``, ``hotline/<YYYY-MM-DD>/<shift>/<seat>``),
never from when it happens — so an event whose day, time or person changed
is *moved*, not cancelled and created anew, and phones update it in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Generic, Protocol, TypeVar

import attrs

from ..period import Period

__all__ = ["Changes", "Event", "diff"]


class Event(Protocol):
    """What :func:`diff` needs of an event: a stable id, a date, a plain form."""

    @property
    def id(self) -> str:
        """Stable identity."""

    @property
    def date(self) -> dt.date:
        """The day it happens."""

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""


E = TypeVar("E", bound=Event)


@attrs.frozen
class Changes(Generic[E]):
    """How a new version differs from the published one, each list sorted by id."""

    new: tuple[E, ...] = ()
    """Events the published version did not have."""
    moved: tuple[tuple[E, E], ...] = ()
    """(published, new) pairs of one id whose day, time, person or details changed."""
    cancelled: tuple[E, ...] = ()
    """Published events the new version drops."""
    unchanged: tuple[E, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything differs."""
        return bool(self.new or self.moved or self.cancelled)

    def ids(self) -> dict[str, list[str]]:
        """The ids in each list."""
        return {"new": [e.id for e in self.new], "moved": [b.id for _, b in self.moved],
                "cancelled": [e.id for e in self.cancelled],
                "unchanged": [e.id for e in self.unchanged]}

    def summary(self) -> str:
        """``2 new, 1 moved, 0 cancelled, 40 unchanged``."""
        return (f"{len(self.new)} new, {len(self.moved)} moved, {len(self.cancelled)} "
                f"cancelled, {len(self.unchanged)} unchanged")

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form with the events themselves."""
        return {"new": [e.as_dict() for e in self.new],
                "moved": [{"before": a.as_dict(), "after": b.as_dict()} for a, b in self.moved],
                "cancelled": [e.as_dict() for e in self.cancelled],
                "unchanged": [e.id for e in self.unchanged]}


def diff(published: Iterable[E], new: Iterable[E], within: Period | None = None) -> Changes[E]:
    """Compare the published events with a new version.

    With ``within``, only published events in that period are compared (a
    plan for December says nothing about November's events).
    """
    old = {e.id: e for e in published if within is None or e.date in within}
    now = {e.id: e for e in new}
    return Changes(
        new=tuple(now[k] for k in sorted(now.keys() - old.keys())),
        moved=tuple((old[k], now[k]) for k in sorted(now.keys() & old.keys())
                    if old[k] != now[k]),
        cancelled=tuple(old[k] for k in sorted(old.keys() - now.keys())),
        unchanged=tuple(now[k] for k in sorted(now.keys() & old.keys()) if old[k] == now[k]),
    )
