"""Shared fixtures: the bundled example, a fresh plugin manager per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advisors
from advisors.plugins import reset_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
TONGREN = ROOT / "examples" / "tongren"


@pytest.fixture(autouse=True)
def _fresh_plugins() -> Iterator[None]:
    reset_plugin_manager()
    yield
    reset_plugin_manager()


@pytest.fixture(scope="session")
def tongren() -> advisors.Dataset:
    """The Tongren example, loaded once."""
    return advisors.read_folder(TONGREN)
