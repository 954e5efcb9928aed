"""Messages to the people a plan concerns: SMS, WeChat text and email.

For a first plan, every advisor, lawyer and trainer gets a summary of their
schedule; for a republished plan, the people an event belongs to — and, for
village visits, the village's liaison officers — get one message listing
what is new, moved or cancelled for them. Messages are rendered from the
templates ``notifications/<channel>.txt`` (a deployment may override them)
in the recipient's languages that the catalogs translate; the SMS size
(encoding and segments) is reported for each message. Rendered messages go
into the output folder and to the ``plan_published`` hook, so a portal
plugin can deliver them.
"""

from __future__ import annotations

import email.policy
import email.utils
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Final

import attrs

from ..locale import Translator, cldr
from ..plan.event_builders import village_languages
from ..plan.events import LANGUAGES, EventChange, PublishedEvent
from .base import Publication
from .csvout import write_csv
from .render import Renderer
from .sms import SmsSize, sms_size

__all__ = ["CHANNELS", "Notification", "notifications", "write_notifications"]

CHANNELS: Final = ("sms", "wechat", "email")
"""Channels a message is rendered for."""
HEADLINE: Final = "Your legal service schedule for {period}"
"""The message id whose translation decides which languages a message carries."""


@attrs.frozen
class Recipient:
    """Someone a message goes to (addresses stay with the portal that sends)."""

    key: str
    """``advisor:adv-01``, ``trainer:tr-02`` or ``person:p-…`` (a liaison officer)."""
    name: str
    languages: tuple[str, ...]
    email: str = ""
    name_bo: str = ""
    """The name in Tibetan script, when the data gives it: used in Tibetan-only messages."""


@attrs.frozen
class Notification:
    """One rendered message."""

    recipient: Recipient
    channel: str
    kind: str
    """``plan`` (a first plan's summary) or ``changes``."""
    subject: str
    body: str
    events: tuple[str, ...]
    """Ids of the events the message is about."""
    sms: SmsSize | None = None
    """Size of an SMS message; ``None`` for other channels."""


def _recipients(pub: Publication, event: PublishedEvent) -> list[Recipient]:
    data = pub.dataset
    out: list[Recipient] = []
    for ident in event.event.owner_ids("advisor"):
        if advisor := data.advisor_by_id.get(ident):
            out.append(Recipient(f"advisor:{ident}", advisor.name, advisor.languages,
                                 advisor.email, advisor.name_bo))
    for ident in event.event.owner_ids("trainer"):
        if trainer := data.trainer_by_id.get(ident):
            out.append(Recipient(f"trainer:{ident}", trainer.name, trainer.languages,
                                 trainer.email, trainer.name_bo))
    if event.event.kind in ("visit", "lecture"):
        for village in event.event.owner_ids("village"):
            for person in data.people_of_village.get(village, ()):
                if person.role == "liaison" and person.status == "active":
                    out.append(Recipient(f"person:{person.id}", person.name,
                                         person.languages or ("zh",), name_bo=person.name_bo))
    return out


def _langs(translator: Translator, recipient: Recipient) -> list[str]:
    """The languages a message is written in, one version each.

    Someone who reads Chinese gets Chinese, plus each of their languages
    whose catalog translates the headline. Someone who does not gets their
    own language even where the catalog is thin: each sentence then falls
    back to Chinese, but dates and weekdays are theirs (CLDR), which is what
    a reader without Chinese most needs to act on.
    """
    if "zh" not in recipient.languages:
        own = [lang for lang in recipient.languages if lang in LANGUAGES]
        if own:
            return own[:1]
    langs = [lang for lang in village_languages(recipient.languages)
             if translator.get(HEADLINE, lang) is not None]
    return langs or ["zh"]


def _item(item: PublishedEvent, change: EventChange | None) -> dict[str, Any]:
    event = item.event
    previous = change.previous.event if change and change.previous else None
    return {
        "kind": event.kind,
        "change": change.kind if change else "",
        "start": event.start,
        "end": event.end,
        "old_start": previous.start if previous else None,
        "old_end": previous.end if previous else None,
        "summary": dict(event.summary),
        "location": event.location,
        "id": event.id,
    }


