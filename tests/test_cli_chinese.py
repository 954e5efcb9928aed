"""The command line as a Chinese township office meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisors.cli import run

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
