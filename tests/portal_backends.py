"""The portal's databases for tests: SQLite always, PostgreSQL when a server is given.

``ADVISORS_TEST_PG_URL`` names a PostgreSQL database the tests may create
databases beside (``make test`` as root starts a private server and sets it).
Without it the PostgreSQL variant is skipped on a developer's machine, and
fails in CI (``CI=true``): there it must run.

Each use gets a fresh, empty database (SQLite: a file in the test's folder;
PostgreSQL: ``CREATE DATABASE portal_<random>``, dropped afterwards).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")
"""The ``backend`` parameter of the portal's database tests."""


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh database's SQLAlchemy URL for ``backend``."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'portal.sqlite3'}"
        return
    server = os.environ.get("ADVISORS_TEST_PG_URL", "").strip()
    if not server:
        if os.environ.get("CI") == "true":
            pytest.fail("ADVISORS_TEST_PG_URL is not set: `make test` as root starts "
                        "PostgreSQL and sets it")
        pytest.skip("no PostgreSQL (`make test` as root starts one; or set ADVISORS_TEST_PG_URL)")
    import sqlalchemy as sa
    from portal.db import forget_engine

    name = f"portal_{secrets.token_hex(6)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        forget_engine(url)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Session:
    """A person's browser over urllib: a cookie jar, the forms' hidden fields."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        """Status, final path and text of a GET (redirects followed)."""
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """Status, final path and text of a form POST (redirects followed)."""
        body = urllib.parse.urlencode(data).encode("utf-8")
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return (response.status, response.url.removeprefix(self.base),
                        response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url.removeprefix(self.base), exc.read().decode("utf-8")


def hidden(html: str) -> dict[str, str]:
    """The hidden fields of the page's first card form (CSRF, submission id, visit)."""
    start = html.find('<form class="card"')
    form = html[start if start >= 0 else html.find("<form"):]
    form = form[:form.find("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))


def fields(html: str) -> dict[str, str]:
    """Every prefilled input and selected option of the first form, by name."""
    form = html[html.find('<form class="card"'):]
    form = form[:form.find("</form>")]
    out = dict(re.findall(r'<input (?:id="[a-z_]+" )?(?:type="hidden" )?name="([a-z_]+)"'
                          r'[^>]*?value="([^"]*)"', form))
    for name, body in re.findall(r'<select id="[a-z_-]+" name="([a-z_]+)"[^>]*>(.*?)</select>',
                                 form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        first = re.search(r'<option value="([^"]*)"', body)
        out[name] = chosen.group(1) if chosen else (first.group(1) if first else "")
    for name, text in re.findall(r'<textarea id="[a-z_]+" name="([a-z_]+)"[^>]*>(.*?)</textarea>',
                                 form, re.S):
        out[name] = text
    return out


def error_of(html: str, field: str) -> str | None:
    """The error shown next to ``field`` (``None`` when there is none)."""
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else None
