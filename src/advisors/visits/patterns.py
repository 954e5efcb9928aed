"""Regular service days a notice board can promise: "每月第2、4个星期二".

A pattern is a weekday (Monday–Friday) and the occurrences of it in each
month (1st–4th; a 5th does not exist every month, so it is never promised).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

__all__ = ["Pattern", "candidate_patterns", "find_pattern", "nth_weekday", "ordinal_of"]

_ZH_DAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_ORD = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date | None:
    """The ``n``-th ``weekday`` (0 = Monday) of a month, or ``None`` if there is none."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def ordinal_of(day: dt.date) -> int:
    """Which occurrence of its weekday ``day`` is in its month (1–5)."""
    return (day.day - 1) // 7 + 1


def _ints(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


@attrs.frozen(order=True)
class Pattern:
    """The ``ordinals``-th ``weekday`` of every month."""

    weekday: int
    """0 = Monday … 4 = Friday."""
    ordinals: tuple[int, ...] = attrs.field(converter=_ints)
    """Occurrences in the month, ascending, each 1–4."""

    def dates(self, year: int, month: int) -> list[dt.date]:
        """The pattern's days in a month."""
        return list(_dates(self.weekday, self.ordinals, year, month))

    @property
    def zh(self) -> str:
        """Chinese text for the notice board: ``每月第2、4个星期二``."""
        return f"每月第{'、'.join(str(n) for n in self.ordinals)}个{_ZH_DAYS[self.weekday]}"

    @property
    def en(self) -> str:
        """English text: ``the 2nd and 4th Tuesday of the month``."""
        words = [_EN_ORD[n] for n in self.ordinals]
        joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return f"the {joined} {_EN_DAYS[self.weekday]} of the month"

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form (the texts included for portals)."""
        return {"weekday": self.weekday, "ordinals": list(self.ordinals),
                "zh": self.zh, "en": self.en}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pattern:
        """Inverse of :meth:`as_dict`."""
        return cls(int(data["weekday"]), tuple(int(n) for n in data["ordinals"]))


@functools.lru_cache(maxsize=4096)
def _dates(weekday: int, ordinals: tuple[int, ...], year: int, month: int) -> tuple[dt.date, ...]:
    out = [nth_weekday(year, month, weekday, n) for n in ordinals]
    return tuple(d for d in out if d is not None)


def _evenness(ordinals: Sequence[int]) -> int:
    # cyclic gaps over a 4-week month: (1, 3) → 2, 2 is even; (1, 2) → 1, 3 is not
    gaps = [b - a for a, b in itertools.pairwise(ordinals)] + [ordinals[0] + 4 - ordinals[-1]]
    return max(gaps) - min(gaps)


@functools.lru_cache(maxsize=16)
def candidate_patterns(per_month: int) -> tuple[Pattern, ...]:
    """Every pattern with ``per_month`` days, the most evenly spread first.

    Within one evenness, middle weeks come first (the 2nd week is less often
    broken by a holiday at a month's start), then Tuesday–Thursday before
    Monday and Friday (which long weekends take).
    """
    if not 1 <= per_month <= 4:
        return ()
    combos = sorted(itertools.combinations(range(1, 5), per_month),
                    key=lambda c: (_evenness(c), abs(sum(c) / len(c) - 2.5), c))
    weekdays = (1, 2, 3, 0, 4)
    return tuple(Pattern(w, c) for c in combos for w in weekdays)


def find_pattern(days: Iterable[dt.date]) -> Pattern | None:
    """The pattern the days follow, if one: same weekday (Mon–Fri), same occurrences each month.

    Only months holding any of the days are compared, so a month cut short
    by the period boundary counts as long as its days fit.
    """
    return _find_pattern(tuple(sorted(set(days))))


@functools.lru_cache(maxsize=1 << 16)
def _find_pattern(days: tuple[dt.date, ...]) -> Pattern | None:
    # cached: villages on one pattern share their tuple of days, so a plan asks few distinct
    if not days:
        return None
    weekday = days[0].weekday()
    if weekday > 4 or any(d.weekday() != weekday for d in days):
        return None
    by_month: dict[tuple[int, int], list[int]] = {}
    for d in days:
        by_month.setdefault((d.year, d.month), []).append(ordinal_of(d))
    ordinal_sets = {tuple(v) for v in by_month.values()}
    if len(ordinal_sets) != 1:
        return None
    ordinals = ordinal_sets.pop()
    if max(ordinals) > 4:
        return None
    return Pattern(weekday, ordinals)
