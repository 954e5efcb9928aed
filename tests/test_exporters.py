"""Exporters: registry, CSV (BOM, formula injection), Markdown, notices, report, notifications."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.output import ExportOptions, Publication, export
from advisors.output.csvout import BOM, FORMULA_STARTS, csv_bytes, neutralise
from advisors.output.markdown import cell, table
from advisors.output.report import report_facts
from advisors.period import Period
from advisors.plan.event_builders import EventBuilder
from advisors.plan.events import CalendarEvent, PublishedEvent, reconcile
from advisors.plugins import collect

PERIOD = Period.parse("2026-12")
STAMP = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def sample_events(ds: advisors.Dataset, shift_days: int = 0) -> list[CalendarEvent]:
    """A small plan: each assigned village's visits, two hotline shifts, one training."""
    builder = EventBuilder(ds)
    events = []
    advisor_of = {a.village: a.advisor for a in ds.assignments}
    for i, (village, advisor) in enumerate(sorted(advisor_of.items())):
        events.append(builder.visit(village, advisor, dt.date(2026, 12, 1 + i + shift_days), 1,
                                    lecture=i % 4 == 0))
        events.append(builder.visit(village, advisor, dt.date(2026, 12, 16 + i % 10), 2))
    events.append(builder.hotline("adv-01", dt.date(2026, 12, 5), "08:00", "14:00"))
    events.append(builder.hotline("adv-02", dt.date(2026, 12, 5), "14:00", "20:00"))
    village = ds.villages[3].id
    people = [p.id for p in ds.people_of_village[village]]
    events.append(builder.training("s-1", "tr-01", "venue-city", dt.date(2026, 12, 9),
                                   topic="civil_code", language="bo;zh", participants=people))
    return events


def publish(ds: advisors.Dataset, events: Sequence[CalendarEvent],
            previous: Sequence[PublishedEvent] = (), stamp: dt.datetime = STAMP,
            version: int = 1) -> Publication:
    """Reconcile ``events`` with ``previous`` and wrap them for the exporters."""
    result = reconcile(events, previous, stamp=stamp,
                       retention_days=ds.policy.calendar.cancelled_retention_days)
    return Publication(ds, PERIOD, result.events, result.changes,
                       {a.village: a.advisor for a in ds.assignments}, version=version,
                       stamp=stamp, has_previous=bool(previous))


def test_every_builtin_exporter_is_registered() -> None:
    names = set(collect("exporters"))
    assert {"ics", "roster-html", "roster-csv", "roster-md", "notices", "notifications",
            "report", "plan-json"} <= names


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_neutralise_prefixes_formula_starts(start: str) -> None:
    assert neutralise(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"


def test_neutralise_leaves_plain_text() -> None:
    assert neutralise("隆务村") == "隆务村"
    assert neutralise("12348") == "12348"
    assert neutralise(None) == ""


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), max_size=8))
def test_csv_cells_never_start_a_formula_and_read_back(rows: list[list[str]]) -> None:
    data = csv_bytes(["a", "b"], rows)
    assert data.startswith(BOM.encode("utf-8"))
    text = data.decode("utf-8")[1:]
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert len(read) == len(rows) + 1
    for original, got in zip(rows, read[1:], strict=True):
        for value, cell_text in zip(original, got, strict=True):
            assert not cell_text.startswith(FORMULA_STARTS)
            assert cell_text in (value, "'" + value)


