"""A deployment's own rules (``register_constraints``) reach the analysis, the CLI and plan.json.

Every expectation is computed here from the plan itself (which visits fall on
a Monday, which shifts on a Saturday), never taken from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import advisors
from advisors import hookimpl
from advisors.cli import run
from advisors.constraints import Constraint
from advisors.errors import PluginError
from advisors.hotline.api import hotline_rota
from advisors.plugins import get_plugin_manager
from advisors.rules import Violation
from advisors.training.api import plan_training
from advisors.visits.api import schedule_visits

from .conftest import TONGREN

PERIOD = "2026-12"
MONDAY = "mycounty: no visits on Mondays"


def _plugin(name: str, *constraints: Any) -> types.ModuleType:
    module = types.ModuleType(name)

    def register_constraints(register: Any) -> None:
        for c in constraints:
            register(getattr(c, "name", "unnamed"), c, "a test rule")

    module.register_constraints = hookimpl(register_constraints)  # type: ignore[attr-defined]
    get_plugin_manager().register(module, name=name)
    return module


def _mondays(problem: Any, plan: Any) -> Iterator[Violation]:
    for v in plan.visits:
        if v.date.weekday() == 0:
            yield Violation("ignored", False, f"{v.village} visited on Monday {v.date}",
                            (v.advisor, v.village), (v.date,))


@pytest.fixture(scope="module")
def assignment(tongren: advisors.Dataset) -> advisors.Assignment:
    return advisors.assign(tongren)


def test_a_hard_plugin_rule_shows_every_monday_visit_and_the_cli_exits_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["schedule", str(TONGREN), "--period", PERIOD, "--strategy", "greedy"]
    assert run([*args, "-o", str(tmp_path / "before.json")]) == 0  # feasible without the rule
    before = json.loads((tmp_path / "before.json").read_text("utf-8"))
    mondays = sorted((v["date"], v["village"]) for v in before["visits"]
                     if dt.date.fromisoformat(v["date"]).weekday() == 0)
    assert mondays, "the example plan has Monday visits to object to"
    capsys.readouterr()

    _plugin("mycounty", Constraint(MONDAY, "visits", _mondays, hard=True))
    assert run([*args, "-o", str(tmp_path / "plan.json")]) == 3
    out = capsys.readouterr().out
    assert f"{MONDAY} (hard): {len(mondays)}" in out
    plan = json.loads((tmp_path / "plan.json").read_text("utf-8"))
    found = [v for v in plan["analysis"]["violations"] if v["rule"] == MONDAY]
    assert sorted((v["days"][0], v["subjects"][1]) for v in found) == mondays
    assert all(v["hard"] for v in found) and plan["analysis"]["feasible"] is False
    # the plan itself is the one the solver made: the rule is checked, not optimised
    assert plan["visits"] == before["visits"]


def test_a_soft_plugin_rule_is_in_the_analysis_and_keeps_the_plan_feasible(
        tongren: advisors.Dataset, assignment: advisors.Assignment) -> None:
    plain = schedule_visits(tongren, assignment, PERIOD, strategy="greedy")
    _plugin("mycounty", Constraint(MONDAY, "visits", _mondays, hard=False))
    plan = schedule_visits(tongren, assignment, PERIOD, strategy="greedy")
    mondays = [v for v in plan.visits if v.date.weekday() == 0]
    soft = [v for v in plan.analysis.soft if v.rule == MONDAY]
    assert len(soft) == len(mondays) > 0
    assert plan.feasible == plain.feasible
    assert plan.analysis.soft_score == plain.analysis.soft_score + len(mondays)
    assert any(line.startswith(f"{MONDAY} (soft)") for line in plan.analysis.lines())
    assert type(plan).from_dict(plan.as_dict()) == plan  # the JSON form keeps it


def test_whole_plan_json_carries_plugin_violations(tmp_path: Path) -> None:
    _plugin("mycounty", Constraint(MONDAY, "visits", _mondays, hard=True))
    assert run(["plan", str(TONGREN), "--period", PERIOD, "--out", str(tmp_path / "o"), "-q",
                "--exporters", "plan-json"]) == 3
    plan = json.loads((tmp_path / "o" / "plan.json").read_text("utf-8"))
    mondays = [v for v in plan["visits"]["visits"]
               if dt.date.fromisoformat(v["date"]).weekday() == 0]
    found = [v for v in plan["visits"]["analysis"]["violations"] if v["rule"] == MONDAY]
    assert len(found) == len(mondays) > 0


def test_hotline_and_training_constraints(tongren: advisors.Dataset) -> None:
    def mondays(problem: Any, rota: Any) -> list[Violation]:
        return [Violation("x", True, f"{s.lawyer} on a Monday", (s.lawyer,), (s.date,))
                for s in rota.shifts if s.date.weekday() == 0]

    def big_sessions(problem: Any, plan: Any) -> list[Violation]:
        return [Violation("x", True, f"{s.id} has {len(s.participants)}",
                          (s.id, *s.participants[:1]), (s.date,))
                for s in plan.sessions if len(s.participants) > 20]

    _plugin("mycounty", Constraint("no Monday shifts", "hotline", mondays, hard=False),
            Constraint("small groups", "training", big_sessions, hard=False))
    rota = hotline_rota(tongren, PERIOD, strategy="greedy")
    on_monday = [s for s in rota.shifts if s.date.weekday() == 0]  # Tongren: weekdays only
    assert len([v for v in rota.analysis.soft if v.rule == "no Monday shifts"]) \
        == len(on_monday) > 0

    plan = plan_training(tongren, PERIOD, strategy="greedy")
    big = [s for s in plan.sessions if len(s.participants) > 20]
    found = [v for v in plan.analysis.soft if v.rule == "small groups"]
    assert len(found) == len(big) > 0
    # session ids and people are kept apart in the training analysis
    assert sorted(v.sessions[0] for v in found) == sorted(s.id for s in big)
    assert all(v.people and v.people[0] in s.participants for v, s in
               zip(sorted(found, key=lambda v: v.sessions), sorted(big, key=lambda s: s.id),
                   strict=True))
    assert type(plan).from_json(plan.to_json()) == plan
    assert plan.analysis.hard == plan_training(tongren, PERIOD, strategy="greedy").analysis.hard


def test_a_hard_training_constraint_makes_train_exit_3(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["train", str(TONGREN), "--period", PERIOD, "--strategy", "greedy"]
    baseline = run(args)
    capsys.readouterr()

    def every_session(problem: Any, plan: Any) -> list[Violation]:
        return [Violation("x", False, f"{s.id} is not allowed", (s.id,), (s.date,))
                for s in plan.sessions]

    _plugin("mycounty", Constraint("no training at all", "training", every_session))
    assert baseline == 0 and run(args) == 3  # feasible without the rule
    assert "hard [no training at all]" in capsys.readouterr().err


def test_a_failing_constraint_is_a_plugin_error_naming_the_plugin(
        tongren: advisors.Dataset, assignment: advisors.Assignment,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(problem: Any, plan: Any) -> list[Violation]:
        raise KeyError("market_days")

    _plugin("brokencounty", Constraint("market days", "visits", broken))
    with pytest.raises(PluginError, match="brokencounty") as info:
        schedule_visits(tongren, assignment, PERIOD, strategy="greedy")
    assert "market days" in str(info.value) and "KeyError" in str(info.value)

    code = run(["schedule", str(TONGREN), "--period", PERIOD, "--strategy", "greedy"])
    err = capsys.readouterr().err
    assert code == 1 and "brokencounty" in err and "Traceback" not in err


@pytest.mark.parametrize("bad, expected", [
    (types.SimpleNamespace(name="no check", hard=True, applies_to="visits"), "lacks check"),
    (types.SimpleNamespace(name="wrong kind", hard=True, applies_to="assign",
                           check=lambda p, r: []), "applies to 'assign'"),
    (types.SimpleNamespace(name="strings", hard=True, applies_to="visits",
                           check=lambda p, r: ["a Monday"]), "not an advisors.rules.Violation"),
])
def test_a_malformed_constraint_is_a_plugin_error(
        tongren: advisors.Dataset, assignment: advisors.Assignment, bad: Any,
        expected: str) -> None:
    _plugin("sloppycounty", bad)
    with pytest.raises(PluginError, match="sloppycounty") as info:
        schedule_visits(tongren, assignment, PERIOD, strategy="greedy")
    assert expected in str(info.value)


def test_a_constraint_for_another_problem_is_not_run(
        tongren: advisors.Dataset, assignment: advisors.Assignment) -> None:
    calls: list[str] = []

    def record(problem: Any, result: Any) -> list[Violation]:
        calls.append(type(result).__name__)
        return []

    _plugin("mycounty", Constraint("hotline only", "hotline", record))
    plan = schedule_visits(tongren, assignment, PERIOD, strategy="greedy")
    assert calls == [] and all(v.rule != "hotline only" for v in plan.analysis.violations)
    hotline_rota(tongren, PERIOD, strategy="greedy")
    assert calls == ["HotlineRota"]
