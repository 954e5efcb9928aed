"""A workbook of printed tables, as the bytes of an .xlsx file: the zip and its parts.

The same tables give the same bytes: the parts are written in a fixed
order, every zip entry carries the same time (1980-01-01, the earliest a
zip can hold), the properties carry the publication's time, never the
clock's. The sheets come from :mod:`.sheetml`; this module adds what ties
them into a workbook: the workbook part with the sheets' print titles and
filter ranges, the relationships, the content types, the shared strings,
the styles and the document properties.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from advisors.data.atomic import atomic_write_bytes

from .sheetml import (
    MAIN_NS,
    STYLES_XML,
    XML_HEAD,
    Table,
    column_letter,
    sheet_xml,
    strings_xml,
    xml_attribute,
)

__all__ = ["ZIP_TIME", "tables_bytes", "write_tables"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The time every member of a written workbook carries (the zip format's earliest)."""
_DEFAULT_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _reference(name: str) -> str:
    """The sheet's name as formulas quote it: ``'第1镇'``, an apostrophe doubled."""
    return "'" + name.replace("'", "''") + "'"


def _workbook(tables: Sequence[Table]) -> str:
    sheets = "".join(f'<sheet name="{xml_attribute(t.name)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, t in enumerate(tables, start=1))
    names = []
    for i, table in enumerate(tables):
        sheet = xml_attribute(_reference(table.name))
        last = f"${column_letter(table.width)}${table.last_row}"
        names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                     f"{sheet}!$A$2:{last}</definedName>"
                     f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                     f"{sheet}!$1:$2</definedName>")
    return (f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{_REL_NS}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
            f'<definedNames>{"".join(names)}</definedNames></workbook>')


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(targets, start=1))
    return f'{XML_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">{items}</Relationships>'


def _content_types(count: int) -> str:
    overrides = [("/xl/workbook.xml", f"{_TYPE}.sheet.main+xml"),
                 ("/xl/styles.xml", f"{_TYPE}.styles+xml"),
                 ("/xl/sharedStrings.xml", f"{_TYPE}.sharedStrings+xml"),
                 *((f"/xl/worksheets/sheet{i}.xml", f"{_TYPE}.worksheet+xml")
                   for i in range(1, count + 1)),
                 ("/docProps/core.xml",
                  "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml",
                  "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
    items = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>'
                    for part, kind in overrides)
    return (f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{items}</Types>")


def _core(stamp: dt.datetime) -> str:
    when = stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f"{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>advisors'
            f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>")


_APP = (f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>advisors</Application></Properties>')


def tables_bytes(tables: Sequence[Table], stamp: dt.datetime | None = None) -> bytes:
    """The .xlsx file of ``tables``, a sheet each; ``stamp`` is its creation time."""
    if not tables:
        raise ValueError("a workbook needs at least one sheet")
    strings: dict[str, int] = {}
    sheets = [sheet_xml(table, strings) for table in tables]  # fills the string table
    parts = [
        ("[Content_Types].xml", _content_types(len(tables))),
        ("_rels/.rels", _relationships([
            (f"{_REL_NS}/officeDocument", "xl/workbook.xml"),
            (f"{_PACKAGE_RELS}/metadata/core-properties", "docProps/core.xml"),
            (f"{_REL_NS}/extended-properties", "docProps/app.xml")])),
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _core(stamp or _DEFAULT_STAMP)),
        ("xl/workbook.xml", _workbook(tables)),
        ("xl/_rels/workbook.xml.rels", _relationships([
            *((f"{_REL_NS}/worksheet", f"worksheets/sheet{i}.xml")
              for i in range(1, len(tables) + 1)),
            (f"{_REL_NS}/styles", "styles.xml"),
            (f"{_REL_NS}/sharedStrings", "sharedStrings.xml")])),
        ("xl/styles.xml", STYLES_XML),
        ("xl/sharedStrings.xml", strings_xml(strings)),
        *((f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, start=1)),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, text in parts:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # the same bytes whatever system writes them
            entry.external_attr = 0o644 << 16
            book.writestr(entry, text.encode(), compresslevel=6)
    return out.getvalue()


def write_tables(path: Path, tables: Sequence[Table], stamp: dt.datetime | None = None) -> None:
    """Write the workbook of ``tables`` to ``path`` atomically."""
    atomic_write_bytes(path, tables_bytes(tables, stamp))
