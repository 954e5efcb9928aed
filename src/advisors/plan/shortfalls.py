"""What a plan could not serve: every village, day or seat left out, why, and the nearest fix.

Gathered from every part's hard violations so that ``advisors plan`` prints
them itself when it exits 3 and ``report.html`` lists them where a
supervisor reads — not "run another command for the analysis". Each keeps
its rule's :class:`~advisors.wording.Text`, so that both tell it in the
reader's language (:meth:`Shortfall.told`), names for ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..assignment import Assignment
from ..hotline.facts import HotlineRota
from ..rules import Analysis, Violation
from ..training.problem import TrainingPlan, TrainingViolation
from ..visits.visit_plan import VisitPlan
from ..wording import Text
from .telling import Teller
from .timetable import ONE_PLACE

__all__ = ["PARTS", "PART_LABELS", "Shortfall", "rule_label", "shortfall_lines", "shortfalls"]

PARTS: tuple[str, ...] = ("coverage", "hotline", "visits", "training", "timetable")
"""The parts of a plan, in the order they are told."""

PART_LABELS: dict[str, str] = {"coverage": "Village coverage", "hotline": "12348 hotline duty",
                               "visits": "On-site service days", "training": "Training sessions",
                               "timetable": "One person, one place"}
"""Msgids naming each part of a plan where people read (its code is for developers)."""

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
    "Request not met in time": "free a day of an advisor who speaks the requester's language "
                               "before the deadline, or add legal-aid staff who speak it",
    "Request language": "give the village an advisor of record or legal-aid staff who speaks "
                        "the requester's language",
    "Home visit clash": "move the home visit to a day the advisor is free",
}


_LABELS: dict[str, str] = {
    "session_target": "People short of their training sessions",
    "trainer_double_booked": "Trainer double-booked",
    "trainer_available": "Trainer unavailable",
    "trainer_monthly_limit": "Trainer over the monthly limit",
    "language": "Teaching language",
}


def rule_label(rule: str) -> str:
    """A rule's name as people read it (training names its rules as codes)."""
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
    text: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``reason`` as a sentence to tell in the reader's language."""
    fix_text: Text | None = attrs.field(default=None, eq=False, repr=False)
    """``fix`` as a sentence, where it names records (else ``fix`` is itself a msgid)."""

    def told(self, teller: Teller) -> Shortfall:
        """This shortfall in the teller's language: rule, reason and fix (the part stays)."""
        return Shortfall(self.part, teller.label(self.rule),
                         teller(self.text) if self.text is not None else self.reason,
                         teller(self.fix_text) if self.fix_text is not None
                         else teller.label(self.fix))


def _from(part: str, found: Iterable[Violation | TrainingViolation]) -> list[Shortfall]:
    return [Shortfall(part, rule_label(v.rule), v.message, _FIXES.get(v.rule, ""), v.text)
            for v in found]


def shortfalls(assignment: Assignment, hotline: HotlineRota, visits: VisitPlan,
               training: TrainingPlan, timetable: Analysis) -> list[Shortfall]:
    """Every hard shortfall of a plan's parts, each with its reason and nearest fix."""
    out = [Shortfall("coverage", "Village without advisor", u.message,
                     u.fix or _FIXES["Village without advisor"], u.text, u.fix_text)
           for u in assignment.uncovered]
    out += _from("hotline", hotline.analysis.hard)
    out += _from("visits", visits.analysis.hard)
    # the planner's own sentence says why people got no session; the rules count them
    why = training.unmet or training.analysis.hard
    out += _from("training", why)
    if training.unmet:
        out += _from("training", [v for v in training.analysis.hard
                                  if v.rule != "session_target"])
    out += _from("timetable", timetable.hard)
    return out


def shortfall_lines(found: Sequence[Shortfall], limit: int = 5,
                    teller: Teller | None = None) -> list[str]:
    """Grouped by part and rule, at most ``limit`` under each, with the count of the rest;
    told by ``teller`` in its language (as written without one)."""

    def say(msgid: str, **values: object) -> str:
        return (teller.label(msgid) if teller else msgid).format_map(values)

    lines: list[str] = []
    for part in PARTS:
        mine = [s for s in found if s.part == part]
        if not mine:
            continue
        if teller is not None:
            mine = [s.told(teller) for s in mine]
        name = part if teller is None or teller.english else teller.label(PART_LABELS[part])
        lines.append(say("{part}: {n} not served", part=name, n=len(mine)))
        rules: dict[str, list[Shortfall]] = {}
        for s in mine:
            rules.setdefault(s.rule, []).append(s)
        for rule, items in rules.items():
            fix = say(" — fix: {fix}", fix=items[0].fix) if items[0].fix else ""
            lines.append(f"  {say('{rule} ({n})', rule=rule, n=len(items))}{fix}")
            lines.extend(f"    - {s.reason}" for s in items[:limit])
            if len(items) > limit:
                lines.append("    " + say("… and {n} more (all in report.html)",
                                          n=len(items) - limit))
    return lines
