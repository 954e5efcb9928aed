"""How wide a column must be for its longest text, shared by every workbook we write.

Kept apart from openpyxl so that the exporters, which write their workbooks
themselves (:mod:`.sheetml`), measure columns without importing it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["column_widths", "display_width"]


def display_width(text: str) -> int:
    """Columns a text takes on screen: Chinese and Tibetan-stacked characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value: Any) -> str:
    """The text a cell shows, as wide as the value will be: dates and times in their formats."""
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return "00:00"
    if isinstance(value, dt.date):
        return "2026年12月31日"
    return str(value)


def column_widths(columns: Sequence[Iterable[Any]], *, least: int = 6, most: int = 40
                  ) -> list[int]:
    """Each column's width from its longest text (header included), within [least, most]."""
    widths = []
    for values in columns:
        # Many cells repeat (a weekday, a township): measure each distinct value once.
        longest = max(map(display_width, map(_shown, set(values))), default=0)
        widths.append(max(least, min(most, longest + 2)))
    return widths
