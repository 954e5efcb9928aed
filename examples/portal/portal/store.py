"""The portal's publication state in its database (never served).

* ``settings`` — the dataset source and the period the portal publishes, the
  key that signs session cookies;
* ``credentials`` — the digest of each token (see :mod:`portal.tokens`):
  advisors and trainers (their personal feed and sign-in link), township
  offices and liaison officers, the hotline, the administrator; rotating
  replaces it, so the old URL stops working at once;
* ``versions`` — every publication: the plan's period and version and the
  folder its outputs were exported into;
* ``resources`` — per version, every file the portal serves with its ETag
  (a hash of its bytes) and Last-Modified (carried over from the previous
  version while the bytes are the same, so a phone that asks "changed since?"
  hears "no" until its feed really changes).

The work the portal collects (services, feedback, requests) is in
:mod:`portal.records`, in the same database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import sqlalchemy as sa

from .db import connect, new_id, read, tables
from .tokens import (
    MAX_LENGTH,
    PERSONAL_KINDS,
    digest_of,
    equal_digests,
    new_token,
    same_digest,
)

__all__ = ["PERSONAL_KINDS", "Resource", "Store", "Version", "new_token"]


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


@attrs.frozen
class Store:
    """The portal database at ``url`` (an SQLAlchemy URL)."""

    url: str

    # settings ---------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        """Every stored setting."""
        t = tables.settings
        with connect(self.url) as conn:
            return {str(k): str(v) for k, v in conn.execute(sa.select(t.c.key, t.c.value))}

    def save_settings(self, values: Mapping[str, str]) -> None:
        """Store settings (replacing those of the same key)."""
        t = tables.settings
        with connect(self.url, write=True) as conn:
            for key, value in sorted(values.items()):
                conn.execute(t.delete().where(t.c.key == key))
                conn.execute(t.insert().values(key=key, value=value))

    def setting(self, key: str, make: str) -> str:
        """The setting ``key``, stored as ``make`` first if absent (first writer wins)."""
        t = tables.settings
        with connect(self.url) as conn:
            found = conn.execute(sa.select(t.c.value).where(t.c.key == key)).scalar()
            if found is not None:
                return str(found)
        try:
            with connect(self.url, write=True) as conn:
                conn.execute(t.insert().values(key=key, value=make))
        except sa.exc.IntegrityError:
            pass  # another process stored it first
        with connect(self.url) as conn:
            return str(conn.execute(sa.select(t.c.value).where(t.c.key == key)).scalar_one())

    # tokens -----------------------------------------------------------------------------

    def owner_of(self, token: str) -> tuple[str, str] | None:
        """Whose token this is: ``(kind, ident)``, or ``None`` for an unknown or rotated one."""
        if not token or len(token) > MAX_LENGTH:
            return None
        t = tables.credentials
        with read(self.url) as conn:
            row = conn.execute(sa.select(t.c.digest, t.c.kind, t.c.ident)
                               .where(t.c.digest == digest_of(token))).first()
        if row is None or not same_digest(str(row[0]), token):
            return None
        return str(row[1]), str(row[2])

    def holds(self, kind: str, ident: str, digest: str) -> bool:
        """Whether ``digest`` is still the token of ``(kind, ident)`` (a session's check)."""
        t = tables.credentials
        with read(self.url) as conn:
            row = conn.execute(sa.select(t.c.digest).where(t.c.kind == kind,
                                                           t.c.ident == ident)).first()
        return row is not None and len(digest) == 64 and equal_digests(str(row[0]), digest)

    def has_token(self, kind: str, ident: str) -> bool:
        """Whether ``(kind, ident)`` has a token."""
        return self.issued(kind, ident) is not None

    def issued(self, kind: str, ident: str) -> dt.datetime | None:
        """When the current token of ``(kind, ident)`` was made."""
        t = tables.credentials
        with connect(self.url) as conn:
            found = conn.execute(sa.select(t.c.created).where(t.c.kind == kind,
                                                              t.c.ident == ident)).scalar()
        return None if found is None else dt.datetime.fromisoformat(str(found))

    def rotate(self, kind: str, ident: str) -> str:
        """Give ``(kind, ident)`` a new token (the old one stops working) and return it.

        The token is returned this once: only its digest is kept.
        """
        token = new_token()
        t = tables.credentials
        with connect(self.url, write=True) as conn:
            conn.execute(t.delete().where(t.c.kind == kind, t.c.ident == ident))
            conn.execute(t.insert().values(digest=digest_of(token), kind=kind, ident=ident,
                                           created=_now().isoformat()))
        return token

    issue = rotate

    def issue_missing(self, owners: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
        """Give every owner without a token one; ``(kind, ident, token)`` of those made."""
        made = []
        for kind, ident in owners:
            if not self.has_token(kind, ident):
                made.append((kind, ident, self.rotate(kind, ident)))
        return made

    def owners(self) -> list[tuple[str, str, dt.datetime]]:
        """``(kind, ident, issued)`` of every token, sorted."""
        t = tables.credentials
        with connect(self.url) as conn:
            rows = conn.execute(sa.select(t.c.kind, t.c.ident, t.c.created)
                                .order_by(t.c.kind, t.c.ident)).all()
        return [(str(k), str(i), dt.datetime.fromisoformat(str(c))) for k, i, c in rows]

    # versions ---------------------------------------------------------------------------

    def current(self) -> Version | None:
        """The latest publication."""
        t = tables.versions
        with read(self.url) as conn:
            row = conn.execute(sa.select(t).order_by(t.c.id.desc()).limit(1)).first()
        return None if row is None else _version(tuple(row))

    def versions(self) -> list[Version]:
        """Every publication still kept, oldest first."""
        t = tables.versions
        with connect(self.url) as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.id)).all()
        return [_version(tuple(r)) for r in rows]

    def resource(self, version: int, path: str) -> Resource | None:
        """A served file of ``version``."""
        t = tables.resources
        with read(self.url) as conn:
            row = conn.execute(sa.select(t.c.path, t.c.etag, t.c.modified)
                               .where(t.c.version == version, t.c.path == path)).first()
        if row is None:
            return None
        return Resource(str(row[0]), str(row[1]), dt.datetime.fromisoformat(str(row[2])))

    def resources(self, version: int) -> dict[str, Resource]:
        """Every served file of ``version``, by path."""
        t = tables.resources
        with connect(self.url) as conn:
            rows = conn.execute(sa.select(t.c.path, t.c.etag, t.c.modified)
                                .where(t.c.version == version)).all()
        return {str(p): Resource(str(p), str(e), dt.datetime.fromisoformat(str(m)))
                for p, e, m in rows}

    def add_version(self, period: str, plan_version: int, folder: Path,
                    etags: Mapping[str, str], now: dt.datetime | None = None) -> Version:
        """Record a publication and its files; unchanged files keep their Last-Modified."""
        when = (now or _now()).replace(microsecond=0)
        before = self.current()
        kept = self.resources(before.id) if before is not None else {}
        with connect(self.url, write=True) as conn:
            ident = new_id(conn.execute(
                tables.versions.insert().values(period=period, plan_version=plan_version,
                                                folder=str(folder),
                                                published_at=when.isoformat())))
            rows = []
            for path, etag in sorted(etags.items()):
                old = kept.get(path)
                modified = old.modified if old is not None and old.etag == etag else when
                rows.append({"version": ident, "path": path, "etag": etag,
                             "modified": modified.isoformat()})
            if rows:
                conn.execute(tables.resources.insert(), rows)
        return Version(ident, period, plan_version, Path(folder), when)

    def forget(self, version: int) -> None:
        """Drop a publication's records (its folder is removed by the caller)."""
        with connect(self.url, write=True) as conn:
            conn.execute(tables.resources.delete().where(tables.resources.c.version == version))
            conn.execute(tables.versions.delete().where(tables.versions.c.id == version))


def _version(row: tuple[object, ...]) -> Version:
    ident, period, plan_version, folder, published = row
    return Version(int(str(ident)), str(period), int(str(plan_version)), Path(str(folder)),
                   dt.datetime.fromisoformat(str(published)))
