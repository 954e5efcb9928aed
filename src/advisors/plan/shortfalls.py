"""What a plan could not serve: every village, day or seat left out, why, and the nearest fix.

Gathered from every part's hard violations so that ``advisors plan`` prints
them itself when it exits 3 and ``report.html`` lists them where a
supervisor reads — not "run another command for the analysis".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..assignment import Assignment
from ..hotline.facts import HotlineRota
from ..rules import Analysis, Violation
from ..training.problem import TrainingPlan
from ..visits.visit_plan import VisitPlan
from .timetable import ONE_PLACE

__all__ = ["PARTS", "Shortfall", "shortfall_lines", "shortfalls"]

PARTS: tuple[str, ...] = ("coverage", "hotline", "visits", "training", "timetable")
"""The parts of a plan, in the order they are told."""

_FIXES: dict[str, str] = {
    "Visit count": "free a day of the advisor (an absence, a hotline shift) or give the "
                   "village another advisor of record",
    "Lecture missing": "free a day of the advisor in the lecture month",
    "Village without advisor": "assign an advisor of record (advisors assign)",
    "Advisor inactive": "assign an active advisor of record",
    "Advisor unavailable": "move the visit, or unpin it",
    "Shift understaffed": "add a hotline lawyer who speaks the required languages, or raise "
                          "hotline.max_shifts_per_month",
    "Language missing": "put a speaker of the language on the shift: add one to the rota",
    "Lawyer unavailable": "unpin the shift so that another lawyer takes it",
    "Too many shifts a month": "raise hotline.max_shifts_per_month or add hotline lawyers",
    "Too many shifts a day": "raise hotline.max_shifts_per_day or add hotline lawyers",
    "session_target": "add a trainer who speaks their languages within reach, or raise a "
                      "trainer's max_sessions_per_month",
    ONE_PLACE: "plan with a built-in strategy (it plans around every booking), or move "
               "one of the two bookings",
}


_LABELS: dict[str, str] = {
    "session_target": "People short of their training sessions",
    "trainer_double_booked": "Trainer double-booked",
    "trainer_available": "Trainer unavailable",
    "trainer_monthly_limit": "Trainer over the monthly limit",
}


def _label(rule: str) -> str:
    # training names its rules as codes; people read words
    return _LABELS.get(rule) or (rule.replace("_", " ").capitalize() if "_" in rule else rule)


@attrs.frozen
class Shortfall:
    """One thing the plan does not serve as a hard rule asks."""

    part: str
    """``coverage``, ``hotline``, ``visits``, ``training`` or ``timetable``."""
    rule: str
    """The rule's readable name."""
    reason: str
    """The sentence saying what is left out and why."""
    fix: str
    """The nearest change that would serve it."""


def _from(part: str, found: Iterable[Violation]) -> list[Shortfall]:
    return [Shortfall(part, _label(v.rule), v.message, _FIXES.get(v.rule, "")) for v in found]


def shortfalls(assignment: Assignment, hotline: HotlineRota, visits: VisitPlan,
               training: TrainingPlan, timetable: Analysis) -> list[Shortfall]:
    """Every hard shortfall of a plan's parts, each with its reason and nearest fix."""
    out = [Shortfall("coverage", "Village without advisor", u.message,
                     u.fix or _FIXES["Village without advisor"])
           for u in assignment.uncovered]
    out += _from("hotline", hotline.analysis.hard)
    out += _from("visits", visits.analysis.hard)
    # the planner's own sentence says why people got no session; the rules count them
    why = training.unmet or training.analysis.hard
    out += [Shortfall("training", _label(v.rule), v.message, _FIXES.get(v.rule, ""))
            for v in why]
    if training.unmet:
        out += [Shortfall("training", _label(v.rule), v.message, _FIXES.get(v.rule, ""))
                for v in training.analysis.hard if v.rule != "session_target"]
    out += _from("timetable", timetable.hard)
    return out


def shortfall_lines(found: Sequence[Shortfall], limit: int = 5) -> list[str]:
    """Grouped by part and rule, at most ``limit`` under each, with the count of the rest."""
    lines: list[str] = []
    for part in PARTS:
        mine = [s for s in found if s.part == part]
        if not mine:
            continue
        lines.append(f"{part}: {len(mine)} not served")
        rules: dict[str, list[Shortfall]] = {}
        for s in mine:
            rules.setdefault(s.rule, []).append(s)
        for rule, items in rules.items():
            fix = f" — fix: {items[0].fix}" if items[0].fix else ""
            lines.append(f"  {rule} ({len(items)}){fix}")
            lines.extend(f"    - {s.reason}" for s in items[:limit])
            if len(items) > limit:
                lines.append(f"    … and {len(items) - limit} more (all in report.html)")
    return lines
