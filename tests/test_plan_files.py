"""Plan files are input: every bad value refused with its JSON path; messages have one recipient."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path
from typing import Any

import pytest

from advisors.cli import run

from .corpus.cli import assert_refused, dataset, plan, set_cell


@pytest.fixture
def published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict[str, Any]]:
    data = dataset(tmp_path)
    assert plan(data, tmp_path / "first", capsys).code in (0, 3)
    return data, json.loads((tmp_path / "first" / "plan.json").read_text("utf-8"))


def _edit(document: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a JSON path such as ``$.events[0].event.owners[0]``."""
    parts = path.removeprefix("$.").replace("[", ".").replace("]", "").split(".")
    target: Any = document
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


FORGED = [
    ("$.events[0].event.owners[0]", "advisor:../../../../x"),
    ("$.events[0].event.owners[0]", "printer:x"),
    ("$.events[0].event.id", "../../x"),
    ("$.changes[0].current.event.id", "a/b"),
    ("$.visits.visits[0].advisor", "../adv"),
    ("$.visits.visits[0].id", "visit/../../x"),
    ("$.hotline.shifts[0].lawyer", "/etc/passwd"),
    ("$.training.sessions[0].participants[0]", "p 1"),
    ("$.version", 10 ** 30),
    ("$.events[0].sequence", -1e400),
    ("$.events[0].event.start", "yesterday"),
    ("$.events[0].event.summary.zh", "x" * 30_000),
    ("$.hotline.shifts[0].start", "25:00"),
]


@pytest.mark.parametrize(("path", "value"), FORGED, ids=[f"{p}={str(v)[:12]}" for p, v in FORGED])
def test_a_forged_previous_plan_is_refused_with_the_json_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        published: tuple[Path, dict[str, Any]], path: str, value: Any) -> None:
    data, document = published
    _edit(document, path, value)
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document), "utf-8")
    outcome = plan(data, tmp_path / "second", capsys, "--previous", str(forged))
    assert_refused(outcome, "forged.json", f"[{path}]")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["data", "tiny-source", "first", "forged.json"])


@pytest.mark.parametrize("command", [
    ["schedule", "--previous"], ["hotline", "--previous"], ["train", "--previous"],
    ["ledger", "--plan"]])
@pytest.mark.parametrize("text", ["[]", "[" * 50_000 + "]" * 50_000, '{"kind": "visits"}'])
def test_other_plan_readers_refuse_weird_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str],
        text: str) -> None:
    data = dataset(tmp_path)
    bad = tmp_path / "weird.json"
    bad.write_text(text, "utf-8")
    capsys.readouterr()
    code = run([command[0], str(data), "--period", "2026-12", command[1], str(bad)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "weird.json" in err and "Traceback" not in err and "internal error" not in err


def test_ids_the_dataset_dropped_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            published: tuple[Path, dict[str, Any]]) -> None:
    data, document = published
    owner = next(o for e in document["events"] for o in e["event"]["owners"]
                 if o.startswith("advisor:"))
    gone = owner.split(":", 1)[1]
    lines = (data / "advisors.csv").read_text("utf-8").splitlines()
    (data / "advisors.csv").write_text(
        "\n".join(line for line in lines if not line.startswith(gone + ",")) + "\n", "utf-8")
    for name in ("assignments.csv", "unavailability.csv"):
        lines = (data / name).read_text("utf-8").splitlines()
        # every row naming the advisor, in whichever column (unavailability's first)
        (data / name).write_text("\n".join(x for x in lines if gone not in x.split(","))
                                 + "\n", "utf-8")
    outcome = plan(data, tmp_path / "second", capsys, "--previous",
                   str(tmp_path / "first" / "plan.json"))
    assert outcome.code in (0, 3), outcome.err
    assert f"dropped since {tmp_path / 'first' / 'plan.json'}: advisor {gone}" in outcome.err
    cancelled = json.loads((tmp_path / "second" / "plan.json").read_text("utf-8"))["changes"]
    assert any(c["kind"] == "cancelled" and f"advisor:{gone}" in c["current"]["event"]["owners"]
               for c in cancelled)


# --- messages ----------------------------------------------------------------------------------


def _messages(folder: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for p in sorted(folder.rglob("*.eml"))]


def test_every_message_has_one_recipient_a_sender_and_a_stable_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    set_cell(data, "advisors.csv", 0, "name", '才让, "多杰" <x@evil.example>')
    with open(data / "policy.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[calendar]\norganizer_name = "同仁市司法局, 法律服务科"\n'
                 'organizer_email = "sfj@example.org"\nuid_domain = "sfj.example.org"\n')
    assert plan(data, tmp_path / "a", capsys).code in (0, 3)
    assert plan(data, tmp_path / "b", capsys).code in (0, 3)
    messages = _messages(tmp_path / "a")
    assert len(messages) > 3
    named = []
    for msg in messages:
        if msg["To"] is not None:  # a message for someone without an address has no To
            assert len(msg["To"].addresses) == 1, msg["To"]
            assert "evil.example" not in msg["To"].addresses[0].addr_spec
            named.append(msg["To"].addresses[0].display_name)
        assert msg["From"].addresses[0].addr_spec == "sfj@example.org"
        assert msg["Message-ID"].endswith("@sfj.example.org>")
    assert '才让, "多杰" <x@evil.example>' in named
    ids = [m["Message-ID"] for m in messages]
    assert len(set(ids)) == len(ids)
    assert ids == [m["Message-ID"] for m in _messages(tmp_path / "b")]
    assert ([p.read_bytes() for p in sorted((tmp_path / "a").rglob("*.eml"))]
            == [p.read_bytes() for p in sorted((tmp_path / "b").rglob("*.eml"))])


def test_without_an_organizer_messages_come_from_noreply(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dataset(tmp_path)
    assert plan(data, tmp_path / "out", capsys).code in (0, 3)
    messages = _messages(tmp_path / "out" / "notifications")
    assert messages
    for msg in messages:
        assert msg["From"].addresses[0].addr_spec == "noreply@advisors.invalid"
        assert msg["Message-ID"]
