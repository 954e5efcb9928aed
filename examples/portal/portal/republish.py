"""Re-publishing in the background after a request is recorded, many requests at once.

Recording a request must answer at once (the office's operator has the
villager on the phone), and a publication plans the whole period again —
seconds for a county, longer with many open requests. So the form stores the
request and asks the :class:`Republisher`; its thread runs ``python -m
portal replan`` as a child process when asked, and requests that arrive
meanwhile wait for the next round: a hundred requests a second make a
publication or two, not a hundred. A child process, not a thread, so the
planning never holds the web workers' interpreter lock; the portal's lock
file keeps one publication at a time across processes and workers.

Each round books every stored request with the library
(:meth:`portal.publish.Portal.publish`), re-publishes the feeds that changed
(SEQUENCE + 1) and calls the ``plan_published`` hook, so the outbox queues
the advisors' notifications.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

from .publish import Portal

__all__ = ["Republisher"]

log = logging.getLogger(__name__)


class Republisher:
    """One background thread per process, publishing whenever :meth:`wanted` was called."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[str] | None = None
        self._closed = False
        self._busy = False
        self.rounds = 0
        """Publications this process started."""
        self.error: str = ""
        """Why the last round failed (empty after a success)."""

    def wanted(self) -> None:
        """Ask for a publication (returns at once)."""
        self._wanted.set()
        with self._lock:
            if self._closed:
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="republisher",
                                                 daemon=True)
                self._thread.start()

    def settle(self, seconds: float = 120.0) -> bool:
        """Wait until nothing is asked for or being published; ``False`` on time-out."""
        deadline = time.monotonic() + seconds
        while (self._wanted.is_set() or self._busy) and not self._closed:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        """Stop: no new round, and a running one is ended (its version is not recorded)."""
        with self._lock:
            self._closed = True
            child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "portal", "--data", str(self.portal.data), "replan"]

    def _run(self) -> None:
        while self._wanted.wait(timeout=60):
            with self._lock:
                if self._closed:
                    return
                self._busy = True
                self._wanted.clear()  # what arrives from now on waits for the next round
                self._child = subprocess.Popen(
                    self._command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True,
                    # the URL may hold a password: through the environment, not argv
                    env=dict(os.environ, ADVISORS_PORTAL_DB=self.portal.url))
                child = self._child
            try:
                _, stderr = child.communicate()
                self.rounds += 1
                self.error = "" if child.returncode == 0 else (
                    stderr.strip().splitlines() or [f"exit {child.returncode}"])[-1]
                if self.error:
                    log.error("re-publishing after a request failed: %s", self.error)
            finally:
                with self._lock:
                    self._child = None
                    self._busy = False
        with self._lock:
            self._thread = None
        if self._wanted.is_set():  # asked while the thread was leaving
            self.wanted()
