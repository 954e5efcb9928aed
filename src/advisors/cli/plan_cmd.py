"""``advisors plan``: the main job — plan a period and write every output, atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import click

from ..data.dispatch import load_dataset
from ..output import ExportOptions, export_files
from ..output.outdir import MARKER, check_output_folder, output_folder
from ..output.parallel import default_jobs
from ..period import Period
from ..plan.plan import Plan, dropped_references, make_plan
from ..plan.shortfalls import shortfall_lines
from ..plan.stopwatch import Stopwatch
from ..plan.telling import Teller
from ..plugins import collect, get_plugin_manager
from . import EXIT_INFEASIBLE
from ._options import period_option
from ._table import render_table
from .speak import language, lookup, notice_text, say

STAGES = ("assign", "hotline", "visits", "training", "calendar")
"""Planning stages reported to the progress bar before the exporters."""


def _stamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2026-11-28T09:00+08:00",
                                 param_hint="--published")
    return value


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@period_option
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=f"Output folder; replaced whole when the run succeeds, untouched otherwise. "
              f"A non-empty folder an earlier run did not write (no {MARKER}) is refused.")
@click.option("--force", is_flag=True,
              help="Replace --out even if it holds files an earlier run did not write.")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The last published plan.json: keep what can stay, publish changes.")
@click.option("--published", help="Publication time (ISO, with zone) instead of the "
              "deterministic default (midnight before the period, after the previous version).")
@click.option("--templates", "templates", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of templates overriding the bundled ones (rendered sandboxed).")
@click.option("--locale", "locale_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of <lang>.po catalogs on top of the bundled ones.")
@click.option("--draft-translations", "--review", "review", is_flag=True,
              help="Also use unreviewed (fuzzy) Tibetan strings, each marked ⚠, for "
              "proofreading (see `advisors translations`).")
@click.option("--exporters", "exporter_names",
              help="Comma-separated exporters to run (default: all; see `advisors plugins`).")
@click.option("--strategy", default="auto", show_default=True,
              help="Coverage strategy: greedy, optimal (with advisors-ortools) or auto.")
@click.option("--repattern", is_flag=True,
              help="Let villages take new regular service days although the previous plan "
              "promised others (by default a pattern changes only with the village's advisor "
              "or service class; an absence moves single days).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Write the outputs in this many processes side by side (default: one per "
              "core). The files are the same whatever the number.")
@click.option("--timings", is_flag=True,
              help="Print the seconds each stage took to stderr (never into OUT).")
def plan(source: Path, period: Period, out: Path, previous: Path | None, published: str | None,
         templates: tuple[Path, ...], locale_dirs: tuple[Path, ...], review: bool,
         exporter_names: str | None, strategy: str, repattern: bool, quiet: bool,
         jobs: int | None, timings: bool, force: bool) -> None:
    """Assign, schedule visits and the hotline, plan training; write OUT.

    OUT gets plan.json, calendars/ (one .ics per advisor, trainer, village and
    township, and all.ics), rosters/, notices/, notifications/ and
    report.html. The same input gives byte-identical output. With
    --previous, moved events keep their calendar UID with SEQUENCE + 1 and
    removed ones are published as cancelled, so subscribed phones update.
    Exit code 3 when a hard rule cannot be met (everything is still written).

    \b
    Examples:
      advisors plan examples/tongren --period 2026-12 --out out
      advisors plan examples/tongren --period 2026-12 --out out2 --previous out/plan.json
    """
    sources = (source, *templates, *locale_dirs)
    check_output_folder(out, sources=sources, force=force)  # before minutes of planning
    watch = Stopwatch()
    dataset = load_dataset(source)
    watch("load")
    before = _read_previous(previous) if previous else None
    if before is not None:
        dropped = dropped_references(before, dataset)
        if dropped:
            _notice(f"dropped since {previous}: {', '.join(dropped[:20])}"
                    + (f" and {len(dropped) - 20} more" if len(dropped) > 20 else "")
                    + "; their events are published as cancelled")
    names = None
    if exporter_names:
        names = [n.strip() for n in exporter_names.split(",") if n.strip()]
    steps = len(STAGES) + len(names if names is not None else collect("exporters"))
    sink: Any = sys.stderr
    if quiet:
        sink = _Null()
    with click.progressbar(length=steps, label=say("planning"), file=sink, show_pos=True) as bar:
        def advance(label: str) -> None:
            watch(label)
            bar.label = say(label)
            bar.update(1)

        def exported(name: str) -> None:
            bar.label = say("writing {name}", name=lookup(name, "exporter") or name)
            bar.update(1)

        options = ExportOptions(template_dirs=tuple(templates), locale_dirs=tuple(locale_dirs),
                                review=review, progress=exported, timed=watch.part,
                                jobs=jobs or default_jobs())
        result = make_plan(dataset, period, before, strategy=strategy,
                           stamp=_stamp(published), translator=options.translator(),
                           progress=advance, repattern=repattern)
        publication = result.publication(dataset)
        watch("publication")
        with output_folder(out, sources=sources, force=force, notice=_notice) as folder:
            written = export_files(publication, folder, options, names)
            watch("exporters")
        watch("swap")
    publication = attrs.evolve(publication, rendered_with=attrs.evolve(
        options, progress=None, timed=None, jobs=1))
    with _plugin_warnings(shown=not quiet):
        get_plugin_manager().hook.plan_published(plan=result, changes=result.changes,
                                                 publication=publication)
    watch("published-hook")
    if timings:
        click.echo("\n".join(watch.lines()), err=True)
    if not quiet:
        _summary(result, out, len(written), dataset.policy.timezone)
    if not result.feasible:
        # what fails is said here, where the user looks, and in report.html
        click.echo(say("some hard rules cannot be met; what the plan does not serve:"), err=True)
        teller = Teller(dataset, lambda msgid: lookup(msgid, "shortfall"), language())
        for line in shortfall_lines(result.shortfalls(), teller=teller):
            click.echo(line, err=True)
        raise click.exceptions.Exit(EXIT_INFEASIBLE)


def _notice(sentence: str) -> None:
    click.echo(notice_text(sentence), err=True)


def _read_previous(path: Path) -> Plan:
    return Plan.read(path)  # every problem a located DataError


@contextlib.contextmanager
def _plugin_warnings(*, shown: bool) -> Iterator[None]:
    """Plugins' logged warnings (the outbox's "not queued") are not printed under --quiet.

    Python prints a warning nobody handles on stderr; a silent handler on the
    root logger stops that, while an application's own handlers still get it.
    Shown, a warning is said in the user's language where the catalog has it."""
    if shown and logging.root.handlers:
        yield  # the application's own logging says it
        return
    handler = _Speaker() if shown else logging.NullHandler()
    logging.root.addHandler(handler)
    try:
        yield
    finally:
        logging.root.removeHandler(handler)


