"""What a value may be, whatever file it comes from: lengths, characters, sizes, addresses.

One place for the limits every reader applies (the dataset loader, the
policy, plan files), so that a 50 MB name, a newline in a name (which breaks
calendar headers and spreadsheets), a 20-digit capacity (which overflows a
solver) or an email with a comma (a second recipient) is a located error
instead of hours of planning or a crash. The numbers are far beyond any real
county (``docs/security.md`` lists them).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
import zoneinfo
from collections.abc import Iterator, Sequence
from typing import Any, Final

import attrs

from .errors import Problem

__all__ = [
    "MAX_COUNT",
    "MAX_EMAIL",
    "MAX_NUMBER",
    "MAX_TEXT",
    "bad_email",
    "bad_text",
    "is_domain",
    "is_email",
    "policy_problems",
    "record_values",
]

MAX_TEXT: Final = 500
"""Longest text of one field (a name, an organization, a note), in characters."""
MAX_COUNT: Final = 1_000_000
"""Largest whole number of a field (a capacity, a population, minutes, a cap)."""
MAX_NUMBER: Final = 1e9
"""Largest decimal number of a field (km, yuan, a factor)."""
FIRST_YEAR: Final = 1900
"""Earliest year of a date in the data (a certification, an absence)."""
LAST_YEAR: Final = 2200
"""Latest year of a date in the data."""
MAX_EMAIL: Final = 254
"""Longest email address (RFC 5321)."""

_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
"""Control characters, line and paragraph separators: never part of a one-line field."""
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN: Final = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_EMAIL: Final = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_DOMAIN.pattern}")
"""The WHATWG HTML "valid email address": one address, no display name, no comments."""


def bad_text(value: str, limit: int = MAX_TEXT) -> str | None:
    """Why ``value`` cannot be a one-line text field, or ``None`` when it can."""
    if len(value) > limit:
        return f"at most {limit} characters (got {len(value)})"
    found = _CONTROL.search(value)
    if found:
        return f"one line of text without control characters (found U+{ord(found[0]):04X})"
    return None


def is_email(value: str) -> bool:
    """Whether ``value`` is exactly one email address (``name@example.org``)."""
    return len(value) <= MAX_EMAIL and _EMAIL.fullmatch(value) is not None


def bad_email(value: str) -> str | None:
    """Why ``value`` is not one email address (empty is allowed), or ``None``."""
    if not value or is_email(value):
        return None
    return "one email address such as name@example.org (no name, comma or space)"


def is_domain(value: str) -> bool:
    """Whether ``value`` is a domain name such as ``sfj.tongren.gov.cn``."""
    return len(value) <= 253 and _DOMAIN.fullmatch(value) is not None


def record_values(records: Sequence[Any]) -> Iterator[tuple[int, str, str, str]]:
    """``(index, field, value, expected)`` for each value of ``records`` beyond the limits.

    Records are attrs instances of one class: text fields must be one line of
    at most :data:`MAX_TEXT` characters (``email`` one address), whole numbers at
    most :data:`MAX_COUNT`, decimals finite and at most :data:`MAX_NUMBER`. Each
    field is scanned in one pass first; records are looked at one by one only
    when something is wrong.
    """
    if not records:
        return
    for field in attrs.fields(type(records[0])):
        values = list(map(operator.attrgetter(field.name), records))
        if field.name == "email":
            check: Any = bad_email
            suspect = any(map(bad_email, values))
        elif all(isinstance(v, str) for v in values):
            check = bad_text
            suspect = (max(map(len, values)) > MAX_TEXT
                       or _CONTROL.search("".join(values)) is not None)
        elif any(type(v) is int for v in values):
            check = _bad_count
            suspect = max(abs(v) for v in values if type(v) is int) > MAX_COUNT
        elif any(type(v) is dt.date for v in values):
            check = _bad_date
            days = [v for v in values if type(v) is dt.date]
            suspect = min(days).year < FIRST_YEAR or max(days).year > LAST_YEAR
        elif any(type(v) is float for v in values):
            check = _bad_number
            suspect = any(map(_bad_number, (v for v in values if type(v) is float)))
        else:
            continue
        if suspect:
            for i, value in enumerate(values):
                if isinstance(value, str | int | float | dt.date) and (expected := check(value)):
                    yield i, field.name, _shown(value), expected


def _bad_count(value: object) -> str | None:
    if type(value) is int and abs(value) > MAX_COUNT:
        return f"a whole number of at most {MAX_COUNT}"
    return None


def _bad_date(value: object) -> str | None:
    if type(value) is dt.date and not FIRST_YEAR <= value.year <= LAST_YEAR:
        return f"a date between {FIRST_YEAR} and {LAST_YEAR}"
    return None


def _bad_number(value: object) -> str | None:
    if type(value) is float and not (math.isfinite(value) and abs(value) <= MAX_NUMBER):
        return f"a finite number of at most {MAX_NUMBER:.0f}"
    return None


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


# --- the policy's rules across keys ----------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _spans(policy: Any) -> Iterator[tuple[str, str, str]]:
    for i, (start, end) in enumerate(policy.hotline.shifts):
        yield f"hotline.shifts[{i}]", start, end
    yield "visits.start/end", policy.visits.start, policy.visits.end
    yield ("training.session_start/session_end", policy.training.session_start,
           policy.training.session_end)


_CHOICES = {
    ("training", "cadres"): ("joint", "separate"),
    ("ledger", "wrong_advisor"): ("warn", "exclude", "error"),
    ("ledger", "outside_plan"): ("warn", "exclude", "error"),
    ("ledger", "overlap"): ("warn", "exclude", "error"),
}
"""Keys whose text is one of a few words."""
_SPANS = {"_days": 3660, "_months": 120, "_minutes": 40_320}
"""Largest value of a key by the unit its name ends in: ten years, four weeks of minutes
(a date that far away is a typo, and one much further overflows the calendar)."""


def _bounded(policy: Any) -> Iterator[tuple[str, int | float, int]]:
    sections = {"": policy, **{f.name: getattr(policy, f.name) for f in attrs.fields(type(policy))
                               if attrs.has(type(getattr(policy, f.name)))}}
    for prefix, section in sections.items():
        for f in attrs.fields(type(section)):
            for suffix, limit in _SPANS.items():
                if f.name.endswith(suffix) or f.name.removesuffix("s").endswith(suffix):
                    value = getattr(section, f.name)
                    for item in value if isinstance(value, tuple) else (value,):
                        yield f"{prefix}.{f.name}".lstrip("."), item, limit


def policy_problems(policy: Any, source: str) -> list[Problem]:
    """Every rule of this module ``policy`` (a :class:`advisors.Policy`) breaks."""
    problems = []
    for where, value, limit in _bounded(policy):
        if isinstance(value, int | float) and value > limit:
            problems.append(Problem(source, "too large", field=where, value=str(value),
                                    expected=f"at most {limit}"))
    for (section, key), choices in _CHOICES.items():
        value = getattr(getattr(policy, section), key)
        if value not in choices:
            problems.append(Problem(source, "unknown value", field=f"{section}.{key}",
                                    value=str(value)[:80], expected="one of " + ", ".join(choices)))
    for where, start, end in _spans(policy):
        if _minutes(end) <= _minutes(start):
            problems.append(Problem(source, "ends before it starts", field=where,
                                    value=f"{start}–{end}",
                                    expected="an end after the start, the same day"))
    wrong = bad_email(policy.calendar.organizer_email)
    if wrong:
        problems.append(Problem(source, "not one email address", field="calendar.organizer_email",
                                value=policy.calendar.organizer_email[:80], expected=wrong))
    if not is_domain(policy.calendar.uid_domain):
        problems.append(Problem(source, "not a domain name", field="calendar.uid_domain",
                                value=policy.calendar.uid_domain[:80],
                                expected="a domain such as sfj.example.gov.cn"))
    try:
        zoneinfo.ZoneInfo(policy.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(Problem(source, "unknown time zone", field="timezone",
                                value=policy.timezone[:80], expected="an IANA zone such as "
                                "Asia/Shanghai"))
    return problems
