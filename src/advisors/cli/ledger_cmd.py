"""``advisors ledger``, ``advisors assess`` and ``advisors budget``: plan against reality.

The ledger (``services.csv``) and the villagers' scores (``feedback.csv``)
are read from the dataset folder. The planned visits are the schedule of
each calendar quarter the period touches (quarters are what bureaus publish;
a month's ledger is matched against its quarter's plan), computed with the
installed strategy on the coverage of :func:`advisors.assign` — or taken
from ``--plan`` (a ``plan.json`` of ``advisors plan`` or a visit plan of
``advisors schedule -o plan.json``) for the quarters it covers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import click

from ..data.atomic import atomic_write_bytes
from ..data.dataset import Dataset
from ..data.dispatch import load_dataset
from ..ledger.assess import Assessment, Grade, assess, grades_rows
from ..ledger.budget import Budget, budget
from ..ledger.effective import Ledger, match_ledger
from ..ledger.records import Feedback, ServiceRecord, read_feedback, read_services
from ..output.csvout import csv_bytes
from ..period import Period
from ..plan.schema import VISITS_SCHEMA, build_checked, parse_json
from ..plan.telling import month_zh
from ..visits.visit_plan import Visit, VisitPlan
from ._options import parse_period, period_option, read_text
from ._table import render_table
from .speak import by_pattern, language, problem_text, say

__all__ = ["COMMANDS", "LedgerInputs"]


class LedgerInputs:
    """A dataset folder's ledger, scores, coverage and (lazily) each quarter's plan."""

    def __init__(self, folder: Path, plan: Path | None = None,
                 services: Path | None = None, feedback: Path | None = None) -> None:
        self.dataset: Dataset = load_dataset(folder)
        self.records: list[ServiceRecord] = read_services(
            services or _first(folder, "services"), self.dataset)
        self.feedback: list[Feedback] = read_feedback(
            feedback or _first(folder, "feedback"), self.dataset)
        self._given: VisitPlan | None = None
        advisor_of: dict[str, str | None] | None = None
        if plan is not None:
            self._given, advisor_of = _read_plan(plan)
        if advisor_of is None:
            import advisors

            advisor_of = dict(advisors.assign(self.dataset).advisor_of)
        self.advisor_of: dict[str, str | None] = advisor_of
        self._cache: dict[str, tuple[Visit, ...]] = {}

    def visits_for(self, period: Period) -> tuple[Visit, ...]:
        """Planned visits of every calendar quarter ``period`` touches."""
        out: list[Visit] = []
        for quarter in period.quarters():
            label = quarter.label
            if label not in self._cache:
                whole = Period.parse(label)
                given = self._given
                if given is not None and given.period.start <= whole.start \
                        and whole.end <= given.period.end:
                    self._cache[label] = tuple(v for v in given.visits if v.date in whole)
                else:
                    from ..assignment import Assignment
                    from ..visits.api import schedule_visits

                    plan = schedule_visits(self.dataset, Assignment(self.advisor_of), whole)
                    self._cache[label] = plan.visits
            out.extend(self._cache[label])
        return tuple(out)

    def ledger(self, period: Period) -> Ledger:
        """The period's plan matched against the ledger."""
        return match_ledger(self.dataset, self.visits_for(period), self.records, period,
                            self.advisor_of)


def _first(folder: Path, stem: str) -> Path:
    for suffix in (".csv", ".json"):
        if (folder / f"{stem}{suffix}").exists():
            return folder / f"{stem}{suffix}"
    return folder / f"{stem}.csv"


def _read_plan(path: Path) -> tuple[VisitPlan, dict[str, str | None] | None]:
    data = parse_json(read_text(path, "--plan"), str(path))
    if isinstance(data, dict) and data.get("kind") == "visits":
        return build_checked(VisitPlan.from_dict, data, VISITS_SCHEMA, str(path)), None
    from ..plan.plan import Plan

    plan = Plan.from_dict(data, str(path))
    return plan.visits, dict(plan.assignment.advisor_of)


