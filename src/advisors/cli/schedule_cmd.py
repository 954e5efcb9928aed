"""``advisors schedule`` and ``advisors hotline``: service days and the 12348 rota.

Both print a summary and the analysis, write their output atomically
(``.csv`` for people, ``.json`` for the plan itself, which ``--previous``
reads back to replan), and exit 3 when a hard rule cannot be met.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from ..assignment import Assignment
from ..data.atomic import atomic_write_text
from ..data.dataset import Dataset
from ..data.dispatch import load_dataset
from ..hotline.api import hotline_rota
from ..hotline.facts import HotlineRota
from ..period import Period
from ..plan.diff import Changes, diff
from ..plan.schema import HOTLINE_SCHEMA, VISITS_SCHEMA, build_checked, parse_json
from ..plan.telling import Teller, month_zh
from ..plugins import scheduler_strategies
from ..rules import Analysis, SolveStats
from ..visits.api import schedule_visits
from ..visits.visit_plan import VisitPlan
from . import EXIT_INFEASIBLE
from ._options import period_option, read_text
from ._told import analysis_lines, cli_teller, strategy_name
from .speak import language, lookup, say

__all__ = ["COMMANDS", "hotline_csv", "visits_csv"]


def visits_csv(plan: VisitPlan) -> str:
    """``date,start,end,advisor,village,lecture``, one row per visit, by date."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("date", "start", "end", "advisor", "village", "lecture"))
    for v in plan.visits:
        writer.writerow((v.date.isoformat(), v.start, v.end, v.advisor, v.village,
                         "true" if v.lecture else "false"))
    return out.getvalue()


def hotline_csv(rota: HotlineRota) -> str:
    """``date,start,end,lawyer``, one row per seat, by date and shift (also a history file)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("date", "start", "end", "lawyer"))
    for s in rota.shifts:
        writer.writerow((s.date.isoformat(), s.start, s.end, s.lawyer))
    return out.getvalue()


def _assignment(data: Dataset) -> Assignment:
    """The advisor of record of every village, by the best installed strategy."""
    from ..coverage.api import assign

    return assign(data)


def _read_previous(path: Path | None, kind: str) -> Any:
    if path is None:
        return None
    data = parse_json(read_text(path, "--previous"), str(path))
    if kind == "visits":
        return build_checked(VisitPlan.from_dict, data, VISITS_SCHEMA, str(path))
    return build_checked(HotlineRota.from_dict, data, HOTLINE_SCHEMA, str(path))


def _check_strategy(kind: str, strategy: str) -> None:
    installed = scheduler_strategies(kind)
    if strategy != "auto" and strategy not in installed:
        raise click.BadParameter(f"no strategy {strategy!r}; installed: {', '.join(installed)}",
                                 param_hint="--strategy")


def _report(stats: SolveStats, analysis: Analysis, changes: Changes[Any] | None,
            teller: Teller) -> None:
    # a gap bounds the soft score of a plan that keeps every hard rule; elsewhere it means nothing
    gap = ("" if stats.gap is None or not analysis.feasible
           else say(", bound {bound}, gap {gap:.2%}", bound=stats.bound, gap=stats.gap))
    hard = say("{n} hard rule(s) broken; ", n=len(analysis.hard)) if analysis.hard else ""
    note = (say(" — the solver found nothing better than its greedy start in its time limit")
            if stats.status == "hint" else "")
    click.echo(say("strategy: {strategy} ({status}{note}); {hard}soft score {score}{gap}",
                   strategy=strategy_name(stats.strategy),
                   status=lookup(stats.status, "status") or stats.status, note=note, hard=hard,
                   score=stats.objective, gap=gap))
    if changes is not None:
        click.echo(say(
            "changes since the previous plan: {new} new, {moved} moved, {cancelled} cancelled, "
            "{unchanged} unchanged", new=len(changes.new), moved=len(changes.moved),
            cancelled=len(changes.cancelled), unchanged=len(changes.unchanged)))
        for e in changes.new:
            click.echo("  " + say("new: {id}", id=e.id))
        for a, b in changes.moved:
            click.echo("  " + say("moved: {id} ({before} → {after})", id=b.id, before=a.date,
                                  after=b.date))
        for e in changes.cancelled:
            click.echo("  " + say("cancelled: {id}", id=e.id))
    if analysis.violations:
        click.echo(say("analysis:"))
        for line in analysis_lines(analysis, teller):
            click.echo("  " + line)
    else:
        click.echo(say("analysis: every rule holds"))


def _period(period: Period) -> str:
    """The period's label: ``2026-12`` in English, ``2026年12月`` in Chinese."""
    return period.label if language() == "en" else month_zh(period.label)


