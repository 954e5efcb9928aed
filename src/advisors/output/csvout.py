"""CSV that Excel and WPS open correctly, and that cannot run formulas.

UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake),
CRLF line ends, and every cell that a spreadsheet would read as a formula —
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — gets a
leading apostrophe (OWASP "CSV injection"). A village name typed as
``=HYPERLINK(…)`` then shows as text instead of running.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

__all__ = ["BOM", "FORMULA_STARTS", "csv_bytes", "neutralise", "write_csv"]

BOM: Final = "\ufeff"
"""The byte-order mark Excel needs to read UTF-8."""
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""
_STARTS: Final = frozenset(FORMULA_STARTS)


def neutralise(value: object) -> str:
    """The cell as text, with a leading apostrophe if it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _STARTS else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The whole CSV file: BOM, header, rows, every cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    # neutralise() inlined (the same test): index files have hundreds of thousands of cells
    writer.writerows(["'" + text if text[:1] in _STARTS else text
                      for text in ("" if cell is None else str(cell) for cell in row)]
                     for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write :func:`csv_bytes` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(header, rows))
