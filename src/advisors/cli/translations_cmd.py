"""``advisors translations``: how much of each catalog is translated, from where, what is missing.

The workbook a translator fills (``translations export`` / ``import``) comes
with the ``advisors-xlsx`` plugin, which adds those two subcommands here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import babel
import click

from ..data.dispatch import load_dataset
from ..locale import load_catalog, parse_po
from ..locale.cldr import DATE_FORMS, has_form
from ..output.translations.coverage import STATUSES, catalog_coverage
from ..output.translations.forms import FormRow, period_rows, place_rows
from ..output.translations.glossary import GLOSSARY, fill_from_glossary, read_glossary
from ..output.translations.pofile import format_po, write_po

__all__ = ["COMMANDS", "translations"]

LANG_NAMES = {"zh": "Chinese", "bo": "Tibetan", "en": "English"}
_TITLE = ["advisors — messages in bo, filled only from the sourced Tibetan glossary.",
          "A translation copied as one string from a source is kept as is (\"source:\");",
          "one that is inferred or composed of sourced parts is fuzzy and outputs leave it out",
          "until a native speaker reviews it (`advisors translations export`)."]

locale_option = click.option(
    "--locale", "locale_dirs", multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A deployment's folder of <lang>.po catalogs on top of the bundled ones.")


@click.group(invoke_without_command=True)
@click.option("--lang", "langs", multiple=True, type=click.Choice(["zh", "bo", "en"]),
              help="Only this catalog (repeatable; default: all three).")
@locale_option
@click.option("--all", "show_all", is_flag=True,
              help="List every string with its status, not only the ones outputs lack.")
@click.option("--data", "data", type=click.Path(exists=True, path_type=Path),
              help="A dataset whose townships' and villages' Tibetan names to list.")
@click.pass_context
def translations(ctx: click.Context, langs: tuple[str, ...], locale_dirs: tuple[Path, ...],
                 show_all: bool, data: Path | None) -> None:
    """Per catalog: strings sourced, reviewed, translated, fuzzy and missing.

    Each string outputs cannot use (fuzzy or missing) is listed with the
    outputs that then show Chinese only, and each usable Tibetan string with
    its source or reviewer.

    For Tibetan it also lists the period labels (CLDR) and, with --data, the
    Tibetan names of the dataset's townships and villages (the dataset's
    name_bo, else the sourced glossary).

    \b
    Examples:
      advisors translations --lang bo
      advisors translations --lang bo --data examples/tongren
      advisors translations export review.xlsx        # with advisors-xlsx
      advisors translations import review.xlsx --into mydata/locale
    """
    if ctx.invoked_subcommand is not None:
        return
    for lang in langs or ("zh", "bo", "en"):
        coverage = catalog_coverage(lang, locale_dirs)
        counts = coverage.counts
        summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        click.echo(f"{lang} ({LANG_NAMES[lang]}): {len(coverage.rows)} strings, "
                   f"{coverage.usable} used by outputs — {summary}")
        forms = [f for f in DATE_FORMS if has_form(lang, f)]
        click.echo(f"  dates: CLDR {lang} via Babel {babel.__version__} — weekday and month "
                   f"names, date forms {', '.join(forms)}; times HH:mm")
        for row in coverage.rows:
            shown = show_all or row.status in ("fuzzy", "missing") or (
                lang == "bo" and row.text)
            if not shown:
                continue
            where = ", ".join(row.outputs) or "no bundled output"
            line = f"  {row.status:<10} {row.msgid!r} ({row.chinese})"
            if row.text:
                line += f" = {row.text}"
            click.echo(line)
            if row.status in ("fuzzy", "missing"):
                click.echo(f"             Chinese only in: {where}")
            if row.source and lang != "en":
                click.echo(f"             source: {row.source}")
            if row.reviewer:
                click.echo(f"             reviewed by {row.reviewer}")
        if lang == "bo":
            _echo_forms(period_rows(lang))
            if data is not None:
                dataset = load_dataset(data)
                # villages whose pages are bilingual: those where Tibetan is spoken
                places = place_rows([*sorted(dataset.townships, key=lambda t: t.id),
                                     *sorted((v for v in dataset.villages
                                              if "bo" in v.languages), key=lambda v: v.id)])
                seen = Counter(r.status for r in places)
                click.echo(f"  places of {data}: {len(places)} townships and Tibetan-speaking "
                           f"villages — " + ", ".join(f"{seen.get(s, 0)} {s}"
                                                     for s in ("sourced", "fuzzy", "missing")))
                _echo_forms(places)


def _echo_forms(rows: list[FormRow]) -> None:
    """Forms printed from CLDR or the glossary rather than the catalog, as the rows above."""
    for row in rows:
        line = f"  {row.status:<10} {row.what} ({row.chinese})"
        click.echo(line + (f" = {row.text}" if row.text else ""))
        if row.outputs:
            click.echo(f"             Chinese only in: {', '.join(row.outputs)}")
        click.echo(f"             source: {row.source}")


@translations.command("glossary")
@click.option("--glossary", "glossary", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), default=GLOSSARY, show_default="the bundled glossary",
              help="A glossary TSV: zh, bo, en, source, confidence.")
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path),
              help="Write INTO/bo.po (keeping its reviewed entries); default: print it.")
def glossary_cmd(glossary: Path, into: Path | None) -> None:
    """Fill the Tibetan catalog from the sourced glossary, and nothing else.

    A string whose Chinese is a glossary term copied exactly from its source
    becomes a sourced translation; an inferred term or a composition of
    several terms becomes fuzzy (needs review by a native speaker).
    """
    try:
        terms = read_glossary(glossary)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--glossary") from None
    chinese = {msgid: e.msgstr for (_, msgid), e in load_catalog("zh").entries.items()}
    existing = {}
    if into is not None and (into / "bo.po").is_file():
        existing = {e.msgid: e for e in parse_po((into / "bo.po").read_text("utf-8"))}
    entries = fill_from_glossary(chinese, terms, existing)
    if into is None:
        click.echo(format_po("bo", entries, _TITLE), nl=False)
        return
    write_po(into / "bo.po", "bo", entries, _TITLE)
    filled = sum(1 for e in entries if e.msgstr)
    click.echo(f"wrote {into / 'bo.po'}: {filled} of {len(entries)} strings from the glossary")


COMMANDS = [translations]