def test_roster_csv_has_bom_and_neutralised_hostile_names(tongren: advisors.Dataset,
                                                          tmp_path: Path) -> None:
    village = tongren.village_by_id[tongren.assignments[0].village]
    advisors_ = [attrs.evolve(a, name="@SUM(1+1)") if a.id == tongren.assignments[0].advisor
                 else a for a in tongren.advisors]
    villages = [attrs.evolve(v, name='=HYPERLINK("http://x","y")') if v.id == village.id
                else v for v in tongren.villages]
    ds = attrs.evolve(tongren, villages=villages, advisors=advisors_)
    export(publish(ds, sample_events(ds)), tmp_path, names=["roster-csv"])
    raw = (tmp_path / "rosters" / "roster.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    hostile = [r for r in rows if "HYPERLINK" in r["村(社区)"]]
    assert hostile and all(r["村(社区)"].startswith("'=") for r in hostile)
    assert any(r["人员"] == "'@SUM(1+1)" for r in rows)
    for row in rows:
        assert not any(value.startswith(FORMULA_STARTS) for value in row.values())


def test_markdown_escapes_pipes_and_markup() -> None:
    assert cell("a|b\nc") == "a\\|b c"
    assert "&lt;script&gt;" in cell("<script>")
    text = table(["x", "y"], [["1|2", "*bold*"]])
    assert text.splitlines()[2] == "| 1\\|2 | \\*bold\\* |"


def test_notice_shows_public_fields_only(tongren: advisors.Dataset, tmp_path: Path) -> None:
    export(publish(tongren, sample_events(tongren)), tmp_path, names=["notices"])
    village = tongren.assignments[0].village
    html = (tmp_path / "notices" / f"{village}.html").read_text("utf-8")
    advisor = tongren.advisor_by_id[tongren.assignments[0].advisor]
    assert advisor.name in html and advisor.phone in html and "12348" in html
    people = tongren.people_of_village[village]
    for person in people:
        if person.phone:
            assert person.phone not in html
    for person in people:
        if person.role == "legal_savvy" and person.status == "active":
            assert person.name in html
    if advisor.email:
        assert advisor.email not in html


def test_notice_hides_advisor_phone_when_policy_says(tongren: advisors.Dataset,
                                                     tmp_path: Path) -> None:
    policy = attrs.evolve(tongren.policy, public=attrs.evolve(
        tongren.policy.public, advisor=("name", "organization")))
    ds = attrs.evolve(tongren, policy=policy)
    export(publish(ds, sample_events(ds)), tmp_path, names=["notices", "ics"])
    village = ds.assignments[0].village
    advisor = ds.advisor_by_id[ds.assignments[0].advisor]
    html = (tmp_path / "notices" / f"{village}.html").read_text("utf-8")
    assert advisor.name in html and advisor.phone not in html
    feed = (tmp_path / "calendars" / "village" / f"{village}.ics").read_text("utf-8")
    assert advisor.phone not in feed


def test_report_has_inline_svg_and_no_script(tongren: advisors.Dataset, tmp_path: Path) -> None:
    pub = publish(tongren, sample_events(tongren))
    export(pub, tmp_path, names=["report"])
    html = (tmp_path / "report.html").read_text("utf-8")
    assert html.count("<svg") == 5 and "<script" not in html.lower()
    facts = report_facts(pub)
    assert facts.totals.villages == len(tongren.villages)
    assert facts.totals.covered == len(tongren.assignments)
    visits = [e for e in pub.events if e.event.kind in ("visit", "lecture")]
    assert facts.totals.visits_planned == len(visits)
    assert facts.hotline.staffed == 2
    for township in facts.townships:
        assert township.name in html


def test_report_lists_villages_below_target(tongren: advisors.Dataset) -> None:
    facts = report_facts(publish(tongren, sample_events(tongren)))
    target = tongren.policy.training.legal_savvy_per_village
    for village in tongren.villages:
        active = sum(p.role == "legal_savvy" and p.status == "active"
                     for p in tongren.people_of_village.get(village.id, ()))
        assert (village.name in facts.totals.below_target) == (active < target)


def test_notifications_tell_each_person_their_changes(tongren: advisors.Dataset,
                                                      tmp_path: Path) -> None:
    first = publish(tongren, sample_events(tongren))
    moved = sample_events(tongren, shift_days=1)[:-1]  # visits move, the training is dropped
    second = publish(tongren, moved, first.events, STAMP + dt.timedelta(days=1), 2)
    assert {c.kind for c in second.changes} == {"moved", "cancelled"}
    export(second, tmp_path, names=["notifications"])
    index = list(csv.DictReader(io.StringIO(
        (tmp_path / "notifications" / "index.csv").read_text("utf-8-sig"), newline="")))
    changed_owners = {o for c in second.changes for o in c.current.event.owners
                      if o.startswith(("advisor:", "trainer:"))}
    recipients = {r["recipient"] for r in index
                  if r["recipient"].startswith(("advisor:", "trainer:"))}
    assert recipients == changed_owners
    trainer = (tmp_path / "notifications" / "wechat" / "trainer-tr-01.txt").read_text("utf-8")
    assert "取消" in trainer
    for row in index:
        if row["channel"] == "sms":
            body = (tmp_path / row["file"]).read_text("utf-8").rstrip("\n")
            assert int(row["sms_segments"]) == (1 if len(body) <= 70 else -(-len(body) // 67))
    sms = (tmp_path / "notifications" / "sms" / f"{sorted(recipients)[0].replace(':', '-')}.txt")
    assert "→" in sms.read_text("utf-8")


def test_export_is_byte_identical_across_runs(tongren: advisors.Dataset, tmp_path: Path) -> None:
    opts = ExportOptions()
    for name in ("a", "b"):
        export(publish(tongren, sample_events(tongren)), tmp_path / name, opts)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                     if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")
                     if p.is_file())
    assert files_a == files_b and files_a
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
