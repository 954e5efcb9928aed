"""The 12348 hotline rota: rules given → expected, fairness across periods, replanning, CLI."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from pathlib import Path

import attrs
import pytest
from advisors_ortools import hotline as hotline_plugin
from advisors_ortools.hotline import CpsatHotline
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.cli import run
from advisors.errors import DataError
from advisors.hotline.facts import HotlineRota, PastShift, read_history
from advisors.hotline.problem import HotlineProblem
from advisors.model import Unavailability
from advisors.period import Period
from advisors.plan.diff import diff

from .conftest import TONGREN
from .test_schedule_helpers import small_dataset

D = dt.date


def _policy(**hotline: object) -> advisors.Policy:
    # a Tibetan area: the qinghai-tibetan-area preset asks for a Tibetan speaker on every shift
    policy = advisors.Policy.from_dict({"preset": "qinghai-tibetan-area"})
    return attrs.evolve(policy, hotline=attrs.evolve(policy.hotline, **hotline))


def test_open_days_follow_the_policy() -> None:
    ds = small_dataset(["remote"], 2, (), ["bo;zh", "bo;zh"])
    days = {s.date for s in HotlineProblem(ds, Period.parse("2027-01")).slots}
    assert D(2027, 1, 1) not in days  # New Year's Day: statutory holidays closed
    assert D(2027, 1, 9) in days  # a Saturday: weekends open
    closed = small_dataset(["remote"], 2, (), ["bo;zh"] * 2,
                           policy=_policy(weekends_open=False, holidays_closed=False))
    days = {s.date for s in HotlineProblem(closed, Period.parse("2027-01")).slots}
    assert D(2027, 1, 1) in days and D(2027, 1, 9) not in days


def test_empty_shift_says_nobody_speaks_tibetan_that_day() -> None:
    ds = small_dataset(["remote"], 3, ((0, 23, 0),), ["bo;zh", "zh", "zh"],
                       policy=_policy(max_shifts_per_month=40))
    rota = advisors.hotline_rota(ds, "2026-12-24..2026-12-25", strategy="greedy")
    empty = rota.analysis.by_rule()["Shift understaffed"]
    on_24 = [v for v in empty if v.days == (D(2026, 12, 24),)]
    assert len(on_24) == 2  # both shifts of the 24th: the only Tibetan speaker is away
    assert all("nobody available who speaks Tibetan" in v.message for v in on_24)
    on_25 = [v for v in empty if v.days == (D(2026, 12, 25),)]
    assert len(on_25) == 1 and "already on duty that day" in on_25[0].message  # one a day
    assert not rota.feasible


def test_language_rule_given_a_chinese_only_shift() -> None:
    ds = small_dataset(["remote"], 2, (), ["bo;zh", "zh"], policy=_policy())
    problem = HotlineProblem(ds, Period.parse("2026-12-01..2026-12-01"))
    from advisors.hotline.rules import language_missing

    slot = problem.slots[0]
    shift = advisors.DutyShift(slot.id, slot.date, slot.index, slot.slot, slot.start, slot.end,
                               "a1")
    assert len(list(language_missing(problem, [shift]))) == 1
    assert list(language_missing(problem, [attrs.evolve(shift, lawyer="a0")])) == []


def check_rota(ds: advisors.Dataset, rota: HotlineRota, history: tuple[PastShift, ...]) -> None:
    """Invariants of any rota, checked against the data directly."""
    policy = ds.policy.hotline
    cal = ds.work_calendar
    reported = {s for v in rota.analysis.hard for s in v.subjects}
    problem = HotlineProblem(ds, rota.period, history)
    staffed = {s.id for s in rota.shifts}
    for slot in problem.slots:
        assert slot.id in staffed or slot.id in reported
    for s in rota.shifts:
        assert cal.is_available(s.lawyer, s.date) and ds.advisor_by_id[s.lawyer].hotline
    days = [(s.lawyer, s.date) for s in rota.shifts] + [(h.lawyer, h.date) for h in history]
    assert max((days.count(k) for k in set(days)), default=0) <= policy.max_shifts_per_day
    months = [(lw, d.strftime("%Y-%m")) for lw, d in days]
    assert max((months.count(k) for k in set(months)), default=0) <= policy.max_shifts_per_month
    for _, group in itertools.groupby(rota.shifts, key=lambda s: (s.date, s.index)):
        group_list = list(group)
        for lang in policy.required_languages:
            assert any(lang in ds.advisor_by_id[s.lawyer].languages for s in group_list) \
                or group_list[0].id in reported


def _solve(ds: advisors.Dataset, period: str, strategy: str,
           history: tuple[PastShift, ...] = ()) -> HotlineRota:
    # CP-SAT with a short deterministic limit keeps the property tests quick
    if strategy == "cpsat":
        return CpsatHotline(deterministic_time=0.5)(HotlineProblem(ds, Period.parse(period),
                                                                   history))
    return advisors.hotline_rota(ds, period, history, strategy=strategy)


LANGS = st.lists(st.sampled_from(["bo;zh", "zh"]), min_size=2, max_size=7)


@settings(max_examples=20, deadline=None)
@given(LANGS, st.integers(1, 2), st.integers(2, 14), st.booleans(),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 25), st.integers(0, 5)), max_size=2),
       st.sampled_from(["greedy", "cpsat"]))
def test_rotas_keep_every_hard_rule(langs: list[str], seats: int, cap: int, weekends: bool,
                                    absences: list[tuple[int, int, int]], strategy: str) -> None:
    ds = small_dataset(["remote"], len(langs), absences, langs,
                       policy=_policy(lawyers_per_shift=seats, max_shifts_per_month=cap,
                                      weekends_open=weekends))
    rota = _solve(ds, "2026-12", strategy)
    check_rota(ds, rota, ())
    assert HotlineRota.from_dict(json.loads(json.dumps(rota.as_dict()))) == rota


@settings(max_examples=12, deadline=None)
@given(st.integers(2, 8), st.integers(4, 12), st.integers(0, 7), st.booleans())
def test_fairness_carries_over_with_history(lawyers: int, cap: int, skip: int,
                                            weekends: bool) -> None:
    """Two months in a row: counts including the first month's rota differ by at most one."""
    ds = small_dataset(["remote"], lawyers, (), ["bo;zh"] * lawyers,
                       policy=_policy(max_shifts_per_month=cap, weekends_open=weekends))
    # a first period that ends mid-week leaves uneven counts to carry over
    first = _solve(ds, f"2026-12-01..2026-12-{10 + skip:02d}", "cpsat")
    history = tuple(PastShift(s.date, s.start, s.end, s.lawyer) for s in first.shifts)
    second = _solve(ds, "2027-01", "cpsat", history)
    check_rota(ds, second, ())
    if second.stats.status == "optimal" and second.feasible:
        for what in ("total", "weekend", "evening"):
            values = [getattr(c, what) for c in second.counts.values()]
            assert max(values) - min(values) <= 1, (what, second.counts)
    totals = {lw: sum(1 for s in (*first.shifts, *second.shifts) if s.lawyer == lw)
              for lw in second.counts}
    assert totals == {lw: c.total for lw, c in second.counts.items()}


