"""Programs from the system's packages that a few tests drive (Chromium, LibreOffice).

:func:`system_tool` returns the path of the program, :func:`system_font` the
installed font families covering a script. When it is missing, ``make
test`` running as root (a fresh machine, CI) installs it with apt-get within
a bounded time; anywhere it cannot be had (no root, no apt-get), the calling
test is skipped with the reason and the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence

import pytest

__all__ = ["BROWSERS", "FLAGS", "FONTS", "INSTALL_SECONDS", "chromium_binary", "system_font",
           "system_tool"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FONTS = ("fonts-wqy-microhei", "fonts-tibetan-machine")
"""Small Chinese and Tibetan fonts (2.5 MB), named in the pages' CSS font stacks,
so that screenshots and PDFs show glyphs, not boxes."""
INSTALL_SECONDS = 170
"""The whole apt set-up stays under three minutes."""
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")
"""Headless Chromium without a sandbox, network chatter or shared memory (CI containers)."""


def _which(names: Sequence[str]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _apt_install(label: str, packages: Sequence[str], seconds: float) -> None:
    """Install ``packages`` with apt-get as root, or skip the calling test saying why."""
    wanted = " ".join(packages)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip(f"{label} is not installed and installing it needs root "
                    f"(sudo apt-get install {wanted})")
    if shutil.which("apt-get") is None:
        pytest.skip(f"{label} is not installed and there is no apt-get to install it")
    deadline = time.monotonic() + seconds
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for command in (["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                         *packages]):
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.skip(f"installing {label} took over {seconds:g} s")
            done = subprocess.run(command, env=env, capture_output=True, text=True,
                                  timeout=left, check=False, stdin=subprocess.DEVNULL)
            if done.returncode != 0:
                pytest.skip(f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}")
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing {label} took over {seconds:g} s")
    except OSError as exc:
        pytest.skip(f"apt-get could not run: {exc}")


def _found_or_installed(label: str, find: Callable[[], str | None], packages: Sequence[str],
                        seconds: float) -> str:
    found = find()
    if not found:
        _apt_install(label, packages, seconds)
        found = find()
    if not found:
        pytest.skip(f"apt-get installed no {label}")
    return found


def system_tool(label: str, names: Sequence[str], packages: Sequence[str],
                seconds: float) -> str:
    """Path of the first of ``names`` found, installing ``packages`` as root."""
    return _found_or_installed(label, lambda: _which(names), packages, seconds)


def _font_families(script: str) -> str | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    done = subprocess.run([fc_list, f":lang={script}", "family"], capture_output=True,
                          text=True, check=False, stdin=subprocess.DEVNULL)
    return done.stdout.strip() or None


def system_font(label: str, script: str, packages: Sequence[str], seconds: float) -> str:
    """Families of installed fonts covering ``script`` (``bo``), installing ``packages`` in CI."""
    return _found_or_installed(label, lambda: _font_families(script), packages, seconds)


def chromium_binary() -> str:
    """Chromium with the Chinese and Tibetan fonts (installed in CI when missing)."""
    return system_tool("Chromium", BROWSERS, ("chromium", *FONTS), INSTALL_SECONDS)
