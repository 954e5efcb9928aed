"""A printed table as a SpreadsheetML worksheet, written as text: the rosters' sheets.

openpyxl builds an object per cell and binds a style to each; for a
province's roster (130,000 cells) that was seconds of CPU. A roster sheet
is always the same shape — a title row, a bilingual header row, rows of
text, dates and times — so its XML is joined from strings here, with the
few styles it uses fixed in :data:`STYLES_XML`. Texts go to the shared
string table, each distinct text escaped once.

Escaping follows ECMA-376: ``& < >`` as entities, a carriage return as a
character reference (an XML parser would turn a raw one into a line feed),
and what XML 1.0 cannot hold at all (C0 controls, lone surrogates, U+FFFE,
U+FFFF) as ``_xHHHH_``, the form Excel, WPS and LibreOffice decode; an
underscore that would read as such a code is itself written ``_x005F_``.
A cell is a value, never a formula: ``=HYPERLINK(…)`` is a shared string.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence

import attrs

from .widths import column_widths

__all__ = ["DATE_FORMAT", "MAIN_NS", "STYLES_XML", "TIME_FORMAT", "UNWRITABLE", "XML_HEAD",
           "Table", "Value", "column_letter", "date_serial", "sheet_xml", "strings_xml",
           "time_fraction", "xml_attribute", "xml_text"]

Value = str | dt.date | dt.time | int | float | None
"""What a cell of a :class:`Table` holds (a ``bool`` is an ``int`` here and a boolean cell)."""

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
"""Number format of date cells: 2026年12月1日."""
TIME_FORMAT = "hh:mm"
"""Number format of time cells: 09:00."""

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
UNWRITABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
"""What XML 1.0 cannot hold, as a character class: C0 controls but tab and line breaks,
lone surrogates, U+FFFE and U+FFFF."""
# An underscore is coded when the reader would take it for the start of a code: before
# x + four hex digits + "_", or + a character that is about to be coded (and so begins "_").
_CODED = re.compile(f"[{UNWRITABLE}]|_(?=x[0-9A-Fa-f]{{4}}[_{UNWRITABLE}])")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _code(found: re.Match[str]) -> str:
    return f"_x{ord(found[0]):04X}_"


def xml_text(text: str) -> str:
    """``text`` as the content of a cell's ``<t>``: any Python string, coded where it must be."""
    if _CODED.search(text):
        text = _CODED.sub(_code, text)
    return text.translate(_TEXT)


def xml_attribute(text: str) -> str:
    """``text`` in double quotes or as a defined name's text (a sheet name: no code applies).

    Sheet names never hold what XML cannot (:func:`.rosters.sheet_title` replaces it).
    """
    return text.translate(_ATTRIBUTE)


_EPOCH = dt.date(1899, 12, 30).toordinal()


def date_serial(day: dt.date) -> int:
    """The Excel serial number of ``day`` (1900 date system)."""
    serial = day.toordinal() - _EPOCH
    # Excel counts a 29 February 1900 that never was: days before it are one less.
    return serial - 1 if 0 < serial <= 60 else serial


def time_fraction(moment: dt.time) -> float:
    """A time of day as Excel keeps it: the fraction of the day gone."""
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return (seconds + moment.microsecond / 10**6) / 86400


def column_letter(index: int) -> str:
    """``A`` for column 1, ``Z`` for 26, ``AA`` for 27."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Cell formats (cellXfs): the index a cell's ``s`` names.
_TITLE, _HEADER = 1, 2
_PLAIN = (3, 4, 5)  # text, date, time
_STRUCK = (6, 7, 8)  # the same, struck through in grey: a cancelled event
_BORDER = '<left style="thin"><color rgb="FF999999"/></left><right style="thin"><color ' \
    'rgb="FF999999"/></right><top style="thin"><color rgb="FF999999"/></top><bottom ' \
    'style="thin"><color rgb="FF999999"/></bottom><diagonal/>'


def _xf(font: int, *, fill: int = 0, border: int = 1, number: int = 0, inner: str = "") -> str:
    applied = ''.join(f' apply{name}="1"' for name, used in (
        ("NumberFormat", number), ("Font", font), ("Fill", fill), ("Border", border),
        ("Alignment", inner)) if used)
    head = (f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" '
            f'xfId="0"{applied}')
    return f"{head}>{inner}</xf>" if inner else f"{head}/>"


def _font(extra: str = "", size: int = 11) -> str:
    return f'<font>{extra}<sz val="{size}"/><name val="Calibri"/><family val="2"/></font>'


_CELL_FORMATS = (
    _xf(0, border=0),
    _xf(1, border=0),
    _xf(2, fill=2, inner='<alignment vertical="center" wrapText="1"/>'),
    _xf(0), _xf(0, number=164), _xf(0, number=165),
    _xf(3), _xf(3, number=164), _xf(3, number=165),
)
STYLES_XML = "".join((
    XML_HEAD, f'<styleSheet xmlns="{MAIN_NS}">',
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{xml_attribute(DATE_FORMAT)}"/>'
    f'<numFmt numFmtId="165" formatCode="{TIME_FORMAT}"/></numFmts>',
    '<fonts count="4">', _font(), _font("<b/>", 14), _font("<b/>"),
    _font('<strike/><color rgb="FF808080"/>'), "</fonts>",
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
    '<fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>',
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    f"<border>{_BORDER}</border></borders>",
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>",
    f'<cellXfs count="{len(_CELL_FORMATS)}">', *_CELL_FORMATS, "</cellXfs>",
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
    "</styleSheet>",
))
"""``xl/styles.xml``: Calibri 11; a bold 14 title; a bold, shaded, bordered header; thin grey
borders round every table cell; dates and times in Chinese formats; grey strike-through."""


@attrs.frozen
class Table:
    """One printed sheet: a title over the width of the table, a header row, the rows.

    It prints on A4 landscape, one page wide, with the title and the header
    repeated on every page and page numbers in the footer; the panes are
    frozen below the header and the header carries an autofilter.
    """

    name: str
    """The sheet's name (valid and unique in its workbook: :func:`.rosters.sheet_title`)."""
    title: str
    headings: Sequence[str] = attrs.field(validator=attrs.validators.min_len(1))
    """The header row's texts (a line break between Chinese and English); one at least."""
    rows: Sequence[Sequence[Value]]
    struck: Sequence[bool] = ()
    """Which rows are struck through (cancelled events); missing ones are not."""

    @property
    def width(self) -> int:
        """Number of columns."""
        return len(self.headings)

    @property
    def last_row(self) -> int:
        """Row number of the last row (the header's when there are no rows)."""
        return len(self.rows) + 2

    def widths(self) -> list[int]:
        """Each column's width: its longest text, heading lines included, 6 to 30."""
        return column_widths([[*heading.split("\n"), *(row[i] for row in self.rows)]
                              for i, heading in enumerate(self.headings)], most=30)


