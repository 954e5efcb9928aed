"""Options several commands share, written once so their help reads the same everywhere."""

from __future__ import annotations

import click

__all__ = ["period_option"]

period_option = click.option(
    "--period", required=True,
    help="A month 2026-12, a quarter 2026-Q4, a year 2027, or a span 2026-12-01..2027-02-28.",
)
"""``--period``: every planning command takes one, written the same way (advisors.Period)."""
