"""The package's holiday tables, kept in a cache file per package version, are the package's."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisors.calendar import statutory
from advisors.calendar.statutory import PackageYear, cache_file, package_year

YEARS = (2024, 2025, 2026)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ADVISORS_CACHE_DIR", str(tmp_path / "cache"))
    package_year.cache_clear()
    yield
    package_year.cache_clear()


def test_the_cache_file_is_named_by_the_package_version() -> None:
    path = cache_file()
    assert path is not None
    assert path.name == f"holidays-CN-{importlib.metadata.version('holidays')}.json"


def test_an_empty_cache_folder_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISORS_CACHE_DIR", "")
    assert cache_file() is None
    assert package_year(2026) == statutory._from_package(2026)


@pytest.mark.parametrize("year", YEARS)
def test_a_year_read_back_from_the_cache_is_the_packages(year: int) -> None:
    direct = statutory._from_package(year)
    assert direct.names_en and direct.names_zh  # the package knows these years
    first = package_year(year)  # made by the package, then written
    path = cache_file()
    assert path is not None and str(year) in json.loads(path.read_text("utf-8"))
    package_year.cache_clear()
    again = package_year(year)  # read from the file
    assert first == again == direct


def test_the_tables_say_the_2026_spring_festival_and_its_working_days() -> None:
    year = package_year(2026)
    assert "春节" in year.names_zh[dt.date(2026, 2, 17)]
    assert "Spring Festival" in year.names_en[dt.date(2026, 2, 17)]
    assert all(d.weekday() >= 5 for d in year.workdays)  # 调休: weekend days worked


def test_a_damaged_cache_file_is_made_again(tmp_path: Path) -> None:
    path = cache_file()
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_text('{"2026": {"en": {"not a date": 1}}}', "utf-8")
    assert package_year(2026) == statutory._from_package(2026)
    kept = PackageYear.from_dict(json.loads(path.read_text("utf-8"))["2026"])
    assert kept == statutory._from_package(2026)


def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", "utf-8")
    monkeypatch.setenv("ADVISORS_CACHE_DIR", str(blocked / "cache"))
    assert package_year(2026) == statutory._from_package(2026)
    assert blocked.read_text("utf-8") == "not a folder"


def test_a_run_with_the_year_cached_does_not_import_the_package(tmp_path: Path) -> None:
    env = dict(os.environ, ADVISORS_CACHE_DIR=str(tmp_path / "cache"))
    probe = ("import sys; from advisors.calendar.statutory import package_year; "
             "y = package_year(2026); print(len(y.names_en), 'holidays' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[1] == "True" and second[1] == "False"
    assert first[0] == second[0] != "0"
