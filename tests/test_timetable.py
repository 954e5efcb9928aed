"""One person, one place: the timetable's rule; written calendars checked as people read them."""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from pathlib import Path

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advisors
from advisors.cli import run
from advisors.data.dispatch import load_dataset
from advisors.geo import Booking, Timetable, travel_minutes
from advisors.output import export
from advisors.plan.plan import make_plan
from advisors.plan.timetable import ONE_PLACE, plan_bookings
from advisors.plugins import reset_plugin_manager

from .conftest import ROOT, TONGREN

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def _km(minutes: float) -> dict[tuple[str, str], float]:
    return {("a", "b"): minutes, ("b", "a"): minutes}


def _table(bookings: list[Booking], minutes: float = 30.0) -> Timetable:
    table = _km(minutes)
    return Timetable(bookings, lambda a, b: table.get((a, b), 0.0))


DAY = dt.date(2026, 12, 1)


def test_overlap_is_a_clash() -> None:
    clashes = _table([Booking("x", DAY, 480, 840, "a"), Booking("x", DAY, 540, 1020, "a")]
                     ).clashes()
    assert [(c.missing, c.travel) for c in clashes] == [(300, 0)]


def test_too_little_travel_time_is_a_clash() -> None:
    table = _table([Booking("x", DAY, 480, 600, "a"), Booking("x", DAY, 620, 700, "b")])
    assert [(c.missing, c.travel) for c in table.clashes()] == [(10, 30)]


def test_enough_travel_time_and_other_people_are_no_clash() -> None:
    table = _table([Booking("x", DAY, 480, 600, "a"), Booking("x", DAY, 630, 700, "b"),
                    Booking("y", DAY, 480, 600, "b")])
    assert table.clashes() == []


def test_fits_needs_the_travel_both_ways() -> None:
    table = _table([Booking("x", DAY, 600, 660, "a")])
    assert table.fits("x", DAY, 480, 570, "b")
    assert not table.fits("x", DAY, 480, 571, "b")
    assert not table.fits("x", DAY, 680, 720, "b")
    assert table.fits("x", DAY, 690, 720, "b")
    assert table.fits("x", DAY, 660, 720, "a")
    assert table.fits("x", DAY + dt.timedelta(days=1), 600, 660, "b")


def test_travel_minutes_round_up_whole_minutes() -> None:
    assert travel_minutes(lambda a, b: 30.0000000001, "a", "b") == 30
    assert travel_minutes(lambda a, b: 30.2, "a", "b") == 31
    assert travel_minutes(lambda a, b: 99.0, "a", "a") == 0


# ---- the written calendars ---------------------------------------------------------

def _places(dataset: advisors.Dataset) -> dict[tuple[float, float], list[str]]:
    out: dict[tuple[float, float], list[str]] = {}
    for records in (dataset.villages, dataset.advisors, dataset.trainers, dataset.venues,
                    dataset.virtual_venues()):
        for r in records:
            out.setdefault((round(r.lat, 5), round(r.lon, 5)), []).append(r.id)
    return out


def calendar_clashes(out: Path, dataset: advisors.Dataset) -> list[str]:
    """Clashes in every advisor's and trainer's written .ics feed, travel included.

    Reads the calendars as a phone does: DTSTART, DTEND, GEO of each event not
    cancelled; travel between two places is the dataset's travel time between
    the things located there (the longest, where several share a point).
    """
    model = dataset.travel_model()
    places = _places(dataset)

    def travel(a: tuple[float, float], b: tuple[float, float]) -> int:
        if a == b:
            return 0
        return max(travel_minutes(model.minutes, x, y)
                   for x in places[a] for y in places[b])

    found = []
    feeds = sorted((out / "calendars" / "advisor").glob("*.ics"))
    feeds += sorted((out / "calendars" / "trainer").glob("*.ics"))
    assert feeds, "no personal calendars written"
    for feed in feeds:
        cal = icalendar.Calendar.from_ical(feed.read_bytes())
        days: dict[dt.date, list[tuple[dt.datetime, dt.datetime, tuple[float, float], str]]] = {}
        for ev in cal.walk("VEVENT"):
            if str(ev.get("status")) == "CANCELLED" or str(ev.get("transp")) == "TRANSPARENT":
                continue  # a transparent event (an appointment within a visit) blocks no time
            geo = ev.get("geo")
            assert geo is not None, f"{feed.name}: {ev['uid']} has no GEO"
            start, end = ev.decoded("dtstart"), ev.decoded("dtend")
            days.setdefault(start.date(), []).append(
                (start, end, (round(geo.latitude, 5), round(geo.longitude, 5)), str(ev["uid"])))
        for events in days.values():
            for a, b in itertools.pairwise(sorted(events)):
                need = dt.timedelta(minutes=travel(a[2], b[2]))
                if a[1] + need > b[0]:
                    found.append(f"{feed.name}: {a[3]} then {b[3]} ({need} travel)")
    return found


def _write_calendars(dataset: advisors.Dataset, out: Path, *, coherent: bool = True) -> None:
    plan = make_plan(dataset, "2026-12", coherent=coherent)
    export(plan.publication(dataset), out, names=["ics"])


