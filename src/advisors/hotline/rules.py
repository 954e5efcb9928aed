"""The rules of the 12348 hotline rota, one named function each.

Each function takes the :class:`~advisors.hotline.facts.HotlineFacts` and the
rota's shifts and yields a :class:`~advisors.rules.Violation` per match;
:data:`HOTLINE_RULES` says which are hard. Fairness is judged on counts that
include the history, so it carries over from one period to the next.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence

from ..languages import language_name
from ..period import month_of
from ..rules import Rule, Violation
from ..wording import Joined, Langs, Month, Ref, Text
from .facts import Counts, DutyShift, HotlineFacts, Slot

__all__ = ["FAIRNESS_WEIGHTS", "HOTLINE_RULES", "counts_of", "language_name"]

FAIRNESS_WEIGHTS = {"total": 10, "weekend": 5, "evening": 5}
"""Penalty per shift of spread beyond one, for each balanced count."""

_UNFAIR: dict[str, str] = {
    "total": "shifts range from {lo} ({least}) to {hi} ({most}), history included",
    "weekend": "weekend shifts range from {lo} ({least}) to {hi} ({most}), history included",
    "evening": "evening shifts range from {lo} ({least}) to {hi} ({most}), history included",
}
"""The sentence of each fairness rule, whole, as the catalogs translate it."""

Shifts = Sequence["DutyShift"]



def counts_of(problem: HotlineFacts, shifts: Shifts) -> dict[str, Counts]:
    """Eligible lawyer → shifts of the history plus ``shifts``."""
    slots = problem.slot_by_id
    out = {lawyer: problem.past.get(lawyer, Counts()) for lawyer in problem.eligible}
    for s in shifts:
        slot = slots.get(s.id)
        if s.lawyer in out and slot is not None:
            out[s.lawyer] = out[s.lawyer].plus(slot.weekend, slot.evening)
    return out


def _shift_text(day: dt.date, start: str, end: str) -> Text:
    return Text.of("{day} {start}–{end}", day=day, start=start, end=end)


def _lang(tag: str) -> Langs:
    return Langs((tag,), language_name(tag))


def _why_empty(problem: HotlineFacts, slot: Slot, shifts: Shifts) -> Text:
    policy = problem.dataset.policy.hotline
    month = month_of(slot.date)
    on_shift = [s.lawyer for s in shifts if (s.date, s.index) == (slot.date, slot.index)]
    candidates = [a.id for a in problem.lawyers if problem.can_take(a.id, slot)]
    missing = [lang for lang in policy.required_languages
               if not any(problem.speaks(x, lang) for x in on_shift)]
    if not candidates:
        if problem.busy is not None and any(
                problem.calendar.is_available(a.id, slot.date) for a in problem.lawyers):
            # free that day, but their service days or training leave no time (travel included)
            return Text.of("every hotline lawyer free that day is booked elsewhere at that time")
        return Text.of("no hotline lawyer is available")
    for lang in missing:
        speakers = [c for c in candidates if problem.speaks(c, lang)]
        if not speakers:
            return Text.of("nobody available who speaks {langs}", langs=_lang(lang))
        candidates = speakers
    used_month: dict[str, int] = {}
    used_day: dict[str, int] = {}
    for s in shifts:
        if month_of(s.date) == month:
            used_month[s.lawyer] = used_month.get(s.lawyer, 0) + 1
        if s.date == slot.date:
            used_day[s.lawyer] = used_day.get(s.lawyer, 0) + 1
    langs = Langs(missing, " and ".join(language_name(m) for m in missing))
    who = (Text.of("every available {langs} speaker", langs=langs) if missing
           else Text.of("every available lawyer"))
    free = [c for c in candidates if used_month.get(c, 0) < problem.month_cap(c, month)]
    if not free:
        return Text.of("{who} already has {n} shifts in {month}", who=who,
                       n=policy.max_shifts_per_month, month=Month(month))
    if all(used_day.get(c, 0) >= policy.max_shifts_per_day for c in free):
        return Text.of("{who} with shifts left in {month} is already on duty that day", who=who,
                       month=Month(month))
    return Text.of("the strategy left it empty (a better strategy may staff it)")


def shift_understaffed(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """Every seat of every shift on every open day is staffed."""
    staffed = {s.id for s in shifts}
    for slot in problem.slots:
        if slot.id not in staffed:
            yield Violation.said(Text.of("{shift} seat {seat}: {why}",
                                         shift=_shift_text(slot.date, slot.start, slot.end),
                                         seat=slot.slot, why=_why_empty(problem, slot, shifts)),
                                 (slot.id,), (slot.date,))


def language_missing(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """At least one speaker of each required language on every staffed shift."""
    groups: dict[tuple[dt.date, int], list[DutyShift]] = {}
    for s in shifts:
        groups.setdefault((s.date, s.index), []).append(s)
    for (day, _), group in sorted(groups.items()):
        for lang in problem.dataset.policy.hotline.required_languages:
            if not any(problem.speaks(s.lawyer, lang) for s in group):
                yield Violation.said(Text.of(
                    "{shift}: nobody on duty speaks {langs}",
                    shift=_shift_text(day, group[0].start, group[0].end), langs=_lang(lang)),
                    tuple(s.id for s in group) + tuple(s.lawyer for s in group), (day,))


def closed_or_unknown(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """Shifts only on open days, at the policy's shift times, in the period."""
    slots = problem.slot_by_id
    for s in shifts:
        slot = slots.get(s.id)
        if slot is None or (slot.start, slot.end) != (s.start, s.end):
            yield Violation.said(Text.of(
                "{id} is not a shift of this rota (closed day, another period or other hours)",
                id=s.id, shift=_shift_text(s.date, s.start, s.end),
                lawyer=Ref("advisor", s.lawyer)), (s.id, s.lawyer), (s.date,))


