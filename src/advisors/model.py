"""The domain's value classes: who and what a plan is about.

Every class is frozen; converters normalise what people type (language
lists, stripped text) and validators reject what cannot be right. A wrong
value raises :class:`~advisors.errors.DataError` naming the record and the
field, so objects built by a portal fail as clearly as rows read from a file.
No I/O here: loaders live in :mod:`advisors.data`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable
from typing import Any, Final

import attrs

from .errors import DataError, Problem
from .languages import parse_languages

__all__ = [
    "ADVISOR_ROLES",
    "PERSON_ROLES",
    "PERSON_STATUSES",
    "SERVICE_CLASSES",
    "VILLAGE_KINDS",
    "Advisor",
    "Attendance",
    "ExistingAssignment",
    "Person",
    "Township",
    "Trainer",
    "TravelTime",
    "Unavailability",
    "Venue",
    "Village",
]

VILLAGE_KINDS: Final = ("village", "community")
"""行政村 (administrative village) or 社区 (urban community)."""
SERVICE_CLASSES: Final = ("community", "suburban", "remote")
"""How often an advisor must come: the policy gives visits a month per class."""
ADVISOR_ROLES: Final = ("lawyer", "legal_worker", "notary", "public_lawyer", "legal_aid")
"""律师, 基层法律服务工作者, 公证员, 公职律师, 法律援助律师."""
PERSON_ROLES: Final = ("legal_savvy", "cadre", "liaison")
"""法律明白人, 村"两委"干部, 联络员."""
PERSON_STATUSES: Final = ("candidate", "active", "inactive")
"""Where a person stands: nominated, serving, or removed (动态清退)."""

ID_CHARS: Final = r"A-Za-z0-9_.\-"
"""The characters of an id, as a regular-expression character class body."""
ID_PATTERN: Final = re.compile(f"[{ID_CHARS}]+")
NOT_ID_CHAR: Final = re.compile(f"[^{ID_CHARS}]")
"""Finds a character no id may contain (loaders check a whole column at once with it)."""


def _fail(inst: object, field: str, value: object, expected: str, message: str) -> None:
    ident = getattr(inst, "id", None) or getattr(inst, "village", None) or "?"
    source = f"{type(inst).__name__}({ident!r})"
    raise DataError([Problem(source, message, None, field, str(value), expected)])


def _languages(value: str | Iterable[str]) -> tuple[str, ...]:
    # Millions of people share a handful of language lists: parse each list once.
    return _languages_cached(value if isinstance(value, str) else tuple(value))


@functools.lru_cache(maxsize=4096)
def _languages_cached(value: str | tuple[str, ...]) -> tuple[str, ...]:
    tags, bad = parse_languages(value)
    if bad:
        raise DataError(
            [
                Problem(
                    "languages",
                    "unknown language",
                    value=";".join(bad),
                    expected="a language tag such as bo, zh, en",
                )
            ]
        )
    return tags


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _split_list(value: str | Iterable[str]) -> tuple[str, ...]:
    pieces = value.split(";") if isinstance(value, str) else list(value)
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if piece and piece not in out:
            out.append(piece)
    return tuple(out)


def _check_id(inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not ID_PATTERN.fullmatch(value):
        _fail(inst, attribute.name, value, "letters, digits, '_', '.', '-'", "bad id")


def _check_required(inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value:
        _fail(inst, attribute.name, value, "a value", "empty required field")


def _one_of(choices: tuple[str, ...]) -> Any:
    def check(inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if value not in choices:
            _fail(inst, attribute.name, value, "one of " + ", ".join(choices), "unknown value")

    return check


def _check_lat(inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not (math.isfinite(value) and -90.0 <= value <= 90.0):
        _fail(inst, attribute.name, value, "a latitude between -90 and 90", "bad coordinate")


def _check_lon(inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not (math.isfinite(value) and -180.0 <= value <= 180.0):
        _fail(inst, attribute.name, value, "a longitude between -180 and 180", "bad coordinate")


def _non_negative(inst: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and value >= 0):
        _fail(inst, attribute.name, value, "a number ≥ 0", "bad number")


def _has_language(inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        _fail(inst, attribute.name, "", "at least one language", "empty required field")




@attrs.frozen
class Township:
    """A town, township or sub-district (镇/乡/街道) with its justice office (司法所)."""

    id: str = attrs.field(converter=_text, validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_required)
    """Chinese name, e.g. 隆务镇."""
    name_bo: str = attrs.field(default="", converter=_text)
    """Tibetan name; empty until a native speaker has confirmed it."""


@attrs.frozen
class Village:
    """An administrative village or community that must have an advisor of record."""

    id: str = attrs.field(converter=_text, validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_required)
    township: str = attrs.field(converter=_text, validator=_check_id)
    """Id of the township it belongs to."""
    kind: str = attrs.field(converter=_text, validator=_one_of(VILLAGE_KINDS))
    service_class: str = attrs.field(converter=_text, validator=_one_of(SERVICE_CLASSES))
    languages: tuple[str, ...] = attrs.field(converter=_languages, validator=_has_language)
    """Languages villagers must be served in; an advisor must speak all of them."""
    lat: float = attrs.field(converter=float, validator=_check_lat)
    lon: float = attrs.field(converter=float, validator=_check_lon)
    population: int | None = attrs.field(default=None, validator=_non_negative)
    name_bo: str = attrs.field(default="", converter=_text)


@attrs.frozen
class Advisor:
    """A village legal advisor (村(居)法律顾问): serves several villages."""

    id: str = attrs.field(converter=_text, validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_required)
    role: str = attrs.field(converter=_text, validator=_one_of(ADVISOR_ROLES))
    organization: str = attrs.field(converter=_text, validator=_check_required)
    """Law firm, legal service office, notary office or justice office."""
    languages: tuple[str, ...] = attrs.field(converter=_languages, validator=_has_language)
    lat: float = attrs.field(converter=float, validator=_check_lat)
    """Where the advisor's office is: travel is measured from here."""
    lon: float = attrs.field(converter=float, validator=_check_lon)
    phone: str = attrs.field(default="", converter=_text)
    email: str = attrs.field(default="", converter=_text)
    capacity: int | None = attrs.field(default=None, validator=_non_negative)
    """Most villages this advisor serves; ``None`` means the policy's default."""
    hotline: bool = False
    """Takes 12348 hotline shifts."""
    active: bool = True
    """An inactive advisor keeps their record but gets no new work."""
    name_bo: str = attrs.field(default="", converter=_text)
    """Tibetan name as the person writes it; empty when not given (never transliterated)."""

    def speaks(self, languages: Iterable[str]) -> bool:
        """Whether this advisor speaks every one of ``languages``."""
        return set(languages) <= set(self.languages)


