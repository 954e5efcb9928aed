"""advisors-xlsx: Excel and WPS workbooks for advisors, installed as a plugin.

Registers the ``xlsx`` dataset format — read a dataset from one workbook
(``advisors check book.xlsx``) and write a template with drop-downs
(``advisors init DIR --format xlsx``), the ``roster-xlsx`` and ``assignments-xlsx`` exporters,
and the translator's workbook (``advisors translations export`` / ``import``).
openpyxl is imported only when a workbook is read, or written as a template or
a translator's workbook; the two exporters write SpreadsheetML themselves
(:mod:`.sheetml`, :mod:`.tablebook`), without it.
"""

from __future__ import annotations

from typing import Any

import click

from advisors import hookimpl
from advisors.hookspecs import Register


@hookimpl
def register_loaders(register: Register) -> None:
    """Offer the workbook reader (and template writer) for .xlsx files."""
    from .format import FORMAT

    register("xlsx", FORMAT, "Excel/WPS workbook (.xlsx): one sheet per file of the folder "
             "format, Chinese sheet and column names accepted (docs/xlsx.md)")


@hookimpl
def register_exporters(register: Register) -> None:
    """Offer the .xlsx rosters and assignment table."""
    from .rosters import assignments_xlsx, roster_xlsx

    register("roster-xlsx", roster_xlsx, "rosters/roster.xlsx: a sheet per township and the "
             "hotline rota; A4, repeated bilingual header row")
    register("assignments-xlsx", assignments_xlsx,
             "rosters/assignments.xlsx: each village's advisor of record")


@hookimpl
def register_commands(cli: Any) -> None:
    """Add ``translations export`` and ``translations import`` (the translator's workbook)."""
    from .translation_cmds import export_command, import_command

    group = cli.commands.get("translations")
    if isinstance(group, click.Group):
        group.add_command(export_command)
        group.add_command(import_command)
