"""Rosters and the assignment table as workbooks a township office prints.

``rosters/roster.xlsx`` has one sheet per township (its visits, lectures and
training sessions, in time order), a sheet for the 12348 hotline rota, and
every sheet prints on A4 landscape, one page wide, with the title and the
bilingual header row repeated on each page; dates and times are date and time
cells in Chinese formats (``2026年12月1日``, ``09:00``).
``rosters/assignments.xlsx`` lists each village's advisor of record. Cells
hold values, never formulas: a name typed as ``=HYPERLINK(…)`` stays text.
The rows are the core's roster rows (:func:`advisors.output.rows.roster_rows`),
the same as the CSV and HTML rosters'.

The workbooks are written in openpyxl's write-only mode, rows streamed as
they come, with four named styles (title, header, cell, cancelled) instead
of a style per cell: a province's roster (130,000 cells) takes seconds, not
the half-minute a cell-by-cell workbook spent hashing styles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from advisors.output import ExportOptions, OutputFolder, Publication
from advisors.output.rows import ROSTER_COLUMNS, ROSTER_HEADINGS, RosterRow, roster_rows

from .book import BORDER, HEADER_FILL, HEADER_FONT, save_book, set_widths

__all__ = ["ASSIGNMENT_COLUMNS", "DATE_FORMAT", "HEADINGS", "HOTLINE_SHEET", "TIME_FORMAT",
           "assignments_xlsx", "roster_book", "roster_xlsx", "sheet_title"]

_ENGLISH: dict[str, str] = {
    "date": "Date", "weekday": "Weekday", "start": "Start", "end": "End", "kind": "Kind",
    "status": "Status", "change": "Change", "township": "Township", "village": "Village",
    "who": "Who", "organization": "Organization", "location": "Location", "topic": "Topic",
    "language": "Language", "participants": "Participants", "event": "Calendar event id",
}
HEADINGS: dict[str, tuple[str, str]] = {c: (ROSTER_HEADINGS[c], _ENGLISH[c])
                                        for c in ROSTER_COLUMNS}
"""Chinese and English heading of each roster column."""
ASSIGNMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("乡镇", "Township"), ("村(社区)编号", "Village id"), ("村(社区)", "Village"),
    ("法律顾问编号", "Advisor id"), ("法律顾问", "Advisor"), ("所属单位", "Organization"),
    ("电话", "Phone"),
)
"""Headings of the assignment table."""
HOTLINE_SHEET = "12348热线"
"""Title of the hotline rota's sheet."""
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet title for ``name`` (31 characters, no ``[]:*?/\\``)."""
    base = _BAD_TITLE.sub("_", name).strip("'") or "sheet"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


STYLES = (
    NamedStyle("advisors title", font=Font(bold=True, size=14)),
    NamedStyle("advisors header", font=HEADER_FONT, fill=HEADER_FILL, border=BORDER,
               alignment=Alignment(wrap_text=True, vertical="center")),
    NamedStyle("advisors cell", font=DEFAULT_FONT, border=BORDER),
    NamedStyle("advisors cancelled", font=Font(strike=True, color="808080"), border=BORDER),
)
"""The named styles every cell of a roster workbook takes one of."""


def _book() -> Workbook:
    """An empty write-only workbook with the named styles registered."""
    book = Workbook(write_only=True)
    for style in STYLES:
        book.add_named_style(style)
    return book


DATE_FORMAT = 'yyyy"年"m"月"d"日"'
"""Number format of date cells: 2026年12月1日."""
TIME_FORMAT = "hh:mm"
"""Number format of time cells: 09:00."""


def _cells(row: RosterRow) -> list[Any]:
    """The row's values, its date and times as date and time cells (sortable, summable)."""
    values: list[Any] = row.values()
    for index, column in enumerate(ROSTER_COLUMNS):
        if column == "date" and values[index]:
            values[index] = dt.date.fromisoformat(values[index])
        elif column in ("start", "end") and values[index]:
            values[index] = dt.time.fromisoformat(values[index])
    return values


