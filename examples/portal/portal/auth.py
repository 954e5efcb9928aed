"""Who is asking: sign-in by token, a session cookie, scopes and CSRF on every form.

A person signs in once by opening the link ``/signin/<token>`` that the
bureau handed them (the same token as their personal feed). The session
cookie (signed, ``HttpOnly``, ``SameSite=Lax``) holds the token's kind and
owner and its digest; every request checks that digest is still the owner's,
so rotating a token signs its sessions out at once.

Every form carries a per-session CSRF token, checked in constant time on
every ``POST`` authenticated by the cookie (a ``POST`` with the admin's
``Authorization: Bearer`` header cannot be forged by another site and needs
none). Scopes: an advisor sees their own work, an office or a liaison officer
their township, the hotline every township, the administrator everything.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import attrs
import flask
from flask import Flask, abort, redirect, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers.response import Response as BaseResponse

from .store import Store
from .tokens import digest_of, equal_digests

__all__ = ["HOME", "User", "install", "user"]

HOME = {"advisor": "work.log", "office": "intake.requests", "hotline": "intake.requests",
        "liaison": "work.feedback", "admin": "bureau.page"}
"""Where each kind lands after signing in."""
_SIGNED_IN_KINDS = tuple(HOME)
KIND_NAMES = {"advisor": "法律顾问 Legal advisor", "office": "司法所 Justice office",
              "hotline": "12348 热线 Hotline", "liaison": "联络员 Liaison officer",
              "admin": "司法局 Justice bureau", "trainer": "培训师 Trainer"}
"""How a page names the signed-in kind (never the raw code)."""


@attrs.frozen
class User:
    """The signed-in owner of a token."""

    kind: str
    ident: str

    @property
    def label(self) -> str:
        """``advisor:adv-01`` — how the audit trail names them."""
        return f"{self.kind}:{self.ident}"

    def may_see_township(self, township: str) -> bool:
        """Offices and liaison officers see their own township; hotline and admin all."""
        if self.kind in ("hotline", "admin"):
            return True
        return self.kind in ("office", "liaison") and self.ident == township


def user() -> User | None:
    """The signed-in user of this request (checked once per request)."""
    found: User | None = flask.g.get("user")
    return found


def require(*kinds: str) -> User:
    """The signed-in user if of one of ``kinds``; else 403 (or the sign-in hint)."""
    who = user()
    if who is None:
        abort(401)
    if who.kind not in kinds:
        abort(403)
    return who


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session["csrf"] = token
    return token


def csrf_field() -> Markup:
    """The hidden input every form carries."""
    return Markup('<input type="hidden" name="csrf" value="{}">').format(csrf_token())


def install(app: Flask, store: Store, *, secure: bool) -> None:
    """Sessions, sign-in/out routes, the per-request user and the CSRF check."""
    app.secret_key = store.setting("session_key", secrets.token_hex(32))
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=secure, SESSION_COOKIE_NAME="advisors_portal")
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.jinja_env.globals["current_user"] = user
    app.jinja_env.globals["kind_names"] = KIND_NAMES

    @app.before_request
    def who() -> None:
        flask.g.user = None
        kind, ident, digest = (session.get("kind"), session.get("ident"),
                               session.get("digest"))
        if isinstance(kind, str) and isinstance(ident, str) and isinstance(digest, str):
            if store.holds(kind, ident, digest):
                flask.g.user = User(kind, ident)
            else:  # rotated: signed out everywhere
                session.clear()

    @app.before_request
    def csrf() -> None:
        if request.method != "POST" or request.headers.get("Authorization"):
            return
        if flask.g.user is None and not request.path.startswith("/signin"):
            return  # nothing to forge: the route itself refuses
        sent = request.form.get("csrf", "")
        expected = session.get("csrf")
        if not isinstance(expected, str) or not equal_digests(expected, sent):
            abort(400, "the form has expired (CSRF check): open the page again")

    @app.get("/signin/<token>")
    def signin(token: str) -> BaseResponse:
        owner = store.owner_of(token)
        if owner is None or owner[0] not in _SIGNED_IN_KINDS:
            abort(404)
        session.clear()
        session.update(kind=owner[0], ident=owner[1], digest=digest_of(token),
                       csrf=secrets.token_urlsafe(24))
        session.permanent = True
        return redirect(url_for(HOME[owner[0]]))

    @app.post("/signout")
    def signout() -> BaseResponse:
        session.clear()
        return redirect(url_for("index"))

    @app.errorhandler(401)
    def unauthorised(_: Any) -> tuple[str, int]:
        return ("请用司法局发给您的登录链接打开本页。 Open this page with the sign-in link the "
                "justice bureau gave you.", 401)


def scoped(*kinds: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: the route needs a signed-in user of ``kinds`` (passed as ``who``)."""
    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            return view(require(*kinds), *args, **kwargs)
        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return inner
    return wrap
