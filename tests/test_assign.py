"""Coverage on the example and on hand-built instances: diagnoses, explanations, CLI."""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import advisors
from advisors import Advisor, Dataset, ExistingAssignment, Policy, Township, Village
from advisors.cli import run
from advisors.coverage.explain import explain_advisor, explain_village

from .conftest import TONGREN

needs_ortools = pytest.mark.skipif(
    importlib.util.find_spec("advisors_ortools") is None,
    reason="the advisors-ortools plugin (strategy optimal) is not installed",
)


def _village(vid: str, town: str, langs: str, lat: float, lon: float) -> Village:
    return Village(vid, f"村{vid}", town, "village", "remote", langs, lat, lon)


def _advisor(aid: str, langs: str, lat: float, lon: float, cap: int | None = None,
             active: bool = True) -> Advisor:
    return Advisor(aid, f"顾问{aid}", "lawyer", "律师事务所", langs, lat, lon,
                   capacity=cap, active=active)


def capacity_short() -> Dataset:
    """双朋西乡: three Tibetan villages, one Tibetan speaker with two places."""
    towns = [Township("spx", "双朋西乡")]
    villages = [_village(f"v{i}", "spx", "bo", 35.5 + 0.01 * i, 102.0) for i in range(3)]
    villages.append(_village("vz", "spx", "zh", 35.5, 102.02))
    advs = [_advisor("bo1", "bo;zh", 35.51, 102.01, cap=2), _advisor("zh1", "zh", 35.5, 102.0, 9)]
    return Dataset(towns, villages, advs)


@needs_ortools
@pytest.mark.parametrize("strategy", ["greedy", "optimal", "auto"])
def test_example_covers_every_village(tongren: Dataset, strategy: str) -> None:
    result = advisors.assign(tongren, strategy)
    assert result.coverage == 1.0
    assert not result.uncovered and not result.diagnoses
    for row in tongren.assignments:
        if row.pinned:
            assert result.advisor_of[row.village] == row.advisor
    assert result.strategy == ("optimal" if strategy == "auto" else strategy)


def test_explain_answers_for_every_village(tongren: Dataset) -> None:
    result = advisors.assign(tongren, "greedy")
    for v in tongren.villages:
        ex = explain_village(tongren, result, v.id)
        assert ex.advisor == result.advisor_of[v.id]
        assert ex.distance_km == pytest.approx(result.distance_km[v.id], abs=1e-3)
        # alternatives are really allowed and not cheaper unless their advisor is full
        for alt in ex.alternatives:
            a = tongren.advisor_by_id[alt.advisor]
            assert a.speaks(v.languages)
            if alt.cost < ex.cost and not ex.pinned:
                assert alt.load >= alt.capacity
    adv = explain_advisor(tongren, result, "adv-01")
    assert [v for v, _, _ in adv.villages] == list(result.villages_of("adv-01"))


@needs_ortools
def test_capacity_shortfall_is_named(tmp_path: Path) -> None:
    ds = capacity_short()
    for strategy in ("greedy", "optimal"):
        result = advisors.assign(ds, strategy)
        assert result.covered == 3
        assert [u.reason for u in result.uncovered] == ["capacity"]
        (d,) = result.diagnoses
        assert d.reason == "capacity" and d.language == "bo" and d.shortfall == 1
        assert set(d.villages) == {"v0", "v1", "v2"} and d.free_places == 2
        assert d.advisors == ("bo1",)
        assert "双朋西乡" in d.message and "Tibetan" in d.message and "2 free places" in d.message
        assert any("bo1" in f and "to 3" in f for f in d.fixes)


