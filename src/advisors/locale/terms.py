"""Language names in the words of each reader, from the catalogs.

A roster column, a training message or a calendar description says which
languages a session is taught in. Chinese readers get the names offices use
(``藏语、汉语``); English readers the English names; a Tibetan reader the
Tibetan names when the Tibetan catalog has them for every language listed —
they come from the sourced glossary (CLDR ``bo``: ``藏语`` བོད་སྐད་, ``汉语``
རྒྱ་སྐད་), never made up, and a reviewer can correct them like any string.
Several Tibetan names are joined by CLDR's list pattern for ``bo`` (CLDR
``bo`` inherits the root one: a comma, no words).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import babel.lists

from ..languages import ENGLISH_NAMES, chinese_names, language_names
from . import Translator

__all__ = ["language_words"]


def _tibetan(tags: Sequence[str], translator: Translator) -> str | None:
    names = []
    for tag in tags:
        msgid = ENGLISH_NAMES.get(tag)
        name = translator.get(msgid, "bo") if msgid else None
        if name is None:
            return None  # one language without a sourced name: the Chinese line stands
        names.append(name)
    return babel.lists.format_list(names, locale="bo") if names else None


def language_words(tags: Iterable[str], translator: Translator,
                   langs: Sequence[str] = ("zh", "bo", "en")) -> dict[str, str]:
    """The languages ``tags`` in words, per language of ``langs`` that can name them all.

    ``("bo", "zh")`` → ``{"zh": "藏语、汉语", "bo": "བོད་སྐད་, རྒྱ་སྐད་",
    "en": "Tibetan and Chinese"}``; Chinese is always there.
    """
    tags = [t for t in tags if t]
    names = language_names(tags)
    out: dict[str, str] = {}
    for lang in langs:
        if lang == "bo":
            tibetan = _tibetan(tags, translator)
            if tibetan:
                out["bo"] = tibetan
        elif lang in names:
            out[lang] = names[lang]
    out.setdefault("zh", chinese_names(tags))
    return out
