"""Print HTML files to PDF with one headless Chromium, driven over the DevTools pipe.

Starting Chromium once per page costs most of a second; printing a thousand
notice boards that way would take a quarter of an hour. One browser process
reached over ``--remote-debugging-pipe`` (the DevTools protocol: JSON
messages ended by NUL on file descriptors 3 and 4) prints a page in a small
fraction of that. :func:`pdf_pages` reads a PDF's page count and page sizes
(Chromium's PDFs keep their page objects uncompressed).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["PAGE_FLAGS", "Chromium", "pdf_pages"]

PAGE_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions")
_MEDIABOX = re.compile(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[([^\]]*)\]"
                       rb"|/MediaBox\s*\[([^\]]*)\][^>]*?/Type\s*/Page\b(?!s)", re.S)
_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a Chromium PDF."""
    sizes: list[tuple[float, float]] = []
    for found in _MEDIABOX.finditer(data):
        box = [float(x) for x in (found.group(1) or found.group(2)).split()]
        sizes.append((box[2] - box[0], box[3] - box[1]))
    if len(sizes) != len(_PAGE.findall(data)):
        raise AssertionError("could not read every page's MediaBox from the PDF")
    return sizes


def _high(fd: int) -> int:
    """``fd`` moved above 4, so that placing the pipe ends on 3 and 4 cannot clobber one."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Chromium:
    """One headless Chromium; :meth:`print_pdf` loads a file and prints it as the page asks."""

    def __init__(self, binary: str, profile: Path, timeout: float = 60) -> None:
        self.timeout = timeout
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        to_child, from_child = _high(to_child), _high(from_child)

        def wire() -> None:  # pragma: no cover - runs in the child
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self._proc = subprocess.Popen(
            [binary, *PAGE_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buffer = bytearray()
        self._next = 0
        self._pending: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                  flatten=True)["sessionId"]
        self.call("Page.enable", session=self.session)
        self.call("Runtime.enable", session=self.session)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser."""
        with contextlib.suppress(OSError):
            self._send({"id": -1, "method": "Browser.close"})
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._read)
        os.close(self._write)

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._write, json.dumps(message).encode("utf-8") + b"\0")

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        end = self._buffer.index(b"\0")
        message: dict[str, Any] = json.loads(bytes(self._buffer[:end]).decode("utf-8"))
        del self._buffer[: end + 1]
        return message

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command; return its result (events that arrive meanwhile are kept)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            reply = self._receive()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self._pending.append(reply)

    def _wait_event(self, method: str) -> None:
        while True:
            for index, event in enumerate(self._pending):
                if event.get("method") == method:
                    del self._pending[: index + 1]
                    return
            self._pending.append(self._receive())

    def load(self, path: Path) -> None:
        """Open ``path`` and wait until it and its fonts are loaded."""
        self._pending.clear()
        self.call("Page.navigate", session=self.session, url=path.resolve().as_uri())
        self._wait_event("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the loaded page (promises awaited)."""
        result = self.call("Runtime.evaluate", session=self.session, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def print_pdf(self, path: Path) -> bytes:
        """``path`` printed to PDF with the page's own @page size and margins."""
        self.load(path)
        result = self.call("Page.printToPDF", session=self.session, preferCSSPageSize=True,
                           printBackground=True, displayHeaderFooter=False)
        return base64.b64decode(result["data"])

    def has_page(self, path: Path, number: int) -> bool:
        """Whether ``path`` prints to at least ``number`` pages.

        Chromium lays the page out for print and refuses a page range past the
        last page; asking for that one page only is several times faster than
        printing the whole PDF, which matters for a thousand notice boards.
        """
        self.load(path)
        try:
            self.call("Page.printToPDF", session=self.session, preferCSSPageSize=True,
                      pageRanges=str(number))
        except RuntimeError as exc:
            if "exceeds page count" in str(exc):
                return False
            raise
        return True

    def emulate_print(self, width_px: float) -> None:
        """Lay the page out as print media in a viewport ``width_px`` CSS pixels wide."""
        self.call("Emulation.setEmulatedMedia", session=self.session, media="print")
        self.call("Emulation.setDeviceMetricsOverride", session=self.session,
                  width=round(width_px), height=1000, deviceScaleFactor=1, mobile=False)