def test_language_and_distance_reasons() -> None:
    towns = [Township("t", "多哇镇")]
    villages = [
        _village("near", "t", "zh", 35.5, 102.0),
        _village("mongol", "t", "mn", 35.5, 102.0),
        _village("far", "t", "zh", 37.0, 102.0),  # about 167 km north, 233 road km
    ]
    advs = [_advisor("a", "zh", 35.5, 102.0, cap=5)]
    result = advisors.assign(Dataset(towns, villages, advs), "greedy")
    reasons = {u.village: u.reason for u in result.uncovered}
    assert reasons == {"mongol": "language", "far": "distance"}
    far = next(u for u in result.uncovered if u.village == "far")
    assert "travel limit of 23" in far.fix  # 233 km: the limit that would allow it
    assert {d.villages for d in result.diagnoses} == {("mongol",), ("far",)}


def test_pinned_contract_breaking_a_rule_is_kept_with_a_warning() -> None:
    towns = [Township("t", "隆务镇")]
    villages = [_village("v", "t", "bo", 35.5, 102.0)]
    advs = [_advisor("a", "zh", 35.5, 102.0, cap=1), _advisor("b", "bo", 35.5, 102.0, cap=1)]
    ds = Dataset(towns, villages, advs, assignments=[ExistingAssignment("v", "a", True)])
    result = advisors.assign(ds, "greedy")
    assert result.advisor_of == {"v": "a"} and result.pinned == ("v",)
    assert any("language rule" in w and "v → a" in w for w in result.warnings)


@needs_ortools
def test_unpinned_contract_moves_only_when_it_saves_more_than_stability() -> None:
    towns = [Township("t", "隆务镇")]
    villages = [_village("v", "t", "zh", 35.5, 102.0)]
    # a is 0.03° (≈4.7 road km) farther than b
    advs = [_advisor("a", "zh", 35.53, 102.0, cap=1), _advisor("b", "zh", 35.5, 102.0, cap=1)]
    for stability, expected in ((10.0, "a"), (1.0, "b")):
        policy = Policy.from_dict({"assignment": {"stability_km": stability}})
        ds = Dataset(towns, villages, advs, assignments=[ExistingAssignment("v", "a", False)],
                     policy=policy)
        assert advisors.assign(ds, "optimal").advisor_of["v"] == expected
        assert advisors.assign(ds, "greedy").advisor_of["v"] == expected


def test_json_round_trip_and_from_existing(tongren: Dataset) -> None:
    result = advisors.assign(capacity_short(), "greedy")
    again = advisors.Assignment.from_dict(json.loads(json.dumps(result.as_dict())))
    assert again == result
    existing = advisors.Assignment.from_existing(tongren)
    assert existing.covered == len(tongren.assignments)
    assert set(existing.pinned) == {a.village for a in tongren.assignments if a.pinned}


@needs_ortools
def test_cli_example_writes_csv_and_explains(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             tongren: Dataset) -> None:
    out = tmp_path / "assignments.csv"
    code = run(["assign", str(TONGREN), "-o", str(out), "--explain", "longwu-c01"])
    assert code == 0
    text = capsys.readouterr().out
    assert "coverage: 78 of 78 villages (100.0%)" in text
    assert "longwu-c01" in text and "alternatives" in text
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["village", "advisor", "distance_km", "pinned"]
    assert sorted(r["village"] for r in rows) == sorted(v.id for v in tongren.villages)
    assert all(r["advisor"] for r in rows)


