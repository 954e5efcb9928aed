"""What fails is said where the user looks (exit 3, report.html); the solvers stay honest."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import advisors
from advisors.cli import run
from advisors.hotline.greedy import GreedyHotline
from advisors.hotline.problem import HotlineProblem
from advisors.period import Period
from advisors.plan.shortfalls import shortfall_lines
from advisors.rules import SolveStats
from advisors.training.greedy import GreedyTrainingPlanner
from advisors.training.problem import TrainingProblem
from advisors.training.rules import analyse_training
from advisors.visits.greedy import GreedyVisits
from advisors.visits.problem import VisitProblem

from .conftest import TONGREN


@pytest.fixture
def two_shifts_a_day(tmp_path: Path) -> Path:
    """Tongren with the library's default two shifts a day: too few lawyers (policy.toml)."""
    data = tmp_path / "data"
    shutil.copytree(TONGREN, data)
    policy = data / "policy.toml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace('shifts = [["08:00", "14:00"]]\nweekends_open = false\n', ""),
                      encoding="utf-8")
    return data


def test_exit_3_prints_what_is_not_served_grouped_and_capped(
        two_shifts_a_day: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["plan", str(two_shifts_a_day), "--period", "2026-12", "--out",
                str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 3
    assert "advisors schedule" not in err
    assert re.search(r"^hotline: \d+ not served$", err, re.M)
    assert re.search(r"^  Shift understaffed \(\d+\) — fix: ", err, re.M)
    more = re.search(r"… and (\d+) more", err)
    listed = len(re.findall(r"^    - ", err, re.M))
    plan = advisors.Plan.read(tmp_path / "out" / "plan.json")
    found = plan.shortfalls()
    assert more is not None and listed + sum(int(n) for n in re.findall(r"… and (\d+) more", err)
                                              ) == len(found)
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    section = report[report.index('id="not-served"'):report.index("</section>",
                                                                   report.index('id="not-served"'))]
    assert section.count("<tr><td>") == len(found)
    assert "热线班次缺人" in section and "Shift understaffed" not in section  # told in Chinese


def test_a_plan_that_serves_everything_says_so(tmp_path: Path) -> None:
    code = run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "out"),
                "--quiet"])
    assert code == 0
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "所有村、服务日和热线席位均已安排" in report


def test_lines_cap_each_rule_and_count_the_rest(tongren: advisors.Dataset,
                                                two_shifts_a_day: Path) -> None:
    plan = advisors.make_plan(advisors.read_folder(two_shifts_a_day), "2026-12")
    lines = shortfall_lines(plan.shortfalls(), limit=2)
    listed = [line for line in lines if line.startswith("    - ")]
    rules = [line for line in lines if line.startswith("  ") and not line.startswith("    ")]
    assert len(listed) <= 2 * len(rules)


def test_a_gap_is_only_given_where_defined() -> None:
    assert SolveStats("x", "feasible", 0, 20).gap is None
    assert SolveStats("x", "feasible", 10, 5).gap == 0.5
    assert SolveStats("x", "feasible", 10, None).gap is None


def test_cpsat_hotline_out_of_time_returns_its_greedy_start(tongren: advisors.Dataset) -> None:
    cpsat = pytest.importorskip("advisors_ortools.hotline")
    problem = HotlineProblem(tongren, Period.parse("2026-12"))
    greedy = GreedyHotline()(problem)
    rota = cpsat.CpsatHotline(deterministic_time=1e-9)(problem)
    # a start that breaks no rule is returned as proved (score 0 is the floor), else as the hint
    assert rota.stats.status == ("optimal" if greedy.analysis.rank == (0, 0) else "hint")
    assert rota.shifts == greedy.shifts
    assert rota.stats.objective == greedy.stats.objective


@pytest.mark.parametrize("limit", [1e-9, 0.05, 2.0])
def test_cpsat_visits_never_worse_than_greedy(tongren: advisors.Dataset, limit: float) -> None:
    cpsat = pytest.importorskip("advisors_ortools.visits")
    assignment = advisors.assign(tongren, "greedy")
    problem = VisitProblem(tongren, assignment, Period.parse("2026-12"))
    greedy = GreedyVisits()(problem)
    plan = cpsat.CpsatVisits(deterministic_time=limit)(problem)
    assert plan.analysis.rank <= greedy.analysis.rank


def test_cpsat_training_never_worse_than_its_greedy_start(tongren: advisors.Dataset) -> None:
    cpsat = pytest.importorskip("advisors_ortools.training")
    problem = TrainingProblem.build(tongren, Period.parse("2026-12"))
    greedy = GreedyTrainingPlanner()(problem)
    plan = cpsat.CpSatTrainingPlanner(time_limit=1e-9)(problem)

    def short(p: advisors.TrainingPlan) -> int:
        return sum(len(v.people) for v in analyse_training(problem, p).hard)

    assert short(plan) <= short(greedy)
