"""From spreadsheet cells to the text the core's column parsers read, and sheets to rows.

A workbook cell is typed — a number, an Excel date, a boolean, text — and
the core parses text (:mod:`advisors.data.columns`). Here each cell becomes
the text a CSV export of it would hold, so the two formats share one set of
rules: ``4.0`` becomes ``4``, an Excel date ``2026-12-01``, ``TRUE``
``true``. Dates typed as text (``2026/12/1``, ``2026年12月1日``,
``2026.12.01``) are written ISO in date columns; anything else is passed on
as typed for the core to judge.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import attrs
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["DATE_COLUMNS", "Sheet", "cell_text", "date_text", "locate", "sheet_rows"]

_TEXT_DATE = re.compile(
    r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:0{1,2}:00(?::00)?)?\s*"
)


def date_text(raw: str) -> str:
    """``2026/12/1``, ``2026年12月1日``, ``2026.12.01`` → ``2026-12-01``; other text as is."""
    found = _TEXT_DATE.fullmatch(raw)
    if not found:
        return raw
    year, month, day = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def cell_text(value: Any, *, date: bool = False) -> str:
    """The cell as the text a column parser reads; ``date`` for date columns."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps every number as a float: 4 is 4.0, a phone number 1.38e10.
        return str(int(value)) if value.is_integer() and abs(value) < 1e17 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}" if not value.second else f"{value:%H:%M:%S}"
    text = str(value)
    return date_text(text) if date else text


def locate(sheet: str, row: int, column: int | None) -> str:
    """``villages!C14``; ``villages!1:1`` for a whole row (a header without a column)."""
    if column is None:
        return f"{sheet}!{row}:{row}"
    return f"{sheet}!{get_column_letter(column + 1)}{row}"


def _merged_values(ws: Worksheet) -> dict[tuple[int, int], Any]:
    """Every cell inside a merged range → the value of its top-left cell."""
    filled: dict[tuple[int, int], Any] = {}
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                filled[(r, c)] = value
    return filled


def sheet_rows(ws: Worksheet) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cell values) of every row that holds something, merged cells filled.

    A merged block (one township name over five village rows) gives its value
    to every cell it covers; empty rows, trailing or in between, are skipped.
    """
    merged = _merged_values(ws)
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        values = list(row)
        if merged:
            for c in range(len(values)):
                if (r, c + 1) in merged:
                    values[c] = merged[(r, c + 1)]
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            yield r, values


DATE_COLUMNS = frozenset({"start", "end", "certified_on", "date"})
"""Columns whose text is read as a date (text dates are normalised there)."""


@attrs.frozen
class Sheet:
    """One worksheet, its rows read: the header and the data rows as text."""

    title: str
    header_row: int
    header: list[str]
    """Canonical column names (unknown headers as written, lower case)."""
    rows: list[tuple[int, list[Any]]]
    """(Excel row number, raw cell values) of every non-empty row below the header."""

    def cell(self, row: int, column: str | None) -> str:
        """``villages!C14`` for the column's cell in ``row`` (``villages!14:14`` if unknown)."""
        index = self.header.index(column) if column in self.header else None
        return locate(self.title, row, index)

    def text_rows(self) -> list[tuple[int, list[str]]]:
        """The data rows as the text the column parsers read."""
        dates = [name in DATE_COLUMNS for name in self.header]
        width = len(self.header)
        return [
            (r, [cell_text(v, date=dates[i] if i < width else False)
                 for i, v in enumerate(values[:width])])
            for r, values in self.rows
        ]
