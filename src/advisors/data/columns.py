"""The columns of each dataset file: names, parsers and what each expects.

This table *is* the data contract of ``docs/data-format.md``: the CSV folder
reader, the JSON form and the CSV writer all read it, so the three cannot
drift apart. A parser takes the cell's text and returns the value or raises
``ValueError``; the column's ``expected`` text goes into the error message.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import attrs

from ..languages import parse_languages
from ..locale.codes import BOOLEAN_SPELLINGS, CODE_NAMES, CODE_SETS, choice_lookup, fold
from ..model import (
    ID_PATTERN,
    Advisor,
    Attendance,
    ExistingAssignment,
    Person,
    Request,
    Township,
    Trainer,
    TravelTime,
    Unavailability,
    Venue,
    Village,
)

__all__ = ["FILES", "Column", "FileSpec", "Header", "format_cell", "read_header"]

TRUE = frozenset(BOOLEAN_SPELLINGS[True])
FALSE = frozenset(BOOLEAN_SPELLINGS[False])
BOOLEANS: dict[str, bool] = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}
"""Every accepted spelling of a boolean, lower case."""


@attrs.frozen
class Column:
    """One column of a dataset file."""

    name: str
    parse: Callable[[str], Any]
    expected: str
    attr: str = ""
    """Attribute of the record class it fills; the column name when empty."""
    required: bool = True
    """The column must be present and the cell non-empty."""
    default: Any = None
    """Value of an absent or empty optional column."""

    @property
    def target(self) -> str:
        """The attribute this column fills."""
        return self.attr or self.name


@attrs.frozen
class FileSpec:
    """One file of the folder format: its record class and columns."""

    collection: str
    record: type
    columns: tuple[Column, ...]
    key: str | None = "id"
    """Column that identifies a record (for extras kept across a round trip)."""

    @property
    def filename(self) -> str:
        """``villages.csv`` for the ``villages`` collection."""
        return f"{self.collection}.csv"


def _text(raw: str) -> str:
    return raw


def _ident(raw: str) -> str:
    if not ID_PATTERN.fullmatch(raw):
        raise ValueError
    return raw


def _choice(field: str) -> Callable[[str], str]:
    """The parser of a coded field: its code, Chinese name or an alias (:mod:`..locale.codes`)."""
    lookup = choice_lookup(field)

    def parse(raw: str) -> str:
        return lookup[fold(raw)]  # KeyError is a LookupError, reported like ValueError

    parse.choices = lookup  # type: ignore[attr-defined]  # read by the fast row parser
    return parse


def _choice_table(parse: Callable[[str], Any]) -> dict[str, str] | None:
    """The lower-case → value table of a choice parser, ``None`` for other parsers."""
    return getattr(parse, "choices", None)


@functools.lru_cache(maxsize=4096)
def _languages(raw: str) -> tuple[str, ...]:
    tags, bad = parse_languages(raw)
    if bad or not tags:
        raise ValueError
    return tags


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        if "_" in raw:  # float() reads "3_5.5" as 35.5: a typo, not a number
            raise ValueError
        value = float(raw)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError
        return value

    parse.bounds = (low, high)  # type: ignore[attr-defined]  # read by the column-wise parser
    return parse


def _count(raw: str) -> int:
    if "_" in raw:  # int() reads "3_5" as 35
        raise ValueError
    try:
        value = int(raw)  # exact, however large
    except ValueError:
        number = float(raw)  # Excel writes whole numbers as "4.0"
        if not number.is_integer():
            raise
        value = int(number)
    if value < 0:
        raise ValueError
    return value


def _bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise ValueError


@functools.lru_cache(maxsize=8192)
def _date(raw: str) -> dt.date:
    # Cached: a few thousand distinct dates among millions of cells share one object each.
    return dt.date.fromisoformat(raw.replace("/", "-"))


def _list(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in raw.replace("；", ";").split(";") if p.strip()))


ID = "letters, digits, '_', '.' or '-'"
BOOL = "是 or 否 (true or false)"
LANGS = "languages separated by ';', such as 藏语;汉语 or bo;zh"
LAT = _number(-90, 90)
LON = _number(-180, 180)


def _col(name: str, parse: Callable[[str], Any], expected: str, **kw: Any) -> Column:
    return Column(name, parse, expected, **kw)


def _opt(name: str, parse: Callable[[str], Any], expected: str, default: Any = "",
         **kw: Any) -> Column:
    return Column(name, parse, expected, required=False, default=default, **kw)


def _one_of(field: str) -> str:
    names = CODE_NAMES[field]
    return "one of " + ", ".join(f"{names[c]} ({c})" for c in CODE_SETS[field])


FILES: dict[str, FileSpec] = {
    spec.collection: spec
    for spec in (
        FileSpec("townships", Township, (
            _col("id", _ident, ID),
            _col("name", _text, "the Chinese name"),
            _opt("name_bo", _text, "the Tibetan name"),
            _opt("kind", _choice("township_kind"), _one_of("township_kind")),
        )),
        FileSpec("villages", Village, (
            _col("id", _ident, ID),
            _col("name", _text, "the Chinese name"),
            _opt("name_bo", _text, "the Tibetan name"),
            _col("township", _ident, "a township id"),
            _col("kind", _choice("village_kind"), _one_of("village_kind")),
            _col("service_class", _choice("service_class"), _one_of("service_class")),
            _col("languages", _languages, LANGS),
            _col("lat", LAT, "a latitude in degrees, -90 to 90"),
            _col("lon", LON, "a longitude in degrees, -180 to 180"),
            _opt("population", _count, "a whole number ≥ 0", None),
        )),
        FileSpec("advisors", Advisor, (
            _col("id", _ident, ID),
            _col("name", _text, "a name"),
            _col("role", _choice("advisor_role"), _one_of("advisor_role")),
            _col("organization", _text, "the law firm or office"),
            _col("languages", _languages, LANGS),
            _opt("phone", _text, "a phone number"),
            _opt("email", _text, "an email address"),
            _col("lat", LAT, "a latitude in degrees, -90 to 90"),
            _col("lon", LON, "a longitude in degrees, -180 to 180"),
            _opt("capacity", _count, "a whole number ≥ 0 (empty: the policy default)", None),
            _opt("hotline", _bool, BOOL, False),
            _opt("active", _bool, BOOL, True),
            _opt("township", _ident, "for 司法所 staff: the township id of their office"),
            _opt("name_bo", _text, "the name in Tibetan script"),
        )),
        FileSpec("trainers", Trainer, (
            _col("id", _ident, ID),
            _col("name", _text, "a name"),
            _col("languages", _languages, LANGS),
            _col("topics", _list, "curriculum topics separated by ';' "
                                  "(their id or the policy's name, such as 民法典)"),
            _col("lat", LAT, "a latitude in degrees, -90 to 90"),
            _col("lon", LON, "a longitude in degrees, -180 to 180"),
            _opt("max_sessions_per_month", _count, "a whole number ≥ 0", 4),
            _opt("phone", _text, "a phone number"),
            _opt("email", _text, "an email address"),
            _opt("advisor", _text, "the id of the same person in advisors.csv, or empty"),
            _opt("name_bo", _text, "the name in Tibetan script"),
        )),
        FileSpec("people", Person, (
            _col("id", _ident, ID),
            _col("name", _text, "a name"),
            _col("village", _ident, "a village id"),
            _col("role", _choice("person_role"), _one_of("person_role")),
            _col("status", _choice("person_status"), _one_of("person_status")),
            _opt("languages", _languages, LANGS, ()),
            _opt("phone", _text, "a phone number"),
            _opt("certified_on", _date, "a date YYYY-MM-DD", None),
            _opt("name_bo", _text, "the name in Tibetan script"),
        )),
        FileSpec("venues", Venue, (
            _col("id", _ident, ID),
            _col("name", _text, "a name"),
            _col("township", _ident, "a township id"),
            _col("lat", LAT, "a latitude in degrees, -90 to 90"),
            _col("lon", LON, "a longitude in degrees, -180 to 180"),
            _opt("capacity", _count, "a whole number ≥ 0", 40),
        )),
        FileSpec("assignments", ExistingAssignment, (
            _col("village", _ident, "a village id"),
            _col("advisor", _ident, "an advisor id"),
            _opt("pinned", _bool, BOOL, False),
        ), key="village"),
        FileSpec("unavailability", Unavailability, (
            _col("who", _ident, "an advisor or trainer id"),
            _col("start", _date, "a date YYYY-MM-DD"),
            _col("end", _date, "a date YYYY-MM-DD"),
            _opt("reason", _text, "text"),
        ), key=None),
        FileSpec("requests", Request, (
            _col("id", _ident, ID),
            _col("village", _ident, "a village id"),
            _col("group", _choice("request_group"), _one_of("request_group")),
            _col("kind", _choice("request_kind"), _one_of("request_kind")),
            _col("received_on", _date, "a date YYYY-MM-DD"),
            _opt("languages", _languages, LANGS, ()),
            _opt("note", _text, "text (private)"),
        )),
        FileSpec("attendance", Attendance, (
            _col("session", _text, "a session id"),
            _col("person", _ident, "a person id"),
            _opt("hours", _number(0, 24 * 366), "hours ≥ 0", 0.0),
        ), key=None),
        FileSpec("travel", TravelTime, (
            _col("from", _ident, "a village, advisor, trainer or venue id", attr="origin"),
            _col("to", _ident, "a village, advisor, trainer or venue id", attr="destination"),
            _col("minutes", _number(0, 10_000), "minutes ≥ 0"),
        ), key=None),
    )
}
"""Every file of the folder format, by collection name, in file order."""

REQUIRED_FILES = ("townships", "villages", "advisors", "trainers", "people")
"""Files a dataset folder must have; the others may be absent."""


class Header(NamedTuple):
    """What a file's header row says against its :class:`FileSpec`."""

    position: dict[str, int]
    """Column name → index of its first cell (names stripped and lower-cased)."""
    duplicates: list[tuple[int, str]]
    """(index, name) of every repeated name after its first."""
    missing: list[str]
    """Required columns absent."""
    extras: list[tuple[int, str]]
    """(index, name) of named columns the spec does not know."""
    plan: list[tuple[Column, int | None]]
    """Each column of the spec with its index (``None``: absent)."""


def read_header(spec: FileSpec, header: Sequence[str]) -> Header:
    """Match ``header`` to ``spec``: positions, problems, and the reading plan."""
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    position: dict[str, int] = {}
    duplicates = []
    for i, name in enumerate(names):
        if name in position and name:
            duplicates.append((i, name))
        position.setdefault(name, i)
    known = {c.name for c in spec.columns}
    return Header(
        position, duplicates,
        [c.name for c in spec.columns if c.required and c.name not in position],
        [(i, n) for i, n in enumerate(names) if n and n not in known],
        [(c, position.get(c.name)) for c in spec.columns])


def format_cell(value: Any) -> str:
    """The text a value is written as, read back to the same value by the column's parser."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple | list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
