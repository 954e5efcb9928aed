"""The .xlsx rosters and assignment table (plugins/advisors-xlsx), in openpyxl and LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.output import ExportOptions, Publication, export
from advisors.period import Period
from advisors.plan.event_builders import EventBuilder
from advisors.plan.events import reconcile
from advisors.plugins import collect

from .system_tools import system_tool

openpyxl = pytest.importorskip("openpyxl", reason="the advisors-xlsx plugin needs openpyxl")
pytest.importorskip("advisors_xlsx", reason="advisors-xlsx not installed")

PERIOD = Period.parse("2026-12")
STAMP = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
HOSTILE = '=HYPERLINK("http://x","y")'


def _publication(ds: advisors.Dataset) -> Publication:
    """Two visits per assigned village, a cancelled-free hotline day, one training session."""
    builder = EventBuilder(ds)
    events = []
    for i, row in enumerate(ds.assignments):
        events.append(builder.visit(row.village, row.advisor, dt.date(2026, 12, 1 + i), 1))
        events.append(builder.visit(row.village, row.advisor, dt.date(2026, 12, 16 + i % 10), 2,
                                    lecture=True))
    hotline = [a.id for a in ds.advisors if a.hotline and a.active][:2]
    events.append(builder.hotline(hotline[0], dt.date(2026, 12, 5), "08:00", "14:00"))
    events.append(builder.hotline(hotline[1], dt.date(2026, 12, 5), "14:00", "20:00"))
    village = ds.assignments[0].village
    people = [p.id for p in ds.people_of_village[village]]
    events.append(builder.training("s-1", ds.trainers[0].id, ds.venues[0].id,
                                   dt.date(2026, 12, 9), topic="civil_code", language="bo;zh",
                                   participants=people))
    result = reconcile(events, (), stamp=STAMP, retention_days=30)
    return Publication(ds, PERIOD, result.events, result.changes,
                       {v.id: None for v in ds.villages}
                       | {a.village: a.advisor for a in ds.assignments}, stamp=STAMP)


@pytest.fixture(scope="module")
def exported(tongren: advisors.Dataset, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Publication, Path]:
    village = tongren.assignments[0].village
    villages = [attrs.evolve(v, name=HOSTILE) if v.id == village else v for v in tongren.villages]
    ds = attrs.evolve(tongren, villages=villages)
    pub = _publication(ds)
    out = tmp_path_factory.mktemp("xlsx-out")
    written = export(pub, out, ExportOptions(), ["roster-xlsx", "assignments-xlsx"])
    assert written == [Path("rosters/assignments.xlsx"), Path("rosters/roster.xlsx")]
    return pub, out


def test_exporters_are_registered_by_the_plugin() -> None:
    found = collect("exporters")
    assert found["roster-xlsx"].plugin == "xlsx" and found["assignments-xlsx"].plugin == "xlsx"


def test_roster_has_a_sheet_per_township_and_the_hotline(exported: tuple[Publication, Path]
                                                         ) -> None:
    pub, out = exported
    book = openpyxl.load_workbook(out / "rosters" / "roster.xlsx")
    ds = pub.dataset
    assert book.sheetnames == [t.name for t in ds.townships] + ["12348热线"]
    # Every event is on exactly one sheet, each on its township's (hotline: the rota sheet).
    township_of = {v.id: v.township for v in ds.villages}
    seen: dict[str, str] = {}
    for ws in book.worksheets:
        header = [c.value for c in ws[2]]
        assert header[0] == "日期\nDate" and all("\n" in h for h in header)  # bilingual
        assert ws.print_title_rows == "$1:$2"  # title and header repeat on every page
        assert not ws.oddHeader.center.text  # LibreOffice prints a page header over row 1
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.freeze_panes == "A3"
        for row in ws.iter_rows(min_row=3, values_only=True):
            assert row[-1] not in seen
            seen[row[-1]] = ws.title
    for item in pub.events:
        event = item.event
        sheet = seen[event.id]
        if event.kind == "hotline":
            assert sheet == "12348热线"
        elif event.kind in ("visit", "lecture"):
            assert sheet == ds.township_by_id[township_of[event.get("village")]].name
    assert len(seen) == len(pub.events)


def test_dates_and_times_are_date_and_time_cells_in_chinese_formats(
        exported: tuple[Publication, Path]) -> None:
    pub, out = exported
    book = openpyxl.load_workbook(out / "rosters" / "roster.xlsx")
    starts = {e.event.id: e.event.start for e in pub.events}
    ends = {e.event.id: e.event.end for e in pub.events}
    seen = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=3):
            date, start, end, ident = row[0], row[2], row[3], row[-1].value
            assert date.is_date and date.number_format == 'yyyy"年"m"月"d"日"'
            assert date.value.date() == starts[ident].date()
            assert start.value == starts[ident].time().replace(tzinfo=None)
            assert end.value == ends[ident].time().replace(tzinfo=None)
            assert start.number_format == end.number_format == "hh:mm"
            seen += 1
    assert seen == len(pub.events)


def test_cells_are_values_never_formulas(exported: tuple[Publication, Path]) -> None:
    _, out = exported
    for name in ("roster.xlsx", "assignments.xlsx"):
        book = openpyxl.load_workbook(out / "rosters" / name)
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)
        assert any(c.value == HOSTILE for c in cells), name


def test_assignment_table_lists_every_village_with_its_advisor(
        exported: tuple[Publication, Path]) -> None:
    pub, out = exported
    ws = openpyxl.load_workbook(out / "rosters" / "assignments.xlsx").active
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    ds = pub.dataset
    assert set(rows) == {v.id for v in ds.villages}
    for village, advisor in pub.advisor_of.items():
        assert (rows[village][3] or None) == advisor
        if advisor:
            assert rows[village][4] == ds.advisor_by_id[advisor].name


def test_rosters_are_byte_identical_across_runs(exported: tuple[Publication, Path],
                                                tmp_path: Path) -> None:
    pub, out = exported
    export(pub, tmp_path, ExportOptions(), ["roster-xlsx", "assignments-xlsx"])
    for name in ("roster.xlsx", "assignments.xlsx"):
        assert (tmp_path / "rosters" / name).read_bytes() == (out / "rosters" / name).read_bytes()


def test_libreoffice_opens_the_roster(exported: tuple[Publication, Path], tmp_path: Path) -> None:
    # LibreOffice stands in for WPS and Excel: it must read the workbook we write.
    soffice = system_tool("LibreOffice", ("soffice", "libreoffice"),
                          ("libreoffice-calc-nogui",), 120)
    pub, out = exported
    subprocess.run([soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):"
                    "44,34,76,1", "--outdir", str(tmp_path), str(out / "rosters" / "roster.xlsx")],
                   check=True, timeout=120, capture_output=True)
    with open(tmp_path / "roster.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))  # the first sheet: the first township
    township = pub.dataset.townships[0]
    assert rows[0][0].startswith(township.name)
    assert rows[1][0] == "日期\nDate"
    first = min(e.event.start for e in pub.events if e.event.get("village") in {
        v.id for v in pub.dataset.villages_of_township[township.id]})
    assert rows[2][0] == f"{first.year}年{first.month}月{first.day}日"  # a date, shown Chinese
    assert rows[2][2] == f"{first:%H:%M}"
    ids = {r[-1] for r in rows[2:]}
    assert ids and ids <= {e.event.id for e in pub.events}


def test_libreoffice_prints_the_title_once_per_page(exported: tuple[Publication, Path],
                                                    tmp_path: Path) -> None:
    soffice = system_tool("LibreOffice", ("soffice", "libreoffice"),
                          ("libreoffice-calc-nogui",), 120)
    pdftotext = system_tool("pdftotext", ("pdftotext",), ("poppler-utils",), 60)
    pub, out = exported
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "rosters" / "roster.xlsx")], check=True, timeout=120,
                   capture_output=True)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "roster.pdf"), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= len(pub.dataset.townships)
    for page in pages:
        # A page header printed over the title row would show the title twice.
        assert page.count("Service roster") + page.count("Hotline rota") == 1, page[:300]
        assert "Date" in page