def _pct(part: int, whole: int) -> str:
    return "—" if whole == 0 else f"{100 * part / whole:.0f}%"


def _print_ledger(inputs: LedgerInputs, ledger: Ledger) -> None:
    t = ledger.total
    click.echo(say("ledger {period}: {planned} visits planned, {held} held, {late} held late, "
                   "{missed} missed; {unplanned} unplanned service days; {records} records "
                   "counted, {excluded} not counted", period=_period(ledger.period.label),
                   planned=t.planned, held=t.held, late=t.late, missed=t.missed,
                   unplanned=t.unplanned, records=t.records, excluded=len(ledger.excluded)))
    names = {x.id: x.name for x in inputs.dataset.townships}
    rows = [(names.get(k, k), f.planned, f.held, f.late, f.missed, f.unplanned,
             _pct(f.held_total, f.planned), f"{f.villages_every_month}/{f.villages}",
             f"{f.lectures_held}/{f.lectures_planned}", f.people_served)
            for k, f in ledger.by_township.items()]
    rows.append((say("total"), t.planned, t.held, t.late, t.missed, t.unplanned,
                 _pct(t.held_total, t.planned), f"{t.villages_every_month}/{t.villages}",
                 f"{t.lectures_held}/{t.lectures_planned}", t.people_served))
    click.echo(render_table(tuple(say(h) for h in (
        "township", "planned", "held", "late", "missed", "unplanned", "held %",
        "visited monthly", "lectures", "people")), rows))
    topics = inputs.dataset.policy.ledger.topic_names
    if t.consultations:
        click.echo(say("consultations by topic: ") + say(", ").join(
            f"{topics.get(k, k)} {n}" for k, n in t.consultations.items()))
    if t.appointments_planned:
        click.echo(say("home-visit appointments kept: {kept} of {planned}",
                       kept=t.appointments_kept, planned=t.appointments_planned))
    if ledger.findings:
        click.echo(say("findings:"))
        for f in ledger.findings:
            click.echo(f"  {problem_text(f.problem)}"
                       + say(" — counted" if f.counted else " — not counted"))


@click.command("ledger")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@period_option
@click.option("--plan", "plan_path", type=click.Path(exists=True, dir_okay=False,
                                                     path_type=Path),
              help="The published plan.json (default: schedule the period's quarters).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write the village files (一村一卷), the statistics report and CSV tables.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def ledger_cmd(dataset: Path, period: Period, plan_path: Path | None, out: Path | None,
               as_json: bool) -> None:
    """Plan against reality: visits held, held late, missed, unplanned (services.csv).

    \b
    Examples:
      advisors ledger examples/tongren --period 2026-Q4
      advisors ledger mydata --period 2026-12 --plan out/plan.json --out ledger-out
    """
    when = period
    inputs = LedgerInputs(dataset, plan_path)
    ledger = inputs.ledger(when)
    if as_json:
        click.echo(json.dumps(ledger.as_dict(), ensure_ascii=False, indent=1, sort_keys=True))
    else:
        _print_ledger(inputs, ledger)
    if out is not None:
        written = _export(inputs, ledger, None, out)
        if not as_json:
            click.echo(f"written: {len(written)} files in {out}")


def _export(inputs: LedgerInputs, ledger: Ledger, assessment: Assessment | None,
            out: Path) -> list[Path]:
    from ..output import export
    from ..output.base import Publication
    from ..output.ledger_exporters import LEDGER_EXPORTERS

    # stamped with the period's last day, not the wall clock: same files, same output
    stamp = dt.datetime.combine(ledger.period.end, dt.time(0), tzinfo=dt.UTC)
    pub = Publication(inputs.dataset, ledger.period, (), advisor_of=ledger.advisor_of,
                      stamp=stamp, facts={"ledger": ledger, "assessment": assessment})
    return export(pub, out, names=LEDGER_EXPORTERS)


