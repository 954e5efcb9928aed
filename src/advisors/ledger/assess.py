"""Quarterly assessment (季度考核): a grade per advisor, explained, ranked, and a spot check.

Each advisor's score (0–100) is the weighted mean of four factors, each a
share from 0 to 1, with the weights of ``[ledger] weights``:

``visits``
    planned visits held, a late one earning ``late_credit`` of a visit;
``completeness``
    counted ledger records with people served and a note filled in;
``lectures``
    planned legal lectures held (at most 1);
``satisfaction``
    the villagers' mean score from ``feedback.csv``, 1 → 0 and 5 → 1.

A factor that does not apply (no planned visits, no records, no lecture due,
no feedback) is left out and its weight shared among the others, which the
explanation says. The grade is the best of ``[ledger] grades`` whose lowest
score is reached, else ``fail``. The score rises with every factor of
positive weight, so the grade never falls when an advisor does more.

The honour list (红榜) is the best ``honour_size`` scores of grade good or
better; the warning list (黑榜) the lowest ``warning_size`` below good. The
spot check (抽查) draws ``spot_check_share`` of each township's villages (at
least ``spot_check_min``) with a generator seeded by the seed, quarter and
township: the same seed gives the same villages.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from ..data.dataset import Dataset
from ..errors import DataError, Problem
from ..policy import LedgerPolicy
from .effective import Figures, Ledger
from .records import SERVICE_KINDS, Feedback

__all__ = ["FACTORS", "GRADES", "Assessment", "Factor", "Grade", "assess", "check_policy",
           "grade_of", "grades_rows", "score_of", "spot_check"]

FACTORS: Final = ("visits", "completeness", "lectures", "satisfaction")
"""The weighted factors of a grade, in explanation order."""
GRADES: Final = ("excellent", "good", "pass", "fail")
"""Grades, best first; ``ungraded`` when no factor applies."""
FACTOR_NAMES: Final = {"visits": "到村服务", "completeness": "台账完整", "lectures": "法治讲座",
                       "satisfaction": "群众满意度"}
"""Chinese name of each factor."""


def check_policy(policy: LedgerPolicy) -> None:
    """Raise DataError when the assessment part of the policy is unusable."""
    bad = [Problem("policy", "unknown factor", field=f"ledger.weights.{k}", value=k,
                   expected="one of " + ", ".join(FACTORS))
           for k in policy.weights if k not in FACTORS]
    bad += [Problem("policy", "unknown grade", field=f"ledger.grades.{k}", value=k,
                    expected="one of excellent, good, pass")
            for k in policy.grades if k not in GRADES[:3]]
    bad += [Problem("policy", "unknown grade", field=f"ledger.multipliers.{k}", value=k,
                    expected="one of " + ", ".join((*GRADES, "ungraded")))
            for k in policy.multipliers if k not in (*GRADES, "ungraded")]
    bad += [Problem("policy", "unknown service kind", field=f"ledger.service_rates.{k}",
                    value=k, expected="one of " + ", ".join(SERVICE_KINDS))
            for k in policy.service_rates if k not in SERVICE_KINDS]
    if policy.late_credit > 1:
        bad.append(Problem("policy", "credit above 1", field="ledger.late_credit",
                           value=str(policy.late_credit), expected="a number from 0 to 1"))
    if any(v > 100 for v in policy.grades.values()):
        bad.append(Problem("policy", "threshold above 100", field="ledger.grades",
                           expected="scores from 0 to 100"))
    if bad:
        raise DataError(bad)


@attrs.frozen
class Factor:
    """One factor of a grade: its share, weight, and how it was found."""

    name: str
    value: float | None
    """0..1; ``None`` when the factor does not apply this quarter."""
    weight: float
    detail: str
    """How the value was found, in figures (``11 held + 1 late × 0.5 of 12 planned``)."""

    @property
    def label(self) -> str:
        """Chinese name of the factor."""
        return FACTOR_NAMES.get(self.name, self.name)


Say = Callable[..., str]
"""``say(msgid, context, **values)``: a message in the reader's language."""


def as_written(msgid: str, context: str = "ui", /, **values: Any) -> str:
    """The English message with its values: how :meth:`Grade.lines` words by default."""
    return msgid.format_map(values) if values else msgid


