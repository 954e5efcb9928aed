"""The roster workbooks written as SpreadsheetML text are the workbooks openpyxl wrote.

The exporters used to write through openpyxl's write-only mode; they now
join the XML themselves (advisors_xlsx.sheetml, .tablebook). The old
writer is kept here as the reference: both write the same tables, openpyxl
reads both back, and everything a reader meets must agree — sheets, values
and their types, number formats, fonts, fills, borders, alignment, column
widths, row heights, frozen panes, print titles, page setup, margins,
footers, merged ranges, autofilters. Differences that are not content are
normalised in :func:`_facts` and said there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import advisors
from advisors.output import ExportOptions, Publication, export

from .system_tools import system_tool

openpyxl = pytest.importorskip("openpyxl", reason="the advisors-xlsx plugin needs openpyxl")
pytest.importorskip("advisors_xlsx", reason="advisors-xlsx not installed")

from advisors_xlsx.book import book_bytes  # noqa: E402
from advisors_xlsx.rosters import assignment_table, roster_tables, sheet_title  # noqa: E402
from advisors_xlsx.sheetml import (  # noqa: E402
    DATE_FORMAT,
    TIME_FORMAT,
    Table,
    date_serial,
    time_fraction,
)
from advisors_xlsx.tablebook import tables_bytes  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side  # noqa: E402
from openpyxl.styles.fonts import DEFAULT_FONT  # noqa: E402
from openpyxl.utils.datetime import to_excel  # noqa: E402
from openpyxl.utils.escape import unescape  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402

STAMP = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)

# --- the reference: the exporters' openpyxl writer as it was --------------------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_STYLES = (
    NamedStyle("advisors title", font=Font(bold=True, size=14)),
    NamedStyle("advisors header", font=Font(bold=True),
               fill=PatternFill("solid", fgColor="DDEBF7"), border=_BORDER,
               alignment=Alignment(wrap_text=True, vertical="center")),
    NamedStyle("advisors cell", font=DEFAULT_FONT, border=_BORDER),
    NamedStyle("advisors cancelled", font=Font(strike=True, color="808080"), border=_BORDER),
)


def _old_width(values: Sequence[Any]) -> int:
    def shown(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.time):
            return "00:00"
        return "2026年12月31日" if isinstance(value, dt.date) else str(value)

    longest = max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown(v))
                   for v in values), default=0)
    return max(6, min(30, longest + 2))


def _old_cell(ws: Any, value: Any, style: str) -> Any:
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    cell.style = style
    if isinstance(value, dt.time):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def openpyxl_bytes(tables: Sequence[Table], stamp: dt.datetime) -> bytes:
    """The workbook as the exporters wrote it through openpyxl until this change."""
    book = openpyxl.Workbook(write_only=True)
    for style in _STYLES:
        book.add_named_style(style)
    for table in tables:
        ws = book.create_sheet(table.name)
        width, rows = table.width, table.rows
        letter = openpyxl.utils.get_column_letter(width)
        for i, heading in enumerate(table.headings):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = _old_width(
                [*heading.split("\n"), *(row[i] for row in rows)])
        ws.row_dimensions[2].height = 30
        ws.merged_cells.add(f"A1:{letter}1")
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:2"
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "&P / &N"
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{letter}{len(rows) + 2}"
        ws.append([_old_cell(ws, table.title, "advisors title")])
        ws.append([_old_cell(ws, h, "advisors header") for h in table.headings])
        for i, row in enumerate(rows):
            struck = i < len(table.struck) and table.struck[i]
            ws.append([_old_cell(ws, v, "advisors cancelled" if struck else "advisors cell")
                       for v in row])
    return book_bytes(book, stamp)


# --- what a reader meets -----------------------------------------------------------------------


def _rgb(color: Any) -> str | None:
    """A colour as RGB; the theme's text colour and no colour are both the automatic black."""
    if color is None or (color.type == "theme" and color.theme == 1):
        return None
    assert color.type == "rgb", color
    return str(color.rgb)[-6:].upper()  # the alpha byte: Excel and LibreOffice ignore it


