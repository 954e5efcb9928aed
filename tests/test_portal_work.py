"""The portal as the bureau's working tool, on SQLite and on PostgreSQL.

An advisor logs a service from the forms (validated by the library, errors
next to the field), corrects it (audited); a liaison officer records a
score; an office records a request; the bureau sees the ledger and grades
and exports the CSV files the CLI reads unchanged. Sessions, CSRF and scopes
are checked as an attacker would try them. Requests go through urllib with a
cookie jar, over a real loopback server.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import advisors
from advisors.cli import run as cli_run

from .portal_backends import BACKENDS, Session, database, error_of, fields, hidden
from .test_portal import PERIOD, Server, events, rows, start_portal

pytest.importorskip("flask", reason="the portal example needs Flask (pip install flask)")


class Scene:
    """A published portal on one backend, served on loopback."""

    def __init__(self, portal: Any, server: Server, source: Path, url: str) -> None:
        self.portal, self.server, self.source, self.url = portal, server, source, url

    def signed_in(self, kind: str, ident: str) -> Session:
        session = Session(self.server.url)
        status, _, _ = session.get(f"/signin/{self.portal.store.rotate(kind, ident)}")
        assert status == 200
        return session

    def live(self) -> Any:
        return self.server.app.extensions["portal_live"]


@pytest.fixture(scope="module", params=BACKENDS)
def scene(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Scene]:
    root = tmp_path_factory.mktemp(f"work-{request.param}")
    with database(request.param, root) as url, pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADVISORS_PORTAL_DB", url)
        the_portal, server, source = start_portal(root, mp)
        try:
            yield Scene(the_portal, server, source, url)
        finally:
            server.close()


def _first_visit(scene: Scene, session: Session) -> tuple[str, dict[str, str]]:
    status, _, page = session.get("/work/log")
    assert status == 200
    link = re.findall(r'href="(/work/log/new\?visit=[^"]+)"', page)[0].replace("&amp;", "&")
    status, _, form = session.get(link)
    assert status == 200
    return form, fields(form)


def _advisor_with_visits(scene: Scene) -> str:
    plan = advisors.Plan.read(scene.portal.store.current().folder / "plan.json")
    return sorted({v.advisor for v in plan.visits.visits})[0]


def test_the_schema_is_migrated_once(scene: Scene) -> None:
    import sqlalchemy as sa
    from portal.db import SCHEMA_VERSION, engine_for, migrate

    engine = engine_for(scene.url)
    with engine.connect() as conn:
        done = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version"))
        assert [r[0] for r in done] == list(range(1, SCHEMA_VERSION + 1))
    assert migrate(engine) == 0


def test_an_advisor_logs_a_visit_with_errors_next_to_the_field_and_no_duplicate(
        scene: Scene) -> None:
    advisor = _advisor_with_visits(scene)
    session = scene.signed_in("advisor", advisor)
    _form, values = _first_visit(scene, session)
    assert values["visit"] and values["village"] and values["date"].startswith(PERIOD)
    values.update(people_served="many", note="坐班接待", topic_debt="2", disputes="1")
    status, _, page = session.post("/work/log/new", values)
    assert status == 422
    assert "whole number" in (error_of(page, "people_served") or "")
    assert error_of(page, "note") is None
    before = scene.live().records.services(advisor=advisor)
    values["people_served"] = "9"
    status, path, page = session.post("/work/log/new", values)
    assert status == 200 and path == f"/work/month/{values['date'][:7]}"
    again = session.post("/work/log/new", values)  # the phone sent it twice
    assert again[0] == 200
    after = scene.live().records.services(advisor=advisor)
    assert len(after) == len(before) + 1
    stored = after[-1]
    assert (stored["people_served"], stored["consultations"], stored["disputes"]) == (
        9, "debt:2", 1)
    # the ledger's own reader accepts the rows, mediation included
    state = scene.live().state()
    kinds = [r.kind for r in scene.live().services(state) if r.advisor == advisor]
    assert "mediation" in kinds


def test_an_advisor_corrects_an_entry_and_the_audit_trail_says_who_and_what(
        scene: Scene) -> None:
    advisor = _advisor_with_visits(scene)
    session = scene.signed_in("advisor", advisor)
    _, values = _first_visit(scene, session)
    values.update(people_served="4", note="第一次")
    session.post("/work/log/new", values)
    ident = scene.live().records.services(advisor=advisor)[-1]["id"]
    status, _, page = session.get(f"/work/log/{ident}/edit")
    assert status == 200
    corrected = {**fields(page), "people_served": "6", "note": "更正人数"}
    status, _, _ = session.post(f"/work/log/{ident}/edit", corrected)
    assert status == 200
    trail = scene.live().records.audit("service", ident)
    assert [t["what"] for t in trail] == ["create", "update"]
    assert trail[1]["who"] == f"advisor:{advisor}"
    assert json.loads(trail[1]["before"]) == {"people_served": 4, "note": "第一次"}
    assert json.loads(trail[1]["after"]) == {"people_served": 6, "note": "更正人数"}
    # another advisor can neither see nor correct it
    other = next(r["id"] for r in rows("advisors.csv") if r["id"] != advisor)
    intruder = scene.signed_in("advisor", other)
    assert intruder.get(f"/work/log/{ident}/edit")[0] == 404
    assert intruder.post(f"/work/log/{ident}/edit", {**corrected, **hidden(
        intruder.get("/work/log/new")[2])})[0] == 404


def test_forms_need_the_sessions_csrf_token(scene: Scene) -> None:
    advisor = _advisor_with_visits(scene)
    session = scene.signed_in("advisor", advisor)
    _, values = _first_visit(scene, session)
    values.update(people_served="3", note="x")
    count = len(scene.live().records.services())
    other = scene.signed_in("advisor", next(r["id"] for r in rows("advisors.csv")
                                            if r["id"] != advisor))
    theirs = hidden(other.get("/work/log/new")[2])["csrf"]  # valid, but another session's
    assert theirs != values["csrf"]
    for forged in ({**values, "csrf": ""}, {k: v for k, v in values.items() if k != "csrf"},
                   {**values, "csrf": "x" * len(values["csrf"])}, {**values, "csrf": theirs}):
        assert session.post("/work/log/new", forged)[0] == 400
    assert session.post("/work/log/new", values)[0] == 200  # the page's own token works
    assert len(scene.live().records.services()) == count + 1


def test_scopes_and_rotation(scene: Scene) -> None:
    townships = [r["id"] for r in rows("townships.csv")]
    office = scene.signed_in("office", townships[0])
    villages = {r["id"]: r["township"] for r in rows("villages.csv")}
    mine = next(v for v, t in villages.items() if t == townships[0])
    theirs = next(v for v, t in villages.items() if t == townships[1])
    _, _, page = office.get("/work/requests")
    assert f'value="{theirs}"' not in page
    form = {**hidden(page), "village": theirs, "grp": "elderly", "kind": "home_visit",
            "received_on": f"{PERIOD}-01", "languages": "", "requester": "外乡人",
            "phone": "", "note": ""}
    status, _, page = office.post("/work/requests", form)
    assert status == 422 and "your township" in page
    other = scene.signed_in("office", townships[1])
    _, _, page = other.get("/work/requests")
    form = {**form, **hidden(page), "village": theirs, "requester": "他乡申请人"}
    assert other.post("/work/requests", form)[0] == 200
    assert "他乡申请人" not in office.get("/work/requests")[2]
    assert "他乡申请人" in other.get("/work/requests")[2]
    assert office.get("/bureau")[0] == 403
    assert office.get("/work/log")[0] == 403
    assert Session(scene.server.url).get("/bureau")[0] == 401
    # rotating the token signs the session out at once
    scene.portal.store.rotate("office", townships[1])
    assert other.get("/work/requests")[0] == 401
    del mine


def test_personal_data_of_requests_never_reaches_public_pages(scene: Scene) -> None:
    township = rows("townships.csv")[0]["id"]
    village = next(r["id"] for r in rows("villages.csv") if r["township"] == township)
    office = scene.signed_in("office", township)
    page = office.get("/work/requests")[2]
    secret_name, secret_note = "才让卓玛测试", "丈夫欠薪三个月测试备注"
    office.post("/work/requests", {**hidden(page), "village": village, "grp": "low_income",
                                   "kind": "consultation", "received_on": f"{PERIOD}-02",
                                   "languages": "bo", "requester": secret_name,
                                   "phone": "13900000000", "note": secret_note})
    public = Session(scene.server.url)
    paths = ["/", "/plan.json", "/report", f"/villages/{village}", f"/townships/{township}",
             f"/calendars/village/{village}.ics", f"/calendars/township/{township}.ics"]
    for path in paths:
        status, _, text = public.get(path)
        assert status == 200, path
        assert secret_name not in text and secret_note not in text and "13900000000" not in text


def test_liaison_records_satisfaction_validated_by_the_library(scene: Scene) -> None:
    advisor = _advisor_with_visits(scene)
    session = scene.signed_in("advisor", advisor)
    _, values = _first_visit(scene, session)
    values.update(people_served="5", note="坐班")
    session.post("/work/log/new", values)
    township = next(r["township"] for r in rows("villages.csv") if r["id"] == values["village"])
    liaison = scene.signed_in("liaison", township)
    status, _, page = liaison.get("/work/feedback")
    assert status == 200 and values["date"] in page
    form = hidden(page)
    assert form["village"] and form["advisor"]
    assert liaison.post("/work/feedback", {**form, "score": "7"})[0] == 422
    count = len(scene.live().records.feedback())
    assert liaison.post("/work/feedback", {**form, "score": "4"})[0] == 200
    assert liaison.post("/work/feedback", {**form, "score": "4"})[0] == 200  # resent
    stored = scene.live().records.feedback()
    assert len(stored) == count + 1 and stored[-1]["score"] == 4
    elsewhere = next(r["id"] for r in rows("townships.csv") if r["id"] != township)
    outsider = scene.signed_in("liaison", elsewhere)
    page = outsider.get("/work/feedback")[2]
    assert outsider.post("/work/feedback", {**hidden(page), **form, "csrf": hidden(page).get(
        "csrf", ""), "score": "5"})[0] == 422


def test_the_bureau_exports_what_the_cli_reads_unchanged(scene: Scene, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    advisor = _advisor_with_visits(scene)
    session = scene.signed_in("advisor", advisor)
    _, values = _first_visit(scene, session)
    values.update(people_served="8", note="坐班", disputes="2")
    session.post("/work/log/new", values)
    assert scene.server.app.extensions["portal_republisher"].settle()  # earlier tests' requests
    bureau = scene.signed_in("admin", "admin")
    status, _, page = bureau.get("/bureau")
    assert status == 200 and 'id="grades"' in page
    folder = tmp_path / "data"
    shutil.copytree(scene.source, folder)
    for name in ("services.csv", "feedback.csv", "requests.csv"):
        status, _, text = bureau.get(f"/bureau/{name}")
        assert status == 200
        (folder / name).write_text(text, encoding="utf-8")
    exported = list(csv.DictReader((folder / "services.csv").open(encoding="utf-8")))
    assert len(exported) == len(scene.live().records.ledger_rows())
    plan = scene.portal.store.current().folder / "plan.json"
    code = cli_run(["ledger", str(folder), "--period", PERIOD, "--plan", str(plan), "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    state = scene.live().state()
    portal_ledger = scene.live().ledger(state).as_dict()
    # what the files hold is read the same: every record, every count from the records
    # (planned/held depend on the plan each side matches against: the CLI schedules whole
    # quarters when --plan covers one month, the portal matches its published plan)
    from_records = ("records", "complete", "people_served", "services", "consultations")
    for key in from_records:
        assert printed["total"][key] == portal_ledger["total"][key], key
        for advisor_id, figures in portal_ledger["advisors"].items():
            assert printed["advisors"].get(advisor_id, {}).get(key, figures[key]) == \
                figures[key], (advisor_id, key)
    read_back = advisors.read_services(folder / "services.csv", state.dataset)
    ours = scene.live().services(state)
    assert [attrs.evolve(r, source="", line=None) for r in read_back] == \
        [attrs.evolve(r, source="", line=None) for r in ours]
    assert {r.id for r in advisors.load_dataset(folder).requests} == {
        r.id for r in scene.live().portal.dataset().requests}
    assert cli_run(["assess", str(folder), "--quarter", state.quarter, "--json"]) == 0
    graded = {g["advisor"] for g in json.loads(capsys.readouterr().out)["grades"]}
    assert advisor in graded
    assert printed["total"]["records"] >= 2  # the service and its mediation row


def test_an_older_portal_database_is_migrated_and_its_tokens_hashed(tmp_path: Path) -> None:
    import sqlite3

    from portal.db import SCHEMA_VERSION, forget_engine
    from portal.store import Store

    path = tmp_path / "portal.sqlite3"
    with sqlite3.connect(path) as conn:  # the 0.1 schema: tokens in clear
        conn.executescript("""
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE tokens (token TEXT PRIMARY KEY, kind TEXT NOT NULL,
                                 ident TEXT NOT NULL, created TEXT NOT NULL,
                                 UNIQUE (kind, ident));
            INSERT INTO settings VALUES ('period', '2026-12');
            INSERT INTO tokens VALUES ('old-secret-token-of-adv-01', 'advisor', 'adv-01',
                                       '2026-11-01T00:00:00+00:00');
        """)
    url = f"sqlite:///{path}"
    try:
        store = Store(url)
        assert store.settings() == {"period": "2026-12"}
        assert store.owner_of("old-secret-token-of-adv-01") == ("advisor", "adv-01")
        assert store.owner_of("old-secret-token-of-adv-02") is None
    finally:
        forget_engine(url)
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "tokens" not in names and "credentials" in names
        dump = "\n".join(conn.iterdump())
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version")]
    assert "old-secret-token-of-adv-01" not in dump  # only its digest is kept
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert path.stat().st_mode & 0o077 == 0


def test_an_office_request_is_booked_published_and_notified(scene: Scene) -> None:
    township = rows("townships.csv")[0]["id"]
    village = next(r for r in rows("villages.csv") if r["township"] == township)
    before = scene.portal.store.current()
    office = scene.signed_in("office", township)
    page = office.get("/work/requests")[2]
    status, _, page = office.post("/work/requests", {
        **hidden(page), "village": village["id"], "grp": "disabled", "kind": "home_visit",
        "received_on": f"{PERIOD}-01", "languages": "", "requester": "预约测试人",
        "phone": "13800000000", "note": "腿脚不便预约测试"})
    assert status == 200
    ref = scene.live().records.requests(township=township)[-1]["ref"]
    republisher = scene.server.app.extensions["portal_republisher"]
    assert republisher.settle() and republisher.error == ""
    assert scene.portal.store.current().id > before.id
    state = scene.live().state()
    booking = state.booking_of(ref)
    assert booking is not None and booking.event and booking.advisor, booking
    assert booking.date is not None and booking.met
    # the office sees where it is booked, in words
    listed = office.get("/work/requests")[2]
    row = next(r for r in re.findall(r"<li class=\"visit\">(.*?)</li>", listed, re.S)
               if ref in r)
    assert booking.date.isoformat() in row and state.advisor_name(booking.advisor) in row
    # the advisor's own feed has the booked event; nothing else of theirs lost its UID
    token = scene.portal.store.rotate("advisor", booking.advisor)
    status, _, feed = scene.server.get(f"/calendars/me/{token}.ics")
    assert status == 200
    booked = [e for e in events(feed).values()
              if e["DTSTART"].dt.date() == booking.date and ref in str(e.get("DESCRIPTION", ""))]
    assert booked, f"{ref} is not in {booking.advisor}'s feed"
    old_plan = advisors.Plan.read(before.folder / "plan.json")
    new_plan = state.plan
    assert new_plan.version == old_plan.version + 1
    touched = [c for c in new_plan.changes if c.kind in ("new", "moved", "changed")]
    assert touched, "the booking published nothing new"
    assert all(c.current.sequence > c.previous.sequence  # SEQUENCE + 1 on what changed
               for c in touched if c.kind != "new" and c.previous is not None)
    # the advisor's notification waits in the outbox, for this version
    outbox = Path(os.environ["ADVISORS_OUTBOX"])
    with sqlite3.connect(outbox) as conn:
        queued = conn.execute("SELECT recipient, body FROM outbox WHERE plan_version=?",
                              (new_plan.version,)).fetchall()
    assert any(booking.advisor in recipient for recipient, _ in queued), queued[:3]
    # nothing of the requester on a public page or feed
    public = Session(scene.server.url)
    for path in (f"/villages/{village['id']}", f"/calendars/village/{village['id']}.ics",
                 f"/townships/{township}", "/plan.json", "/report"):
        text = public.get(path)[2]
        assert "预约测试人" not in text and "腿脚不便预约测试" not in text
        assert "13800000000" not in text
