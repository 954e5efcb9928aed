"""Turn rows of text into validated records, collecting every problem.

Shared by every reader (CSV folder, JSON, spreadsheet plugins): a reader
gets its rows of strings however it can and hands them here with a
*locator* that says how to name a cell in messages (``villages.csv:14`` for
a CSV file, ``villages!C14`` for a workbook).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from ..errors import ProblemList
from .columns import FileSpec

__all__ = ["Locator", "ParsedFile", "csv_locator", "parse_rows"]

Locator = Callable[[int, str | None, int | None], tuple[str, int | None]]
"""(line, column name, column index) → (source, line) as a Problem shows them."""


def csv_locator(filename: str) -> Locator:
    """Name cells as ``file.csv`` with the line number."""

    def locate(line: int, name: str | None, index: int | None) -> tuple[str, int | None]:
        return filename, line

    return locate


@attrs.frozen
class ParsedFile:
    """The records read from one file, with their lines and unknown columns."""

    records: list[Any]
    lines: list[int]
    extras: dict[str, dict[str, str]]


def parse_rows(
    spec: FileSpec,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    locate: Locator,
    problems: ProblemList,
) -> ParsedFile:
    """Check the header, parse every row; bad cells become problems, not exceptions."""
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    position: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in position and name:
            source, line = locate(1, name, i)
            problems.add(source, "column appears twice", line=line, field=name,
                         expected="each column once")
        position.setdefault(name, i)
    known = {c.name for c in spec.columns}
    missing = [c.name for c in spec.columns if c.required and c.name not in position]
    for name in missing:
        source, line = locate(1, name, None)
        problems.add(source, "missing column", line=line, field=name,
                     expected="a header row with " + ",".join(c.name for c in spec.columns))
    if missing:
        return ParsedFile([], [], {})
    extra_columns = [(i, n) for i, n in enumerate(names) if n and n not in known]
    plan = [(c, position.get(c.name)) for c in spec.columns]
    record_cls = spec.record
    records: list[Any] = []
    lines: list[int] = []
    extras: dict[str, dict[str, str]] = {}
    with attrs.validators.disabled():  # every cell is checked below, once
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            values: dict[str, Any] = {}
            ok = True
            for column, index in plan:
                raw = row[index].strip() if index is not None and index < len(row) else ""
                if not raw:
                    if column.required:
                        source, at = locate(line, column.name, index)
                        problems.add(source, "empty required field", line=at,
                                     field=column.name, expected=column.expected)
                        ok = False
                    else:
                        values[column.target] = column.default
                    continue
                try:
                    values[column.target] = column.parse(raw)
                except (ValueError, LookupError):
                    source, at = locate(line, column.name, index)
                    problems.add(source, _message(column.name), line=at, field=column.name,
                                 value=raw, expected=column.expected)
                    ok = False
            if not ok:
                continue
            records.append(record_cls(**values))
            lines.append(line)
            if extra_columns:
                key = str(values[spec.key]) if spec.key else str(len(records) - 1)
                kept = {n: row[i] for i, n in extra_columns if i < len(row) and row[i]}
                if kept:
                    extras[key] = kept
    return ParsedFile(records, lines, extras)


def _message(column: str) -> str:
    if column in ("lat", "lon"):
        return "bad coordinate"
    if column == "languages":
        return "unknown language"
    if column in ("role", "kind", "status", "service_class"):
        return f"unknown {column.replace('_', ' ')}"
    if column in ("start", "end", "certified_on"):
        return "bad date"
    if column in ("township", "village", "advisor", "person", "who", "from", "to", "id"):
        return "bad id"
    return "bad value"
