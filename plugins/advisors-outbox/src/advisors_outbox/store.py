"""The outbox: an SQLite table of rendered messages waiting for a sender.

A message is one text for one recipient on one channel about one or more
events. Each (event id, SEQUENCE, channel, recipient) it is about is recorded
in ``outbox_key``, so queueing the messages of a plan that was already
published adds nothing: a message is queued only when one of its keys is new.
An event that moves gets a higher SEQUENCE, hence a new key, hence a new
message — exactly what a person must be told.

A sender (SMS gateway, WeChat template messages, SMTP) reads pending rows,
looks the recipient's address up in its own directory (phones are never
copied here), sends, and calls :meth:`Outbox.mark_sent` or
:meth:`Outbox.mark_failed`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

__all__ = ["SCHEMA", "Message", "Outbox"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient      TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    period         TEXT NOT NULL,
    plan_version   INTEGER NOT NULL,
    sms_segments   INTEGER,
    queued_at      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending',
    attempts       INTEGER NOT NULL DEFAULT 0,
    sent_at        TEXT,
    last_error     TEXT
);
CREATE TABLE IF NOT EXISTS outbox_key (
    event_id  TEXT NOT NULL,
    sequence  INTEGER NOT NULL,
    channel   TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message   INTEGER NOT NULL REFERENCES outbox(id),
    PRIMARY KEY (event_id, sequence, channel, recipient)
);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status, channel, id);
"""
"""Tables ``outbox`` (one row per message) and ``outbox_key`` (what makes it unique)."""


@attrs.frozen
class Message:
    """A rendered notification, ready to queue."""

    recipient: str
    """``advisor:adv-01``, ``trainer:tr-02`` or ``person:p-…``; the sender resolves it."""
    recipient_name: str
    channel: str
    """``sms``, ``wechat`` or ``email``."""
    kind: str
    """``plan`` (the first plan's summary) or ``changes``."""
    subject: str
    body: str
    period: str
    plan_version: int
    events: tuple[tuple[str, int], ...]
    """(event id, SEQUENCE) of every event the message is about."""
    address: str = ""
    """The email address for the email channel (known to the dataset); else empty."""
    sms_segments: int | None = None
    """SMS segments the body takes (``None`` for other channels)."""

    def keys(self) -> list[tuple[str, int, str, str]]:
        """The (event id, SEQUENCE, channel, recipient) keys of this message."""
        return [(event, seq, self.channel, self.recipient) for event, seq in self.events]


@attrs.frozen
class Outbox:
    """An outbox database file (created on first use, with its parent folder)."""

    path: Path = attrs.field(converter=Path)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection with the schema in place; commits on success, rolls back on error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # owner-only from the first byte (addresses and messages), as the portal's database
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")  # the sender reads while a plan is queued
            conn.executescript(SCHEMA)
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def queue(self, messages: Iterable[Message], *, now: dt.datetime | None = None) -> int:
        """Queue the messages whose keys are not all known yet; return how many were queued.

        All in one transaction: a crash queues all or nothing.
        """
        when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        added = 0
        with self.connect() as conn:
            for message in messages:
                keys = message.keys()
                known = sum(
                    conn.execute(
                        "SELECT 1 FROM outbox_key WHERE event_id=? AND sequence=? "
                        "AND channel=? AND recipient=?", key).fetchone() is not None
                    for key in keys)
                if keys and known == len(keys):
                    continue
                cursor = conn.execute(
                    "INSERT INTO outbox (recipient, recipient_name, address, channel, kind, "
                    "subject, body, period, plan_version, sms_segments, queued_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (message.recipient, message.recipient_name, message.address,
                     message.channel, message.kind, message.subject, message.body,
                     message.period, message.plan_version, message.sms_segments, when))
                conn.executemany(
                    "INSERT OR IGNORE INTO outbox_key (event_id, sequence, channel, recipient, "
                    "message) VALUES (?, ?, ?, ?, ?)",
                    [(*key, cursor.lastrowid) for key in keys])
                added += 1
        return added

    def pending(self, channel: str | None = None, limit: int = 100) -> list[sqlite3.Row]:
        """The oldest messages not sent yet (optionally of one channel)."""
        query = "SELECT * FROM outbox WHERE status != 'sent'"
        args: tuple[object, ...] = ()
        if channel is not None:
            query += " AND channel = ?"
            args = (channel,)
        with self.connect() as conn:
            return conn.execute(query + " ORDER BY id LIMIT ?", (*args, limit)).fetchall()

    def mark_sent(self, message_id: int, *, now: dt.datetime | None = None) -> None:
        """Record that a message went out."""
        when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        with self.connect() as conn:
            conn.execute("UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1 "
                         "WHERE id=?", (when, message_id))

    def mark_failed(self, message_id: int, error: str) -> None:
        """Record a failed attempt; the message stays pending for the next round."""
        with self.connect() as conn:
            conn.execute("UPDATE outbox SET status='failed', attempts=attempts+1, last_error=? "
                         "WHERE id=?", (error[:500], message_id))

    def count(self, status: str | None = None) -> int:
        """How many messages the outbox holds (of one status)."""
        with self.connect() as conn:
            if status is None:
                row = conn.execute("SELECT COUNT(*) FROM outbox").fetchone()
            else:
                row = conn.execute("SELECT COUNT(*) FROM outbox WHERE status=?",
                                   (status,)).fetchone()
        return int(row[0])
