"""Ledger exporters: the village file (一村一卷), the statistics report, CSV tables.

They write only when the publication carries a ledger (``facts["ledger"]``,
an :class:`advisors.ledger.effective.Ledger`, and optionally ``facts["assessment"]``)
— as ``advisors ledger --out`` and ``advisors assess --out`` hand them; for a
plan's publication they write nothing. Villagers' names are never given to
a template or a table: only counts, topics and the advisor's note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from ..hookspecs import Register, hookimpl
from ..ledger.assess import Assessment, grades_rows
from ..ledger.effective import Figures, Ledger, Outcome
from ..ledger.records import ServiceRecord
from ..locale.codes import CODE_NAMES
from .base import ExportOptions, Publication
from .csvout import write_csv
from .folder import OutputFolder

__all__ = ["LEDGER_EXPORTERS", "register_exporters"]

LEDGER_EXPORTERS: Final = ("ledger-village", "ledger-report", "ledger-csv")
"""Names of the exporters in this module."""

STATUS_ZH: Final = {"held": "按时", "late": "迟到", "missed": "未到", "unplanned": "计划外"}
KIND_ZH: Final = CODE_NAMES["service_kind"]
"""Chinese names of the service kinds."""


def _facts(pub: Publication) -> tuple[Ledger | None, Assessment | None]:
    ledger = pub.facts.get("ledger")
    assessment = pub.facts.get("assessment")
    return (ledger if isinstance(ledger, Ledger) else None,
            assessment if isinstance(assessment, Assessment) else None)


def _common(pub: Publication) -> dict[str, Any]:
    return {"period": pub.period, "version": pub.version,
            "stamp": pub.published_on.isoformat(), "langs": ("zh",)}


def _topics(pub: Publication, record: ServiceRecord) -> str:
    names = pub.dataset.policy.ledger.topic_names
    return "、".join(f"{names.get(t, t)} {n}" for t, n in record.consultations.items())


def _record_row(pub: Publication, r: ServiceRecord) -> dict[str, Any]:
    person = pub.dataset.advisor_by_id.get(r.advisor)
    return {"held_on": r.date.isoformat(), "time": f"{r.start}–{r.end}",
            "kind": KIND_ZH.get(r.kind, r.kind), "advisor": person.name if person else r.advisor,
            "people": "" if r.people_served is None else r.people_served,
            "topics": _topics(pub, r), "note": r.note}


def _outcome_row(pub: Publication, o: Outcome) -> dict[str, Any]:
    row: dict[str, Any] = {"held_on": "", "time": "", "kind": "", "people": "", "topics": "",
                           "note": ""}
    if o.record is not None:
        row |= _record_row(pub, o.record)
    else:
        person = pub.dataset.advisor_by_id.get(o.advisor)
        row["advisor"] = person.name if person else o.advisor
        if o.visit is not None:
            row["kind"] = "法治讲座" if o.visit.lecture else "坐班"
    row["planned"] = o.visit.date.isoformat() if o.visit else "—"
    row["status"] = o.status
    row["status_zh"] = STATUS_ZH[o.status]
    return row


def village_files(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``ledger/villages/<village>.html``: the village's printable file (一村一卷)."""
    ledger, _ = _facts(pub)
    if ledger is None:
        return []
    renderer = options.renderer()
    data = pub.dataset
    written = []
    for village in sorted(data.villages, key=lambda v: v.id):
        advisor = data.advisor_by_id.get(ledger.advisor_of.get(village.id) or "")
        findings = [str(f) for f in ledger.findings if f.record.village == village.id]
        html = renderer.render(
            "ledger_village.html", village=village,
            township=data.township_by_id.get(village.township),
            advisor=f"{advisor.name}（{advisor.organization}）" if advisor else "",
            f=ledger.by_village.get(village.id, Figures()),
            visits=[_outcome_row(pub, o) for o in ledger.outcomes_of(village.id)],
            services=[_record_row(pub, r) for r in ledger.services if r.village == village.id],
            findings=findings, **_common(pub))
        relative = Path("ledger") / "villages" / f"{village.id}.html"
        out.write_text(relative, html)
        written.append(relative)
    return written


def _share(part: int, whole: int) -> float | None:
    return None if whole <= 0 else min(1.0, part / whole)


