"""The justice bureau's page: the ledger and the quarter's grades, live; the CSV exports.

The figures are the library's (:class:`portal.live.Live`), computed from what
was logged; the exports are ``services.csv``, ``feedback.csv`` and
``requests.csv`` in the columns ``advisors ledger``/``assess``/``plan`` read,
so a bureau can put them beside its dataset and run the CLI unchanged.
Only the administrator signs in here (the exports hold notes and requests).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template

from .auth import User, scoped
from .live import current_state, live
from .records import FEEDBACK_COLUMNS, REQUEST_COLUMNS, SERVICE_COLUMNS, rows_csv

__all__ = ["blueprint"]

blueprint = Blueprint("bureau", __name__, url_prefix="/bureau")



@blueprint.get("")
@scoped("admin")
def page(who: User) -> Any:
    """Ledger figures per township and advisor; grades ranked, explained."""
    state = current_state()
    the = live()
    ledger = the.ledger(state)
    assessment = the.assessment(state)
    names = state.dataset.policy.ledger.grade_names
    townships = {t.id: t.name for t in state.dataset.townships}
    return render_template(
        "bureau.html", ledger=ledger, assessment=assessment, grade_names=names,
        townships=townships, advisor_name=state.advisor_name, quarter=state.quarter,
        period=state.plan.period.label, findings=ledger.findings[:50],
        requests=len(the.records.requests()), version=state.version)


def _csv(name: str, text: str) -> Response:
    response = Response(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


@blueprint.get("/services.csv")
@scoped("admin")
def services_csv(who: User) -> Response:
    """Every logged service as ``services.csv`` (with a mediation row per dispute count)."""
    return _csv("services.csv", rows_csv(SERVICE_COLUMNS, live().records.ledger_rows()))


@blueprint.get("/feedback.csv")
@scoped("admin")
def feedback_csv(who: User) -> Response:
    """Every recorded score as ``feedback.csv``."""
    return _csv("feedback.csv", rows_csv(FEEDBACK_COLUMNS, live().records.feedback()))


@blueprint.get("/requests.csv")
@scoped("admin")
def requests_csv(who: User) -> Response:
    """Every request — the dataset's own and those recorded here — as ``requests.csv``, to
    replace the dataset's file (no requester's name or phone; the note is private)."""
    rows = [{"id": r.id, "village": r.village, "group": r.group, "kind": r.kind,
             "received_on": r.received_on.isoformat(), "languages": ";".join(r.languages),
             "note": r.note} for r in live().portal.dataset().requests]
    return _csv("requests.csv", rows_csv(REQUEST_COLUMNS, rows))
