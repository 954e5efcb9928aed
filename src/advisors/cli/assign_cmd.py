"""``advisors assign``: give every village an advisor of record, and say what cannot be done."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from ..assignment import Assignment
from ..coverage.api import assign as assign_villages
from ..coverage.api import assign_strategies
from ..coverage.explain import explain_coverage
from ..coverage.problem import CoverageProblem
from ..data.atomic import atomic_write_text
from ..data.dispatch import load_dataset
from . import EXIT_INFEASIBLE
from ._told import cli_teller, strategy_name, told
from .speak import say, solver_note_text

__all__ = ["COMMANDS", "assignment_csv", "summary"]


def assignment_csv(result: Assignment) -> str:
    """``village,advisor,distance_km,pinned``: one row per village, sorted by village id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("village", "advisor", "distance_km", "pinned"))
    pinned = set(result.pinned)
    for vid in sorted(result.advisor_of):
        adv = result.advisor_of[vid]
        km = result.distance_km.get(vid)
        writer.writerow((vid, adv or "", "" if km is None else f"{km:.3f}",
                         "true" if vid in pinned else "false"))
    return out.getvalue()


def summary(result: Assignment) -> dict[str, object]:
    """Coverage %, total km, max and mean load of an assignment."""
    loads = list(result.loads().values())
    return {
        "strategy": result.strategy,
        "villages": len(result.advisor_of),
        "covered": result.covered,
        "coverage_percent": round(100.0 * result.coverage, 2),
        "total_km": round(result.total_km, 1),
        "cost": result.cost,
        "max_load": max(loads, default=0),
        "mean_load": round(sum(loads) / len(loads), 2) if loads else 0.0,
        "advisors_used": len(loads),
    }


@click.command("assign")
@click.argument("dataset", type=click.Path(exists=True, path_type=Path))
@click.option("--strategy", default="auto", show_default=True,
              help="Coverage strategy: auto, greedy, optimal (advisors plugins lists them).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write village,advisor,distance_km,pinned to this CSV file.")
@click.option("--explain", "explain_ids", multiple=True, metavar="ID",
              help="Explain the choice for a village (or the load of an advisor); repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the assignment as JSON.")
def assign_cmd(dataset: Path, strategy: str, output: Path | None, explain_ids: tuple[str, ...],
               as_json: bool) -> None:
    """Give every village and community of DATASET one advisor of record.

    Exit code 0 when every village is covered, 3 when some cannot be (the
    assignment is still written, and every uncovered village is named with
    the reason and the nearest fix).

    \b
    Examples:
      advisors assign examples/tongren
      advisors assign mydata --strategy greedy -o assignments.csv
      advisors assign mydata --explain longwu-c01
    """
    data = load_dataset(dataset)
    unknown = [i for i in explain_ids if i not in data.village_by_id
               and i not in data.advisor_by_id]
    if unknown:
        raise click.BadParameter(f"no village or advisor with id {', '.join(unknown)}",
                                 param_hint="--explain")
    if strategy != "auto" and strategy not in assign_strategies():
        raise click.BadParameter(
            f"no strategy {strategy!r}; installed: {', '.join(assign_strategies())}",
            param_hint="--strategy")
    result = assign_villages(data, strategy)
    if output is not None:
        atomic_write_text(output, assignment_csv(result))
    facts = summary(result)
    problem = CoverageProblem(data) if explain_ids else None  # built once for every id
    if as_json:
        payload = {"summary": facts, "assignment": result.as_dict(),
                   "explanations": {i: explain_coverage(data, result, i, problem)
                                    for i in explain_ids}}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(say("strategy: {strategy}", strategy=strategy_name(str(facts["strategy"]))))
        click.echo(say("coverage: {covered} of {villages} villages ({percent}%)",
                       covered=facts["covered"], villages=facts["villages"],
                       percent=facts["coverage_percent"]))
        click.echo(say("total: {km} road km; load max {max}, mean {mean} over {n} advisors",
                       km=facts["total_km"], max=facts["max_load"], mean=facts["mean_load"],
                       n=facts["advisors_used"]))
        for note in result.notes:
            click.echo(solver_note_text(note))
        for warning in result.warnings:
            click.echo(click.style(say("warning: "), fg="yellow") + warning)
        teller = cli_teller(data)
        for d in result.diagnoses:
            click.echo(click.style(say("cannot cover: "), fg="red", bold=True) + told(d, teller))
            fixes = ([teller(f) for f in d.fix_texts] if d.fix_texts and not teller.english
                     else [teller.label(f) for f in d.fixes])
            for fix in fixes:
                click.echo("  " + say("fix: {fix}", fix=fix))
        for ident in explain_ids:
            click.echo("")
            for line in explain_coverage(data, result, ident, problem):
                click.echo(line)
        if output is not None:
            click.echo(say("written: {path}", path=output))
    if result.uncovered:
        raise click.exceptions.Exit(EXIT_INFEASIBLE)


COMMANDS = [assign_cmd]
