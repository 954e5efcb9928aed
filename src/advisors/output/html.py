"""Printable HTML: the township roster, the village notice board (公示牌), the progress report.

The pages are rendered from jinja2 templates (``roster.html``,
``notice.html``, ``report.html``; a deployment may override any) with
autoescaping on, so names print as text whatever they contain. Public pages
get only what the policy marks public: the notice board receives the
advisor's public fields and the legal-savvy persons' names, never a
villager's phone — the template cannot show what it is not given.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..locale import Translator, cldr
from ..model import Village
from ..plan.event_builders import village_languages
from ..plan.shortfalls import PART_LABELS, Shortfall
from ..plan.telling import Teller
from .base import Publication
from .folder import OutputFolder
from .notice_html import NoticePages
from .render import WEEKDAYS_ZH, Renderer
from .report import report_facts
from .rows import roster_rows

__all__ = ["notice_context", "write_notices", "write_report", "write_rosters"]

ROLE_LABELS = {
    "lawyer": "Lawyer",
    "legal_worker": "Legal service worker",
    "notary": "Notary",
    "public_lawyer": "Public lawyer",
    "legal_aid": "Legal aid lawyer",
    "justice_office": "Justice office staff",
}
"""Message id of each advisor role's label."""


def _write(out: OutputFolder, relative: Path, text: str) -> Path:
    return out.write_text(relative, text)


def _common(pub: Publication) -> dict[str, Any]:
    return {"period": pub.period, "version": pub.version,
            "stamp": pub.published_on.isoformat()}


def write_rosters(pub: Publication, out: OutputFolder, renderer: Renderer,
                  translator: Translator) -> list[Path]:
    """``rosters/<township>.html`` for every township."""
    hotline = []
    of_township: dict[str, list[Any]] = {}
    for r in roster_rows(pub, translator):
        if r.kind_id == "hotline":
            hotline.append(r)
        else:
            of_township.setdefault(r.township_id, []).append(r)
    # the hotline's rows are the same on every township's page: rendered once
    hotline_rows = Markup(renderer.render("_roster_hotline.html", hotline=hotline))
    written = []
    for township in sorted(pub.dataset.townships, key=lambda t: t.id):
        langs = _township_langs(pub.dataset.villages_of_township.get(township.id, ()))
        rows = of_township.get(township.id, [])
        html = renderer.render(
            "roster.html", township=township, langs=langs,
            visits=[r for r in rows if r.kind_id in ("visit", "lecture")],
            training=[r for r in rows if r.kind_id == "training"],
            appointments=[r for r in rows if r.kind_id == "appointment"],
            hotline=hotline, hotline_rows=hotline_rows, **_common(pub))
        written.append(_write(out, Path("rosters") / f"{township.id}.html", html))
    return written


def _township_langs(villages: Iterable[Village]) -> tuple[str, ...]:
    langs: list[str] = []
    for village in villages:
        for lang in village.languages:
            if lang not in langs:
                langs.append(lang)
    return village_languages(sorted(langs, key=lambda x: (x != "bo", x)))


def notice_context(pub: Publication, village: Village) -> dict[str, Any]:
    """What the notice board of ``village`` shows — public fields only."""
    data = pub.dataset
    public = data.policy.public
    advisor_id = (pub.advisor_of or {}).get(village.id)
    advisor = data.advisor_by_id.get(advisor_id or "")
    shown: dict[str, str] = {}
    if advisor is not None:
        for field in public.advisor:
            value = getattr(advisor, field, "")
            if field == "role":
                value = ROLE_LABELS.get(advisor.role, advisor.role)
            if isinstance(value, str) and value:
                shown[field] = value
    persons = []
    if "name" in public.person:
        persons = [p.name for p in sorted(data.people_of_village.get(village.id, ()),
                                          key=lambda p: p.id)
                   if p.role == "legal_savvy" and p.status == "active"]
    if "name" in shown:  # the Tibetan form beside it, when the data gives one
        shown["name_bo"] = advisor.name_bo if advisor is not None else ""
    moved = pub.moves.get(village.id, {})
    visits: list[dict[str, Any]] = [
        {"date": e.event.start.date(), "weekday": WEEKDAYS_ZH[e.event.start.weekday()],
         "start": f"{e.event.start:%H:%M}", "end": f"{e.event.end:%H:%M}",
         "begins": e.event.start, "ends": e.event.end,
         "lecture": e.event.kind == "lecture",
         "moved_from": moved.get(e.event.start.date())}
        for e in pub.of_owner(f"village:{village.id}")
        if e.event.kind in ("visit", "lecture")
    ]
    months: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for visit in visits:
        day: dt.date = visit["date"]
        months.setdefault((day.year, day.month), []).append(visit)
    langs = village_languages(village.languages)
    years = len({year for year, _ in months}) > 1
    return {
        "village": village,
        "township": data.township_by_id.get(village.township),
        "langs": langs,
        "advisor": shown,
        "pattern": dict(pub.patterns.get(village.id, {})),
        "visits": visits,
        # A long period's days are listed a month per line, so the card stays one page.
        "visit_months": [{"label": {lang: cldr.month_label(days[0]["date"], lang, years)
                                    for lang in langs}, "visits": days}
                         for days in months.values()],
        "usual": Counter((v["start"], v["end"]) for v in visits).most_common(1)[0][0]
        if visits else ("", ""),
        "persons": persons,
        **_common(pub),
    }


def write_notices(pub: Publication, out: OutputFolder, renderer: Renderer) -> list[Path]:
    """``notices/<village>.html`` for every village.

    The bundled card is written in plain Python (:class:`NoticePages`, checked
    against the template); a deployment's own ``notice.html`` is rendered.
    """
    page = NoticePages(renderer)
    return [
        _write(out, Path("notices") / f"{village.id}.html", page(notice_context(pub, village)))
        for village in sorted(pub.dataset.villages, key=lambda v: v.id)
    ]


def write_report(pub: Publication, out: OutputFolder, renderer: Renderer,
                 translator: Translator | None = None) -> list[Path]:
    """``report.html``: coverage, visits, hotline, legal-savvy persons, training; what the
    plan does not serve is told in Chinese, names for ids."""
    facts = report_facts(pub)
    translator = translator or Translator.load(("zh",))
    teller = Teller(pub.dataset, lambda msgid: translator.get(msgid, "zh"))
    shortfalls = [s.told(teller) if isinstance(s, Shortfall) else s
                  for s in pub.facts.get("shortfalls", ())]
    # Chart rows are made here, not in the template: the sandbox forbids list.append.
    charts = [
        (msgid, [(f.name, getattr(f, share), f"{getattr(f, part)}/{getattr(f, whole)}")
                 for f in facts.townships])
        for msgid, share, part, whole in (
            ("Coverage", "coverage", "covered", "villages"),
            ("Visits planned", "visits", "visits_planned", "visits_required"),
            ("Villages at the legal-savvy target", "legal_savvy", "at_target", "villages"),
            ("Training planned", "training_planned", "scheduled", "trainees"),
            ("Training completion", "training", "trained", "trainees"),
        )
    ]
    html = renderer.render("report.html", facts=facts, charts=charts, langs=("zh",),
                           shortfalls=shortfalls, parts=PART_LABELS,
                           **_common(pub))
    return [_write(out, Path("report.html"), html)]
