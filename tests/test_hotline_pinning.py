"""Explicitly pinned hotline shifts stay as published, and the analysis says what they break."""

from __future__ import annotations

import attrs
import pytest

import advisors
from advisors.errors import DataError
from advisors.hotline.problem import HotlineProblem
from advisors.period import Period
from advisors.plugins import lookup


def _rota(dataset: advisors.Dataset, previous=None, pinned=()):  # type: ignore[no-untyped-def]
    problem = HotlineProblem(dataset, Period.parse("2026-12"), (), previous, tuple(pinned))
    return lookup("schedulers", "hotline.greedy").implementation(problem)


def _away(dataset: advisors.Dataset, lawyer: str, day) -> advisors.Dataset:  # type: ignore[no-untyped-def]
    absence = advisors.Unavailability(lawyer, day, day, "court hearing")
    return attrs.evolve(dataset, unavailability=(*dataset.unavailability, absence))


def test_unpinned_shift_moves_when_its_lawyer_becomes_unavailable(tongren) -> None:  # type: ignore[no-untyped-def]
    first = _rota(tongren)
    shift = first.shifts[0]
    second = _rota(_away(tongren, shift.lawyer, shift.date), previous=first)
    moved = {s.id: s for s in second.shifts}[shift.id]
    assert moved.lawyer != shift.lawyer
    assert second.analysis.feasible


def test_pinned_shift_stays_and_its_broken_rule_is_reported(tongren) -> None:  # type: ignore[no-untyped-def]
    first = _rota(tongren)
    shift = first.shifts[0]
    second = _rota(_away(tongren, shift.lawyer, shift.date), previous=first, pinned=[shift.id])
    kept = {s.id: s for s in second.shifts}[shift.id]
    assert kept == shift
    broken = [v for v in second.analysis.hard if v.rule == "Lawyer unavailable"]
    assert broken and shift.lawyer in broken[0].subjects and shift.date in broken[0].days


def test_pinning_needs_a_shift_of_the_previous_rota(tongren) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="previous rota"):
        _rota(tongren, pinned=["hotline/2026-12-01/0/1"])
    first = _rota(tongren)
    with pytest.raises(DataError, match="not a shift of the previous rota"):
        _rota(tongren, previous=first, pinned=["hotline/2031-01-01/0/1"])


def test_cli_pin_keeps_the_shift(tmp_path, tongren, capsys) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    from advisors.cli import run
    from advisors.hotline.facts import HotlineRota

    from .conftest import TONGREN

    data = tmp_path / "data"
    shutil.copytree(TONGREN, data)
    published = tmp_path / "rota.json"
    assert run(["hotline", str(data), "--period", "2026-12", "-o", str(published)]) == 0
    shift = HotlineRota.from_dict(json.loads(published.read_text("utf-8"))).shifts[0]
    with open(data / "unavailability.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{shift.lawyer},{shift.date},{shift.date},hearing\n")
    again = tmp_path / "again.json"
    code = run(["hotline", str(data), "--period", "2026-12", "--previous", str(published),
                "--pin", shift.id, "-o", str(again)])
    assert code == 3
    kept = {s.id: s for s in HotlineRota.from_dict(json.loads(again.read_text("utf-8"))).shifts}
    assert kept[shift.id].lawyer == shift.lawyer
    assert "Lawyer unavailable" in capsys.readouterr().out


@pytest.mark.parametrize("strategy", ["hotline.greedy", "hotline.cpsat"])
def test_a_pinned_shift_on_a_day_now_closed_is_kept_and_reported(tongren, strategy) -> None:  # type: ignore[no-untyped-def]
    if strategy not in {name for name in advisors.plugins.collect("schedulers")}:
        pytest.skip(f"{strategy} is not installed")
    open_weekends = attrs.evolve(tongren, policy=attrs.evolve(
        tongren.policy, hotline=attrs.evolve(tongren.policy.hotline, weekends_open=True)))
    first = _rota(open_weekends)
    saturday = next(s for s in first.shifts if s.date.weekday() == 5)
    problem = HotlineProblem(tongren, Period.parse("2026-12"), (), first, (saturday.id,))
    assert saturday.id not in problem.slot_by_id  # Tongren keeps weekends closed
    rota = lookup("schedulers", strategy).implementation(problem)
    assert {s.id: s for s in rota.shifts}[saturday.id] == saturday
    assert [v for v in rota.analysis.hard if v.rule == "Not a shift" and saturday.date in v.days]
