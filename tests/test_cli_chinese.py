"""The command line as a Chinese township office meets it."""

from __future__ import annotations

import ast
import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import advisors.cli
from advisors.cli import run
from advisors.cli._told import analysis_lines, cli_teller
from advisors.cli.speak import lookup, using
from advisors.data.dataset import Dataset
from advisors.hotline.rules import HOTLINE_RULES
from advisors.plan.shortfalls import rule_label
from advisors.rules import Analysis, Violation
from advisors.training import rules as training_rules
from advisors.visits.rules import VISIT_RULES

from .conftest import TONGREN


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "ADVISORS_OUTBOX",
                         "ADVISORS_PORTAL_DATA")}
    command = [str(Path(sys.executable).parent / "advisors"), *args]
    return subprocess.run(command, capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=300)


def test_init_readme_names_the_real_folder(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "我的 数据"
    assert run(["init", str(folder)]) == 0
    readme = (folder / "README.txt").read_text("utf-8")
    assert f'advisors check "{folder}"' in readme
    assert ".tmp" not in readme and ".new." not in readme


def test_quiet_silences_the_outbox_warning_and_loud_shows_it(tmp_path: Path) -> None:
    pytest.importorskip("advisors_outbox")
    args = ("plan", str(TONGREN), "--period", "2026-12", "--exporters", "plan-json")
    quiet = _cli(*args, "--out", str(tmp_path / "q"), "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and quiet.stdout == ""
    loud = _cli(*args, "--out", str(tmp_path / "l"))
    assert loud.returncode == 0 and "ADVISORS_OUTBOX" in loud.stderr
    chinese = _cli(*args, "--out", str(tmp_path / "z"), env={"LANG": "zh_CN.UTF-8"})
    assert "通知没有放入发件箱" in chinese.stderr and "not queued" not in chinese.stderr


ZH = {"LANG": "zh_CN.UTF-8"}


@pytest.mark.parametrize("env", [{"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8", "LANG": "C"},
                                 {"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}])
def test_help_is_chinese_under_a_chinese_locale(env: dict[str, str]) -> None:
    result = _cli("--help", env=env)
    assert result.returncode == 0
    assert "用法" in result.stdout and "命令" in result.stdout and "选项" in result.stdout
    assert "分配法律顾问" in result.stdout  # plan's line in the command list
    assert "Show this message" not in result.stdout and "Usage:" not in result.stdout


def test_help_is_english_otherwise_and_lang_overrides_the_locale() -> None:
    assert "Usage:" in _cli("--help", env={"LANG": "en_US.UTF-8"}).stdout
    assert "Usage:" in _cli("--help").stdout
    assert "Usage:" in _cli("--lang", "en", "--help", env=ZH).stdout
    chinese = _cli("--lang", "zh", "plan", "--help", env={"LANG": "en_US.UTF-8"}).stdout
    assert "输出文件夹" in chinese and "[必填]" in chinese and "Output folder" not in chinese


def test_every_command_and_option_has_chinese_help() -> None:
    from advisors.cli import build_cli
    from advisors.cli.speak import lookup, using

    with using("zh"):
        group = build_cli()
        for name, command in [("advisors", group), *group.commands.items()]:
            assert lookup(name, "command"), name
            for param in command.params:
                text = getattr(param, "help", None)
                assert not text or lookup(text, "option"), (name, text)
    build_cli()  # English again for the tests that follow
    assert "Plan rural legal services" in (group.help or "")


def test_a_located_data_error_is_chinese_and_keeps_file_line_and_field(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "bad"
    shutil.copytree(TONGREN, folder)
    text = (folder / "advisors.csv").read_text("utf-8")
    (folder / "advisors.csv").write_text(text.replace(",lawyer,", ",大律师,", 1), "utf-8")
    result = _cli("check", str(folder), env=ZH)
    assert result.returncode == 2
    assert "advisors.csv:2 [role]" in result.stderr
    assert "未知的身份" in result.stderr and "'大律师'" in result.stderr
    assert "基层法律服务工作者" in result.stderr and "Traceback" not in result.stderr
    assert "unknown role" not in result.stderr and "expected" not in result.stderr
    english = _cli("check", str(folder))
    assert "advisors.csv:2 [role]: unknown role" in english.stderr


def test_usage_errors_and_progress_and_summary_are_chinese(tmp_path: Path) -> None:
    missing = _cli("plan", str(TONGREN), "--out", str(tmp_path / "o"), env=ZH)
    assert missing.returncode == 2 and "缺少选项 '--period'" in missing.stderr
    wrong = _cli("plan", str(TONGREN), "--period", "2026年13月", "--out", str(tmp_path / "o"),
                 env=ZH)
    assert wrong.returncode == 2 and "不是有效的时期" in wrong.stderr
    assert "not a period" not in wrong.stderr
    typo = _cli("plna", env=ZH)
    assert typo.returncode == 2 and "没有这个命令" in typo.stderr and "plan" in typo.stderr
    done = _cli("plan", str(TONGREN), "--period", "2026年12月", "--out", str(tmp_path / "o"),
                "--exporters", "plan-json", env={**ZH, "ADVISORS_OUTBOX": str(tmp_path / "ob")})
    assert done.returncode == 0, done.stderr
    assert "覆盖" in done.stdout and "日历日程" in done.stdout and "已写出" in done.stdout
    assert "正在规划" in done.stderr or "分配顾问" in done.stderr or "正在写出" in done.stderr
    assert "coverage" not in done.stdout and "wrote" not in done.stdout
    # the publication time on the office's clock, the exporter by what it writes
    assert "发布时间 2026年11月30日 00:00（北京时间）" in done.stdout, done.stdout
    assert "+00:00" not in done.stdout
    assert "plan-json" not in done.stderr
    check = _cli("check", str(TONGREN), env=ZH)
    assert "合计" in check.stdout and "数据无误" in check.stdout


def test_the_note_of_an_interrupted_runs_leftover_is_chinese(tmp_path: Path) -> None:
    leftover = tmp_path / ".out.999999-abcdefgh.tmp"  # pid 999999: a run no longer alive
    leftover.mkdir()
    done = _cli("plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "out"),
                "--exporters", "plan-json", "--quiet", env=ZH)
    assert done.returncode == 0, done.stderr
    assert not leftover.exists()
    assert "注意：已删除 .out.999999-abcdefgh.tmp（中断的运行写了一半的输出）" in done.stderr
    assert "removed" not in done.stderr


# --- summaries and analyses of schedule, hotline, train and assign (issue 16) ---------------

_ENGLISH_WORDS = ("strategy:", "analysis:", "soft score", "cannot cover", "cannot plan",
                  "fix:", "note:", "warning:", "written:", "coverage:", "road km", "sessions for",
                  "taught in", "seats staffed", "visits to", " hard [", " soft [", "(hard)",
                  "(soft)", "… and", "candidates", "to nominate", "villages below",
                  "assessment", "explanation:", "honour list", "spot check", "findings:",
                  "visits planned", "budget 2", "reported quarters", "(estimated)", "yuan",
                  " — counted", "excellent 优秀", "service by", "no planned visit",
                  "× weight", " points", "records complete")


def _speak(argv: list[str], lang: str, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8")
    code = run(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


def _no_english(text: str) -> None:
    found = [word for word in _ENGLISH_WORDS if word in text]
    assert not found, f"English left: {found}\n{text}"


@pytest.mark.parametrize(("argv", "chinese", "english"), [
    (["schedule", str(TONGREN), "--period", "2026-12"],
     ("2026年12月：", "个有固定服务日", "策略：", "软性扣分", "分析："), "strategy: "),
    (["hotline", str(TONGREN), "--period", "2026-12"],
     ("2026年12月：", "个值班席位", "每位可值班律师的班次", "策略：", "分析："), "analysis: "),
    (["train", str(TONGREN), "--period", "2027"],
     ("2027年：", "授课语言：藏语", "策略为"), "taught in: Tibetan"),
    (["assign", str(TONGREN)],
     ("策略：", "覆盖：78 个村（社区）中已覆盖 78 个", "道路里程", "注意："), "road km"),
    (["progress", str(TONGREN)],
     ("在册法律明白人", "培养对象", "需推荐", "在册法律明白人不足 3 名的村（社区）共"),
     "to nominate"),
    (["assess", str(TONGREN), "--quarter", "2026-Q4"],
     ("考核 2026年第四季度：法律顾问", "名次", "等次", "优秀", "评分说明：", "表扬名单：",
      "抽查（随机种子", "到村服务：按时", "× 权重", "群众满意度："), "explanation:"),
    (["ledger", str(TONGREN), "--period", "2026-12"],
     ("台账 2026年12月：计划到村服务", "开展率", "每月到村", "发现的问题：", "已计入",
      "的签约法律顾问（该村的签约顾问是", "应为：计划中的服务日"),
     "findings:"),
    (["budget", str(TONGREN), "--year", "2026"],
     ("2026年预算：", "已报账季度：2026年第四季度", "（估算）", "服务报酬", "所在机构"),
     "reported quarters"),
])
def test_summaries_speak_chinese(argv: list[str], chinese: tuple[str, ...], english: str,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _speak(argv, "zh", monkeypatch, capsys)
    assert code == 0, text
    for words in chinese:
        assert words in text, text
    _no_english(text)
    code, plain = _speak(argv, "en", monkeypatch, capsys)
    assert code == 0 and english in plain


def _edit(path: Path, change: Callable[[int, dict[str, str]], None]) -> None:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows):
        change(i, row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def short_of_everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tongren with one village per advisor, one hotline lawyer and no Tibetan trainer."""
    folder = tmp_path_factory.mktemp("short") / "data"
    shutil.copytree(TONGREN, folder)

    def advisor(i: int, row: dict[str, str]) -> None:
        row["capacity"] = "1"
        if i > 0:
            row["hotline"] = "false"

    _edit(folder / "advisors.csv", advisor)
    _edit(folder / "trainers.csv", lambda _, row: row.update(languages="zh"))
    return folder


@pytest.mark.parametrize(("command", "chinese", "english"), [
    (["schedule", "--period", "2026-12"],
     ("村无签约法律顾问（硬性）：", "没有签约法律顾问", "……另有"),
     ("Village without advisor (hard):", "  … and")),
    (["hotline", "--period", "2026-12"], ("热线班次缺人（硬性）：", "条硬性规则未满足"),
     ("Shift understaffed (hard):", "hard rule(s) broken")),
    (["train", "--period", "2027"], ("无法安排：", "没有培训师会讲藏语", "硬性【参训次数不足】"),
     ("cannot plan: ", "no trainer speaks Tibetan", "hard [session_target]")),
    (["assign"], ("无法覆盖：", "解决办法：将", "的服务村数上限从1提高到"),
     ("cannot cover: ", "  fix: raise the capacity of ", "(adv-")),
])
def test_what_fails_is_told_in_chinese_with_names(
        command: list[str], chinese: tuple[str, ...], english: tuple[str, ...],
        short_of_everything: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = [command[0], str(short_of_everything), *command[1:]]
    code, text = _speak(argv, "zh", monkeypatch, capsys)
    assert code == 3, text
    for words in chinese:
        assert words in text, text
    _no_english(text)
    assert "Tibetan" not in text and "villages cannot be covered" not in text
    code, plain = _speak(argv, "en", monkeypatch, capsys)
    assert code == 3
    for words in english:
        assert words in plain, plain


def test_every_message_the_cli_says_has_a_chinese_entry() -> None:
    missing = []
    for path in sorted((Path(advisors.cli.__file__).parent).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "say" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                continue
            context: object = "ui"
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                context = node.args[1].value
            for keyword in node.keywords:
                if keyword.arg == "context" and isinstance(keyword.value, ast.Constant):
                    context = keyword.value.value
            msgid = str(node.args[0].value)
            with using("zh"):
                if lookup(msgid, str(context)) is None:
                    missing.append(f"{path.name}:{node.lineno} [{context}] {msgid}")
    assert not missing, "\n".join(missing)


def _violation(rule: str, hard: bool, i: int) -> Violation:
    return Violation(rule, hard, f"{rule} match {i}", (f"v-{i}",))


@given(counts=st.lists(st.integers(1, 14), min_size=1, max_size=4), limit=st.integers(1, 12))
def test_chinese_analysis_has_a_heading_per_rule_and_counts_the_rest(
        counts: list[int], limit: int, tongren: Dataset) -> None:
    found = tuple(_violation(f"Rule {r}", r % 2 == 0, i)
                  for r, n in enumerate(counts) for i in range(n))
    with using("zh"):
        lines = analysis_lines(Analysis(found), cli_teller(tongren), limit)
    heads = [line for line in lines if not line.startswith(" ")]  # hard rules come first
    assert sorted(heads) == sorted(f"Rule {r}（{'硬性' if r % 2 == 0 else '软性'}）：{n} 处"
                                   for r, n in enumerate(counts))
    told = [line for line in lines if line.startswith("  - ")]
    assert len(told) == sum(min(n, limit) for n in counts)
    rest = [line for line in lines if line.startswith("  ……另有 ")]
    assert sorted(int(line.split()[1]) for line in rest) == sorted(
        n - limit for n in counts if n > limit)
    with using("en"):
        assert analysis_lines(Analysis(found), cli_teller(tongren), limit) == \
            Analysis(found).lines(limit)


def test_every_rule_soft_ones_included_has_a_chinese_name_on_the_command_line() -> None:
    rules = [r.name for r in VISIT_RULES] + [r.name for r in HOTLINE_RULES]
    rules += [*training_rules.SOFT_RULES, "participant_double_booked", "venue_double_booked"]
    assert any(not r.hard for r in VISIT_RULES) and training_rules.SOFT_RULES
    with using("zh"):
        missing = [r for r in rules if lookup(rule_label(r), "shortfall") is None]
    assert not missing


@pytest.mark.parametrize("lang", ["C", "C.UTF-8", "zh_CN.UTF-8", "en_US.UTF-8"])
def test_holiday_names_do_not_follow_the_locale(lang: str) -> None:
    # the holidays package names days in $LANG's language unless told; plan.json must not
    code = (f"import datetime as dt, advisors; d = advisors.read_folder(r'{TONGREN}'); "
            "print(d.work_calendar.not_working(dt.date(2026, 10, 1)))")
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**base, "LANG": lang}, timeout=120, check=True)
    assert result.stdout.strip() == "statutory holiday: National Day"