def notifications(pub: Publication, renderer: Renderer, translator: Translator,
                  channels: Sequence[str] = CHANNELS) -> list[Notification]:
    """Every message of this publication, sorted by recipient and channel."""
    grouped: dict[str, tuple[Recipient, list[dict[str, Any]]]] = {}
    if pub.has_previous:
        pairs: list[tuple[PublishedEvent, EventChange | None]] = [
            (c.current, c) for c in pub.changes]
        kind = "changes"
    else:
        pairs = [(e, None) for e in pub.active]
        kind = "plan"
    for item, change in pairs:
        for recipient in _recipients(pub, item):
            entry = grouped.setdefault(recipient.key, (recipient, []))
            entry[1].append(_item(item, change))
    sender = pub.dataset.policy.calendar.organizer_name or translator.text(
        "Justice bureau", "zh")
    out: list[Notification] = []
    for key in sorted(grouped):
        recipient, items = grouped[key]
        langs = _langs(translator, recipient)
        # The period sits inside a sentence: written in the language the sentence comes out in.
        periods = {lang: cldr.period_label(pub.period.start, pub.period.end,
                                           lang if translator.get(HEADLINE, lang) else "zh")
                   for lang in langs}
        counts = {k: sum(1 for i in items if i["kind"] == k)
                  for k in ("visit", "lecture", "hotline", "training")}
        shown = recipient
        if langs == ["bo"] and recipient.name_bo:
            shown = attrs.evolve(recipient, name=recipient.name_bo)
        context = {
            "recipient": shown, "items": items, "kind": kind, "langs": langs,
            "period": pub.period.label, "periods": periods, "sender": sender, "counts": counts,
            "version": pub.version,
        }
        subject = " / ".join(dict.fromkeys(
            translator.text(HEADLINE, lang, period=periods[lang]) for lang in langs))
        for channel in channels:
            body = renderer.render(f"notifications/{channel}.txt", **context).strip() + "\n"
            size = sms_size(body.rstrip("\n")) if channel == "sms" else None
            out.append(Notification(recipient, channel, kind, subject, body,
                                    tuple(i["id"] for i in items), size))
    return out


def _header(name: str, value: str) -> bytes:
    """One header as an SMTP-policy message folds it, with its line end."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg[name] = value
    return msg.as_bytes()[:-2]  # without the blank line that ends the headers


class _Mailer:
    """The ``.eml`` of each message.

    A message's header lines are folded one by one, so the lines every
    message shares (From, Date) and the few subjects are folded once, and
    each message adds its To line and its body: the same bytes as building
    the whole message each time.
    """

    def __init__(self, pub: Publication) -> None:
        calendar = pub.dataset.policy.calendar
        self._from = (_header("From", email.utils.formataddr((calendar.organizer_name,
                                                              calendar.organizer_email)))
                      if calendar.organizer_email else b"")
        self._date = _header("Date", email.utils.format_datetime(pub.stamp))
        self._subjects: dict[str, bytes] = {}

    def __call__(self, note: Notification) -> bytes:
        to = (_header("To", email.utils.formataddr((note.recipient.name, note.recipient.email)))
              if note.recipient.email else b"")
        subject = self._subjects.get(note.subject)
        if subject is None:
            subject = self._subjects[note.subject] = _header("Subject", note.subject)
        body = EmailMessage(policy=email.policy.SMTP)
        body.set_content(note.body)
        return self._from + to + subject + self._date + body.as_bytes()


def write_notifications(pub: Publication, out: Path, renderer: Renderer,
                        translator: Translator) -> list[Path]:
    """Write ``notifications/<channel>/<recipient>.txt|.eml`` and an index; return paths."""
    written: list[Path] = []
    rows: list[list[object]] = []
    mail = _Mailer(pub)
    folders: set[str] = set()
    for note in notifications(pub, renderer, translator):
        name = note.recipient.key.replace(":", "-")
        suffix = ".eml" if note.channel == "email" else ".txt"
        relative = Path("notifications") / note.channel / f"{name}{suffix}"
        if note.channel not in folders:
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            folders.add(note.channel)
        data = mail(note) if note.channel == "email" else note.body.encode("utf-8")
        (out / relative).write_bytes(data)
        written.append(relative)
        rows.append([note.recipient.key, note.recipient.name, note.channel, note.kind,
                     relative.as_posix(), len(note.events),
                     note.sms.encoding if note.sms else "",
                     note.sms.units if note.sms else "",
                     note.sms.segments if note.sms else ""])
    index = Path("notifications") / "index.csv"
    write_csv(out / index, ["recipient", "name", "channel", "kind", "file", "events",
                            "sms_encoding", "sms_units", "sms_segments"], rows)
    written.append(index)
    return written
