"""Turn rows of text into validated records, collecting every problem.

Shared by every reader (CSV folder, JSON, spreadsheet plugins): a reader
gets its rows of strings however it can and hands them here with a
*locator* that says how to name a cell in messages (``villages.csv:14`` for
a CSV file, ``villages!C14`` for a workbook).

Speed matters: a national dataset has about three million rows. Each file
gets a row parser generated for its columns (:func:`_compile_fast`) that
parses a clean row with a handful of C calls and builds the record without
running the model's converters again (the column parsers already give
normalised values). Any row it cannot take — an empty required cell, a bad
value, a short row — goes through the careful per-cell path, which reports
every problem of the row; both paths give equal records.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from ..errors import ProblemList
from ..model import NOT_ID_CHAR
from .columnar import compile_columns
from .columns import (
    BOOLEANS,
    Column,
    FileSpec,
    _bool,
    _choice_table,
    _ident,
    _text,
)

__all__ = [
    "Locator",
    "NumberedRows",
    "ParsedFile",
    "TextLines",
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of records are built.

    Records hold no reference cycles, but every allocation of a container
    counts towards a collection, and each full collection walks every
    record built so far: on a national dataset that more than doubles the
    load time. The previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # Move what was built to the oldest generation in one step; otherwise
                # the first collection after this walks every record (seconds at
                # national scale). Skipped if the application froze objects itself.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@attrs.frozen
class ParsedFile:
    """The records read from one file, with their lines and unknown columns."""

    records: list[Any]
    lines: list[int]
    extras: dict[str, dict[str, str]]
    rejected: frozenset[str] = frozenset()
    """Key-column text of rows that were rejected, so references to them are not re-reported."""


class _Slow(Exception):
    """Raised by a generated row parser: this row needs the careful path."""


CHUNK = 16384
"""Rows parsed together on the row-wise fast path."""
TEXT_CHUNK = 32768
"""Lines of clean text parsed together, column by column."""


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
    fast, fast_one = _compile_chunk(spec, plan)
    record_cls = spec.record
    records: list[Any] = []
    lines: list[int] = []
    extras: dict[str, dict[str, str]] = {}
    rejected: set[str] = set()
    key_index = position.get(spec.key) if spec.key else None

    def take(chunk_lines: Sequence[int], chunk_rows: Sequence[Sequence[str]]) -> None:
        try:
            built: list[Any] = fast(chunk_rows)
            kept_lines: Sequence[int] = chunk_lines
        except (_Slow, ValueError, LookupError):
            # Something in this chunk is wrong or blank: row by row, every problem told.
            built, kept_lines = [], []
            for line, row in zip(chunk_lines, chunk_rows, strict=True):
                try:
                    record = fast_one(row)
                except (_Slow, ValueError, LookupError):
                    record = _careful(plan, record_cls, line, row, locate, problems)
                if record is not None:
                    built.append(record)
                    kept_lines.append(line)
                elif key_index is not None and key_index < len(row) and row[key_index]:
                    rejected.add(row[key_index].strip())
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
        if isinstance(rows, TextLines) and not extra_columns:
            # Clean blocks column by column; a block with anything odd goes row by row.
            build = compile_columns(spec, plan, len(header))
            for chunk_lines, block in rows.blocks(TEXT_CHUNK):
                try:
                    built = build(block, rows.delimiter)
                except (ValueError, LookupError):
                    take(chunk_lines, rows.split(block))
                    continue
                records.extend(built)
                lines.extend(chunk_lines)
        else:
            for chunk_lines, chunk_rows in _chunks(rows):
                take(chunk_lines, chunk_rows)
    return ParsedFile(records, lines, extras, frozenset(rejected))


class TextLines(Iterable[tuple[int, Sequence[str]]]):
    """Rows that are consecutive lines of text without quotes: one line, one row.

    Iterates as ``(line, row)`` pairs like any ``rows`` argument of
    :func:`parse_rows`, which also recognises it and then parses blocks of
    lines column by column (:mod:`advisors.load.columnar`).
    """

    def __init__(self, first_line: int, lines: Iterable[str], delimiter: str = ",") -> None:
        self.first_line = first_line
        """Line of the first row."""
        self.lines = iter(lines)
        """The lines, without their line ends."""
        self.delimiter = delimiter
        """The cell separator."""

    def split(self, block: Iterable[str]) -> list[list[str]]:
        """The rows of ``block``, exactly as ``csv.reader`` reads them."""
        return list(csv.reader(block, delimiter=self.delimiter))

    def blocks(self, size: int) -> Iterator[tuple[range, list[str]]]:
        """Blocks of up to ``size`` lines, with their line numbers."""
        line = self.first_line
        while block := list(itertools.islice(self.lines, size)):
            yield range(line, line + len(block)), block
            line += len(block)

    def __iter__(self) -> Iterator[tuple[int, Sequence[str]]]:
        reader = csv.reader(self.lines, delimiter=self.delimiter)
        return zip(itertools.count(self.first_line), reader)


class NumberedRows(Iterable[tuple[int, Sequence[str]]]):
    """Rows that are consecutive lines from ``first_line`` on, one row a line.

    Iterates as ``(line, row)`` pairs like any ``rows`` argument of
    :func:`parse_rows`, which also recognises it and then reads the rows in
    chunks without building a pair per row.
    """

    def __init__(self, first_line: int, rows: Iterable[Sequence[str]]) -> None:
        self.first_line = first_line
        """Line of the first row."""
        self.rows = iter(rows)
        """The rows themselves."""

    def __iter__(self) -> Iterator[tuple[int, Sequence[str]]]:
        return zip(itertools.count(self.first_line), self.rows)


def _chunks(
    rows: Iterable[tuple[int, Sequence[str]]],
) -> Iterator[tuple[Sequence[int], Sequence[Sequence[str]]]]:
    """``rows`` in chunks of :data:`CHUNK`, as (lines, rows)."""
    if isinstance(rows, NumberedRows):
        line = rows.first_line
        while block := list(itertools.islice(rows.rows, CHUNK)):
            yield range(line, line + len(block)), block
            line += len(block)
        return
    stream = iter(rows)
    while chunk := list(itertools.islice(stream, CHUNK)):
        chunk_lines, chunk_rows = zip(*chunk, strict=True)
        yield chunk_lines, chunk_rows


def _rows_of(chunk: Iterable[tuple[int, Sequence[str]]],
             lines: Sequence[int]) -> list[Sequence[str]]:
    """The rows of ``chunk`` whose lines were kept, in order."""
    wanted = set(lines)
    return [row for line, row in chunk if line in wanted]


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


def _compile_chunk(
    spec: FileSpec, plan: Sequence[tuple[Column, int | None]]
) -> tuple[Callable[[Sequence[Sequence[str]]], list[Any]], Callable[[Sequence[str]], Any]]:
    """``rows -> records`` for a chunk of clean rows, and ``row -> record`` for one row.

    Both raise on anything but a clean row; the second is for retrying the
    rows of a chunk one by one, so that one bad row does not slow its chunk.

    A row parser is generated for the file's columns: it strips each cell
    once, looks choices up in a dict, shares repeated text (village ids in
    people.csv, roles, phone numbers) through a per-column memo, and sets the
    record's slots directly. Ids are checked afterwards for the whole chunk
    with one regex search per column, which costs far less than a match per
    cell.
    """
    parse_chunk, parse_row = _compile_row(spec, plan)
    id_getters = [operator.attrgetter(c.target) for c, i in plan
                  if i is not None and c.parse is _ident]
    bad_char = NOT_ID_CHAR.search

    def fast(rows: Sequence[Sequence[str]]) -> list[Any]:
        built: list[Any] = parse_chunk(rows)
        for get in id_getters:
            if bad_char("".join(map(get, built))):
                raise _Slow
        return built

    def fast_one(row: Sequence[str]) -> Any:
        record = parse_row(row)
        for get in id_getters:
            if bad_char(get(record)):
                raise _Slow
        return record

    return fast, fast_one


def _compile_row(
    spec: FileSpec, plan: Sequence[tuple[Column, int | None]]
) -> tuple[Callable[[Sequence[Sequence[str]]], list[Any]], Callable[[Sequence[str]], Any]]:
    """Generate ``rows -> records`` and ``row -> record`` for clean rows (ids not checked).

    Every name the generated code uses is a default argument, so that it is a
    local variable (the cheapest lookup) inside the loop over rows.
    """
    env: dict[str, Any] = {"_Slow": _Slow}
    body: list[str] = []
    values: dict[str, str] = {}
    for k, (column, index) in enumerate(plan):
        var = f"v{k}"
        values[column.target] = var
        env[f"D{k}"] = column.default
        if index is None:
            body.append(f"{var} = D{k}")
            continue
        body.append(f"{var} = row[{index}].strip()")
        body.append(f"if not {var}:")
        body.append("    raise _Slow" if column.required else f"    {var} = D{k}")
        parse = column.parse
        table = _choice_table(parse)
        if parse in (_text, _ident):
            if column.name != spec.key:
                env[f"M{k}"] = {}
                body.append(f"else:\n    {var} = M{k}.setdefault({var}, {var})")
        elif table is not None:
            env[f"L{k}"] = table
            body.append(f"else:\n    {var} = L{k}[{var}.lower()]")
        elif parse is _bool:
            env[f"L{k}"] = BOOLEANS
            body.append(f"else:\n    {var} = L{k}[{var}.lower()]")
        else:
            env[f"P{k}"] = parse
            body.append(f"else:\n    {var} = P{k}({var})")
    body += _construct(spec.record, values, env)
    defaults = ", ".join(f"{name}={name}" for name in sorted(env))
    row_code = "".join(f"    {line}\n" for line in "\n".join(body).split("\n"))
    loop_code = "".join(f"        {line}\n" for line in "\n".join(body).split("\n"))
    source = (
        f"def parse_chunk(rows, {defaults}):\n"
        "    out = []\n    append = out.append\n"
        f"    for row in rows:\n{loop_code}        append(o)\n"
        "    return out\n\n"
        f"def parse_row(row, {defaults}):\n{row_code}    return o\n"
    )
    exec(compile(source, f"<advisors row parser for {spec.filename}>", "exec"), env)
    return env["parse_chunk"], env["parse_row"]


def _construct(cls: type, values: dict[str, str], env: dict[str, Any]) -> list[str]:
    """Code that builds a ``cls`` named ``o`` from the parsed values, without converters."""
    fields = attrs.fields(cls)
    slots = all(isinstance(cls.__dict__.get(f.name), _MEMBER) for f in fields)
    direct = (slots and not hasattr(cls, "__attrs_post_init__")
              and all(f.init for f in fields))
    env["C"] = cls
    args: list[tuple[str, str]] = []
    for f in fields:
        if f.name in values:
            args.append((f.name, values[f.name]))
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            env[f"F_{f.name}"] = f.default.factory
            args.append((f.name, f"F_{f.name}()"))
        else:
            env[f"F_{f.name}"] = f.default
            args.append((f.name, f"F_{f.name}"))
    if not direct:
        return ["o = C(" + ", ".join(f"{n}={v}" for n, v in args) + ")"]
    env["_new"] = object.__new__
    lines = ["o = _new(C)"]
    for name, value in args:
        env[f"S_{name}"] = cls.__dict__[name].__set__
        lines.append(f"S_{name}(o, {value})")
    return lines


class _Probe:
    __slots__ = ("x",)


_MEMBER = type(_Probe.__dict__["x"])


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
