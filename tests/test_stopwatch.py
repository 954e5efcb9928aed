"""Stage timings: the Stopwatch as a progress callback, and `advisors plan --timings`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from advisors.cli import run
from advisors.plan.stopwatch import Stopwatch

from .conftest import TONGREN


def test_each_lap_is_the_time_since_the_last_and_the_callback_follows() -> None:
    seen: list[str] = []
    watch = Stopwatch(seen.append)
    time.sleep(0.02)
    watch("first")
    watch("second")
    assert seen == ["first", "second"]
    (first, wall1, _), (second, wall2, _) = watch.laps
    assert (first, second) == ("first", "second")
    assert wall1 >= 0.02 > wall2
    assert watch.total == pytest.approx(wall1 + wall2)
    lines = watch.lines()
    assert [line.split()[1] for line in lines] == ["first", "second", "total"]
    assert all(len(line.split()) == 4 for line in lines)


def test_plan_prints_its_stages_to_stderr_and_nothing_into_the_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(out), "-q",
                "--timings", "--exporters", "plan-json,roster-csv"])
    assert code in (0, 3)
    stages = [line.split()[1] for line in capsys.readouterr().err.splitlines()
              if line.startswith("timing ")]
    assert stages == ["load", "assign", "hotline", "visits", "training", "calendar",
                      "publication", "exporters/plan-json", "exporters/roster-csv", "exporters",
                      "swap", "published-hook", "total"]
    for path in out.rglob("*"):
        if path.is_file():
            assert b"timing" not in path.read_bytes()
