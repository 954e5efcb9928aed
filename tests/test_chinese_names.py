"""Every coded value is accepted by its Chinese name, in CSV folders and in JSON.

Invariant (hypothesis): writing any code of the example as its Chinese name or
one of its aliases — per cell, in any mix — reads back to the same dataset.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisors import DataError, Period, dataset_from_dict, dataset_to_dict, load_dataset
from advisors.languages import parse_languages
from advisors.locale.codes import CODE_ALIASES, CODE_NAMES, CODE_SETS, choice_lookup, code_name

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tongren"
CODED = {  # file → column → coded field
    "villages": {"kind": "village_kind", "service_class": "service_class"},
    "advisors": {"role": "advisor_role"},
    "people": {"role": "person_role", "status": "person_status"},
}
LANGUAGE_NAMES = {"bo": ("藏语", "藏文", "藏"), "zh": ("汉语", "中文", "汉文", "普通话")}


def _spellings(field: str, code: str) -> list[str]:
    return [code, CODE_NAMES[field][code], *CODE_ALIASES[field][code]]


def test_every_code_has_one_chinese_name_and_no_name_is_shared() -> None:
    for field, codes in CODE_SETS.items():
        assert set(CODE_NAMES[field]) == set(codes), field
        lookup = choice_lookup(field)
        for code in codes:
            for spelling in _spellings(field, code):
                assert lookup[spelling.lower()] == code, (field, spelling)
        assert len(set(CODE_NAMES[field].values())) == len(codes), field


def _rewrite(folder: Path, rnd: random.Random) -> None:
    for name, columns in CODED.items():
        path = folder / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            for column, field in columns.items():
                row[column] = rnd.choice(_spellings(field, row[column]))
            if row.get("languages"):
                tags = row["languages"].split(";")
                if tags == ["bo", "zh"] and rnd.random() < 0.5:
                    row["languages"] = "藏汉双语"
                else:
                    row["languages"] = rnd.choice(["；", "、", ";"]).join(
                        rnd.choice([t, *LANGUAGE_NAMES.get(t, ())]) for t in tags)
            for flag in ("hotline", "active"):
                if row.get(flag):
                    row[flag] = {"true": "是", "false": "否"}[row[flag]]
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_chinese_names_in_a_folder_read_as_the_codes(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    folder = tmp_path / f"f{seed}"
    shutil.copytree(EXAMPLE, folder)
    _rewrite(folder, rnd)
    assert load_dataset(folder) == load_dataset(EXAMPLE)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_chinese_names_in_json_read_as_the_codes(seed: int) -> None:
    rnd = random.Random(seed)
    original = load_dataset(EXAMPLE)
    form = dataset_to_dict(original)
    for name, columns in CODED.items():
        for record in form[name]:
            for column, field in columns.items():
                record[column] = rnd.choice(_spellings(field, record[column]))
    for trainer in form["trainers"]:
        names = original.policy.training.topic_names
        trainer["topics"] = [rnd.choice([t, names[t]]) for t in trainer["topics"]]
    assert dataset_from_dict(form) == original


def test_trainer_topics_by_the_policys_names(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "trainers.csv").read_text(encoding="utf-8")
    (folder / "trainers.csv").write_text(
        text.replace("civil_code;land_contract;mediation", "民法典;土地承包；人民调解"),
        encoding="utf-8")
    trainer = load_dataset(folder).trainer_by_id["tr-01"]
    assert trainer.topics == ("civil_code", "land_contract", "mediation")


def test_an_unknown_chinese_name_is_a_located_error_that_lists_the_names(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "advisors.csv").read_text(encoding="utf-8")
    (folder / "advisors.csv").write_text(text.replace(",lawyer,", ",大律师,", 1),
                                         encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    message = str(err.value)
    assert "advisors.csv:2" in message and "role" in message and "大律师" in message
    assert "基层法律服务工作者" in message


def test_bilingual_names() -> None:
    assert parse_languages("藏汉双语") == (("bo", "zh"), [])
    assert parse_languages("藏语、汉语") == (("bo", "zh"), [])
    assert parse_languages("汉语;藏汉双语") == (("zh", "bo"), [])


def test_code_name_shows_the_chinese_and_keeps_an_unknown_code() -> None:
    assert code_name("advisor_role", "legal_aid") == "法律援助律师"
    assert code_name("advisor_role", "judicial_office") == "judicial_office"


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2026年12月", "2026-12-01", "2026-12-31", "2026-12"),
    ("2026/12", "2026-12-01", "2026-12-31", "2026-12"),
    ("2026年1月", "2026-01-01", "2026-01-31", "2026-01"),
    ("２０２６年１２月", "2026-12-01", "2026-12-31", "2026-12"),
    ("2026年第四季度", "2026-10-01", "2026-12-31", "2026-Q4"),
    ("2026年第1季度", "2026-01-01", "2026-03-31", "2026-Q1"),
    ("2026年二季度", "2026-04-01", "2026-06-30", "2026-Q2"),
    ("2027年", "2027-01-01", "2027-12-31", "2027"),
    ("2027年度", "2027-01-01", "2027-12-31", "2027"),
])
def test_chinese_periods(text: str, start: str, end: str, label: str) -> None:
    period = Period.parse(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, label)


@pytest.mark.parametrize("text", ["2026年13月", "2026年第五季度", "2026年12月32日", "二〇二六年"])
def test_wrong_chinese_periods_are_errors(text: str) -> None:
    with pytest.raises(DataError):
        Period.parse(text)