def _cell_facts(cell: Any, default_font: Any) -> tuple[Any, ...]:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    sides = tuple((s.style, _rgb(s.color)) if s is not None else (None, None)
                  for s in (border.left, border.right, border.top, border.bottom))
    fill_type = None if fill.fill_type in (None, "none") else fill.fill_type
    return (
        cell.value, cell.data_type if cell.value is not None else None, cell.number_format,
        # A font's unset name and size are the workbook's default font's.
        font.name or default_font.name, font.sz or default_font.sz, bool(font.b),
        bool(font.i), bool(font.strike), font.u, _rgb(font.color),
        fill_type, _rgb(fill.fgColor) if fill_type else None, sides,
        align.horizontal, align.vertical, bool(align.wrap_text),
    )


def _facts(data: bytes) -> dict[str, Any]:
    """Everything of a workbook that a person opening or printing it meets."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    default_font = book._fonts[0]  # the Normal style's font (openpyxl has no public name)
    facts: dict[str, Any] = {
        "sheets": book.sheetnames, "active": book.index(book.active),
        "creator": book.properties.creator, "created": book.properties.created,
        "modified": book.properties.modified, "defined names": sorted(book.defined_names),
    }
    for ws in book.worksheets:
        setup, margins, options = ws.page_setup, ws.page_margins, ws.print_options
        pane = ws.sheet_view.pane
        facts[ws.title] = {
            "cells": [[_cell_facts(c, default_font) for c in row] for row in ws.iter_rows()],
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "freeze": ws.freeze_panes,
            "pane": (pane.xSplit, pane.ySplit, pane.topLeftCell, pane.state) if pane else None,
            "print titles": (ws.print_title_rows, ws.print_title_cols, ws.print_area),
            "page": (str(setup.paperSize), setup.orientation, setup.fitToWidth,
                     setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage),
            "margins": (margins.left, margins.right, margins.top, margins.bottom,
                        margins.header, margins.footer),
            "options": (options.horizontalCentered, options.verticalCentered,
                        options.gridLines, options.headings),
            "header and footer": [(part.left.text, part.center.text, part.right.text)
                                  for part in (ws.oddHeader, ws.oddFooter, ws.evenHeader,
                                               ws.evenFooter, ws.firstHeader, ws.firstFooter)],
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "filter": ws.auto_filter.ref,
            "state": ws.sheet_state,
            "validations": len(ws.data_validations.dataValidation),
        }
    return facts


# --- the rosters of the example ----------------------------------------------------------------


@pytest.fixture(scope="module")
def publication(tongren: advisors.Dataset) -> Publication:
    return advisors.make_plan(tongren, "2026-12", stamp=STAMP).publication(tongren)


def test_the_example_rosters_are_the_workbooks_openpyxl_wrote(publication: Publication,
                                                               tmp_path: Path) -> None:
    written = export(publication, tmp_path, ExportOptions(), ["roster-xlsx", "assignments-xlsx"])
    assert len(written) == 2
    roster = roster_tables(publication, ExportOptions())
    assert len(roster) == len(publication.dataset.townships) + 1
    assert sum(len(t.rows) for t in roster) == len(publication.events) > 0
    for name, tables in (("roster.xlsx", roster),
                         ("assignments.xlsx", [assignment_table(publication)])):
        new = _facts((tmp_path / "rosters" / name).read_bytes())
        assert new == _facts(openpyxl_bytes(tables, STAMP)), name


def test_cancelled_rows_are_struck_as_openpyxl_struck_them(publication: Publication) -> None:
    tables = [attrs.evolve(t, struck=[i % 3 == 1 for i in range(len(t.rows))])
              for t in roster_tables(publication, ExportOptions())]
    new = _facts(tables_bytes(tables, STAMP))
    assert new == _facts(openpyxl_bytes(tables, STAMP))
    struck = [row for t in tables for row in new[t.name]["cells"][3::3]]
    assert struck and all(cell[7] and cell[9] == "808080" for row in struck for cell in row)


def test_exporting_rosters_does_not_import_openpyxl(tmp_path: Path) -> None:
    # openpyxl takes 0.2 s to import; every `advisors plan` loads this plugin.
    code = ("import sys, advisors\n"
            "ds = advisors.load_dataset(sys.argv[1])\n"
            "pub = advisors.make_plan(ds, '2026-12').publication(ds)\n"
            "advisors.export(pub, sys.argv[2], names=['roster-xlsx', 'assignments-xlsx'])\n"
            "assert 'openpyxl' not in sys.modules, 'openpyxl imported'\n")
    examples = Path(__file__).resolve().parents[1] / "examples" / "tongren"
    subprocess.run([sys.executable, "-c", code, str(examples), str(tmp_path / "out")],
                   check=True, capture_output=True, timeout=300)
    assert (tmp_path / "out" / "rosters" / "roster.xlsx").stat().st_size > 0


def test_the_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    # Sets and dicts iterate in hash order, which changes from process to process.
    code = ("import hashlib, sys, advisors\n"
            "from advisors.output import ExportOptions\n"
            "from advisors_xlsx.rosters import assignment_table, roster_tables\n"
            "from advisors_xlsx.tablebook import tables_bytes\n"
            "ds = advisors.load_dataset(sys.argv[1])\n"
            "pub = advisors.make_plan(ds, '2026-12').publication(ds)\n"
            "tables = [*roster_tables(pub, ExportOptions()), assignment_table(pub)]\n"
            "print(hashlib.sha256(tables_bytes(tables)).hexdigest())\n")
    examples = Path(__file__).resolve().parents[1] / "examples" / "tongren"
    digests = {subprocess.run([sys.executable, "-c", code, str(examples)], check=True,
                              capture_output=True, text=True, timeout=300,
                              env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1 and re.fullmatch(r"[0-9a-f]{64}\n", digests.pop())


# --- any table ---------------------------------------------------------------------------------

_OPENPYXL_WRITES = st.characters(exclude_categories=("Cs",),
                                 exclude_characters="".join(map(chr, [*range(0, 9), 11, 12,
                                                                      *range(14, 32)])))
_PLAIN_TEXT = st.text(_OPENPYXL_WRITES, max_size=12).filter(
    lambda s: not re.search("_x[0-9A-Fa-f]{4}_", s))
"""Texts openpyxl can write, without the look of an Excel character code (``_x0041_``)."""
_WORDS = st.sampled_from(["=SUM(A1:A3)", "=HYPERLINK(\"http://x\",\"y\")", "村(社区)",
                          "བཀྲ་ཤིས་བདེ་ལེགས།", "热线 12348", " leading", "trailing ", "a\nb",
                          "tab\there", "x" * 400, "&<>\"'", ""])
_VALUES = st.one_of(
    _PLAIN_TEXT, _WORDS, st.none(), st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.integers(-10**15, 10**15),
    # openpyxl wrote 16 significant digits (not always the float); these need fewer
    st.integers(-10**9, 10**9).map(lambda n: n / 64),
)


_LINE = _PLAIN_TEXT.filter(lambda s: "\n" not in s)


@st.composite
def tables(draw: st.DrawFn, values: st.SearchStrategy[Any] = _VALUES) -> list[Table]:
    taken: set[str] = set()
    found = []
    for _ in range(draw(st.integers(1, 3))):
        width = draw(st.integers(1, 6))
        headings = [f"{draw(_LINE)}\n{draw(_LINE)}" for _ in range(width)]
        rows = draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=6))
        struck = draw(st.lists(st.booleans(), max_size=len(rows)))
        name = sheet_title(draw(st.text(max_size=40)), taken)
        found.append(Table(name, draw(_PLAIN_TEXT), headings, rows, struck))
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_any_table_is_the_workbook_openpyxl_writes(found: list[Table]) -> None:
    written = tables_bytes(found, STAMP)
    assert written == tables_bytes(found, STAMP)  # byte-identical
    assert _facts(written) == _facts(openpyxl_bytes(found, STAMP))


_CODED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
                    "|_x[0-9A-Fa-f]{4}_|x005F_")
"""Texts a workbook holds as codes: XML 1.0 has no such characters, and Excel reads _xHHHH_ as
the character HHHH; both are written as _xHHHH_ codes. openpyxl decodes none of them, and
drops every ``x005F_`` from a shared string (its reader's shortcut for ``_x005F_``)."""
_ANY_CHARACTER = st.one_of(st.characters(exclude_categories=()),  # surrogates included
                           st.characters(categories=["Cc", "Cs"]), st.sampled_from("_x0041F"))
_ANY_TEXT = st.one_of(
    st.text(_ANY_CHARACTER, max_size=30),
    st.text(st.sampled_from("_x0041F\x07\r\n\t ་中"), max_size=30),
    # longer than an Excel cell holds (32,767): written whole, read back whole
    st.text(_ANY_CHARACTER, min_size=1, max_size=8).map(lambda s: (s * 40_000)[:40_000]),
)
_TEXTS = st.one_of(
    st.text(st.characters(exclude_characters="\x00\x07\x1f"), max_size=30),
    st.sampled_from(["=HYPERLINK(\"http://x\",\"y\")", "=1+1", "བཀྲ་ཤིས་བདེ་ལེགས།", "村(社区)",
                     " lead", "trail\t", "a\r\nb\rc", "&amp;<>", "x" * 40_000]),
    _ANY_TEXT,
)


def _row_texts(texts: list[str]) -> tuple[bytes, list[Any]]:
    """A workbook with ``texts`` in its first data row, and that row as openpyxl reads it."""
    table = Table(sheet_title("文本 text", set()), "title", ["a\nb"] * len(texts), [texts])
    written = tables_bytes([table])
    book = openpyxl.load_workbook(io.BytesIO(written))
    return written, [c.value for c in next(book.active.iter_rows(min_row=3))]


@settings(max_examples=80, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=5))
@example(["=1+1", "a\r\nb\rc", "\t tab ", "བཀྲ་ཤིས་", "中文&<>\"'"])
def test_openpyxl_reads_back_every_text_as_written(texts: list[str]) -> None:
    _, read = _row_texts(texts)
    for text, value in zip(texts, read, strict=True):
        if not _CODED.search(text):
            assert (value or "") == text  # a string, never a formula: "=1+1" stays text


