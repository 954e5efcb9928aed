"""What a township office prints, printed with headless Chromium and measured.

* Every notice board (公示牌) of the example — for a month and for a whole
  year of visits — and of a generated prefecture (1,000 villages) prints on exactly one
  A4 page.
* Every township roster prints with its tables inside the printable width of
  the PDF's page, and dates, times and names each on one line.

Chromium and the fonts come from the system's packages (installed in CI; the
tests are skipped where they cannot be had).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import advisors
from advisors.locale import Translator
from advisors.output import Publication, export
from advisors.period import Period
from advisors.plan.event_builders import EventBuilder
from advisors.plan.events import reconcile

from .chromium_print import Chromium, pdf_pages
from .conftest import ROOT
from .system_tools import chromium_binary

A4 = (595.28, 841.89)
"""A4 in PostScript points (210 × 297 mm)."""
POINT_PX = 96 / 72
"""CSS pixels per point."""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    with Chromium(chromium_binary(), tmp_path_factory.mktemp("profile")) as made:
        yield made


def _printed(dataset: advisors.Dataset, period: str, out: Path, *names: str) -> Path:
    plan = advisors.make_plan(dataset, period)
    export(plan.publication(dataset), out, names=list(names))
    return out


@pytest.fixture(scope="module")
def example(tongren: advisors.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _printed(tongren, "2026-12", tmp_path_factory.mktemp("example"),
                    "notices", "roster-html")


def _close(size: tuple[float, float], expected: tuple[float, float]) -> bool:
    return all(abs(a - b) < 2 for a, b in zip(size, expected, strict=True))


def test_every_notice_of_the_example_prints_on_one_a4_page(example: Path,
                                                           browser: Chromium) -> None:
    notices = sorted((example / "notices").glob("*.html"))
    assert len(notices) == 78
    pages = {path.name: pdf_pages(browser.print_pdf(path)) for path in notices}
    longer = {name: len(sizes) for name, sizes in pages.items() if len(sizes) != 1}
    assert not longer, f"notices not on one page: {longer}"
    assert all(_close(sizes[0], A4) for sizes in pages.values())


def _year_of_visits(dataset: advisors.Dataset) -> Publication:
    """Every village visited on the 1st and 3rd Thursday of each month of 2027 (planning a
    whole year takes minutes); a lecture each quarter, one shorter day, one long name."""
    builder = EventBuilder(dataset)
    advisor_of = {a.village: a.advisor for a in dataset.assignments}
    events = []
    for village, advisor in sorted(advisor_of.items()):
        for month in range(1, 13):
            first = dt.date(2027, month, 1)
            thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
            for ordinal, day in enumerate((thursday, thursday + dt.timedelta(days=14)), 1):
                short = month == 5 and ordinal == 2
                events.append(builder.visit(village, advisor, day, ordinal,
                                            lecture=ordinal == 1 and month % 3 == 1,
                                            end="13:00" if short else ""))
    result = reconcile(events, (), stamp=dt.datetime(2026, 12, 20, tzinfo=dt.UTC),
                       retention_days=30)
    return Publication(dataset, Period.parse("2027"), result.events, result.changes,
                       advisor_of)


def test_a_years_notice_boards_still_print_on_one_page(
        tongren: advisors.Dataset, browser: Chromium,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("year")
    export(_year_of_visits(tongren), out, names=["notices"])
    notices = sorted((out / "notices").glob("*.html"))
    days = re.compile(r'<span class="nowrap">\d+日')
    listed = [len(days.findall(p.read_text(encoding="utf-8"))) for p in notices]
    assert listed.count(24) == len({a.village for a in tongren.assignments}) > 10
    assert [p.name for p in notices if browser.has_page(p, 2)] == []
    assert all(browser.has_page(p, 1) for p in notices[:3])


def test_every_notice_of_a_generated_prefecture_prints_on_one_page(
        browser: Chromium, tmp_path_factory: pytest.TempPathFactory) -> None:
    data = tmp_path_factory.mktemp("prefecture-data")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "prefecture",
                    str(data), "--seed", "7"], check=True, capture_output=True)
    out = _printed(advisors.read_folder(data), "2026-12",
                   tmp_path_factory.mktemp("prefecture"), "notices")
    notices = sorted((out / "notices").glob("*.html"))
    assert len(notices) == 1000
    # A second browser prints the other half meanwhile (the pipes release the GIL).
    with Chromium(chromium_binary(), tmp_path_factory.mktemp("profile")) as second, \
            ThreadPoolExecutor(2) as pool:
        halves = [pool.submit(lambda b, part: [p.name for p in part if b.has_page(p, 2)],
                              b, notices[i::2]) for i, b in enumerate((browser, second))]
        longer = [name for half in halves for name in half.result()]
    assert longer == []


_MEASURE = """(() => {
  const page = [...document.styleSheets].flatMap(s => [...s.cssRules])
    .find(r => r instanceof CSSPageRule && r.style.getPropertyValue("margin-left"));
  const lines = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top))).size;
  };
  const tables = [...document.querySelectorAll("table")].map(table => {
    const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
    const broken = [];
    for (const row of table.querySelectorAll("tbody tr"))
      [...row.cells].forEach((cell, i) => {
        if (WATCHED.includes(heads[i]) && lines(cell) > 1)
          broken.push(heads[i] + ": " + cell.textContent);
      });
    return {width: table.getBoundingClientRect().width, broken};
  });
  return {margins: [page.style.getPropertyValue("margin-left"),
                    page.style.getPropertyValue("margin-right")], tables};
})()"""


def _mm(value: str) -> float:
    assert value.endswith("mm"), value
    return float(value[:-2])


def test_rosters_fit_the_printed_page_and_never_break_dates_times_or_names(
        example: Path, browser: Chromium) -> None:
    zh = Translator.load()
    watched = [zh.text(msgid, "zh") for msgid in
               ("Date", "Time", "Village", "Legal advisor", "Trainer", "Lawyer on duty")]
    script = _MEASURE.replace("WATCHED", repr(watched))
    rosters = sorted((example / "rosters").glob("*.html"))
    assert rosters
    for path in rosters:
        sizes = pdf_pages(browser.print_pdf(path))
        width_pt = sizes[0][0]
        assert all(size == sizes[0] for size in sizes)
        browser.load(path)
        margins = browser.evaluate(script)["margins"]
        printable = (width_pt - sum(_mm(m) for m in margins) * 72 / 25.4) * POINT_PX
        browser.emulate_print(printable)
        browser.load(path)
        measured = browser.evaluate(script)
        browser.call("Emulation.clearDeviceMetricsOverride", session=browser.session)
        browser.call("Emulation.setEmulatedMedia", session=browser.session, media="")
        assert measured["tables"], path.name
        for table in measured["tables"]:
            assert table["width"] <= printable + 0.5, (
                f"{path.name}: a table {table['width']:.0f} px wide on a printable width "
                f"of {printable:.0f} px ({width_pt:.0f} pt page)")
            assert table["broken"] == [], f"{path.name}: cells broken over lines"