class _Speaker(logging.Handler):
    """A plugin's warning on stderr, translated (context ``plugin``) where it can be."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        click.echo(lookup(text, "plugin") or text, err=True)


class _Null:
    """A sink for the progress bar under --quiet."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _status(hard: int, solver: str) -> str:
    text = say("ok") if not hard else say("{n} hard rule(s) broken", n=hard)
    if solver == "hint":
        text += say(" (solver kept its greedy start)")
    return text


def _published(stamp: dt.datetime, zone: str) -> str:
    """The publication time as the reader's clock shows it, with the zone named."""
    local = stamp.astimezone(ZoneInfo(zone))
    return say("{year}-{month:02d}-{day:02d} {time} ({zone})", year=local.year,
               month=local.month, day=local.day, time=f"{local:%H:%M}",
               zone=lookup(zone, "zone") or zone)


def _summary(result: Plan, out: Path, files: int, zone: str) -> None:
    counts = result.change_counts()
    uncovered = len(result.assignment.uncovered)
    rows = [
        [say("coverage"), f"{result.assignment.covered}/{len(result.assignment.advisor_of)}",
         say("{n} uncovered", n=uncovered) if uncovered else say("ok")],
        [say("hotline shifts"), str(len(result.hotline.shifts)),
         _status(len(result.hotline.analysis.hard), result.hotline.stats.status)],
        [say("visits"), str(len(result.visits.visits)),
         _status(len(result.visits.analysis.hard), result.visits.stats.status)],
        [say("training sessions"), str(len(result.training.sessions)),
         _status(len(result.training.analysis.hard), "")],
        [say("one person, one place"), str(len(result.timetable.hard)),
         _status(len(result.timetable.hard), "")],
        [say("calendar events"), str(len(result.events)), say(
            "{new} new, {moved} moved, {changed} changed, {cancelled} cancelled",
            new=counts.get("new", 0), moved=counts.get("moved", 0),
            changed=counts.get("changed", 0), cancelled=counts.get("cancelled", 0))],
    ]
    click.echo(render_table(["", say("count"), say("status")], rows))
    click.echo(say("version {version}, published {stamp}; wrote {files} files to {out}",
                   version=result.version, stamp=_published(result.stamp, zone), files=files,
                   out=out))



COMMANDS = [plan]
