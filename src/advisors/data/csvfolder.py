"""The dataset folder: one CSV file per collection, plus ``policy.toml`` and ``calendar.toml``.

Reading never stops at the first problem. Encodings people really produce
are handled: UTF-8 with or without a BOM, UTF-16 ("Unicode text" from
Excel, tab-separated), and GB18030 from Chinese Excel and WPS; a binary file
is reported as such, never decoded into nonsense.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from operator import methodcaller
from pathlib import Path
from typing import Any

from ..calendar import WorkCalendar
from ..errors import DataError, ProblemList
from ..policy import Policy
from .atomic import atomic_directory
from .columns import FILES, REQUIRED_FILES, format_cell
from .dataset import COLLECTIONS, Dataset, _prebuilt
from .indexes import IndexBuilder
from .parallel import Pending, prefetch
from .records import TextLines, csv_locator, gc_paused, parse_rows
from .tomlwrite import dumps_toml

__all__ = ["decode", "read_folder", "write_folder"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def decode(data: bytes, filename: str, problems: ProblemList) -> str | None:
    """Decode a text file as UTF-8 (BOM or not), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data[:65536]:
        problems.add(filename, "not a text file (binary content)", line=None,
                     expected="a CSV file saved as UTF-8 (CSV UTF-8 in Excel/WPS)")
        return None
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            utf8_error = exc
        try:
            # Chinese Excel and WPS save "CSV" in the ANSI code page, GB18030's subset.
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            problems.add(filename, "undecodable bytes", line=line,
                         value=data[utf8_error.start : utf8_error.start + 8].hex(" "),
                         expected="text encoded as UTF-8 or GB18030")
            return None
    problems.add(filename, "undecodable bytes", expected="text encoded as UTF-8 or GB18030")
    return None


def _rows(
    text: str, filename: str, problems: ProblemList
) -> tuple[list[str], Iterable[tuple[int, Sequence[str]]]]:
    """The header and a stream of (line, row); rows are parsed as they are read.

    Streaming keeps one row alive at a time instead of the whole file as lists
    of cells (which at national scale would be gigabytes).
    """
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    # Without quotes no cell spans lines, and a NUL (which the csv module
    # refuses) is reported as binary content before we get here.
    simple = '"' not in text and "\x00" not in text and not _lone_cr(text)
    lines = _simple_lines(text) if simple else _lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] = []
    try:
        for row in reader:
            if row:
                header = row
                break
    except csv.Error as exc:
        problems.add(filename, "not a CSV file", line=reader.line_num + 1, value=str(exc),
                     expected="comma-separated values")
        return [], iter(())
    if simple:
        # One line, one row: parsed a block of lines at a time, column by column.
        return header, TextLines(reader.line_num + 1, lines, delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num + 1
        try:
            for row in reader:
                yield line, row
                line = reader.line_num + 1
        except csv.Error as exc:
            problems.add(filename, "not a CSV file", line=reader.line_num, value=str(exc),
                         expected="comma-separated values")

    return header, rows()


def _lone_cr(text: str) -> bool:
    """Whether ``text`` has a CR that is not part of a CRLF (old Mac line ends)."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def _simple_lines(text: str, block: int = 1 << 20) -> Iterator[str]:
    """The lines of ``text`` (without their LF), split a megabyte at a time in C."""

    def blocks() -> Iterator[str]:
        start = 0
        while start < len(text):
            cut = text.find("\n", start + block)
            if cut < 0:
                yield text[start:-1] if text.endswith("\n") else text[start:]
                return
            yield text[start:cut]
            start = cut + 1

    return itertools.chain.from_iterable(map(methodcaller("split", "\n"), blocks()))


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``csv.reader`` wants them.

    A generator over ``str.find`` instead of ``io.StringIO``, which would copy
    the whole text again (hundreds of MB for a national people.csv). Text
    with old Mac line ends (a lone CR) goes through StringIO, which splits
    on them.
    """
    if _lone_cr(text):
        yield from io.StringIO(text, newline="")
        return
    find = text.find
    start = 0
    while True:
        end = find("\n", start) + 1
        if not end:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end]
        start = end


def read_folder(folder: str | Path) -> Dataset:
    """Load and check a dataset folder; raise one DataError listing every problem."""
    with gc_paused():
        return _read_folder(Path(folder))


