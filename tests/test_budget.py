"""Funding: subsidies and service pay scaled by grade, per township and organization."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

import advisors
from advisors.cli import run
from advisors.ledger.budget import budget
from advisors.ledger.records import ServiceRecord
from advisors.output.csvout import csv_bytes
from advisors.visits.visit_plan import Visit

from .conftest import TONGREN


def _serving(data: advisors.Dataset) -> dict[str, str | None]:
    return {v.id: None for v in data.villages} | {a.village: a.advisor for a in data.assignments}


def _plan(data: advisors.Dataset) -> tuple[dict[str, str | None], list[Visit]]:
    """One duty day a month per contracted village, a lecture in the quarter's first month."""
    serving = _serving(data)
    visits = []
    for village, advisor in sorted(serving.items()):
        if advisor is None:
            continue
        for month in range(1, 13):
            day = dt.date(2027, month, 10)
            visits.append(Visit(f"visit/{village}/{day:%Y-%m}/1", village, advisor, day,
                                "09:00", "17:00", lecture=month % 3 == 1,
                                appointments=("appt-1",) if month == 2 else ()))
    return serving, visits


def _visits_for(visits: Sequence[Visit]):  # type: ignore[no-untyped-def]
    return lambda period: tuple(v for v in visits if v.date in period)


def test_estimate_from_the_plan(tongren: advisors.Dataset) -> None:
    serving, visits = _plan(tongren)
    result = budget(tongren, 2027, serving, _visits_for(visits))
    policy = tongren.policy.ledger
    covered = sum(a is not None for a in serving.values())
    rates, ungraded = policy.service_rates, policy.multipliers["ungraded"]
    lectures = sum(v.lecture for v in visits)
    expected = ungraded * (covered * policy.village_subsidy
                           + lectures * rates["lecture"]
                           + (len(visits) - lectures) * rates["duty_day"]
                           + covered * rates["home_visit"])
    assert result.total == pytest.approx(expected)
    assert result.reported_quarters == ()
    for table in (result.by_township(), result.by_organization(), result.by_quarter()):
        assert sum(row["total"] for row in table.values()) == pytest.approx(result.total)


def test_grade_scales_the_subsidy(tongren: advisors.Dataset) -> None:
    serving, visits = _plan(tongren)
    loads = [a for a in serving.values() if a is not None]
    village, advisor = next((v, a) for v, a in sorted(serving.items())
                            if a is not None and loads.count(a) == 1)
    q1 = [v for v in visits if v.village == village and v.date < dt.date(2027, 4, 1)]
    held = [ServiceRecord(advisor, village, v.date, "09:00", "17:00",
                          "lecture" if v.lecture else "duty_day", people_served=5, note="ok",
                          line=i + 2) for i, v in enumerate(q1)]
    result = budget(tongren, 2027, serving, _visits_for(visits), held)
    assert result.reported_quarters == ("2027-Q1",)
    policy = tongren.policy.ledger
    line = next(x for x in result.lines if x.quarter == "2027-Q1" and x.village == village)
    assert line.reported and line.grade == "excellent"
    excellent = policy.multipliers["excellent"]
    assert line.subsidy == pytest.approx(policy.village_subsidy / 4 * excellent)
    assert line.services == pytest.approx(policy.service_rates["lecture"] * excellent)
    # the later quarters are estimated at the latest grade
    later = next(x for x in result.lines if x.quarter == "2027-Q2" and x.village == village)
    assert not later.reported and later.grade == "excellent"
    # an advisor whose villages had nothing recorded in a reported quarter fails it
    other = next(x for x in result.lines if x.quarter == "2027-Q1" and x.advisor != advisor
                 and x.advisor)
    assert other.grade == "fail"
    assert other.subsidy == pytest.approx(policy.village_subsidy / 4 * policy.multipliers["fail"])


def test_budget_csv_neutralises_formulas(tongren: advisors.Dataset) -> None:
    serving, visits = _plan(tongren)
    advisor = next(a for a in serving.values() if a is not None)
    people = tuple(attrs.evolve(a, organization="=HYPERLINK(\"x\")") if a.id == advisor else a
                   for a in tongren.advisors)
    data = attrs.evolve(tongren, advisors=people)
    from advisors.cli.ledger_cmd import _budget_csv

    text = _budget_csv(budget(data, 2027, serving, _visits_for(visits))).decode("utf-8")
    assert text.startswith("\ufeff") and "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    assert csv_bytes(["a"], [["-1"]]).decode("utf-8").endswith("'-1\r\n")


def test_tongren_budget(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(["budget", str(TONGREN), "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reported_quarters"] == ["2026-Q4"]
    assert sum(r["total"] for r in data["by_township"].values()) == pytest.approx(data["total"])
    assert sum(r["total"] for r in data["by_organization"].values()) == pytest.approx(
        data["total"])
    assert run(["budget", str(TONGREN), "--year", "2027", "-o", str(tmp_path / "b.csv")]) == 0
    text = capsys.readouterr().out
    folder = advisors.read_folder(TONGREN)
    assert "budget 2027" in text and "organization" in text
    assert all(t.name in text for t in folder.townships)
    assert (tmp_path / "b.csv").read_bytes().startswith("\ufeff".encode())


def test_misspelt_rates_are_refused(tongren: advisors.Dataset) -> None:
    from advisors.errors import DataError

    serving, visits = _plan(tongren)
    ledger = attrs.evolve(tongren.policy.ledger, service_rates={"lectures": 200.0},
                          multipliers={"excelent": 1.2})
    data = attrs.evolve(tongren, policy=attrs.evolve(tongren.policy, ledger=ledger))
    with pytest.raises(DataError) as err:
        budget(data, 2027, serving, _visits_for(visits))
    assert {p.field for p in err.value.problems} == {"ledger.service_rates.lectures",
                                                     "ledger.multipliers.excelent"}
