"""The service ledger: reading services.csv, matching plan to reality, the figures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.cli import run
from advisors.errors import DataError
from advisors.ledger.effective import match_ledger
from advisors.ledger.records import ServiceRecord, read_feedback, read_services, services_from_rows
from advisors.period import Period
from advisors.visits.visit_plan import Visit

from .conftest import TONGREN

HEADER = "advisor,village,date,start,end,kind,people_served,consultations,note,villagers\n"
D0 = dt.date(2026, 12, 1)


def _serving(data: advisors.Dataset, n: int = 3) -> dict[str, str]:
    """``n`` villages of the example with distinct advisors of record (assignments.csv)."""
    out: dict[str, str] = {}
    for village, advisor in sorted((a.village, a.advisor) for a in data.assignments):
        if advisor not in out.values() and len(out) < n:
            out[village] = advisor
    assert len(out) == n
    return out


def _visit(village: str, advisor: str, day: dt.date, n: int = 1, lecture: bool = False,
           start: str = "09:00", end: str = "17:00") -> Visit:
    return Visit(f"visit/{village}/{day:%Y-%m}/{n}", village, advisor, day, start, end, lecture)


def _rec(village: str, advisor: str, day: dt.date, kind: str = "duty_day", start: str = "09:00",
         end: str = "17:00", line: int = 2, **kw: object) -> ServiceRecord:
    return ServiceRecord(advisor, village, day, start, end, kind, source="services.csv",
                         line=line, **kw)  # type: ignore[arg-type]


def _with(data: advisors.Dataset, **ledger: object) -> advisors.Dataset:
    policy = attrs.evolve(data.policy, ledger=attrs.evolve(data.policy.ledger, **ledger))
    return attrs.evolve(data, policy=policy)


# ---- reading ----------------------------------------------------------------------------

def test_bad_cells_and_references_are_located(tongren: advisors.Dataset, tmp_path: Path) -> None:
    village, advisor = next(iter(_serving(tongren).items()))
    (tmp_path / "services.csv").write_text(
        HEADER
        + f"{advisor},{village},2026-12-01,09:00,17:00,duty_day,5,land_contract:2,ok,\n"
        + f"{advisor},{village},2026-13-01,09:00,17:00,duty_day,5,,,\n"
        + f"{advisor},{village},2026-12-02,09:00,17:00,picnic,5,,,\n"
        + f"{advisor},{village},2026-12-03,17:00,09:00,duty_day,5,,,\n"
        + f"adv-nobody,{village},2026-12-04,09:00,17:00,duty_day,x,,,\n"
        + f"{advisor},{village},2026-12-05,09:00,17:00,consultation,1,debt:lots,,\n",
        encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_services(tmp_path / "services.csv", tongren)
    found = {(p.line, p.field) for p in err.value.problems}
    assert {(3, "date"), (4, "kind"), (5, "end"), (6, "people_served"),
            (7, "consultations")} <= found
    assert (2, None) not in found and all(p.source == "services.csv"
                                          for p in err.value.problems)


def test_unknown_advisor_is_an_error(tongren: advisors.Dataset) -> None:
    village = tongren.villages[0].id
    with pytest.raises(DataError, match="unknown advisor"):
        services_from_rows([{"advisor": "adv-nobody", "village": village, "date": "2026-12-01",
                             "start": "09:00", "end": "10:00", "kind": "lecture"}], tongren)


def test_names_dropped_unless_kept_and_json_equals_csv(tongren: advisors.Dataset,
                                                       tmp_path: Path) -> None:
    village, advisor = next(iter(_serving(tongren).items()))
    row = {"advisor": advisor, "village": village, "date": "2026-12-01", "start": "09:00",
           "end": "17:00", "kind": "duty_day", "people_served": 3,
           "consultations": {"debt": 1, "land_contract": 2}, "note": "坐班",
           "villagers": ["测试甲", "测试乙"]}
    (tmp_path / "s.json").write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "s.csv").write_text(
        HEADER + f"{advisor},{village},2026-12-01,09:00,17:00,duty_day,3,"
        "land_contract:2;debt:1,坐班,测试甲;测试乙\n", encoding="utf-8")
    from_json = read_services(tmp_path / "s.json", tongren)
    from_csv = read_services(tmp_path / "s.csv", tongren)
    assert [attrs.evolve(r, source="", line=None) for r in from_json] == \
        [attrs.evolve(r, source="", line=None) for r in from_csv]
    assert from_csv[0].villagers == () and from_csv[0].consultations == {"debt": 1,
                                                                        "land_contract": 2}
    kept = read_services(tmp_path / "s.csv", _with(tongren, keep_names=True))
    assert kept[0].villagers == ("测试甲", "测试乙")
    assert "villagers" not in kept[0].as_dict() and "测试甲" not in json.dumps(
        kept[0].as_dict(), ensure_ascii=False)


def test_missing_files_are_empty(tongren: advisors.Dataset, tmp_path: Path) -> None:
    assert read_services(tmp_path / "services.csv", tongren) == []
    assert read_feedback(tmp_path / "feedback.csv", tongren) == []


def test_bad_score_is_located(tongren: advisors.Dataset, tmp_path: Path) -> None:
    village, advisor = next(iter(_serving(tongren).items()))
    (tmp_path / "feedback.csv").write_text(
        f"advisor,village,date,score\n{advisor},{village},2026-12-01,6\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_feedback(tmp_path / "feedback.csv", tongren)
    assert [(p.line, p.field) for p in err.value.problems] == [(2, "score")]


# ---- matching ---------------------------------------------------------------------------

def test_held_late_missed_unplanned(tongren: advisors.Dataset) -> None:
    serving = _serving(tongren, 4)
    (v1, a1), (v2, a2), (v3, a3), (v4, a4) = serving.items()
    d = D0 + dt.timedelta(days=2)  # a Thursday
    plan = [_visit(v1, a1, d), _visit(v2, a2, d), _visit(v3, a3, d), _visit(v4, a4, d)]
    records = [_rec(v1, a1, d, line=2),                       # held
               _rec(v2, a2, d + dt.timedelta(days=2), line=3),  # late: days after
               _rec(v3, a3, d, start="10:30", line=4),          # late: started late
               _rec(v1, a1, d + dt.timedelta(days=20), line=5)]  # unplanned
    ledger = match_ledger(tongren, plan, records, "2026-12", serving)
    status = {(o.village, o.status) for o in ledger.outcomes}
    assert status == {(v1, "held"), (v2, "late"), (v3, "late"), (v4, "missed"),
                      (v1, "unplanned")}
    assert [(f.rule, f.problem.line, f.counted) for f in ledger.findings] == [
        ("outside_plan", 5, True)]


def test_bad_records_follow_the_policy(tongren: advisors.Dataset) -> None:
    serving = _serving(tongren, 2)
    (v1, a1), (v2, a2) = serving.items()
    d = D0 + dt.timedelta(days=2)
    plan = [_visit(v1, a1, d)]
    intruder = next(a.id for a in tongren.advisors if a.id not in (a1, a2))
    records = [_rec(v1, a1, d, line=2),
               _rec(v1, intruder, d + dt.timedelta(days=1), "consultation", line=3),
               _rec(v2, a1, d, "home_visit", start="10:00", end="11:00", line=4)]
    for action in ("warn", "exclude"):
        data = _with(tongren, wrong_advisor=action, overlap=action)
        ledger = match_ledger(data, plan, records, "2026-12", serving)
        rules = {(f.rule, f.problem.line, f.counted) for f in ledger.findings}
        assert ("wrong_advisor", 3, action == "warn") in rules
        # the home visit is by a1 in v2 (not theirs) and overlaps the duty day in v1;
        # excluded as the wrong advisor's, it is not checked (nor reported) again
        assert ("wrong_advisor", 4, action == "warn") in rules
        assert (("overlap", 4, True) in rules) == (action == "warn")
        assert len(ledger.counted) + len(ledger.excluded) == len(records)
    with pytest.raises(DataError) as err:
        match_ledger(_with(tongren, wrong_advisor="error"), plan, records, "2026-12", serving)
    assert {p.line for p in err.value.problems} == {3, 4}
    with pytest.raises(DataError, match="unknown action"):
        match_ledger(_with(tongren, overlap="ignore"), plan, records, "2026-12", serving)


def test_consultation_during_duty_day_is_no_overlap(tongren: advisors.Dataset) -> None:
    (v1, a1), = _serving(tongren, 1).items()
    d = D0 + dt.timedelta(days=2)
    records = [_rec(v1, a1, d, line=2), _rec(v1, a1, d, "consultation", "10:00", "10:30", 3,
                                             consultations={"debt": 2})]
    ledger = match_ledger(tongren, [_visit(v1, a1, d)], records, "2026-12", {v1: a1})
    assert not ledger.findings and ledger.total.consultations == {"debt": 2}
    assert ledger.total.services == {"duty_day": 1, "consultation": 1}


_DAYS = st.integers(min_value=0, max_value=30)


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[list[Visit], list[ServiceRecord], dict[str, str]]:
    pairs = sorted((a.village, a.advisor) for a in TONGREN_ASSIGNMENTS)[:5]
    serving = dict(pairs)
    advisors_ = sorted(set(serving.values()))
    plan = []
    for village, advisor in pairs:
        for n, day in enumerate(sorted(set(draw(st.lists(_DAYS, max_size=3)))), 1):
            plan.append(_visit(village, advisor, D0 + dt.timedelta(days=day), n,
                               lecture=draw(st.booleans()), start="09:00", end="12:00"))
    records = []
    for line in range(2, 2 + draw(st.integers(0, 12))):
        village = draw(st.sampled_from([v for v, _ in pairs]))
        advisor = draw(st.sampled_from(advisors_))
        day = D0 + dt.timedelta(days=draw(_DAYS))
        start = draw(st.sampled_from(["09:00", "10:00", "14:00"]))
        end = {"09:00": "12:00", "10:00": "11:00", "14:00": "16:00"}[start]
        kind = draw(st.sampled_from(["duty_day", "lecture", "consultation", "home_visit"]))
        records.append(_rec(village, advisor, day, kind, start, end, line,
                            people_served=draw(st.none() | st.integers(0, 9)),
                            note=draw(st.sampled_from(["", "ok"]))))
    return plan, records, serving


TONGREN_ASSIGNMENTS = advisors.read_folder(TONGREN).assignments


@settings(max_examples=60, deadline=None)
@given(_scenario(), st.sampled_from(["warn", "exclude"]), st.sampled_from(["warn", "exclude"]))
def test_every_record_counted_once_and_held_plus_missed_is_planned(
        tongren: advisors.Dataset, scenario: tuple[list[Visit], list[ServiceRecord],
                                                   dict[str, str]],
        wrong: str, overlap: str) -> None:
    plan, records, serving = scenario
    data = _with(tongren, wrong_advisor=wrong, overlap=overlap, outside_plan=wrong)
    ledger = match_ledger(data, plan, records, "2026-12", serving)
    counted = [(r.line) for r in ledger.counted]
    excluded = [(r.line) for r in ledger.excluded]
    assert sorted(counted + excluded) == sorted(r.line for r in records)  # each exactly once
    assert len(set(counted)) == len(counted)
    flagged = {f.problem.line for f in ledger.findings if not f.counted}
    assert flagged == set(excluded)
    planned_ids = [o.visit.id for o in ledger.outcomes if o.visit is not None]
    assert sorted(planned_ids) == sorted(v.id for v in plan)
    for figures in (ledger.total, *ledger.by_village.values(), *ledger.by_advisor.values(),
                    *ledger.by_township.values()):
        assert figures.held + figures.late + figures.missed == figures.planned
    assert sum(f.planned for f in ledger.by_township.values()) == ledger.total.planned
    assert sum(f.records for f in ledger.by_advisor.values()) == ledger.total.records
    assert ledger.total.records == len(counted)


# ---- the example ----------------------------------------------------------------------

def test_tongren_ledger_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(["ledger", str(TONGREN), "--period", "2026-Q4", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    data = advisors.read_folder(TONGREN)
    for township in data.townships:
        assert township.name in text
    assert "does not serve" in text and "overlaps" in text and "matches no planned" in text
    assert run(["ledger", str(TONGREN), "--period", "2026-Q4", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    total = figures["total"]
    assert total["planned"] > 0 and total["held"] > 0 and total["missed"] > 0
    assert total["late"] > 0 and total["unplanned"] > 0
    assert total["held"] + total["late"] + total["missed"] == total["planned"]
    assert sum(t["planned"] for t in figures["townships"].values()) == total["planned"]
    report = (tmp_path / "ledger" / "report.html").read_text(encoding="utf-8")
    assert "<svg" in report and "<script" not in report
    files = sorted((tmp_path / "ledger" / "villages").glob("*.html"))
    assert len(files) == len(data.villages)
    table = (tmp_path / "ledger" / "townships.csv").read_bytes()
    assert table.startswith("\ufeff".encode())


def test_names_never_reach_exports(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    import shutil

    shutil.copytree(TONGREN, folder)
    (folder / "policy.toml").write_text("[ledger]\nkeep_names = true\n", encoding="utf-8")
    with (folder / "services.csv").open("a", encoding="utf-8") as f:
        first = (TONGREN / "services.csv").read_text(encoding="utf-8").splitlines()[1]
        cells = first.split(",")
        cells[-1] = "秘密名字甲;秘密名字乙"
        cells[5] = "consultation"
        cells[3], cells[4] = "10:00", "10:20"
        f.write(",".join(cells) + "\n")
    out = tmp_path / "out"
    assert run(["assess", str(folder), "--quarter", "2026-Q4", "--out", str(out)]) == 0
    for path in out.rglob("*"):
        if path.is_file():
            assert "秘密名字" not in path.read_text(encoding="utf-8-sig")


def test_plan_exporters_write_nothing_without_a_ledger(tongren: advisors.Dataset,
                                                       tmp_path: Path) -> None:
    from advisors.output import Publication, export
    from advisors.output.ledger_exporters import LEDGER_EXPORTERS

    pub = Publication(tongren, Period.parse("2026-12"), ())
    assert export(pub, tmp_path, names=LEDGER_EXPORTERS) == []


def test_plan_option_gives_the_same_figures(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert run(["schedule", str(TONGREN), "--period", "2026-Q4", "-o", str(plan)]) in (0, 3)
    capsys.readouterr()
    assert run(["ledger", str(TONGREN), "--period", "2026-12", "--json"]) == 0
    scheduled = json.loads(capsys.readouterr().out)
    assert run(["ledger", str(TONGREN), "--period", "2026-12", "--plan", str(plan),
                "--json"]) == 0
    given_plan = json.loads(capsys.readouterr().out)
    assert given_plan["total"] == scheduled["total"]
    assert scheduled["period"]["label"] == "2026-12"


def test_docs_example_rows_read(tongren: advisors.Dataset, tmp_path: Path) -> None:
    import re

    doc = (TONGREN.parent.parent / "docs" / "ledger.md").read_text(encoding="utf-8")
    body = re.findall(r"```csv title=services.csv\n(.*?)```", doc, re.S)[0]
    (tmp_path / "services.csv").write_text(body, encoding="utf-8")
    records = read_services(tmp_path / "services.csv", tongren)
    assert [r.kind for r in records] == ["duty_day", "mediation"]
    assert records[0].consultations == {"debt": 1, "land_contract": 3}


def test_spreadsheet_times_are_read(tongren: advisors.Dataset) -> None:
    village, advisor = next(iter(_serving(tongren).items()))
    rows = [{"advisor": advisor, "village": village, "date": "2026/12/01", "start": "9:00",
             "end": "17:00:00", "kind": "Duty_Day"}]
    (record,) = services_from_rows(rows, tongren)
    assert (record.start, record.end, record.kind, record.date) == (
        "09:00", "17:00", "duty_day", dt.date(2026, 12, 1))
    assert record.people_served is None and record.consultations == {}