@attrs.frozen
class Grade:
    """One advisor's grade of the quarter."""

    advisor: str
    score: float | None
    """0–100, one decimal; ``None`` when no factor applies."""
    grade: str
    """One of :data:`GRADES` or ``ungraded``."""
    factors: tuple[Factor, ...]
    rank: int = 0
    """1 for the best score; 0 for ungraded."""

    def lines(self, say: Say | None = None) -> list[str]:
        """The grade explained line by line; ``say`` words each line (a message id, a
        context — ``factor`` for a factor's name and detail, ``grade`` for the grade —
        and the values), as written in English by default."""
        word = say or as_written
        used = sum(f.weight for f in self.factors if f.value is not None and f.weight > 0)
        out = []
        for f in self.factors:
            name, detail = word(f.name, "factor"), word(f.detail, "factor")
            if f.weight <= 0:
                out.append(word("{name}: weight 0, not scored ({detail})", "ui", name=name,
                                detail=detail))
            elif f.value is None:
                out.append(word("{name}: does not apply ({detail}); its weight {weight} is "
                                "shared among the others", "ui", name=name, detail=detail,
                                weight=f"{f.weight:g}"))
            else:
                out.append(word("{name}: {detail} = {value} × weight {weight} (of {used}) → "
                                "{points} points", "ui", name=name, detail=detail,
                                value=f"{f.value:.3f}", weight=f"{f.weight:g}",
                                used=f"{used:g}",
                                points=f"{100 * f.value * f.weight / used:.1f}"))
        if self.score is None:
            out.append(word("no factor applies: ungraded", "ui"))
        else:
            out.append(word("score {score} → {grade}", "ui", score=f"{self.score:.1f}",
                            grade=word(self.grade, "grade")))
        return out

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""
        return {"advisor": self.advisor, "score": self.score, "grade": self.grade,
                "rank": self.rank,
                "factors": [{"name": f.name, "value": f.value, "weight": f.weight,
                             "detail": f.detail} for f in self.factors],
                "explanation": self.lines()}


