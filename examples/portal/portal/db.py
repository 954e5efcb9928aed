"""The portal's database: SQLAlchemy Core tables, one engine per URL, versioned migrations.

SQLite by default (``portal.sqlite3`` in the data folder, created owner-only,
WAL so readers never wait for a writer), PostgreSQL when given a URL such as
``postgresql+psycopg://portal@/advisors`` (``--db`` or ``$ADVISORS_PORTAL_DB``):
the same tables and queries serve both.

Migrations are an ordered list of Python functions over Core DDL, recorded
in ``schema_version``. Why not Alembic: the portal is a pip-installed example
whose schema is created by whoever runs it, on either database, at start-up;
a list of numbered functions run in one transaction (under an advisory lock
on PostgreSQL, the write lock on SQLite) needs no ``alembic.ini``/``env.py``
beside the package and no second tool to learn, and it migrates the file of
an older portal in place (migration 2 hashes the tokens that version 0.1
stored in clear). A deployment that grows a DBA can adopt Alembic later by
stamping its baseline at the last number here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .tokens import digest_of

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "connect",
    "engine_for",
    "forget_engine",
    "metadata",
    "migrate",
    "new_id",
    "read",
    "sqlite_url",
    "tables",
]

metadata = sa.MetaData()

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False))

credentials = sa.Table(
    "credentials", metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("ident", sa.String(100), nullable=False),
    sa.Column("created", sa.String(32), nullable=False),
    sa.UniqueConstraint("kind", "ident", name="credentials_owner"))

versions = sa.Table(
    "versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("period", sa.String(20), nullable=False),
    sa.Column("plan_version", sa.Integer, nullable=False),
    sa.Column("folder", sa.Text, nullable=False),
    sa.Column("published_at", sa.String(32), nullable=False))

resources = sa.Table(
    "resources", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.id"), primary_key=True),
    sa.Column("path", sa.String(400), primary_key=True),
    sa.Column("etag", sa.String(64), nullable=False),
    sa.Column("modified", sa.String(32), nullable=False))

services = sa.Table(
    "services", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission", sa.String(64), nullable=False, unique=True),
    sa.Column("advisor", sa.String(100), nullable=False, index=True),
    sa.Column("village", sa.String(100), nullable=False),
    sa.Column("date", sa.String(10), nullable=False, index=True),
    sa.Column("start", sa.String(5), nullable=False),
    sa.Column("end", sa.String(5), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("people_served", sa.Integer, nullable=True),
    sa.Column("consultations", sa.Text, nullable=False, default=""),
    sa.Column("disputes", sa.Integer, nullable=False, default=0),
    sa.Column("appointment", sa.String(100), nullable=False, default=""),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("visit", sa.String(200), nullable=False, default=""),
    sa.Column("updated_at", sa.String(32), nullable=False))

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("who", sa.String(120), nullable=False),
    sa.Column("what", sa.String(30), nullable=False),
    sa.Column("entity", sa.String(30), nullable=False),
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("before", sa.Text, nullable=False, default=""),
    sa.Column("after", sa.Text, nullable=False, default=""),
    sa.Index("audit_entity", "entity", "entity_id"))

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission", sa.String(64), nullable=False, unique=True),
    sa.Column("advisor", sa.String(100), nullable=False),
    sa.Column("village", sa.String(100), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("recorded_by", sa.String(120), nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False))

requests = sa.Table(
    "requests", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission", sa.String(64), nullable=False, unique=True),
    sa.Column("ref", sa.String(40), nullable=False, unique=True),
    sa.Column("township", sa.String(100), nullable=False, index=True),
    sa.Column("village", sa.String(100), nullable=False),
    sa.Column("grp", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("received_on", sa.String(10), nullable=False),
    sa.Column("languages", sa.String(100), nullable=False, default=""),
    sa.Column("requester", sa.Text, nullable=False, default=""),
    sa.Column("phone", sa.String(40), nullable=False, default=""),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("recorded_by", sa.String(120), nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False))


class _Tables:
    """The tables by name (``tables.services`` …)."""

    settings = settings
    credentials = credentials
    versions = versions
    resources = resources
    services = services
    audit = audit
    feedback = feedback
    requests = requests


tables = _Tables()


# --- migrations ------------------------------------------------------------------------------

def _m1_publications(conn: Connection) -> None:
    for table in (settings, versions, resources):
        table.create(conn, checkfirst=True)


def _m2_hashed_tokens(conn: Connection) -> None:
    """Tokens are kept as SHA-256 digests. An older portal's file is converted in place:
    0.1's clear-text ``tokens`` are hashed, 0.2's ``token_digests`` (tokens derived
    from ``token.key``) are carried over as they are; either way the URLs handed out
    keep working until rotated."""
    credentials.create(conn, checkfirst=True)
    inspector = sa.inspect(conn)
    for name, column in (("tokens", "token"), ("token_digests", "digest")):
        if not inspector.has_table(name):
            continue
        old = sa.Table(name, sa.MetaData(), autoload_with=conn)
        rows = conn.execute(sa.select(old.c[column], old.c.kind, old.c.ident, old.c.created))
        values = [{"digest": digest_of(t) if column == "token" else t,
                   "kind": k, "ident": i, "created": c} for t, k, i, c in rows]
        if values:
            conn.execute(credentials.insert(), values)
        old.drop(conn)


def _m3_work(conn: Connection) -> None:
    for table in (services, audit, feedback, requests):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "settings, published versions and their files", _m1_publications),
    (2, "tokens stored hashed", _m2_hashed_tokens),
    (3, "services, audit trail, feedback, requests", _m3_work),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
"""The schema this code expects."""

_schema_version = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("description", sa.Text, nullable=False))


def migrate(engine: Engine) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; return how many migrations ran."""
    ran = 0
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(2026120301)"))
        _schema_version.create(conn, checkfirst=True)
        done = set(conn.execute(sa.select(_schema_version.c.version)).scalars())
        for number, description, step in MIGRATIONS:
            if number not in done:
                step(conn)
                conn.execute(_schema_version.insert().values(version=number,
                                                             description=description))
                ran += 1
    if ran and engine.dialect.name == "sqlite":
        _scrub(engine)
    return ran


