"""Messages to the people a plan concerns: SMS, WeChat text and email.

Each recipient gets what concerns them (:mod:`.recipients`): an advisor or
trainer their own days, a village's liaison officer which advisor comes on
which dates and which sessions the village's people are booked into, a
trainee their session's date, time, venue and language. For a first plan the
message lists it all; for a republished plan, what is new, moved (from when
to when) or cancelled for them. Messages are rendered from the
templates ``notifications/<channel>.txt`` (a deployment may override them)
in the recipient's languages that the catalogs translate; the SMS size
(encoding and segments) is reported for each message. Rendered messages go
into the output folder and to the ``plan_published`` hook, so a portal
plugin can deliver them.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from collections import Counter
from collections.abc import Callable, Sequence
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Final, cast

import attrs

from ..locale import Translator, cldr
from ..locale.terms import language_words
from ..plan.event_builders import village_languages
from ..plan.events import LANGUAGES, EventChange, PublishedEvent
from .base import Publication
from .csvout import write_csv
from .folder import OutputFolder
from .mail import address, message_id_header, sender, text_body
from .message_text import BundledText
from .recipients import Concern, Recipient, concerns
from .render import Renderer
from .sms import SmsSize, sms_size

__all__ = ["CHANNELS", "SUBJECTS", "Notification", "Recipient", "notifications",
           "write_notifications"]

CHANNELS: Final = ("sms", "wechat", "email")
"""Channels a message is rendered for."""
HEADLINE: Final = "Your legal service schedule for {period}"
"""The message id whose translation decides which languages a message carries."""
SUBJECTS: Final = {
    ("advisor", "plan"): HEADLINE,
    ("trainer", "plan"): HEADLINE,
    ("liaison", "plan"): "Legal services in {village} for {period}",
    ("participant", "plan"): "Your legal-savvy person training for {period}",
    ("advisor", "changes"): "Changes to your legal service schedule for {period}",
    ("trainer", "changes"): "Changes to your legal service schedule for {period}",
    ("liaison", "changes"): "Changes to legal services in {village} for {period}",
    ("participant", "changes"): "Changes to your training for {period}",
}
"""Message id of the subject (and opening line) per recipient kind and message kind."""


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


def _item(pub: Publication, item: PublishedEvent, change: EventChange | None,
          concern: Concern, translator: Translator) -> dict[str, Any]:
    event = item.event
    previous = change.previous.event if change and change.previous else None
    advisor = pub.dataset.advisor_by_id.get(event.get("advisor"))
    people = pub.dataset.person_by_id
    topic = event.get("topic")
    taught = [t for t in event.get("language").split(";") if t]
    return {
        "kind": event.kind,
        "change": concern.change,
        "relation": concern.relation,
        "start": event.start,
        "end": event.end,
        "old_start": previous.start if previous else None,
        "old_end": previous.end if previous else None,
        "summary": dict(event.summary),
        "location": event.location,
        # The place where the title does not already name it ("…到村服务：加毛村 · 加毛村").
        "place": "" if event.location.split("（")[0] in dict(event.summary).get("zh", "")
        else event.location,
        "id": event.id,
        "advisor": advisor.name if advisor else "",
        "topic": pub.dataset.policy.training.topic_names.get(topic, topic),
        "languages": language_words(taught, translator) if taught else {},
        # Names as the reader knows them: in Tibetan script for a Tibetan version where
        # the data gives one.
        "booked": {"zh": "、".join(people[p].name for p in concern.booked),
                   "bo": "、".join(people[p].name_bo or people[p].name for p in concern.booked)}
        if concern.booked else {},
    }


def notifications(pub: Publication, renderer: Renderer, translator: Translator,
                  channels: Sequence[str] = CHANNELS) -> list[Notification]:
    """Every message of this publication, sorted by recipient and channel."""
    grouped: dict[str, tuple[Recipient, list[dict[str, Any]], list[object]]] = {}
    made: dict[object, dict[str, Any]] = {}
    if pub.has_previous:
        pairs: list[tuple[PublishedEvent, EventChange | None]] = [
            (c.current, c) for c in pub.changes]
        kind = "changes"
    else:
        pairs = [(e, None) for e in pub.active]
        kind = "plan"
    for index, (item, change) in enumerate(pairs):
        for concern in concerns(pub.dataset, item, change):
            entry = grouped.setdefault(concern.recipient.key, (concern.recipient, [], []))
            # what the item dict depends on: people booked into one session share it
            tag = (index, concern.change, concern.relation, concern.booked)
            if tag not in made:
                made[tag] = _item(pub, item, change, concern, translator)
            entry[1].append(made[tag])
            entry[2].append(tag)
    sender = pub.dataset.policy.calendar.organizer_name or translator.text(
        "Justice bureau", "zh")
    out: list[Notification] = []
    bodies = _Bodies(renderer)
    langs_of: dict[tuple[str, ...], list[str]] = {}  # _langs depends on the languages only
    for recipient, _, _ in grouped.values():
        if recipient.languages not in langs_of:
            langs_of[recipient.languages] = _langs(translator, recipient)
    alike = Counter((r.kind, tuple(langs_of[r.languages]), tuple(tags))
                    for r, _, tags in grouped.values())
    period_of = {lang: cldr.period_label(pub.period.start, pub.period.end,
                                         lang if translator.get(HEADLINE, lang) else "zh")
                 for lang in LANGUAGES}
    for key in sorted(grouped):
        recipient, items, tags = grouped[key]
        # Their own days first, then the village's; each in time order.
        items.sort(key=lambda i: (i["relation"] != "own", i["start"], i["id"]))
        langs = langs_of[recipient.languages]
        # The period sits inside a sentence: written in the language the sentence comes out in.
        periods = {lang: period_of[lang] for lang in langs}
        kinds = Counter(i["kind"] for i in items)
        counts = {k: kinds[k] for k in ("visit", "lecture", "hotline", "training")}
        subject_id = SUBJECTS[(recipient.kind, kind)]
        shown = recipient
        if langs == ["bo"] and recipient.name_bo:
            shown = attrs.evolve(recipient, name=recipient.name_bo)
        context = {
            "recipient": shown, "items": items, "kind": kind, "langs": langs,
            "period": pub.period.label, "periods": periods, "sender": sender, "counts": counts,
            "version": pub.version, "subject_id": subject_id,
        }
        subject = " / ".join(dict.fromkeys(
            translator.text(subject_id, lang, period=periods[lang], village=recipient.village)
            for lang in langs))
        share = (recipient.kind, tuple(langs), tuple(tags))
        ids = tuple(i["id"] for i in items)
        for channel in channels:
            body = bodies(channel, share if alike[share] > 1 else None,
                          context).strip() + "\n"
            size = sms_size(body.rstrip("\n")) if channel == "sms" else None
            out.append(Notification(recipient, channel, kind, subject, body, ids, size))
    return out


_SMTP: Final = email.policy.SMTP
_HOLES: Final = ("\ue000", "\ue001")
"""Stand-ins (private-use characters) for a recipient's name and village in a shared body."""
_HOLE: Final = re.compile("[\ue000\ue001]")