@click.command("assess")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--quarter", required=True, callback=parse_period, help="The quarter, e.g. 2026-Q4.")
@click.option("--plan", "plan_path", type=click.Path(exists=True, dir_okay=False,
                                                     path_type=Path),
              help="The published plan.json (default: schedule the quarter).")
@click.option("--seed", default=0, show_default=True, help="Seed of the spot-check draw.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write grades.csv (UTF-8 with BOM, for Excel/WPS).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the ledger exports with the grades.")
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON.")
def assess_cmd(dataset: Path, quarter: Period, plan_path: Path | None, seed: int,
               output: Path | None, out: Path | None, as_json: bool) -> None:
    """Grade every advisor for a quarter, explained line by line; honour and warning lists.

    \b
    Examples:
      advisors assess examples/tongren --quarter 2026-Q4
      advisors assess mydata --quarter 2026-Q4 -o grades.csv --seed 7
    """
    when = quarter
    if len(when.quarters()) != 1 or when.quarters()[0] != Period.parse(when.quarters()[0].label):
        raise click.BadParameter(f"not a quarter: {when.label!r}", param_hint="--quarter")
    inputs = LedgerInputs(dataset, plan_path)
    ledger = inputs.ledger(when)
    result = assess(inputs.dataset, ledger, inputs.feedback, seed)
    if output is not None:
        header, rows = grades_rows(inputs.dataset, result)
        atomic_write_bytes(output, csv_bytes(header, rows))
    if out is not None:
        _export(inputs, ledger, result, out)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1, sort_keys=True))
        return
    _print_assessment(inputs.dataset, result)
    if output is not None:
        click.echo(f"written: {output}")


def _print_assessment(data: Dataset, result: Assessment) -> None:
    names = data.policy.ledger.grade_names
    rows = [(g.rank or "—", g.advisor, data.advisor_by_id[g.advisor].name,
             "—" if g.score is None else f"{g.score:.1f}",
             _grade(g.grade, names)) for g in result.grades]
    click.echo(say("assessment {quarter}: {count} advisors", quarter=_period(result.quarter),
                   count=len(result.grades)))
    click.echo(render_table(tuple(say(h) for h in ("rank", "advisor", "name", "score", "grade")),
                            rows))
    click.echo(say("explanation:"))
    for g in result.grades:
        click.echo(f"  {g.advisor} {data.advisor_by_id[g.advisor].name}")
        for line in _explained(g, names):
            click.echo(f"    {line}")
    click.echo(say("honour list: ") + (say(", ").join(_who(data, a) for a in result.honour)
                                       or say("none")))
    click.echo(say("warning list: ") + (say(", ").join(_who(data, a) for a in result.warning)
                                        or say("none")))
    click.echo(say("spot check (seed {seed}):", seed=result.seed))
    for township, villages in result.spot_check.items():
        click.echo(f"  {data.township_by_id[township].name}{say(': ')}" + say(", ").join(
            data.village_by_id[v].name for v in villages))


def _period(label: str) -> str:
    """A period's label as the reader writes it (``2026-Q4`` → ``2026年第四季度``)."""
    return label if language() == "en" else month_zh(label)


def _grade(grade: str, names: Mapping[str, str]) -> str:
    """``excellent 优秀`` in English (the code people type, and its name); ``优秀`` in Chinese."""
    if language() == "en":
        return f"{grade} {names.get(grade, '')}".strip()
    return names.get(grade) or say(grade, "grade")


_DETAILS: Final = (
    (re.compile(r"(?P<held>\d+) held \+ (?P<late>\d+) late × (?P<credit>[\d.]+) of "
                r"(?P<planned>\d+) planned \((?P<missed>\d+) missed\)"),
     "{held} held + {late} late × {credit} of {planned} planned ({missed} missed)"),
    (re.compile(r"(?P<complete>\d+) of (?P<records>\d+) records complete"),
     "{complete} of {records} records complete"),
    (re.compile(r"(?P<held>\d+) held of (?P<planned>\d+) planned"),
     "{held} held of {planned} planned"),
    (re.compile(r"mean score (?P<mean>[\d.]+) of (?P<count>\d+) \(1 → 0, 5 → 1\)"),
     "mean score {mean} of {count} (1 → 0, 5 → 1)"),
)


