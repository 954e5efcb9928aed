"""Options several commands share, written once so their help reads the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["period_option", "read_text"]

period_option = click.option(
    "--period", required=True,
    help="A month 2026-12, a quarter 2026-Q4, a year 2027, or a span 2026-12-01..2027-02-28.",
)
"""``--period``: every planning command takes one, written the same way (advisors.Period)."""


def read_text(path: Path, hint: str) -> str:
    """The UTF-8 text of the file an option names; a bad option when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint=hint) from None
