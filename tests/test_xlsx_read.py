"""The xlsx format (plugins/advisors-xlsx): template round trip, located errors, office sheets."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.cli import run
from advisors.data.columns import FILES
from advisors.errors import DataError, Problem
from advisors.locale.codes import CODE_NAMES

openpyxl = pytest.importorskip("openpyxl", reason="the advisors-xlsx plugin needs openpyxl")
xlsx_reader = pytest.importorskip("advisors_xlsx.reader", reason="advisors-xlsx not installed")
from advisors_xlsx.cells import cell_text, date_text  # noqa: E402
from advisors_xlsx.template import write_template  # noqa: E402

from .conftest import TONGREN  # noqa: E402

CELL = re.compile(r"^[^!]+![A-Z]{1,3}[1-9][0-9]*$")


@pytest.fixture(scope="module")
def tongren_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template filled with the Tongren example, written by ``advisors init``."""
    folder = tmp_path_factory.mktemp("book") / "tongren"
    assert run(["init", str(folder), "--format", "xlsx", "--example", "tongren"]) == 0
    return folder / "dataset.xlsx"


def test_template_filled_with_tongren_loads_to_the_folders_dataset(tongren_book: Path) -> None:
    loaded = advisors.data.dispatch.load_dataset(tongren_book)
    assert advisors.read_folder(TONGREN) == loaded
    assert loaded.calendar.festivals  # the festivals sheet carried calendar.toml's festivals
    assert run(["check", str(tongren_book)]) == 0


def test_the_filled_template_shows_chinese_names_not_codes(tongren_book: Path) -> None:
    book = openpyxl.load_workbook(tongren_book)
    cells = {sheet: [str(c.value) for row in book[sheet].iter_rows(min_row=2) for c in row]
             for sheet in ("villages", "advisors", "people")}
    codes = {*advisors.model.ADVISOR_ROLES, *advisors.model.PERSON_ROLES,
             *advisors.model.PERSON_STATUSES, *advisors.model.SERVICE_CLASSES,
             "bo", "zh", "bo;zh", "true", "false"}
    assert not codes.intersection(v for values in cells.values() for v in values)
    assert "律师" in cells["advisors"] and "是" in cells["advisors"]
    assert "藏语;汉语" in cells["villages"] and "法律明白人" in cells["people"]


def test_empty_template_has_headers_drop_downs_and_instructions(tmp_path: Path) -> None:
    assert run(["init", str(tmp_path / "new"), "--format", "xlsx"]) == 0
    path = tmp_path / "new" / "dataset.xlsx"
    book = openpyxl.load_workbook(path)
    assert "说明" in book.sheetnames
    assert any("填写" in str(c.value) for row in book["说明"].iter_rows() for c in row)
    villages = book["villages"]
    assert villages.freeze_panes == "A2"
    header = [c.value for c in villages[1]]
    assert [re.search(r"\((\w+)\)$", h).group(1) for h in header] == [  # type: ignore[union-attr]
        c.name for c in FILES["villages"].columns]
    rules = {str(v.sqref).split(":")[0][:-1]: v.formula1
             for v in villages.data_validations.dataValidation}
    letter = {c.name: openpyxl.utils.get_column_letter(i + 1)
              for i, c in enumerate(FILES["villages"].columns)}
    # Drop-downs show the Chinese name of every code, in the model's order.
    assert rules[letter["kind"]].strip('"').split(",") == [
        CODE_NAMES["village_kind"][c] for c in advisors.model.VILLAGE_KINDS]
    assert rules[letter["service_class"]].strip('"').split(",") == [
        CODE_NAMES["service_class"][c] for c in advisors.model.SERVICE_CLASSES]
    assert rules[letter["township"]].startswith("townships!$A$2")
    assert "藏汉双语" in rules[letter["languages"]]
    assert "bo" not in rules[letter["languages"]]
    people = book["people"]
    people_rules = [v.formula1 for v in people.data_validations.dataValidation]
    for field, choices in (("person_role", advisors.model.PERSON_ROLES),
                           ("person_status", advisors.model.PERSON_STATUSES)):
        assert '"' + ",".join(CODE_NAMES[field][c] for c in choices) + '"' in people_rules
    assert all(book[n].column_dimensions["A"].width >= 6 for n in ("villages", "people"))
    empty = xlsx_reader.read_workbook(path)
    assert empty.villages == () and empty.policy == advisors.Policy()


