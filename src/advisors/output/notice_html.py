"""The bundled notice board (``notice.html``) written out in plain Python.

A province has thousands of villages, and rendering each card through
jinja2 (a page of some fifteen macro calls) cost most of the notices' time.
:class:`NoticePages` writes the card's title and body as ``notice.html`` and
its macros (``_macros.html``: ``bi``, ``name``, ``runs``) do, with the
environment's own globals and filters, and takes the rest of the page (head,
style, footer: the same for every village of the same languages) from the
template itself: the first village of each shape is rendered whole by jinja2,
which must give the same title and body, or the template renders every card
from then on. A test compares every card of a plan, a republished one and a
review-mode one with the template's. A change to ``notice.html`` or to those
macros must be made here as well (or that test fails and the template renders).

It stands for the bundled template only: used where the renderer is stock
(:meth:`~.render.Renderer.stock`: no deployment folder, no plugin replaced
what the card calls).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, cast

from markupsafe import escape

from .render import Renderer, counts_language, root_language, script_counts

__all__ = ["GLOBALS", "NoticePages"]

GLOBALS: Final = ("each", "tibetan_name", "day_of_month", "when", "periods", "dates")
"""The environment's globals the card calls."""
FILTERS: Final = ("date", "hhmm")
"""The environment's filters the card calls."""


def _e(value: object) -> str:
    return str(escape(value))


