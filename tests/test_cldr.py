"""Dates, weekdays, months and times from CLDR: the Tibetan forms are CLDR ``bo``'s own data."""

from __future__ import annotations

import datetime as dt
import pickle

import babel.localedata
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisors.locale import cldr
from advisors.visits.patterns import Pattern


def _own_bo() -> dict[str, object]:
    with open(babel.localedata.resolve_locale_filename("bo"), "rb") as fh:
        data: dict[str, object] = pickle.load(fh)
    return data


def test_cldr_bo_itself_holds_every_form_we_use() -> None:
    own = _own_bo()
    days = own["days"]["format"]["wide"]  # type: ignore[index]
    months = own["months"]["format"]["wide"]  # type: ignore[index]
    print("bo weekdays:", [days[i] for i in range(7)])
    print("bo months:", [months[i] for i in range(1, 13)])
    assert days[1] == "གཟའ་མིག་དམར་" and months[12] == "ཟླ་བ་བཅུ་གཉིས་པ"
    for form, (kind, name) in cldr.DATE_FORMS.items():
        table = own["date_formats" if kind == "format" else "datetime_skeletons"]
        assert name in table, f"CLDR bo lacks {form} ({name})"  # type: ignore[operator]
        assert cldr.has_form("bo", form)
    assert "short" in own["time_formats"]  # type: ignore[operator]


def test_tibetan_full_date_is_cldrs_pattern() -> None:
    day = dt.date(2026, 12, 15)
    assert cldr.format_date(day, "bo", "full") == "2026 ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་15, གཟའ་མིག་དམར་"
    assert cldr.format_date(day, "zh", "full") == "2026年12月15日星期二"
    assert cldr.format_date(day, "en", "full") == "Tuesday, December 15, 2026"
    assert cldr.when(dt.datetime(2026, 12, 3, 9, 0), "zh") == "12月3日 09:00"


def test_a_form_tibetan_lacks_falls_back_to_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cldr.DATE_FORMS, "week", ("skeleton", "MMMMW"))  # root only: English
    assert not cldr.has_form("bo", "week")
    day = dt.date(2026, 12, 15)
    assert cldr.format_date(day, "bo", "week") == cldr.format_date(day, "zh", "week")


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_every_tibetan_date_names_its_weekday_and_month_from_cldr(day: dt.date) -> None:
    text = cldr.format_date(day, "bo", "full")
    assert cldr.weekday_name(day, "bo") in text
    assert cldr.month_name(day.month, "bo") in text
    assert str(day.day) in text and str(day.year) in text


def test_the_pattern_line_uses_cldr_weekdays_and_has_no_tibetan() -> None:
    pattern = Pattern(1, (1, 3))
    assert pattern.zh == "每月第1、3个星期二"
    assert pattern.en == "the 1st and 3rd Tuesday of the month"
    assert pattern.text("bo") is None  # no sourced ordinal wording: never made up


def test_language_names_come_from_cldr_and_match_the_glossary() -> None:
    assert cldr.language_name("bo", "zh") == "藏语"
    assert cldr.language_name("bo", "bo") == "བོད་སྐད་"  # glossary: 藏语 བོད་སྐད་ (CLDR)
    assert cldr.language_name("zh", "bo") == "རྒྱ་སྐད་"
    assert cldr.language_name("mjg", "zh") is None


@pytest.mark.parametrize(("start", "end", "zh", "bo", "en"), [
    ((2026, 12, 1), (2026, 12, 31), "2026年12月", "2026 ཟླ་༡༢", "December 2026"),
    ((2026, 10, 1), (2026, 12, 31), "2026年第四季度", "2026年第四季度", "4th quarter 2026"),
    ((2027, 1, 1), (2027, 12, 31), "2027年", "2027年", "2027"),
    ((2026, 12, 3), (2026, 12, 9), "2026年12月3日 – 2026年12月9日",
     "སྤྱི་ལོ་2026 ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་3 – སྤྱི་ལོ་2026 ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་9",
     "December 3, 2026 – December 9, 2026"),
])
def test_period_labels_from_cldr_tibetan_only_from_its_own_skeletons(
        start: tuple[int, int, int], end: tuple[int, int, int], zh: str, bo: str,
        en: str) -> None:
    first, last = dt.date(*start), dt.date(*end)
    assert [cldr.period_label(first, last, lang) for lang in ("zh", "bo", "en")] == [zh, bo, en]
