"""CSV text: decoding the bytes people's tools write, and splitting the text into rows.

Encodings people really produce are handled: UTF-8 with or without a BOM,
UTF-16 ("Unicode text" from Excel, tab-separated), and GB18030 from Chinese
Excel and WPS; a binary file is reported as such, never decoded into
nonsense. Shared by the CSV folder reader, its worker process
(:mod:`advisors.data.parallel`) and the ledger's CSV files.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from operator import methodcaller

from ..errors import ProblemList

__all__ = ["TextLines", "csv_rows", "decode", "simple_lines"]

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


def csv_rows(
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
    simple = '"' not in text and "\x00" not in text and not lone_cr(text)
    lines = simple_lines(text) if simple else _lines(text)
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


def lone_cr(text: str) -> bool:
    """Whether ``text`` has a CR that is not part of a CRLF (old Mac line ends)."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def simple_lines(text: str, block: int = 1 << 20) -> Iterator[str]:
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
    if lone_cr(text):
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


class TextLines(Iterable[tuple[int, Sequence[str]]]):
    """Rows that are consecutive lines of text without quotes: one line, one row.

    Iterates as ``(line, row)`` pairs like any ``rows`` argument of
    :func:`parse_rows`, which also recognises it and then parses blocks of
    lines column by column (:mod:`advisors.data.columnar`).
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
