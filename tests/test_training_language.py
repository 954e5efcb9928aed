"""Training in herding townships: one bilingual session for what people understand."""

from __future__ import annotations

import re

import attrs
import icalendar
import pytest

import advisors
from advisors.model import Person, Township, Trainer, Venue, Village
from advisors.training.problem import Participant, instruction_languages


def _p(ident: str, langs: tuple[str, ...]) -> Participant:
    return Participant(ident, ident, "v1", "t1", "legal_savvy", "active", langs, "venue", "all",
                       1.0)


def test_a_bilingual_trainer_teaches_a_mixed_group_in_both() -> None:
    group = [_p("a", ("bo",)), _p("b", ("bo", "zh")), _p("c", ("zh",))]
    assert instruction_languages(("bo", "zh"), group) == ("bo", "zh")
    # bilingual Tibetans with Chinese speakers: not Chinese alone
    assert instruction_languages(("bo", "zh"), group[1:]) == ("bo", "zh")
    # everyone's first language is Tibetan: Tibetan
    assert instruction_languages(("bo", "zh"), group[:2]) == ("bo",)
    # a trainer lacking Tibetan teaches in what each understands
    assert instruction_languages(("zh",), group[1:]) == ("zh",)


def _dataset(n_bo: int, n_bz: int, capacity: int, trainers: list[Trainer],
             instruction: str = "first") -> advisors.Dataset:
    policy = advisors.Policy()
    policy = attrs.evolve(policy, training=attrs.evolve(policy.training,
                                                          instruction=instruction))
    people = ([Person(f"p{i}", f"人{i}", "v1", "legal_savvy", "active", "bo")
               for i in range(n_bo)]
              + [Person(f"q{i}", f"人{i}", "v1", "legal_savvy", "active", "bo;zh")
                 for i in range(n_bz)])
    return advisors.Dataset(
        [Township("t1", "甲乡", kind="herding")],
        [Village("v1", "一村", "t1", "village", "remote", "bo", 35.5, 102.0)],
        [], trainers, people, [Venue("venue", "会议室", "t1", 35.5, 102.0, capacity)],
        policy=policy)


BILINGUAL = Trainer("tr-bz", "双语", "bo;zh", "civil_code;land_contract", 35.5, 102.0, 8)
CHINESE = Trainer("tr-zh", "汉语", "zh", "civil_code;land_contract", 35.5, 102.0, 8)


@pytest.mark.parametrize("strategy", ["greedy", "cpsat"])
def test_one_session_when_the_venue_seats_everyone(strategy: str) -> None:
    ds = _dataset(10, 15, 40, [CHINESE, BILINGUAL])
    plan = advisors.plan_training(ds, "2026-12", strategy=strategy)
    (session,) = plan.sessions
    assert session.trainer == "tr-bz" and session.language == ("bo",)
    assert not plan.analysis.soft


@pytest.mark.parametrize("strategy", ["greedy", "cpsat"])
def test_split_only_by_seats_and_bilingual_people_never_taught_chinese_alone(
        strategy: str) -> None:
    ds = _dataset(10, 30, 25, [CHINESE, BILINGUAL])
    plan = advisors.plan_training(ds, "2026-12", strategy=strategy)
    assert len(plan.sessions) == 2  # 40 people, 25 seats
    assert all("bo" in s.language for s in plan.sessions)
    assert not [v for v in plan.analysis.violations if v.rule == "not_first_language"]


def test_fewest_keeps_the_old_rule_and_the_analysis_names_it() -> None:
    ds = _dataset(0, 20, 40, [CHINESE], instruction="first")
    plan = advisors.plan_training(ds, "2026-12", strategy="greedy")
    (session,) = plan.sessions
    assert session.language == ("zh",)  # nobody else can teach them
    (v,) = [v for v in plan.analysis.violations if v.rule == "not_first_language"]
    assert not v.hard and "20 participants" in v.message
    fewest = _dataset(0, 20, 40, [CHINESE], instruction="fewest")
    plan = advisors.plan_training(fewest, "2026-12", strategy="greedy")
    assert not [v for v in plan.analysis.violations if v.rule == "not_first_language"]


def test_rosters_and_calendars_say_the_language_in_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ds = _dataset(10, 15, 40, [BILINGUAL])
    plan = advisors.make_plan(ds, "2026-12")
    out = tmp_path / "out"
    advisors.export(plan.publication(ds), out)
    roster = (out / "rosters" / "t1.html").read_text("utf-8")
    cells = [re.sub(r"<[^>]+>", " ", c).split()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", roster)]
    # a Tibetan-first township's roster names it in Tibetan too, from the sourced catalog
    assert ["བོད་སྐད་", "藏语"] in cells and not any("bo" in c for c in cells)
    feed = icalendar.Calendar.from_ical((out / "calendars" / "trainer" / "tr-bz.ics").read_bytes())
    assert ["授课语言：藏语" in str(ev["description"]) for ev in feed.walk("VEVENT")] == [True]


def test_the_tongren_example_has_a_bilingual_session_and_no_tibetan_taught_chinese_alone(
        tongren: advisors.Dataset) -> None:
    plan = advisors.plan_training(tongren, "2026-12")
    assert any(s.language == ("bo", "zh") for s in plan.sessions)
    assert not [v for v in plan.analysis.violations if v.rule == "not_first_language"]