def statistics_report(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``ledger/report.html``: the statistics report with inline SVG charts (no script)."""
    ledger, assessment = _facts(pub)
    if ledger is None:
        return []
    data = pub.dataset
    names = {t.id: t.name for t in data.townships}
    rows = [(names.get(k, k), f) for k, f in ledger.by_township.items()]
    townships = [{"name": name, "f": f, "share": _share(f.held_total, f.planned)}
                 for name, f in rows]
    charts = [
        ("计划到村服务完成情况", [(name, _share(f.held_total, f.planned),
                                   f"{f.held_total}/{f.planned}") for name, f in rows]),
        ("每月都到村的村数", [(name, _share(f.villages_every_month, f.villages),
                               f"{f.villages_every_month}/{f.villages}") for name, f in rows]),
        ("法治讲座", [(name, _share(f.lectures_held, f.lectures_planned),
                       f"{f.lectures_held}/{f.lectures_planned}") for name, f in rows]),
    ]
    topic_names = data.policy.ledger.topic_names
    topics = [(topic_names.get(k, k), n) for k, n in ledger.total.consultations.items()]
    if topics:
        top = max(n for _, n in topics)
        charts.append(("咨询事项分类", [(name, _share(n, top), str(n)) for name, n in topics]))
    monthly = [(m, [counts.get(k, 0) for k in ledger.by_township])
               for m, counts in ledger.monthly.items()]
    grades: list[dict[str, Any]] = []
    honour: list[str] = []
    warning: list[str] = []
    if assessment is not None:
        grade_names = data.policy.ledger.grade_names
        for g in assessment.grades:
            person = data.advisor_by_id.get(g.advisor)
            grades.append({"rank": g.rank or "—", "name": person.name if person else g.advisor,
                           "score": "—" if g.score is None else f"{g.score:.1f}",
                           "grade": grade_names.get(g.grade, g.grade)})
        honour = [data.advisor_by_id[a].name for a in assessment.honour]
        warning = [data.advisor_by_id[a].name for a in assessment.warning]
    html = options.renderer().render(
        "ledger_report.html", T=ledger.total, excluded=len(ledger.excluded),
        townships=townships, charts=charts, monthly=monthly, topics=topics, grades=grades,
        honour=honour, warning=warning, findings=[str(f) for f in ledger.findings],
        **_common(pub))
    relative = Path("ledger") / "report.html"
    out.write_text(relative, html)
    return [relative]


FIGURE_COLUMNS: Final = ("planned", "held", "late", "missed", "unplanned", "lectures_planned",
                         "lectures_held", "appointments_planned", "appointments_kept",
                         "villages", "villages_every_month", "people_served", "records",
                         "complete")
"""Numeric columns of the figure tables."""


def _figure_rows(table: dict[str, Figures], names: dict[str, str]) -> list[list[Any]]:
    return [[k, names.get(k, ""), *(getattr(f, c) for c in FIGURE_COLUMNS)]
            for k, f in table.items()]


def csv_tables(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``ledger/*.csv``: outcomes, figures per township/advisor/village, findings, grades."""
    ledger, assessment = _facts(pub)
    if ledger is None:
        return []
    data = pub.dataset
    folder = Path("ledger")
    written = []

    def put(name: str, header: list[str], rows: list[list[Any]]) -> None:
        write_csv(out.path(folder / name), header, rows)
        written.append(folder / name)

    put("outcomes.csv", ["status", "village", "advisor", "planned", "visit", "held_on",
                         "kind", "people_served", "record"],
        [[o.status, o.village, o.advisor, o.visit.date.isoformat() if o.visit else "",
          o.visit.id if o.visit else "", o.record.date.isoformat() if o.record else "",
          o.record.kind if o.record else "",
          "" if o.record is None or o.record.people_served is None
          else o.record.people_served, o.record.ref if o.record else ""]
         for o in ledger.outcomes])
    header = ["id", "name", *FIGURE_COLUMNS]
    put("townships.csv", header, _figure_rows(dict(ledger.by_township),
                                              {t.id: t.name for t in data.townships}))
    put("advisors.csv", header, _figure_rows(dict(ledger.by_advisor),
                                             {a.id: a.name for a in data.advisors}))
    put("villages.csv", header, _figure_rows(dict(ledger.by_village),
                                             {v.id: v.name for v in data.villages}))
    put("findings.csv", ["rule", "source", "line", "field", "value", "message", "counted"],
        [[f.rule, f.problem.source, f.problem.line or "", f.problem.field or "",
          f.problem.value or "", f.problem.message, "true" if f.counted else "false"]
         for f in ledger.findings])
    if assessment is not None:
        head, rows = grades_rows(data, assessment)
        put("grades.csv", head, rows)
    return written


@hookimpl
def register_exporters(register: Register) -> None:
    """Offer the ledger exporters."""
    register("ledger-village", village_files,
             "the village's printable service file (一村一卷) from the ledger")
    register("ledger-report", statistics_report,
             "ledger statistics with inline SVG charts: held vs planned, lectures, topics")
    register("ledger-csv", csv_tables,
             "ledger tables (outcomes, figures, findings, grades): CSV UTF-8 with BOM")
