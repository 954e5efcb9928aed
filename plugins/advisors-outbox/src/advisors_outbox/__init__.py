"""advisors-outbox: queue the notifications of every published plan in an SQLite outbox.

``plan_published(plan, changes, publication)`` runs after the publication
succeeded (the CLI calls it once the output folder is in place, the portal
once the version is recorded; a failed run calls nothing). It renders every
message of the publication as its files were rendered — with the template
and catalog folders of ``publication.rendered_with`` (what ``advisors plan
--templates/--locale-dir`` and the portal set), else the bundled ones, and
the ``prepare_jinja2_environment`` plugins — and writes them into the
outbox, once: a message is keyed on (event id, SEQUENCE, channel,
recipient), so publishing the same plan again queues nothing.

A caller publishing by other means calls :func:`deliver` with its options.

Where the database is: ``ADVISORS_OUTBOX`` (a file); else
``$ADVISORS_PORTAL_DATA/outbox.sqlite3`` — the portal sets that variable to
its data folder, so inside the portal the outbox lies beside its database.
With neither set, nothing is rendered or queued (a warning says so): a
delivery plugin never writes somewhere nobody chose.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from advisors import ExportOptions, Publication, hookimpl, notifications

from .store import Message, Outbox

__all__ = ["Message", "Outbox", "deliver", "messages", "outbox_path"]

log = logging.getLogger(__name__)


def outbox_path() -> Path | None:
    """The outbox database the environment selects, or ``None`` (see the module docs)."""
    explicit = os.environ.get("ADVISORS_OUTBOX", "").strip()
    if explicit:
        return Path(explicit)
    portal = os.environ.get("ADVISORS_PORTAL_DATA", "").strip()
    if portal:
        return Path(portal) / "outbox.sqlite3"
    return None


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


@hookimpl
def plan_published(plan: Any, changes: Any, publication: Any) -> None:
    """Render the messages of ``publication`` and write them into the outbox, once."""
    if not isinstance(publication, Publication):
        return  # a caller that has no publication: nothing of ours to deliver
    where = outbox_path()
    if where is None:
        log.warning("advisors-outbox: messages not queued: set ADVISORS_OUTBOX to the outbox "
                    "database (the portal sets ADVISORS_PORTAL_DATA)")
        return
    rendered = messages(publication, publication.rendered_with)
    added = Outbox(where).queue(rendered)
    log.info("advisors-outbox: %d of %d messages queued in %s", added, len(rendered), where)