def _write(output: Path | None, as_csv: str, plan: VisitPlan | HotlineRota) -> None:
    if output is None:
        return
    if output.suffix.lower() == ".json":
        text = json.dumps(plan.as_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_write_text(output, text)
    else:
        atomic_write_text(output, as_csv)


@click.command("schedule")
@click.argument("dataset", type=click.Path(exists=True, path_type=Path))
@period_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the visits: .csv (date,start,end,advisor,village,lecture) or .json "
                   "(the plan, for --previous next time).")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The published plan (JSON): keep what can stay and list the changes.")
@click.option("--pin", "pinned", multiple=True, metavar="ID",
              help="A published visit id that must not change; repeatable.")
@click.option("--strategy", default="auto", show_default=True, help="auto, greedy or cpsat.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan (and changes) as JSON.")
def schedule_cmd(dataset: Path, period: Period, output: Path | None, previous: Path | None,
                 pinned: tuple[str, ...], strategy: str, as_json: bool) -> None:
    """Plan each village's on-site service days (到村服务) in a period.

    Exit code 3 when a hard rule cannot be met (the plan is still written and
    every problem explained).

    \b
    Examples:
      advisors schedule examples/tongren --period 2026-12 -o visits.csv
      advisors schedule mydata --period 2026-12 -o plan.json
      advisors schedule mydata --period 2026-12 --previous plan.json -o plan2.json
    """
    data = load_dataset(dataset)
    _check_strategy("visits", strategy)
    before = _read_previous(previous, "visits")
    plan = schedule_visits(data, _assignment(data), period, before, strategy, pinned)
    changes = diff(before.visits, plan.visits, plan.period) if before is not None else None
    _write(output, visits_csv(plan), plan)
    if as_json:
        payload = {"plan": plan.as_dict(),
                   "changes": changes.as_dict() if changes is not None else None}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        villages = {v.village for v in plan.visits}
        regular = sum(1 for p in plan.patterns.values() if p is not None)
        lectures = sum(1 for v in plan.visits if v.lecture)
        click.echo(say("period {period}: {visits} visits to {villages} villages, {lectures} "
                       "legal lectures; {regular} of {all} villages on a regular pattern",
                       period=_period(plan.period), visits=len(plan.visits),
                       villages=len(villages), lectures=lectures, regular=regular,
                       all=len(plan.patterns)))
        _report(plan.stats, plan.analysis, changes, cli_teller(data))
        if output is not None:
            click.echo(say("written: {path}", path=output))
    if not plan.feasible:
        raise click.exceptions.Exit(EXIT_INFEASIBLE)


@click.command("hotline")
@click.argument("dataset", type=click.Path(exists=True, path_type=Path))
@period_option
@click.option("--history", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Past rotas (CSV date,start,end,lawyer, or JSON) for fairness across periods.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the rota: .csv (date,start,end,lawyer) or .json (the rota).")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The published rota (JSON): keep what can stay and list the changes.")
@click.option("--pin", "pinned", multiple=True, metavar="ID",
              help="A published shift id that must not change; repeatable.")
@click.option("--strategy", default="auto", show_default=True, help="auto, greedy or cpsat.")
@click.option("--json", "as_json", is_flag=True, help="Print the rota (and changes) as JSON.")
def hotline_cmd(dataset: Path, period: Period, history: Path | None, output: Path | None,
                previous: Path | None, pinned: tuple[str, ...], strategy: str,
                as_json: bool) -> None:
    """Staff the 12348 hotline shifts of a period fairly, history included.

    Exit code 3 when a shift cannot be staffed or another hard rule fails
    (the rota is still written, and every empty seat explained).

    \b
    Examples:
      advisors hotline examples/tongren --period 2026-12 -o hotline.csv
      advisors hotline mydata --period 2027-01 --history hotline-2026-12.csv
    """
    data = load_dataset(dataset)
    _check_strategy("hotline", strategy)
    before = _read_previous(previous, "hotline")
    rota = hotline_rota(data, period, history, before, strategy, pinned)
    changes = diff(before.shifts, rota.shifts, rota.period) if before is not None else None
    _write(output, hotline_csv(rota), rota)
    if as_json:
        payload = {"rota": rota.as_dict(),
                   "changes": changes.as_dict() if changes is not None else None}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        click.echo(say("period {period}: {seats} seats staffed by {lawyers} lawyers",
                       period=_period(rota.period), seats=len(rota.shifts),
                       lawyers=len({s.lawyer for s in rota.shifts})))
        if rota.counts:
            low = min(c.total for c in rota.counts.values())
            high = max(c.total for c in rota.counts.values())
            click.echo(say("shifts per eligible lawyer, history included: {low}–{high}",
                           low=low, high=high))
        _report(rota.stats, rota.analysis, changes, cli_teller(data))
        if output is not None:
            click.echo(say("written: {path}", path=output))
    if not rota.feasible:
        raise click.exceptions.Exit(EXIT_INFEASIBLE)


COMMANDS = [schedule_cmd, hotline_cmd]