def _scrub(engine: Engine) -> None:
    """Rewrite an SQLite file after migrating it: the rows of dropped tables (an older
    portal's clear-text tokens) leave the file's free pages and the WAL, not only the
    table."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


# --- engines ---------------------------------------------------------------------------------

def sqlite_url(path: Path) -> str:
    """The URL of an SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def _sqlite_pragmas(dbapi: Any, _record: Any) -> None:
    cursor = dbapi.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    # in WAL mode NORMAL syncs at checkpoints: a crash of the process loses nothing,
    # only a power cut may lose the last commits (FULL fsyncs every form: 5x slower)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(url: str) -> Engine:
    """The process's engine for ``url``, the schema migrated on first use."""
    with _LOCK:
        found = _ENGINES.get(url)
        if found is not None:
            return found
        made = sa.make_url(url)
        if made.get_backend_name() == "sqlite":
            database = made.database or ""
            if database and database != ":memory:":
                path = Path(database)
                path.parent.mkdir(parents=True, exist_ok=True)
                # owner-only from the first byte: tokens' digests and villagers' requests
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
                path.chmod(0o600)
            engine = sa.create_engine(url, connect_args={"timeout": 30,
                                                         "check_same_thread": False})
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        migrate(engine)
        _ENGINES[url] = engine
        return engine


def forget_engine(url: str) -> None:
    """Close and forget the engine of ``url`` (tests that remove the database)."""
    with _LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key an ``INSERT`` made."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])


_WRITERS: dict[str, threading.Lock] = {}


@contextmanager
def read(url: str) -> Iterator[Connection]:
    """A connection for one reading statement, outside a transaction: it sees the last
    commit, and costs no ``BEGIN``/``COMMIT`` round trips (what every request asks: the
    session's token, the current version, a feed's validators)."""
    with engine_for(url).connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def connect(url: str, *, write: bool = False) -> Iterator[Connection]:
    """A connection in one transaction, committed on success.

    ``write``: the transaction writes. On SQLite the process's writers then
    take turns on a lock of their own: SQLite has one writer at a time, and
    threads that meet on its file lock sleep in its busy handler (steps of up
    to 100 ms) or, having read first under WAL, fail at their first write.
    Other processes (the publishing worker) still wait on the file lock.
    PostgreSQL writes concurrently: no lock there.
    """
    engine = engine_for(url)
    lock = _WRITERS.get(url) if write and engine.dialect.name == "sqlite" else None
    if write and lock is None and engine.dialect.name == "sqlite":
        with _LOCK:
            lock = _WRITERS.setdefault(url, threading.Lock())
    if lock is None:
        with engine.begin() as conn:
            yield conn
        return
    with lock, engine.begin() as conn:
        yield conn