@settings(max_examples=80, deadline=None)
@given(st.lists(_ANY_TEXT, min_size=1, max_size=5))
@example(["_x1234\x07", "_x0041_", "_x005F_x0041_", "ax005F_b", "\ufffe\ud800", "_x00_x0041_"])
def test_any_text_decodes_to_itself(texts: list[str]) -> None:
    # Read as Excel reads: the XML parsed, then the _xHHHH_ codes decoded (openpyxl's decoder).
    written, read = _row_texts(texts)
    with zipfile.ZipFile(io.BytesIO(written)) as book:
        shared = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    strings = ["".join(si.itertext()) for si in shared.findall("m:si", ns)]
    row = sheet.find("m:sheetData/m:row[@r='3']", ns)
    assert row is not None
    cells = {c.get("r"): c for c in row.findall("m:c", ns)}
    for i, text in enumerate(texts):
        cell = cells[f"{chr(65 + i)}3"]
        value = cell.find("m:v", ns)
        if not text:
            assert value is None and read[i] is None
            continue
        assert cell.get("t") == "s" and value is not None and value.text is not None
        assert unescape(strings[int(value.text)]) == text


@given(st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)),
       st.times().map(lambda t: t.replace(microsecond=0)))
def test_dates_and_times_are_the_serials_excel_counts(day: dt.date, moment: dt.time) -> None:
    assert date_serial(day) == to_excel(day)
    assert time_fraction(moment) == to_excel(moment)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                          st.integers(-2**53, 2**53)), min_size=1, max_size=8))
