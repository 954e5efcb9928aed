"""Rosters as a township office reads them: Chinese headings, names not codes, changes said once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import advisors
from advisors.locale import Translator, cldr
from advisors.output import export
from advisors.output.rows import ROSTER_COLUMNS, ROSTER_HEADINGS, roster_rows

from .test_exporters import STAMP, publish, sample_events

CODES = {"bo", "zh", "bo;zh", "zh;bo", *advisors.model.ADVISOR_ROLES}


def test_moved_rows_show_the_old_day_and_cancelled_rows_say_it_once(
        tongren: advisors.Dataset) -> None:
    first = publish(tongren, sample_events(tongren))
    second = publish(tongren, sample_events(tongren, shift_days=1)[:-1], first.events,
                     STAMP + dt.timedelta(days=1), 2)
    before = {e.event.id: e.event.start for e in first.events}
    kinds = {c.id: c.kind for c in second.changes}
    rows = {r.event: r for r in roster_rows(second, Translator.load())}
    moved = [i for i, k in kinds.items() if k == "moved"]
    cancelled = [i for i, k in kinds.items() if k == "cancelled"]
    assert moved and cancelled
    for ident in moved:
        old = before[ident]
        said = rows[ident].change
        assert cldr.format_date(old, "zh", "long") in said and f"{old:%H:%M}" in said
        assert old.date().isoformat() not in said  # people read the day in words
        assert rows[ident].date != old.date().isoformat()
    for ident in cancelled:
        cells = rows[ident].values()
        assert cells.count("已取消") == 1 and not any("已取消" in c for c in cells if c != "已取消")


def test_roster_csv_is_headed_in_chinese_and_shows_no_codes(tongren: advisors.Dataset,
                                                             tmp_path: Path) -> None:
    export(publish(tongren, sample_events(tongren)), tmp_path, names=["roster-csv", "roster-md"])
    text = (tmp_path / "rosters" / "roster.csv").read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [ROSTER_HEADINGS[c] for c in ROSTER_COLUMNS]
    assert rows[0][-1] == "日历事件编号"
    assert all(not any(ch.isascii() and ch.isalpha() for ch in h) for h in rows[0])
    languages = {r[rows[0].index("语言")] for r in rows[1:]}
    assert languages - {""} and not languages & CODES
    assert all("藏语" in v or "汉语" in v for v in languages - {""})
    markdown = (tmp_path / "rosters" / "roster.md").read_text("utf-8")
    assert "| 日期 | 星期 |" in markdown


def test_every_roster_lists_rows_made_once_per_translator(tongren: advisors.Dataset) -> None:
    pub = publish(tongren, sample_events(tongren))
    translator = Translator.load()
    first = roster_rows(pub, translator)
    again = roster_rows(pub, translator)
    assert first == again and all(a is b for a, b in zip(first, again, strict=True))
    again.pop()  # a caller's list is its own
    assert roster_rows(pub, translator) == first
    # another translator, or a selection of events, gets rows of its own
    other = roster_rows(pub, Translator.load(review=True))
    assert other == first and all(a is not b for a, b in zip(first, other, strict=True))
    some = roster_rows(pub, translator, pub.events[:2])
    assert some == first[:2] and some[0] is not first[0]
