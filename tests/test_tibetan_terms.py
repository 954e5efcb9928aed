"""Periods in words and sourced Tibetan terms on what people read.

No printed page or message shows a period code (``2026-12``, ``2026-Q4``) or an
ISO date: periods are CLDR words in the page's languages. The Tibetan of a
language name or a township's name is the glossary row's, copied exactly; a
composition (a name with its 镇/乡 suffix, a year with a quarter) appears only
in drafts, marked ⚠.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

import advisors
from advisors.cli import run
from advisors.locale import REVIEW_MARK, Translator, cldr
from advisors.output import export
from advisors.output.render import Renderer, tibetan_name
from advisors.output.translations.glossary import GLOSSARY, place_name
from advisors.period import Period
from advisors.plan.plan import Plan, make_plan

RAW = re.compile(r"\b\d{4}-(?:\d{2}|Q[1-4])\b|\b\d{4}-\d{2}-\d{2}\b")
"""A period code or an ISO date, as people must never read it."""


def _visible(html: str) -> str:
    html = re.sub(r"<(style|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _glossary_bo(zh: str) -> str:
    """The Tibetan of the glossary row whose Chinese column is ``zh`` (read here, by hand)."""
    with GLOSSARY.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row[0] == zh:
                return row[1]
    raise AssertionError(f"no glossary row {zh}")


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> Plan:
    return make_plan(tongren, "2026-12")


@pytest.fixture(scope="module")
def out(tongren: advisors.Dataset, december: Plan, tmp_path_factory: pytest.TempPathFactory
        ) -> Path:
    folder = tmp_path_factory.mktemp("out")
    export(december.publication(tongren), folder,
           names=["notices", "roster-html", "report", "notifications", "ics"])
    return folder


def test_no_page_shows_a_period_code_or_an_iso_date(out: Path) -> None:
    pages = [out / "report.html", *sorted((out / "rosters").glob("*.html")),
             *sorted((out / "notices").glob("*.html"))]
    assert len(pages) > 50
    for page in pages:
        text = _visible(page.read_text("utf-8"))
        assert not RAW.search(text), (page.name, RAW.search(text))
        footer = _visible(page.read_text("utf-8").split("<footer", 1)[1])
        assert "2026年12月" in footer, (page.name, footer)


def test_a_tibetan_village_notice_footer_gives_the_period_and_day_in_tibetan(
        tongren: advisors.Dataset, out: Path) -> None:
    village = next(v for v in sorted(tongren.villages, key=lambda v: v.id)
                   if "bo" in v.languages)
    footer = (out / "notices" / f"{village.id}.html").read_text("utf-8").split("<footer", 1)[1]
    month = cldr.period_label(dt.date(2026, 12, 1), dt.date(2026, 12, 31), "bo")
    assert f'<span lang="bo">{month}</span><span lang="zh">2026年12月</span>' in footer


def test_no_message_shows_a_period_code_or_an_iso_date(out: Path) -> None:
    bodies = [p.read_text("utf-8") for channel in ("sms", "wechat")
              for p in sorted((out / "notifications" / channel).glob("*.txt"))]
    assert len(bodies) > 20
    for feed in sorted((out / "calendars").rglob("*.ics")):  # what a phone shows of a feed
        cal = icalendar.Calendar.from_ical(feed.read_bytes())
        bodies.append(str(cal.get("X-WR-CALNAME", "")))
        bodies += [str(ev.get(k, "")) for ev in cal.walk("VEVENT")
                   for k in ("SUMMARY", "DESCRIPTION")]
    assert "服务排班表 · 2026年12月" in bodies
    for body in bodies:
        assert not RAW.search(body), body


@pytest.mark.parametrize("label", ["2026-12", "2026-Q4", "2027", "2026-12-01..2027-02-28"])
def test_every_page_footer_and_heading_says_the_period_in_words(label: str) -> None:
    period = Period.parse(label)
    page = Renderer.create().render("_base.html", langs=("bo", "zh"), period=period,
                                    version=1, stamp="2026-11-30")
    text = _visible(page)
    assert not RAW.search(text) and ".." not in text
    assert cldr.period_label(period.start, period.end, "zh") in text
    assert "2026年11月30日" in text


def test_a_tibetan_quarter_is_chinese_unless_drafts_ask_for_the_composed_form() -> None:
    quarter = Period.parse("2026-Q4")
    for review in (False, True):
        env = Renderer.create(translator=Translator.load(review=review))
        page = env.render("_base.html", langs=("bo", "zh"), period=quarter, version=1,
                          stamp="2026-11-30")
        footer = page.split("<footer", 1)[1]
        composed = cldr.draft_period_label(quarter.start, quarter.end, "bo")
        assert composed and "2026年第四季度" in footer
        assert (f'<span lang="bo">{REVIEW_MARK}{composed}</span>' in footer) is review
        assert (composed in footer) is review


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 1)), st.sampled_from(
    ["month", "quarter", "year", "span"]), st.integers(0, 400))
def test_period_words_name_the_year_and_never_the_code(start: dt.date, kind: str,
                                                        days: int) -> None:
    if kind == "month":
        start = start.replace(day=1)
        period = Period.parse(f"{start:%Y-%m}")
    elif kind == "quarter":
        period = Period.parse(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
    elif kind == "year":
        period = Period.parse(str(start.year))
    else:
        period = Period(start, start + dt.timedelta(days=days))
    labels = cldr.period_labels(period.start, period.end, ("bo", "zh", "en"))
    assert "zh" in labels and "en" in labels
    for text in labels.values():
        assert str(period.start.year) in text and not RAW.search(text)
    if "bo" in labels:  # Tibetan only from bo's own CLDR data: no Latin letters from root
        assert not re.search(r"[A-Za-z]", labels["bo"])


def test_language_names_in_tibetan_are_the_glossary_rows(tongren: advisors.Dataset,
                                                         out: Path) -> None:
    tibetan, chinese = _glossary_bo("藏语"), _glossary_bo("汉语")
    tr = Translator.load()
    assert tr.get("Tibetan", "bo") == tibetan and tr.get("Chinese", "bo") == chinese
    first_tibetan = [t.id for t in tongren.townships
                     if (vs := tongren.villages_of_township.get(t.id, ()))
                     and any("bo" in v.languages for v in vs)]
    shown = [p for p in (out / "rosters").glob("*.html")
             if f'<span lang="bo">{tibetan}</span><span lang="zh">藏语</span>'
             in p.read_text("utf-8")]
    assert shown and {p.stem for p in shown} <= set(first_tibetan)


def test_a_tibetan_only_trainee_reads_the_language_in_tibetan(tongren: advisors.Dataset,
                                                              out: Path) -> None:
    tibetan = _glossary_bo("藏语")
    readers = {p.id for p in tongren.people if p.languages and "zh" not in p.languages}
    sms = [p.read_text("utf-8") for p in (out / "notifications" / "sms").glob("person-*.txt")
           if p.stem.removeprefix("person-") in readers]
    taught = [body for body in sms if "授课语言" in body]
    assert taught and all(tibetan in body for body in taught)


def test_township_names_come_from_the_glossary_name_only_and_compose_only_in_drafts(
        tongren: advisors.Dataset) -> None:
    duowa = next(t for t in tongren.townships if t.name == "多哇镇")
    assert not duowa.name_bo
    sourced = _glossary_bo("多哇镇")
    assert tibetan_name(duowa) == sourced
    draft = tibetan_name(duowa, draft=True)
    town = _glossary_bo("镇 (component)")
    assert draft.startswith(REVIEW_MARK) and draft.endswith(town)
    found = place_name("多哇镇", draft=True)
    assert found is not None and found.fuzzy and len(found.sources) == 2
    assert tibetan_name(next(t for t in tongren.townships if t.name == "保安镇")) == ""
    # the dataset's own Tibetan name outranks the glossary
    longwu = next(t for t in tongren.townships if t.id == "longwu")
    assert tibetan_name(longwu) == longwu.name_bo


def test_translations_lists_periods_and_places_with_sources(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["translations", "--lang", "bo", "--data", "examples/tongren"]) == 0
    out = capsys.readouterr().out
    assert "missing    period: year (2027年)" in out
    assert "fuzzy      period: quarter (2026年第四季度)" in out
    assert "missing    township (保安镇)" in out
    line = next(i for i, text in enumerate(out.splitlines()) if "township (多哇镇)" in text)
    following = out.splitlines()[line + 1]
    assert "source: glossary line" in following and "name only" in following
