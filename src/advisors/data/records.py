"""Turn rows of text into validated records, collecting every problem.

Shared by every reader (CSV folder, JSON, spreadsheet plugins): a reader
gets its rows of strings however it can and hands them here with a
*locator* that says how to name a cell in messages (``villages.csv:14`` for
a CSV file, ``villages!C14`` for a workbook).

Speed matters: a national dataset has about three million rows. Text
without quotes, one row a line (:class:`TextLines`), is parsed a block of
lines at a time, column by column (:mod:`advisors.data.columnar`); other
rows go through a row parser generated for the file's columns
(:mod:`advisors.data.rowwise`). Any block or row these cannot take whole —
an empty required cell, a bad value, a short row — goes through the careful
per-cell path, which reports every problem of the row; all paths give equal
records. At national scale the biggest files are parsed in a second process
meanwhile (:mod:`advisors.data.parallel`) and their records built here.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from ..errors import ProblemList
from . import parallel
from .columnar import ColumnParser, Unpacker, compile_columns
from .columns import Column, FileSpec, read_header
from .heap import gc_paused
from .indexes import IndexBuilder
from .parallel import Prefetched
from .rowwise import _Slow, compile_chunk
from .text import TextLines

__all__ = [
    "Locator",
    "ParsedFile",
    "csv_locator",
    "gc_paused",
    "parse_rows",
]

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
    rejected: frozenset[str] = frozenset()
    """Key-column text of rows that were rejected, so references to them are not re-reported."""


CHUNK = 16384
"""Rows parsed together on the row-wise fast path."""

def parse_rows(
    spec: FileSpec,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    locate: Locator,
    problems: ProblemList,
    index: IndexBuilder | None = None,
) -> ParsedFile:
    """Check the header, parse every row; bad cells become problems, not exceptions.

    ``index``, if given, is fed every record kept, in order.
    """
    note: Callable[[list[Any]], None] = index.add if index is not None else _ignore
    position, duplicates, missing, extra_columns, plan = read_header(spec, header)
    for i, name in duplicates:
        source, line = locate(1, name, i)
        problems.add(source, "column appears twice", line=line, field=name,
                     expected="each column once")
    for name in missing:
        source, line = locate(1, name, None)
        problems.add(source, "missing column", line=line, field=name,
                     expected="a header row with " + ",".join(c.name for c in spec.columns))
    if missing:
        return ParsedFile([], [], {})
    fast, fast_one = compile_chunk(spec, plan)
    record_cls = spec.record
    records: list[Any] = []
    lines: list[int] = []
    extras: dict[str, dict[str, str]] = {}
    rejected: set[str] = set()
    key_index = position.get(spec.key) if spec.key else None

    width = len(header)

    def take(chunk_lines: Sequence[int], chunk_rows: Sequence[Sequence[str]]) -> None:
        try:
            if max(map(len, chunk_rows), default=0) > width:
                raise _Slow  # cells beyond the header: told row by row below
            built: list[Any] = fast(chunk_rows)
            kept_lines: Sequence[int] = chunk_lines
        except (_Slow, ValueError, LookupError):
            # Something in this chunk is wrong or blank: row by row, every problem told.
            built, kept_lines = [], []
            for line, row in zip(chunk_lines, chunk_rows, strict=True):
                if _beyond_header(row, width, line, locate, problems):
                    if key_index is not None and key_index < len(row) and row[key_index]:
                        rejected.add(row[key_index].strip())
                    continue
                try:
                    record = fast_one(row)
                except (_Slow, ValueError, LookupError):
                    record = _careful(plan, record_cls, line, row, locate, problems)
                if record is not None:
                    built.append(record)
                    kept_lines.append(line)
                elif key_index is not None and key_index < len(row) and row[key_index]:
                    rejected.add(row[key_index].strip())
        note(built)
        if extra_columns:
            chunk = zip(chunk_lines, chunk_rows, strict=True)
            for record, row in zip(built, _rows_of(chunk, kept_lines), strict=True):
                key = str(getattr(record, spec.key)) if spec.key else str(len(records))
                kept = {n: row[i] for i, n in extra_columns if i < len(row) and row[i]}
                if kept:
                    extras[key] = kept
                records.append(record)
        else:
            records.extend(built)
        lines.extend(kept_lines)

    with attrs.validators.disabled(), gc_paused():  # every cell is checked below, once
        if isinstance(rows, Prefetched):
            # Parsed by the worker (header checked there too); records are built here.
            parser = ColumnParser(spec, plan, len(header))
            unpack = Unpacker()
            for block in rows.blocks():
                if block[0] == "ok":
                    _, first, n, packed = block
                    built = parser.construct(n, unpack(packed))
                    note(built)
                    records.extend(built)
                    lines.extend(range(first, first + n))
                    continue
                text_lines = block[2].split("\n")
                chunk_lines = range(block[1], block[1] + len(text_lines))
                tried: list[Any] | None = None
                if block[0] == "rest":  # "raw": the worker tried it column by column already
                    with contextlib.suppress(ValueError, LookupError):
                        tried = parser.build(text_lines, rows.delimiter)
                if tried is None:
                    take(chunk_lines, list(csv.reader(text_lines, delimiter=rows.delimiter)))
                    continue
                note(tried)
                records.extend(tried)
                lines.extend(chunk_lines)
        elif isinstance(rows, TextLines) and not extra_columns:
            # Clean blocks column by column; a block with anything odd goes row by row.
            build = compile_columns(spec, plan, len(header))
            for numbers, text_block in rows.blocks(parallel.TEXT_CHUNK):
                try:
                    built = build(text_block, rows.delimiter)
                except (ValueError, LookupError):
                    take(numbers, rows.split(text_block))
                    continue
                note(built)
                records.extend(built)
                lines.extend(numbers)
        else:
            for row_numbers, chunk_rows in _chunks(rows):
                take(row_numbers, chunk_rows)
    return ParsedFile(records, lines, extras, frozenset(rejected))


def _ignore(records: list[Any]) -> None:
    pass


def _chunks(
    rows: Iterable[tuple[int, Sequence[str]]],
) -> Iterator[tuple[Sequence[int], Sequence[Sequence[str]]]]:
    """``rows`` in chunks of :data:`CHUNK`, as (lines, rows)."""
    stream = iter(rows)
    while chunk := list(itertools.islice(stream, CHUNK)):
        chunk_lines, chunk_rows = zip(*chunk, strict=True)
        yield chunk_lines, chunk_rows


def _rows_of(chunk: Iterable[tuple[int, Sequence[str]]],
             lines: Sequence[int]) -> list[Sequence[str]]:
    """The rows of ``chunk`` whose lines were kept, in order."""
    wanted = set(lines)
    return [row for line, row in chunk if line in wanted]


def _beyond_header(row: Sequence[str], width: int, line: int, locate: Locator,
                   problems: ProblemList) -> bool:
    """Report a row with non-empty cells beyond the header (a shifted row, a stray comma)."""
    if len(row) <= width:
        return False
    extra = [(i, cell) for i, cell in enumerate(row[width:], start=width) if cell.strip()]
    if not extra:
        return False  # trailing empty cells, as spreadsheets write them
    source, at = locate(line, None, extra[0][0])
    problems.add(source, f"{len(extra)} cell(s) beyond the header's {width} columns",
                 line=at, field=f"column {extra[0][0] + 1}", value=extra[0][1][:60],
                 expected="no more cells than the header names (a comma inside a value "
                          "needs quotes)")
    return True


def _careful(
    plan: Sequence[tuple[Column, int | None]],
    record_cls: type,
    line: int,
    row: Sequence[str],
    locate: Locator,
    problems: ProblemList,
) -> Any:
    """Parse one row cell by cell, reporting every bad cell; ``None`` if any was bad or blank."""
    if not any(cell.strip() for cell in row):
        return None
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
    return record_cls(**values) if ok else None


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
