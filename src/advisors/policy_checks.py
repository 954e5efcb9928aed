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


def policy_problems(policy: Any, source: str) -> list[Problem]:
    """Every rule of this module ``policy`` (a :class:`advisors.Policy`) breaks."""
    problems = []
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
