"""``advisors plan --out``: only a folder an earlier run wrote is replaced; never the dataset."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from advisors.data.atomic import umask
from advisors.output.outdir import MARKER

from .corpus.cli import dataset, plan


def test_output_carries_the_marker_and_is_replaced_next_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    out = tmp_path / "out"
    assert plan(data, out, capsys).code in (0, 3)
    assert (out / MARKER).is_file() and (out / "plan.json").is_file()
    (out / "stale.txt").write_text("from an older run", "utf-8")
    assert plan(data, out, capsys).code in (0, 3)
    assert not (out / "stale.txt").exists()


def test_an_output_of_an_older_version_without_the_marker_is_ours(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    out = tmp_path / "out"
    assert plan(data, out, capsys).code in (0, 3)
    (out / MARKER).unlink()
    assert plan(data, out, capsys).code in (0, 3)
    (out / MARKER).unlink()
    (out / "notes.txt").write_text("mine", "utf-8")  # but not once the user added a file
    outcome = plan(data, out, capsys)
    assert outcome.code == 2 and "notes.txt" in outcome.err


def test_a_folder_of_the_users_files_is_refused_unless_forced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    outcome = plan(data, out, capsys)
    assert outcome.code == 2 and "thesis.docx" in outcome.err and "--force" in outcome.err
    assert (out / "thesis.docx").read_bytes() == b"years of work"
    assert plan(data, out, capsys, "--force").code in (0, 3)
    assert (out / MARKER).is_file() and not (out / "thesis.docx").exists()


@pytest.mark.parametrize("where", ["data", "data/out", "data/calendars/x", "."])
def test_the_dataset_is_never_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    data = dataset(tmp_path)
    before = sorted(p.name for p in data.iterdir())
    monkeypatch.chdir(tmp_path)  # "." holds the dataset: replacing it would delete it
    outcome = plan(data, Path(where), capsys, "--force")
    assert outcome.code == 2 and "--out" in outcome.err and "Traceback" not in outcome.err
    assert sorted(p.name for p in data.iterdir()) == before


def test_out_dot_writes_the_folder_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data = dataset(tmp_path)
    here = tmp_path / "site"
    here.mkdir()
    monkeypatch.chdir(here)
    assert plan(data, Path("."), capsys).code in (0, 3)
    assert (here / MARKER).is_file() and (here / "plan.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_leftovers_of_a_killed_run_are_recovered_and_removed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    out = tmp_path / "out"
    assert plan(data, out, capsys).code in (0, 3)
    # killed between the two renames: no "out", the old one aside; a half-written temp
    os.replace(out, tmp_path / ".out.old-999999")
    (tmp_path / ".out.999998-abcdefgh.tmp").mkdir()
    (tmp_path / ".out.999998-abcdefgh.tmp" / "half.ics").write_text("BEGIN:VCAL", "utf-8")
    capsys.readouterr()
    from advisors.data.atomic import recover_leftovers

    said = recover_leftovers(out)
    assert (out / "plan.json").is_file() and any("recovered" in s for s in said)
    assert not (tmp_path / ".out.999998-abcdefgh.tmp").exists()
    # and a run reports what it cleaned up
    (tmp_path / ".out.999997-zzzzzzzz.tmp").mkdir()
    outcome = plan(data, out, capsys)
    assert outcome.code in (0, 3) and ".out.999997-zzzzzzzz.tmp" in outcome.err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_output_has_ordinary_permissions(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    out = tmp_path / "out"
    assert plan(data, out, capsys, "--exporters", "plan-json,ics,roster-xlsx").code in (0, 3)
    mask = umask()
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o777 if path.is_dir() else 0o666) & ~mask, (path, oct(mode))
    json.loads((out / "plan.json").read_text("utf-8"))
