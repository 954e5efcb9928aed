"""Re-publishing in the background after a request is recorded, many requests at once.

Recording a request must answer at once (the office's operator has the
villager on the phone), and a publication plans the whole period again
(about a second or two for a county). So the form stores the request and
asks the :class:`Republisher`; its thread publishes when asked, and requests
that arrive meanwhile wait for the next round — a hundred requests a second
make a publication or two, not a hundred. Each publication books every
stored request with the library (:meth:`portal.publish.Portal.publish`),
re-publishes the feeds that changed (SEQUENCE + 1) and calls the
``plan_published`` hook, so the outbox queues the advisors' notifications.
"""

from __future__ import annotations

import logging
import threading
import time

import advisors

from .publish import Portal, Published

__all__ = ["Republisher"]

log = logging.getLogger(__name__)


class Republisher:
    """One background thread per process publishing whenever :meth:`wanted` was called."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.last: Published | None = None
        """The last publication this thread made."""
        self.error: str = ""
        """Why the last attempt failed (empty after a success)."""
        self._busy = False

    def wanted(self) -> None:
        """Ask for a publication (returns at once)."""
        self._wanted.set()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="republisher",
                                                 daemon=True)
                self._thread.start()

    def settle(self, seconds: float = 120.0) -> bool:
        """Wait until nothing is asked for or being published; ``False`` on time-out."""
        deadline = time.monotonic() + seconds
        while self._wanted.is_set() or self._busy:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def _run(self) -> None:
        while self._wanted.wait(timeout=60):
            self._busy = True
            self._wanted.clear()  # what arrives from now on waits for the next round
            try:
                self.last = self.portal.publish()
                self.error = ""
            except advisors.AdvisorsError as exc:
                self.error = str(exc)
                log.error("re-publishing after a request failed: %s", exc)
            finally:
                self._busy = False
        with self._lock:
            self._thread = None
        if self._wanted.is_set():  # asked while the thread was leaving
            self.wanted()
