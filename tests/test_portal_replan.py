"""Re-planning in the portal: what a subscribed phone sees after a change.

A first version is published and served; then an advisor becomes unavailable
on the day of one of their visits (re-planned through the admin endpoint)
and another advisor for the whole month (re-planned through
``python -m portal replan`` in a separate process, as a nightly job would).
The served feeds must show the moved visit with the same UID and SEQUENCE + 1,
the other advisor's visits as STATUS:CANCELLED with SEQUENCE + 1, and
untouched feeds byte-identical (304 on the old ETag, same Last-Modified).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from .conftest import ROOT
from .test_portal import PERIOD, events, start_portal

pytest.importorskip("flask", reason="the portal example needs Flask (pip install flask)")


class Scene:
    """The served portal and what the tests picked from its first version."""

    def __init__(self, root: Path, mp: pytest.MonkeyPatch) -> None:
        self.root = root
        self.portal, self.server, self.source = start_portal(root, mp)
        self.admin = {"Authorization": f"Bearer {self.portal.store.rotate('admin', 'admin')}"}
        self.plan = self.full_plan()
        visits = sorted((e for e in self.plan["events"] if e["event"]["kind"] == "visit"),
                        key=lambda e: (e["event"]["start"], e["event"]["id"]))
        self.moved = visits[0]["event"]
        self.advisor_a = self.owner(self.moved, "advisor")
        others = [e["event"] for e in visits
                  if self.owner(e["event"], "advisor") != self.advisor_a
                  and self.owner(e["event"], "village") != self.owner(self.moved, "village")]
        self.cancelled = others[-1]
        self.advisor_b = self.owner(self.cancelled, "advisor")

    @staticmethod
    def owner(event: dict[str, Any], kind: str) -> str:
        (found,) = [o.split(":", 1)[1] for o in event["owners"] if o.startswith(kind + ":")]
        return found

    def full_plan(self) -> dict[str, Any]:
        status, _, body = self.server.get("/admin/plan.json", self.admin)
        assert status == 200
        return json.loads(body)  # type: ignore[no-any-return]

    def feed(self, event: dict[str, Any]) -> str:
        return f"/calendars/village/{self.owner(event, 'village')}.ics"

    def absent(self, advisor: str, start: str, end: str) -> None:
        with (self.source / "unavailability.csv").open("a", encoding="utf-8") as fh:
            fh.write(f"{advisor},{start},{end},病假\n")

    def outbox(self) -> list[tuple[str, str, int]]:
        with sqlite3.connect(self.root / "portal" / "outbox.sqlite3") as conn:
            rows = conn.execute("SELECT recipient, kind, plan_version FROM outbox").fetchall()
        return [(str(r), str(k), int(v)) for r, k, v in rows]


def _uid(scene: Scene, event: dict[str, Any], body: bytes) -> Any:
    (found,) = [e for uid, e in events(body).items() if uid.startswith(event["id"] + "@")]
    return found


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    with pytest.MonkeyPatch.context() as mp:
        made = Scene(tmp_path_factory.mktemp("replan"), mp)
        try:
            yield made
        finally:
            made.server.close()


def test_a_moved_visit_keeps_its_uid_with_a_higher_sequence(scene: Scene) -> None:
    server = scene.server
    path = scene.feed(scene.moved)
    _, before_headers, before = server.get(path)
    old = _uid(scene, scene.moved, before)
    assert int(old["SEQUENCE"]) == 0
    untouched = _untouched_feeds(scene)
    messages_before = scene.outbox()
    assert messages_before and {k for _, k, _ in messages_before} == {"plan"}

    day = scene.moved["start"][:10]
    scene.absent(scene.advisor_a, day, day)
    status, _, body = server.get("/admin/replan", scene.admin, method="POST")
    assert status == 200
    assert json.loads(body)["changes"]["moved"] >= 1

    status, _, after = server.get(path, {"If-None-Match": before_headers["ETag"]})
    assert status == 200, "the feed changed, so the old ETag must not match"
    new = _uid(scene, scene.moved, after)
    assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
    assert str(new["STATUS"]) == "CONFIRMED"
    assert new.decoded("DTSTART").date().isoformat() != day
    assert new.decoded("DTSTAMP") > old.decoded("DTSTAMP")

    # feeds the change did not touch are byte-identical: 304, same Last-Modified
    assert untouched
    for feed, (etag, modified) in untouched.items():
        assert server.get(feed, {"If-None-Match": etag})[0] == 304, feed
        assert server.get(feed, {"If-Modified-Since": modified})[0] == 304, feed
        assert server.get(feed)[1]["Last-Modified"] == modified

    # the advisor is told of the change, once
    added = scene.outbox()[len(messages_before):]
    assert added and {k for _, k, _ in added} == {"changes"}
    assert {r for r, _, _ in added} >= {f"advisor:{scene.advisor_a}"}
    server.get("/admin/replan", scene.admin, method="POST")  # nothing changed since
    assert len(scene.outbox()) == len(messages_before) + len(added)


def _untouched_feeds(scene: Scene) -> dict[str, tuple[str, str]]:
    """Validators of a few village feeds that advisors A and B have no part in."""
    visits = [i["event"] for i in scene.plan["events"] if i["event"]["kind"] == "visit"]
    theirs = {scene.owner(e, "village") for e in visits
              if scene.owner(e, "advisor") in (scene.advisor_a, scene.advisor_b)}
    villages = sorted({scene.owner(e, "village") for e in visits} - theirs)[:5]
    out = {}
    for village in villages:
        _, headers, _ = scene.server.get(f"/calendars/village/{village}.ics")
        out[f"/calendars/village/{village}.ics"] = (headers["ETag"], headers["Last-Modified"])
    return out


def test_a_removed_visit_is_served_as_cancelled(scene: Scene) -> None:
    server = scene.server
    path = scene.feed(scene.cancelled)
    old = _uid(scene, scene.cancelled, server.get(path)[2])
    period_start, period_end = scene.plan["period"]["start"], scene.plan["period"]["end"]
    scene.absent(scene.advisor_b, period_start, period_end)
    env = dict(os.environ, ADVISORS_PORTAL_DATA=str(scene.root / "portal"),
               PYTHONPATH=os.pathsep.join(
                   [str(ROOT / "examples" / "portal"), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "portal", "replan"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["period"] == PERIOD and summary["changes"]["cancelled"] >= 1

    new = _uid(scene, scene.cancelled, server.get(path)[2])
    assert str(new["STATUS"]) == "CANCELLED"
    assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
    assert "VALARM" not in new.to_ical().decode()  # no reminder for what will not happen
    assert scene.full_plan()["version"] == summary["plan_version"]


def test_old_versions_are_pruned(scene: Scene) -> None:
    before = scene.portal.store.versions()
    assert 2 <= len(before) <= scene.portal.keep  # nothing pruned yet
    tight = attrs.evolve(scene.portal, keep=2)
    tight.publish(scene.source)
    versions = tight.store.versions()
    assert len(versions) == 2 and versions[-1].id > before[-1].id
    folders = {p.name for p in (scene.root / "portal" / "versions").iterdir()}
    assert folders == {v.folder.name for v in versions}
    assert before[0].folder.name not in folders
