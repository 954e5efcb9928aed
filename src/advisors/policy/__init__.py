"""The operating rules, with the defaults of public practice, overridable per dataset.

Every number that is local practice rather than national law lives here and
can be changed in the dataset's ``policy.toml``; a key the policy does not
know is an error (a misspelt key silently ignored is a rule silently not
applied). Sources of the defaults are in ``docs/policy.md`` and DOMAIN.md.

``policy.toml`` has one table per section::

    road_factor = 1.5

    [visits]
    per_month = { community = 2, suburban = 2, remote = 1 }

    [hotline]
    max_shifts_per_month = 2

A ``preset = "qinghai-tibetan-area"`` line puts a named region's rules
(:mod:`advisors.policy.presets`) under the file's own keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import ProblemList, read_toml
from ..limits import MAX_COUNT, MAX_NUMBER, bad_text, policy_problems
from .presets import PRESETS, with_preset
from .sections import (
    AssignmentPolicy,
    CalendarPolicy,
    HotlinePolicy,
    LedgerPolicy,
    PublicFields,
    RequestPolicy,
    TrainingPolicy,
    VisitPolicy,
)

__all__ = [
    "AssignmentPolicy",
    "CalendarPolicy",
    "HotlinePolicy",
    "LedgerPolicy",
    "Policy",
    "PublicFields",
    "RequestPolicy",
    "TrainingPolicy",
    "VisitPolicy",
    "parse_hhmm",
]

_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def parse_hhmm(text: str) -> dt.time:
    """``"08:30"`` → ``time(8, 30)``; raises ``ValueError`` otherwise."""
    match = _HHMM.fullmatch(text)
    if not match:
        raise ValueError(f"not a time of day HH:MM: {text!r}")
    return dt.time(int(match[1]), int(match[2]))


@functools.lru_cache(maxsize=1024)
def minutes_of(hhmm: str) -> int:
    """``"09:30"`` → 570 minutes after midnight."""
    t = parse_hhmm(hhmm)
    return t.hour * 60 + t.minute


_SECTIONS: dict[str, type] = {
    "visits": VisitPolicy,
    "requests": RequestPolicy,
    "assignment": AssignmentPolicy,
    "hotline": HotlinePolicy,
    "training": TrainingPolicy,
    "calendar": CalendarPolicy,
    "public": PublicFields,
    "ledger": LedgerPolicy,
}


@attrs.frozen
class Policy:
    """All operating rules of one deployment; defaults from DOMAIN.md."""

    preset: str = ""
    """The named preset (:mod:`advisors.policy.presets`) under this policy, e.g.
    ``qinghai-tibetan-area``; empty: the library's national defaults."""
    road_factor: float = 1.4
    """Road km per great-circle km."""
    speed_kmh: float = 40.0
    """Average travel speed, to turn distances into minutes and back."""
    timezone: str = "Asia/Shanghai"
    """IANA time zone of every time of day in the policy and of calendar feeds."""
    visits: VisitPolicy = attrs.field(factory=VisitPolicy)
    requests: RequestPolicy = attrs.field(factory=RequestPolicy)
    assignment: AssignmentPolicy = attrs.field(factory=AssignmentPolicy)
    hotline: HotlinePolicy = attrs.field(factory=HotlinePolicy)
    training: TrainingPolicy = attrs.field(factory=TrainingPolicy)
    calendar: CalendarPolicy = attrs.field(factory=CalendarPolicy)
    public: PublicFields = attrs.field(factory=PublicFields)
    ledger: LedgerPolicy = attrs.field(factory=LedgerPolicy)

    @classmethod
    def from_toml(cls, path: Path) -> Policy:
        """Read ``policy.toml``; every problem is reported with the file and key."""
        return cls.from_dict(read_toml(path), source=path.name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "policy") -> Policy:
        """Build a policy from plain data (TOML or JSON), defaults where keys are absent."""
        problems = ProblemList()
        name = data.get("preset", "") if isinstance(data, Mapping) else ""
        if name:
            preset = PRESETS.get(name) if isinstance(name, str) else None
            if preset is None:
                problems.add(source, "unknown preset", field="preset", value=repr(name),
                             expected="one of " + ", ".join(sorted(PRESETS)))
                problems.raise_if_any()
            assert preset is not None
            data = with_preset(data, preset)
        policy = _build(cls, data, source, "", problems)
        problems.raise_if_any()
        assert isinstance(policy, Policy)
        problems.extend(policy_problems(policy, source))
        problems.raise_if_any()
        return policy

    def as_dict(self) -> dict[str, Any]:
        """Plain form, accepted back by :meth:`from_dict`."""
        return _plain(self)  # type: ignore[no-any-return]

    def capacity_of(self, capacity: int | None) -> int:
        """An advisor's capacity, the default where none is given."""
        return self.assignment.default_capacity if capacity is None else capacity


