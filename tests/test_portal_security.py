"""The portal's protections, over real HTTP: problems as 422, hashed tokens, honest headers."""

from __future__ import annotations

import csv
import datetime as dt
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


def _advisor_token(the_portal: Any, source: Path) -> str:
    with open(source / "advisors.csv", encoding="utf-8-sig", newline="") as fh:
        advisor = next(csv.DictReader(fh))["id"]
    return str(the_portal.store.rotate("advisor", advisor))


def _pages(the_portal: Any, source: Path) -> list[str]:
    with open(source / "villages.csv", encoding="utf-8-sig", newline="") as fh:
        village = next(csv.DictReader(fh))
    return ["/", f"/townships/{village['township']}", f"/villages/{village['id']}", "/report",
            f"/me/{_advisor_token(the_portal, source)}",
            f"/calendars/village/{village['id']}.ics", "/plan.json"]


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
    the_portal, server, source, _ = scene
    owners = [("admin", "admin"), ("hotline", "hotline")]
    for name, kinds in (("advisors.csv", ("advisor",)), ("townships.csv", ("office", "liaison"))):
        with open(source / name, encoding="utf-8-sig", newline="") as fh:
            owners += [(kind, row["id"]) for row in csv.DictReader(fh) for kind in kinds]
    tokens = [the_portal.store.rotate(kind, ident) for kind, ident in owners]
    assert len(set(tokens)) == len(owners) > 3 and all(len(t) >= 32 for t in tokens)
    path = the_portal.data / "portal.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = b"".join(p.read_bytes() for p in the_portal.data.glob("portal.sqlite3*"))
    for token in tokens:
        assert token.encode() not in stored
        assert portal.tokens.digest_of(token).encode() in stored
    assert server.get(f"/me/{tokens[2][:-1]}x")[0] == 404
    assert server.get(f"/me/{tokens[2]}")[0] == 200


def _older(path: Path, table: str, row: tuple[str, ...]) -> None:
    """An SQLite file as an older portal left it: one token, no schema_version."""
    with sqlite3.connect(path) as conn:
        if table == "tokens":  # 0.1: tokens in clear
            conn.execute("CREATE TABLE tokens (token TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                         "ident TEXT NOT NULL, created TEXT NOT NULL, UNIQUE (kind, ident))")
            conn.execute("INSERT INTO tokens VALUES (?, ?, ?, ?)", row)
        else:  # 0.2: digests of tokens derived from token.key
            conn.execute("CREATE TABLE token_digests (digest TEXT PRIMARY KEY, kind TEXT NOT "
                         "NULL, ident TEXT NOT NULL, generation INTEGER NOT NULL, created TEXT "
                         "NOT NULL, UNIQUE (kind, ident))")
            conn.execute("INSERT INTO token_digests VALUES (?, ?, ?, 0, ?)", row)
    conn.close()


@pytest.mark.parametrize("table", ["tokens", "token_digests"])
def test_tokens_of_an_older_database_keep_working_and_leave_the_file(
        tmp_path: Path, table: str) -> None:
    path = tmp_path / "portal.sqlite3"
    old = "old-raw-token-0123456789"
    _older(path, table, (old if table == "tokens" else portal.tokens.digest_of(old),
                         "advisor", "adv-01", "2026-01-01T00:00:00+00:00"))
    url = portal.db.sqlite_url(path)
    try:
        store = portal.store.Store(url)
        assert store.owner_of(old) == ("advisor", "adv-01")
        assert store.issued("advisor", "adv-01") == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        stored = b"".join(p.read_bytes() for p in tmp_path.glob("portal.sqlite3*"))
        assert old.encode() not in stored  # the clear token left the file, not only the table
        with sqlite3.connect(path) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert not names & {"tokens", "token_digests"}
        new = store.rotate("advisor", "adv-01")
        assert store.owner_of(new) == ("advisor", "adv-01")
        assert store.owner_of(old) is None
    finally:
        portal.db.forget_engine(url)


def test_databases_are_owner_only(scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, _, _, root = scene
    outbox = root / "portal" / "outbox.sqlite3"
    for path in (the_portal.data / "portal.sqlite3", outbox):
        assert path.exists(), path
        for made in (path, *path.parent.glob(path.name + "-*")):  # -wal, -shm follow the file
            assert stat.S_IMODE(made.stat().st_mode) == 0o600, made


def test_replan_with_bad_data_answers_422_with_the_problems(
        scene: tuple[Any, Server, Path, Path]) -> None:
    the_portal, server, source, _ = scene
    admin = {"Authorization": f"Bearer {the_portal.store.rotate('admin', 'admin')}"}
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
