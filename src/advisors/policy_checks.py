"""Rules a policy must keep beyond the type of each key: spans in order, one sender, a zone.

:meth:`advisors.policy.Policy.from_dict` checks each key's type; these are
the checks across keys and of what a value means, each located by its key:
a shift or visit hours that end before they start, an ``organizer_email``
that is not exactly one address, a ``uid_domain`` that is not a domain
name, a time zone that does not exist.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from typing import Any

import attrs

from .errors import Problem
from .limits import bad_email, is_domain

__all__ = ["policy_problems"]


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
