"""Regular service days a notice board can promise: "每月第2、4个星期二".

A pattern is a weekday (Monday–Friday) and the occurrences of it in each
month (1st–4th; a 5th does not exist every month, so it is never promised).

Weekday names come from CLDR (:mod:`advisors.locale.cldr`). There is no Tibetan
text: CLDR has the Tibetan weekday names but no ordinal wording ("the 2nd
and 4th … of every month"), and no source we hold gives one, so a Tibetan
reader gets the Chinese line with the Tibetan dates of the service days
(:meth:`Pattern.text` returns ``None`` for ``bo``).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..locale.cldr import weekday_name

__all__ = ["Pattern", "candidate_patterns", "find_pattern", "nth_weekday", "one_off_moves",
           "ordinal_of"]

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


@functools.lru_cache(maxsize=64)
def _weekday_name(weekday: int, lang: str) -> str:
    # CLDR's name, looked up once: a province's notices and plan name ~9,000 patterns
    return weekday_name(weekday, lang)


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
        day = _weekday_name(self.weekday, "zh")
        return f"每月第{'、'.join(str(n) for n in self.ordinals)}个{day}"

    @property
    def en(self) -> str:
        """English text: ``the 2nd and 4th Tuesday of the month``."""
        words = [_EN_ORD[n] for n in self.ordinals]
        joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return f"the {joined} {_weekday_name(self.weekday, 'en')} of the month"

    def text(self, lang: str) -> str | None:
        """The line in ``lang``, or ``None`` where no sourced wording exists (Tibetan)."""
        return {"zh": self.zh, "en": self.en}.get(lang)

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


def one_off_moves(pattern: Pattern, days: Iterable[dt.date],
                  within: Callable[[dt.date], bool] | None = None,
                  ) -> tuple[tuple[dt.date, dt.date], ...] | None:
    """The one-off changes taking ``pattern`` to ``days``: (pattern day, day held instead).

    Month by month, the pattern's days not held are paired in order with the
    held days off the pattern. ``within`` limits the pattern days considered
    (to the period). ``None`` when the days are no such change of the pattern
    (another count in a month, or a held day off the pattern in a month where
    every pattern day is held too).
    """
    held = sorted(set(days))
    by_month: dict[tuple[int, int], list[dt.date]] = {}
    for d in held:
        by_month.setdefault((d.year, d.month), []).append(d)
    out: list[tuple[dt.date, dt.date]] = []
    for (year, month), mine in sorted(by_month.items()):
        due = [d for d in pattern.dates(year, month) if within is None or within(d)]
        missed = [d for d in due if d not in mine]
        extra = [d for d in mine if d not in due]
        if len(missed) != len(extra):
            return None
        out.extend(zip(missed, extra, strict=True))
    return tuple(out)
