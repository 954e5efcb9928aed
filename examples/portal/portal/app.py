"""The web application: feeds, pages and the plan, over one data folder.

Everything served comes from the current version's exported files, looked
up through the version's manifest (never by joining a URL to a folder), with
the ETag and Last-Modified recorded at publication, so conditional requests
get ``304 Not Modified`` until the file really changes.

Public: township and village feeds, the township roster, the village notice
board, the progress report and the plan without personal data. Personal:
an advisor's or trainer's feed, only at ``/calendars/me/<token>.ics``; an
unknown or rotated token gets the same 404 as a page that does not exist.
Administration (re-plan, rotate a token, the full plan) needs the admin
token as ``Authorization: Bearer …``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import flask
from flask import Flask, Response, abort, jsonify, render_template, request, url_for

import advisors

from . import auth
from .bureau import blueprint as bureau_blueprint
from .intake import blueprint as intake_blueprint
from .live import Live
from .public import decorate, etag_of, webcal
from .publish import Portal
from .republish import Republisher
from .store import Version
from .tokens import PERSONAL_KINDS
from .work import blueprint as work_blueprint

__all__ = ["create_app"]

CALENDAR_TYPE = "text/calendar; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
"""Pages are HTML with inline styles and SVG charts whose forms post back to the portal:
nothing else may load or run, and no form may send its fields elsewhere."""
_EMPTY_FEED = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//advisors//portal//ZH\r\n"
               b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n")


def create_app(data: str | Path, *, base_url: str | None = None,
               template_dirs: tuple[Path, ...] = (), database: str | None = None) -> Flask:
    """The portal over the data folder ``data`` (see ``python -m portal --help``).

    ``base_url`` (e.g. ``https://fw.example.gov.cn/``) is used for the links
    on the pages. Without it links name the request's own host, and pages that
    carry such links are served ``Cache-Control: private``: a shared cache must
    never hand one client links built from another client's ``Host`` header.
    ``database`` is an SQLAlchemy URL (default ``$ADVISORS_PORTAL_DB``, else
    SQLite in ``data``).
    """
    # Delivery plugins (advisors-outbox) keep their database beside the portal's by default.
    os.environ.setdefault("ADVISORS_PORTAL_DATA", str(Path(data).resolve()))
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    portal = Portal(data, template_dirs=template_dirs, database=database)
    app.extensions["portal"] = portal
    app.extensions["portal_live"] = Live(portal)
    app.extensions["portal_republisher"] = Republisher(portal)
    auth.install(app, portal.store, secure=(base_url or "").startswith("https://"))
    for blueprint in (work_blueprint, intake_blueprint, bureau_blueprint):
        app.register_blueprint(blueprint)
    directories: dict[int, dict[str, Any]] = {}

    def current() -> Version:
        version = portal.store.current()
        if version is None:
            abort(503, "nothing published yet: run `python -m portal replan`")
        return version

    def directory(version: Version) -> dict[str, Any]:
        if version.id not in directories:
            text = (version.folder / "public" / "directory.json").read_text("utf-8")
            directories.clear()  # only the current version's is needed
            directories[version.id] = json.loads(text)
        return directories[version.id]

    def absolute(endpoint: str, **values: Any) -> str:
        path = url_for(endpoint, **values)
        root = (base_url or request.host_url).rstrip("/")
        return root + path

    # pages whose links come from the request's Host header must not be cached as public
    linked_public = base_url is not None

    def serve(version: Version, path: str, content_type: str, *,
              public: bool = True, links: list[tuple[str, str]] | None = None) -> Response:
        found = portal.store.resource(version.id, path)
        if found is None:
            abort(404)
        body = (version.folder / path).read_bytes()
        etag = found.etag
        if links is not None:
            body = decorate(body.decode("utf-8"), links).encode("utf-8")
            etag = etag_of(body)  # the link bar names this host
            public = public and (linked_public or all(
                href.startswith("/") for _, href in links))  # host-made links: private
        return _conditional(body, content_type, etag, found.modified, public=public)

    def page(html: str, modified: dt.datetime, *, public: bool) -> Response:
        body = html.encode("utf-8")
        return _conditional(body, HTML_TYPE, etag_of(body), modified, public=public)

    def admin() -> None:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not given or portal.store.owner_of(given) != ("admin", "admin"):
            abort(403)

    @app.get("/")
    def index() -> Response:
        version = current()
        info = directory(version)
        villages: dict[str, list[dict[str, Any]]] = {}
        for village in info["villages"]:
            villages.setdefault(village["township"], []).append(village)
        return page(render_template(
            "index.html", version=version, townships=info["townships"], villages=villages,
            feed=lambda kind, ident: absolute("public_feed", kind=kind, ident=ident),
            webcal=webcal), version.published_at, public=linked_public)

    @app.get("/calendars/<any(village, township):kind>/<ident>.ics")
    def public_feed(kind: str, ident: str) -> Response:
        return serve(current(), f"calendars/{kind}/{ident}.ics", CALENDAR_TYPE)

    @app.get("/calendars/me/<token>.ics")
    def personal_feed(token: str) -> Response:
        owner = portal.store.owner_of(token)
        if owner is None or owner[0] not in PERSONAL_KINDS:
            abort(404)
        version = current()
        path = f"calendars/{owner[0]}/{owner[1]}.ics"
        if portal.store.resource(version.id, path) is None:
            # nothing planned for this person in this period: an empty calendar, not an error
            return _conditional(_EMPTY_FEED, CALENDAR_TYPE, etag_of(_EMPTY_FEED),
                                version.published_at, public=False)
        return serve(version, path, CALENDAR_TYPE, public=False)

    @app.get("/me/<token>")
    def personal_page(token: str) -> Response:
        owner = portal.store.owner_of(token)
        if owner is None or owner[0] not in PERSONAL_KINDS:
            abort(404)
        version = current()
        people = {p["id"]: p for p in directory(version)[f"{owner[0]}s"]}
        person = people.get(owner[1])
        if person is None:
            abort(404)
        feed = absolute("personal_feed", token=token)
        return page(render_template("person.html", person=person, kind=owner[0], feed=feed,
                                    webcal=webcal(feed), version=version),
                    version.published_at, public=False)

    @app.get("/townships/<ident>")
    def roster(ident: str) -> Response:
        feed = absolute("public_feed", kind="township", ident=ident)
        return serve(current(), f"rosters/{ident}.html", HTML_TYPE,
                     links=[("首页 Home", url_for("index")),
                            ("订阅乡镇日历 Subscribe", webcal(feed)), (".ics", feed)])

    @app.get("/villages/<ident>")
    def notice(ident: str) -> Response:
        feed = absolute("public_feed", kind="village", ident=ident)
        return serve(current(), f"notices/{ident}.html", HTML_TYPE,
                     links=[("首页 Home", url_for("index")),
                            ("订阅本村日历 Subscribe", webcal(feed)), (".ics", feed)])

    @app.get("/report")
    def report() -> Response:
        return serve(current(), "report.html", HTML_TYPE,
                     links=[("首页 Home", url_for("index"))])

    @app.get("/plan.json")
    def plan_json() -> Response:
        return serve(current(), "public/plan.json", JSON_TYPE)

    @app.get("/admin/plan.json")
    def full_plan_json() -> Response:
        admin()
        return serve(current(), "plan.json", JSON_TYPE, public=False)

    @app.post("/admin/replan")
    def replan() -> Response | tuple[Response, int]:
        admin()
        try:
            done = portal.publish()
        except advisors.DataError as exc:  # the data is wrong: say where, as a problem list
            return jsonify({"error": "the data has problems; nothing was published",
                            "problems": [p.as_dict() for p in exc.problems]}), 422
        except advisors.AdvisorsError as exc:
            return jsonify({"error": str(exc), "problems": []}), 422
        return jsonify(done.summary())

    @app.post("/admin/tokens/<any(advisor, trainer):kind>/<ident>/rotate")
    def rotate(kind: str, ident: str) -> Response:
        admin()
        if not portal.store.has_token(kind, ident):
            abort(404)
        token = portal.store.rotate(kind, ident)
        feed = absolute("personal_feed", token=token)
        return jsonify({"kind": kind, "id": ident, "token": token, "feed": feed,
                        "webcal": webcal(feed)})

    @app.get("/healthz")
    def health() -> Response:
        version = portal.store.current()
        return jsonify({"ok": version is not None,
                        "version": None if version is None else version.id})

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")  # tokens stay in the URL
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        # the HTTP server sends Date; make_conditional's own would make it two
        response.headers.pop("Date", None)
        return response

    return app


def _conditional(body: bytes, content_type: str, etag: str, modified: dt.datetime, *,
                 public: bool) -> Response:
    response = Response(body, content_type=content_type)
    response.set_etag(etag)
    response.last_modified = modified
    # revalidate every time: a cheap 304 while nothing changed, the new feed at once after
    response.cache_control.no_cache = True
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
    response.make_conditional(flask.request)  # turns it into a 304 in place when it may
    return response
