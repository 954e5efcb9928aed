"""What a plan does not serve is told in Chinese with names, never raw ids or codes."""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import advisors
from advisors.cli import run
from advisors.geo import Booking
from advisors.hotline.rules import _UNFAIR
from advisors.locale import CATALOG_DIR, load_catalog
from advisors.plan.shortfalls import _FIXES, _LABELS, PART_LABELS, shortfall_lines
from advisors.plan.telling import Teller, month_zh
from advisors.plan.timetable import clash_analysis, timetable
from advisors.training.rules import _PAIR_TEXTS
from advisors.wording import Joined, Langs, Month, Ref, Text

from .conftest import TONGREN
from .test_shortfalls import two_shifts_a_day  # noqa: F401  (a fixture)

SRC = Path(advisors.__file__).parent
REQUEST = ("req-2026-107,longwu-c04,其他群众,预约咨询,2026-12-02,bo,"
           "只讲藏语的牧民，草场承包合同咨询\n")


def _strings(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _msgids() -> set[str]:
    """Every sentence a rule states: ``Text.of``'s first argument, training's ``hard``'s and
    ``soft``'s second, the hotline's fairness sentences."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if (isinstance(f, ast.Attribute) and f.attr == "of" and isinstance(f.value, ast.Name)
                    and f.value.id == "Text" and node.args):
                found.update(_strings(node.args[0]))
            if isinstance(f, ast.Name) and f.id in ("hard", "soft") and len(node.args) > 1:
                found.update(_strings(node.args[1]))
    return found | set(_PAIR_TEXTS.values()) | set(_UNFAIR.values())


def _rule_names() -> set[str]:
    rules = {r.name for r in advisors.visits.rules.VISIT_RULES if r.hard}
    rules |= {r.name for r in advisors.visits.bookings.REQUEST_RULES if r.hard}
    rules |= {r.name for r in advisors.hotline.rules.HOTLINE_RULES if r.hard}
    return rules | set(_LABELS.values()) | set(_FIXES.values()) | set(PART_LABELS.values())


def test_every_sentence_label_and_fix_has_the_same_chinese_in_both_catalogs() -> None:
    found = _msgids()
    assert len(found) > 80  # the extraction sees the rules' sentences
    outputs = load_catalog("zh")
    cli = load_catalog("zh", domain="cli")
    for msgid in sorted(found | _rule_names()):
        zh = outputs.lookup(msgid)
        assert zh, msgid
        assert cli.lookup(msgid, context="shortfall") == zh, msgid
        if msgid in found:  # a translation names only values the sentence has
            assert set(re.findall(r"\{(\w+)", zh)) <= _names_in_use(msgid) | {
                "village", "advisor", "day", "venue", "shift", "first_shift", "second_shift"}, msgid
    english = (CATALOG_DIR / "en.po").read_text("utf-8")
    assert all(f'msgid "{m}"' in english for m in ("{parts}", "weekend", "Teaching language"))


def _names_in_use(msgid: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", msgid))


def test_the_teller_names_each_kind_of_record_and_writes_dates_and_months(
        tongren: advisors.Dataset) -> None:
    zh = load_catalog("zh")
    teller = Teller(tongren, lambda m: zh.lookup(m))
    advisor = tongren.advisors[0]
    village = tongren.villages[0]
    text = Text.of("{advisor} is in {first} and {second} at once on {day}",
                   advisor=Ref("advisor", advisor.id), first=Ref("village", village.id),
                   second=Ref("township", village.township), day=dt.date(2026, 12, 2))
    told = teller(text)
    assert f"{advisor.name}（{advisor.id}）" in told and village.name in told
    assert tongren.township_by_id[village.township].name in told and "2026年12月2日" in told
    assert village.id not in told and "at once" not in told
    assert teller(Langs(("bo", "zh"))) == "藏语、汉语"
    assert teller(Joined([Langs(("bo",)), Month("2026-12")], "; ")) == "藏语；2026年12月"
    assert teller(Ref("topic", "civil_code")) == "民法典"
    assert month_zh("2026-Q4") == "2026年第四季度" and month_zh("2027") == "2027年"
    holiday = tongren.work_calendar.not_working(dt.date(2026, 10, 1), village.township)
    assert holiday is not None and str(holiday) == "statutory holiday: National Day"
    assert teller(holiday) == "法定节假日：国庆节"
    english = Teller(tongren, lambda m: None, "en")
    assert english(text) == str(text) and advisor.id in english(text)


def _bare(code: str, text: str) -> list[str]:
    """Lines where ``code`` stands outside full-width brackets (an id shown as a name)."""
    return [line for line in text.splitlines()
            if re.search(rf"(?<![（\w-]){re.escape(code)}(?![）\w-])", line)]


def _told_in_chinese(data: Path, out: Path,
                     capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """``advisors plan`` in Chinese: what it prints, and report.html's "not served" as text."""
    code = run(["--lang", "zh", "plan", str(data), "--period", "2026-12", "--out", str(out),
                "--quiet"])
    err = capsys.readouterr().err
    assert code == 3
    report = (out / "report.html").read_text("utf-8")
    section = report[report.index('id="not-served"'):]
    return err, re.sub(r"<[^>]+>", " ", section[:section.index("</section>")])


@pytest.fixture
def with_request(tmp_path: Path) -> Path:
    """Tongren with a Tibetan-only request in a Chinese-speaking community: it cannot be met."""
    data = tmp_path / "data"
    shutil.copytree(TONGREN, data)
    with (data / "requests.csv").open("a", encoding="utf-8") as f:
        f.write(REQUEST)
    return data


def test_a_request_not_met_is_told_in_chinese_with_names(
        with_request: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err, section = _told_in_chinese(with_request, tmp_path / "out", capsys)
    for told in (err, section):
        assert "隆务镇四社区的预约req-2026-107未能在2026年12月16日前安排" in told
        assert "马海燕（adv-07）不会讲藏语" in told and "预约未能按时安排" in told
        assert not _bare("adv-07", told) and not _bare("bo", told)
        assert "longwu-c04" not in told and "2026-12-16" not in told
        assert "request req-2026-107" not in told and "does not speak" not in told
    assert "到村服务日：1项未能安排" in err
    english = run(["--lang", "en", "plan", str(with_request), "--period", "2026-12", "--out",
                   str(tmp_path / "out2"), "--quiet"])
    err = capsys.readouterr().err
    assert english == 3
    assert "request req-2026-107 is not met by 2026-12-16: " in err
    assert "adv-07 does not speak bo" in err and re.search(r"^visits: 1 not served$", err, re.M)


def test_hotline_shortfalls_are_told_in_chinese(two_shifts_a_day: Path) -> None:  # noqa: F811
    data = advisors.read_folder(two_shifts_a_day)
    plan = advisors.make_plan(data, "2026-12")
    cli = load_catalog("zh", domain="cli")
    teller = Teller(data, lambda m: cli.lookup(m, context="shortfall"))
    found = plan.shortfalls()
    assert found and all(s.text is not None for s in found)
    lines = "\n".join(shortfall_lines(found, limit=100, teller=teller))
    assert "12348热线值班：" in lines and "热线班次缺人" in lines and "席：" in lines
    assert not re.search(r"\b(seat|bo|zh|available|shifts?)\b", lines)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", lines)  # dates as Chinese writes them


@pytest.fixture
def no_speakers(tmp_path: Path) -> Path:
    """Tongren where a community speaks only Mongolian and no trainer speaks Tibetan."""
    data = tmp_path / "data"
    shutil.copytree(TONGREN, data)
    villages = (data / "villages.csv").read_text("utf-8")
    (data / "villages.csv").write_text(villages.replace(
        ",longwu,community,community,zh,35.5249", ",longwu,community,community,mn,35.5249", 1),
        "utf-8")
    pinned = (data / "assignments.csv").read_text("utf-8").splitlines(keepends=True)
    (data / "assignments.csv").write_text(
        "".join(x for x in pinned if not x.startswith("longwu-c01,")), "utf-8")
    trainers = (data / "trainers.csv").read_text("utf-8").splitlines(keepends=True)
    (data / "trainers.csv").write_text(trainers[0] + "".join(
        re.sub(r",bo;zh,|,bo,", ",zh,", x) for x in trainers[1:]), "utf-8")
    return data


def test_coverage_and_training_shortfalls_are_told_in_chinese(
        no_speakers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err, section = _told_in_chinese(no_speakers, tmp_path / "out", capsys)
    for told in (err, section):
        assert "隆务镇一社区：没有法律顾问会讲蒙古语。" in told
        assert "招聘一名会讲蒙古语的法律顾问" in told
        assert re.search(r"隆务镇：\d+名只讲藏语的学员，没有培训师会讲藏语", told)
        assert not _bare("longwu-c01", told) and not _bare("mn", told) and not _bare("bo", told)
        assert "Tibetan" not in told and "participants" not in told
    plan = advisors.Plan.read(tmp_path / "out" / "plan.json")
    english = "\n".join(shortfall_lines(plan.shortfalls(), limit=100))
    assert "no advisor speaks Mongolian (蒙古语)." in english
    assert "Tibetan-only participants, no trainer speaks Tibetan" in english


def test_a_clash_of_one_person_is_told_with_names_places_and_times(
        tongren: advisors.Dataset) -> None:
    advisor = tongren.advisors[0]
    a, b = tongren.villages[0], tongren.villages[1]
    day = dt.date(2026, 12, 2)
    table = timetable(tongren, [Booking(advisor.id, day, 540, 720, a.id, "visit/a"),
                                Booking(advisor.id, day, 600, 660, b.id, "visit/b")])
    (clash,) = clash_analysis(tongren, table).hard
    assert clash.text is not None and str(clash.text) == clash.message
    zh = load_catalog("zh")
    told = Teller(tongren, lambda m: zh.lookup(m))(clash.text)
    assert told.startswith(f"{advisor.name}（{advisor.id}）2026年12月2日：09:00–12:00在{a.name}")
    assert f"在{b.name}" in told and "重叠" in told and not _bare(advisor.id, told)


def test_a_village_named_after_its_township_does_not_say_the_township_twice(
        tongren: advisors.Dataset) -> None:
    zh = load_catalog("zh")
    teller = Teller(tongren, lambda m: zh.lookup(m))
    msgid = "{township} {village}: there are no advisors."
    assert "{village}（{township}）" in (zh.lookup(msgid) or "")
    for village in tongren.villages:
        township = tongren.township_by_id[village.township].name
        told = teller(Text.of(msgid, township=Ref("township", village.township),
                              village=Ref("village", village.id)))
        assert told.startswith(village.name)
        assert (f"（{township}）" in told) != village.name.startswith(township), told
