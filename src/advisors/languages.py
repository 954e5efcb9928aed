"""Language tags: which ones we accept and how people write them.

A village lists the languages its villagers must be served in; an advisor or
trainer lists the languages they work in. Tags are primary language subtags
(BCP 47): two-letter ISO 639-1 codes, or three-letter ISO 639-3 codes for
languages without one (``mjg`` for Monguor, ``slr`` for Salar). Township
offices often type the Chinese name of a language, so common names are
accepted as aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["CHINESE_NAMES", "ENGLISH_NAMES", "ISO_639_1", "LANGUAGE_ALIASES", "LANGUAGE_GROUPS",
           "chinese_names", "instruction_words", "language_name", "language_names",
           "normalize_language", "parse_languages"]

ISO_639_1 = frozenset(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)
"""Every two-letter ISO 639-1 code."""

LANGUAGE_ALIASES: dict[str, str] = {
    "藏": "bo",
    "藏语": "bo",
    "藏文": "bo",
    "汉": "zh",
    "汉语": "zh",
    "汉文": "zh",
    "中文": "zh",
    "普通话": "zh",
    "英语": "en",
    "英文": "en",
    "蒙古语": "mn",
    "蒙语": "mn",
    "维吾尔语": "ug",
    "土族语": "mjg",
    "撒拉语": "slr",
    "tibetan": "bo",
    "chinese": "zh",
    "english": "en",
}
"""Names people type for a language, mapped to its tag."""

LANGUAGE_GROUPS: dict[str, tuple[str, ...]] = {
    "藏汉双语": ("bo", "zh"),
    "汉藏双语": ("zh", "bo"),
    "藏汉": ("bo", "zh"),
    "汉藏": ("zh", "bo"),
}
"""Names of a pair of languages, as offices write a bilingual village or advisor."""

_ISO_639_3 = re.compile(r"[a-z]{3}")
_SEPARATORS = re.compile(r"[;；、,，/]")


def normalize_language(raw: str) -> str | None:
    """Return the tag for ``raw`` (``"BO"``, ``"藏语"``, ``"zh-Hans"``), or ``None`` if unknown."""
    text = raw.strip()
    alias = LANGUAGE_ALIASES.get(text.lower())
    if alias:
        return alias
    primary = text.split("-", 1)[0].split("_", 1)[0].lower()
    if len(primary) == 2 and primary in ISO_639_1:
        return primary
    if _ISO_639_3.fullmatch(primary):
        return primary
    return None


def parse_languages(raw: str | Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Split and normalise a language list.

    Returns the tags in the order written, without repeats, and the pieces
    that are not languages (for the caller to report).
    """
    pieces = _SEPARATORS.split(raw) if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    bad: list[str] = []
    for piece in pieces:
        if not piece.strip():
            continue
        group = LANGUAGE_GROUPS.get(piece.strip())
        if group:
            tags.extend(t for t in group if t not in tags)
            continue
        tag = normalize_language(piece)
        if tag is None:
            bad.append(piece.strip())
        elif tag not in tags:
            tags.append(tag)
    return tuple(tags), bad


ENGLISH_NAMES: dict[str, str] = {"bo": "Tibetan", "zh": "Chinese", "mn": "Mongolian",
                                 "ug": "Uyghur", "en": "English"}
"""English names of languages in messages; other tags are shown as written."""


CHINESE_NAMES: dict[str, str] = {"bo": "藏语", "zh": "汉语", "en": "英语", "mn": "蒙古语",
                                 "ug": "维吾尔语", "mjg": "土族语", "slr": "撒拉语"}
"""The Chinese name of each language offices meet here; read back by :data:`LANGUAGE_ALIASES`."""


def chinese_names(tags: Iterable[str], sep: str = "、") -> str:
    """``("bo", "zh")`` → ``藏语、汉语``: what people read instead of codes (others as written)."""
    return sep.join(CHINESE_NAMES.get(t, t) for t in tags)


def language_name(tag: str) -> str:
    """``bo`` → ``Tibetan``, for messages (other tags as written)."""
    return ENGLISH_NAMES.get(tag, tag)


def language_names(tags: Iterable[str]) -> dict[str, str]:
    """The languages ``tags`` in words, in each language that has their names.

    ``("bo", "zh")`` → ``{"zh": "藏语、汉语", "en": "Tibetan and Chinese"}``; a tag
    without a name stays as written. No Tibetan: language names are not in the
    reviewed sources yet, and Tibetan is never made up.
    """
    tags = list(tags)
    zh = chinese_names(tags)
    english = [language_name(tag) for tag in tags]
    en = " and ".join(english) if len(english) <= 2 else (
        ", ".join(english[:-1]) + " and " + english[-1])
    return {"zh": zh, "en": en}


def instruction_words(tags: Iterable[str], lang: str = "zh") -> str:
    """A session's language of instruction in words: ``藏语``, ``藏语、汉语双语``
    (``lang="en"``: ``Tibetan``, ``Tibetan and Chinese (bilingual)``); never a raw code
    for the languages named here."""
    tags = list(tags)
    if lang == "en":
        names = [language_name(t) for t in tags]
        return names[0] if len(names) == 1 else " and ".join(names) + " (bilingual)"
    return chinese_names(tags) + ("双语" if len(tags) == 2 else "")
