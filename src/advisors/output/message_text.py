"""The bundled message templates (``notifications/*.txt``) written out in plain Python.

A province plan sends some 60,000 messages, and rendering them through
jinja2 cost most of their time: each item line is a few macro calls, and
every call goes through jinja2's runtime. :class:`BundledText` gives the text
the bundled templates give, for the same context, and writes each item's
line once per language (a session's line is the same for all the people
booked into it).

It stands for the bundled templates only: :mod:`.notifications` uses it when
the renderer has no deployment folder and its ``t``, ``when`` and ``hhmm``
are the ones :func:`~.render.make_environment` installed
(:meth:`~.render.Renderer.stock`), and checks the first message of each
shape against the template, falling back to the template for good on any
difference. A test compares every message of a plan, a republished one and
a review-mode one with the template's. A change to the templates must be
made here as well (or that test fails and the fast path stays off).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from ..locale import cldr

__all__ = ["STAFF", "BundledText"]

STAFF: Final = ("advisor", "trainer")
"""Recipient kinds told their own days."""
_CHANGES: Final = {
    "cancelled": "Cancelled: {what}, {when}",
    "dropped": "No longer booked: {what}, {when}",
    "changed": "Changed: {what}, {when}",
}
_COUNTS: Final = (("visit", "{n} service days"), ("lecture", "{n} lectures"),
                  ("hotline", "{n} hotline shifts"), ("training", "{n} training sessions"))


def _in(texts: dict[str, str], lang: str) -> str:
    """``texts[lang]``, else the Chinese (the templates' ``x[lang] if x[lang] is defined``)."""
    return texts[lang] if lang in texts else texts["zh"]


class BundledText:
    """Bodies as ``notifications/<channel>.txt`` renders them, in plain Python."""

    def __init__(self, t: Callable[..., str]) -> None:
        """:param t: the templates' ``t`` (:meth:`Translator.text` of the renderer's)."""
        self._t = t
        self._lines: dict[tuple[int, str, bool], str] = {}
        self._context: dict[str, Any] | None = None
        self._parts: dict[str, tuple[str, list[str]]] = {}
        """Per language, the opening and item lines of ``_context`` (the channels of one
        recipient share them)."""
        self._channels: dict[str, Callable[[dict[str, Any]], str]] = {
            "sms": self._sms, "wechat": self._wechat, "email": self._email}

    def __call__(self, channel: str, context: dict[str, Any]) -> str:
        """The text of ``channel``'s template for ``context`` (before the caller's strip)."""
        if context is not self._context:
            self._context, self._parts = context, {}
        return self._channels[channel](context)

    def _part(self, context: dict[str, Any], lang: str) -> tuple[str, list[str]]:
        """The opening and the item lines in ``lang``."""
        found = self._parts.get(lang)
        if found is None:
            staff = context["recipient"].kind in STAFF
            kind = context["kind"]
            found = self._parts[lang] = (
                self._opening(context, lang),
                [self._item(i, lang, kind, staff) for i in context["items"]])
        return found

    def _what(self, i: dict[str, Any], lang: str, staff: bool) -> str:
        t = self._t
        if i["kind"] == "training" and not staff:
            text = t("Training on {topic} at {place}, taught in {languages}", lang,
                     topic=i["topic"], place=i["location"],
                     languages=_in(i["languages"], lang))
            if i["booked"]:
                text += t("; booked from the village: {names}", lang,
                          names=_in(i["booked"], lang))
            return text
        if i["relation"] == "village":
            msgid = ("Legal lecture by legal advisor {advisor}" if i["kind"] == "lecture"
                     else "Legal advisor {advisor} serves in the village")
            return t(msgid, lang, advisor=i["advisor"])
        if i["kind"] == "hotline":
            return t("12348 hotline duty", lang)
        text = str(_in(i["summary"], lang))
        return f"{text} · {i['place']}" if i["place"] else text

    def _item(self, i: dict[str, Any], lang: str, kind: str, staff: bool) -> str:
        """An item's line (the ``item`` macro), written once per item, language and reader."""
        key = (id(i), lang, staff)  # the items live as long as this object's caller
        line = self._lines.get(key)
        if line is not None:
            return line
        what = self._what(i, lang, staff)
        start = cldr.when(i["start"], lang)
        if kind == "plan":
            line = f"{start}–{cldr.format_time(i['end'], 'zh')} {what}"
        elif i["change"] == "moved":
            line = self._t("Moved: {what}, {old} → {new}", lang, what=what,
                           old=cldr.when(i["old_start"], lang), new=start)
        else:
            line = self._t(_CHANGES.get(i["change"], "New: {what}, {when}"), lang, what=what,
                           when=start)
        self._lines[key] = line
        return line

    def _opening(self, context: dict[str, Any], lang: str) -> str:
        t = self._t
        recipient = context["recipient"]
        period = context["periods"][lang]
        if context["kind"] == "plan" and recipient.kind in STAFF:
            counts = context["counts"]
            parts = [t(msgid, lang, n=counts[key]) for key, msgid in _COUNTS if counts[key]]
            return t("Your legal service schedule for {period} is published: {counts}.", lang,
                     period=period, counts=t(", ", lang).join(parts))
        return (t(context["subject_id"], lang, period=period, village=recipient.village)
                + t(":", lang))

    def _sms(self, context: dict[str, Any]) -> str:
        t = self._t
        recipient = context["recipient"]
        out: list[str] = []
        for lang in context["langs"]:
            opening, lines = self._part(context, lang)
            out += ("【", str(context["sender"]), "】", t("{name}: ", lang, name=recipient.name),
                    opening)
            if lines and (context["kind"] == "changes"
                          or recipient.kind in ("liaison", "participant") or lang != "zh"):
                out += (t("; ", lang).join(lines), t(".", lang))
            out.append("\n")
        return "".join(out)

    def _wechat(self, context: dict[str, Any]) -> str:
        t = self._t
        out: list[str] = []
        for lang in context["langs"]:
            opening, lines = self._part(context, lang)
            out += (t("{name}: ", lang, name=context["recipient"].name), opening, "\n")
            out += (f"· {line}\n" for line in lines)
            out += ("— ", str(context["sender"]), "\n")
        return "".join(out)

    def _email(self, context: dict[str, Any]) -> str:
        t = self._t
        recipient = context["recipient"]
        langs = context["langs"]
        out = [t("Dear {name},", langs[0], name=recipient.name), "\n"]
        for lang in langs:
            opening, lines = self._part(context, lang)
            out += ("\n", opening, "\n\n")
            out += (f"- {line}\n" for line in lines)
            if recipient.kind != "participant":
                out += ("\n", t("The calendar you subscribed to updates by itself.", lang),
                        "\n")
        out += ("\n", str(context["sender"]), "\n")
        return "".join(out)

