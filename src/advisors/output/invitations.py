"""Email invitations (iTIP, RFC 5546): ``METHOD:REQUEST`` for new and changed events,
``METHOD:CANCEL`` for cancelled ones, one ``.eml`` per event and attendee with an email.

The calendar part is ``text/calendar; method=REQUEST`` (or ``CANCEL``) —
mail clients use the MIME ``method`` parameter, which must match the
calendar's METHOD, to offer "accept" or to remove the event. Messages are
deterministic: the date is the plan's stamp, the Message-ID and the MIME
boundary derive from the event, its SEQUENCE and the recipient.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from collections.abc import Iterable
from email.message import EmailMessage
from pathlib import Path

import attrs

from ..locale import Translator, cldr
from ..plan.events import EventChange, Party
from .base import sorted_paths
from .folder import OutputFolder
from .ics import FeedWriter
from .mail import address, message_id

__all__ = ["invitation", "write_invitations"]

_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


_SUBJECTS = {
    "moved": "Moved: {what}, {old} → {new}",
    "cancelled": "Cancelled: {what}, {when}",
    "changed": "Changed: {what}, {when}",
    "new": "New: {what}, {when}",
}


def subject(change: EventChange, title: str, translator: Translator | None = None) -> str:
    """What the mail is about, at a glance; a move says from when to when
    (``调整：普法讲座：隆务村，12月3日 09:00 → 12月4日 09:00``)."""
    translator = translator or Translator.load()
    event = change.current.event
    old = change.previous.event.start if change.previous else event.start
    msgid = _SUBJECTS.get(change.kind, _SUBJECTS["changed"])
    return translator.text(msgid, "zh", what=title, when=cldr.when(event.start),
                           old=cldr.when(old), new=cldr.when(event.start))


def invitation(writer: FeedWriter, change: EventChange, recipient: Party,
               organizer: Party) -> EmailMessage:
    """The invitation (or cancellation) of one change for one recipient."""
    item = change.current
    method = "CANCEL" if item.cancelled else "REQUEST"
    event = item.event
    title = writer.text(item, "summary")
    # The calendar's name is what a mail client shows for it: a title, not the UID.
    ics = b"".join(writer.feed_bytes(title, [item], private=True, method=method))
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = address(organizer.name, organizer.email, "policy calendar.organizer_email")
    msg["To"] = address(recipient.name, recipient.email)
    summary = subject(change, writer.text(attrs.evolve(item, cancelled=False), "summary"),
                      writer.translator)
    msg["Subject"] = summary
    msg["Date"] = email.utils.format_datetime(item.stamp)
    seed = f"{writer.uid(item)}/{item.sequence}/{recipient.email}"
    msg["Message-ID"] = message_id(seed, writer.domain)
    digest = msg["Message-ID"][1:].split("@", 1)[0]
    when = cldr.day_range(event.start, event.end, "zh")
    body = "\n".join(x for x in (summary, when, event.location,
                                 writer.text(item, "description")) if x)
    msg.set_content(body + "\n")
    msg.add_alternative(ics.decode("utf-8"), subtype="calendar",
                        params={"method": method})
    msg.set_boundary(f"=_advisors_{digest}")
    return msg


def write_invitations(writer: FeedWriter, changes: Iterable[EventChange], organizer: Party,
                      out: OutputFolder) -> list[Path]:
    """Write ``invitations/<event id>.<sequence>.<recipient>.eml``; return relative paths."""
    written: list[Path] = []
    for change in changes:
        for party in change.current.event.attendees:
            if not party.email:
                continue
            msg = invitation(writer, change, party, organizer)
            slug = _SLUG.sub("_", party.email)
            relative = (Path("invitations")
                        / f"{change.id}.{change.current.sequence}.{slug}.eml")
            written.append(out.write_bytes(relative, msg.as_bytes()))
    return sorted_paths(written)
