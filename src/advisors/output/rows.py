"""Roster rows: one plain record per event, shared by the CSV, Markdown and HTML rosters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from ..languages import CHINESE_NAMES
from ..locale import Translator, cldr
from ..plan.events import EventChange, PublishedEvent
from .base import Publication
from .render import WEEKDAYS_ZH

__all__ = ["KIND_LABELS", "ROSTER_COLUMNS", "ROSTER_HEADINGS", "RosterRow", "roster_rows"]

KIND_LABELS: Final = {
    "visit": "On-site service",
    "lecture": "Legal lecture",
    "hotline": "Hotline duty",
    "training": "Training",
    "appointment": "Legal-aid appointment",
}
"""Message id of each event kind's label."""
CHANGE_LABELS: Final = {
    "new": "New",
    "moved": "Moved",
    "changed": "Changed",
    "cancelled": "Cancelled",
}
"""Message id of each change kind's label."""
ROSTER_COLUMNS: Final = (
    "date", "weekday", "start", "end", "kind", "status", "change", "township", "village",
    "who", "organization", "location", "topic", "language", "participants", "event",
)
"""Columns of ``roster.csv``, in order."""
ROSTER_HEADINGS: Final = {
    "date": "日期", "weekday": "星期", "start": "开始", "end": "结束", "kind": "类型",
    "status": "状态", "change": "变更", "township": "乡镇", "village": "村(社区)",
    "who": "人员", "organization": "单位", "location": "地点", "topic": "主题",
    "language": "语言", "participants": "人数", "event": "日历事件编号",
}
"""The Chinese heading of each roster column (``roster.csv``, ``roster.md``, the workbook).

``event`` is the event's id: the UID of the event in every subscribed calendar,
by which staff name one event when they report a change."""


@attrs.frozen
class RosterRow:
    """One event as a roster line (Chinese labels; ids stay in ``event``)."""

    date: str
    weekday: str
    start: str
    end: str
    kind: str
    status: str
    change: str
    township: str
    village: str
    who: str
    organization: str
    location: str
    topic: str
    language: str
    participants: str
    event: str
    """The event id (its UID without the domain)."""
    township_id: str = ""
    cancelled: bool = False
    kind_id: str = ""
    language_tags: str = ""
    """The languages of :attr:`language` as tags (``bo;zh``), for pages naming them in Tibetan."""

    def values(self) -> list[str]:
        """The cells in :data:`ROSTER_COLUMNS` order."""
        return [getattr(self, c) for c in ROSTER_COLUMNS]


def _language_names(tags: str) -> str:
    # Staff read 藏语、汉语, not codes: the names the data files accept, then CLDR's.
    return "、".join(CHINESE_NAMES.get(t) or cldr.language_name(t, "zh") or t
                    for t in tags.split(";") if t)


def _change(change: EventChange | None, tr: Translator, labels: Mapping[str, str]) -> str:
    """The change cell: empty for a cancelled row (its status says so), the old day for a move.

    ``labels``: each change kind's label in Chinese."""
    if change is None or change.kind == "cancelled":
        return ""
    label = labels[change.kind]
    old = change.previous.event.start if change.previous is not None else None
    if change.kind == "moved" and old is not None and old != change.current.event.start:
        when = (f"{cldr.format_date(old, 'zh', 'long')} {WEEKDAYS_ZH[old.weekday()]} "
                f"{cldr.format_time(old, 'zh')}")
        return tr.text("{change} (was {when})", "zh", change=label, when=when)
    return label


class _Labels:
    """The Chinese labels rows repeat (kinds, statuses, language names), each looked up once."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr
        self.kinds = {kind: tr.text(msgid, "zh") for kind, msgid in KIND_LABELS.items()}
        self.changes = {kind: tr.text(msgid, "zh") for kind, msgid in CHANGE_LABELS.items()}
        self.statuses = {cancelled: tr.text("Cancelled" if cancelled else "Confirmed", "zh")
                         for cancelled in (False, True)}
        self._languages: dict[str, str] = {}

    def languages(self, tags: str) -> str:
        names = self._languages.get(tags)
        if names is None:
            names = self._languages[tags] = _language_names(tags)
        return names


def _row(pub: Publication, item: PublishedEvent, change: EventChange | None,
         labels: _Labels) -> RosterRow:
    event = item.event
    data = pub.dataset
    extra = dict(event.extra)
    village = data.village_by_id.get(extra.get("village") or next(
        iter(event.owner_ids("village")), ""))
    township_id = village.township if village else next(iter(event.owner_ids("township")), "")
    township = data.township_by_id.get(township_id)
    advisor = data.advisor_by_id.get(extra.get("advisor", ""))
    trainer = data.trainer_by_id.get(extra.get("trainer", ""))
    person = advisor or trainer
    topic = extra.get("topic", "")
    language = extra.get("language", "")
    start, end = event.start, event.end
    return RosterRow(
        date=start.date().isoformat(),
        weekday=WEEKDAYS_ZH[start.weekday()],
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
        kind=labels.kinds[event.kind],
        status=labels.statuses[item.cancelled],
        change=_change(change, labels.tr, labels.changes),
        township=township.name if township else "",
        village=village.name if village and event.kind != "training" else "",
        who=person.name if person else "",
        organization=advisor.organization if advisor else "",
        location=event.location,
        topic=data.policy.training.topic_names.get(topic, topic),
        language=labels.languages(language),
        participants=extra.get("participants", ""),
        event=event.id,
        township_id=township_id,
        cancelled=item.cancelled,
        kind_id=event.kind,
        language_tags=language,
    )


def roster_rows(pub: Publication, translator: Translator,
                events: Iterable[PublishedEvent] | None = None) -> list[RosterRow]:
    """Rows for ``events`` (default: all of the publication's, cancelled included)."""
    if events is None:
        # every roster (HTML, CSV, Markdown, a workbook) lists them all: made once per
        # translator, which is kept with them so that its id names no other meanwhile
        made: tuple[Translator, tuple[RosterRow, ...]] = pub.shared(
            ("roster_rows", id(translator)),
            lambda: (translator, tuple(_rows(pub, translator, pub.events))))
        return list(made[1])
    return _rows(pub, translator, events)


def _rows(pub: Publication, translator: Translator,
          events: Iterable[PublishedEvent]) -> list[RosterRow]:
    changes = {c.id: c for c in pub.changes}
    labels = _Labels(translator)
    return [_row(pub, item, changes.get(item.event.id), labels) for item in events]