def test_init_xlsx_without_the_plugin_says_install_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ADVISORS_LOAD_PLUGINS", "")
    advisors.plugins.reset_plugin_manager()
    assert run(["init", str(tmp_path / "x"), "--format", "xlsx"]) == 2
    assert "install advisors-xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# The same mistakes made in a CSV folder and in a workbook: (sheet, data row, column, value).
EDITS = [
    ("villages", 4, "kind", "town"),
    ("villages", 6, "lat", "north"),
    ("villages", 8, "township", "atlantis"),
    ("people", 9, "village", "nowhere"),
    ("people", 11, "certified_on", "2023-02-30"),
    ("advisors", 2, "id", "adv-01"),
    ("unavailability", 1, "start", "2026-13-45"),
    ("trainers", 0, "languages", ""),
    ("trainers", 1, "topics", "astrology"),
]


def _problems(load: Any, path: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        load(path)
    return list(caught.value.problems)


def _column(name: str, column: str) -> int:
    return [c.name for c in FILES[name].columns].index(column)


def test_every_error_is_located_at_its_cell_as_completely_as_in_csv(tmp_path: Path,
                                                                    tongren: advisors.Dataset
                                                                    ) -> None:
    folder, book_path = tmp_path / "csv", tmp_path / "broken.xlsx"
    advisors.write_folder(tongren, folder)
    write_template(book_path, tongren)
    book = openpyxl.load_workbook(book_path)
    expected_cells = set()
    for name, row, column, value in EDITS:
        path = folder / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            table = list(csv.reader(fh))
        table[row + 1][_column(name, column)] = value
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(table)
        letter = openpyxl.utils.get_column_letter(_column(name, column) + 1)
        book[name][f"{letter}{row + 2}"].value = value or None
        expected_cells.add(f"{name}!{letter}{row + 2}")
    book.save(book_path)

    from_csv = _problems(advisors.read_folder, folder)
    from_book = _problems(xlsx_reader.read_workbook, book_path)
    assert all(CELL.match(p.source) and p.line is None for p in from_book), from_book
    assert expected_cells <= {p.source for p in from_book}

    def gist(problems: list[Problem]) -> Counter[tuple[Any, ...]]:
        return Counter((p.message, p.field, p.value) for p in problems)

    assert gist(from_book) == gist(from_csv)
    # The row of each problem is the CSV line: the sheet's row numbers are the file's.
    rows = Counter((p.source.split("!")[0], int(re.sub(r"^.*![A-Z]+", "", p.source)))
                   for p in from_book)
    assert rows == Counter((p.source.removesuffix(".csv"), p.line) for p in from_csv)
    assert run(["check", str(book_path)]) == 2


def _office_book(path: Path) -> None:
    """A workbook the way an office keeps it: Chinese names, a title, merged cells, text dates."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "乡镇"
    ws.append(["编号", "名称"])
    ws.append(["longwu", "隆务镇"])
    ws.append(["baoan", "保安镇"])
    ws = book.create_sheet("村（社区）")
    ws.append(["同仁市村（社区）名单"])
    ws.merge_cells("A1:I1")
    ws.append(["编号", "名称", "所属乡镇", "类型", "服务类别", "语言", "纬度", "经度", "备注"])
    ws.append(["lw-1", "一村", "longwu", "village", "remote", "bo", 35.5, 102.0, "山上"])
    ws.append(["lw-2", "二村", None, "village", "remote", "bo;zh", 35.25, 102.5, None])
    ws.append(["ba-1", "三村", "baoan", "community", "community", "zh", 35, 102, None])
    ws.merge_cells("C3:C4")  # one township name over its two villages
    for r in range(6, 40):  # formatted but empty rows, as Excel leaves them
        ws.cell(r, 1).value = None
        ws.cell(r, 2).number_format = "@"
        ws.cell(r, 3).value = "  "
    ws = book.create_sheet("法律顾问")
    ws.append(["编号", "姓名", "身份", "所属单位", "语言", "纬度", "经度", "容量", "12348热线"])
    ws.append(["adv-1", "才让", "lawyer", "律所", "bo;zh", 35.5, 102.0, 3.0, True])
    ws = book.create_sheet("培训师资")
    ws.append(["编号", "姓名", "语言", "培训主题", "纬度", "经度"])
    ws.append(["tr-1", "卓玛", "bo", "civil_code", 35.5, 102.0])
    ws = book.create_sheet("法律明白人")
    ws.append(["编号", "姓名", "所属村", "身份", "状态", "认定日期", "电话"])
    ws.append(["p-1", "甲", "lw-1", "legal_savvy", "active", dt.datetime(2023, 6, 21), 13800000001])
    ws.append(["p-2", "乙", "lw-2", "legal_savvy", "active", "2023年6月1日", "13800000002"])
    ws.append(["p-3", "丙", "ba-1", "cadre", "candidate", "2023/6/9", None])
    ws = book.create_sheet("请假")
    ws.append(["人员编号", "开始日期", "结束日期", "事由"])
    ws.append(["adv-1", dt.date(2026, 12, 7), "2026.12.11", "培训"])
    ws = book.create_sheet("节日")
    ws.append(["名称", "开始日期", "结束日期", "适用乡镇"])
    ws.append(["藏历新年", dt.datetime(2027, 2, 7), "2027/2/9", "longwu；baoan"])
    ws = book.create_sheet("工作规则")
    ws.append(["项目", "取值"])
    ws.append(["visits.max_per_day", 2.0])
    ws.append(["hotline.required_languages", '["bo", "zh"]'])
    ws.append(["visits.start", dt.time(8, 30)])
    book.save(path)


def _office_folder(folder: Path) -> None:
    """The same data as :func:`_office_book`, as the CSV folder format."""
    folder.mkdir()
    files = {
        "townships": "id,name\nlongwu,隆务镇\nbaoan,保安镇\n",
        "villages": "id,name,township,kind,service_class,languages,lat,lon,备注\n"
                    "lw-1,一村,longwu,village,remote,bo,35.5,102.0,山上\n"
                    "lw-2,二村,longwu,village,remote,bo;zh,35.25,102.5,\n"
                    "ba-1,三村,baoan,community,community,zh,35,102,\n",
        "advisors": "id,name,role,organization,languages,lat,lon,capacity,hotline\n"
                    "adv-1,才让,lawyer,律所,bo;zh,35.5,102.0,3,true\n",
        "trainers": "id,name,languages,topics,lat,lon\ntr-1,卓玛,bo,civil_code,35.5,102.0\n",
        "people": "id,name,village,role,status,certified_on,phone\n"
                  "p-1,甲,lw-1,legal_savvy,active,2023-06-21,13800000001\n"
                  "p-2,乙,lw-2,legal_savvy,active,2023-06-01,13800000002\n"
                  "p-3,丙,ba-1,cadre,candidate,2023-06-09,\n",
        "unavailability": "who,start,end,reason\nadv-1,2026-12-07,2026-12-11,培训\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    (folder / "calendar.toml").write_text(
        '[[festival]]\nname = "藏历新年"\nstart = 2027-02-07\nend = 2027-02-09\n'
        'townships = ["longwu", "baoan"]\n', encoding="utf-8")
    (folder / "policy.toml").write_text(
        '[visits]\nmax_per_day = 2\nstart = "08:30"\n'
        '[hotline]\nrequired_languages = ["bo", "zh"]\n',
        encoding="utf-8")


def test_office_workbook_reads_like_the_same_csv_folder(tmp_path: Path) -> None:
    _office_book(tmp_path / "office.xlsx")
    _office_folder(tmp_path / "office")
    from_book = xlsx_reader.read_workbook(tmp_path / "office.xlsx")
    from_folder = advisors.read_folder(tmp_path / "office")
    assert from_book == from_folder
    assert from_book.extras == from_folder.extras  # the office's own column is kept
    assert from_book.policy.visits.max_per_day == 2


def test_bad_policy_and_calendar_cells_are_located(tmp_path: Path) -> None:
    path = tmp_path / "office.xlsx"
    _office_book(path)
    book = openpyxl.load_workbook(path)
    book["工作规则"]["B2"].value = "many"
    book["节日"]["B2"].value = "someday"
    book["法律明白人"]["F3"].value = "2023年13月1日"
    book["村（社区）"]["G4"].value = "north"  # below the title row and the header
    book.save(path)
    sources = {p.source for p in _problems(xlsx_reader.read_workbook, path)}
    assert sources == {"工作规则!B2", "节日!B2", "法律明白人!F3", "村（社区）!G4"}


def test_missing_sheet_and_column_are_named(tmp_path: Path) -> None:
    path = tmp_path / "office.xlsx"
    _office_book(path)
    book = openpyxl.load_workbook(path)
    del book["培训师资"]
    book["法律明白人"]["C1"].value = "备注"  # the village column is gone
    book.save(path)
    problems = _problems(xlsx_reader.read_workbook, path)
    assert any(p.source == "trainers" and p.message == "missing sheet" for p in problems)
    assert any(p.source == "法律明白人!1:1" and p.field == "village" for p in problems)


def test_not_a_workbook_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("id,name\n", encoding="utf-8")
    assert run(["check", str(path)]) == 2
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    problems = _problems(xlsx_reader.read_workbook, tmp_path / "old.xls")
    assert "xlsx" in (problems[0].expected or "")


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_cell_reads_back_as_the_same_number(x: float) -> None:
    assert float(cell_text(x)) == x


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
       st.sampled_from(["{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}.{m:02d}.{d:02d}", "{y}-{m}-{d}"]))
def test_text_dates_in_office_spellings_become_iso(day: dt.date, spelling: str) -> None:
    text = spelling.format(y=day.year, m=day.month, d=day.day)
    assert date_text(text) == day.isoformat()
    assert cell_text(dt.datetime.combine(day, dt.time(0))) == day.isoformat()


def test_every_chinese_name_is_documented() -> None:
    from advisors_xlsx.aliases import COLUMN_ALIASES, SHEET_ALIASES

    text = (TONGREN.parent.parent / "docs" / "data-format.md").read_text("utf-8")
    section = text[text.index("## Workbooks (.xlsx)"):]
    names = [n for aliases in SHEET_ALIASES.values() for n in aliases]
    names += [n for sheet in COLUMN_ALIASES.values() for ns in sheet.values() for n in ns]
    assert [n for n in names if f"`{n}`" not in section] == []


def test_a_name_typed_as_a_formula_stays_text(tmp_path: Path, tongren: advisors.Dataset) -> None:
    import attrs

    hostile = '=HYPERLINK("http://x","y")'
    villages = [attrs.evolve(v, name=hostile) if i == 0 else v
                for i, v in enumerate(tongren.villages)]
    ds = attrs.evolve(tongren, villages=villages)
    write_template(tmp_path / "b.xlsx", ds)
    cell = openpyxl.load_workbook(tmp_path / "b.xlsx")["villages"]["B2"]
    assert cell.data_type == "s" and cell.value == hostile
    assert xlsx_reader.read_workbook(tmp_path / "b.xlsx") == ds
