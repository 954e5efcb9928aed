"""The report's figures agree with the checks and with what is due in the period."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.output import export
from advisors.output.report import report_facts
from advisors.period import Period


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> advisors.Publication:
    return advisors.make_plan(tongren, "2026-12").publication(tongren)


def _text(html: str) -> str:
    html = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_legal_savvy_persons_are_counted_uncapped_with_the_villages_below_target(
        tongren: advisors.Dataset, december: advisors.Publication, tmp_path: Path) -> None:
    target = tongren.policy.training.legal_savvy_per_village
    active = {v.id: sum(p.role == "legal_savvy" and p.status == "active"
                        for p in tongren.people_of_village.get(v.id, ()))
              for v in tongren.villages}
    below = [v for v in tongren.villages if active[v.id] < target]
    assert sum(active.values()) > target * len(active)  # a surplus somewhere …
    assert below  # … does not hide a shortfall elsewhere
    facts = report_facts(december)
    assert facts.totals.legal_savvy_active == sum(active.values())
    assert facts.totals.legal_savvy_target == target * len(active)
    assert sorted(facts.totals.below_target) == sorted(v.name for v in below)
    assert facts.totals.legal_savvy == pytest.approx(1 - len(below) / len(active))
    export(december, tmp_path, names=["report"])
    text = _text((tmp_path / "report.html").read_text("utf-8"))
    assert (f"{sum(active.values())}/{target * len(active)} · {len(below)}个村未达标"
            in text)


def test_lectures_are_measured_against_what_is_due_in_the_period(
        tongren: advisors.Dataset, december: advisors.Publication) -> None:
    facts = report_facts(december)
    planned = sum(1 for e in december.active if e.event.kind == "lecture")
    assert facts.totals.lectures_planned == planned > 0
    # The plan keeps the rules, so what is due in December is planned in December …
    for township in facts.townships:
        assert township.lectures_planned == township.lectures_required, township.name
    # … and that is a third or so of the quarter's lectures, not all of them.
    quarter = attrs.evolve(december, period=Period.parse("2026-Q4"))
    visited = sum(1 for v in tongren.villages
                  if tongren.policy.visits.per_month.get(v.service_class, 0))
    per_quarter = tongren.policy.visits.lectures_per_quarter
    assert report_facts(quarter).totals.lectures_required == per_quarter * visited
    assert facts.totals.lectures_required < per_quarter * visited


@pytest.mark.parametrize(("stamp", "shown"), [
    (dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.UTC), "2026年11月30日"),
    (dt.datetime(2026, 11, 29, 15, 59, tzinfo=dt.UTC), "2026年11月29日"),
])
def test_footer_shows_the_beijing_date_of_publication(
        december: advisors.Publication, tmp_path: Path, stamp: dt.datetime, shown: str) -> None:
    export(attrs.evolve(december, stamp=stamp), tmp_path, names=["report", "notices"])
    for page in (tmp_path / "report.html", *sorted((tmp_path / "notices").glob("*.html"))[:3]):
        footer = _text(page.read_text("utf-8").split("<footer", 1)[1])
        assert footer.rstrip().endswith(shown), (page.name, footer)
