"""Options several commands share, written once so their help reads the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import DataError
from ..period import Period
from .speak import say

__all__ = ["parse_period", "period_option", "read_text"]


def parse_period(ctx: click.Context, param: click.Parameter, value: Any) -> Period:
    """An option's text as a :class:`Period`: parsed once where it enters, never again below."""
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(str(value))
    except DataError:
        raise click.BadParameter(say(
            "not a period: {value} (a month 2026-12, a quarter 2026-Q4, a year 2027, "
            "or a span 2026-12-01..2027-02-28)", value=repr(value)), ctx, param) from None


period_option = click.option(
    "--period", required=True, callback=parse_period,
    help="A month 2026-12, a quarter 2026-Q4, a year 2027, or a span 2026-12-01..2027-02-28.",
)
"""``--period``: every planning command takes one, written the same way (advisors.Period)."""


def read_text(path: Path, hint: str) -> str:
    """The UTF-8 text of the file an option names; a bad option when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint=hint) from None
