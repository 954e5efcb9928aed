"""The portal's own state, in one SQLite file of its data folder (never served).

* ``settings`` — the dataset source and the period the portal publishes;
* ``token_digests`` — one unguessable token per advisor and trainer (their
  personal feed's URL) and one for the administrator, stored only as a SHA-256
  digest and compared with :func:`hmac.compare_digest`; a token is derived
  from the secret key in ``token.key`` (owner-only, beside the database) and
  a generation number, so the command line can list it again while a copy of
  the database alone reveals none; rotating raises the generation, so the old
  URL stops working at once;
* ``versions`` — every publication: the plan's period and version and the
  folder its outputs were exported into;
* ``resources`` — per version, every file the portal serves with its ETag
  (a hash of its bytes) and Last-Modified (carried over from the previous
  version while the bytes are the same, so a phone that asks "changed since?"
  hears "no" until its feed really changes).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import attrs

__all__ = ["LEGACY", "PERSONAL_KINDS", "Resource", "Store", "Version", "derive_token",
           "digest_of"]

PERSONAL_KINDS = ("advisor", "trainer")
"""Feed kinds reachable only through a token."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS token_digests (
    digest     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    ident      TEXT NOT NULL,
    generation INTEGER NOT NULL,
    created    TEXT NOT NULL,
    UNIQUE (kind, ident)
);
CREATE TABLE IF NOT EXISTS versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    period       TEXT NOT NULL,
    plan_version INTEGER NOT NULL,
    folder       TEXT NOT NULL,
    published_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resources (
    version  INTEGER NOT NULL REFERENCES versions(id),
    path     TEXT NOT NULL,
    etag     TEXT NOT NULL,
    modified TEXT NOT NULL,
    PRIMARY KEY (version, path)
);
"""


LEGACY = -1
"""Generation of a token issued before tokens were stored hashed: it still works, but
cannot be listed again (rotate it to get a listable one)."""


def digest_of(token: str) -> str:
    """The SHA-256 digest a token is stored as."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def derive_token(key: bytes, kind: str, ident: str, generation: int) -> str:
    """The token of ``(kind, ident)`` at ``generation``: 192 bits of HMAC-SHA256 under ``key``."""
    mac = hmac.new(key, f"{kind}\x1f{ident}\x1f{generation}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode("ascii")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@attrs.frozen
class Version:
    """One publication."""

    id: int
    """The portal's own counter (grows across periods)."""
    period: str
    plan_version: int
    """The plan's version within its period (SEQUENCE follows it)."""
    folder: Path
    published_at: dt.datetime


@attrs.frozen
class Resource:
    """A served file of a version, with its validators."""

    path: str
    """Relative to the version folder, e.g. ``calendars/village/longwu-c01.ics``."""
    etag: str
    modified: dt.datetime


_READY: set[Path] = set()
"""Databases this process has set up (see :meth:`Store.connect`)."""


@attrs.frozen
class Store:
    """The portal database ``portal.sqlite3`` in the data folder."""

    path: Path = attrs.field(converter=Path)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction (committed on success).

        The database is set up (WAL, tables, owner-only mode) by the first
        connection of this process, or again if the file has gone.
        """
        fresh = self.path not in _READY or not self.path.exists()
        if fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # owner-only from the first byte: it holds token digests
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            if fresh:
                conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a publication
                conn.executescript(_SCHEMA)
                _hash_old_tokens(conn)
            with conn:
                yield conn
        finally:
            conn.close()
        if fresh:
            self.path.chmod(0o600)
            _READY.add(self.path)

    # settings ---------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        """Every stored setting."""
        with self.connect() as conn:
            return dict(conn.execute("SELECT key, value FROM settings").fetchall())

    def save_settings(self, values: Mapping[str, str]) -> None:
        """Store settings (replacing those of the same key)."""
        with self.connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO settings VALUES (?, ?)",
                             sorted(values.items()))

    # tokens -----------------------------------------------------------------------------

    def _key(self) -> bytes:
        """The secret tokens derive from (``token.key``, made owner-only on first use)."""
        path = self.path.with_name("token.key")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        key = secrets.token_bytes(32)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key

    def _generation(self, kind: str, ident: str) -> int | None:
        with self.connect() as conn:
            row = conn.execute("SELECT generation FROM token_digests WHERE kind=? AND ident=?",
                               (kind, ident)).fetchone()
        return None if row is None else int(row[0])

    def has_token(self, kind: str, ident: str) -> bool:
        """Whether ``(kind, ident)`` has a token."""
        return self._generation(kind, ident) is not None

    def token_of(self, kind: str, ident: str) -> str | None:
        """The current token of a person (or of ``admin``/``admin``); ``None`` when there is
        none, or it was issued before tokens were stored hashed (rotate it)."""
        generation = self._generation(kind, ident)
        if generation is None or generation == LEGACY:
            return None
        return derive_token(self._key(), kind, ident, generation)

    def owner_of(self, token: str) -> tuple[str, str] | None:
        """Whose token this is: ``(kind, ident)``, or ``None`` for an unknown or rotated one."""
        if not token or len(token) > 128:
            return None
        digest = digest_of(token)
        with self.connect() as conn:
            row = conn.execute("SELECT digest, kind, ident FROM token_digests WHERE digest=?",
                               (digest,)).fetchone()
        if row is None or not hmac.compare_digest(str(row[0]), digest):
            return None
        return str(row[1]), str(row[2])

    def ensure_tokens(self, owners: Iterable[tuple[str, str]]) -> int:
        """Give every owner without a token one; return how many were created."""
        key = self._key()
        made = 0
        with self.connect() as conn:
            for kind, ident in owners:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO token_digests VALUES (?, ?, ?, 0, ?)",
                    (digest_of(derive_token(key, kind, ident, 0)), kind, ident,
                     _now().isoformat()))
                made += cursor.rowcount
        return made

    def rotate(self, kind: str, ident: str) -> str:
        """Replace the token of ``(kind, ident)``; the old URL stops working."""
        generation = max(self._generation(kind, ident) or 0, 0) + 1
        token = derive_token(self._key(), kind, ident, generation)
        with self.connect() as conn:
            conn.execute("DELETE FROM token_digests WHERE kind=? AND ident=?", (kind, ident))
            conn.execute("INSERT INTO token_digests VALUES (?, ?, ?, ?, ?)",
                         (digest_of(token), kind, ident, generation, _now().isoformat()))
        return token

    def admin_token(self) -> str:
        """The administrator's token (created on first use; rotated if it cannot be listed)."""
        self.ensure_tokens([("admin", "admin")])
        found = self.token_of("admin", "admin")
        return found if found is not None else self.rotate("admin", "admin")

    def is_admin(self, token: str) -> bool:
        """Whether ``token`` is the administrator's (compared as digests, in constant time)."""
        return self.owner_of(token) == ("admin", "admin")

    def tokens(self) -> list[tuple[str, str, str]]:
        """``(kind, ident, token)`` of everyone, sorted (``""``: issued before hashing)."""
        key = self._key()
        with self.connect() as conn:
            rows = conn.execute("SELECT kind, ident, generation FROM token_digests "
                                "ORDER BY kind, ident").fetchall()
        return [(str(k), str(i), "" if g == LEGACY else derive_token(key, str(k), str(i), int(g)))
                for k, i, g in rows]

    # versions ---------------------------------------------------------------------------

    def current(self) -> Version | None:
        """The latest publication."""
        with self.connect() as conn:
            row = conn.execute("SELECT id, period, plan_version, folder, published_at "
                               "FROM versions ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else _version(row)

    def versions(self) -> list[Version]:
        """Every publication still kept, oldest first."""
        with self.connect() as conn:
            rows = conn.execute("SELECT id, period, plan_version, folder, published_at "
                                "FROM versions ORDER BY id").fetchall()
        return [_version(r) for r in rows]

    def resource(self, version: int, path: str) -> Resource | None:
        """A served file of ``version``."""
        with self.connect() as conn:
            row = conn.execute("SELECT path, etag, modified FROM resources "
                               "WHERE version=? AND path=?", (version, path)).fetchone()
        if row is None:
            return None
        return Resource(str(row[0]), str(row[1]), dt.datetime.fromisoformat(row[2]))

    def resources(self, version: int) -> dict[str, Resource]:
        """Every served file of ``version``, by path."""
        with self.connect() as conn:
            rows = conn.execute("SELECT path, etag, modified FROM resources WHERE version=?",
                                (version,)).fetchall()
        return {str(p): Resource(str(p), str(e), dt.datetime.fromisoformat(m))
                for p, e, m in rows}

    def add_version(self, period: str, plan_version: int, folder: Path,
                    etags: Mapping[str, str], now: dt.datetime | None = None) -> Version:
        """Record a publication and its files; unchanged files keep their Last-Modified."""
        when = (now or _now()).replace(microsecond=0)
        before = self.current()
        kept = self.resources(before.id) if before is not None else {}
        with self.connect() as conn:
            cursor = conn.execute(
                "INSERT INTO versions (period, plan_version, folder, published_at) "
                "VALUES (?, ?, ?, ?)", (period, plan_version, str(folder), when.isoformat()))
            ident = int(cursor.lastrowid or 0)
            rows = []
            for path, etag in sorted(etags.items()):
                old = kept.get(path)
                modified = old.modified if old is not None and old.etag == etag else when
                rows.append((ident, path, etag, modified.isoformat()))
            conn.executemany("INSERT INTO resources VALUES (?, ?, ?, ?)", rows)
        return Version(ident, period, plan_version, Path(folder), when)

    def forget(self, version: int) -> None:
        """Drop a publication's records (its folder is removed by the caller)."""
        with self.connect() as conn:
            conn.execute("DELETE FROM resources WHERE version=?", (version,))
            conn.execute("DELETE FROM versions WHERE id=?", (version,))


def _hash_old_tokens(conn: sqlite3.Connection) -> None:
    """Move raw tokens of an older database to digests (their URLs keep working)."""
    old = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='tokens'")
    if old.fetchone() is None:
        return
    for token, kind, ident, created in conn.execute("SELECT token, kind, ident, created "
                                                    "FROM tokens").fetchall():
        conn.execute("INSERT OR IGNORE INTO token_digests VALUES (?, ?, ?, ?, ?)",
                     (digest_of(str(token)), kind, ident, LEGACY, created))
    conn.execute("DROP TABLE tokens")
    conn.commit()
    conn.execute("VACUUM")  # the raw tokens leave the file, not only the table


def _version(row: tuple[object, ...]) -> Version:
    ident, period, plan_version, folder, published = row
    return Version(int(str(ident)), str(period), int(str(plan_version)), Path(str(folder)),
                   dt.datetime.fromisoformat(str(published)))
