"""The library at work on what the portal collects: validation, the ledger, the grades.

Every form is validated by the library itself — a service row by
:func:`advisors.services_from_rows`, a score by
:func:`advisors.feedback_from_rows` — so the portal accepts exactly what
``advisors ledger`` would read from ``services.csv``, and each
:class:`advisors.Problem` names the field it is about, shown next to it.

The bureau's figures are :func:`advisors.match_ledger` of the published plan
against the stored services, and :func:`advisors.assess` of the quarter: the
quarter's planned visits are the published plan's where it covers the
quarter's days, and :func:`advisors.schedule_visits` on the plan's assignment
for the rest (what ``advisors assess --plan`` does for a plan of the whole
quarter).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import attrs
from flask import abort, current_app, g, has_request_context

import advisors

from .publish import Portal
from .records import Records
from .store import Version

__all__ = ["Live", "State", "current_state", "errors_by_field", "live"]


def live() -> Live:
    """The application's :class:`Live` (inside a request)."""
    found: Live = current_app.extensions["portal_live"]
    return found


def current_state() -> State:
    """The current publication loaded, or 503 before the first one (inside a request)."""
    state = live().state()
    if state is None:
        abort(503, "nothing published yet")
    return state


@attrs.frozen
class State:
    """The current publication, loaded once per version."""

    version: Version
    dataset: advisors.Dataset
    plan: advisors.Plan
    quarter: str
    """The calendar quarter of the period's start, e.g. ``2026-Q4``."""

    def visits_of(self, advisor: str) -> list[advisors.Visit]:
        """The advisor's planned visits of the published period, by date."""
        return [v for v in self.plan.visits.visits if v.advisor == advisor]

    def home_visits_of(self, advisor: str) -> list[advisors.HomeVisit]:
        """The extra home visits booked for the advisor's requests, by date."""
        return sorted((h for h in self.plan.visits.home_visits if h.advisor == advisor),
                      key=lambda h: (h.date, h.start, h.id))

    def booking_of(self, request: str) -> advisors.Booking | None:
        """Where the library booked a request in the published plan (``None``: not yet)."""
        return next((b for b in self.plan.visits.bookings if b.request == request), None)

    def appointments_of(self, advisor: str) -> list[str]:
        """Ids of the requests booked for the advisor (what a home visit may keep)."""
        return sorted(b.request for b in self.plan.visits.bookings
                      if b.advisor == advisor and b.event)

    def village_name(self, ident: str) -> str:
        """The village's Chinese name (never the raw id on a page)."""
        found = self.dataset.village_by_id.get(ident)
        return found.name if found is not None else ident

    def advisor_name(self, ident: str) -> str:
        """The advisor's name."""
        found = self.dataset.advisor_by_id.get(ident)
        return found.name if found is not None else ident


def errors_by_field(exc: advisors.DataError) -> dict[str, str]:
    """The problems of one validated row, by field (``_`` for the row as a whole)."""
    out: dict[str, str] = {}
    for p in exc.problems:
        text = p.message + (f"; expected {p.expected}" if p.expected else "")
        key = p.field or "_"
        out[key] = f"{out[key]} · {text}" if key in out else text
    return out


class Live:
    """The library over the portal's current version and its records."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self.store = portal.store
        self.records = Records(portal.url)
        self._lock = threading.Lock()
        self._state: State | None = None
        self._quarters: dict[int, tuple[advisors.Visit, ...]] = {}

    def state(self) -> State | None:
        """The current version loaded (``None`` before the first publication).

        While one thread loads a new version, the others go on with the one
        loaded before (a form is checked against a plan a second old rather
        than waiting); a version pruned while it loads gives way to the newest.
        """
        version = self._current()
        if version is None:
            return None
        held = self._state
        if held is not None and held.version.id == version.id:
            return held
        if not self._lock.acquire(blocking=held is None):
            return held
        try:
            for _ in range(5):
                if self._state is not None and self._state.version.id >= version.id:
                    break
                try:
                    self._state = self._load(version)
                except FileNotFoundError:  # pruned by a newer publication meanwhile
                    version = self.store.current() or version
            return self._state
        finally:
            self._lock.release()

    def _current(self) -> Version | None:
        """The current version, asked of the database once per HTTP request."""
        if not has_request_context():
            return self.store.current()
        if "portal_version" not in g:
            g.portal_version = self.store.current()
        found: Version | None = g.portal_version
        return found

    def _load(self, version: Version) -> State:
        dataset = self.portal.dataset()
        plan = advisors.Plan.read(version.folder / "plan.json")
        quarter = advisors.Period.parse(plan.period.quarters()[0].label)
        return State(version, dataset, plan, quarter.label)

    def quarter_visits(self, state: State) -> tuple[advisors.Visit, ...]:
        """The quarter's planned visits: the published plan's, scheduled for the rest
        (computed once per version, when the bureau's page first asks)."""
        key = state.version.id
        if key not in self._quarters:
            quarter = advisors.Period.parse(state.quarter)
            plan = state.plan
            visits = [v for v in plan.visits.visits if v.date in quarter]
            if not (plan.period.start <= quarter.start and quarter.end <= plan.period.end):
                rest = advisors.schedule_visits(state.dataset, plan.assignment, quarter)
                visits += [v for v in rest.visits if v.date not in plan.period]
            self._quarters = {key: tuple(visits)}
        return self._quarters[key]

    # validation -------------------------------------------------------------------------

    def check_service(self, row: Mapping[str, Any]) -> dict[str, str]:
        """Problems of one service row by field; empty when the library accepts it."""
        state = self._required()
        try:
            advisors.services_from_rows([row], state.dataset, source="form")
        except advisors.DataError as exc:
            return errors_by_field(exc)
        return {}

    def check_feedback(self, row: Mapping[str, Any]) -> dict[str, str]:
        """Problems of one score by field; empty when the library accepts it."""
        state = self._required()
        try:
            advisors.feedback_from_rows([row], state.dataset, source="form")
        except advisors.DataError as exc:
            return errors_by_field(exc)
        return {}

    def _required(self) -> State:
        state = self.state()
        if state is None:
            raise advisors.AdvisorsError("nothing published yet")
        return state

    # the ledger -------------------------------------------------------------------------

    def services(self, state: State) -> list[advisors.ServiceRecord]:
        """The stored services read by the library, as ``services.csv`` would be."""
        return advisors.services_from_rows(self.records.ledger_rows(), state.dataset,
                                           source="services.csv")

    def feedback(self, state: State) -> list[advisors.Feedback]:
        """The stored scores read by the library."""
        return advisors.feedback_from_rows(self.records.feedback(), state.dataset,
                                           source="feedback.csv")

    def ledger(self, state: State) -> advisors.Ledger:
        """The published period's plan against the stored services."""
        return advisors.match_ledger(state.dataset, state.plan.visits.visits,
                                     self.services(state), state.plan.period,
                                     dict(state.plan.assignment.advisor_of))

    def assessment(self, state: State) -> advisors.Assessment:
        """The quarter's grades from the stored services and scores."""
        ledger = advisors.match_ledger(state.dataset, self.quarter_visits(state),
                                       self.services(state), state.quarter,
                                       dict(state.plan.assignment.advisor_of))
        return advisors.assess(state.dataset, ledger, self.feedback(state))

