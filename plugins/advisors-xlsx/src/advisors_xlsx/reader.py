"""Read a dataset from one workbook: one sheet per file of the folder format.

Rows go through the core's :func:`advisors.data.records.parse_rows` with the
columns of :data:`advisors.data.columns.FILES`, exactly as the CSV folder's
do; only the naming of places differs — a problem is located at its cell,
``villages!C14``. Whole-dataset checks (duplicate ids, unknown references)
are the core's :meth:`advisors.Dataset.check`, their places translated from
rows to cells. The policy and the calendar are sheets of the same workbook
(:mod:`advisors_xlsx.settings`), so one file is the whole dataset.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from advisors.calendar import WorkCalendar
from advisors.data.columns import FILES, REQUIRED_FILES
from advisors.data.dataset import COLLECTIONS, Dataset
from advisors.data.records import gc_paused, parse_rows
from advisors.errors import DataError, Problem, ProblemList
from advisors.policy import Policy

from .aliases import SHEET_LABELS, canonical_column, canonical_sheet
from .cells import Sheet, cell_text, locate, sheet_rows
from .settings import SETTINGS_COLUMNS, policy_cell, read_calendar, read_policy

__all__ = ["find_sheets", "header_of", "read_workbook"]

HEADER_SEARCH = 10
"""Rows searched for the header (titles and notes may sit above it)."""


def header_of(title: str, collection: str, rows: Sequence[tuple[int, list[Any]]],
              known: tuple[str, ...]) -> tuple[int, list[str], int]:
    """(header row, canonical names, index into ``rows`` of the first data row).

    The header is the first of the top rows naming two known columns (a
    merged title above it is skipped); failing that, the first row.
    """
    for k, (r, values) in enumerate(rows[:HEADER_SEARCH]):
        names = [canonical_column(collection, cell_text(v), known) if v is not None else ""
                 for v in values]
        if len({n for n in names if n in known}) >= min(2, len(known)):
            return r, names, k + 1
    if not rows:
        return 1, [], 0
    r, values = rows[0]
    return r, [canonical_column(collection, cell_text(v), known) for v in values], 1


def find_sheets(book: Any, problems: ProblemList) -> dict[str, Sheet]:
    """Each collection's sheet (and ``policy``, ``festivals``, ``holidays``), by name."""
    found: dict[str, Sheet] = {}
    for ws in book.worksheets:
        name = canonical_sheet(ws.title)
        if name is None:
            continue  # instructions, lists, an office's own notes
        if name in found:
            problems.add(ws.title, f"a second sheet for {name}",
                         expected=f"one sheet named {name} or {SHEET_LABELS[name]} "
                         f"(the first is {found[name].title!r})")
            continue
        known = (tuple(c.name for c in FILES[name].columns) if name in FILES
                 else SETTINGS_COLUMNS[name])
        rows = list(sheet_rows(ws))
        header_row, header, first = header_of(ws.title, name, rows, known)
        while header and not header[-1]:
            header.pop()
        found[name] = Sheet(ws.title, header_row, header, rows[first:])
    return found


def _open(path: Path) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() in (".xls", ".et"):
        raise DataError([Problem(path.name, "old Excel or WPS format",
                                 expected="a workbook saved as .xlsx (Excel 工作簿)")])
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet.
        return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError) as exc:
        # An OSError (no permission) is not caught: the CLI reports it as such.
        raise DataError([Problem(path.name, "not an Excel workbook", value=str(exc)[:80],
                                 expected="a .xlsx file saved by Excel or WPS, "
                                 "without a password")]) from None


def read_workbook(path: str | Path) -> Dataset:
    """Load and check the dataset of a workbook; one DataError lists every problem."""
    path = Path(path)
    book = _open(path)
    problems = ProblemList()
    with gc_paused():
        sheets = find_sheets(book, problems)
        collections: dict[str, Any] = {}
        origins: dict[str, list[int]] = {}
        extras: dict[str, dict[str, dict[str, str]]] = {}
        incomplete: set[str] = set()
        rejected: dict[str, frozenset[str]] = {}
        for name in COLLECTIONS:
            spec = FILES[name]
            sheet = sheets.get(name)
            if sheet is None:
                if name in REQUIRED_FILES:
                    problems.add(name, "missing sheet", expected=(
                        f"a sheet named {name} or {SHEET_LABELS[name]}; the workbook has "
                        + ", ".join(repr(t) for t in book.sheetnames)))
                    incomplete.add(name)
                continue
            before = len(problems.items)
            if not sheet.header:
                problems.add(sheet.cell(sheet.header_row, None), "missing header",
                             expected=", ".join(c.name for c in spec.columns))
            else:
                parsed = parse_rows(spec, sheet.header, sheet.text_rows(),
                                    _locator(sheet), problems)
                collections[name] = parsed.records
                origins[name] = parsed.lines
                rejected[name] = parsed.rejected
                if parsed.extras:
                    extras[spec.filename] = parsed.extras
            if any(name not in rejected or p.message in ("missing column", "column appears twice")
                   for p in problems.items[before:]):
                incomplete.add(name)  # not read whole: references into it would be echoes
        policy = Policy()
        if "policy" in sheets:
            try:
                policy = read_policy(sheets["policy"])
            except DataError as exc:
                problems.extend(exc.problems)
                incomplete.add("policy")
        calendar = WorkCalendar()
        try:
            calendar = read_calendar(sheets.get("festivals"), sheets.get("holidays"))
        except DataError as exc:
            problems.extend(exc.problems)
        for name in REQUIRED_FILES:
            collections.setdefault(name, [])
        dataset = Dataset(policy=policy, calendar=calendar, extras=extras, **collections)
        problems.extend(_to_cells(p, sheets) for p in dataset.check(origins, incomplete,
                                                                     rejected))
    problems.raise_if_any()
    return dataset


def _locator(sheet: Sheet) -> Any:
    def locate_cell(line: int, name: str | None, index: int | None) -> tuple[str, int | None]:
        # parse_rows names the header "line 1"; the header may sit lower in a sheet.
        row = sheet.header_row if line == 1 else line
        return locate(sheet.title, row, index), None

    return locate_cell


def _to_cells(problem: Problem, sheets: dict[str, Sheet]) -> Problem:
    """A whole-dataset problem (``villages.csv`` line 14) moved to its cell (``villages!D14``)."""
    collection = problem.source.removesuffix(".csv")
    sheet = sheets.get(collection)
    if sheet is None or problem.line is None:
        if problem.source == "policy" and "policy" in sheets:
            return attrs.evolve(problem, source=policy_cell(sheets["policy"], problem.field))
        return problem
    column = problem.field
    for c in FILES[collection].columns:
        if c.target == problem.field:
            column = c.name
    expected = problem.expected
    for name in FILES:  # "a village in villages.csv" → "a village in sheet 村(社区)"
        if expected and f"{name}.csv" in expected:
            title = sheets[name].title if name in sheets else name
            expected = expected.replace(f"{name}.csv", f"sheet {title}")
    return attrs.evolve(problem, source=sheet.cell(problem.line, column), line=None,
                        field=column, expected=expected)
