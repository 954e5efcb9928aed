"""Gettext catalogs for ``zh``, ``bo`` and ``en``, read from their ``.po`` files.

The catalogs live next to this module as ``<lang>.po``. They are read by a
small pure-Python reader instead of compiled ``.mo`` files, so that the
``#, fuzzy`` flag survives: a Tibetan string that no native speaker has
reviewed is marked fuzzy, and the outputs **omit** it — a bilingual label
then shows Chinese only — unless review mode is asked for, which shows it
with a review marker (``⚠``) for a reviewer's proof. We never publish
Tibetan that nobody has checked, and we never make Tibetan up: an empty
``msgstr`` means "no translation yet".

Message ids are English; a missing translation falls back to the English id
only for ``en`` (other languages return nothing, and a bilingual label drops
that language rather than show English to villagers).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

__all__ = [
    "CATALOG_DIR",
    "REVIEW_MARK",
    "Catalog",
    "Entry",
    "Translator",
    "load_catalog",
    "parse_po",
]

CATALOG_DIR: Final = Path(__file__).resolve().parent
"""Folder of the bundled ``<lang>.po`` files."""
REVIEW_MARK: Final = "⚠"
"""Prefix of an unreviewed (fuzzy) string shown in review mode."""


@attrs.frozen
class Entry:
    """One message of a catalog."""

    msgid: str
    msgstr: str
    context: str = ""
    """``msgctxt``; empty when none."""
    fuzzy: bool = False
    """Not reviewed: for Tibetan, not checked by a native speaker."""
    comments: tuple[str, ...] = ()
    """Translator comments (``# …`` lines), where provenance is recorded:
    ``source: …`` (where the translation was copied from) and
    ``reviewed-by: NAME DATE`` (who checked it)."""

    def _noted(self, key: str) -> str:
        prefix = key + ":"
        return "; ".join(c[len(prefix):].strip() for c in self.comments if c.startswith(prefix))

    @property
    def source(self) -> str:
        """Where the translation comes from (``source:`` comments); empty if not recorded."""
        return self._noted("source")

    @property
    def reviewer(self) -> str:
        """Who reviewed it and when (``reviewed-by:`` comments); empty if nobody."""
        return self._noted("reviewed-by")

    @property
    def status(self) -> str:
        """``missing``, ``fuzzy``, ``reviewed``, ``sourced`` or ``translated`` (no provenance)."""
        if not self.msgstr:
            return "missing"
        if self.fuzzy:
            return "fuzzy"
        if self.reviewer:
            return "reviewed"
        return "sourced" if self.source else "translated"


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")
    # .po strings use C escapes, which Python's string literal syntax covers.
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def parse_po(text: str, source: str = "<po>") -> list[Entry]:
    """Read the entries of a ``.po`` file (the header entry is skipped).

    Handles ``msgctxt``, multi-line strings, C escapes, the ``fuzzy`` flag,
    translator comments and plural forms (the first form is kept). Raises
    ``ValueError`` naming the line.
    """
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    comments: list[str] = []
    current: str | None = None

    def flush() -> None:
        nonlocal fields, flags, comments, current
        if fields.get("msgid"):
            entries.append(Entry(fields["msgid"], fields.get("msgstr", ""),
                                 fields.get("msgctxt", ""), "fuzzy" in flags, tuple(comments)))
        fields, flags, comments, current = {}, set(), [], None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{source}:{number}"
        if not line:
            flush()
        elif line.startswith("#,"):
            if "msgid" in fields:
                flush()
            flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            if "msgid" in fields and "msgstr" in fields:
                flush()
            if line == "#" or line.startswith("# "):
                comments.append(line[2:].strip())
        elif line.startswith('"'):
            if current is None:
                raise ValueError(f"{where}: string continues no keyword")
            fields[current] += _unquote(line, where)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword.startswith("msgstr["):
                index = keyword[7:].rstrip("]")
                keyword = "msgstr" if index == "0" else f"msgstr_{index}"
            if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not (
                keyword.startswith("msgstr_")
            ):
                raise ValueError(f"{where}: unknown keyword {keyword!r}")
            if keyword in ("msgctxt", "msgid") and "msgstr" in fields:
                flush()
            fields[keyword] = _unquote(rest, where)
            current = keyword
    flush()
    return entries


@attrs.frozen
class Catalog:
    """The messages of one language."""

    lang: str
    entries: Mapping[tuple[str, str], Entry] = attrs.field(factory=dict)
    """(context, msgid) → entry."""

    @classmethod
    def from_entries(cls, lang: str, entries: Iterable[Entry]) -> Catalog:
        """A catalog from parsed entries; a later entry replaces an earlier one."""
        return cls(lang, {(e.context, e.msgid): e for e in entries})

    def lookup(self, msgid: str, *, context: str = "", review: bool = False) -> str | None:
        """The translation, or ``None``: none written, or fuzzy outside review mode."""
        entry = self.entries.get((context, msgid))
        if entry is None or not entry.msgstr:
            return msgid if self.lang == "en" else None
        if entry.fuzzy:
            return REVIEW_MARK + entry.msgstr if review else None
        return entry.msgstr

    def merged(self, other: Catalog) -> Catalog:
        """This catalog with ``other``'s entries on top (a deployment's own catalog)."""
        return Catalog(self.lang, {**self.entries, **other.entries})


@functools.lru_cache(maxsize=32)
def _read(path: Path) -> tuple[Entry, ...]:
    return tuple(parse_po(path.read_text(encoding="utf-8"), path.name))


def load_catalog(lang: str, extra_dirs: Sequence[Path] = (), domain: str = "") -> Catalog:
    """The bundled catalog of ``lang``, overridden by ``<dir>/<lang>.po`` of each extra folder.

    ``domain`` names another set of catalogs beside the outputs' one: ``cli`` reads
    ``cli.<lang>.po``, the command line's help and messages.
    """
    catalog = Catalog(lang)
    for folder in (CATALOG_DIR, *extra_dirs):
        path = Path(folder) / (f"{domain}.{lang}.po" if domain else f"{lang}.po")
        if path.is_file():
            catalog = catalog.merged(Catalog.from_entries(lang, _read(path.resolve())))
    return catalog


@attrs.frozen
class Translator:
    """Labels in one or several languages, as templates and calendar texts need them."""

    catalogs: Mapping[str, Catalog]
    review: bool = False
    """Show unreviewed (fuzzy) strings with :data:`REVIEW_MARK` instead of omitting them."""
    _found: dict[tuple[str, str], str | None] = attrs.field(
        factory=dict, init=False, eq=False, repr=False)
    """(msgid, lang) → the catalog's string, looked up once: a plan's outputs ask for
    the same few hundred strings hundreds of thousands of times."""
    _texts: dict[tuple[str, str], str] = attrs.field(
        factory=dict, init=False, eq=False, repr=False)
    """(msgid, lang) → the string :meth:`text` falls back to, before filling in."""

    @classmethod
    def load(cls, langs: Iterable[str] = ("zh", "bo", "en"), extra_dirs: Sequence[Path] = (),
             review: bool = False) -> Translator:
        """Catalogs for ``langs`` (bundled, plus a deployment's folders)."""
        return cls({lang: load_catalog(lang, tuple(extra_dirs)) for lang in langs}, review)

    def get(self, msgid: str, lang: str, **values: Any) -> str | None:
        """``msgid`` in ``lang`` with ``{placeholders}`` filled, or ``None`` if untranslated."""
        text = self._lookup(msgid, lang)
        if text is None:
            return None
        return text.format_map(values) if values else text

    def _lookup(self, msgid: str, lang: str) -> str | None:
        try:
            return self._found[(msgid, lang)]
        except KeyError:
            catalog = self.catalogs.get(lang)
            text = catalog.lookup(msgid, review=self.review) if catalog else None
            self._found[(msgid, lang)] = text
            return text

    def text(self, msgid: str, lang: str = "zh", **values: Any) -> str:
        """``msgid`` in ``lang``, falling back to Chinese, then to the English id."""
        try:
            text = self._texts[(msgid, lang)]
        except KeyError:
            found = [self._lookup(msgid, c) for c in (lang, "zh", "en")]
            text = next((f for f in found if f is not None), msgid)
            self._texts[(msgid, lang)] = text
        return text.format_map(values) if values else text

    def each(self, msgid: str, langs: Sequence[str], **values: Any) -> dict[str, str]:
        """``msgid`` in every language of ``langs`` that has a (reviewed) translation."""
        out: dict[str, str] = {}
        for lang in langs:
            found = self.get(msgid, lang, **values)
            if found is not None:
                out[lang] = found
        if not out:
            out["zh"] = self.text(msgid, "zh", **values)
        return out

    def bilingual(self, msgid: str, langs: Sequence[str], sep: str = " / ",
                  **values: Any) -> str:
        """``msgid`` in each of ``langs`` that has a translation, joined by ``sep``."""
        texts = self.each(msgid, langs, **values)
        seen: list[str] = []
        for text in texts.values():
            if text not in seen:
                seen.append(text)
        return sep.join(seen)