def _shared(strings: dict[str, int], text: str) -> int:
    index = strings.get(text)
    if index is None:
        index = strings[text] = len(strings)
    return index


def _cell(ref: str, value: Value, styles: tuple[int, int, int], strings: dict[str, int]
          ) -> str:
    """One cell (the loop in :func:`_rows` inlines the common case, a text)."""
    if isinstance(value, str) and value:
        return f'<c r="{ref}" s="{styles[0]}" t="s"><v>{_shared(strings, value)}</v></c>'
    if value is None or isinstance(value, str):
        return f'<c r="{ref}" s="{styles[0]}"/>'  # empty, with its border
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{styles[0]}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        pass  # a date and a time in one cell: no table of ours has one
    elif isinstance(value, dt.date):
        return f'<c r="{ref}" s="{styles[1]}"><v>{date_serial(value)}</v></c>'
    elif isinstance(value, dt.time):
        return f'<c r="{ref}" s="{styles[2]}"><v>{time_fraction(value)!r}</v></c>'
    elif isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}" s="{styles[0]}"><v>{value!r}</v></c>'
    raise TypeError(f"cell {ref}: cannot write {value!r} ({type(value).__name__}) to a workbook")


def _rows(table: Table, letters: list[str], strings: dict[str, int]) -> Iterator[str]:
    struck = table.struck
    for offset, row in enumerate(table.rows):
        number = offset + 3
        styles = _STRUCK if offset < len(struck) and struck[offset] else _PLAIN
        text = styles[0]
        cells = []
        for letter, value in zip(letters, row, strict=False):
            if type(value) is str and value:
                index = strings.get(value)
                if index is None:
                    index = strings[value] = len(strings)
                cells.append(f'<c r="{letter}{number}" s="{text}" t="s"><v>{index}</v></c>')
            else:
                cells.append(_cell(f"{letter}{number}", value, styles, strings))
        yield f'<row r="{number}">{"".join(cells)}</row>'


def sheet_xml(table: Table, strings: dict[str, int]) -> str:
    """``xl/worksheets/sheetN.xml`` of ``table``; its texts are added to ``strings``."""
    letters = [column_letter(i) for i in range(1, table.width + 1)]
    last = f"{letters[-1]}{table.last_row}"
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(table.widths(), start=1))
    title = _cell("A1", table.title, (_TITLE,) * 3, strings)
    header = "".join(_cell(f"{letter}2", text, (_HEADER,) * 3, strings)
                     for letter, text in zip(letters, table.headings, strict=True))
    return "".join((
        XML_HEAD, f'<worksheet xmlns="{MAIN_NS}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{last}"/>',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" '
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A1" '
        'sqref="A1"/></sheetView></sheetViews>',
        '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>",
        f'<sheetData><row r="1">{title}</row><row r="2" ht="30" customHeight="1">{header}</row>',
        *_rows(table, letters, strings),
        "</sheetData>",
        f'<autoFilter ref="A2:{last}"/>',
        f'<mergeCells count="1"><mergeCell ref="A1:{letters[-1]}1"/></mergeCells>',
        '<printOptions horizontalCentered="1"/>',
        '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.5" footer="0.5"/>',
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
        # Page numbers in the footer, no page header: LibreOffice prints one over the title.
        "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>",
        "</worksheet>",
    ))


def strings_xml(strings: dict[str, int]) -> str:
    """``xl/sharedStrings.xml``: the texts in the order of their indices."""
    items = []
    for text in strings:  # a dict keeps the order the indices were given in
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        items.append(f"<si><t{space}>{xml_text(text)}</t></si>")
    return "".join((XML_HEAD, f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">',
                    *items, "</sst>"))
