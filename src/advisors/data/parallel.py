"""Read the big files of a large folder in a second process while this one reads the rest.

At national scale ``people.csv`` holds two thirds of the bytes. A forked
worker decodes it (and, if that balances the two processes, another big
file) and parses it column by column
(:class:`~advisors.data.columnar.ColumnParser`), sending each block of
lines back in a compact form (a few strings and arrays, cheap to pickle);
this process builds the records. A block that is not clean comes back as
its text and is parsed row by row here, so every problem is still reported
with its line, exactly as without the worker.

Only used where it pays (large files, two CPUs, ``fork`` available, no other
thread running). If the worker fails in any way, the rest of its files is
read here as usual: the result never depends on whether the worker ran.
"""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import ProblemList
from .columnar import ColumnParser
from .columns import Column, FileSpec, read_header
from .text import TextLines, csv_rows, decode, simple_lines

__all__ = ["MIN_BYTES", "Pending", "Prefetched", "prefetch"]

MIN_BYTES = 32 << 20
"""A worker starts only for a file of this size or more."""

WORKER_SHARE = 0.8
"""Another big file goes to the worker too while its share of the bytes stays below this."""

TEXT_CHUNK = 32768
"""Lines per block: what the worker sends at once, and what is parsed column by column."""


class Prefetched:
    """A file the worker parses: its header, then its blocks as they arrive."""

    def __init__(self, first_line: int, header: list[str], delimiter: str,
                 pending: Pending) -> None:
        self.first_line = first_line
        """Line of the first row."""
        self.header = header
        """The header row."""
        self.delimiter = delimiter
        """The cell separator."""
        self._pending = pending

    def blocks(self) -> Iterator[tuple[Any, ...]]:
        """``("ok", first line, rows, packed values)``, ``("raw", first line, text)`` (a block
        the worker could not parse column by column) or ``("rest", first line, text)``.

        Should the worker fail half-way, the rest of the file is read here
        and comes as ``rest`` blocks, never tried yet: the whole file always
        comes through.
        """
        line = self.first_line
        for block in self._pending.blocks():
            if block is None:  # the worker failed: read the rest here
                yield from self._rest(line)
                return
            yield block
            line = block[1] + (block[2] if block[0] == "ok" else block[2].count("\n") + 1)

    def _rest(self, line: int) -> Iterator[tuple[Any, ...]]:
        text = decode(self._pending.path.read_bytes(), "", ProblemList())
        if text is None:  # the file changed under us
            raise OSError(f"{self._pending.path} changed while it was read")
        lines = itertools.islice(simple_lines(text), line - 1, None)
        while block := list(itertools.islice(lines, TEXT_CHUNK)):
            yield ("rest", line, "\n".join(block))
            line += len(block)

    def __iter__(self) -> Iterator[tuple[int, Sequence[str]]]:
        for block in self.blocks():
            if block[0] == "ok":
                raise RuntimeError("a prefetched file is read through parse_rows")
            lines = block[2].split("\n")
            reader = csv.reader(lines, delimiter=self.delimiter)
            yield from zip(range(block[1], block[1] + len(lines)), reader, strict=True)