def _build(cls: type, data: Any, source: str, prefix: str, problems: ProblemList) -> Any:
    if not isinstance(data, Mapping):
        problems.add(source, "not a table", field=prefix.rstrip(".") or None, expected="a table")
        return cls()
    fields = attrs.fields_dict(cls)
    kwargs: dict[str, Any] = {}
    for key in sorted(data):
        where = prefix + key
        if key not in fields:
            problems.add(
                source,
                "unknown key",
                field=where,
                value=key,
                expected="one of " + ", ".join(sorted(fields)),
            )
            continue
        section = _SECTIONS.get(key) if cls is Policy else None
        if section is not None:
            kwargs[key] = _build(section, data[key], source, where + ".", problems)
            continue
        default = _default_of(fields[key])
        if default == () and "item" in fields[key].metadata:
            default = (fields[key].metadata["item"],)
        value = _coerce(data[key], default, source, where, problems)
        if value is not None:
            kwargs[key] = value
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:  # pragma: no cover - coercion guards this
        problems.add(source, str(exc), field=prefix.rstrip(".") or None)
        return cls()


def _default_of(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def _coerce(value: Any, default: Any, source: str, where: str, problems: ProblemList) -> Any:
    """Check ``value`` against the type of the default; return it converted or ``None``."""

    def bad(expected: str) -> None:
        problems.add(source, "wrong type", field=where, value=repr(value), expected=expected)

    if isinstance(default, bool):
        return value if isinstance(value, bool) else bad("true or false")
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT
        return value if ok else bad(f"a whole number from 0 to {MAX_COUNT}")
    if isinstance(default, float):
        ok = (isinstance(value, int | float) and not isinstance(value, bool)
              and 0 <= value <= MAX_NUMBER)  # NaN and inf fail the comparison
        return float(value) if ok else bad(f"a number from 0 to {MAX_NUMBER:.0f}")
    if isinstance(default, str):
        if not isinstance(value, str):
            return bad("text")
        if bad_text(value):
            return bad(str(bad_text(value)))
        if _HHMM.fullmatch(default) and not _HHMM.fullmatch(value):
            return bad("a time of day HH:MM")
        return value
    if isinstance(default, Mapping):
        sample = next(iter(default.values()), 0)
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            return bad("a table")
        out = {}
        for k in sorted(value):
            v = _coerce(value[k], sample, source, f"{where}.{k}", problems)
            if v is None:
                return None
            out[k] = v
        return out
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple):
            return bad("a list")
        sample = default[0] if default else ""
        items = []
        for i, item in enumerate(value):
            converted = _coerce(item, sample, source, f"{where}[{i}]", problems)
            if converted is None:
                return None
            items.append(converted)
        if isinstance(sample, tuple) and any(len(x) != len(sample) for x in items):
            return bad(f"a list of {len(sample)}-item lists")
        return tuple(items)
    return value  # pragma: no cover - every policy field has a typed default


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