def test_cli_infeasible_exits_3_and_names_villages(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "short"
    advisors.write_folder(capacity_short(), folder)
    out = tmp_path / "a.csv"
    assert run(["assign", str(folder), "--strategy", "greedy", "-o", str(out)]) == 3
    text = capsys.readouterr().out
    assert "双朋西乡" in text and "cannot be covered" in text
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sum(1 for r in rows if not r["advisor"]) == 1
    assert run(["assign", str(folder), "--json"]) == 3
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["covered"] == 3
    assert payload["assignment"]["uncovered"][0]["reason"] == "capacity"


def test_cli_unknown_strategy_or_id_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assign", str(TONGREN), "--strategy", "nope"]) == 2
    assert run(["assign", str(TONGREN), "--explain", "nowhere"]) == 2


@needs_ortools
def test_two_workers_give_the_same_result(monkeypatch: pytest.MonkeyPatch,
                                          tongren: Dataset) -> None:
    import advisors_ortools.assign as oa

    import advisors.coverage.table as cp

    def results() -> list[advisors.Assignment]:
        out = [advisors.assign(tongren, s) for s in ("greedy", "optimal", "mincostflow")]
        with monkeypatch.context() as m:
            m.setattr(oa, "PATHS_MIN", 0)  # optimal by augmenting paths, fed part by part
            out.append(advisors.assign(tongren, "optimal"))
        assert "augmenting paths" in out[-1].notes[0]
        return out

    serial = results()
    monkeypatch.setattr(cp, "PARALLEL_MIN", 1)
    monkeypatch.setattr(cp, "PART", 7)  # 78 villages in 12 parts, searched by two workers
    assert results() == serial


def test_auto_is_greedy_without_the_ortools_plugin(monkeypatch: pytest.MonkeyPatch,
                                                   tongren: Dataset) -> None:
    from advisors.plugins import reset_plugin_manager

    monkeypatch.setenv("ADVISORS_LOAD_PLUGINS", "")
    reset_plugin_manager()
    assert set(advisors.assign_strategies()) == {"greedy"}
    result = advisors.assign(tongren)
    assert result.strategy == "greedy" and result.coverage == 1.0


def test_capacity_shortfall_names_the_travel_limit_that_would_help() -> None:
    base = capacity_short()
    far = _advisor("bo2", "bo", 36.5, 102.0, cap=5)  # about 110 km north: 150+ road km
    ds = Dataset(base.townships, base.villages, [*base.advisors, far])
    (d,) = advisors.assign(ds, "greedy").diagnoses
    model = ds.travel_model()
    (lacking,) = [u.village for u in advisors.assign(ds, "greedy").uncovered]
    needed = model.road_km("bo2", lacking)
    assert needed > ds.policy.assignment.max_travel_km
    assert any(f"travel limit of {math.ceil(needed)} km" in f and "bo2" in f for f in d.fixes)


def test_result_completes_a_strategy_that_covers_too_little() -> None:
    # a plugin that covers nothing still gets a maximal, explained result
    from advisors.coverage.problem import CoverageProblem

    problem = CoverageProblem(capacity_short())
    result = problem.result({}, "lazy")
    assert result.covered == 3 and [u.reason for u in result.uncovered] == ["capacity"]


def test_result_refuses_a_choice_that_breaks_a_rule() -> None:
    from advisors.coverage.problem import CoverageProblem
    from advisors.errors import AdvisorsError

    problem = CoverageProblem(capacity_short())
    bo1 = problem.advisor_index["bo1"]
    over = {problem.village_index[f"v{i}"]: bo1 for i in range(3)}  # capacity 2
    with pytest.raises(AdvisorsError, match="above capacity 2"):
        problem.result(over, "greedy-bug")
    zh1 = problem.advisor_index["zh1"]
    with pytest.raises(AdvisorsError, match="language rule"):
        problem.result({problem.village_index["v0"]: zh1}, "greedy-bug")


@given(st.dictionaries(st.text(min_size=1, max_size=6), st.one_of(st.none(), st.text(max_size=3)),
                       max_size=30), st.randoms(use_true_random=False))
def test_an_assignment_keeps_its_maps_sorted_by_village_whatever_the_input_order(
        mapping: dict[str, str | None], rnd: random.Random) -> None:
    items = list(mapping.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    ordered = dict(sorted(items))
    a = advisors.Assignment(advisor_of=shuffled, strategy="x")
    b = advisors.Assignment(advisor_of=ordered, strategy="x")
    assert list(a.advisor_of) == list(b.advisor_of) == sorted(mapping)
    assert a == b and dict(a.advisor_of) == mapping
    ordered[next(iter(ordered), "z")] = "changed"  # the Assignment holds its own copy
    assert dict(b.advisor_of) == mapping