class _Worker:
    """The worker process and the thread that takes its messages off the pipe.

    The thread reads as messages come (a pipe holds only kilobytes: unread,
    it would stop the worker until this process got to the file) and sorts
    them by file; they are unpickled when the file's turn comes.
    """

    def __init__(self, process: Any, conn: Connection, names: Sequence[str]) -> None:
        self._process = process
        self._conn = conn
        self.inboxes: dict[str, queue.SimpleQueue[bytes | None]] = {
            name: queue.SimpleQueue() for name in names}
        self._reader = threading.Thread(target=self._drain, daemon=True,
                                        name="advisors-load-reader")
        self._reader.start()

    def _drain(self) -> None:
        try:
            while True:
                data = self._conn.recv_bytes()
                name, _, _ = data.partition(b"\0")
                self.inboxes[name.decode()].put(data[len(name) + 1:])
        except (EOFError, OSError, KeyError, UnicodeDecodeError):
            pass
        finally:
            for inbox in self.inboxes.values():  # ends any file not ended yet
                inbox.put(None)

    def close(self) -> None:
        """Stop the worker (if still running) and release it."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._reader.join()  # the pipe is at its end now: the reader has stopped
        self._conn.close()


class Pending:
    """One file a worker reads."""

    def __init__(self, worker: _Worker, name: str, path: Path) -> None:
        self.worker = worker
        """The worker reading it (possibly with other files)."""
        self._inbox = worker.inboxes[name]
        self.path = path
        """The file."""

    def _receive(self) -> tuple[Any, ...] | None:
        data = self._inbox.get()
        if data is None:
            return None
        try:
            message: tuple[Any, ...] = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, ValueError):
            return None
        return message if message[0] in ("head", "ok", "raw", "end") else None

    def result(self) -> Prefetched | None:
        """The file as the worker parses it, or ``None`` if it cannot (read it here)."""
        head = self._receive()
        if head is None or head[0] != "head":
            return None
        return Prefetched(head[1], head[2], head[3], self)

    def blocks(self) -> Iterator[tuple[Any, ...] | None]:
        """The blocks as they come; ``None`` last if the worker failed."""
        while True:
            message = self._receive()
            if message is None or message[0] == "head":
                yield None
                return
            if message[0] == "end":
                return
            yield message

    def close(self) -> None:
        """Stop the worker: no more of its files are wanted."""
        self.worker.close()


def prefetch(root: Path, specs: Sequence[FileSpec]) -> dict[str, Pending]:
    """Start a worker for the biggest files of ``root`` if the folder is large; else nothing."""
    sizes: dict[str, int] = {}
    for spec in specs:
        try:
            sizes[spec.collection] = (root / spec.filename).stat().st_size
        except OSError:
            continue
    if not sizes or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return {}
    if "fork" not in multiprocessing.get_all_start_methods():
        return {}
    total = sum(sizes.values())
    biggest = max(sizes, key=lambda n: sizes[n])
    if sizes[biggest] < MIN_BYTES or total - sizes[biggest] < MIN_BYTES // 4:
        return {}
    chosen = {biggest}
    share = sizes[biggest]
    for name in sorted(sizes, key=lambda n: -sizes[n]):
        if name not in chosen and sizes[name] >= MIN_BYTES // 8 and (
                share + sizes[name] <= WORKER_SHARE * total):
            chosen.add(name)
            share += sizes[name]
    mine = [spec for spec in specs if spec.collection in chosen]  # in reading order
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    _widen(send)
    process = context.Process(target=_work, args=(root, mine, send), daemon=True)
    try:
        process.start()
    except (OSError, AssertionError):  # AssertionError: a daemonic process may not fork
        receive.close()
        send.close()
        return {}
    send.close()
    worker = _Worker(process, receive, [spec.collection for spec in mine])
    return {spec.collection: Pending(worker, spec.collection, root / spec.filename)
            for spec in mine}


PIPE_BYTES = 1 << 20
"""Pipe buffer asked for (Linux): a block then crosses in a read or two."""


def _widen(conn: Connection) -> None:
    """Enlarge the pipe's buffer where the system allows it.

    Each read of the pipe takes the reader thread the GIL, which this process
    (busy building records) hands over only every few milliseconds: with the
    default 64 KiB buffer a block needs dozens of reads, and the worker waits.
    """
    try:
        import fcntl

        setting = fcntl.F_SETPIPE_SZ
    except (ImportError, AttributeError):
        return
    for size in (PIPE_BYTES, PIPE_BYTES // 4):  # a user over the system's quota gets less
        try:
            fcntl.fcntl(conn.fileno(), setting, size)
        except OSError:
            continue  # a smaller buffer is only slower
        return


def clean_plan(spec: FileSpec, header: Sequence[str]) -> list[tuple[Column, int | None]] | None:
    """The plan :func:`~advisors.data.records.parse_rows` makes for a header without problems.

    ``None`` if the header has any problem or extra column: such a file is read here.
    """
    found = read_header(spec, header)
    if found.duplicates or found.missing or found.extras:
        return None
    return found.plan


def _work(root: Path, specs: Sequence[FileSpec], conn: Connection) -> None:
    """The worker: parse each file and send its blocks, tagged with its collection."""
    try:
        for spec in specs:
            prefix = spec.collection.encode() + b"\0"

            def send(message: tuple[Any, ...], prefix: bytes = prefix) -> None:
                conn.send_bytes(prefix + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

            _work_file(root / spec.filename, spec, send)
    except BaseException:
        pass
    finally:
        conn.close()


def _work_file(path: Path, spec: FileSpec, send: Any) -> None:
    problems = ProblemList()
    text = decode(path.read_bytes(), spec.filename, problems)
    if text is None or problems.items:
        send(("skip",))
        return
    header, rows = csv_rows(text, spec.filename, problems)
    plan = clean_plan(spec, header) if header else None
    if problems.items or not isinstance(rows, TextLines) or plan is None:
        send(("skip",))
        return
    send(("head", rows.first_line, header, rows.delimiter))
    parser = ColumnParser(spec, plan, len(header), packed=True)
    for lines, block in rows.blocks(TEXT_CHUNK):
        try:
            packed = parser.values(block, rows.delimiter)
        except (ValueError, LookupError):
            send(("raw", lines.start, "\n".join(block)))
        else:
            send(("ok", lines.start, len(block), packed))
    send(("end",))
