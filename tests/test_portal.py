"""The reference portal (examples/portal) over real HTTP on a loopback port.

The app runs in a thread on 127.0.0.1 (werkzeug's server, port chosen by the
system) over a copy of the Tongren example; requests go through urllib like a
calendar client's. Expected values come from the CSV files and the served
bytes, not from the code under test.
"""

from __future__ import annotations

import csv
import email.utils
import importlib.metadata
import json
import re
import shutil
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import icalendar
import pytest

import advisors

from .conftest import ROOT, TONGREN

pytest.importorskip("flask", reason="the portal example needs Flask (pip install flask)")

try:
    import portal
except ImportError:  # not installed: run it from the source folder
    sys.path.insert(0, str(ROOT / "examples" / "portal"))
    import portal

PERIOD = "2026-12"


# --- helpers shared with test_portal_*.py ---------------------------------------------------


def outbox_plugin() -> ModuleType:
    """The advisors-outbox plugin, registered with the current plugin manager."""
    from advisors import get_plugin_manager

    pm = get_plugin_manager()
    found = pm.get_plugin("outbox")
    if found is not None:
        return found  # type: ignore[no-any-return]
    if not any(ep.name == "outbox"
               for ep in importlib.metadata.entry_points(group="advisors")):
        sys.path.insert(0, str(ROOT / "plugins" / "advisors-outbox" / "src"))
    import advisors_outbox

    pm.register(advisors_outbox, name="outbox")
    return advisors_outbox


def copy_example(target: Path) -> Path:
    """A private copy of the Tongren example that a test may edit."""
    shutil.copytree(TONGREN, target)
    return target


