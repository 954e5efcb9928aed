"""Working days: statutory holidays, adjusted working days, local festivals, absences.

China's State Council announces each year's holiday schedule late in the
year before, with adjusted working days (调休): some Saturdays and Sundays
are working days, some weekdays are off. The ``holidays`` package knows the
announced schedules; ``calendar.toml`` adds local festivals (Losar, the
Rebgong summer festival) and can replace a year's schedule outright when the
package does not know it yet::

    [[festival]]
    name = "藏历新年"
    name_en = "Losar"
    start = 2027-02-07
    end = 2027-02-09
    townships = []            # empty (and no villages): everywhere
    # villages = ["nianduhu-nianduhu"]   # or only these villages

    [[holiday]]               # one more day off
    date = 2027-06-30
    name = "县庆"

    [[workday]]               # one more working day
    date = 2027-02-20
    reason = "调休"

    [year.2028]               # this year's official schedule, replacing the package's
    holidays = [2028-01-01]
    workdays = [2028-01-29]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import ProblemList, read_toml
from ..limits import bad_text
from ..model import Unavailability
from ..wording import Named, Text
from .statutory import package_year

__all__ = ["FIRST_YEAR", "LAST_YEAR", "Festival", "WorkCalendar", "YearSchedule", "days_between"]

FIRST_YEAR = 2000
"""Earliest year a calendar.toml ``[year.YYYY]`` table may describe."""
LAST_YEAR = 2100
"""Latest year a calendar.toml ``[year.YYYY]`` table may describe."""


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@attrs.frozen
class Festival:
    """A local festival: no visits or training on its days, in its townships."""

    name: str
    start: dt.date
    end: dt.date
    name_bo: str = ""
    name_en: str = ""
    townships: tuple[str, ...] = ()
    """Township ids where it is kept; empty (and no ``villages``) means everywhere."""
    villages: tuple[str, ...] = ()
    """Village ids where it is kept, besides whole ``townships`` (於菟 is 年都乎村's only;
    六月会 runs village by village on different days)."""

    @property
    def everywhere(self) -> bool:
        """Kept everywhere: neither townships nor villages are named."""
        return not self.townships and not self.villages

    def covers(self, day: dt.date, township: str | None = None,
               village: str | None = None) -> bool:
        """Whether ``day`` is a festival day in ``village`` of ``township``.

        With neither, whether it is one anywhere. A festival of some villages
        does not close their whole township: asked for the township alone, it
        does not cover the day.
        """
        if not self.start <= day <= self.end:
            return False
        if self.everywhere or (township is None and village is None):
            return True
        return township in self.townships or (village is not None and village in self.villages)


@attrs.frozen
class YearSchedule:
    """A year's official schedule: days off and adjusted working days."""

    holidays: Mapping[dt.date, str]
    workdays: frozenset[dt.date]


@functools.lru_cache(maxsize=64)
def _package_schedule(year: int) -> YearSchedule:
    found = package_year(year)
    return YearSchedule(found.names_en, found.workdays)