def _explained(grade: Grade, names: Mapping[str, str]) -> list[str]:
    """The grade explained line by line, in the reader's language (English: as the library
    words it)."""
    if language() == "en":
        return grade.lines()

    def word(msgid: str, context: str = "ui", /, **values: Any) -> str:
        if context == "grade":
            return _grade(msgid, names)
        if context == "factor":
            return by_pattern(msgid, "factor", _DETAILS)
        return say(msgid, context, **values)

    return grade.lines(word)


def _who(data: Dataset, advisor: str) -> str:
    return f"{data.advisor_by_id[advisor].name} ({advisor})"


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _summary_rows(table: dict[str, dict[str, float]], names: dict[str, str]
                  ) -> list[Sequence[object]]:
    rows: list[Sequence[object]] = [
        (names.get(k, k) or "—", _money(v["subsidy"]), _money(v["services"]),
         _money(v["total"])) for k, v in table.items()]
    rows.append((say("total"), *(_money(sum(v[f] for v in table.values()))
                            for f in ("subsidy", "services", "total"))))
    return rows


@click.command("budget")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--year", required=True, type=int, help="The budget year, e.g. 2027.")
@click.option("--plan", "plan_path", type=click.Path(exists=True, dir_okay=False,
                                                     path_type=Path),
              help="The published plan.json (default: schedule each quarter).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write budget.csv, one line per village and quarter.")
@click.option("--json", "as_json", is_flag=True, help="Print the budget as JSON.")
def budget_cmd(dataset: Path, year: int, plan_path: Path | None, output: Path | None,
               as_json: bool) -> None:
    """Subsidies and service pay scaled by the grades, per township and organization.

    Quarters with ledger records are reported; the others are estimated from
    their plan at the latest grades.

    \b
    Examples:
      advisors budget examples/tongren --year 2026
      advisors budget examples/tongren --year 2027 -o budget-2027.csv
    """
    if not 1900 <= year <= 9999:
        raise click.BadParameter(f"not a year: {year}", param_hint="--year")
    inputs = LedgerInputs(dataset, plan_path)
    result = budget(inputs.dataset, year, inputs.advisor_of, inputs.visits_for,
                    inputs.records, inputs.feedback)
    if output is not None:
        atomic_write_bytes(output, _budget_csv(result))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1, sort_keys=True))
        return
    data = inputs.dataset
    reported = say(", ").join(_period(q) for q in result.reported_quarters) or say("none")
    click.echo(say("budget {year}: {total} yuan; reported quarters: {reported}, the others "
                   "estimated from the plan", year=year, total=_money(result.total),
                   reported=reported))
    quarters = {q: _period(q) + say(" (reported)" if q in result.reported_quarters
                                    else " (estimated)")
                for q in result.by_quarter()}
    header = tuple(say(h) for h in ("subsidy", "service pay", "total"))
    click.echo(render_table((say("quarter"), *header), _summary_rows(result.by_quarter(),
                                                                      quarters)))
    click.echo(render_table((say("township"), *header), _summary_rows(
        result.by_township(), {t.id: t.name for t in data.townships})))
    click.echo(render_table((say("organization"), *header), _summary_rows(
        result.by_organization(), {})))
    if output is not None:
        click.echo(f"written: {output}")


def _budget_csv(result: Budget) -> bytes:
    header = ["quarter", "village", "township", "advisor", "organization", "grade",
              "reported", "subsidy", "services", "total"]
    rows = [[line.quarter, line.village, line.township, line.advisor, line.organization,
             line.grade, "true" if line.reported else "false", f"{line.subsidy:.2f}",
             f"{line.services:.2f}", f"{line.total:.2f}"] for line in result.lines]
    return csv_bytes(header, rows)


COMMANDS = [ledger_cmd, assess_cmd, budget_cmd]
