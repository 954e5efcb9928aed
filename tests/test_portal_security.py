"""The portal's protections, over real HTTP: problems as 422, hashed tokens, honest headers."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_portal import Server, portal, start_portal

pytest.importorskip("flask", reason="the portal example needs Flask (pip install flask)")


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Server, Path, Path]]:
    root = tmp_path_factory.mktemp("portal-security")
    with pytest.MonkeyPatch.context() as mp:
        the_portal, server, source = start_portal(root, mp)
        try:
            yield the_portal, server, source, root
        finally:
            server.close()


def _pages(the_portal: Any, source: Path) -> list[str]:
    with open(source / "villages.csv", encoding="utf-8-sig", newline="") as fh:
        village = next(csv.DictReader(fh))
    advisor = next(kind_ident for kind_ident in the_portal.store.tokens()
                   if kind_ident[0] == "advisor")
    return ["/", f"/townships/{village['township']}", f"/villages/{village['id']}", "/report",
            f"/me/{advisor[2]}", f"/calendars/village/{village['id']}.ics", "/plan.json"]


def test_every_page_has_one_date_an_etag_and_html_its_policies(
        scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, server, source, _ = scene
    for path in _pages(the_portal, source):
        status, headers, _ = server.get(path)
        assert status == 200, path
        assert len(headers.get_all("Date") or []) == 1, (path, headers.get_all("Date"))
        assert headers["ETag"], path
        if headers["Content-Type"].startswith("text/html"):
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
            assert "script-src" not in headers["Content-Security-Policy"]  # none may run
            assert headers["X-Frame-Options"] == "DENY", path
        # a second request with the ETag is answered 304: the validator is real
        again, _, body = server.get(path, {"If-None-Match": headers["ETag"]})
        assert again == 304 and body == b"", path


def test_links_from_a_host_header_never_reach_a_shared_cache(
        scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, server, source, _ = scene
    for path in _pages(the_portal, source):
        _, headers, body = server.get(path, {"Host": "evil.example"})
        if "public" in headers.get("Cache-Control", ""):
            assert b"evil.example" not in body, path
    # with a configured base URL, the pages are public and name only that URL
    app = portal.create_app(the_portal.data, base_url="https://fw.example.gov.cn/")
    client = app.test_client()
    for path in _pages(the_portal, source)[:3]:
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 200
        assert "public" in response.headers["Cache-Control"], path
        assert b"evil.example" not in response.data and b"fw.example.gov.cn" in response.data


def test_tokens_are_stored_as_digests(scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, server, _, _ = scene
    tokens = [t for _, _, t in the_portal.store.tokens()]
    assert len(tokens) > 3 and all(len(t) >= 32 for t in tokens)
    with sqlite3.connect(the_portal.store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = b"".join(p.read_bytes() for p in the_portal.data.glob("portal.sqlite3*"))
    for token in tokens:
        assert token.encode() not in stored
        assert portal.store.digest_of(token).encode() in stored
    assert server.get(f"/me/{tokens[0][:-1]}x")[0] == 404


def test_tokens_of_an_older_database_keep_working_and_leave_the_file(tmp_path: Path) -> None:
    path = tmp_path / "portal.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE tokens (token TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                     "ident TEXT NOT NULL, created TEXT NOT NULL, UNIQUE (kind, ident))")
        conn.execute("INSERT INTO tokens VALUES ('old-raw-token-0123456789', 'advisor', "
                     "'adv-01', '2026-01-01T00:00:00+00:00')")
    store = portal.store.Store(path)
    assert store.owner_of("old-raw-token-0123456789") == ("advisor", "adv-01")
    assert b"old-raw-token-0123456789" not in path.read_bytes()
    assert store.token_of("advisor", "adv-01") is None  # cannot be listed: rotate it
    new = store.rotate("advisor", "adv-01")
    assert store.owner_of(new) == ("advisor", "adv-01")
    assert store.owner_of("old-raw-token-0123456789") is None


def test_databases_and_key_are_owner_only(scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, _, _, root = scene
    outbox = root / "portal" / "outbox.sqlite3"
    for path in (the_portal.store.path, the_portal.data / "token.key", outbox):
        assert path.exists(), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_replan_with_bad_data_answers_422_with_the_problems(
        scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, server, source, _ = scene
    admin = {"Authorization": f"Bearer {the_portal.store.admin_token()}"}
    original = (source / "advisors.csv").read_text("utf-8")
    lines = original.splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("capacity")] = "1e20"
    (source / "advisors.csv").write_text("\n".join([lines[0], ",".join(cells), *lines[2:]])
                                         + "\n", "utf-8")
    try:
        status, headers, body = server.get("/admin/replan", admin, method="POST")
    finally:
        (source / "advisors.csv").write_text(original, "utf-8")
    assert status == 422 and headers["Content-Type"].startswith("application/json")
    problems = json.loads(body)["problems"]
    assert {"source": "advisors.csv", "line": 2, "field": "capacity"}.items() <= problems[0].items()
    assert server.get("/admin/replan", {"Authorization": "Bearer nope"}, method="POST")[0] == 403
