"""The sections of the policy: one attrs class per ``policy.toml`` table, with defaults.

Every default is national practice or says where it comes from (one county's
practice, a province, or "assumption"); a region's own values are a named
preset (:mod:`advisors.policy.presets`). :class:`advisors.policy.Policy` holds
one of each.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = [
    "AssignmentPolicy",
    "CalendarPolicy",
    "HotlinePolicy",
    "LedgerPolicy",
    "PublicFields",
    "RequestPolicy",
    "TrainingPolicy",
    "VisitPolicy",
]


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
class RequestPolicy:
    """Legal-aid priority requests (法律援助优先, seed plan §五).

    The seed plan says priority groups are served first, by appointment or at
    home, but gives no number of days: the day counts are an assumption.
    """

    priority_days: int = 5
    """Working days within which a priority group's request is served (assumption)."""
    other_days: int = 10
    """Working days within which any other request is served (assumption)."""
    max_per_visit: int = 4
    """Requests one service day takes besides its duty (assumption)."""
    home_visit_minutes: int = 180
    """Length of an extra home visit, from the start of visit hours (assumption)."""
    prefer_legal_aid: bool = True
    """A priority group's extra home visit goes to legal-aid staff (法律援助中心) who speak
    the language before the advisor of record (seed plan §五)."""


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
    required_languages: tuple[str, ...] = ()
    """At least one lawyer speaking each of these on every shift (none nationally; the
    ``qinghai-tibetan-area`` preset asks for ``bo``)."""
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
    instruction: str = attrs.field(default="first",
                                   validator=attrs.validators.in_(("first", "fewest")))
    """``first``: a session is taught in each member's first language the trainer speaks
    (one bilingual session for a mixed group — practitioner's review, DOMAIN.md);
    ``fewest``: in the fewest languages every member understands."""
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
    extended_festivals: tuple[str, ...] = ()
    """Festivals (by name in ``calendar.toml``) whose closure lasts longer in some kinds of
    township, per ``extended_days``; none by default."""
    extended_days: Mapping[str, int] = attrs.field(factory=dict)
    """Township kind → days from the first day of an ``extended_festivals`` festival that
    work stays closed there (herding areas and Losar: until 正月十五, 15 — practitioner's
    review, DOMAIN.md)."""


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
    paid_roles: tuple[str, ...] = ("lawyer", "legal_worker", "notary", "legal_aid")
    """Advisor roles paid the village subsidy and service rates. 司法所 staff
    (``justice_office``) are civil servants, unpaid by the subsidy (practitioner's review,
    DOMAIN.md); the bureau's own public lawyers (``public_lawyer``) likewise (assumption)."""
    graded_roles: tuple[str, ...] = ("lawyer", "legal_worker", "notary", "public_lawyer",
                                     "legal_aid")
    """Advisor roles graded in the quarterly assessment; 司法所 staff supervise the programme
    and are graded by the bureau separately (assumption): add ``justice_office`` to grade them
    with the advisors."""
    topic_names: Mapping[str, str] = attrs.field(factory=lambda: {
        "land_contract": "土地承包", "marriage_family": "婚姻家庭", "labour_wages": "劳动报酬",
        "neighbour": "邻里纠纷", "inheritance": "继承", "debt": "借贷债务",
        "grassland": "草场纠纷", "legal_aid": "法律援助", "other": "其他"})
    """Chinese name of each consultation topic id (unknown ids are shown as written)."""
