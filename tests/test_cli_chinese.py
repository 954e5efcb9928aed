"""The command line as a Chinese township office meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisors.cli import run

from .conftest import TONGREN


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "ADVISORS_OUTBOX",
                         "ADVISORS_PORTAL_DATA")}
    command = [str(Path(sys.executable).parent / "advisors"), *args]
    return subprocess.run(command, capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=300)


def test_init_readme_names_the_real_folder(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "我的 数据"
    assert run(["init", str(folder)]) == 0
    readme = (folder / "README.txt").read_text("utf-8")
    assert f'advisors check "{folder}"' in readme
    assert ".tmp" not in readme and ".new." not in readme


def test_quiet_silences_the_outbox_warning_and_loud_shows_it(tmp_path: Path) -> None:
    pytest.importorskip("advisors_outbox")
    args = ("plan", str(TONGREN), "--period", "2026-12", "--exporters", "plan-json")
    quiet = _cli(*args, "--out", str(tmp_path / "q"), "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and quiet.stdout == ""
    loud = _cli(*args, "--out", str(tmp_path / "l"))
    assert loud.returncode == 0 and "ADVISORS_OUTBOX" in loud.stderr