class _Bodies:
    """Message bodies, each distinct one rendered once and filled in per person.

    The people booked into one session get the same message but for their name
    (and village): the bundled templates are rendered once per recipient kind,
    message kind, languages and items, with stand-ins for the name and the
    village, which each person's body then fills. The first person of each
    such group is also rendered whole and must come out the same, or sharing
    stops. A deployment's own templates are rendered per person: what they do
    with a name is theirs.

    Where the renderer is stock (:meth:`Renderer.stock`), the bundled templates'
    text is written in plain Python instead (:class:`BundledText`); the first
    message of each channel, message kind, recipient kind and languages is also
    rendered from the template and must come out the same, or the template
    renders every message from then on.
    """

    def __init__(self, renderer: Renderer) -> None:
        self._renderer = renderer
        self._share = not renderer.template_dirs
        self._shared: dict[tuple[object, ...], str] = {}
        self._fast = (BundledText(cast(Callable[..., str], renderer.env.globals["t"]))
                      if renderer.stock(("when",), ("hhmm",)) else None)
        self._proved: set[tuple[object, ...]] = set()

    def __call__(self, channel: str, key: tuple[object, ...] | None,
                 context: dict[str, Any]) -> str:
        """The body of ``channel`` for ``context``; ``key`` is what it depends on but the
        recipient's name and village, ``None`` for a message no one else gets."""
        if self._fast is None:
            return self._render(channel, key, context)
        shape = (channel, context["kind"], context["recipient"].kind, tuple(context["langs"]))
        try:
            text = self._fast(channel, context)
        except (KeyError, TypeError, AttributeError):  # what the template finds undefined
            return self._render(channel, key, context)  # says so, or renders
        if shape in self._proved:
            return text
        whole = self._render(channel, key, context)
        if whole.strip() == text.strip():
            self._proved.add(shape)
        else:
            self._fast = None
        return whole

    def _render(self, channel: str, key: tuple[object, ...] | None,
                context: dict[str, Any]) -> str:
        template = f"notifications/{channel}.txt"
        if not self._share or key is None:
            return self._renderer.render(template, **context)
        recipient: Recipient = context["recipient"]
        names = {_HOLES[0]: recipient.name, _HOLES[1]: recipient.village}
        shared = self._shared.get((channel, *key))
        if shared is not None:
            return _HOLE.sub(lambda m: names[m.group()], shared)
        own = self._renderer.render(template, **context)
        holed = attrs.evolve(recipient, name=_HOLES[0], village=_HOLES[1])
        shared = self._renderer.render(template, **dict(context, recipient=holed))
        if _HOLE.sub(lambda m: names[m.group()], shared) == own:
            self._shared[(channel, *key)] = shared
        else:
            self._share = False
        return own


