"""Planning periods: a month, a quarter, a year, or any span of days.

Written as people write them: ``2026-12``, ``2026-Q4``, ``2027``, or
``2026-12-01..2027-02-28``; and as a Chinese office writes them: ``2026年12月``,
``2026/12``, ``2026年第四季度`` (or ``2026年第4季度``, ``2026年四季度``), ``2027年``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

import attrs

from .errors import DataError, Problem

__all__ = ["Period", "month_of"]

_MONTH = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?")
_QUARTER = re.compile(r"(\d{4})(?:-?[Qq]([1-4])|\s*年\s*第?\s*([1-4一二三四])\s*季度?)")
_YEAR = re.compile(r"(\d{4})\s*年?(?:度)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－　", "0123456789/- ")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_SPAN = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/|~)\s*(\d{4}-\d{2}-\d{2})")


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


@functools.lru_cache(maxsize=4096)
def month_of(day: dt.date) -> str:
    """``YYYY-MM`` of a day (cached: plans ask it a million times at national scale)."""
    return day.strftime("%Y-%m")


@attrs.frozen(order=True)
class Period:
    """A span of days, both ends included, with the label it was written as."""

    start: dt.date
    end: dt.date
    label: str = attrs.field(default="", order=False)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise DataError([Problem("period", "ends before it starts", None, "period",
                                     f"{self.start}..{self.end}", "start ≤ end")])
        if not self.label:
            object.__setattr__(self, "label", f"{self.start}..{self.end}")

    def as_dict(self) -> dict[str, str]:
        """Plain form: ``start``, ``end`` (ISO dates) and ``label``."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "label": self.label}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Period:
        """Inverse of :meth:`as_dict`."""
        return cls(dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]),
                   str(data.get("label", "")))

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-12`` → December 2026; ``2026-Q4``; ``2027``; ``2026-12-01..2027-02-28``.

        The Chinese forms ``2026年12月``, ``2026/12``, ``2026年第四季度``, ``2027年``
        are understood too; the label is always the canonical one (``2026-Q4``).
        """
        text = text.strip().translate(_FULL_WIDTH)
        try:
            if m := _SPAN.fullmatch(text):
                return cls(dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]), text)
            if m := _QUARTER.fullmatch(text):
                year = int(m[1])
                q = int(m[2]) if m[2] else _CHINESE_DIGITS.get(m[3]) or int(m[3])
                return cls(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q),
                           f"{year}-Q{q}")
            if m := _MONTH.fullmatch(text):
                year, month = int(m[1]), int(m[2])
                return cls(dt.date(year, month, 1), _month_end(year, month),
                           f"{year}-{month:02d}")
            if m := _YEAR.fullmatch(text):
                year = int(m[1])
                return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
        except ValueError:
            pass
        raise DataError([Problem("period", "not a period", None, "period", text,
                                 "YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-DD..YYYY-MM-DD, "
                                 "2026年12月, 2026年第四季度 or 2027年")])

    @property
    def days(self) -> list[dt.date]:
        """Every date in the period."""
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def months(self) -> list[Period]:
        """The calendar months the period touches, each clipped to the period."""
        out = []
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) <= self.end:
            start = max(self.start, dt.date(year, month, 1))
            end = min(self.end, _month_end(year, month))
            out.append(Period(start, end, f"{year}-{month:02d}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def quarters(self) -> list[Period]:
        """The calendar quarters the period touches, each clipped to the period."""
        out: list[Period] = []
        for m in self.months():
            q = (m.start.month - 1) // 3 + 1
            label = f"{m.start.year}-Q{q}"
            if out and out[-1].label == label:
                out[-1] = Period(out[-1].start, m.end, label)
            else:
                out.append(Period(m.start, m.end, label))
        return out

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