def test_greedy_is_fair_when_nothing_binds() -> None:
    ds = small_dataset(["remote"], 5, (), ["bo;zh"] * 5, policy=_policy(max_shifts_per_month=31))
    rota = advisors.hotline_rota(ds, "2026-12", strategy="greedy")
    totals = [c.total for c in rota.counts.values()]
    assert rota.feasible and max(totals) - min(totals) <= 1


def test_history_files(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text("date,start,end,lawyer\n2026-11-03,08:00,14:00,a1\n",
                                    encoding="utf-8")
    (tmp_path / "h.json").write_text(json.dumps([{"date": "2026-11-03", "start": "08:00",
                                                  "end": "14:00", "lawyer": "a1"}]),
                                     encoding="utf-8")
    assert read_history(tmp_path / "h.csv") == read_history(tmp_path / "h.json") == (
        PastShift(D(2026, 11, 3), "08:00", "14:00", "a1"),)
    (tmp_path / "bad.csv").write_text("date,start,end,lawyer\n2026-11-31,8,14:00,a1\n",
                                      encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_history(tmp_path / "bad.csv")
    assert info.value.problems[0].line == 2


def test_replanning_the_rota_moves_only_the_absent_lawyer() -> None:
    ds = small_dataset(["remote"], 6, (), ["bo;zh"] * 6, policy=_policy(max_shifts_per_month=12))
    before = advisors.hotline_rota(ds, "2026-12", strategy="greedy")
    victim = before.shifts[10]
    away = attrs.evolve(ds, unavailability=(Unavailability(victim.lawyer, victim.date,
                                                           victim.date),))
    after = advisors.hotline_rota(away, "2026-12", previous=before, strategy="cpsat")
    changes = diff(before.shifts, after.shifts)
    assert [b.id for _, b in changes.moved] == [s.id for s in before.shifts
                                               if (s.lawyer, s.date) == (victim.lawyer,
                                                                         victim.date)]
    assert not changes.new and not changes.cancelled


def test_cli_hotline_exits_3_and_explains(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # Tongren's own policy staffs only its share of the prefecture rota; with the
    # library's default (two shifts, every day) its Tibetan speakers cannot cover December.
    data = tmp_path / "tongren"
    shutil.copytree(TONGREN, data)
    (data / "policy.toml").write_text('preset = "qinghai-tibetan-area"\n', "utf-8")
    out = tmp_path / "hotline.csv"
    assert run(["hotline", str(data), "--period", "2026-12", "--strategy", "greedy",
                "-o", str(out)]) == 3
    text = capsys.readouterr().out
    assert "Shift understaffed" in text and "Tibetan speaker" in text
    assert out.read_text(encoding="utf-8").splitlines()[0] == "date,start,end,lawyer"
    assert run(["hotline", str(data), "--period", "2027-01", "--strategy", "greedy",
                "--history", str(out)]) == 3
    assert "history included" in capsys.readouterr().out


def test_each_hard_rule_given_a_bad_shift() -> None:
    from advisors.hotline.rules import HOTLINE_RULES

    ds = small_dataset(["remote"], 3, ((1, 0, 0),), ["bo;zh", "bo;zh", "bo;zh"],
                       policy=_policy(max_shifts_per_month=1))
    ds = attrs.evolve(ds, advisors=(*ds.advisors[:2], attrs.evolve(ds.advisors[2],
                                                                   hotline=False)))
    history = (PastShift(D(2026, 12, 2), "08:00", "14:00", "a0"),)
    problem = HotlineProblem(ds, Period.parse("2026-12-01..2026-12-03"), history)
    rules = {r.name: r for r in HOTLINE_RULES}
    slots = {s.id: s for s in problem.slots}

    def shift(day: int, index: int, lawyer: str) -> advisors.DutyShift:
        s = slots[f"hotline/2026-12-{day:02d}/{index}/1"]
        return advisors.DutyShift(s.id, s.date, s.index, s.slot, s.start, s.end, lawyer)

    def hits(rule: str, shifts: list[advisors.DutyShift]) -> int:
        return len(list(rules[rule].check(problem, shifts)))

    assert hits("Lawyer unavailable", [shift(1, 0, "a1")]) == 1  # a1 away on 12-01
    assert hits("Lawyer unavailable", [shift(3, 0, "a1")]) == 0
    assert hits("Not a hotline lawyer", [shift(3, 0, "a2")]) == 1
    assert hits("Too many shifts a day", [shift(2, 1, "a0")]) == 1  # history has 12-02
    assert hits("Too many shifts a month", [shift(3, 0, "a0")]) == 1  # cap 1, history 1
    assert hits("Too many shifts a month", [shift(3, 0, "a1")]) == 0
    assert hits("Lawyer double-booked", [shift(3, 0, "a1"), attrs.evolve(
        shift(3, 0, "a1"), id="hotline/2026-12-03/0/2", slot=2)]) == 1
    closed = attrs.evolve(shift(3, 0, "a1"), id="hotline/2026-12-05/0/1", date=D(2026, 12, 5))
    assert hits("Not a shift", [closed]) == 1
    assert hits("Unfair shift counts", [shift(1, 0, "a0"), shift(3, 1, "a0")]) == 1
    assert hits("Unfair shift counts", [shift(1, 0, "a1")]) == 0


@settings(max_examples=15, deadline=None)
@given(LANGS, st.integers(1, 2), st.integers(2, 14), st.booleans())
def test_cpsat_stops_at_a_clean_start_and_is_never_worse(langs: list[str], seats: int, cap: int,
                                                          weekends: bool) -> None:
    """A greedy rota that breaks no rule is optimal (no score is below 0): CP-SAT returns it
    as proved, with the bound 0; otherwise CP-SAT's rota ranks no worse than greedy's."""
    ds = small_dataset(["remote"], len(langs), (), langs,
                       policy=_policy(lawyers_per_shift=seats, max_shifts_per_month=cap,
                                      weekends_open=weekends))
    greedy = _solve(ds, "2026-12", "greedy")
    rota = _solve(ds, "2026-12", "cpsat")
    assert rota.analysis.rank <= greedy.analysis.rank
    if greedy.analysis.rank == (0, 0):
        assert rota.shifts == greedy.shifts
        assert (rota.stats.status, rota.stats.objective, rota.stats.bound) == ("optimal", 0, 0)
    else:
        assert rota.stats.status != "optimal" or rota.stats.bound is not None


@settings(max_examples=15, deadline=None)
@given(LANGS, st.integers(1, 2), st.integers(1, 6), st.booleans(),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 25), st.integers(0, 5)), max_size=2))
def test_cpsat_stops_when_every_lawyer_is_at_the_cap_and_that_is_optimal(
        langs: list[str], seats: int, cap: int, weekends: bool,
        absences: list[tuple[int, int, int]]) -> None:
    """Too few lawyers for the month: a greedy rota whose only faults are empty seats,
    with every lawyer at the monthly cap, is returned as optimal without a search; a full
    CP-SAT search (with that shortcut turned off) finds nothing ranked better."""
    ds = small_dataset(["remote"], len(langs), absences, langs,
                       policy=_policy(lawyers_per_shift=seats, max_shifts_per_month=cap,
                                      weekends_open=weekends))
    problem = HotlineProblem(ds, Period.parse("2026-12"), ())
    greedy = _solve(ds, "2026-12", "greedy")
    proved = hotline_plugin._no_seat_more(problem, greedy)
    rota = CpsatHotline(deterministic_time=2.0)(problem)
    searched = CpsatHotline(deterministic_time=2.0, shortcuts=False)(problem)
    if proved:
        assert rota.shifts == greedy.shifts
        assert (rota.stats.status, rota.stats.objective, rota.stats.bound) == ("optimal", 0, 0)
        assert searched.analysis.rank >= greedy.analysis.rank  # nothing better exists
        assert greedy.analysis.hard  # the shortcut is for a month that cannot be staffed
    assert rota.analysis.rank <= searched.analysis.rank or searched.stats.status != "optimal"


def test_the_cap_shortcut_is_taken_for_a_month_too_few_lawyers_can_staff() -> None:
    ds = small_dataset(["remote"], 2, (), ["bo;zh", "bo;zh"],
                       policy=_policy(lawyers_per_shift=2, max_shifts_per_month=3,
                                      weekends_open=True))
    problem = HotlineProblem(ds, Period.parse("2026-12"), ())
    greedy = _solve(ds, "2026-12", "greedy")
    assert hotline_plugin._no_seat_more(problem, greedy)
    rota = CpsatHotline()(problem)
    assert len(rota.shifts) == 6 and rota.stats.status == "optimal"
    searched = CpsatHotline(shortcuts=False)(problem)
    assert searched.analysis.rank == rota.analysis.rank