@attrs.frozen
class Trainer:
    """A trainer (培训师资) of legal-savvy persons and cadres; bilingual ones teach in bo and zh."""

    id: str = attrs.field(converter=_text, validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_required)
    languages: tuple[str, ...] = attrs.field(converter=_languages, validator=_has_language)
    topics: tuple[str, ...] = attrs.field(converter=_split_list)
    """Curriculum topic ids (see :class:`~advisors.policy.TrainingPolicy`) this trainer teaches."""
    lat: float = attrs.field(converter=float, validator=_check_lat)
    lon: float = attrs.field(converter=float, validator=_check_lon)
    max_sessions_per_month: int = attrs.field(default=4, validator=_non_negative)
    phone: str = attrs.field(default="", converter=_text)
    email: str = attrs.field(default="", converter=_text)
    name_bo: str = attrs.field(default="", converter=_text)
    """Tibetan name as the person writes it; empty when not given (never transliterated)."""
    advisor: str = attrs.field(default="", converter=_text)
    """The advisor id of the same person, when the trainer is also an advisor or hotline
    lawyer: one person, one timetable (empty: a trainer only)."""

    @property
    def person(self) -> str:
        """The id this person's timetable goes by: the advisor's id, else the trainer's."""
        return self.advisor or self.id


@attrs.frozen
class Person:
    """A legal-savvy person (法律明白人), two-committee cadre or liaison officer of one village."""

    id: str = attrs.field(converter=_text, validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_required)
    village: str = attrs.field(converter=_text, validator=_check_id)
    role: str = attrs.field(converter=_text, validator=_one_of(PERSON_ROLES))
    status: str = attrs.field(converter=_text, validator=_one_of(PERSON_STATUSES))
    languages: tuple[str, ...] = attrs.field(default=(), converter=_languages)
    phone: str = attrs.field(default="", converter=_text)
    """Personal data: never shown on public outputs."""
    certified_on: dt.date | None = None
    """Date the person was certified (持证上岗); ``None`` if not yet."""
    name_bo: str = attrs.field(default="", converter=_text)
    """Tibetan name as the person writes it; empty when not given (never transliterated)."""


@attrs.frozen
class Venue:
    """A place where training sessions are held."""

    id: str = attrs.field(converter=_text, validator=_check_id)
    name: str = attrs.field(converter=_text, validator=_check_required)
    township: str = attrs.field(converter=_text, validator=_check_id)
    lat: float = attrs.field(converter=float, validator=_check_lat)
    lon: float = attrs.field(converter=float, validator=_check_lon)
    capacity: int = attrs.field(default=40, validator=_non_negative)


@attrs.frozen
class Unavailability:
    """A span of days (both ends included) when an advisor or trainer cannot work."""

    who: str = attrs.field(converter=_text, validator=_check_id)
    start: dt.date
    end: dt.date = attrs.field()
    reason: str = attrs.field(default="", converter=_text)

    @end.validator
    def _end_after_start(self, attribute: attrs.Attribute[Any], value: dt.date) -> None:
        if value < self.start:
            _fail(self, "end", value, f"a date on or after {self.start}", "ends before it starts")

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls in this span."""
        return self.start <= day <= self.end


@attrs.frozen
class ExistingAssignment:
    """A contract already in force: village → advisor, pinned ones are never moved."""

    village: str = attrs.field(converter=_text, validator=_check_id)
    advisor: str = attrs.field(converter=_text, validator=_check_id)
    pinned: bool = False


@attrs.frozen
class Attendance:
    """A line of a sign-in sheet: a person attended a session for some hours."""

    session: str = attrs.field(converter=_text, validator=_check_required)
    person: str = attrs.field(converter=_text, validator=_check_id)
    hours: float = attrs.field(default=0.0, converter=float, validator=_non_negative)


@attrs.frozen
class TravelTime:
    """A measured travel time between two located things, overriding the distance estimate."""

    origin: str = attrs.field(converter=_text, validator=_check_id)
    destination: str = attrs.field(converter=_text, validator=_check_id)
    minutes: float = attrs.field(converter=float, validator=_non_negative)
