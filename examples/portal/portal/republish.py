"""Re-publishing in the background after a request is recorded, many requests at once.

Recording a request must answer at once (the office's operator has the
villager on the phone), and a publication plans the whole period again —
seconds for a county, longer with many open requests. So the form stores the
request and asks the :class:`Republisher`. Its thread hands the round to a
worker process (``python -m portal worker``, started once and kept: the
library and the exporters are imported once, not per round) and the requests
that arrive meanwhile wait for the next round.

Rounds are batched: a round starts ``gather`` seconds after the first request
that wants it (a burst is booked together) and at least ``spacing`` seconds
after the previous round ended, so a hundred requests a second make one
publication every few seconds, not a hundred, and the web workers keep most
of the machine. A process, not a thread, so the planning never holds the web
workers' interpreter lock; the portal's lock file keeps one publication at a
time across processes and workers.

Each round books every stored request with the library
(:meth:`portal.publish.Portal.publish`), re-publishes the feeds that changed
(SEQUENCE + 1) and calls the ``plan_published`` hook, so the outbox queues
the advisors' notifications.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from typing import Any

from .publish import Portal

__all__ = ["GATHER", "SPACING", "WORKER_MARK", "Republisher"]

log = logging.getLogger(__name__)

GATHER = 0.2
"""Seconds a round waits after the first request that wants it, for the rest of a burst."""
SPACING = 2.0
"""Seconds between the end of a round and the start of the next (``ADVISORS_PORTAL_SPACING``)."""
WORKER_MARK = "portal-worker: "
"""The prefix of the worker's answer lines (anything else on its stdout is not an answer)."""


class Republisher:
    """One background thread per process, publishing whenever :meth:`wanted` was called."""

    def __init__(self, portal: Portal, *, gather: float = GATHER,
                 spacing: float | None = None) -> None:
        self.portal = portal
        self.gather = gather
        self.spacing = (float(os.environ.get("ADVISORS_PORTAL_SPACING", SPACING))
                        if spacing is None else spacing)
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._busy = False
        self._ended = 0.0
        self.rounds = 0
        """Publications this process asked for."""
        self.error: str = ""
        """Why the last round failed (empty after a success)."""

    def wanted(self) -> None:
        """Ask for a publication (returns at once)."""
        self._wanted.set()
        with self._lock:
            if self._stop.is_set():
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="republisher",
                                                daemon=True)
                self._thread.start()

    def settle(self, seconds: float = 120.0) -> bool:
        """Wait until nothing is asked for or being published; ``False`` on time-out."""
        deadline = time.monotonic() + seconds
        while (self._wanted.is_set() or self._busy) and not self._stop.is_set():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        """Stop: no new round, and a running one is ended (its version is not recorded)."""
        with self._lock:
            self._stop.set()
            worker, self._worker = self._worker, None
        if worker is not None:
            _end(worker)

    def _start_worker(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "portal", "--data", str(self.portal.data), "worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, text=True,
            encoding="utf-8", bufsize=1,
            # the URL may hold a password: through the environment, not argv
            env=dict(os.environ, ADVISORS_PORTAL_DB=self.portal.url))

    def _run(self) -> None:
        while self._wanted.wait(timeout=60):
            # a burst is booked together, and rounds leave the machine to the forms between
            pause = max(self.gather, self._ended + self.spacing - time.monotonic())
            if self._stop.wait(pause):
                return
            with self._lock:
                if self._stop.is_set():
                    return
                self._busy = True
                self._wanted.clear()  # what arrives from now on waits for the next round
                if self._worker is None or self._worker.poll() is not None:
                    self._worker = self._start_worker()
                worker = self._worker
            try:
                self._round(worker)
            finally:
                self._ended = time.monotonic()
                with self._lock:
                    self._busy = False
        with self._lock:
            self._thread = None
        if self._wanted.is_set():  # asked while the thread was leaving
            self.wanted()

    def _round(self, worker: subprocess.Popen[str]) -> None:
        """One publication by the worker; its answer read (or its end noticed)."""
        self.rounds += 1
        answer: dict[str, Any] | None = None
        try:
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write("publish\n")
            worker.stdin.flush()
            for line in worker.stdout:
                if line.startswith(WORKER_MARK):
                    answer = json.loads(line.removeprefix(WORKER_MARK))
                    break
        except (OSError, ValueError):  # the worker was ended (close) or died
            answer = None
        if answer is None:
            if self._stop.is_set():
                return
            code = worker.poll()
            self.error = f"the publishing worker ended (exit {code})"
        else:
            self.error = "" if answer.get("ok") else str(answer.get("error", "failed"))
        if self.error:
            log.error("re-publishing after a request failed: %s", self.error)


def _end(worker: subprocess.Popen[str]) -> None:
    """End a worker, even in a round (a version it had not recorded is not published)."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    for stream in (worker.stdin, worker.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