@pytest.mark.parametrize("plugins", [None, ""], ids=["cpsat", "greedy"])
def test_tongren_calendars_written_by_the_cli_have_no_clash(
        tmp_path: Path, tongren: advisors.Dataset, plugins: str | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if plugins is not None:  # no installed plugin: the built-in greedy strategies
        monkeypatch.setenv("ADVISORS_LOAD_PLUGINS", plugins)
    code = run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "out"),
                "--quiet"])
    strategy = advisors.Plan.read(tmp_path / "out" / "plan.json").visits.stats.strategy
    assert strategy == ("visits.greedy" if plugins == "" else "visits.cpsat")
    assert code == 0
    assert calendar_clashes(tmp_path / "out", tongren) == []


def test_separate_planning_shows_the_clashes_the_calendar_check_finds(
        tmp_path: Path, tongren: advisors.Dataset) -> None:
    # the check can fail: the parts planned apart book lawyers twice, and the plan says so
    _write_calendars(tongren, tmp_path, coherent=False)
    found = calendar_clashes(tmp_path, tongren)
    plan = make_plan(tongren, "2026-12", coherent=False)
    assert found and len(found) == len(plan.timetable.hard)
    assert not plan.feasible
    assert {v.rule for v in plan.timetable.hard} == {ONE_PLACE}


@pytest.mark.parametrize("scale", ["township", "prefecture"])
def test_generated_calendars_have_no_clash(tmp_path: Path, scale: str) -> None:
    generate(scale, tmp_path / "data")
    dataset = load_dataset(tmp_path / "data")
    _write_calendars(dataset, tmp_path / "out")
    assert calendar_clashes(tmp_path / "out", dataset) == []


# ---- the property, over generated datasets ------------------------------------------

def _naive_clashes(dataset: advisors.Dataset, plan: advisors.Plan) -> list[tuple[Booking, ...]]:
    """Every pair of one person's bookings of a day too close, travel included (no index)."""
    model = dataset.travel_model()
    bookings = plan_bookings(dataset, plan.visits.visits, plan.hotline.shifts,
                             plan.training.sessions)
    found = []
    for a, b in itertools.combinations(bookings, 2):
        if a.person != b.person or a.date != b.date:
            continue
        first, second = (a, b) if (a.start, a.end) <= (b.start, b.end) else (b, a)
        if first.end + travel_minutes(model.minutes, first.place, second.place) > second.start:
            found.append((first, second))
    return found


_DATASETS: dict[int, advisors.Dataset] = {}


def _township(seed: int, tmp: Path) -> advisors.Dataset:
    if seed not in _DATASETS:
        generate("township", tmp / f"t{seed}", seed=seed)
        _DATASETS[seed] = load_dataset(tmp / f"t{seed}")
    return _DATASETS[seed]


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 3), links=st.lists(st.integers(0, 50), max_size=4),
       hotline_venue=st.booleans(), month=st.sampled_from(["2026-11", "2026-12"]),
       greedy=st.booleans())
def test_no_plan_books_a_person_in_two_places(tmp_path_factory: pytest.TempPathFactory,
                                              seed: int, links: list[int],
                                              hotline_venue: bool, month: str,
                                              greedy: bool) -> None:
    reset_plugin_manager()
    with pytest.MonkeyPatch.context() as env:
        if greedy:  # no installed plugin: the built-in greedy strategies
            env.setenv("ADVISORS_LOAD_PLUGINS", "")
        plan = _plan_without_clash(tmp_path_factory, seed, links, hotline_venue, month)
    reset_plugin_manager()
    assert plan.hotline.stats.strategy == ("hotline.greedy" if greedy else "hotline.cpsat")


def _plan_without_clash(tmp_path_factory: pytest.TempPathFactory, seed: int, links: list[int],
                        hotline_venue: bool, month: str) -> advisors.Plan:
    dataset = _township(seed, tmp_path_factory.getbasetemp())
    advisors_ = sorted(a.id for a in dataset.advisors if a.active)
    trainers = list(dataset.trainers)
    picks = list(dict.fromkeys(p % len(advisors_) for p in links))
    for i, pick in enumerate(picks[:len(trainers)]):
        # the data says this trainer is also that advisor: one person, one timetable
        trainers[i] = attrs.evolve(trainers[i], advisor=advisors_[pick])
    policy = dataset.policy
    if hotline_venue and dataset.venues:
        policy = attrs.evolve(policy, hotline=attrs.evolve(policy.hotline,
                                                           venue=dataset.venues[0].id))
    data = attrs.evolve(dataset, trainers=tuple(trainers), policy=policy)
    plan = make_plan(data, month)
    assert _naive_clashes(data, plan) == []
    assert plan.timetable.feasible
    return plan


BOOKINGS = st.lists(st.builds(
    Booking, st.sampled_from(["a", "b", "第1人"]),
    st.dates(dt.date(2026, 12, 1), dt.date(2026, 12, 3)), st.integers(0, 1440),
    st.integers(0, 1440), st.sampled_from(["v1", "v2"]), st.sampled_from(["", "x", "y"])),
    max_size=30)


@given(BOOKINGS)
def test_a_timetable_holds_its_bookings_in_their_own_order(bookings: list[Booking]) -> None:
    # Booking's order (person, day, start, end) and, among equals, the order given
    held = list(Timetable(bookings, lambda a, b: 0.0).bookings())
    assert held == sorted(bookings)
    assert [id(b) for b in held] == [id(b) for b in sorted(bookings)]