def _read_folder(root: Path) -> Dataset:
    problems = ProblemList()
    if not root.is_dir():
        problems.add(str(root), "not a dataset folder", expected="a folder with townships.csv, "
                     "villages.csv, advisors.csv, trainers.csv and people.csv")
        problems.raise_if_any()
    collections: dict[str, Any] = {}
    origins: dict[str, list[int]] = {}
    extras: dict[str, dict[str, dict[str, str]]] = {}
    incomplete: set[str] = set()
    rejected: dict[str, frozenset[str]] = {}
    # A big file is parsed in a second process meanwhile (if worth it); same result.
    pending = prefetch(root, [FILES[name] for name in COLLECTIONS])
    indexes: dict[tuple[str, str], tuple[Any, Any]] = {}
    try:
        for name in COLLECTIONS:
            _read_file(root, name, pending, problems, collections, origins, extras,
                       incomplete, rejected, indexes)
    finally:
        for worker in pending.values():
            worker.close()
    policy = Policy()
    calendar = WorkCalendar()
    try:
        if (root / "policy.toml").is_file():
            policy = Policy.from_toml(root / "policy.toml")
    except DataError as exc:
        problems.extend(exc.problems)
        incomplete.add("policy")
    try:
        if (root / "calendar.toml").is_file():
            calendar = WorkCalendar.from_toml(root / "calendar.toml")
    except DataError as exc:
        problems.extend(exc.problems)
    for name in REQUIRED_FILES:
        collections.setdefault(name, [])
    # Whole-dataset checks run even after row problems, on what could be read,
    # so that one pass shows duplicates and bad references too.
    with _prebuilt(indexes):  # built while reading, for exactly these records
        dataset = Dataset(policy=policy, calendar=calendar, extras=extras, **collections)
    problems.extend(dataset.check(origins, incomplete, rejected))
    problems.raise_if_any()
    return dataset


def _read_file(
    root: Path,
    name: str,
    pending: dict[str, Pending],
    problems: ProblemList,
    collections: dict[str, Any],
    origins: dict[str, list[int]],
    extras: dict[str, dict[str, dict[str, str]]],
    incomplete: set[str],
    rejected: dict[str, frozenset[str]],
    indexes: dict[tuple[str, str], tuple[Any, Any]],
) -> None:
    """Read one file of the folder into the collections, reporting its problems."""
    spec = FILES[name]
    path = root / spec.filename
    before = len(problems.items)
    if not path.is_file():
        if name in REQUIRED_FILES:
            problems.add(spec.filename, "missing file", expected=f"{spec.filename} in {root}")
            incomplete.add(name)
        return
    header: list[str] = []
    rows: Iterable[tuple[int, Sequence[str]]] = ()
    prefetched = pending[name].result() if name in pending else None
    readable = True
    if prefetched is not None:
        header, rows = prefetched.header, prefetched
    else:
        text = decode(path.read_bytes(), spec.filename, problems)
        readable = text is not None
        if text is not None:
            header, rows = _rows(text, spec.filename, problems)
            del text
    if not readable:
        pass  # reported by decode
    elif not header:
        problems.add(spec.filename, "missing header", line=1,
                     expected=",".join(c.name for c in spec.columns))
    else:
        index = IndexBuilder(name)
        parsed = parse_rows(spec, header, rows, csv_locator(spec.filename), problems, index)
        collections[name] = records = tuple(parsed.records)
        indexes.update(index.result(records))
        origins[name] = parsed.lines
        rejected[name] = parsed.rejected
        if parsed.extras:
            extras[spec.filename] = parsed.extras
    if any(name not in rejected or p.line in (None, 1) or p.message == "not a CSV file"
           for p in problems.items[before:]):
        incomplete.add(name)  # not read whole: not text, bad header, not CSV


def write_folder(dataset: Dataset, folder: str | Path, *, bom: bool = False) -> None:
    """Write ``dataset`` as a folder that :func:`read_folder` reads back to an equal Dataset.

    Written atomically: the folder appears whole or not at all. ``bom``
    writes a UTF-8 BOM, which Excel needs to open Chinese text correctly.
    """
    with atomic_directory(Path(folder)) as tmp:
        for name in COLLECTIONS:
            records = getattr(dataset, name)
            if not records and name not in REQUIRED_FILES:
                continue
            spec = FILES[name]
            extra = dataset.extras.get(spec.filename, {})
            extra_names = sorted({k for row in extra.values() for k in row})
            with open(tmp / spec.filename, "w", encoding="utf-8-sig" if bom else "utf-8",
                      newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([c.name for c in spec.columns] + extra_names)
                for i, record in enumerate(records):
                    cells = [format_cell(getattr(record, c.target)) for c in spec.columns]
                    if extra_names:
                        key = str(getattr(record, spec.key)) if spec.key else str(i)
                        cells += [extra.get(key, {}).get(n, "") for n in extra_names]
                    writer.writerow(cells)
        if dataset.policy != Policy():
            (tmp / "policy.toml").write_text(dumps_toml(dataset.policy.as_dict()), "utf-8")
        if dataset.calendar != WorkCalendar():
            (tmp / "calendar.toml").write_text(
                dumps_toml(dataset.calendar.as_dict(), dates=True), "utf-8"
            )
