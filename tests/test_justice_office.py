"""司法所 staff: own township only (hard), unpaid and graded per policy; the example's six."""

from __future__ import annotations

import attrs
import pytest

import advisors
from advisors.errors import DataError
from advisors.model import Advisor, Township, Village


def _two_townships(role: str) -> advisors.Dataset:
    return advisors.Dataset(
        [Township("t1", "甲乡"), Township("t2", "乙乡")],
        [Village("v1", "一村", "t1", "village", "remote", "zh", 35.5, 102.0),
         Village("v2", "二村", "t2", "village", "remote", "zh", 35.5, 102.02)],
        [Advisor("o1", "所员", role, "甲乡司法所", "zh", 35.5, 102.01, capacity=5,
                 township="t1")])


@pytest.mark.parametrize("strategy", ["greedy", "optimal"])
def test_justice_office_staff_serve_only_their_own_township(strategy: str) -> None:
    office = advisors.assign(_two_townships("justice_office"), strategy)
    assert office.advisor_of == {"v1": "o1", "v2": None}
    # the same person as a lawyer may cross the township line, 2 km away
    lawyer = advisors.assign(_two_townships("lawyer"), strategy)
    assert lawyer.advisor_of == {"v1": "o1", "v2": "o1"}


def test_the_role_needs_the_township_and_accepts_its_chinese_name() -> None:
    with pytest.raises(DataError) as err:
        Advisor("o1", "所员", "司法所工作人员", "甲乡司法所", "zh", 35.5, 102.0)
    assert err.value.problems[0].field == "township"
    assert Advisor("o1", "所员", "司法所工作人员", "所", "zh", 35.5, 102.0,
                   township="t1").role == "justice_office"


def test_grading_follows_graded_roles(tongren: advisors.Dataset) -> None:
    plan = advisors.schedule_visits(tongren, advisors.assign(tongren), "2026-12")
    office = {a.id for a in tongren.advisors if a.role == "justice_office"}
    served = {v.advisor for v in plan.visits} & office
    graded = advisors.assess(tongren, advisors.match_ledger(tongren, plan, []))
    assert served and not served & {g.advisor for g in graded.grades}
    ledger = attrs.evolve(tongren.policy.ledger,
                          graded_roles=(*tongren.policy.ledger.graded_roles, "justice_office"))
    both = attrs.evolve(tongren, policy=attrs.evolve(tongren.policy, ledger=ledger))
    regraded = advisors.assess(both, advisors.match_ledger(both, plan, []))
    assert served <= {g.advisor for g in regraded.grades}


def test_the_example_has_six_justice_office_staff_in_their_townships(
        tongren: advisors.Dataset) -> None:
    office = [a for a in tongren.advisors if a.role == "justice_office"]
    assert len(office) == 6
    assert all(a.organization == tongren.township_by_id[a.township].name + "司法所"
               for a in office)
    assignment = advisors.assign(tongren)
    for village, advisor in assignment.advisor_of.items():
        person = tongren.advisor_by_id.get(advisor or "")
        if person is not None and person.role == "justice_office":
            assert tongren.village_by_id[village].township == person.township


def test_rosters_and_report_name_the_supervising_justice_office(
        tongren: advisors.Dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = advisors.make_plan(tongren, "2026-12")
    advisors.export(plan.publication(tongren), tmp_path, names=["roster-html", "report"])
    roster = (tmp_path / "rosters" / "duowa.html").read_text("utf-8")
    assert "监督单位（司法所）</span></span>: 多哇镇司法所" in roster
    report = (tmp_path / "report.html").read_text("utf-8")
    assert all(f"{t.name}司法所" in report for t in tongren.townships)


def test_the_diagnosis_names_the_own_township_rule() -> None:
    (uncovered,) = advisors.diagnose_coverage(_two_townships("justice_office")).uncovered
    assert (uncovered.village, uncovered.reason) == ("v2", "own_township")
    assert "司法所" in uncovered.message
