"""iCalendar content lines (RFC 5545 §3.1), written byte for byte as ``icalendar`` writes them.

The feeds serialise tens of thousands of properties per plan; building an
``icalendar`` property value, its parameters and its content line for each
one costs most of the calendar export. These functions write the same bytes
directly for the property shapes the feeds use: TEXT (escaped), verbatim
values (``X-`` properties and CAL-ADDRESS), DATE-TIME with a time zone
known to ``icalendar``, and parameters quoted as ``icalendar`` quotes them.
The bytes must not change: a phone that sees a line change re-stores the
event. Anything else (a time zone ``icalendar`` names per instant, a line
``icalendar`` refuses) goes through ``icalendar`` itself, which stays the
reference: ``tests/test_contentline.py`` compares both on arbitrary input.

``icalendar``'s rules, as of 7.x, reproduced here:

* a line is folded before the character that would make its segment reach
  75 octets, so a segment holds at most 74 octets after the fold's space,
  and a UTF-8 character is never split;
* a segment that would end in ``\\`` or ``^`` (the start of an escape) gives
  that character to the next segment, unless it is the segment's only one;
* a value serialised to bytes loses one leading byte-order mark (the bytes
  are decoded as ``utf-8-sig``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from icalendar.timezone import tzid_from_tzinfo

__all__ = [
    "calendar_lines",
    "datetime_line",
    "escape_text",
    "fold",
    "line",
    "param_value",
    "text_line",
    "verbatim_line",
]

_LIMIT = 74
"""Octets of a segment: icalendar folds before a character that would reach 75."""
_FOLD = b"\r\n "
_BOM = "\ufeff"
_ALWAYS_QUOTED = frozenset(("ALTREP", "DELEGATED-FROM", "DELEGATED-TO", "DIR", "MEMBER",
                            "SENT-BY"))
_QUOTE_ALSO = {"CN": " '"}
"""Characters that make icalendar quote a parameter's value, per parameter."""
_QUOTABLE = re.compile("[,;:\u2019]")
_CARET = re.compile(r'\^|\r\n|\r|\n|"')
_CARETS = {"^": "^^", "\r\n": "^n", "\r": "^n", "\n": "^n", '"': "^'"}
"""RFC 6868 parameter escapes."""


def escape_text(value: str) -> str:
    r"""A TEXT value escaped (RFC 5545 §3.3.11): ``\\``, ``\;``, ``\,`` and ``\n``.

    As icalendar does it: a literal ``\N`` is taken for a newline first, and
    CR LF, LF and a lone CR each become ``\n``.
    """
    if "\\" in value:
        value = value.replace("\\N", "\n").replace("\\", "\\\\")
    if ";" in value:
        value = value.replace(";", "\\;")
    if "," in value:
        value = value.replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\\n")
        if "\n" in value:
            value = value.replace("\n", "\\n")
        return value.replace("\r", "\\n")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    return value


def fold(text: str) -> bytes:
    """``text`` (one unfolded content line) as UTF-8, folded as icalendar folds it."""
    data = text.encode("utf-8")
    size = len(data)
    if size <= _LIMIT:
        return data
    segments = []
    start = 0
    while size - start > _LIMIT:
        end = start + _LIMIT
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        segments.append(data[start:end])
        start = end
    segments.append(data[start:])
    return _FOLD.join(segments)


def param_value(key: str, value: str) -> str:
    """A parameter's value, RFC 6868-escaped and double-quoted where icalendar quotes it."""
    upper = key.upper()
    also = _QUOTE_ALSO.get(upper)
    quote = upper in _ALWAYS_QUOTED or bool(also and any(c in value for c in also))
    if '"' in value or "^" in value or "\r" in value or "\n" in value:
        value = _CARET.sub(lambda m: _CARETS[m.group(0)], value)
    if quote or _QUOTABLE.search(value):
        return f'"{value}"'
    return value


def line(name: str, value: str, params: Sequence[tuple[str, str]] = ()) -> bytes:
    """One content line, ``NAME;PARAM=value:value`` folded, with its CRLF.

    ``value`` is already serialised (escaped TEXT, a formatted date…);
    ``params`` are written sorted by name, each as :func:`param_value` writes it.
    """
    if params:
        name += ";" + ";".join(f"{key.upper()}={param_value(key, text)}"
                               for key, text in sorted(params, key=_upper))
    if value.startswith(_BOM):
        value = value[1:]
    return fold(f"{name}:{value}") + b"\r\n"


def _upper(param: tuple[str, str]) -> tuple[str, str]:
    return param[0].upper(), param[1]


def text_line(name: str, value: str) -> bytes:
    """A TEXT property (SUMMARY, DESCRIPTION, LOCATION, UID…)."""
    return line(name, escape_text(value))


def verbatim_line(name: str, value: str, params: Sequence[tuple[str, str]] = ()) -> bytes:
    """A property whose value icalendar writes unescaped: ``X-`` names, CAL-ADDRESS.

    A value with a line break cannot be written so; icalendar decides what
    happens to it (it refuses).
    """
    if "\n" in value or "\r" in value:
        return calendar_lines(name, value, params)
    return line(name, value, params)


@functools.lru_cache(maxsize=64)
def _tzid(zone: ZoneInfo | dt.timezone) -> str | None:
    """icalendar's TZID for a time zone that names itself (None: named per instant)."""
    return tzid_from_tzinfo(zone)


def datetime_line(name: str, value: dt.datetime) -> bytes:
    """A DATE-TIME property of an aware ``value``: ``Z`` in UTC, else with its TZID."""
    zone = value.tzinfo
    # other tzinfo classes may be named per instant (tzname): icalendar decides
    tzid = _tzid(zone) if isinstance(zone, (ZoneInfo, dt.timezone)) else None
    if tzid is None:
        return calendar_lines(name, value)
    stamp = (f"{value.year:04}{value.month:02}{value.day:02}"
             f"T{value.hour:02}{value.minute:02}{value.second:02}")
    if tzid == "UTC":
        return line(name, stamp + "Z")
    return line(name, stamp, (("TZID", tzid),))


def calendar_lines(name: str, value: Any, params: Sequence[tuple[str, str]] = ()) -> bytes:
    """The content line(s) of one property as icalendar itself writes them (the slow path)."""
    holder = icalendar.Event()
    holder.add(name, value, parameters=dict(params))
    raw: bytes = holder.to_ical()
    return raw[len(b"BEGIN:VEVENT\r\n"):-len(b"END:VEVENT\r\n")]
