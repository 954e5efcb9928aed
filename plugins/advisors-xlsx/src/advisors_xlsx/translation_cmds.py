"""``advisors translations export FILE.xlsx`` and ``advisors translations import FILE.xlsx``."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["export_command", "import_command"]


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default="bo", show_default=True, type=click.Choice(["bo", "en"]))
@click.option("--locale", "locale_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A deployment's catalog folder: its reviewed strings are included.")
def export_command(path: Path, lang: str, locale_dirs: tuple[Path, ...]) -> None:
    """Write a workbook a translator fills: Chinese, English, current Tibetan, status,
    source, outputs, reviewer, date.

    \b
    Example:
      advisors translations export review.xlsx --locale mydata/locale
    """
    from .translation_sheet import export_sheet

    count = export_sheet(path, lang, locale_dirs)
    click.echo(f"wrote {path}: {count} strings to review")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The deployment's catalog folder (pass it to `advisors plan --locale`).")
@click.option("--lang", default="bo", show_default=True, type=click.Choice(["bo", "en"]))
def import_command(path: Path, into: Path, lang: str) -> None:
    """Merge a reviewed workbook into INTO/<lang>.po, recording each reviewer.

    A row with Tibetan and a reviewer becomes a reviewed translation; new
    Tibetan without a reviewer stays fuzzy (left out of outputs). The bundled
    catalog is never changed.

    \b
    Example:
      advisors translations import review.xlsx --into mydata/locale
    """
    from .translation_sheet import import_sheet

    summary = import_sheet(path, into, lang)
    click.echo(f"wrote {summary.path}: {summary.reviewed} reviewed, {summary.drafts} drafts "
               f"awaiting review, {summary.unchanged} unchanged")
