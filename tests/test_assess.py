"""Quarterly grades: monotone in every factor, explained, ranked; the seeded spot check."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.cli import run
from advisors.errors import DataError
from advisors.ledger.assess import FACTORS, assess, grade_of, score_of, spot_check
from advisors.ledger.effective import Figures, Ledger, match_ledger
from advisors.ledger.records import Feedback
from advisors.period import Period

from .conftest import TONGREN

GRADE_ORDER = ("fail", "pass", "good", "excellent")
Q4 = Period.parse("2026-Q4")


def _ledger(figures: dict[str, Figures]) -> Ledger:
    """A ledger that only carries per-advisor figures (what the grades read)."""
    return Ledger(Q4, (), (), (), (), {}, {}, figures, {}, Figures(), {})


_COUNT = st.integers(min_value=0, max_value=12)


@st.composite
def _figures(draw: st.DrawFn) -> Figures:
    planned = draw(_COUNT)
    held = draw(st.integers(0, planned))
    late = draw(st.integers(0, planned - held))
    records = draw(_COUNT)
    lectures = draw(st.integers(0, 3))
    return Figures(planned=planned, held=held, late=late, missed=planned - held - late,
                   records=records, complete=draw(st.integers(0, records)),
                   lectures_planned=lectures, lectures_held=draw(st.integers(0, lectures)))


def _grade(data: advisors.Dataset, figures: Figures, scores: list[int]) -> tuple[float, str]:
    feedback = [Feedback("adv-01", data.villages[0].id, dt.date(2026, 11, 1), s)
                for s in scores]
    g = assess(data, _ledger({"adv-01": figures}), feedback).grades[0]
    return (-1.0 if g.score is None else g.score), g.grade


def _rank(grade: str) -> int:
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else -1


@settings(max_examples=80, deadline=None)
@given(_figures(), st.lists(st.integers(1, 5), max_size=4),
       st.sampled_from(["held", "late", "complete", "lecture", "score"]))
def test_grade_is_monotone_in_each_factor(tongren: advisors.Dataset, figures: Figures,
                                          scores: list[int], more: str) -> None:
    better, better_scores = figures, list(scores)
    if more == "held" and figures.missed:  # a missed visit is held instead
        better = attrs.evolve(figures, held=figures.held + 1, missed=figures.missed - 1)
    elif more == "late" and figures.late:  # a late visit is on time instead
        better = attrs.evolve(figures, held=figures.held + 1, late=figures.late - 1)
    elif more == "complete" and figures.complete < figures.records:
        better = attrs.evolve(figures, complete=figures.complete + 1)
    elif more == "lecture" and figures.lectures_held < figures.lectures_planned:
        better = attrs.evolve(figures, lectures_held=figures.lectures_held + 1)
    elif more == "score" and scores and min(scores) < 5:
        better_scores[scores.index(min(scores))] += 1
    before, after = _grade(tongren, figures, scores), _grade(tongren, better, better_scores)
    assert after[0] >= before[0]
    assert _rank(after[1]) >= _rank(before[1])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(FACTORS), st.none() | st.floats(0, 1), min_size=1),
       st.dictionaries(st.sampled_from(FACTORS), st.floats(0, 10)),
       st.sampled_from(FACTORS), st.floats(0, 1))
def test_score_rises_with_any_factor(values: dict[str, float | None], weights: dict[str, float],
                                     factor: str, raise_by: float) -> None:
    current = values.get(factor)
    if current is None:
        return
    higher = dict(values, **{factor: min(1.0, current + raise_by)})
    a, b = score_of(values, weights), score_of(higher, weights)
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert b >= a and 0 <= a <= 100
    thresholds = {"excellent": 90.0, "good": 75.0, "pass": 60.0}
    assert _rank(grade_of(b, thresholds)) >= _rank(grade_of(a, thresholds))


def test_explanation_adds_up(tongren: advisors.Dataset) -> None:
    figures = Figures(planned=10, held=7, late=2, missed=1, records=12, complete=9,
                      lectures_planned=2, lectures_held=1)
    g = assess(tongren, _ledger({"adv-01": figures})).grades[0]
    # no feedback: satisfaction's weight is shared among the three others
    w = tongren.policy.ledger.weights
    used = w["visits"] + w["completeness"] + w["lectures"]
    expected = 100 * (w["visits"] * (7 + 2 * tongren.policy.ledger.late_credit) / 10
                      + w["completeness"] * 9 / 12 + w["lectures"] * 1 / 2) / used
    assert g.score == pytest.approx(expected, abs=0.05)
    lines = g.lines()
    assert len(lines) == 5 and lines[0].startswith("visits: 7 held + 2 late")
    assert "does not apply" in lines[3] and lines[-1].endswith(g.grade)
    points = [float(line.split("→ ")[1].split(" ")[0]) for line in lines[:3]]
    assert sum(points) == pytest.approx(g.score, abs=0.2)


def test_nothing_to_grade_is_ungraded(tongren: advisors.Dataset) -> None:
    g = assess(tongren, _ledger({"adv-01": Figures()})).grades[0]
    assert (g.score, g.grade, g.rank) == (None, "ungraded", 0)


def test_ranking_and_lists(tongren: advisors.Dataset) -> None:
    figures = {f"adv-{i:02d}": Figures(planned=10, held=i, missed=10 - i, records=1, complete=1)
               for i in range(1, 11)}
    result = assess(tongren, _ledger(figures))
    scores = [g.score for g in result.grades]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    good = tongren.policy.ledger.grades["good"]
    by_id = {g.advisor: g for g in result.grades}
    assert all((by_id[a].score or 0) >= good for a in result.honour)
    assert all((by_id[a].score or 0) < good for a in result.warning)
    assert len(result.honour) <= tongren.policy.ledger.honour_size
    assert len(result.warning) <= tongren.policy.ledger.warning_size
    assert result.warning[0] == "adv-01" and result.honour[0] == "adv-10"


def test_bad_weights_are_refused(tongren: advisors.Dataset) -> None:
    policy = attrs.evolve(tongren.policy, ledger=attrs.evolve(
        tongren.policy.ledger, weights={"visits": 1.0, "charm": 1.0}))
    with pytest.raises(DataError, match="unknown factor"):
        assess(attrs.evolve(tongren, policy=policy), _ledger({}))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32), st.floats(0, 1))
def test_spot_check_is_seeded_and_stratified(tongren: advisors.Dataset, seed: int,
                                             share: float) -> None:
    policy = attrs.evolve(tongren.policy, ledger=attrs.evolve(tongren.policy.ledger,
                                                              spot_check_share=share))
    data = attrs.evolve(tongren, policy=policy)
    first, again = spot_check(data, "2026-Q4", seed), spot_check(data, "2026-Q4", seed)
    assert first == again
    assert set(first) == {t.id for t in data.townships if data.villages_of_township.get(t.id)}
    for township, villages in first.items():
        members = {v.id for v in data.villages_of_township[township]}
        assert set(villages) <= members and len(set(villages)) == len(villages)
        assert len(villages) == min(len(members), max(1, math.ceil(share * len(members))))


def test_spot_check_depends_on_the_seed(tongren: advisors.Dataset) -> None:
    draws = {tuple(sorted(spot_check(tongren, "2026-Q4", seed).items())) for seed in range(5)}
    assert len(draws) > 1


def test_tongren_grades(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    assert run(["assess", str(TONGREN), "--quarter", "2026-Q4", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "explanation:" in text and "honour list:" in text and "warning list:" in text
    assert "visits:" in text and "satisfaction:" in text and "spot check" in text
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("rank,advisor") and len(rows) > 10
    assert out.read_bytes().startswith("\ufeff".encode())
    assert run(["assess", str(TONGREN), "--quarter", "2026-12"]) == 2


def test_assessment_of_matched_ledger(tongren: advisors.Dataset) -> None:
    village = tongren.assignments[0]
    day = dt.date(2026, 12, 2)
    from advisors.ledger.records import ServiceRecord
    from advisors.visits.visit_plan import Visit

    plan = [Visit(f"visit/{village.village}/2026-12/1", village.village, village.advisor, day,
                  "09:00", "17:00")]
    held = [ServiceRecord(village.advisor, village.village, day, "09:00", "17:00", "duty_day",
                          people_served=4, note="ok", line=2)]
    period = Period.parse("2026-12")
    serving = {village.village: village.advisor}
    good = assess(tongren, match_ledger(tongren, plan, held, period, serving))
    bad = assess(tongren, match_ledger(tongren, plan, [], period, serving))
    assert good.grades[0].score == 100.0 and good.grades[0].grade == "excellent"
    assert bad.grades[0].score == 0.0 and bad.grades[0].grade == "fail"