def _header(name: str, value: str | Address) -> bytes:
    """One header as an SMTP-policy message folds it, with its line end: what a message
    with this header alone writes before its blank line, without building one."""
    return _SMTP.fold_binary(*_SMTP.header_store_parse(name, value))


class _Mailer:
    """The ``.eml`` of each message.

    A message's header lines are folded one by one, so the lines every
    message shares (From, Date) and the few subjects are folded once, and
    each message adds its To line and its body: the same bytes as building
    the whole message each time.
    """

    def __init__(self, pub: Publication) -> None:
        calendar = pub.dataset.policy.calendar
        self._from = _header("From", sender(calendar))  # address objects, never pasted text
        self._date = _header("Date", email.utils.format_datetime(pub.stamp))
        self._subjects: dict[str, bytes] = {}
        self._version = str(pub.version)
        self._domain = calendar.uid_domain

    def __call__(self, note: Notification) -> bytes:
        to = (_header("To", address(note.recipient.name, note.recipient.email,
                                    note.recipient.key))
              if note.recipient.email else b"")
        subject = self._subjects.get(note.subject)
        if subject is None:
            subject = self._subjects[note.subject] = _header("Subject", note.subject)
        # from stable ids only: the same plan gives the same Message-ID
        seed = "/".join(("notification", self._version, note.kind, note.recipient.key,
                         *note.events))
        ident = message_id_header(seed, self._domain)
        return self._from + to + subject + self._date + ident + text_body(note.body)


def write_notifications(pub: Publication, out: OutputFolder, renderer: Renderer,
                        translator: Translator) -> list[Path | str]:
    """Write ``notifications/<channel>/<recipient>.txt|.eml`` and an index; return paths."""
    written: list[Path | str] = []
    rows: list[list[object]] = []
    mail = _Mailer(pub)
    for note in notifications(pub, renderer, translator):
        name = note.recipient.key.replace(":", "-")
        suffix = ".eml" if note.channel == "email" else ".txt"
        relative = f"notifications/{note.channel}/{name}{suffix}"
        written.append(out.write_file(relative, mail(note) if note.channel == "email"
                                       else note.body.encode("utf-8")))
        rows.append([note.recipient.key, note.recipient.name, note.channel, note.kind,
                     relative, len(note.events),
                     note.sms.encoding if note.sms else "",
                     note.sms.units if note.sms else "",
                     note.sms.segments if note.sms else ""])
    index = Path("notifications") / "index.csv"
    write_csv(out.path(index), ["recipient", "name", "channel", "kind", "file", "events",
                            "sms_encoding", "sms_units", "sms_segments"], rows)
    written.append(index)
    return written