class Server:
    """The portal app served on a loopback port in a thread."""

    def __init__(self, data: Path) -> None:
        from werkzeug.serving import make_server

        self.app = portal.create_app(data)
        self.httpd = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.app.extensions["portal_republisher"].close()  # no publication outlives the test
        self.httpd.shutdown()
        self.thread.join(timeout=10)

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET",
            ) -> tuple[int, Any, bytes]:
        """Status, headers and body (urllib raises on 3xx/4xx; those are answers here)."""
        request = urllib.request.Request(self.url + path, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()


def start_portal(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Server, Path]:
    """Copy the example, publish a first version, serve it: (Portal, Server, dataset copy)."""
    source = copy_example(root / "data")
    monkeypatch.setenv("ADVISORS_OUTBOX", str(root / "portal" / "outbox.sqlite3"))
    monkeypatch.setenv("ADVISORS_PORTAL_DATA", str(root / "portal"))  # create_app's default
    outbox_plugin()
    the_portal = portal.Portal(root / "portal")
    the_portal.configure(source, PERIOD)
    the_portal.publish()
    return the_portal, Server(root / "portal"), source


def events(body: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of a feed by UID."""
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def rows(name: str) -> list[dict[str, str]]:
    with (TONGREN / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- a served portal, shared by the read-only tests of this module ---------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Server]]:
    with pytest.MonkeyPatch.context() as mp:
        the_portal, server, _ = start_portal(tmp_path_factory.mktemp("portal"), mp)
        try:
            yield the_portal, server
        finally:
            server.close()


def test_feed_is_served_as_calendar_with_validators(served: tuple[Any, Server]) -> None:
    _, server = served
    township = rows("townships.csv")[0]["id"]
    status, headers, body = server.get(f"/calendars/township/{township}.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["ETag"].strip('"') and headers["Last-Modified"]
    assert email.utils.parsedate_to_datetime(headers["Last-Modified"]).tzinfo is not None
    found = events(body)
    assert found, "a township feed of a planned month has events"
    for event in found.values():
        assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
        assert "ATTENDEE" not in event and "ORGANIZER" not in event  # public feed
    # the body is what the ETag says (a strong validator of these bytes)
    assert server.get(f"/calendars/township/{township}.ics")[1]["ETag"] == headers["ETag"]


def test_conditional_requests_get_304(served: tuple[Any, Server]) -> None:
    _, server = served
    village = rows("villages.csv")[0]["id"]
    path = f"/calendars/village/{village}.ics"
    _, headers, _ = server.get(path)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    status, again, body = server.get(path, {"If-None-Match": etag})
    assert (status, body) == (304, b"") and again["ETag"] == etag
    status, _, body = server.get(path, {"If-Modified-Since": modified})
    assert (status, body) == (304, b"")
    assert server.get(path, {"If-None-Match": '"something-else"'})[0] == 200
    assert server.get(path, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200
    # pages too
    _, headers, _ = server.get(f"/villages/{village}")
    assert server.get(f"/villages/{village}", {"If-None-Match": headers["ETag"]})[0] == 304


def test_personal_feeds_only_through_a_token(served: tuple[Any, Server]) -> None:
    the_portal, server = served
    advisor = rows("advisors.csv")[0]
    token = the_portal.store.rotate("advisor", advisor["id"])
    assert token and len(token) >= 32
    status, headers, body = server.get(f"/calendars/me/{token}.ics")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in headers["Cache-Control"]
    assert advisor["name"] in icalendar.Calendar.from_ical(body)["X-WR-CALNAME"]
    # no way around the token
    for path in (f"/calendars/advisor/{advisor['id']}.ics", "/calendars/me/not-a-token.ics",
                 f"/calendars/me/{token[:-1]}.ics", f"/me/{advisor['id']}",
                 "/calendars/me/" + "x" * 300 + ".ics"):
        assert server.get(path)[0] == 404, path
    status, _, page = server.get(f"/me/{token}")
    assert status == 200 and f"webcal://127.0.0.1:{server.httpd.server_port}".encode() in page


def test_rotating_a_token_retires_the_old_url(served: tuple[Any, Server]) -> None:
    the_portal, server = served
    trainer = rows("trainers.csv")[0]["id"]
    old = the_portal.store.rotate("trainer", trainer)
    path = f"/admin/tokens/trainer/{trainer}/rotate"
    assert server.get(path, method="POST")[0] == 403
    assert server.get(path, {"Authorization": "Bearer wrong"}, method="POST")[0] == 403
    admin = {"Authorization": f"Bearer {the_portal.store.rotate('admin', 'admin')}"}
    status, _, body = server.get(path, admin, method="POST")
    assert status == 200
    new = json.loads(body)["token"]
    assert new != old and json.loads(body)["webcal"].startswith("webcal://")
    assert server.get(f"/calendars/me/{old}.ics")[0] == 404
    assert server.get(f"/calendars/me/{new}.ics")[0] == 200


def test_pages_offer_webcal_links_and_render_the_exporters_html(
        served: tuple[Any, Server]) -> None:
    _, server = served
    host = f"127.0.0.1:{server.httpd.server_port}"
    township = rows("townships.csv")[0]
    village = rows("villages.csv")[0]
    status, headers, page = server.get(f"/townships/{township['id']}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    text = page.decode("utf-8")
    assert f'href="webcal://{host}/calendars/township/{township["id"]}.ics"' in text
    assert township["name"] in text and "@media print" in text
    text = server.get(f"/villages/{village['id']}")[2].decode("utf-8")
    assert f'href="webcal://{host}/calendars/village/{village["id"]}.ics"' in text
    assert village["name"] in text
    index = server.get("/")[2].decode("utf-8")
    assert index.count("webcal://") >= len(rows("villages.csv"))
    assert server.get("/report")[0] == 200
    assert server.get("/townships/nowhere")[0] == 404
    assert server.get("/calendars/village/..%2Fplan.ics")[0] == 404


def test_the_plan_as_json(served: tuple[Any, Server]) -> None:
    the_portal, server = served
    status, headers, body = server.get("/plan.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    public = json.loads(body)
    assert public["period"]["label"] == PERIOD and public["events"]
    assert all(not e["event"]["attendees"] for e in public["events"])
    assert server.get("/admin/plan.json")[0] == 403
    admin = {"Authorization": f"Bearer {the_portal.store.rotate('admin', 'admin')}"}
    status, _, full = server.get("/admin/plan.json", admin)
    assert status == 200
    assert json.loads(full)["format"] == "advisors-plan/1"
    assert len(json.loads(full)["events"]) == len(public["events"])


def _crawl(server: Server, the_portal: Any) -> dict[str, bytes]:
    """Every public page and feed the index links to, plus personal pages and feeds."""
    seen: dict[str, bytes] = {}
    index = server.get("/")[2]
    seen["/"] = index
    prefix = f"http://127.0.0.1:{server.httpd.server_port}"
    links = set(re.findall(r'href="([^"]+)"', index.decode("utf-8")))
    for link in sorted(links):
        path = link.removeprefix(prefix).removeprefix("webcal://" + prefix[len("http://"):])
        if path.startswith("/") and path not in seen:
            seen[path] = server.get(path)[2]
    people = [("advisor", r["id"]) for r in rows("advisors.csv")]
    people += [("trainer", r["id"]) for r in rows("trainers.csv")]
    for kind, ident in people:
        token = the_portal.store.rotate(kind, ident)
        if kind != "admin":
            seen[f"/me/{token}"] = server.get(f"/me/{token}")[2]
            seen[f"/calendars/me/{token}.ics"] = server.get(f"/calendars/me/{token}.ics")[2]
    return seen


def test_no_response_reveals_villagers_personal_data(served: tuple[Any, Server]) -> None:
    the_portal, server = served
    pages = _crawl(server, the_portal)
    assert len(pages) > 2 * len(rows("villages.csv"))  # notices and feeds were all fetched
    phones = {r["phone"] for r in rows("people.csv") if r["phone"]}
    emails = {r["email"] for r in rows("advisors.csv") if r["email"]}
    assert phones
    for path, body in pages.items():
        text = body.decode("utf-8")
        leaked = [p for p in phones if p in text]
        assert not leaked, f"{path} shows a villager's phone {leaked[:3]}"
        if not path.startswith(("/me/", "/calendars/me/")):
            assert not [e for e in emails if e in text], f"{path} shows an advisor's email"


def test_public_plan_json_has_no_personal_data(served: tuple[Any, Server]) -> None:
    _, server = served
    text = server.get("/plan.json")[2].decode("utf-8")
    people = {r["id"] for r in rows("people.csv")}
    assert not [p for p in people if f'"{p}"' in text]
    assert "@" not in text


def test_a_chained_plan_keeps_its_training_history_out_of_the_public_json(
        tongren: advisors.Dataset) -> None:
    from portal.public import public_plan

    january = advisors.make_plan(tongren, "2027-01")
    february = advisors.make_plan(tongren, "2027-02", january)
    assert february.training.history  # people had topics in January
    text = json.dumps(public_plan(february.as_dict()), ensure_ascii=False)
    assert not [p for p in february.training.history if f'"{p}"' in text]
    assert february.training.history and '"history": {}' in text


def test_the_command_line_lists_and_rotates_tokens_and_refuses_without_data(
        served: tuple[Any, Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from portal.__main__ import main

    the_portal, server = served
    monkeypatch.setenv("ADVISORS_PORTAL_DATA", str(the_portal.data))
    runner = CliRunner()
    listed = runner.invoke(main, ["--data", str(the_portal.data), "tokens",
                                  "--base-url", server.url])
    assert listed.exit_code == 0
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    advisors_listed = {ident for kind, ident, *_ in lines if kind == "advisor"}
    # the shared portal's tests rotated some tokens already; the rest are issued now
    assert advisors_listed | {ident for kind, ident, _ in the_portal.store.owners()
                              if kind == "advisor"} == {r["id"] for r in rows("advisors.csv")}
    assert {ident for kind, ident, *_ in lines if kind == "office"} == {
        r["id"] for r in rows("townships.csv")}
    kind, ident, token, feed, signin = next(line for line in lines if line[0] == "office")
    assert feed == "" and signin == f"{server.url}/signin/{token}"
    # signed in and sent on to the office's page (401 here: urllib keeps no cookie)
    assert server.get(signin.removeprefix(server.url))[0] == 401
    again = runner.invoke(main, ["--data", str(the_portal.data), "tokens"])
    assert again.exit_code == 0 and token not in again.output  # shown once: only digests kept
    rotated = runner.invoke(main, ["--data", str(the_portal.data), "rotate", kind, ident])
    assert rotated.exit_code == 0 and rotated.output.strip() != token
    assert server.get(signin.removeprefix(server.url))[0] == 404
    assert server.get(f"/signin/{rotated.output.strip()}")[0] == 401
    assert runner.invoke(main, ["--data", str(the_portal.data), "rotate", "advisor",
                                "nobody"]).exit_code == 2
    empty = runner.invoke(main, ["--data", str(tmp_path / "empty"), "replan"])
    assert empty.exit_code == 2 and "--source" in empty.output
