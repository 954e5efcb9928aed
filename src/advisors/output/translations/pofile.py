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
# Other control characters, and those str.splitlines() breaks at, are written as \uXXXX:
# raw, they would split a quoted line or stop the reader.
_BREAKS = frozenset("\x1c\x1d\x1e\x85\u2028\u2029")


def _char(c: str) -> str:
    if c in _ESCAPES:
        return _ESCAPES[c]
    if c in _BREAKS or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F:
        return f"\\u{ord(c):04x}"
    return c


def _quote(text: str) -> str:
    return '"' + "".join(_char(c) for c in text) + '"'


def _comment(text: str) -> str:
    return " ".join(text.splitlines()).strip()


def format_po(lang: str, entries: Iterable[Entry], title: Iterable[str] = ()) -> str:
    """The text of a catalog of ``lang``; ``title`` lines become the file's leading comments."""
    lines = [f"# {line}".rstrip() for line in title]
    lines += ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
              f'"Language: {lang}\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"', ""]
    for entry in sorted(entries, key=lambda e: (e.context, e.msgid)):
        lines += [f"# {_comment(c)}".rstrip() for c in entry.comments]
        if entry.fuzzy:
            lines.append("#, fuzzy")
        if entry.context:
            lines.append(f"msgctxt {_quote(entry.context)}")
        lines += [f"msgid {_quote(entry.msgid)}", f"msgstr {_quote(entry.msgstr)}", ""]
    return "\n".join(lines)


def write_po(path: Path, lang: str, entries: Iterable[Entry], title: Iterable[str] = ()) -> None:
    """Write the catalog atomically: a failure leaves the previous file whole."""
    atomic_write_text(path, format_po(lang, entries, title))