def test_numbers_read_back_exactly(numbers: list[float | int]) -> None:
    table = Table("n", "n", ["a\nb"] * len(numbers), [numbers])
    book = openpyxl.load_workbook(io.BytesIO(tables_bytes([table])))
    read = [c.value for c in next(book.active.iter_rows(min_row=3))]
    assert read == numbers and [type(v) for v in read] == [type(v) for v in numbers]


def test_libreoffice_shows_the_texts_as_typed(tmp_path: Path) -> None:
    # LibreOffice stands in for Excel and WPS: it decodes _xHHHH_ and &#13; as they do.
    soffice = system_tool("LibreOffice", ("soffice", "libreoffice"),
                          ("libreoffice-calc-nogui",), 120)
    texts = ["a_x0041_b", "=HYPERLINK(\"http://x\",\"y\")", "bell\x07", "cr\rx", "&<>\"'",
             "བཀྲ་ཤིས་", " lead"]
    other = [dt.date(2026, 12, 1), dt.time(9, 30), 12, 1.5, None, "", "tab\tx"]
    table = Table("a'b", "标题 Title", [f"{i}\n{i}" for i in range(len(texts))], [texts, other])
    (tmp_path / "t.xlsx").write_bytes(tables_bytes([table]))
    subprocess.run([soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):"
                    "44,34,76,1", "--outdir", str(tmp_path), str(tmp_path / "t.xlsx")],
                   check=True, timeout=120, capture_output=True,
                   env=dict(os.environ, HOME=str(tmp_path)))
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "标题 Title"
    assert rows[2] == texts
    assert rows[3] == ["2026年12月1日", "09:30", "12", "1.5", "", "", "tab\tx"]
