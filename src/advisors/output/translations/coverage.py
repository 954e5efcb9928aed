"""How far each catalog is translated, with sources, and what a missing string leaves in Chinese.

The message ids are those of the Chinese catalog (every id the outputs use
has a Chinese text). For each id we report its status in a catalog
(``sourced``, ``reviewed``, ``translated`` without recorded provenance,
``fuzzy``, ``missing``) and the outputs that show it, found by looking for
the id in the bundled templates and modules.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

from ...locale import CATALOG_DIR, Catalog, Entry, load_catalog

__all__ = ["STATUSES", "CatalogCoverage", "Row", "catalog_coverage", "outputs_of"]

STATUSES: Final = ("sourced", "reviewed", "translated", "fuzzy", "missing")
"""Statuses, best first; outputs use the first three, drafts also ``fuzzy``."""

PACKAGE: Final = CATALOG_DIR.parent
OUTPUTS: Final[Mapping[str, str]] = {
    "output/templates/notice.html": "notice boards",
    "output/templates/roster.html": "rosters",
    "output/templates/report.html": "progress report",
    "output/templates/ledger_report.html": "ledger report",
    "output/templates/ledger_village.html": "ledger village pages",
    "output/templates/_base.html": "every printed page",
    "output/templates/notifications/sms.txt": "SMS",
    "output/templates/notifications/wechat.txt": "WeChat",
    "output/templates/notifications/email.txt": "email",
    "output/templates/notifications/_items.txt": "SMS, WeChat, email",
    "plan/event_builders.py": "calendars",
    "output/html.py": "notice boards",
    "output/rows.py": "rosters",
    "output/notifications.py": "SMS, WeChat, email",
    "output/report.py": "progress report",
    "languages.py": "rosters, calendars, SMS, WeChat, email",  # language names
}
"""The output a bundled file's strings appear in."""


@functools.cache
def _sources() -> tuple[tuple[str, str], ...]:
    files = [PACKAGE / name for name in OUTPUTS]
    return tuple((p.relative_to(PACKAGE).as_posix(), p.read_text("utf-8")) for p in files
                 if p.is_file())


def outputs_of(msgid: str) -> tuple[str, ...]:
    """The outputs that show ``msgid`` (from the bundled templates and modules), sorted."""
    quoted = (f'"{msgid}"', f"'{msgid}'")
    found: set[str] = set()
    for name, text in _sources():
        if name in OUTPUTS and any(q in text for q in quoted):
            found.update(part.strip() for part in OUTPUTS[name].split(","))
    return tuple(sorted(found))


@attrs.frozen
class Row:
    """One message id in one catalog."""

    msgid: str
    chinese: str
    text: str
    status: str
    source: str
    reviewer: str
    outputs: tuple[str, ...]


@attrs.frozen
class CatalogCoverage:
    """A catalog's rows and their counts by status."""

    lang: str
    rows: tuple[Row, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, every status present."""
        seen = Counter(r.status for r in self.rows)
        return {s: seen.get(s, 0) for s in STATUSES}

    @property
    def usable(self) -> int:
        """Strings the outputs show (sourced, reviewed or translated)."""
        counts = self.counts
        return counts["sourced"] + counts["reviewed"] + counts["translated"]


def _row(msgid: str, chinese: str, entry: Entry | None) -> Row:
    entry = entry or Entry(msgid, "")
    return Row(msgid, chinese, entry.msgstr, entry.status, entry.source, entry.reviewer,
               outputs_of(msgid))


def catalog_coverage(lang: str, extra_dirs: Sequence[Path] = ()) -> CatalogCoverage:
    """Coverage of ``lang``'s catalog (bundled plus a deployment's folders)."""
    zh = load_catalog("zh", extra_dirs)
    catalog: Catalog = load_catalog(lang, extra_dirs)
    rows = []
    for (context, msgid), zh_entry in sorted(zh.entries.items()):
        entry = catalog.entries.get((context, msgid))
        if lang == "en" and (entry is None or not entry.msgstr):  # an English id is its text
            entry = Entry(msgid, msgid, context, comments=("source: the message id",))
        rows.append(_row(msgid, zh_entry.msgstr, entry))
    return CatalogCoverage(lang, tuple(rows))