@attrs.frozen
class WorkCalendar:
    """Which days are working days, for whom and where."""

    festivals: tuple[Festival, ...] = ()
    extra_holidays: Mapping[dt.date, str] = attrs.field(factory=dict)
    extra_workdays: Mapping[dt.date, str] = attrs.field(factory=dict)
    years: Mapping[int, YearSchedule] = attrs.field(factory=dict)
    """Years whose schedule ``calendar.toml`` gives in full, replacing the package's."""
    unavailability: tuple[Unavailability, ...] = ()
    _absences: Mapping[str, tuple[Unavailability, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        absences: dict[str, list[Unavailability]] = {}
        for row in self.unavailability:
            absences.setdefault(row.who, []).append(row)
        object.__setattr__(self, "_absences", {k: tuple(v) for k, v in absences.items()})

    def schedule(self, year: int) -> YearSchedule:
        """The official schedule used for ``year``."""
        return self.years.get(year) or _package_schedule(year)

    def schedule_confirmed(self, year: int) -> bool:
        """Whether ``year``'s adjusted working days are known.

        The ``holidays`` package computes a year's festivals before the
        official schedule is out, but without the adjusted working days; a
        year without any is treated as not yet announced.
        """
        return year in self.years or bool(_package_schedule(year).workdays)

    def holiday_name(self, day: dt.date) -> str | None:
        """Name of the statutory (or added) holiday on ``day``, else ``None``."""
        if day in self.extra_workdays:
            return None
        if day in self.extra_holidays:
            return self.extra_holidays[day]
        return self.schedule(day.year).holidays.get(day)

    def is_adjusted_workday(self, day: dt.date) -> bool:
        """A Saturday or Sunday that is a working day (调休)."""
        return day.weekday() >= 5 and (
            day in self.extra_workdays or day in self.schedule(day.year).workdays
        )

    def is_statutory_working_day(self, day: dt.date) -> bool:
        """A working day by the national schedule alone (no festivals, no absences)."""
        if self.holiday_name(day) is not None:
            return False
        return day.weekday() < 5 or self.is_adjusted_workday(day)

    def festival_on(self, day: dt.date, township: str | None = None,
                    village: str | None = None) -> Festival | None:
        """The local festival on ``day`` in ``township`` (or its ``village``), if any."""
        for festival in self.festivals:
            if festival.covers(day, township, village):
                return festival
        return None

    def is_working_day(self, day: dt.date, township: str | None = None,
                       village: str | None = None) -> bool:
        """A statutory working day that is not a local festival in ``township`` (or in
        ``village`` of it)."""
        return (self.is_statutory_working_day(day)
                and self.festival_on(day, township, village) is None)

    def is_available(self, who: str, day: dt.date) -> bool:
        """Whether advisor or trainer ``who`` has no absence on ``day``."""
        return not any(row.covers(day) for row in self._absences.get(who, ()))

    def absences(self, who: str) -> tuple[Unavailability, ...]:
        """The recorded absences of ``who``."""
        return self._absences.get(who, ())

    def working_days(
        self, start: dt.date, end: dt.date, township: str | None = None,
        village: str | None = None,
    ) -> list[dt.date]:
        """Working days from ``start`` to ``end`` (both included) in ``township`` (or in
        ``village`` of it)."""
        return [d for d in days_between(start, end) if self.is_working_day(d, township, village)]

    def village_festivals(self, village: str) -> tuple[Festival, ...]:
        """The festivals kept in ``village`` by name (not by its township)."""
        return tuple(f for f in self.festivals if village in f.villages)

    def why_not_working(self, day: dt.date, township: str | None = None,
                        village: str | None = None) -> str | None:
        """A short reason ``day`` is not a working day, or ``None`` if it is one."""
        why = self.not_working(day, township, village)
        return None if why is None else str(why)

    def not_working(self, day: dt.date, township: str | None = None,
                    village: str | None = None) -> Text | None:
        """:meth:`why_not_working` as a sentence to put in the reader's language."""
        name = self.holiday_name(day)
        if name is not None:
            # the package names its holidays in English; calendar.toml's names are as written
            ours = day in self.extra_holidays or day.year in self.years
            zh = name if ours else package_year(day.year).names_zh.get(day, name)
            return Text.of("statutory holiday: {name}", name=Named(name, zh))
        if day.weekday() >= 5 and not self.is_adjusted_workday(day):
            return Text.of("weekend")
        festival = self.festival_on(day, township, village)
        if festival is not None:
            return Text.of("local festival: {name}", name=festival.name)
        return None

    def with_extensions(self, names: Iterable[str], days_by_kind: Mapping[str, int],
                        townships_of_kind: Mapping[str, Iterable[str]]) -> WorkCalendar:
        """The calendar with festivals named in ``names`` closing work longer in some
        townships: ``days_by_kind[kind]`` days from the festival's first day in the
        townships of that kind (Losar in herding areas: until 正月十五, 15 days)."""
        wanted = set(names)
        extra = []
        for f in self.festivals:
            if f.name not in wanted and f.name_en not in wanted:
                continue
            for kind, days in sorted(days_by_kind.items()):
                end = f.start + dt.timedelta(days=days - 1)
                where = tuple(t for t in sorted(townships_of_kind.get(kind, ()))
                              if f.everywhere or t in f.townships)
                if end > f.end and where:
                    extra.append(attrs.evolve(f, end=end, townships=where, villages=()))
        return attrs.evolve(self, festivals=self.festivals + tuple(extra)) if extra else self

    def with_unavailability(self, rows: Iterable[Unavailability]) -> WorkCalendar:
        """The same calendar with these absences."""
        return attrs.evolve(self, unavailability=tuple(rows))

    @classmethod
    def from_toml(cls, path: Path) -> WorkCalendar:
        """Read ``calendar.toml``; every problem is reported with the file and key."""
        return cls.from_dict(read_toml(path), source=path.name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "calendar") -> WorkCalendar:
        """Build from plain data (TOML, or JSON with ISO date strings)."""
        problems = ProblemList()
        if not isinstance(data, Mapping):
            problems.add(source, "not a table", expected="festival, holiday, workday, year")
            problems.raise_if_any()
        known = {"festival", "holiday", "workday", "year"}
        for key in sorted(set(data) - known):
            problems.add(source, "unknown key", field=key, expected=", ".join(sorted(known)))
        festivals = []
        for i, item in enumerate(_table_list(data, "festival", source, problems)):
            where = f"festival[{i}]"
            _unknown(item, {"name", "name_bo", "name_en", "start", "end", "townships",
                            "villages"}, source, where, problems)
            start = _date(item.get("start"), source, where + ".start", problems)
            end = _date(item.get("end", item.get("start")), source, where + ".end", problems)
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                problems.add(source, "empty required field", field=where + ".name",
                             expected="the festival's Chinese name")
                continue
            for key in ("name", "name_bo", "name_en"):
                text = item.get(key, "")
                wrong = bad_text(text) if isinstance(text, str) else "text"
                if wrong:
                    problems.add(source, "value not accepted", field=f"{where}.{key}",
                                 value=str(text)[:60], expected=wrong)
                    start = None
            if start is None or end is None:
                continue
            if end < start:
                problems.add(source, "ends before it starts", field=where + ".end",
                             value=str(end), expected=f"a date on or after {start}")
                continue
            places = {}
            for key in ("townships", "villages"):
                ids = item.get(key, [])
                if not isinstance(ids, list) or not all(isinstance(t, str) for t in ids):
                    problems.add(source, "wrong type", field=f"{where}.{key}",
                                 value=repr(ids), expected=f"a list of {key[:-1]} ids")
                    ids = []
                places[key] = tuple(ids)
            festivals.append(Festival(name.strip(), start, end, str(item.get("name_bo", "")),
                                      str(item.get("name_en", "")), places["townships"],
                                      places["villages"]))
        extra_holidays = _day_entries(data, "holiday", "name", source, problems)
        extra_workdays = _day_entries(data, "workday", "reason", source, problems)
        years: dict[int, YearSchedule] = {}
        year_table = data.get("year", {})
        if not isinstance(year_table, Mapping):
            problems.add(source, "not a table", field="year", expected="[year.YYYY] tables")
            year_table = {}
        for key in sorted(year_table):
            entry = year_table[key]
            if not (key.isascii() and key.isdigit() and len(key) == 4
                    and FIRST_YEAR <= int(key) <= LAST_YEAR) or not isinstance(entry, Mapping):
                problems.add(source, "bad year table", field=f"year.{key}", value=key[:20],
                             expected=f"[year.YYYY] ({FIRST_YEAR}–{LAST_YEAR}) with holidays "
                                      "and workdays lists")
                continue
            _unknown(entry, {"holidays", "workdays"}, source, f"year.{key}", problems)
            offs = [_date(d, source, f"year.{key}.holidays", problems)
                    for d in _list_of(entry, "holidays", source, f"year.{key}", problems)]
            works = [_date(d, source, f"year.{key}.workdays", problems)
                     for d in _list_of(entry, "workdays", source, f"year.{key}", problems)]
            for field, days in (("holidays", offs), ("workdays", works)):
                for day in days:
                    if day is not None and day.year != int(key):
                        problems.add(source, "date outside its year", field=f"year.{key}.{field}",
                                     value=day.isoformat(), expected=f"a date in {key}")
            years[int(key)] = YearSchedule(
                {d: "holiday" for d in offs if d is not None},
                frozenset(d for d in works if d is not None),
            )
        problems.raise_if_any()
        return cls(tuple(festivals), extra_holidays, extra_workdays, years)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form (ISO dates), accepted back by :meth:`from_dict`."""
        return {
            "festival": [
                {"name": f.name, "name_bo": f.name_bo, "name_en": f.name_en,
                 "start": f.start.isoformat(), "end": f.end.isoformat(),
                 "townships": list(f.townships),
                 **({"villages": list(f.villages)} if f.villages else {})}
                for f in self.festivals
            ],
            "holiday": [{"date": d.isoformat(), "name": n}
                        for d, n in sorted(self.extra_holidays.items())],
            "workday": [{"date": d.isoformat(), "reason": r}
                        for d, r in sorted(self.extra_workdays.items())],
            "year": {
                str(y): {"holidays": sorted(d.isoformat() for d in s.holidays),
                         "workdays": sorted(d.isoformat() for d in s.workdays)}
                for y, s in sorted(self.years.items())
            },
        }


def _table_list(data: Mapping[str, Any], key: str, source: str,
                problems: ProblemList) -> list[Mapping[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        problems.add(source, "wrong type", field=key, expected=f"[[{key}]] tables")
        return []
    return items


def _list_of(entry: Mapping[str, Any], key: str, source: str, where: str,
             problems: ProblemList) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        problems.add(source, "wrong type", field=f"{where}.{key}", value=repr(value)[:80],
                     expected="a list of dates")
        return []
    return value


def _unknown(item: Mapping[str, Any], known: set[str], source: str, where: str,
             problems: ProblemList) -> None:
    for key in sorted(set(item) - known):
        problems.add(source, "unknown key", field=f"{where}.{key}",
                     expected="one of " + ", ".join(sorted(known)))


def _date(value: Any, source: str, where: str, problems: ProblemList) -> dt.date | None:
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR:
        return day
    problems.add(source, "bad date", field=where, value=repr(value)[:60],
                 expected=f"a date YYYY-MM-DD between {FIRST_YEAR} and {LAST_YEAR}")
    return None


def _day_entries(data: Mapping[str, Any], key: str, label: str, source: str,
                 problems: ProblemList) -> dict[dt.date, str]:
    out: dict[dt.date, str] = {}
    for i, item in enumerate(_table_list(data, key, source, problems)):
        _unknown(item, {"date", label}, source, f"{key}[{i}]", problems)
        day = _date(item.get("date"), source, f"{key}[{i}].date", problems)
        if day is not None:
            out[day] = str(item.get(label, ""))
    return out
