"""The translator's sheet: catalog rows out for review, reviewed rows merged back.

A reviewer gets one row per message: the English id, the Chinese text, the
current Tibetan, its status, where it came from, the outputs that show it,
and two columns to fill, ``reviewer`` and ``date``. Merging the sheet back
writes the deployment's own ``<lang>.po`` (never the bundled catalog):

* a row with Tibetan text and a reviewer becomes a reviewed translation,
  recorded as ``reviewed-by: NAME DATE`` (and keeps its source note when the
  reviewer confirmed the text as it was);
* a row with new Tibetan text and no reviewer becomes a fuzzy draft —
  outputs leave it out until someone reviews it;
* anything else leaves the catalog as it was.

The workbook format itself belongs to a plugin (``advisors-xlsx``); this
module works on rows of strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

from ...errors import DataError, Problem
from ...locale import Entry, load_catalog, parse_po
from .coverage import catalog_coverage
from .glossary import NEEDS_REVIEW
from .pofile import write_po

__all__ = ["REVIEW_COLUMNS", "MergeSummary", "merge_review", "review_rows"]

REVIEW_COLUMNS: Final = ("english", "chinese", "tibetan", "status", "source", "outputs",
                         "reviewer", "date")
"""Columns of the sheet, in order (the header row writes these keys)."""
_SCRIPTS: Final = {"bo": (0x0F00, 0x0FFF)}


def review_rows(lang: str = "bo", extra_dirs: Sequence[Path] = ()) -> list[list[str]]:
    """The sheet's rows (without the header), one per message id, sorted by id."""
    coverage = catalog_coverage(lang, extra_dirs)
    reviewer_date = [r.reviewer.rsplit(" ", 1) if r.reviewer else ["", ""] for r in coverage.rows]
    return [[r.msgid, r.chinese, r.text, r.status, r.source, ", ".join(r.outputs),
             who[0], who[1] if len(who) > 1 else ""]
            for r, who in zip(coverage.rows, reviewer_date, strict=True)]


@attrs.frozen
class MergeSummary:
    """What a merge changed."""

    path: Path
    reviewed: int
    drafts: int
    unchanged: int


def _in_script(text: str, lang: str) -> bool:
    low, high = _SCRIPTS.get(lang, (0, 0x10FFFF))
    return any(low <= ord(c) <= high for c in text)


def _date(raw: str, today: dt.date) -> str:
    text = raw.strip()[:10]
    if not text:
        return today.isoformat()
    return dt.date.fromisoformat(text).isoformat()


def merge_review(rows: Iterable[tuple[int, Mapping[str, str]]], folder: Path, *,
                 lang: str = "bo", source: str = "sheet",
                 today: dt.date | None = None) -> MergeSummary:
    """Merge reviewed sheet ``rows`` — (row number, column → text) — into ``folder/<lang>.po``.

    Raises :class:`~advisors.errors.DataError` listing every bad row (``source``
    and the row number locate it) before anything is written.
    """
    today = today or dt.date.today()
    path = Path(folder) / f"{lang}.po"
    own = {e.msgid: e for e in parse_po(path.read_text("utf-8"), path.name)} \
        if path.is_file() else {}
    current = load_catalog(lang, (Path(folder),)).entries
    known = set(load_catalog("zh").entries)
    problems: list[Problem] = []
    reviewed = drafts = unchanged = 0
    for number, row in rows:
        msgid = row.get("english") or ""  # as written: "; " is an id
        text = (row.get("tibetan") or "").strip()
        who = (row.get("reviewer") or "").strip()
        if not msgid.strip():
            continue
        if ("", msgid) not in known:
            problems.append(Problem(source, "unknown message", number, "english", msgid,
                                    "an English message id from `advisors translations export`"))
            continue
        if text and not _in_script(text, lang):
            problems.append(Problem(source, "the translation is not in Tibetan script", number,
                                    "tibetan", text, "text in Tibetan script (U+0F00–U+0FFF)"))
            continue
        if who and not text:
            problems.append(Problem(source, "a reviewer without a translation", number,
                                    "tibetan", "", "the Tibetan text the reviewer approved"))
            continue
        try:
            day = _date(row.get("date") or "", today)
        except ValueError:
            problems.append(Problem(source, "bad date", number, "date", row.get("date"),
                                    "a date YYYY-MM-DD or nothing (today)"))
            continue
        held = current.get(("", msgid))
        same = held is not None and held.msgstr == text
        if who:
            notes = [f"source: {held.source}"] if same and held and held.source else []
            own[msgid] = Entry(msgid, text, comments=(*notes, f"reviewed-by: {who} {day}"))
            reviewed += 1
        elif text and not same:
            own[msgid] = Entry(msgid, text, fuzzy=True,
                               comments=(f"source: {source} row {number}", NEEDS_REVIEW))
            drafts += 1
        else:
            unchanged += 1
    if problems:
        raise DataError(problems)
    write_po(path, lang, own.values(),
             title=[f"advisors — this deployment's {lang} messages, merged from review sheets."])
    return MergeSummary(path, reviewed, drafts, unchanged)
