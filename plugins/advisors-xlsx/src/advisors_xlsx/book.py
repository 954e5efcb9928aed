"""What every workbook we write shares: header style, column widths, byte-identical files.

openpyxl stamps the save time into ``docProps/core.xml`` and into every zip
entry; :func:`book_bytes` replaces both with a fixed time, so the same
input gives the same bytes (a plan's outputs are compared byte for byte).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from advisors.data.atomic import atomic_write_bytes

from .tablebook import ZIP_TIME
from .widths import column_widths

__all__ = ["book_bytes", "save_book", "set_widths", "style_header"]

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_W3C_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def style_header(ws: Worksheet, row: int, width: int, *, wrap: bool = True) -> None:
    """Bold, shaded, bordered header cells in ``row``."""
    for c in range(1, width + 1):
        cell = ws.cell(row, c)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=wrap, vertical="center")


def set_widths(ws: Worksheet | WriteOnlyWorksheet, columns: Sequence[Iterable[Any]], *,
               least: int = 6, most: int = 40) -> None:
    """Widths from each column's longest text (header included), within [least, most]."""
    for i, width in enumerate(column_widths(columns, least=least, most=most), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def book_bytes(book: Workbook, stamp: dt.datetime | None = None) -> bytes:
    """The workbook's file, with a fixed save time (``stamp``, default 2000-01-01)."""
    when = (stamp or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC)
    book.properties.creator = "advisors"
    buffer = io.BytesIO()
    book.save(buffer)
    text = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _W3C_TIME.sub(rb"\g<1>" + text + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def save_book(book: Workbook, path: Path, stamp: dt.datetime | None = None) -> None:
    """Write the workbook to ``path`` atomically, byte-identical for the same content."""
    atomic_write_bytes(path, book_bytes(book, stamp))