def score_of(values: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Weighted mean × 100 of the factors that apply; ``None`` if none does."""
    used = [(min(1.0, max(0.0, v)), weights.get(k, 0.0)) for k, v in sorted(values.items())
            if v is not None and weights.get(k, 0.0) > 0]
    total = sum(w for _, w in used)
    if not used or total <= 0:
        return None
    return round(100 * sum(v * w for v, w in used) / total, 1)


def grade_of(score: float | None, thresholds: Mapping[str, float]) -> str:
    """The best grade whose lowest score ``score`` reaches; ``fail`` below all."""
    if score is None:
        return "ungraded"
    for name in GRADES[:3]:
        if name in thresholds and score >= thresholds[name]:
            return name
    return "fail"


def _factors(figures: Figures, scores: Sequence[int], policy: LedgerPolicy) -> list[Factor]:
    w = policy.weights
    credit = policy.late_credit
    visits = (None if figures.planned == 0
              else (figures.held + credit * figures.late) / figures.planned)
    complete = None if figures.records == 0 else figures.complete / figures.records
    lectures = (None if figures.lectures_planned == 0
                else min(1.0, figures.lectures_held / figures.lectures_planned))
    mean = sum(scores) / len(scores) if scores else None
    return [
        Factor("visits", visits, w.get("visits", 0.0),
               f"{figures.held} held + {figures.late} late × {credit:g} of "
               f"{figures.planned} planned ({figures.missed} missed)"),
        Factor("completeness", complete, w.get("completeness", 0.0),
               f"{figures.complete} of {figures.records} records complete"),
        Factor("lectures", lectures, w.get("lectures", 0.0),
               f"{figures.lectures_held} held of {figures.lectures_planned} planned"),
        Factor("satisfaction", None if mean is None else (mean - 1) / 4,
               w.get("satisfaction", 0.0),
               "no feedback" if mean is None
               else f"mean score {mean:.2f} of {len(scores)} (1 → 0, 5 → 1)"),
    ]


@attrs.frozen
class Assessment:
    """The quarter's grades, ranked, with the honour and warning lists and the spot check."""

    quarter: str
    grades: tuple[Grade, ...]
    """Ranked: best score first, then by advisor id; ungraded last."""
    honour: tuple[str, ...]
    """Advisor ids on the honour list (红榜), best first."""
    warning: tuple[str, ...]
    """Advisor ids on the warning list (黑榜), lowest first."""
    spot_check: Mapping[str, tuple[str, ...]]
    """Township → villages drawn for inspection."""
    seed: int = 0

    @functools.cached_property
    def _grade(self) -> dict[str, str]:
        return {g.advisor: g.grade for g in self.grades}

    def grade_of(self, advisor: str) -> str:
        """An advisor's grade (``ungraded`` when absent)."""
        return self._grade.get(advisor, "ungraded")

    def as_dict(self) -> dict[str, Any]:
        """Plain form."""
        return {"quarter": self.quarter, "seed": self.seed,
                "grades": [g.as_dict() for g in self.grades],
                "honour": list(self.honour), "warning": list(self.warning),
                "spot_check": {k: list(v) for k, v in self.spot_check.items()}}


def spot_check(dataset: Dataset, quarter: str, seed: int = 0) -> dict[str, tuple[str, ...]]:
    """Villages drawn for the quarter's inspection, per township (same seed, same draw)."""
    policy = dataset.policy.ledger
    out: dict[str, tuple[str, ...]] = {}
    for township in sorted(dataset.townships, key=lambda t: t.id):
        ids = sorted(v.id for v in dataset.villages_of_township.get(township.id, ()))
        if not ids:
            continue
        k = min(len(ids), max(policy.spot_check_min,
                              math.ceil(policy.spot_check_share * len(ids))))
        rng = random.Random(f"{seed}/{quarter}/{township.id}")
        out[township.id] = tuple(sorted(rng.sample(ids, k)))
    return out


def assess(dataset: Dataset, ledger: Ledger, feedback: Iterable[Feedback] = (),
           seed: int = 0) -> Assessment:
    """Grade every advisor with planned visits or records in the ledger's period."""
    policy = dataset.policy.ledger
    check_policy(policy)
    scores: dict[str, list[int]] = {}
    for f in feedback:
        if f.date in ledger.period:
            scores.setdefault(f.advisor, []).append(f.score)
    graded = []
    graded_roles = set(policy.graded_roles)
    for advisor in sorted(set(ledger.by_advisor) | set(scores)):
        person = dataset.advisor_by_id.get(advisor)
        if person is not None and person.role not in graded_roles:
            continue  # e.g. 司法所 staff: graded by the bureau separately, per the policy
        figures = ledger.by_advisor.get(advisor, Figures())
        factors = _factors(figures, scores.get(advisor, []), policy)
        score = score_of({f.name: f.value for f in factors},
                         {f.name: f.weight for f in factors})
        graded.append(Grade(advisor, score, grade_of(score, policy.grades), tuple(factors)))
    scored = sorted((g for g in graded if g.score is not None),
                    key=lambda g: (-(g.score or 0.0), g.advisor))
    ranked: list[Grade] = []
    for i, g in enumerate(scored):
        tied = ranked and ranked[-1].score == g.score
        ranked.append(attrs.evolve(g, rank=ranked[-1].rank if tied else i + 1))
    ranked += [g for g in graded if g.score is None]
    good = policy.grades.get("good", 0.0)
    honour = tuple(g.advisor for g in ranked if g.score is not None and g.score >= good)
    warning = tuple(g.advisor for g in reversed(scored) if (g.score or 0.0) < good)
    return Assessment(ledger.period.label, tuple(ranked), honour[:policy.honour_size],
                      warning[:policy.warning_size], spot_check(dataset, ledger.period.label,
                                                                seed), seed)


def grades_rows(dataset: Dataset, assessment: Assessment) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of ``grades.csv``: rank, advisor, factors, score, grade, explanation."""
    header = ["rank", "advisor", "name", "organization", "score", "grade", "grade_zh",
              "visits", "completeness", "lectures", "satisfaction", "honour", "warning",
              "explanation"]
    names = dataset.policy.ledger.grade_names
    rows: list[list[Any]] = []
    for g in assessment.grades:
        person = dataset.advisor_by_id.get(g.advisor)
        values = {f.name: ("" if f.value is None else f"{f.value:.3f}") for f in g.factors}
        rows.append([g.rank or "", g.advisor, person.name if person else "",
                     person.organization if person else "",
                     "" if g.score is None else f"{g.score:.1f}", g.grade,
                     names.get(g.grade, ""), values.get("visits", ""),
                     values.get("completeness", ""), values.get("lectures", ""),
                     values.get("satisfaction", ""),
                     "yes" if g.advisor in assessment.honour else "",
                     "yes" if g.advisor in assessment.warning else "",
                     " | ".join(g.lines())])
    return header, rows