def _cell(ws: WriteOnlyWorksheet, value: Any, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, not a formula: data never runs
    cell.style = style
    if isinstance(value, dt.time):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _heading(pair: tuple[str, str]) -> str:
    return f"{pair[0]}\n{pair[1]}"


def _print_setup(ws: WriteOnlyWorksheet, header_row: int, width: int, last_row: int) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # The title row and the header repeat on every page; no page header, which
    # LibreOffice prints over the first rows.
    ws.print_title_rows = f"1:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P / &N"
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{last_row}"


def _table(ws: WriteOnlyWorksheet, title: str, headings: Sequence[tuple[str, str]],
           rows: Sequence[Sequence[Any]], struck: Sequence[bool] = ()) -> None:
    """Title in row 1, bilingual header in row 2, rows below; printable."""
    width = len(headings)
    # Widths, print setup and frozen panes go before the first row: write-only mode
    # writes the sheet's head when the first row comes.
    set_widths(ws, [[pair[0], pair[1], *(row[i] for row in rows)]
                    for i, pair in enumerate(headings)], most=30)
    ws.row_dimensions[2].height = 30
    ws.merged_cells.add(f"A1:{get_column_letter(width)}1")
    _print_setup(ws, 2, width, max(2, len(rows) + 2))
    ws.append([_cell(ws, title, "advisors title")])
    ws.append([_cell(ws, _heading(pair), "advisors header") for pair in headings])
    for i, row in enumerate(rows):
        style = "advisors cancelled" if i < len(struck) and struck[i] else "advisors cell"
        ws.append([_cell(ws, value, style) for value in row])


def _title(pub: Publication, name: str, name_bo: str = "") -> str:
    place = f"{name} {name_bo}".strip()
    return f"{place} · 法律服务排班表 Service roster · {pub.period.label}"


def roster_book(pub: Publication, options: ExportOptions) -> Workbook:
    """The roster workbook: a sheet per township with events, then the hotline rota."""
    rows = roster_rows(pub, options.translator())
    by_township: dict[str, list[RosterRow]] = {}
    for row in rows:
        by_township.setdefault(row.township_id, []).append(row)
    book = _book()
    taken: set[str] = set()
    headings = [HEADINGS[c] for c in ROSTER_COLUMNS]

    def sheet(name: str, title: str, items: list[RosterRow]) -> None:
        items = sorted(items, key=lambda r: (r.date, r.start, r.kind_id, r.event))
        ws = book.create_sheet(sheet_title(name, taken))
        _table(ws, title, headings, [_cells(r) for r in items], [r.cancelled for r in items])

    for township in pub.dataset.townships:
        sheet(township.name, _title(pub, township.name, township.name_bo),
              by_township.pop(township.id, []))
    hotline = by_township.pop("", [])
    sheet(HOTLINE_SHEET, f"12348 公共法律服务热线值班表 Hotline rota · {pub.period.label}",
          hotline)
    for township_id in sorted(by_township):  # events in a township the dataset lacks
        sheet(township_id, _title(pub, township_id), by_township[township_id])
    return book


def roster_xlsx(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/roster.xlsx``: a printable sheet per township and the hotline rota."""
    relative = Path("rosters") / "roster.xlsx"
    save_book(roster_book(pub, options), out.path(relative), pub.stamp)
    return [relative]


def assignment_rows(pub: Publication) -> list[list[str]]:
    """One row per village: township, village, its advisor of record (empty: not covered)."""
    data = pub.dataset
    show_phone = "phone" in data.policy.public.advisor
    rows = []
    for township in data.townships:
        for village in data.villages_of_township.get(township.id, ()):
            advisor = data.advisor_by_id.get(pub.advisor_of.get(village.id) or "")
            rows.append([
                township.name, village.id, village.name,
                advisor.id if advisor else "", advisor.name if advisor else "未覆盖 not covered",
                advisor.organization if advisor else "",
                advisor.phone if advisor and show_phone else "",
            ])
    return rows


def assignments_xlsx(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/assignments.xlsx``: each village's advisor of record, printable."""
    relative = Path("rosters") / "assignments.xlsx"
    book = _book()
    ws = book.create_sheet("顾问分配")
    rows = assignment_rows(pub)
    _table(ws, f"村(居)法律顾问分配表 Advisors of record · {pub.period.label}",
           ASSIGNMENT_COLUMNS, rows)
    save_book(book, out.path(relative), pub.stamp)
    return [relative]