class NoticePages:
    """``notice.html`` for a village's :func:`~.html.notice_context`."""

    def __init__(self, renderer: Renderer) -> None:
        self._renderer = renderer
        env = renderer.env
        self._g = cast(dict[str, Any], env.globals)
        self._date = env.filters["date"]
        self._hhmm = env.filters["hhmm"]
        self._on = renderer.stock(GLOBALS, FILTERS)
        self._frames: dict[tuple[str, ...], tuple[str, str, str, dict[str, int]]] = {}
        self._proved: set[tuple[object, ...]] = set()
        self._bis: dict[tuple[str, tuple[str, ...]], str] = {}

    def __call__(self, context: dict[str, Any]) -> str:
        """The card, as ``renderer.render("notice.html", **context)`` gives it."""
        if not self._on:
            return self._renderer.render("notice.html", **context)
        langs = tuple(context["langs"])
        try:
            title, body = self._title(context), self._body(context, langs)
        except (KeyError, TypeError, AttributeError):
            return self._renderer.render("notice.html", **context)
        shape = (langs, *self._shape(context))
        frame = self._frames.get(langs)
        if frame is None or shape not in self._proved:
            whole = self._renderer.render("notice.html", **context)
            frame = frame or self._frame(whole, title, body)
            if frame is None or self._join(frame, title, body) != whole:
                self._on = False
                return whole
            self._frames[langs] = frame
            self._proved.add(shape)
            return whole
        return self._join(frame, title, body)

    @staticmethod
    def _shape(context: dict[str, Any]) -> tuple[object, ...]:
        """Which branches of the card a village takes (each checked once)."""
        visits = context["visits"]
        return (tuple(context["advisor"]), bool(context["pattern"]), len(visits) > 6,
                bool(visits), any(v["moved_from"] for v in visits),
                any(v["lecture"] for v in visits), len(context["persons"]) > 8,
                bool(context["persons"]), context["township"] is not None)

    @staticmethod
    def _frame(whole: str, title: str, body: str
               ) -> tuple[str, str, str, dict[str, int]] | None:
        """Head up to the title, what lies between title and body, and the rest."""
        at = whole.find(f"<title>{title}</title>")
        start = whole.find(f"<body>\n{body}", at)
        if at < 0 or start < 0:
            return None
        head, middle = whole[:at + 7], whole[at + 7 + len(title):start + 7]
        tail = whole[start + 7 + len(body):]
        # the title is not counted (page_language skips it): the frame's own counts
        counts = script_counts(head + middle)
        for lang, n in script_counts(tail).items():
            counts[lang] += n
        return head, middle, tail, counts

    @staticmethod
    def _join(frame: tuple[str, str, str, dict[str, int]], title: str, body: str) -> str:
        head, middle, tail, counts = frame
        found = script_counts(body)
        lang = counts_language({k: counts[k] + found[k] for k in counts})
        return root_language(head, lang) + title + middle + body + tail

    def _title(self, context: dict[str, Any]) -> str:
        return f"{_e(context['village'].name)} {_e(self._g['t']('Notice board'))}"

    def _bi(self, msgid: str, langs: tuple[str, ...]) -> str:
        """The ``bi`` macro: one ``<span lang>`` per language that translates ``msgid``."""
        key = (msgid, langs)
        found = self._bis.get(key)
        if found is None:
            runs = self._g["each"](msgid, langs)
            found = self._bis[key] = self._runs(runs)
        return found

    @staticmethod
    def _runs(texts: dict[str, str]) -> str:
        """The ``runs`` macro."""
        spans = "".join(f'<span lang="{_e(lang)}">{_e(text)}</span>'
                        for lang, text in texts.items())
        return f'<span class="bi">{spans}</span>'

    def _name(self, record: Any, langs: Sequence[str]) -> str:
        """The ``name`` macro: the Tibetan form where there is one, then the Chinese."""
        bo = self._g["tibetan_name"](record) if "bo" in langs else ""
        name = record["name"] if isinstance(record, dict) else record.name
        own = f'<span lang="bo">{_e(bo)}</span>' if bo else ""
        return f'<span class="bi">{own}<span lang="zh">{_e(name)}</span></span>'

    def _body(self, c: dict[str, Any], langs: tuple[str, ...]) -> str:
        def bi(msgid: str) -> str:
            return self._bi(msgid, langs)

        advisor, pattern, visits = c["advisor"], c["pattern"], c["visits"]
        out = ['<div class="card">\n<h1>', self._name(c["village"], langs), "<br>",
               bi("Village legal advisor notice board"), "</h1>\n\n<h2>", bi("Legal advisor"),
               "</h2>\n"]
        if advisor:
            out.append("<dl>\n")
            if "name" in advisor:
                out += ("<dt>", bi("Name"), "</dt><dd>", self._name(advisor, langs), "</dd>")
            if "role" in advisor:
                out += ("<dt>", bi("Role"), "</dt><dd>", bi(advisor["role"]), "</dd>")
            for field, label in (("organization", "Organization"), ("phone", "Phone")):
                if field in advisor:
                    out += ("<dt>", bi(label), "</dt><dd>", _e(advisor[field]), "</dd>")
            out.append("</dl>\n")
        else:
            out += ("<p>", bi("No advisor assigned yet"), "</p>\n")
        out += ("\n<h2>", bi("Service days"), "</h2>\n")
        if pattern:
            out.append('<p class="bi">')
            out += (f'<span lang="{_e(lang)}">{_e(pattern[lang])}</span>'
                    for lang in langs if lang in pattern)
            out.append("</p>\n")
        if len(visits) > 6:
            out += self._months(c, bi)
        elif visits:
            out += self._days(visits, langs, bi)
        elif not pattern:
            out += ("<p>", bi("Nothing planned"), "</p>\n")
        out += ("\n<h2>", bi("12348 public legal service hotline"),
                '</h2>\n<p class="hotline">12348</p>\n\n<h2>',
                bi("Legal-savvy persons of the village"), "</h2>\n")
        persons = c["persons"]
        if persons:
            out.append(f'<ul class="persons{" many" if len(persons) > 8 else ""}">\n')
            out += (f"<li>{_e(name)}</li>\n" for name in persons)
            out.append("</ul>\n")
        else:
            out += ("<p>", bi("None registered yet"), "</p>\n")
        if c["township"]:
            out += ('<p class="muted">', self._name(c["township"], langs), " ",
                    bi("Justice office"), "</p>")
        out.append("</div>\n")
        return "".join(out)

    def _months(self, c: dict[str, Any], bi: Any) -> list[str]:
        """A long period's days, a month per line."""
        usual = c["usual"]
        out = ['<p><span class="nowrap">', _e(usual[0]), "–", _e(usual[1]), "</span>"]
        if any(v["lecture"] for v in c["visits"]):
            out += (" · ★ ", bi("Legal lecture"))
        out.append('</p>\n<ul class="visits months">\n')
        day_of_month = self._g["day_of_month"]
        for month in c["visit_months"]:
            days = "、".join(
                f'<span class="nowrap">{_e(day_of_month(v["date"]))}'
                + (f" {_e(v['start'])}–{_e(v['end'])}" if (v["start"], v["end"]) != usual
                   else "")
                + ("★" if v["lecture"] else "") + "</span>"
                for v in month["visits"])
            out += ('<li><b class="nowrap">', self._runs(month["label"]), "</b> ", days,
                    "</li>\n")
        out.append("</ul>\n")
        return out

    def _days(self, visits: list[dict[str, Any]], langs: tuple[str, ...], bi: Any
              ) -> list[str]:
        """A short period's days, one per line, in words in each language."""
        out = ['<ul class="visits">\n']
        when = self._g["when"]
        for v in visits:
            out.append('<li><span class="bi">')
            out += (f'<span lang="{_e(lang)}">{_e(self._date(v["begins"], lang, "full"))}</span>'
                    for lang in langs)
            out += ('</span> <span class="nowrap">', _e(self._hhmm(v["begins"])), "–",
                    _e(self._hhmm(v["ends"])), "</span>")
            if v["lecture"]:
                out += (" · ", bi("Legal lecture"))
            if v["moved_from"]:
                out += (" · <strong>", _e(self._g["t"](
                    "One-off change: {old} moved to {new}", "zh",
                    old=when(v["moved_from"], "zh"), new=when(v["date"], "zh"))), "</strong>")
            out.append("</li>\n")
        out.append("</ul>\n")
        return out
