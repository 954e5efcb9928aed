"""advisors-outbox: queue the notifications of every published plan in an SQLite outbox.

Two hooks work together, because ``plan_published(plan, changes)`` receives
the plan but not the dataset the messages are rendered from (recipients'
names, languages, the villages' liaison officers):

* the ``outbox`` **exporter** runs with the other exporters, renders every
  message with the same templates and catalogs (a deployment's template
  overrides apply) and keeps them in memory, keyed by the plan's period,
  version and stamp — nothing is written yet, because the publication may
  still fail;
* ``plan_published`` runs after the publication succeeded and writes the
  rendered messages of that plan into the outbox, once: a message is keyed
  on (event id, SEQUENCE, channel, recipient), so publishing the same plan
  again queues nothing.

A portal that has the publication at hand may call :func:`deliver` directly.

Where the database is: ``ADVISORS_OUTBOX`` (a file); else
``$ADVISORS_PORTAL_DATA/outbox.sqlite3`` — the portal sets that variable to
its data folder, so inside the portal the outbox lies beside its database.
With neither set, nothing is rendered or queued (a warning says so): a
delivery plugin never writes somewhere nobody chose.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisors import ExportOptions, Publication, hookimpl, notifications

from .store import Message, Outbox

__all__ = ["Message", "Outbox", "deliver", "messages", "outbox_path"]

log = logging.getLogger(__name__)

_PENDING: dict[tuple[str, int, str], list[Message]] = {}
"""Rendered messages of exported plans not published yet, by plan identity."""
_KEEP = 4
"""Plans whose messages wait at most for their publication (older ones were never published)."""


def outbox_path() -> Path | None:
    """The outbox database the environment selects, or ``None`` (see the module docs)."""
    explicit = os.environ.get("ADVISORS_OUTBOX", "").strip()
    if explicit:
        return Path(explicit)
    portal = os.environ.get("ADVISORS_PORTAL_DATA", "").strip()
    if portal:
        return Path(portal) / "outbox.sqlite3"
    return None


def _identity(period: str, version: int, stamp: Any) -> tuple[str, int, str]:
    return (period, int(version), stamp.isoformat())


def messages(publication: Publication, options: ExportOptions | None = None) -> list[Message]:
    """Every notification of ``publication``, rendered, as outbox messages."""
    options = options or ExportOptions()
    sequence = {item.event.id: item.sequence for item in publication.events}
    out = []
    for note in notifications(publication, options.renderer(), options.translator()):
        out.append(Message(
            recipient=note.recipient.key, recipient_name=note.recipient.name,
            channel=note.channel, kind=note.kind, subject=note.subject, body=note.body,
            period=publication.period.label, plan_version=publication.version,
            events=tuple(sorted((event, sequence.get(event, 0)) for event in note.events)),
            address=note.recipient.email if note.channel == "email" else "",
            sms_segments=note.sms.segments if note.sms is not None else None))
    return out


def deliver(publication: Publication, options: ExportOptions | None = None,
            path: Path | None = None) -> int:
    """Queue the notifications of ``publication`` now; return how many were new."""
    where = path or outbox_path()
    if where is None:
        raise ValueError("no outbox: pass path= or set ADVISORS_OUTBOX")
    return Outbox(where).queue(messages(publication, options))


def stage(publication: Publication, out: Path, options: ExportOptions) -> Sequence[Path]:
    """The ``outbox`` exporter: render the messages, to be queued once the plan is published."""
    key = _identity(publication.period.label, publication.version, publication.stamp)
    _PENDING.pop(key, None)  # re-inserted last, so the trimming below drops older plans
    if outbox_path() is None:
        _PENDING[key] = []  # plan_published then says why nothing is queued
    else:
        _PENDING[key] = messages(publication, options)
    while len(_PENDING) > _KEEP:
        del _PENDING[next(iter(_PENDING))]
    return []


@hookimpl
def register_exporters(register: Any) -> None:
    """Offer the ``outbox`` exporter (renders messages for :func:`plan_published`)."""
    register("outbox", stage, "renders notifications for the SQLite outbox; queued when the "
             "plan is published (advisors-outbox)")


@hookimpl
def plan_published(plan: Any, changes: Any) -> None:
    """Write the rendered messages of ``plan`` into the outbox, once."""
    try:
        key = _identity(plan.period.label, plan.version, plan.stamp)
    except AttributeError:
        return  # not an advisors Plan: nothing of ours to deliver
    pending = _PENDING.pop(key, None)
    if pending is None:
        # The outbox exporter did not run for this plan (e.g. ``--exporters`` left it out).
        log.info("advisors-outbox: no rendered messages for plan %s v%s", key[0], key[1])
        return
    where = outbox_path()
    if where is None:
        log.warning("advisors-outbox: messages not queued: set ADVISORS_OUTBOX to the outbox "
                    "database (the portal sets ADVISORS_PORTAL_DATA)")
        return
    added = Outbox(where).queue(pending)
    log.info("advisors-outbox: %d of %d messages queued in %s", added, len(pending), where)
