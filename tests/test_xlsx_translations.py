"""The translator's workbook: export, a reviewer fills it, import into a deployment's catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisors.cli import run
from advisors.locale import CATALOG_DIR, Translator, parse_po

openpyxl = pytest.importorskip("openpyxl", reason="the advisors-xlsx plugin needs openpyxl")
pytest.importorskip("advisors_xlsx.translation_sheet", reason="advisors-xlsx not installed")


def _fill(path: Path, filled: dict[str, tuple[str, str, str]]) -> None:
    book = openpyxl.load_workbook(path)
    ws = book.active
    for row in ws.iter_rows(min_row=2):
        if row[0].value in filled:
            row[2].value, row[6].value, row[7].value = filled[row[0].value]
    book.save(path)


def test_export_review_import_and_the_outputs_use_it(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "review.xlsx"
    assert run(["translations", "export", str(sheet)]) == 0
    header = [c.value for c in openpyxl.load_workbook(sheet).active[1]]
    assert header[:3] == ["English (message id)", "中文", "藏文 (Tibetan)"]
    first = sheet.read_bytes()
    assert run(["translations", "export", str(sheet)]) == 0 and sheet.read_bytes() == first
    _fill(sheet, {"Time": ("དུས་ཚོད།", "卓玛", "2026-12-02"),
                  "Name": ("ཀཀ", "", "")})
    bundled = (CATALOG_DIR / "bo.po").read_bytes()
    assert run(["translations", "import", str(sheet), "--into", str(tmp_path / "loc")]) == 0
    assert "1 reviewed, 1 drafts" in capsys.readouterr().out
    assert (CATALOG_DIR / "bo.po").read_bytes() == bundled
    entries = {e.msgid: e for e in parse_po((tmp_path / "loc" / "bo.po").read_text("utf-8"))}
    assert entries["Time"].reviewer == "卓玛 2026-12-02" and not entries["Time"].fuzzy
    assert entries["Name"].fuzzy
    translator = Translator.load(extra_dirs=[tmp_path / "loc"])
    assert translator.get("Time", "bo") == "དུས་ཚོད།" and translator.get("Name", "bo") is None
    assert run(["translations", "--lang", "bo", "--locale", str(tmp_path / "loc")]) == 0
    assert "reviewed by 卓玛 2026-12-02" in capsys.readouterr().out


def test_a_sheet_that_is_not_a_translation_sheet_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "name"])
    book.active.append(["v1", "村"])
    book.save(sheet)
    assert run(["translations", "import", str(sheet), "--into", str(tmp_path / "loc")]) == 2
    err = capsys.readouterr().err
    assert "other.xlsx:1" in err and "not a translation sheet" in err
    assert not (tmp_path / "loc").exists()
