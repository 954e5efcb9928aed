"""Run the real command line on an edited copy of the tiny dataset; check how it refused."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import attrs
import pytest

from advisors.cli import run

from .tiny import make_tiny

PERIOD = "2026-12"


@attrs.frozen
class Outcome:
    """What one run did: its exit code, its stderr, whether it wrote the output folder."""

    code: int
    err: str
    wrote: bool


def dataset(root: Path) -> Path:
    """A fresh copy of the tiny dataset under ``root``."""
    source = root / "tiny-source"
    if not source.exists():
        make_tiny(source)
    target = root / "data"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def set_cell(folder: Path, filename: str, row: int, column: str, value: str) -> int:
    """Put ``value`` in data row ``row`` (0-based) of ``column``; return its file line."""
    with open(folder / filename, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row + 1][rows[0].index(column)] = value
    with open(folder / filename, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return row + 2


def plan(data: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Outcome:
    """``advisors plan DATA --period 2026-12 --out OUT --quiet [extra]`` as a user runs it."""
    capsys.readouterr()
    code = run(["plan", str(data), "--period", PERIOD, "--out", str(out), "--quiet", *extra])
    err = capsys.readouterr().err
    return Outcome(code, err, out.exists())


def assert_refused(outcome: Outcome, *located: str) -> None:
    """Exit 2, each ``located`` text in the message, no traceback, nothing written."""
    assert outcome.code == 2, outcome.err
    assert "Traceback" not in outcome.err and "internal error" not in outcome.err, outcome.err
    for text in located:
        assert text in outcome.err, (text, outcome.err)
    assert not outcome.wrote
