"""Reading dataset folders and JSON: encodings, and bad input reported completely.

The fixture folders are built in each test from the Tongren example, so that
the bytes under test (GB18030, a BOM, a binary file) are visible here rather
than hidden in committed files.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from advisors import DataError, Dataset, read_folder, read_json, write_folder, write_json
from advisors.cli import run
from advisors.data.columns import FILES

from .conftest import TONGREN


def copy_example(tmp_path: Path) -> Path:
    """A private copy of the Tongren folder (without the maker script)."""
    folder = tmp_path / "data"
    shutil.copytree(TONGREN, folder, ignore=shutil.ignore_patterns("*.py", "README.md"))
    return folder


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def write_table(path: Path, header: list[str], rows: list[list[str]],
                encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> int:
    """Change one cell (``row`` counts data rows from 0); return its file line."""
    header, rows = read_table(path)
    rows[row][header.index(column)] = value
    write_table(path, header, rows)
    return row + 2


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def problem_set(exc: DataError) -> set[tuple[str, int | None, str | None, str]]:
    return {(p.source, p.line, p.field, p.message) for p in exc.problems}


# --- the example itself -------------------------------------------------------------------


def test_example_loads_with_expected_counts() -> None:
    data = read_folder(TONGREN)
    for name in ("townships", "villages", "advisors", "trainers", "people", "venues",
                 "assignments", "unavailability"):
        _, rows = read_table(TONGREN / f"{name}.csv")
        assert len(getattr(data, name)) == len([r for r in rows if any(c.strip() for c in r)])
    assert data.calendar.festivals, "calendar.toml festivals are read"


def test_example_indexes_are_consistent(tongren: Dataset) -> None:
    assert set(tongren.village_by_id) == {v.id for v in tongren.villages}
    for township, villages in tongren.villages_of_township.items():
        assert all(v.township == township for v in villages)
    assert sum(len(v) for v in tongren.villages_of_township.values()) == len(tongren.villages)
    assert sum(len(p) for p in tongren.people_of_village.values()) == len(tongren.people)


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_read_the_same_dataset(tmp_path: Path, encoding: str) -> None:
    folder = copy_example(tmp_path)
    for name in ("townships", "villages", "people"):
        path = folder / f"{name}.csv"
        text = path.read_text("utf-8")
        if encoding == "gb18030":
            # GB18030 cannot hold nothing we lose: Tibetan script is in it too.
            assert text.encode("gb18030").decode("gb18030") == text
        if encoding == "utf-16":  # Excel's "Unicode text" is tab-separated UTF-16
            header, rows = read_table(path)
            text = "\r\n".join("\t".join(r) for r in [header, *rows]) + "\r\n"
        path.write_bytes(text.encode(encoding))
    data = read_folder(folder)
    assert data == read_folder(TONGREN)
    assert any("隆务" in t.name for t in data.townships)


def test_gb18030_chinese_text_survives(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    line = set_cell(folder / "villages.csv", 0, "name", "曲库乎乡江什加村")
    raw = (folder / "villages.csv").read_text("utf-8").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the test is only honest if this is not also UTF-8
    (folder / "villages.csv").write_bytes(raw)
    data = read_folder(folder)
    assert data.villages[line - 2].name == "曲库乎乡江什加村"


def test_bom_header_is_recognised(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    text = (folder / "advisors.csv").read_text("utf-8")
    (folder / "advisors.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_folder(folder).advisors == read_folder(TONGREN).advisors


def test_extra_columns_are_kept_and_written_back(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    header, rows = read_table(folder / "advisors.csv")
    write_table(folder / "advisors.csv", [*header, "备注"],
                [[*r, f"note {i}" if i % 2 else ""] for i, r in enumerate(rows)])
    data = read_folder(folder)
    assert data.extras["advisors.csv"][rows[1][0]] == {"备注": "note 1"}
    assert rows[0][0] not in data.extras["advisors.csv"]
    out = tmp_path / "out"
    write_folder(data, out)
    again = read_folder(out)
    assert again == data and again.extras == data.extras


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    header, rows = read_table(folder / "advisors.csv")
    keep = [i for i, h in enumerate(header) if h not in ("email", "capacity", "hotline")]
    write_table(folder / "advisors.csv", [header[i] for i in keep],
                [[r[i] for i in keep] for r in rows])
    data = read_folder(folder)
    assert all(a.email == "" and a.capacity is None and not a.hotline for a in data.advisors)


# --- every problem, located ---------------------------------------------------------------


def make_broken_folder(tmp_path: Path) -> tuple[Path, set[tuple[str, int | None, str | None]]]:
    """The example with one of each kind of mistake; returns where each must be reported."""
    folder = copy_example(tmp_path)
    want: set[tuple[str, int | None, str | None]] = set()
    # unknown reference
    line = set_cell(folder / "people.csv", 4, "village", "no-such-village")
    want.add(("people.csv", line, "village"))
    # duplicate id (in another file: ids share one namespace)
    _, advisors = read_table(folder / "advisors.csv")
    line = set_cell(folder / "trainers.csv", 1, "id", advisors[0][0])
    want.add(("trainers.csv", line, "id"))
    # bad coordinate, bad number
    line = set_cell(folder / "villages.csv", 3, "lat", "135.2")
    want.add(("villages.csv", line, "lat"))
    line = set_cell(folder / "villages.csv", 5, "population", "lots")
    want.add(("villages.csv", line, "population"))
    # empty required field, unknown kind and language
    line = set_cell(folder / "villages.csv", 6, "name", "  ")
    want.add(("villages.csv", line, "name"))
    line = set_cell(folder / "villages.csv", 7, "kind", "hamlet")
    want.add(("villages.csv", line, "kind"))
    line = set_cell(folder / "villages.csv", 8, "languages", "bo;klingon")
    want.add(("villages.csv", line, "languages"))
    # unknown role, bad date, bad boolean
    line = set_cell(folder / "advisors.csv", 2, "role", "judge")
    want.add(("advisors.csv", line, "role"))
    line = set_cell(folder / "advisors.csv", 3, "hotline", "maybe")
    want.add(("advisors.csv", line, "hotline"))
    line = set_cell(folder / "unavailability.csv", 0, "start", "2026-13-40")
    want.add(("unavailability.csv", line, "start"))
    # GB18030 text in an otherwise good file must read fine: no problem expected from it
    text = (folder / "townships.csv").read_text("utf-8")
    (folder / "townships.csv").write_bytes(text.encode("gb18030"))
    # a BOM on a file with a problem: the header still parses, the problem is located
    line = set_cell(folder / "venues.csv", 0, "capacity", "-3")
    text = (folder / "venues.csv").read_text("utf-8")
    (folder / "venues.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    want.add(("venues.csv", line, "capacity"))
    # a binary file, a missing column, a file that is not CSV at all
    (folder / "assignments.csv").write_bytes(bytes(range(256)) * 4)
    want.add(("assignments.csv", None, None))
    header, rows = read_table(folder / "trainers.csv")
    drop = header.index("languages")
    write_table(folder / "trainers.csv", header[:drop] + header[drop + 1:],
                [r[:drop] + r[drop + 1:] for r in rows])
    want.discard(("trainers.csv", 3, "id"))  # the duplicate moves: trainers.csv is unread now
    want.add(("trainers.csv", 1, "languages"))
    line = set_cell(folder / "people.csv", 9, "id", advisors[0][0])
    want.add(("people.csv", line, "id"))
    (folder / "attendance.csv").write_text("<!DOCTYPE html>\n<html><body>签到表</body></html>\n",
                                           "utf-8")
    want.add(("attendance.csv", 1, "session"))
    return folder, want


def test_every_problem_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    folder, want = make_broken_folder(tmp_path)
    with pytest.raises(DataError) as info:
        read_folder(folder)
    found = {(p.source, p.line, p.field) for p in info.value.problems}
    missing = want - found
    assert not missing, f"not reported: {missing}\nreported: {sorted(map(str, found))}"
    for p in info.value.problems:
        assert p.source.endswith(".csv") or p.source.endswith(".toml")
        if p.line and p.line > 1 and p.field in ("lat", "population", "kind", "languages",
                                                  "role", "hotline", "start"):
            assert p.value is not None and p.expected


def test_cli_check_on_broken_folder_exits_2_lists_all_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, want = make_broken_folder(tmp_path)
    before = snapshot(tmp_path)
    assert run(["check", str(folder)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    for source, line, field in want:
        location = source if line is None else f"{source}:{line}"
        assert location in captured.err, location
        if field:
            assert f"{location} [{field}]" in captured.err
    assert snapshot(tmp_path) == before


def test_binary_file_is_named_as_binary(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "people.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(DataError) as info:
        read_folder(folder)
    assert any(p.source == "people.csv" and "binary" in p.message for p in info.value.problems)


def test_undecodable_text_says_which_encodings(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    # Valid in neither UTF-8 nor GB18030: a lone lead byte at the end.
    (folder / "townships.csv").write_bytes(b"id,name,name_bo\nx,y,\n\x81")
    with pytest.raises(DataError) as info:
        read_folder(folder)
    [problem] = [p for p in info.value.problems if p.source == "townships.csv"]
    assert problem.message == "undecodable bytes"
    assert "GB18030" in (problem.expected or "") and problem.line == 3


def test_missing_required_file_and_empty_file(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "trainers.csv").unlink()
    (folder / "people.csv").write_text("", "utf-8")
    with pytest.raises(DataError) as info:
        read_folder(folder)
    got = {(p.source, p.message) for p in info.value.problems}
    assert ("trainers.csv", "missing file") in got
    assert ("people.csv", "missing header") in got


def test_unavailability_ending_before_start_is_reported(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    line = set_cell(folder / "unavailability.csv", 1, "end", "2020-01-01")
    with pytest.raises(DataError) as info:
        read_folder(folder)
    assert ("unavailability.csv", line, "end", "ends before it starts") in problem_set(info.value)


def test_bad_policy_and_calendar_are_located(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "policy.toml").write_text("[visits]\nmax_per_dya = 2\n", "utf-8")
    (folder / "calendar.toml").write_text("[[festival]]\nname = 'x'\nstart = 'soon'\n", "utf-8")
    with pytest.raises(DataError) as info:
        read_folder(folder)
    got = {(p.source, p.field) for p in info.value.problems}
    assert ("policy.toml", "visits.max_per_dya") in got
    assert ("calendar.toml", "festival[0].start") in got


def test_blank_rows_are_skipped_and_lines_still_count(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    header, rows = read_table(folder / "villages.csv")
    rows.insert(2, [""] * len(header))
    rows[5][header.index("lon")] = "east"
    write_table(folder / "villages.csv", header, rows)
    with pytest.raises(DataError) as info:
        read_folder(folder)
    assert {(p.source, p.line, p.field) for p in info.value.problems} == {
        ("villages.csv", 7, "lon")
    }


def test_quoted_cells_with_commas_quotes_and_newlines(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    name = '才让, "多杰"\n第二行'
    header, rows = read_table(folder / "advisors.csv")
    rows[0][header.index("name")] = name
    rows[2][header.index("lat")] = "north"
    write_table(folder / "advisors.csv", header, rows)
    with pytest.raises(DataError) as info:
        read_folder(folder)
    # the quoted name spans two lines, so the bad row is on line 5, not 4; a name is one
    # line (a newline breaks calendar headers and spreadsheets)
    assert problem_set(info.value) == {("advisors.csv", 5, "lat", "bad coordinate"),
                                       ("advisors.csv", 2, "name", "value not accepted")}
    rows[0][header.index("name")] = name.replace("\n", " ")
    rows[2][header.index("lat")] = "35.5"
    write_table(folder / "advisors.csv", header, rows)
    assert read_folder(folder).advisors[0].name == name.replace("\n", " ")


# --- JSON form ----------------------------------------------------------------------------


def test_json_round_trip_of_example(tmp_path: Path, tongren: Dataset) -> None:
    write_json(tongren, tmp_path / "d.json")
    again = read_json(tmp_path / "d.json")
    assert again == tongren
    assert again.calendar == tongren.calendar and again.policy == tongren.policy


def test_json_problems_are_located_by_record(tmp_path: Path, tongren: Dataset) -> None:
    write_json(tongren, tmp_path / "d.json")
    data = json.loads((tmp_path / "d.json").read_text("utf-8"))
    data["villages"][2]["lat"] = "north"
    data["advisors"][0]["role"] = "judge"
    data["unexpected"] = 1
    (tmp_path / "d.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(DataError) as info:
        read_json(tmp_path / "d.json")
    got = {(p.source, p.field) for p in info.value.problems}
    assert ("d.json: villages[2]", "lat") in got
    assert ("d.json: advisors[0]", "role") in got
    assert ("d.json", "unexpected") in got


def test_json_syntax_error_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text('{"villages": [', "utf-8")
    with pytest.raises(DataError) as info:
        read_json(tmp_path / "d.json")
    assert info.value.problems[0].message == "not valid JSON"


def test_writer_and_spec_agree_on_columns(tmp_path: Path, tongren: Dataset) -> None:
    out = tmp_path / "out"
    write_folder(tongren, out, bom=True)
    for name in ("townships", "villages", "advisors", "trainers", "people"):
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header, _ = read_table(out / f"{name}.csv")
        assert header == [c.name for c in FILES[name].columns]
    assert read_folder(out) == tongren


def test_json_unknown_record_keys_are_kept_like_extra_columns(tmp_path: Path,
                                                              tongren: Dataset) -> None:
    from advisors import dataset_from_dict, dataset_to_dict

    data = dataset_to_dict(tongren)
    first = data["villages"][0]
    first["备注"] = "路远"
    again = dataset_from_dict(json.loads(json.dumps(data)))
    assert again == tongren
    assert again.extras["villages.csv"][first["id"]] == {"备注": "路远"}
    write_folder(again, tmp_path / "out")
    assert read_folder(tmp_path / "out").extras == again.extras


def test_json_reports_row_and_reference_problems_together(tongren: Dataset) -> None:
    from advisors import dataset_from_dict, dataset_to_dict

    data = json.loads(json.dumps(dataset_to_dict(tongren)))
    data["villages"][1]["lon"] = "east"          # that village is rejected…
    rejected_id = data["villages"][1]["id"]
    data["people"][0]["village"] = "nowhere"      # …this reference is really unknown
    data["advisors"][2]["id"] = data["townships"][0]["id"]
    with pytest.raises(DataError) as info:
        dataset_from_dict(data)
    got = {(p.source, p.field, p.message) for p in info.value.problems}
    assert ("dataset.json: villages[1]", "lon", "bad coordinate") in got
    assert any(s.startswith("dataset.json: people[0]") and f == "village"
               for s, f, _ in got)
    assert any(f == "id" and m == "duplicate id" for _, f, m in got)
    # people of the rejected village are not reported again as unknown references
    assert not any(p.value == rejected_id and p.message == "unknown reference"
                   for p in info.value.problems)
