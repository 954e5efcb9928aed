"""Built-in exporters: iCalendar feeds and invitations, rosters (HTML, CSV, Markdown),
notice boards, notifications, the progress report and ``plan.json``."""

from __future__ import annotations

from pathlib import Path

from ..hookspecs import Register, hookimpl
from ..locale import cldr
from ..plan.events import Party
from .base import ExportOptions, Publication
from .csvout import write_csv
from .folder import OutputFolder
from .html import write_notices, write_report, write_rosters
from .ics import FeedWriter
from .invitations import write_invitations
from .markdown import table
from .notifications import write_notifications
from .rows import ROSTER_COLUMNS, ROSTER_HEADINGS, roster_rows

__all__ = ["feed_names", "feed_writer", "register_exporters"]


def feed_writer(pub: Publication, options: ExportOptions) -> FeedWriter:
    """The calendar writer configured by the publication's policy."""
    policy = pub.dataset.policy
    organizer = (Party(policy.calendar.organizer_name, policy.calendar.organizer_email)
                 if policy.calendar.organizer_email else None)
    return FeedWriter(domain=policy.calendar.uid_domain, zone=policy.timezone,
                      alarms=tuple(policy.calendar.alarm_minutes), organizer=organizer,
                      aggregate_alarms=policy.calendar.aggregate_alarms,
                      translator=options.translator())


def feed_names(pub: Publication, options: ExportOptions) -> dict[str, str]:
    """Display name of every possible feed (``advisor/adv-01`` → ``才让多杰 · 法律服务日程``)."""
    data = pub.dataset
    label = options.translator().text("Service roster", "zh")
    period = cldr.period_label(pub.period.start, pub.period.end, "zh")  # words, not 2026-12
    names = {"all": f"{label} · {period}"}
    for kind, records in (("advisor", data.advisors), ("trainer", data.trainers),
                          ("village", data.villages), ("township", data.townships)):
        for record in records:
            names[f"{kind}/{record.id}"] = f"{record.name} · {label}"
    return names


def ics(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``calendars/<kind>/<id>.ics`` and ``calendars/all.ics``; ``invitations/*.eml``."""
    writer = feed_writer(pub, options)
    written = writer.write_all(out, pub.events, feed_names(pub, options))
    if options.invitations and writer.organizer is not None:
        written += write_invitations(writer, pub.changes, writer.organizer, out)
    return written


def roster_html(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/<township>.html``: printable A4, bilingual."""
    return write_rosters(pub, out, options.renderer(), options.translator())


def roster_csv(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/roster.csv``: UTF-8 with BOM, formulas neutralised."""
    relative = Path("rosters") / "roster.csv"
    rows = [r.values() for r in roster_rows(pub, options.translator())]
    write_csv(out.path(relative), [ROSTER_HEADINGS[c] for c in ROSTER_COLUMNS], rows)
    return [relative]


def roster_md(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``rosters/roster.md``: the roster as a Markdown table."""
    relative = Path("rosters") / "roster.md"
    rows = [r.values() for r in roster_rows(pub, options.translator())]
    text = f"# {pub.period.label}\n\n" + table([ROSTER_HEADINGS[c] for c in ROSTER_COLUMNS], rows)
    return [out.write_text(relative, text)]


def notices(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``notices/<village>.html``: the notice board card (公示牌)."""
    return write_notices(pub, out, options.renderer())


def notifications(pub: Publication, out: OutputFolder, options: ExportOptions
                  ) -> list[Path | str]:
    """``notifications/<channel>/<recipient>``: SMS, WeChat and email messages."""
    return write_notifications(pub, out, options.renderer(), options.translator())


def report(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``report.html``: coverage and training progress with inline SVG charts."""
    return write_report(pub, out, options.renderer(), options.translator())


def plan_json(pub: Publication, out: OutputFolder, options: ExportOptions) -> list[Path]:
    """``plan.json``: the whole plan, which reads back to the same Plan."""
    if not pub.has_json:
        return []
    with out.open("plan.json", "wb") as sink:  # streamed: never one string in memory
        pub.write_json(sink)
    return [Path("plan.json")]


@hookimpl
def register_exporters(register: Register) -> None:
    """Offer the built-in exporters."""
    register("plan-json", plan_json, "plan.json: the whole plan; reads back to the same Plan")
    register("ics", ics, "iCalendar feeds per advisor, trainer, village, township, and all; "
             ".eml invitations when the policy names an organizer email")
    register("roster-html", roster_html, "printable A4 roster per township, bilingual")
    register("roster-csv", roster_csv, "roster.csv, UTF-8 with BOM, formulas neutralised")
    register("roster-md", roster_md, "roster.md, a Markdown table")
    register("notices", notices, "notice board card (公示牌) per village, printable HTML")
    register("notifications", notifications, "SMS, WeChat and email messages per person")
    register("report", report, "progress report with inline SVG charts")
