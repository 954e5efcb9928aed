"""What a ``plan.json`` may hold, checked before anything is built from it.

A plan file is input like any other: an edited or forged one must not name a
file outside the output folder (an owner ``advisor:../../x``), crash the
reader, or plan for minutes on a 50 MB name. :func:`check_plan_data` walks
the parsed JSON against :data:`PLAN_SCHEMA` and reports every bad value with
its JSON path (``$.events[3].event.owners[0]``): ids follow the dataset
loader's id rule (:data:`advisors.model.ID_PATTERN`), composite ids
(``visit/<village>/2026-12/1``) have their fixed shapes, owners are
``<kind>:<id>``, numbers are finite and of sane size, texts have a length
limit, dates and times parse.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from ..errors import DataError, Problem
from ..model import ID_CHARS, ID_PATTERN
from .events import EVENT_KINDS, OWNER_KINDS, STATUSES

__all__ = ["HOTLINE_SCHEMA", "MAX_ID", "MAX_TEXT", "PLAN_SCHEMA", "TRAINING_SCHEMA",
           "VISITS_SCHEMA", "build_checked", "check_data", "check_plan_data", "parse_json"]

T = TypeVar("T")

MAX_ID: Final = 200
"""Longest id (characters), as the dataset loader allows."""
MAX_TEXT: Final = 20_000
"""Longest text a plan may carry (a sentence of an analysis, an event's description)."""
MAX_INT: Final = 10**9
"""Largest integer (in absolute value) a plan may carry: counts, sequences, weekdays."""
MAX_PROBLEMS: Final = 50
"""Problems reported before the rest is summarised."""

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")

Check = Callable[[Any], str | None]
"""A leaf check: ``None`` when the value is good, else what was expected."""


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return "a string"
    return None if len(value) <= MAX_TEXT else f"a text of at most {MAX_TEXT} characters"


def _id(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_ID or not ID_PATTERN.fullmatch(value):
        return f"an id: letters, digits, '_', '.', '-' (at most {MAX_ID})"
    return None


def _pattern(pattern: str, expected: str) -> Check:
    compiled = re.compile(pattern)

    def check(value: Any) -> str | None:
        ok = isinstance(value, str) and len(value) <= 2 * MAX_ID and compiled.fullmatch(value)
        return None if ok else expected

    return check


_VISIT_ID = _pattern(rf"visit/[{ID_CHARS}]{{1,{MAX_ID}}}/\d{{4}}-\d{{2}}/\d{{1,4}}",
                     "visit/<village id>/<YYYY-MM>/<n>")
_SHIFT_ID = _pattern(r"hotline/\d{4}-\d{2}-\d{2}/\d{1,4}/\d{1,4}",
                     "hotline/<YYYY-MM-DD>/<shift>/<seat>")
_SESSION_ID = _pattern(rf"training/[{ID_CHARS}]{{1,{MAX_ID}}}/\d{{4}}-\d{{2}}/\d{{1,4}}",
                       "training/<township id>/<YYYY-MM>/<n>")


def _owner(value: Any) -> str | None:
    kind, sep, ident = value.partition(":") if isinstance(value, str) else ("", "", "")
    if not sep or kind not in OWNER_KINDS or _id(ident):
        return f"<{'|'.join(OWNER_KINDS)}>:<id>"
    return None


def _int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT:
        return f"an integer between -{MAX_INT} and {MAX_INT}"
    return None


def _num(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or abs(value) > 1e12:
        return "a finite number"
    return None


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _parses(parse: Callable[[str], Any], expected: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or len(value) > 40:
            return expected
        try:
            parse(value)
        except ValueError:
            return expected
        return None

    return check


def _aware(text: str) -> None:
    if dt.datetime.fromisoformat(text).tzinfo is None:
        raise ValueError("naive")


def _time(text: str) -> None:
    if not _TIME.fullmatch(text):
        raise ValueError(text)


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else "one of " + ", ".join(choices)

    return check


_DATE = _parses(dt.date.fromisoformat, "a date YYYY-MM-DD")
_DATETIME = _parses(_aware, "a date and time with its zone (ISO 8601)")
_HHMM = _parses(_time, "a time HH:MM")


class _List:
    def __init__(self, item: Any) -> None:
        self.item = item


class _Map:
    def __init__(self, key: Check, value: Any) -> None:
        self.key, self.value = key, value


class _Maybe:
    def __init__(self, inner: Any) -> None:
        self.inner = inner


_PERIOD = {"start": _DATE, "end": _DATE, "?label": _text}
_VIOLATION = {"rule": _text, "hard": _bool, "message": _text, "?subjects": _List(_text),
              "?days": _List(_DATE), "?weight": _int}
_ANALYSIS = {"?violations": _List(_VIOLATION)}
_STATS = {"strategy": _text, "?status": _text, "?objective": _Maybe(_num),
          "?bound": _Maybe(_num)}
_PARTY = {"name": _text, "?email": _text, "?role": _text}
_EVENT = {
    "id": _id, "kind": _one_of(EVENT_KINDS), "start": _DATETIME, "end": _DATETIME,
    "?timezone": _text, "?summary": _Map(_text, _text), "?description": _Map(_text, _text),
    "?languages": _List(_text), "?location": _text, "?geo": _Maybe(_List(_num)),
    "?organizer": _Maybe(_PARTY), "?attendees": _List(_PARTY), "?owners": _List(_owner),
    "?status": _one_of(STATUSES), "?extra": _Map(_text, _text),
}
_PUBLISHED = {"event": _EVENT, "?sequence": _int, "stamp": _DATETIME, "?cancelled": _bool}
_TRAINING_VIOLATION = {"rule": _text, "hard": _bool, "message": _text,
                       "?people": _List(_text), "?days": _List(_DATE),
                       "?sessions": _List(_SESSION_ID)}

PLAN_SCHEMA: Final[Mapping[str, Any]] = {
    "format": _text,
    "version": _int,
    "stamp": _DATETIME,
    "period": _PERIOD,
    "?has_previous": _bool,
    "assignment": {
        "advisor_of": _Map(_id, _Maybe(_id)),
        "?strategy": _text,
        "?distance_km": _Map(_id, _num),
        "?pinned": _List(_id),
        "?uncovered": _List({"village": _id, "reason": _text, "message": _text,
                             "?fix": _text}),
        "?diagnoses": _List({"township": _id, "language": _text, "reason": _text,
                             "villages": _List(_id), "advisors": _List(_id),
                             "free_places": _int, "shortfall": _int, "message": _text,
                             "?fixes": _List(_text)}),
        "?warnings": _List(_text), "?cost": _num, "?notes": _List(_text),
    },
    "visits": "VISITS",
    "hotline": "HOTLINE",
    "training": "TRAINING",
    "?timetable": _ANALYSIS,
    "?events": _List(_PUBLISHED),
    "?changes": _List({"kind": _text, "current": _PUBLISHED,
                       "?previous": _Maybe(_PUBLISHED)}),
}
"""The shape of ``plan.json`` (``?key``: optional); unknown keys are ignored."""

VISITS_SCHEMA: Final[Mapping[str, Any]] = {
        "kind": _one_of(("visits",)), "period": _PERIOD,
        "visits": _List({"id": _VISIT_ID, "village": _id, "advisor": _id, "date": _DATE,
                         "start": _HHMM, "end": _HHMM, "?lecture": _bool,
                         "?appointments": _List(_text)}),
        "?patterns": _Map(_id, _Maybe({"weekday": _int, "ordinals": _List(_int),
                                       "?zh": _text, "?en": _text})),
        "?analysis": _ANALYSIS, "?stats": _STATS,
}
"""The shape of a visit plan (``advisors schedule``'s JSON; ``visits`` of a plan)."""

HOTLINE_SCHEMA: Final[Mapping[str, Any]] = {
        "kind": _one_of(("hotline",)), "period": _PERIOD,
        "shifts": _List({"id": _SHIFT_ID, "date": _DATE, "index": _int, "slot": _int,
                         "start": _HHMM, "end": _HHMM, "lawyer": _id}),
        "?counts": _Map(_id, {"?total": _int, "?weekend": _int, "?evening": _int}),
        "?analysis": _ANALYSIS, "?stats": _STATS,
}
"""The shape of a hotline rota (``advisors hotline``'s JSON; ``hotline`` of a plan)."""

TRAINING_SCHEMA: Final[Mapping[str, Any]] = {
        "?kind": _one_of(("training",)), "period": _PERIOD,
        "sessions": _List({"id": _SESSION_ID, "date": _DATE, "start": _HHMM, "end": _HHMM,
                           "venue": _id, "township": _id, "trainer": _id,
                           "language": _List(_text), "topic": _text,
                           "participants": _List(_id)}),
        "?strategy": _text, "?target": _int,
        "?unmet": _List(_TRAINING_VIOLATION), "?violations": _List(_TRAINING_VIOLATION),
        "?history": _Map(_id, _List(_text)),
}
"""The shape of a training plan (``advisors train``'s JSON; ``training`` of a plan)."""

_NAMED = {"VISITS": VISITS_SCHEMA, "HOTLINE": HOTLINE_SCHEMA, "TRAINING": TRAINING_SCHEMA}


def _kind(value: Any) -> str:
    return type(value).__name__ if value is not None else "null"


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind(value)
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def check_plan_data(data: Any, source: str = "plan.json") -> list[Problem]:
    """Every value of ``data`` (parsed ``plan.json``) that :data:`PLAN_SCHEMA` refuses."""
    return check_data(data, PLAN_SCHEMA, source)


def check_data(data: Any, schema: Mapping[str, Any], source: str) -> list[Problem]:
    """Every value of ``data`` that ``schema`` refuses, located by JSON path."""
    problems: list[Problem] = []

    def bad(path: str, value: Any, expected: str, message: str = "bad value") -> None:
        problems.append(Problem(source, message, field=path, value=_shown(value),
                                expected=expected))

    def walk(spec: Any, value: Any, path: str) -> None:
        if len(problems) >= MAX_PROBLEMS:
            return
        if isinstance(spec, str):
            walk(_NAMED[spec], value, path)
        elif isinstance(spec, _Maybe):
            if value is not None:
                walk(spec.inner, value, path)
        elif isinstance(spec, _List):
            if not isinstance(value, list):
                bad(path, value, "a list")
                return
            for i, item in enumerate(value):
                walk(spec.item, item, f"{path}[{i}]")
        elif callable(spec):
            expected = spec(value)
            if expected:
                bad(path, value, expected)
        elif not isinstance(value, dict):
            bad(path, value, "an object")
        elif isinstance(spec, _Map):
            for key, item in value.items():
                expected = spec.key(key)
                if expected:
                    bad(f"{path}.{key}", key, expected, "bad key")
                else:
                    walk(spec.value, item, f"{path}.{key}")
        else:
            for name, inner in spec.items():
                key = name.lstrip("?")
                if key in value:
                    walk(inner, value[key], f"{path}.{key}")
                elif not name.startswith("?"):
                    bad(f"{path}.{key}", None, "a value", "missing")

    walk(schema, data, "$")
    return problems


def parse_json(text: str, source: str) -> Any:
    """Parsed JSON, or a :class:`DataError` saying where the text stops being JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(source, "not JSON", line=exc.lineno,
                                 value=f"{exc.msg} (column {exc.colno})",
                                 expected="a file an earlier run wrote")]) from None
    except (ValueError, RecursionError) as exc:  # nesting too deep, 5000-digit numbers
        raise DataError([Problem(source, "not a file an earlier run wrote",
                                 value=str(exc)[:120], expected="JSON of sane depth and size")]
                        ) from None


def build_checked(build: Callable[[Any], T], data: Any, schema: Mapping[str, Any],
                  source: str) -> T:
    """``build(data)`` once ``data`` passes ``schema``; every failure a :class:`DataError`."""
    problems = check_data(data, schema, source)
    if problems:
        raise DataError(problems)
    try:
        return build(data)
    except (ValueError, TypeError, KeyError, AttributeError, DataError) as exc:
        detail = (exc.problems[0].message if isinstance(exc, DataError) and exc.problems
                  else str(exc))
        raise DataError([Problem(source, "not a file an earlier run wrote",
                                 value=detail[:200], expected="JSON as `advisors` writes it")]
                        ) from None
