"""Sentences before they are put in a language: a message id and the values it names.

A rule states why it is broken once, as an English message id with
``{placeholders}`` and typed values: records of the dataset by id
(:class:`Ref`), language tags (:class:`Langs`), months (:class:`Month`),
dates, numbers, free text from the data, and smaller sentences
(:class:`Text`, :class:`Joined`). ``str()`` of a :class:`Text` is the English
sentence with ids and codes as written — what ``plan.json`` keeps and a
developer reads. Where people read it (the CLI, ``report.html``) it is put in
their language with names for ids, language names for codes and dates as
they write them (:mod:`advisors.plan.telling`); a translation may name any of
the values, not only those the English uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final, TypeAlias

import attrs

__all__ = ["KINDS", "Joined", "Langs", "Month", "Named", "Ref", "Text", "Value", "english"]

KINDS: Final = ("advisor", "person", "request", "topic", "township", "trainer", "venue",
                "village")
"""Kinds of records a :class:`Ref` names; any other kind is shown by its id."""


def _tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(tags)


def _items(items: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(items)


@attrs.frozen
class Ref:
    """A record of the dataset by id: shown by its name where people read."""

    kind: str
    """One of :data:`KINDS` (the index it is looked up in)."""
    id: str
    shown: str = ""
    """How the English sentence shows it, when not by the bare id (``马海燕 (adv-07)``)."""

    def __str__(self) -> str:
        return self.shown or self.id


@attrs.frozen
class Langs:
    """Language tags, shown by their names where people read (``bo`` → 藏语)."""

    tags: tuple[str, ...] = attrs.field(converter=_tags)
    shown: str = ""
    """How the English sentence shows them; default: the tags joined by ``、``."""

    def __str__(self) -> str:
        return self.shown or "、".join(self.tags)


@attrs.frozen
class Month:
    """A month as ``YYYY-MM`` (also a period's label): ``2026年12月`` in Chinese."""

    value: str
    shown: str = ""
    """How the English sentence shows it (``December 2026``), when not as ``value``."""

    def __str__(self) -> str:
        return self.shown or self.value


@attrs.frozen
class Named:
    """A name English and Chinese give differently (a statutory holiday: New Year's Day, 元旦)."""

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en


@attrs.frozen
class Joined:
    """Several values in one place, joined by ``sep`` (itself a message id: ``; `` → ``；``)."""

    items: tuple[Value, ...] = attrs.field(converter=_items)
    sep: str = ", "

    def __str__(self) -> str:
        return self.sep.join(english(v) for v in self.items)


def _values(values: Mapping[str, Value] | Iterable[tuple[str, Value]]
            ) -> tuple[tuple[str, Value], ...]:
    items = values.items() if isinstance(values, Mapping) else values
    return tuple(sorted(items, key=lambda kv: kv[0]))


@attrs.frozen
class Text:
    """A sentence: an English message id with ``{placeholders}`` and the values they name."""

    msgid: str
    values: tuple[tuple[str, Value], ...] = attrs.field(default=(), converter=_values)

    @classmethod
    def of(cls, msgid: str, /, **values: Value) -> Text:
        """``Text.of("{advisor} is away on {day}", advisor=Ref(...), day=date)``."""
        return cls(msgid, values)

    @property
    def named(self) -> dict[str, Value]:
        """Placeholder → value."""
        return dict(self.values)

    def __str__(self) -> str:
        return self.msgid.format_map(
            {k: v if isinstance(v, int | float) and not isinstance(v, bool) else english(v)
             for k, v in self.values})


Value: TypeAlias = str | int | float | dt.date | Ref | Langs | Month | Named | Joined | Text
"""What a placeholder may name."""


def english(value: Value) -> str:
    """A value as the English sentence shows it: ids, tags, ISO dates."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
