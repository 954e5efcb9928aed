"""The work the portal collects: services logged, satisfaction scores, requests; the audit trail.

Rows are stored only after the library has validated them (see
:mod:`portal.live`); this module keeps them. Every form carries a
``submission`` id made when the form was shown: a phone that sends the same
form twice (a retry on a bad line) stores one record, not two.

Each change of a service record writes an ``audit`` row in the same
transaction: who (``advisor:adv-01``), what (``create``/``update``), when, and
the record before and after, as JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .db import connect, new_id, tables

__all__ = ["SERVICE_COLUMNS", "Records"]

SERVICE_COLUMNS: Final = ("advisor", "village", "date", "start", "end", "kind",
                          "people_served", "consultations", "appointment", "note",
                          "villagers")
"""Columns of ``services.csv`` in the order the library documents them."""
FEEDBACK_COLUMNS: Final = ("advisor", "village", "date", "score")
"""Columns of ``feedback.csv``."""
REQUEST_COLUMNS: Final = ("id", "village", "group", "kind", "received_on", "languages", "note")
"""Columns of ``requests.csv`` (issue 18's requests capability)."""
_EDITABLE: Final = ("date", "village", "start", "end", "kind", "people_served",
                    "consultations", "disputes", "appointment", "note")


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _plain(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


class Records:
    """The collected records in the database at ``url``."""

    def __init__(self, url: str) -> None:
        self.url = url

    # services ---------------------------------------------------------------------------

    def add_service(self, values: Mapping[str, Any], who: str, submission: str) -> int:
        """Store a validated service; the same ``submission`` twice stores it once."""
        t = tables.services
        row = {k: values[k] for k in ("advisor", *_EDITABLE)}
        row.update(submission=submission, visit=values.get("visit", ""), updated_at=_now())
        try:
            with connect(self.url, write=True) as conn:
                ident = new_id(conn.execute(t.insert().values(**row)))
                conn.execute(tables.audit.insert().values(
                    at=row["updated_at"], who=who, what="create", entity="service",
                    entity_id=ident, before="", after=_json(row)))
                return ident
        except sa.exc.IntegrityError:
            with connect(self.url) as conn:
                found = conn.execute(sa.select(t.c.id).where(t.c.submission == submission)
                                     ).scalar()
            if found is None:
                raise
            return int(found)

    def service(self, ident: int) -> dict[str, Any] | None:
        """One stored service."""
        t = tables.services
        with connect(self.url) as conn:
            row = conn.execute(sa.select(t).where(t.c.id == ident)).first()
        return None if row is None else _plain(row)

    def update_service(self, ident: int, values: Mapping[str, Any], who: str) -> bool:
        """Correct a service (audited); ``False`` when nothing changed."""
        t = tables.services
        with connect(self.url, write=True) as conn:
            before = conn.execute(sa.select(t).where(t.c.id == ident).with_for_update()
                                  ).first()
            if before is None:
                raise KeyError(ident)
            old = _plain(before)
            new = {k: values[k] for k in _EDITABLE}
            changed = {k: v for k, v in new.items() if old[k] != v}
            if not changed:
                return False
            when = _now()
            conn.execute(t.update().where(t.c.id == ident).values(**changed, updated_at=when))
            conn.execute(tables.audit.insert().values(
                at=when, who=who, what="update", entity="service", entity_id=ident,
                before=_json({k: old[k] for k in changed}), after=_json(changed)))
        return True

    def services(self, advisor: str | None = None, month: str | None = None
                 ) -> list[dict[str, Any]]:
        """Stored services (of one advisor, of one ``YYYY-MM``), by date, time, id."""
        t = tables.services
        query = sa.select(t).order_by(t.c.date, t.c.start, t.c.id)
        if advisor is not None:
            query = query.where(t.c.advisor == advisor)
        if month is not None:
            query = query.where(t.c.date.like(f"{month}-%"))
        with connect(self.url) as conn:
            return [_plain(r) for r in conn.execute(query)]

    def audit(self, entity: str, ident: int) -> list[dict[str, Any]]:
        """The audit trail of one record, oldest first."""
        t = tables.audit
        with connect(self.url) as conn:
            rows = conn.execute(sa.select(t).where(t.c.entity == entity, t.c.entity_id == ident)
                                .order_by(t.c.id))
            return [_plain(r) for r in rows]

    def ledger_rows(self) -> list[dict[str, Any]]:
        """Every service as rows of ``services.csv`` (a mediation row per service that
        mediated disputes), in the order stored."""
        out = []
        for s in self.services_by_id():
            out.append(service_row(s))
            if s["disputes"]:
                out.append(mediation_row(s))
        return out

    def services_by_id(self) -> list[dict[str, Any]]:
        """Every stored service in the order stored."""
        return self._rows(tables.services, None)

    # feedback ---------------------------------------------------------------------------

    def add_feedback(self, values: Mapping[str, Any], who: str, submission: str) -> int:
        """Store a validated score; the same ``submission`` twice stores it once."""
        t = tables.feedback
        row = {k: values[k] for k in FEEDBACK_COLUMNS}
        row.update(submission=submission, recorded_by=who, recorded_at=_now())
        return self._insert_once(t, row, submission)

    def feedback(self, advisor: str | None = None) -> list[dict[str, Any]]:
        """Stored scores in the order stored."""
        t = tables.feedback
        return self._rows(t, None if advisor is None else t.c.advisor == advisor)

    # requests ---------------------------------------------------------------------------

    def add_request(self, values: Mapping[str, Any], who: str, submission: str) -> int:
        """Store a request; its id ``web-<n>`` (the library's and the advisor's
        appointment id, never a name) is made from its row number."""
        t = tables.requests
        row = {k: values[k] for k in ("township", "village", "grp", "kind", "received_on",
                                      "languages", "requester", "phone", "note")}
        row.update(submission=submission, recorded_by=who, recorded_at=_now(),
                   ref=f"pending-{submission}")
        return self._insert_once(t, row, submission, then=lambda conn, ident: conn.execute(
            t.update().where(t.c.id == ident).values(ref=f"web-{ident:05d}")))

    def requests(self, township: str | None = None) -> list[dict[str, Any]]:
        """Stored requests (of one township) in the order received."""
        t = tables.requests
        return self._rows(t, None if township is None else t.c.township == township)

    def _rows(self, table: sa.Table, where: Any) -> list[dict[str, Any]]:
        query = sa.select(table).order_by(table.c.id)
        if where is not None:
            query = query.where(where)
        with connect(self.url) as conn:
            return [_plain(r) for r in conn.execute(query)]

    def _insert_once(self, table: sa.Table, row: Mapping[str, Any], submission: str,
                     then: Callable[[Connection, int], object] | None = None) -> int:
        """Insert ``row`` (and run ``then`` in the same transaction); a ``submission``
        stored before is not stored again: its id is returned."""
        try:
            with connect(self.url, write=True) as conn:
                ident = new_id(conn.execute(table.insert().values(**row)))
                if then is not None:
                    then(conn, ident)
                return ident
        except sa.exc.IntegrityError:
            with connect(self.url) as conn:
                found = conn.execute(sa.select(table.c.id)
                                     .where(table.c.submission == submission)).scalar()
            if found is None:
                raise
            return int(found)


def service_row(s: Mapping[str, Any]) -> dict[str, Any]:
    """A stored service as a row of ``services.csv``."""
    return {"advisor": s["advisor"], "village": s["village"], "date": s["date"],
            "start": s["start"], "end": s["end"], "kind": s["kind"],
            "people_served": "" if s["people_served"] is None else s["people_served"],
            "consultations": s["consultations"], "appointment": s["appointment"],
            "note": s["note"], "villagers": ""}


def mediation_row(s: Mapping[str, Any]) -> dict[str, Any]:
    """The ``mediation`` record of a service day that mediated disputes.

    The library counts services by kind; the disputes mediated on a service
    day are a ``mediation`` record in the same village and hours (not an
    overlap: another kind, the same village), one party per dispute counted
    as served — a lower bound the form's help says.
    """
    return {**service_row(s), "kind": "mediation", "people_served": s["disputes"],
            "consultations": "", "appointment": "",
            "note": f"调解纠纷 {s['disputes']} 起 (disputes mediated)"}


def rows_csv(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """CSV text with ``columns``, the way the CLI reads it (UTF-8, ``\\n`` lines)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue()


def _json(values: Mapping[str, Any]) -> str:
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True, default=str)
