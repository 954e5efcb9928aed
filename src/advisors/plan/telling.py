"""Sentences told in the reader's language: names for ids, language names for codes.

A rule states why it is broken as a :class:`~advisors.wording.Text` (a
message id and typed values). Where people read it — the CLI's list of what
a plan does not serve, ``report.html`` — a :class:`Teller` puts it in their
language: the message id through a catalog (the CLI's ``cli.zh.po``, the
exporters' ``zh.po``), each record by its name from the dataset (people with
their id in brackets, since two may share a name), language tags by their
names (``bo`` → 藏语), dates and months as Chinese writes them. In English
the sentence is told as written, ids included: what developers and
``plan.json`` read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from ..data.dataset import Dataset
from ..errors import AdvisorsError
from ..languages import chinese_names
from ..locale import cldr
from ..period import Period
from ..wording import Joined, Langs, Month, Named, Ref, Text, Value, english

__all__ = ["Lookup", "Teller", "month_zh"]

Lookup = Callable[[str], "str | None"]
"""A message id → its translation, ``None`` when the catalog lacks it."""

def month_zh(value: str) -> str:
    """A period's label in Chinese words from CLDR: ``2026-12`` → ``2026年12月``,
    ``2026-Q4`` → ``2026年第四季度``; a label that is no period stays as written."""
    try:
        period = Period.parse(value)
    except AdvisorsError:
        return value
    return cldr.period_label(period.start, period.end, "zh")


@attrs.frozen
class Teller:
    """Tells sentences in one language, naming the records of ``dataset``."""

    dataset: Dataset
    lookup: Lookup
    """The catalog of the language (unused in English)."""
    lang: str = "zh"

    @property
    def english(self) -> bool:
        """Whether sentences are told as written (ids and codes included)."""
        return self.lang == "en"

    def label(self, msgid: str) -> str:
        """A fixed text (a rule's label, a fix, a part's name) in the language."""
        if self.english or not msgid:
            return msgid
        return self.lookup(msgid) or msgid

    def __call__(self, value: Value) -> str:
        """``value`` in the language: a whole sentence, or one value of it."""
        if self.english:
            return english(value)
        if isinstance(value, Text):
            template = self.lookup(value.msgid) or value.msgid
            values = {k: self._value(v) for k, v in value.values}
            village, township = values.get("village"), values.get("township")
            if (isinstance(village, str) and isinstance(township, str) and township
                    and village.startswith(township)):
                # "隆务镇一社区（隆务镇）" says the township twice
                template = template.replace("{village}（{township}）", "{village}")
            return template.format_map(values)
        if isinstance(value, Joined):
            return self.label(value.sep).join(self(v) for v in value.items)
        if isinstance(value, Ref):
            return self._name(value)
        if isinstance(value, Langs):
            return chinese_names(value.tags)
        if isinstance(value, Month):
            return month_zh(value.value)
        if isinstance(value, Named):
            return value.zh
        if isinstance(value, dt.date):
            return cldr.format_date(value, "zh", "long")
        return str(value)

    def _value(self, value: Value) -> Any:
        # numbers stay numbers, for the format specs of the message ({km:.1f})
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return self(value)

    def _name(self, ref: Ref) -> str:
        data = self.dataset
        person = (data.advisor_by_id.get(ref.id) if ref.kind == "advisor"
                  else data.trainer_by_id.get(ref.id) if ref.kind == "trainer"
                  else data.person_by_id.get(ref.id) if ref.kind == "person" else None)
        if person is not None:
            return f"{person.name}（{ref.id}）"
        place = (data.village_by_id.get(ref.id) if ref.kind == "village"
                 else data.township_by_id.get(ref.id) if ref.kind == "township"
                 else data.venue_by_id.get(ref.id) if ref.kind == "venue" else None)
        if place is not None:
            return place.name
        if ref.kind == "topic":
            return data.policy.training.topic_names.get(ref.id, ref.id)
        return str(ref)
