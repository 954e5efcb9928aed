"""``advisors train`` and ``advisors progress``: plan training sessions, and see who is behind."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import click

from ..data.atomic import atomic_write_text
from ..data.dispatch import load_dataset
from ..languages import instruction_words
from ..period import Period
from ..plan.schema import TRAINING_SCHEMA, build_checked, parse_json
from ..plan.telling import month_zh
from ..training.api import plan_training
from ..training.problem import TrainingPlan
from ..training.progress import training_progress
from . import EXIT_INFEASIBLE
from ._options import period_option, read_text
from ._table import render_table
from ._told import cli_teller, kind, rule_name, strategy_name, told
from .speak import language, say


def _read_plan(path: Path | None, hint: str = "--previous") -> TrainingPlan | None:
    if path is None:
        return None
    data = parse_json(read_text(path, hint), str(path))
    return build_checked(TrainingPlan.from_dict, data, TRAINING_SCHEMA, str(path))


def sessions_csv(plan: TrainingPlan) -> str:
    """``sessions.csv`` text: session,date,start,end,venue,trainer,language,topic,participants."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(plan.csv_rows())
    return buffer.getvalue()


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@period_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the sessions: .csv (one row a session) or .json (the whole plan).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option("--strategy", default="auto", show_default=True,
              help="greedy, cpsat (with advisors-ortools) or auto.")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An earlier plan (JSON): its sessions in the period are kept where valid.")
def train(source: Path, period: Period, output: Path | None, as_json: bool, strategy: str,
          previous: Path | None) -> None:
    """Plan training sessions for the legal-savvy persons and cadres of SOURCE.

    Every active person and candidate gets the policy's sessions (pro rata for
    a period shorter than a year), in a language they speak, from a trainer
    who speaks it, never the same topic twice. Exit code 3 when some of it
    cannot be planned; the reasons are printed and the plan is still written.

    \b
    Examples:
      advisors train examples/tongren --period 2027 -o sessions.csv
      advisors train mydata --period 2027-Q1 --json
    """
    dataset = load_dataset(source)
    plan = plan_training(dataset, period, _read_plan(previous), strategy)
    if output is not None:
        text = plan.to_json() if output.suffix.lower() == ".json" else sessions_csv(plan)
        atomic_write_text(output, text)
    if as_json:
        click.echo(plan.to_json(), nl=False)
    else:
        people = {p for s in plan.sessions for p in s.participants}
        trainers = Counter(s.trainer for s in plan.sessions)
        lang = language()
        langs = Counter(instruction_words(s.language, lang) for s in plan.sessions)
        taught = say(", ", "taught").join(say("{language} {n}", "taught", language=k, n=v)
                                          for k, v in sorted(langs.items()))
        period_label = str(plan.period) if lang == "en" else month_zh(str(plan.period))
        click.echo(say("{period}: {sessions} sessions for {people} people (target {target} "
                       "each), {trainers} trainers, strategy {strategy}; taught in: {taught}",
                       period=period_label, sessions=len(plan.sessions), people=len(people),
                       target=plan.target, trainers=len(trainers),
                       strategy=strategy_name(plan.strategy), taught=taught))
        teller = cli_teller(dataset)
        for v in plan.unmet:
            click.echo("  " + say("cannot plan: {message}", message=told(v, teller)), err=True)
        for v in plan.analysis.violations:
            click.echo("  " + say("{kind} [{rule}] {message}", kind=kind(v),
                                  rule=rule_name(v.rule, teller), message=told(v, teller)),
                       err=True)
        if output is not None:
            click.echo(say("wrote {path}", path=output))
    if plan.analysis.hard:
        raise click.exceptions.Exit(EXIT_INFEASIBLE)


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--plan", "plan_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The plan (JSON, from advisors train -o plan.json) the sign-in sheets refer to.")
@click.option("--as-of", "as_of", help="Date YYYY-MM-DD for removal and what is still planned.")
def progress(source: Path, as_json: bool, plan_path: Path | None, as_of: str | None) -> None:
    """Training progress per township and village, from SOURCE's attendance.csv.

    Shows active legal-savvy persons against the target, candidates, people
    due for removal, candidates eligible for certification, and how many new
    candidates each village must nominate.

    \b
    Examples:
      advisors progress examples/tongren
      advisors progress mydata --plan plan.json --json
    """
    dataset = load_dataset(source)
    when = None
    if as_of is not None:
        try:
            when = dt.date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter("expected a date YYYY-MM-DD", param_hint="--as-of") from None
    report = training_progress(dataset, plan=_read_plan(plan_path, "--plan"), as_of=when)
    if as_json:
        click.echo(report.to_json(), nl=False)
        return
    headers = [say(h) for h in ("township", "名称", "villages", "below target", "active",
                                "target", "candidates", "due for removal", "cert. eligible",
                                "behind", "to nominate")]
    rows = [[t.township, t.name, t.villages, len(t.villages_below_target), t.active, t.target,
             t.candidates, t.due_for_removal, t.certification_eligible, t.behind_target,
             t.must_nominate] for t in report.townships]
    click.echo(render_table(headers, rows))
    below = report.villages_below_target()
    click.echo("\n" + say("{n} villages below {target} active legal-savvy persons:", n=len(below),
                          target=dataset.policy.training.legal_savvy_per_village))
    if below:
        click.echo(render_table(
            [say(h) for h in ("village", "名称", "township", "active", "candidates",
                              "due for removal", "to nominate")],
            [[v.village, v.name, v.township, v.active, v.candidates, len(v.due_for_removal),
              v.must_nominate] for v in below]))

COMMANDS = [train, progress]
