"""The advisors-outbox delivery plugin: every rendered message queued once, after publishing.

The main job (``advisors plan``) is run twice on the same input: the plan is
the same, so the outbox must hold each message once. The count is checked
against the ``notifications`` exporter's own index of the same run.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from advisors.cli import run

from .conftest import TONGREN
from .test_portal import copy_example, outbox_plugin


def _table(db: Path, query: str) -> list[tuple[object, ...]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(query).fetchall()]


def _plan(source: Path, out: Path, *extra: str) -> int:
    outbox_plugin()  # the plugin manager is fresh in every test
    return run(["plan", str(source), "--period", "2026-12", "--out", str(out), "-q",
                "--exporters", "plan-json,notifications", *extra])


def test_the_outbox_is_filled_once_by_two_publishes_of_the_same_plan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "outbox.sqlite3"
    monkeypatch.setenv("ADVISORS_OUTBOX", str(db))
    assert _plan(TONGREN, tmp_path / "one") in (0, 3)
    first = _table(db, "SELECT id, recipient, channel, kind, body FROM outbox ORDER BY id")
    with (tmp_path / "one" / "notifications" / "index.csv").open(encoding="utf-8-sig") as fh:
        index = list(csv.DictReader(fh))
    assert first and len(first) == len(index)
    assert ({(r["recipient"], r["channel"]) for r in index}
            == {(str(r[1]), str(r[2])) for r in first})
    assert {r[3] for r in first} == {"plan"}

    assert _plan(TONGREN, tmp_path / "two") in (0, 3)
    assert (tmp_path / "one" / "plan.json").read_bytes() == \
        (tmp_path / "two" / "plan.json").read_bytes()  # the same plan, published twice
    assert _table(db, "SELECT id, recipient, channel, kind, body FROM outbox ORDER BY id") \
        == first
    keys = _table(db, "SELECT event_id, sequence, channel, recipient FROM outbox_key")
    assert len(keys) == len(set(keys)) and {k[1] for k in keys} == {0}


def test_the_hook_renders_from_the_publication_whichever_exporters_ran(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    query = "SELECT id, recipient, channel, kind, subject, body FROM outbox ORDER BY id"
    monkeypatch.setenv("ADVISORS_OUTBOX", str(tmp_path / "a.sqlite3"))
    assert _plan(TONGREN, tmp_path / "a") in (0, 3)
    monkeypatch.setenv("ADVISORS_OUTBOX", str(tmp_path / "b.sqlite3"))
    outbox_plugin()
    assert run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "b"), "-q",
                "--exporters", "plan-json"]) in (0, 3)
    assert not (tmp_path / "b" / "notifications").exists()
    with_notices = _table(tmp_path / "a.sqlite3", query)
    assert with_notices and _table(tmp_path / "b.sqlite3", query) == with_notices


def test_a_change_queues_new_messages_keyed_on_the_higher_sequence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "outbox.sqlite3"
    monkeypatch.setenv("ADVISORS_OUTBOX", str(db))
    source = copy_example(tmp_path / "data")
    assert _plan(source, tmp_path / "v1") in (0, 3)
    before = len(_table(db, "SELECT id FROM outbox"))
    advisor = next(csv.DictReader((source / "advisors.csv").open(encoding="utf-8-sig")))["id"]
    with (source / "unavailability.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{advisor},2026-12-01,2026-12-31,病假\n")
    assert _plan(source, tmp_path / "v2", "--previous", str(tmp_path / "v1" / "plan.json")) \
        in (0, 3)
    added = _table(db, f"SELECT id, recipient, kind, plan_version FROM outbox WHERE id > "
                       f"(SELECT id FROM outbox ORDER BY id LIMIT 1 OFFSET {before - 1})")
    assert added and {r[2] for r in added} == {"changes"} and {r[3] for r in added} == {2}
    assert f"advisor:{advisor}" in {r[1] for r in added}
    keys = "SELECT event_id, sequence, channel, recipient FROM outbox_key WHERE message IN " \
        "(SELECT id FROM outbox WHERE plan_version = {})"
    told = {(e, c, r): int(str(s)) for e, s, c, r in _table(db, keys.format(1))}
    again = [(e, int(str(s)), c, r) for e, s, c, r in _table(db, keys.format(2))
             if (e, c, r) in told]
    assert again, "the cancelled visits were in the first messages and are told again"
    assert all(s > told[(e, c, r)] for e, s, c, r in again)


def test_nothing_is_queued_when_the_publication_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "outbox.sqlite3"
    monkeypatch.setenv("ADVISORS_OUTBOX", str(db))
    outbox_plugin()
    code = run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(tmp_path / "o"),
                "-q", "--exporters", "notifications,no-such-exporter"])
    assert code != 0
    assert _table(db, "SELECT id FROM outbox") == []


def test_without_an_outbox_nothing_is_written_and_a_warning_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("ADVISORS_OUTBOX", raising=False)
    monkeypatch.delenv("ADVISORS_PORTAL_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert _plan(TONGREN, tmp_path / "o") in (0, 3)
    assert "ADVISORS_OUTBOX" in caplog.text
    assert not list(tmp_path.rglob("*.sqlite3"))


def test_a_sender_marks_messages_sent(tmp_path: Path) -> None:
    plugin = outbox_plugin()
    box = plugin.Outbox(tmp_path / "o.sqlite3")
    message = plugin.Message("advisor:adv-01", "才让多杰", "sms", "plan", "s", "body",
                             "2026-12", 1, (("e1", 0), ("e2", 0)))
    assert box.queue([message, message]) == 1
    assert box.queue([message]) == 0
    (row,) = box.pending("sms")
    box.mark_failed(row["id"], "gateway timeout")
    assert box.count("failed") == 1 and len(box.pending()) == 1
    box.mark_sent(row["id"], now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert box.pending() == [] and box.count("sent") == 1


def test_the_outbox_renders_with_the_template_folders_the_files_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A county's own SMS wording (advisors plan --templates) reaches the outbox as well.
    own = tmp_path / "templates" / "notifications"
    own.mkdir(parents=True)
    (own / "sms.txt").write_text("同仁市司法局：{{ recipient.name }}，请查看本月安排。\n",
                                 encoding="utf-8")
    db = tmp_path / "outbox.sqlite3"
    monkeypatch.setenv("ADVISORS_OUTBOX", str(db))
    assert _plan(TONGREN, tmp_path / "out", "--templates", str(tmp_path / "templates")) in (0, 3)
    sms = _table(db, "SELECT recipient_name, body FROM outbox WHERE channel = 'sms'")
    assert sms and all(str(body).strip() == f"同仁市司法局：{name}，请查看本月安排。"
                       for name, body in sms)
    written = sorted((tmp_path / "out" / "notifications" / "sms").glob("*.txt"))
    assert written and all("请查看本月安排" in p.read_text(encoding="utf-8") for p in written)
    others = _table(db, "SELECT body FROM outbox WHERE channel != 'sms'")
    assert others and not any("请查看本月安排" in str(b) for (b,) in others)
