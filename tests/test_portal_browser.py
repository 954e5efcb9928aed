"""End to end in a real browser: headless Chromium renders the township roster from the portal.

Chromium comes from the system's packages. ``make test`` running as root
installs it with apt-get, within a bounded time; anywhere it
cannot be had, the test is skipped with the reason, and the suite stays green.
"""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import TONGREN
from .system_tools import BROWSERS, FLAGS, FONTS, INSTALL_SECONDS, system_tool
from .test_portal import Server, start_portal

pytest.importorskip("flask", reason="the portal example needs Flask (pip install flask)")



@pytest.fixture(scope="module")
def chromium() -> str:
    return system_tool("Chromium", BROWSERS, ("chromium", *FONTS), INSTALL_SECONDS)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with pytest.MonkeyPatch.context() as mp:
        _, made, _ = start_portal(tmp_path_factory.mktemp("browser"), mp)
        try:
            yield made
        finally:
            made.close()


def _browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=60, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not finish within 60 s: {args}")


def test_the_roster_renders_chinese_and_tibetan_in_chromium(
        chromium: str, server: Server, tmp_path: Path) -> None:
    with (TONGREN / "townships.csv").open(encoding="utf-8-sig", newline="") as fh:
        township = next(r for r in csv.DictReader(fh) if r["name_bo"])
    url = f"{server.url}/townships/{township['id']}"
    done = _browse(chromium, tmp_path / "profile", "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert township["name"] in dom, "Chinese text did not come through"
    assert township["name_bo"] in dom, "Tibetan text did not come through"
    assert f'webcal://127.0.0.1:{server.httpd.server_port}/calendars/township/' in dom

    shot = tmp_path / "roster.png"
    done = _browse(chromium, tmp_path / "profile2", f"--screenshot={shot}",
                   "--window-size=1240,1754", url)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
