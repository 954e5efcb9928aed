"""Writing a ``.po`` catalog back: entries with their provenance comments and flags.

The inverse of :func:`advisors.locale.parse_po` for what we keep (context,
id, translation, ``fuzzy``, translator comments), so a catalog filled from
the glossary or merged from a reviewer's sheet reads back the same.
Entries are written sorted by (context, id): the same entries always give
the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ...data.atomic import atomic_write_text
from ...locale import Entry

__all__ = ["format_po", "write_po"]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(c, c) for c in text) + '"'


def format_po(lang: str, entries: Iterable[Entry], title: Iterable[str] = ()) -> str:
    """The text of a catalog of ``lang``; ``title`` lines become the file's leading comments."""
    lines = [f"# {line}".rstrip() for line in title]
    lines += ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
              f'"Language: {lang}\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"', ""]
    for entry in sorted(entries, key=lambda e: (e.context, e.msgid)):
        lines += [f"# {c}".rstrip() for c in entry.comments]
        if entry.fuzzy:
            lines.append("#, fuzzy")
        if entry.context:
            lines.append(f"msgctxt {_quote(entry.context)}")
        lines += [f"msgid {_quote(entry.msgid)}", f"msgstr {_quote(entry.msgstr)}", ""]
    return "\n".join(lines)


def write_po(path: Path, lang: str, entries: Iterable[Entry], title: Iterable[str] = ()) -> None:
    """Write the catalog atomically: a failure leaves the previous file whole."""
    atomic_write_text(path, format_po(lang, entries, title))
