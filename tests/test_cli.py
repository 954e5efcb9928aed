"""The command line: exit codes, summaries, and errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisors.cli import run

from .conftest import TONGREN


def test_check_example_shows_every_township(capsys: pytest.CaptureFixture[str], tongren) -> None:
    assert run(["check", str(TONGREN)]) == 0
    out = capsys.readouterr().out
    for township in tongren.townships:
        assert township.name in out


def test_check_json_counts_villages(capsys: pytest.CaptureFixture[str], tongren) -> None:
    assert run(["check", str(TONGREN), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["villages"] == len(tongren.villages)
    assert {r["township"] for r in report["townships"]} == {t.id for t in tongren.townships}


def test_check_missing_folder_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "nope" in err


def test_init_example_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "data"
    assert run(["init", str(target), "--example", "tongren"]) == 0
    assert run(["check", str(target)]) == 0
    assert not (target / "_make.py").exists()


def test_init_refuses_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert run(["init", str(tmp_path)]) == 2
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_starter_dataset_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new"
    assert run(["init", str(target)]) == 0
    assert run(["check", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["advisors"] == 0


def test_plugins_lists_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plugins", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    builtin = [r for r in rows if r["builtin"]]
    assert builtin and "folder" in builtin[0]["registers"]["loaders"]


def test_facade_all_is_sorted_and_importable() -> None:
    import advisors

    assert advisors.__all__ == sorted(advisors.__all__)
    missing = [name for name in advisors.__all__ if not hasattr(advisors, name)]
    assert missing == []


@pytest.mark.parametrize("command", ["plan", "schedule", "hotline", "train", "ledger"])
def test_a_bad_period_is_refused_where_it_enters(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the option parses it (once, before the command runs): click names the option
    args = [command, str(TONGREN), "--period", "2026-13"]
    if command == "plan":
        args += ["--out", str(tmp_path / "out")]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert "Invalid value for '--period': not a period: '2026-13'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_assess_wants_a_whole_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assess", str(TONGREN), "--quarter", "2026-12"]) == 2
    assert "not a quarter: '2026-12'" in capsys.readouterr().err
