"""Training plans on the Tongren example, the target arithmetic, ids, and the CLI."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

import advisors
from advisors.cli import run
from advisors.period import Period
from advisors.training.api import training_strategies
from advisors.training.problem import session_target

from .conftest import TONGREN


@pytest.fixture(scope="module")
def plan_2027() -> advisors.TrainingPlan:
    data = advisors.read_folder(TONGREN)
    return advisors.plan_training(data, "2027", strategy="greedy")


@pytest.mark.parametrize(("label", "per_year", "expected"), [
    ("2027", 2, 2), ("2028", 2, 2), ("2027-Q1", 2, 1), ("2027-Q1", 5, 2), ("2027-03", 2, 1),
    ("2027-01-01..2027-06-30", 2, 1), ("2027-01-01..2027-07-15", 2, 2),
    ("2027-01-01..2028-12-31", 2, 4),
])
def test_session_target_is_pro_rata_by_months(label: str, per_year: int, expected: int) -> None:
    assert session_target(per_year, Period.parse(label)) == expected


def test_tongren_year_plan_meets_every_hard_rule(
        tongren: advisors.Dataset, plan_2027: advisors.TrainingPlan) -> None:
    assert plan_2027.analysis.feasible, plan_2027.analysis.hard[:3]
    assert not plan_2027.unmet
    trained = {p for s in plan_2027.sessions for p in s.participants}
    expected = {p.id for p in tongren.people if p.status in ("active", "candidate")}
    assert trained == expected


STRATEGIES = training_strategies()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_tongren_tibetan_only_groups_get_tibetan_speakers(
        tongren: advisors.Dataset, strategy: str) -> None:
    plan = advisors.plan_training(tongren, "2027", strategy=strategy)
    assert plan.analysis.feasible and not plan.unmet
    with_bo_only = 0
    for s in plan.sessions:
        trainer = tongren.trainer_by_id[s.trainer]
        langs = {tuple(tongren.person_by_id[p].languages
                       or tongren.village_by_id[tongren.person_by_id[p].village].languages)
                 for p in s.participants}
        if ("bo",) in langs:
            with_bo_only += 1
            assert "bo" in trainer.languages and "bo" in s.language
        if ("bo",) in langs and ("zh",) in langs:
            assert {"bo", "zh"} <= set(trainer.languages)
    assert with_bo_only > 0


def test_ids_are_stable_and_derived_from_township_and_month(
        tongren: advisors.Dataset, plan_2027: advisors.TrainingPlan) -> None:
    for s in plan_2027.sessions:
        assert s.id.startswith(f"training/{s.township}/{s.date:%Y-%m}/")
    assert len({s.id for s in plan_2027.sessions}) == len(plan_2027.sessions)
    again = advisors.plan_training(tongren, "2027", strategy="greedy")
    assert again.to_json() == plan_2027.to_json()
    revised = advisors.plan_training(tongren, "2027", previous=plan_2027, strategy="greedy")
    assert revised.sessions == plan_2027.sessions


def test_plan_json_round_trip(plan_2027: advisors.TrainingPlan) -> None:
    back = advisors.TrainingPlan.from_json(plan_2027.to_json())
    assert back == plan_2027
    assert back.to_json() == plan_2027.to_json()


def test_cli_train_writes_sessions_csv(tmp_path: Path, plan_2027: advisors.TrainingPlan) -> None:
    out = tmp_path / "sessions.csv"
    assert run(["train", str(TONGREN), "--period", "2027", "--strategy", "greedy",
                "-o", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["session", "date", "start", "end", "venue", "trainer", "language",
                       "topic", "participants"]
    assert len(rows) == len(plan_2027.sessions) + 1
    first = plan_2027.sessions[0]
    assert rows[1][0] == first.id and rows[1][8].split(";") == list(first.participants)


def test_cli_train_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["train", str(TONGREN), "--period", "2027-Q2", "--strategy", "greedy",
                "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == 1 and data["sessions"]


def test_cli_train_exits_3_when_no_trainer_speaks_tibetan(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    shutil.copytree(TONGREN, folder)
    with (folder / "trainers.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (folder / "trainers.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "languages": "zh"} for r in rows)  # nobody speaks Tibetan now
    out = tmp_path / "plan.json"
    assert run(["train", str(folder), "--period", "2027-03", "--strategy", "greedy",
                "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert "Tibetan-only participants, no trainer speaks Tibetan" in err
    plan = advisors.TrainingPlan.from_json(out.read_text(encoding="utf-8"))
    assert plan.unmet and not plan.analysis.feasible


@pytest.mark.skipif("cpsat" not in STRATEGIES, reason="advisors-ortools not installed")
def test_cpsat_is_deterministic_and_auto_prefers_it(tongren: advisors.Dataset) -> None:
    first = advisors.plan_training(tongren, "2027-Q1", strategy="cpsat")
    again = advisors.plan_training(tongren, "2027-Q1")
    assert again.strategy == "training.cpsat"
    assert first.to_json() == again.to_json()


def test_unknown_strategy_is_a_plugin_error(tongren: advisors.Dataset) -> None:
    with pytest.raises(advisors.PluginError, match=r"available: .*greedy"):
        advisors.plan_training(tongren, "2027", strategy="magic")


@pytest.mark.parametrize("strategy", training_strategies())
def test_monthly_plans_rotate_topics_over_the_year(tongren: advisors.Dataset,
                                                   strategy: str) -> None:
    # Planned month by month, each plan handing its history on: nobody is taught a topic
    # twice in the year while the curriculum still has topics new to them.
    curriculum = tongren.policy.training.curriculum
    had: dict[str, list[str]] = {}
    previous = None
    for month in ("2027-01", "2027-02", "2027-03"):
        plan = advisors.plan_training(tongren, month, previous=previous, strategy=strategy)
        assert dict(plan.history) == {p: tuple(sorted(set(t))) for p, t in had.items()}
        assert not [v for v in plan.violations if v.rule == "topic_had_earlier"]
        for s in plan.sessions:
            for p in s.participants:
                had.setdefault(p, []).append(s.topic)
        previous = advisors.TrainingPlan.from_json(plan.to_json())  # as read back from disk
    assert len(curriculum) >= 3
    taught = [topics for topics in had.values() if len(topics) > 1]
    assert taught and all(len(set(t)) == len(t) for t in taught)


def test_a_new_year_starts_the_rotation_afresh(tongren: advisors.Dataset) -> None:
    december = advisors.plan_training(tongren, "2026-12", strategy="greedy")
    assert december.sessions
    january = advisors.plan_training(tongren, "2027-01", previous=december, strategy="greedy")
    assert dict(january.history) == {}


def test_a_topic_had_earlier_is_reported_when_new_ones_remain(
        tongren: advisors.Dataset) -> None:
    import attrs

    from advisors.training.problem import TrainingProblem
    from advisors.training.rules import analyse_training

    january = advisors.plan_training(tongren, "2027-01", strategy="greedy")
    february = advisors.plan_training(tongren, "2027-02", strategy="greedy")  # no history
    s = february.sessions[0]
    person = s.participants[0]
    problem = TrainingProblem.build(tongren, february.period, january)
    problem = attrs.evolve(problem, earlier={**problem.earlier, person: (s.topic,)})
    found = [v for v in analyse_training(problem, february).violations
             if v.rule == "topic_had_earlier" and person in v.people]
    assert len(found) == 1 and not found[0].hard and found[0].sessions == (s.id,)
    assert s.topic in found[0].message
    # once every topic has been had, a repeat is no longer worth a word
    everything = tuple(tongren.policy.training.curriculum)
    problem = attrs.evolve(problem, earlier={person: everything})
    assert not [v for v in analyse_training(problem, february).violations
                if v.rule == "topic_had_earlier" and person in v.people]


def test_a_plan_is_analysed_once_for_its_problem(tongren: advisors.Dataset) -> None:
    import attrs

    from advisors.training.problem import TrainingProblem
    from advisors.training.rules import analyse_training

    plan = advisors.plan_training(tongren, "2027-01", strategy="greedy")
    problem = TrainingProblem.build(tongren, plan.period)
    first = analyse_training(problem, plan)
    assert analyse_training(problem, plan) is first
    # another plan is checked afresh: without a session, its people fall short
    fewer = attrs.evolve(plan, sessions=plan.sessions[1:])
    short = {p for v in analyse_training(problem, fewer).hard if v.rule == "session_target"
             for p in v.people}
    assert set(plan.sessions[0].participants) <= short
    assert not short & {p for v in first.hard for p in v.people}
    # and so is the same plan against another problem, though an equal one
    again = analyse_training(attrs.evolve(problem), plan)
    assert again == first and again is not first


def test_training_violations_read_like_the_other_rules(tongren: advisors.Dataset) -> None:
    # A portal lists visit, hotline and training problems with the same code.
    from advisors.rules import Violation
    from advisors.training.problem import TrainingViolation

    plan = advisors.plan_training(tongren, "2027-01", strategy="greedy")
    broken = TrainingViolation("language", True, "s1: no common language",
                                        ("p1", "tr-01"), (plan.period.start,), ("s1",))
    for v in (*plan.violations, broken):
        generic = v.as_violation()
        assert isinstance(generic, Violation)
        assert (generic.rule, generic.hard, generic.message, generic.days) == (
            v.rule, v.hard, v.message, v.days)
        assert generic.subjects == v.subjects == v.people + v.sessions
        assert generic.weight == v.weight == 1
    assert broken.subjects == ("p1", "tr-01", "s1")
