"""The translator's workbook: ``advisors translations export`` and ``import``.

One sheet, one row per message: the English id, the Chinese text, the
current Tibetan, its status and source, the outputs that show it, and the
reviewer and date a native speaker fills in. Importing merges the rows into
a deployment's own catalog folder (never the bundled catalog) through
:func:`advisors.output.translations.review.merge_review`, which records the
reviewer and leaves unreviewed text fuzzy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from advisors.errors import DataError, Problem
from advisors.output.translations.review import (
    REVIEW_COLUMNS,
    MergeSummary,
    merge_review,
    review_rows,
)

from .book import save_book, set_widths, style_header
from .cells import cell_text, sheet_rows

__all__ = ["HEADERS", "export_sheet", "import_sheet", "read_sheet"]

HEADERS: Final = {
    "english": "English (message id)",
    "chinese": "中文",
    "tibetan": "藏文 (Tibetan)",
    "status": "状态 status",
    "source": "来源 source",
    "outputs": "用于 outputs",
    "reviewer": "审校人 reviewer",
    "date": "审校日期 date",
}
"""The header row: each column's label (the import also accepts the bare key)."""


def export_sheet(path: Path, lang: str = "bo", extra_dirs: Sequence[Path] = ()) -> int:
    """Write the review workbook for ``lang``; return the number of rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = lang
    ws.append([HEADERS[key] for key in REVIEW_COLUMNS])
    rows = review_rows(lang, extra_dirs)
    for row in rows:
        ws.append(row)
    style_header(ws, 1, len(REVIEW_COLUMNS))
    ws.freeze_panes = "A2"
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    set_widths(ws, [[HEADERS[k], *(r[i] for r in rows)] for i, k in enumerate(REVIEW_COLUMNS)])
    save_book(book, path)
    return len(rows)


def _key(label: object) -> str | None:
    text = cell_text(label).strip().casefold()
    for key, shown in HEADERS.items():
        if text in (key, shown.casefold()):
            return key
    return None


def read_sheet(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, column key → text) of the first sheet's filled rows."""
    book = load_workbook(path, read_only=False, data_only=True)
    ws = book.worksheets[0]
    rows = sheet_rows(ws)
    header = next(rows, None)
    keys = [_key(v) for v in header[1]] if header else []
    missing = [k for k in ("english", "tibetan", "reviewer") if k not in keys]
    if missing:
        raise DataError([Problem(path.name, "not a translation sheet", 1, None,
                                 ", ".join(str(v) for v in (header[1] if header else [])),
                                 "the header of `advisors translations export` (columns "
                                 + ", ".join(HEADERS[k] for k in missing) + ")")])
    for number, values in rows:
        # the message id is kept as written: "; " and "." are ids too
        yield number, {key: cell_text(value, date=key == "date") if key == "english"
                       else cell_text(value, date=key == "date").strip()
                       for key, value in zip(keys, values, strict=False) if key}


def import_sheet(path: Path, into: Path, lang: str = "bo",
                 today: dt.date | None = None) -> MergeSummary:
    """Merge the reviewed workbook at ``path`` into ``into/<lang>.po``."""
    rows: list[tuple[int, Mapping[str, str]]] = list(read_sheet(path))
    return merge_review(rows, into, lang=lang, source=path.name, today=today)
