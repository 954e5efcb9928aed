"""The sourced Tibetan glossary, and the catalog entries it justifies.

``tibetan-glossary.tsv`` (next to this module) lists Chinese terms of this
field with a Tibetan form, the source each was copied from, and a confidence
note. It is the only place our Tibetan strings may come from:

* a catalog string whose Chinese equals a glossary term marked
  ``exact match`` gets that Tibetan as a **sourced** translation;
* one whose term is only ``inferred`` (a component, a Tibetan-only context),
  or that is a composition of several glossary terms, gets it **fuzzy** —
  "needs review by a native speaker" — and outputs omit it unless drafts are
  asked for;
* everything else stays empty.

Each entry records where it came from in translator comments
(``source: glossary "时间" — <url> (<confidence>)``).

Place names are data, not catalog strings: :func:`place_name` gives the
Tibetan the outputs print beside a township's Chinese name when the dataset
has no ``name_bo``. A glossary row marked "name only" (``多哇镇 མདོ་བ་``) sources
the name without its 镇/乡 suffix: that name is printed as sourced; the name
with the suffix (``མདོ་བ་གྲོང་རྡལ།``) is a composition, fuzzy, for drafts only.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

from ...locale import CATALOG_DIR, Entry

__all__ = ["GLOSSARY", "PlaceName", "Term", "bundled_terms", "fill_from_glossary", "place_name",
           "read_glossary"]

GLOSSARY: Final = CATALOG_DIR / "tibetan-glossary.tsv"
"""The bundled glossary (a copy of the project's shared, sourced glossary)."""
NEEDS_REVIEW: Final = "needs review by a native speaker"
_COLUMNS: Final = ("zh", "bo", "en", "source", "confidence")
_NOTE = re.compile(r"\s*[(（][^)）]*[)）]\s*")
_PLACE = re.compile(r"([\u4e00-\u9fff]+?)([镇乡])")
"""A township's Chinese name: its own name, then 镇 (town) or 乡 (township)."""
_NAME_ONLY = ("name only", "suffix not sourced")


@attrs.frozen
class Term:
    """One Chinese term and its Tibetan form, with where it was found."""

    zh: str
    """The Chinese term alone (the glossary's notes in brackets removed)."""
    bo: str
    en: str
    source: str
    confidence: str
    line: int
    """Line of the glossary file, for the provenance comment."""
    place: str = ""
    """For a place's name sourced without its 镇/乡 suffix: the full Chinese name (``多哇镇``)."""

    @property
    def exact(self) -> bool:
        """Copied as one string from a source (not inferred, not a component)."""
        return self.confidence.startswith("exact match")


def _pairs(zh: str, bo: str) -> list[tuple[str, str]]:
    # "上午 / 下午" with "སྔ་དྲོ་ / ཕྱི་དྲོ་" are two terms; an unpaired "/" lists variants.
    zhs = [_NOTE.sub("", z).strip() for z in zh.split(" / ")]
    bos = [b.strip() for b in bo.split(" / ")]
    if len(zhs) == len(bos):
        return list(zip(zhs, bos, strict=True))
    return [(z, bos[0]) for z in zhs]


def read_glossary(path: Path = GLOSSARY) -> list[Term]:
    """The glossary's terms; a malformed line raises ``ValueError`` naming it."""
    terms: list[Term] = []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t")
        header = next(rows, None)
        if header is None or tuple(header[:5]) != _COLUMNS:
            raise ValueError(f"{path}:1: expected the columns {', '.join(_COLUMNS)}")
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < 5 or not row[0].strip() or not row[1].strip():
                raise ValueError(f"{path}:{number}: expected {len(_COLUMNS)} tab-separated "
                                 "columns with a Chinese and a Tibetan term")
            confidence = row[4].strip()
            place = _PLACE.search(row[0]) if any(n in confidence for n in _NAME_ONLY) else None
            if place is not None:  # the source gives the name, not "name + 镇/乡"
                terms.append(Term(place[1], row[1].strip(), row[2].strip(), row[3].strip(),
                                  confidence, number, place[0]))
                continue
            for zh, bo in _pairs(row[0], row[1]):
                if zh and "N" not in zh:  # "N月" stands for a pattern, not a term
                    terms.append(Term(zh, bo, row[2].strip(), row[3].strip(),
                                      confidence, number))
    return terms


def _source(term: Term) -> str:
    return f'source: glossary line {term.line} "{term.zh}" — {term.source} ({term.confidence})'


def _compose(text: str, index: Mapping[str, Term]) -> list[Term] | None:
    """Cover ``text`` with glossary terms, longest first; ``None`` if any part is unsourced."""
    parts: list[Term] = []
    at = 0
    longest = max((len(k) for k in index), default=0)
    while at < len(text):
        for size in range(min(longest, len(text) - at), 0, -1):
            term = index.get(text[at:at + size])
            if term is not None:
                parts.append(term)
                at += size
                break
        else:
            return None
    return parts


def _join(parts: Sequence[Term]) -> str:
    # Inside a compound, a part's closing shad (།) gives way to the syllable mark (་).
    pieces = [p.bo.rstrip("།").rstrip("་") + "་" for p in parts[:-1]]
    return "".join(pieces) + parts[-1].bo


def _preferred(terms: Iterable[Term]) -> dict[str, Term]:
    # The first exact term of a Chinese form wins; else its first term.
    index: dict[str, Term] = {}
    for term in terms:
        held = index.get(term.zh)
        if held is None or (term.exact and not held.exact):
            index[term.zh] = term
    return index


def fill_from_glossary(chinese: Mapping[str, str], terms: Iterable[Term],
                       existing: Mapping[str, Entry] | None = None) -> list[Entry]:
    """Tibetan entries for the message ids of ``chinese`` (msgid → 中文), from the glossary.

    Entries already in ``existing`` with a reviewer are kept as they are (a
    reviewer's word outranks the glossary); every other id gets the
    glossary's entry, or an empty one.
    """
    index = _preferred(terms)
    out: list[Entry] = []
    for msgid, zh in sorted(chinese.items()):
        held = (existing or {}).get(msgid)
        if held is not None and held.reviewer:
            out.append(held)
            continue
        term = index.get(zh)
        if term is not None:
            notes = [_source(term)] if term.exact else [_source(term), NEEDS_REVIEW]
            out.append(Entry(msgid, term.bo, fuzzy=not term.exact, comments=tuple(notes)))
            continue
        parts = _compose(zh, index) if "{" not in zh else None
        if parts and len(parts) > 1:
            notes = [*(_source(p) for p in parts),
                     "composed from the parts above: " + NEEDS_REVIEW]
            out.append(Entry(msgid, _join(parts), fuzzy=True, comments=tuple(notes)))
        else:
            out.append(Entry(msgid, ""))
    return out


@functools.cache
def bundled_terms() -> tuple[Term, ...]:
    """The bundled glossary's terms, read once."""
    return tuple(read_glossary())


@functools.cache
def _bundled_index() -> dict[str, Term]:
    """:func:`_preferred` of the bundled terms, made once (a plan names thousands of places)."""
    return _preferred(bundled_terms())


@attrs.frozen
class PlaceName:
    """The Tibetan of a place's name and where it comes from."""

    text: str
    fuzzy: bool
    """A composition of sourced parts: for drafts only, until a native speaker reviews it."""
    sources: tuple[str, ...]
    """``source:`` notes of the glossary lines it comes from."""


def place_name(chinese: str, terms: Iterable[Term] | None = None,
               draft: bool = False) -> PlaceName | None:
    """The Tibetan of the place named ``chinese`` (``多哇镇``), or ``None``.

    Sourced: a glossary term copied exactly for the whole name, else the
    place's own name sourced without its suffix (``མདོ་བ་``). With ``draft``, a
    composition of glossary parts (``མདོ་བ་གྲོང་རྡལ།``) comes first, fuzzy.
    """
    if terms is None:
        terms, index = bundled_terms(), _bundled_index()
    else:
        terms = tuple(terms)
        index = _preferred(terms)
    whole = index.get(chinese)
    if whole is not None and whole.exact and not whole.place:
        return PlaceName(whole.bo, False, (_source(whole),))
    if draft:
        parts = _compose(chinese, index)
        if parts and len(parts) > 1:
            return PlaceName(_join(parts), True, tuple(_source(p) for p in parts))
    for term in terms:
        if term.place == chinese and term.exact:
            return PlaceName(term.bo, False, (_source(term),))
    return None
