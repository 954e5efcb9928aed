"""Tibetan beyond the catalog: period labels (CLDR) and place names (glossary), with their gaps.

``advisors translations`` lists, besides the catalog's strings, what the
outputs print from other sources: the planning period in words (CLDR ``bo``
has a month-year form and long dates, but no year-quarter or year-alone
form) and the Tibetan names of townships and villages (the dataset's
``name_bo``, else the sourced glossary). Each row says where a form comes
from or, when there is none, which outputs then show Chinese only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs

from ...locale import cldr
from ...model import Township, Village
from .glossary import place_name

__all__ = ["FormRow", "period_rows", "place_rows"]

PERIOD_OUTPUTS: Final = ("every printed page (footer)", "rosters", "progress report",
                         "SMS, WeChat, email (subject)")
"""Where the planning period is printed in words."""
_SAMPLES: Final = {  # one period of each kind, to show what a page prints
    "month": (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    "quarter": (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    "year": (dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    "span": (dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
}


@attrs.frozen
class FormRow:
    """One form the outputs print in Tibetan, or would if it had a source."""

    what: str
    chinese: str
    text: str
    """The Tibetan printed; empty when there is none."""
    status: str
    """``sourced``, ``fuzzy`` (drafts only) or ``missing``."""
    source: str
    outputs: tuple[str, ...] = ()
    """The outputs that show Chinese only for want of it."""


def period_rows(lang: str = "bo") -> list[FormRow]:
    """The period labels of ``lang``: CLDR's form for each kind of period, or missing."""
    rows = []
    for kind, (start, end) in _SAMPLES.items():
        chinese = cldr.period_label(start, end, "zh")
        if cldr.has_period_form(kind, lang):
            own = "long date format" if kind == "span" else "month-year skeleton"
            rows.append(FormRow(f"period: {kind}", chinese, cldr.period_label(start, end, lang),
                                "sourced", f"CLDR {lang} via Babel: its own {own}"))
            continue
        draft = cldr.draft_period_label(start, end, lang)
        rows.append(FormRow(
            f"period: {kind}", chinese, draft or "", "fuzzy" if draft else "missing",
            f"composed from CLDR {lang} parts, drafts only" if draft
            else f"CLDR {lang} has no such form", PERIOD_OUTPUTS))
    return rows


def place_rows(places: Iterable[Township | Village]) -> list[FormRow]:
    """The Tibetan name each place prints with: the dataset's, the glossary's, or none."""
    rows = []
    for place in places:
        kind = "township" if isinstance(place, Township) else "village"
        outputs = (("rosters", "notice boards") if kind == "township"
                   else ("notice boards", "calendars"))
        if place.name_bo:
            rows.append(FormRow(kind, place.name, place.name_bo, "sourced", "dataset name_bo"))
            continue
        found = place_name(place.name)
        draft = place_name(place.name, draft=True)
        if found is not None:
            rows.append(FormRow(kind, place.name, found.text, "sourced", "; ".join(found.sources)))
        elif draft is not None:
            rows.append(FormRow(kind, place.name, draft.text, "fuzzy",
                                "composed, drafts only: " + "; ".join(draft.sources), outputs))
        else:
            rows.append(FormRow(kind, place.name, "", "missing", "no source", outputs))
    return rows
