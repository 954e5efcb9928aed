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

The workbooks are written as SpreadsheetML text (:mod:`.sheetml`,
:mod:`.tablebook`), not through openpyxl's cell objects: a province's roster
(100,000 cells) takes a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from advisors.output import ExportOptions, OutputFolder, Publication
from advisors.output.rows import ROSTER_COLUMNS, ROSTER_HEADINGS, RosterRow, roster_rows

from .sheetml import DATE_FORMAT, TIME_FORMAT, UNWRITABLE, Table, Value
from .tablebook import write_tables

__all__ = ["ASSIGNMENT_COLUMNS", "DATE_FORMAT", "HEADINGS", "HOTLINE_SHEET", "TIME_FORMAT",
           "assignment_table", "assignments_xlsx", "roster_tables", "roster_xlsx", "sheet_title"]

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
_BAD_TITLE = re.compile(rf"[\[\]:*?/\\\t\n\r\x7f{UNWRITABLE}]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet title for ``name`` (31 characters, no ``[]:*?/\\``, no controls)."""
    base = _BAD_TITLE.sub("_", name).strip("'") or "sheet"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _cells(row: RosterRow) -> list[Value]:
    """The row's values, its date and times as date and time cells (sortable, summable)."""
    values: list[Value] = list(row.values())
    for index, column in enumerate(ROSTER_COLUMNS):
        if column == "date" and values[index]:
            values[index] = dt.date.fromisoformat(str(values[index]))
        elif column in ("start", "end") and values[index]:
            values[index] = dt.time.fromisoformat(str(values[index]))
    return values


def _heading(pair: tuple[str, str]) -> str:
    return f"{pair[0]}\n{pair[1]}"


def _title(pub: Publication, name: str, name_bo: str = "") -> str:
    place = f"{name} {name_bo}".strip()
    return f"{place} · 法律服务排班表 Service roster · {pub.period.label}"


def roster_tables(pub: Publication, options: ExportOptions) -> list[Table]:
    """The roster workbook's sheets: one per township with its events, then the hotline rota."""
    rows = roster_rows(pub, options.translator())
    by_township: dict[str, list[RosterRow]] = {}
    for row in rows:
        by_township.setdefault(row.township_id, []).append(row)
    taken: set[str] = set()
    headings = [_heading(HEADINGS[c]) for c in ROSTER_COLUMNS]
    tables = []

    def sheet(name: str, title: str, items: list[RosterRow]) -> None:
        items = sorted(items, key=lambda r: (r.date, r.start, r.kind_id, r.event))
        tables.append(Table(sheet_title(name, taken), title, headings,
                            [_cells(r) for r in items], [r.cancelled for r in items]))

    for township in pub.dataset.townships:
        sheet(township.name, _title(pub, township.name, township.name_bo),
              by_township.pop(township.id, []))
    hotline = by_township.pop("", [])
    sheet(HOTLINE_SHEET, f"12348 公共法律服务热线值班表 Hotline rota · {pub.period.label}",
          hotline)
    for township_id in sorted(by_township):  # events in a township the dataset lacks
        sheet(township_id, _title(pub, township_id), by_township[township_id])
    return tables


def roster_xlsx(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/roster.xlsx``: a printable sheet per township and the hotline rota."""
    relative = Path("rosters") / "roster.xlsx"
    write_tables(out.path(relative), roster_tables(pub, options), pub.stamp)
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


def assignment_table(pub: Publication) -> Table:
    """The assignment table's one sheet."""
    return Table("顾问分配", f"村(居)法律顾问分配表 Advisors of record · {pub.period.label}",
                 [_heading(pair) for pair in ASSIGNMENT_COLUMNS], assignment_rows(pub))


def assignments_xlsx(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/assignments.xlsx``: each village's advisor of record, printable."""
    relative = Path("rosters") / "assignments.xlsx"
    write_tables(out.path(relative), [assignment_table(pub)], pub.stamp)
    return [relative]
