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
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import DataError, Problem, ProblemList

__all__ = [
    "AssignmentPolicy",
    "CalendarPolicy",
    "HotlinePolicy",
    "LedgerPolicy",
    "Policy",
    "PublicFields",
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


@attrs.frozen
class VisitPolicy:
    """On-site service days (到村服务) — Zhashui county practice."""

    per_month: Mapping[str, int] = attrs.field(
        factory=lambda: {"community": 2, "suburban": 2, "remote": 1}
    )
    """Duty days a month per village service class."""
    start: str = "09:00"
    """Visit hours, local time."""
    end: str = "17:00"
    """End of visit hours, local time."""
    max_per_day: int = 1
    """Villages one advisor serves in one day…"""
    max_per_day_nearby: int = 2
    """…or this many when the villages are within ``nearby_km`` of each other."""
    nearby_km: float = 15.0
    """Road km within which villages count as nearby for ``max_per_day_nearby``."""
    lectures_per_quarter: int = 1
    """Legal lectures (普法讲座) per village per quarter."""


@attrs.frozen
class AssignmentPolicy:
    """Covering villages with advisors (一村(居)一法律顾问)."""

    default_capacity: int = 4
    """Villages per advisor when advisors.csv leaves capacity empty (Qinghai: ≈3.4)."""
    max_travel_km: float = 80.0
    """Road km from the advisor's office to a village they may serve."""
    max_travel_minutes: float = 0.0
    """Alternative limit by travel time; 0 means not used."""
    stability_km: float = 5.0
    """An unpinned existing contract moves only if that saves more road km than this."""
    other_township_km: float = 10.0
    """Cost, in km, of serving a village outside the advisor's nearest township."""
    balance_weight: float = 0.0
    """Cost, in km, per village of load above the mean (0: no balancing)."""
    excluded: tuple[tuple[str, str], ...] = attrs.field(default=(), metadata={"item": ("", "")})
    """(village, advisor) pairs that must not be assigned (conflicts of interest)."""


@attrs.frozen
class HotlinePolicy:
    """The 12348 public legal service hotline rota."""

    shifts: tuple[tuple[str, str], ...] = (("08:00", "14:00"), ("14:00", "20:00"))
    """Daily shifts as (start, end) times of day."""
    weekends_open: bool = True
    """The hotline is staffed on Saturdays and Sundays."""
    holidays_closed: bool = True
    """No shifts on statutory holidays."""
    lawyers_per_shift: int = 1
    """Lawyers on duty on each shift."""
    required_languages: tuple[str, ...] = ("bo",)
    """At least one lawyer speaking each of these on every shift."""
    max_shifts_per_month: int = 3
    """Most shifts one lawyer takes in a month (Jiaozuo: 2–3)."""
    max_shifts_per_day: int = 1
    """Most shifts one lawyer takes in a day."""
    evening_after: str = "18:00"
    """A shift ending after this time is an evening shift (balanced separately)."""
    venue: str = ""
    """Venue id where the hotline is staffed (travel to and from shifts is measured from
    there); empty: each lawyer takes calls at their own office."""


@attrs.frozen
class TrainingPolicy:
    """Training of legal-savvy persons, cadres and liaison officers."""

    legal_savvy_per_village: int = 3
    """Active legal-savvy persons each village should have (national norm: ≥ 3)."""
    sessions_per_person_year: int = 2
    """Group training sessions each person attends a year (Gaoyou: ≥ 2)."""
    new_candidates_per_village_year: int = 1
    """New candidates each village selects a year (Qinghai: ≥ 1)."""
    inactive_after_months: int = 12
    """No attendance for this long: due for removal (动态清退)."""
    removal_after_missed: int = 0
    """Sessions a person was booked into and missed (by the plan and the sign-in sheets)
    that make them due for removal as well; 0: missed sessions alone never do."""
    session_start: str = "09:30"
    """Start of a training session, local time."""
    session_end: str = "12:30"
    """End of a training session, local time."""
    max_participant_travel_km: float = 60.0
    """Road km a participant may be asked to travel to a venue."""
    max_trainer_travel_km: float = 250.0
    """Road km a trainer may travel to a venue, from home or from the previous day's venue."""
    cadres: str = "joint"
    """``joint`` sessions with legal-savvy persons, or ``separate`` sessions."""
    certification_hours: float = 6.0
    """Training hours a candidate needs before certification."""
    curriculum: tuple[str, ...] = (
        "civil_code",
        "land_contract",
        "marriage_family",
        "mediation",
        "domestic_violence",
        "legal_aid",
    )
    """Topic ids in rotation order."""
    topic_names: Mapping[str, str] = attrs.field(
        factory=lambda: {
            "civil_code": "民法典",
            "land_contract": "土地承包",
            "marriage_family": "婚姻家庭",
            "mediation": "人民调解",
            "domestic_violence": "反家庭暴力",
            "legal_aid": "法律援助",
        }
    )
    """Chinese name of each topic, for rosters and notices."""


@attrs.frozen
class CalendarPolicy:
    """What calendar feeds carry."""

    alarm_minutes: tuple[int, ...] = (1440, 60)
    """Reminders before each event."""
    aggregate_alarms: bool = False
    """Reminders in the feeds of many people's events too (``all``, townships): off by
    default, so a coordinator subscribed to everything is not woken by every visit."""
    cancelled_retention_days: int = 30
    """How long a cancelled event stays in feeds so subscribed phones see it."""
    uid_domain: str = "advisors.invalid"
    """Domain part of every event UID (``<event id>@<domain>``); set it to the bureau's own."""
    organizer_name: str = ""
    """Who sends invitations (the justice bureau); shown as ORGANIZER."""
    organizer_email: str = ""
    """Sender of ``.eml`` invitations; empty: no invitations are written."""


@attrs.frozen
class PublicFields:
    """Fields that public outputs (notice boards, public calendars) may show."""

    advisor: tuple[str, ...] = ("name", "organization", "phone", "role")
    """Advisor fields shown publicly (the service phone is meant to be public)."""
    trainer: tuple[str, ...] = ("name",)
    """Trainer fields shown publicly."""
    person: tuple[str, ...] = ("name",)
    """Legal-savvy persons are posted on the notice board by name only."""


@attrs.frozen
class LedgerPolicy:
    """Service ledger (一村一卷), quarterly assessment (考核) and funding (补贴).

    Weights, thresholds, rates and multipliers are one county's practice or
    illustrative; every deployment sets its own (``docs/ledger.md``).
    """

    match_days: int = 7
    """A service day held this many days from its planned day still counts for that visit."""
    late_minutes: int = 30
    """Held on the planned day but starting this much after the planned time: held late."""
    late_credit: float = 0.5
    """Share of a held visit a late one earns in the grade (0..1)."""
    wrong_advisor: str = "warn"
    """A service by an advisor who does not serve the village: ``warn`` (counted and
    listed), ``exclude`` (listed, not counted) or ``error`` (the ledger is refused)."""
    outside_plan: str = "warn"
    """A service day that matches no planned visit: ``warn``, ``exclude`` or ``error``."""
    overlap: str = "exclude"
    """Overlapping records of one advisor (the later one): ``warn``, ``exclude`` or ``error``."""
    keep_names: bool = False
    """Keep villagers' names read from ``services.csv`` (never shown publicly); by
    default only counts are kept."""
    weights: Mapping[str, float] = attrs.field(factory=lambda: {
        "visits": 0.4, "completeness": 0.2, "lectures": 0.2, "satisfaction": 0.2})
    """Weight of each factor of the quarterly grade."""
    grades: Mapping[str, float] = attrs.field(factory=lambda: {
        "excellent": 90.0, "good": 75.0, "pass": 60.0})
    """Lowest score (0–100) of each grade; below ``pass`` is ``fail``."""
    grade_names: Mapping[str, str] = attrs.field(factory=lambda: {
        "excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"})
    """Chinese name of each grade."""
    honour_size: int = 3
    """Advisors on the honour list (红榜): the best scores of grade good or better."""
    warning_size: int = 3
    """Advisors on the warning list (黑榜): the lowest scores below grade good."""
    spot_check_share: float = 0.1
    """Share of each township's villages drawn for the quarterly spot check (抽查)."""
    spot_check_min: int = 1
    """Villages drawn at least, per township."""
    village_subsidy: float = 1500.0
    """Yuan per village a year for its advisor (one county's practice)."""
    service_rates: Mapping[str, float] = attrs.field(factory=lambda: {
        "duty_day": 0.0, "lecture": 200.0, "home_visit": 50.0, "consultation": 0.0,
        "mediation": 100.0, "document_review": 50.0, "legal_aid_referral": 50.0})
    """Yuan per counted service of each kind, on top of the village subsidy (illustrative)."""
    multipliers: Mapping[str, float] = attrs.field(factory=lambda: {
        "excellent": 1.2, "good": 1.0, "pass": 0.8, "fail": 0.5, "ungraded": 1.0})
    """Subsidy and service pay are scaled by the advisor's grade of the quarter."""
    topic_names: Mapping[str, str] = attrs.field(factory=lambda: {
        "land_contract": "土地承包", "marriage_family": "婚姻家庭", "labour_wages": "劳动报酬",
        "neighbour": "邻里纠纷", "inheritance": "继承", "debt": "借贷债务",
        "grassland": "草场纠纷", "legal_aid": "法律援助", "other": "其他"})
    """Chinese name of each consultation topic id (unknown ids are shown as written)."""


_SECTIONS: dict[str, type] = {
    "visits": VisitPolicy,
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

    road_factor: float = 1.4
    """Road km per great-circle km."""
    speed_kmh: float = 40.0
    """Average travel speed, to turn distances into minutes and back."""
    timezone: str = "Asia/Shanghai"
    """IANA time zone of every time of day in the policy and of calendar feeds."""
    visits: VisitPolicy = attrs.field(factory=VisitPolicy)
    assignment: AssignmentPolicy = attrs.field(factory=AssignmentPolicy)
    hotline: HotlinePolicy = attrs.field(factory=HotlinePolicy)
    training: TrainingPolicy = attrs.field(factory=TrainingPolicy)
    calendar: CalendarPolicy = attrs.field(factory=CalendarPolicy)
    public: PublicFields = attrs.field(factory=PublicFields)
    ledger: LedgerPolicy = attrs.field(factory=LedgerPolicy)

    @classmethod
    def from_toml(cls, path: Path) -> Policy:
        """Read ``policy.toml``; every problem is reported with the file and key."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise DataError(
                [Problem(path.name, "file is not UTF-8 text", value=str(exc)[:80])]
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise DataError(
                [Problem(path.name, "not valid TOML", expected="TOML syntax", value=str(exc))]
            ) from None
        return cls.from_dict(data, source=path.name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "policy") -> Policy:
        """Build a policy from plain data (TOML or JSON), defaults where keys are absent."""
        problems = ProblemList()
        policy = _build(cls, data, source, "", problems)
        problems.raise_if_any()
        assert isinstance(policy, Policy)
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
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return value if ok else bad("a whole number ≥ 0")
    if isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        return float(value) if ok else bad("a number ≥ 0")
    if isinstance(default, str):
        if not isinstance(value, str):
            return bad("text")
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