def not_hotline_lawyer(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """Only active lawyers who take hotline shifts."""
    for s in shifts:
        record = problem.lawyer(s.lawyer)
        if record is None or not (record.hotline and record.active):
            yield Violation.said(Text.of("{lawyer} does not take hotline shifts: {id}",
                                         lawyer=Ref("advisor", s.lawyer), id=s.id,
                                         shift=_shift_text(s.date, s.start, s.end)),
                                 (s.lawyer, s.id), (s.date,))


def lawyer_unavailable(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """No shift on a day the lawyer is absent."""
    for s in shifts:
        if not problem.calendar.is_available(s.lawyer, s.date):
            yield Violation.said(Text.of("{lawyer} is away on {day}: {id}",
                                         lawyer=Ref("advisor", s.lawyer), day=s.date, id=s.id,
                                         shift=_shift_text(s.date, s.start, s.end)),
                                 (s.lawyer, s.id), (s.date,))


def double_booked(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """A lawyer is never on two overlapping shifts (or two seats of one)."""
    by: dict[tuple[str, dt.date], list[DutyShift]] = {}
    for s in shifts:
        by.setdefault((s.lawyer, s.date), []).append(s)
    for (lawyer, day), group in sorted(by.items()):
        for a, b in itertools.combinations(group, 2):
            if a.start < b.end and b.start < a.end:
                yield Violation.said(Text.of(
                    "{lawyer} is on {first} and {second} at once", lawyer=Ref("advisor", lawyer),
                    first=a.id, second=b.id, day=day,
                    first_shift=_shift_text(a.date, a.start, a.end),
                    second_shift=_shift_text(b.date, b.start, b.end)),
                    (lawyer, a.id, b.id), (day,))


def too_many_a_day(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """At most ``max_shifts_per_day`` shifts a lawyer a day, history included."""
    limit = problem.dataset.policy.hotline.max_shifts_per_day
    count: dict[tuple[str, dt.date], int] = {}
    for s in shifts:
        count[(s.lawyer, s.date)] = count.get((s.lawyer, s.date), 0) + 1
    for (lawyer, day), n in sorted(count.items()):
        n += problem.past_days.get((lawyer, day), 0)
        if n > limit:
            yield Violation.said(Text.of("{lawyer} has {n} shifts on {day}; at most {limit}",
                                         lawyer=Ref("advisor", lawyer), n=n, day=day,
                                         limit=limit), (lawyer,), (day,))


def too_many_a_month(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """At most ``max_shifts_per_month`` shifts a lawyer a month, history included."""
    limit = problem.dataset.policy.hotline.max_shifts_per_month
    count: dict[tuple[str, str], int] = {}
    for s in shifts:
        key = (s.lawyer, month_of(s.date))
        count[key] = count.get(key, 0) + 1
    for (lawyer, month), n in sorted(count.items()):
        n += problem.past_in_month.get((lawyer, month), 0)
        if n > limit:
            yield Violation.said(Text.of("{lawyer} has {n} shifts in {month}; at most {limit}",
                                         lawyer=Ref("advisor", lawyer), n=n, month=Month(month),
                                         limit=limit), (lawyer,))


def _unfair(problem: HotlineFacts, shifts: Shifts, what: str) -> Iterator[Violation]:
    counts: Mapping[str, Counts] = counts_of(problem, shifts)
    if len(counts) < 2:
        return
    values = {k: getattr(c, what) for k, c in counts.items()}
    hi, lo = max(values.values()), min(values.values())
    if hi - lo > 1:
        most = tuple(sorted(k for k, v in values.items() if v == hi))
        least = tuple(sorted(k for k, v in values.items() if v == lo))
        yield Violation.said(Text.of(_UNFAIR[what], lo=lo, hi=hi,
                                     least=Joined([Ref("advisor", k) for k in least]),
                                     most=Joined([Ref("advisor", k) for k in most])),
                             most + least, (), FAIRNESS_WEIGHTS[what] * (hi - lo - 1),
                             hard=False)



def unfair_total(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """Shift counts of eligible lawyers differ by at most one, history included."""
    return _unfair(problem, shifts, "total")


def unfair_weekend(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """Rest-day shift counts differ by at most one, history included."""
    return _unfair(problem, shifts, "weekend")


def unfair_evening(problem: HotlineFacts, shifts: Shifts) -> Iterator[Violation]:
    """Evening shift counts differ by at most one, history included."""
    return _unfair(problem, shifts, "evening")


HOTLINE_RULES: tuple[Rule[HotlineFacts, DutyShift], ...] = (
    Rule("Shift understaffed", True, shift_understaffed),
    Rule("Language missing", True, language_missing),
    Rule("Not a shift", True, closed_or_unknown),
    Rule("Not a hotline lawyer", True, not_hotline_lawyer),
    Rule("Lawyer unavailable", True, lawyer_unavailable),
    Rule("Lawyer double-booked", True, double_booked),
    Rule("Too many shifts a day", True, too_many_a_day),
    Rule("Too many shifts a month", True, too_many_a_month),
    Rule("Unfair shift counts", False, unfair_total),
    Rule("Unfair weekend shifts", False, unfair_weekend),
    Rule("Unfair evening shifts", False, unfair_evening),
)
"""Every hotline rule, hard first."""
