"""Who a published event concerns, and what each of them needs to know of it.

* An advisor or trainer: their own days — visits, lectures, hotline shifts,
  training sessions they teach.
* A village's liaison officer (联络员): which advisor comes to the village on
  which dates (and the lecture), and which training sessions the village's
  people are booked into, with their names.
* A legal-savvy person or cadre booked into a training session: its date,
  time, venue and language of instruction. A person added to a session that
  stays is told it is new to them; one dropped from it, that they are no
  longer booked.

Participants come from the training event's ``people`` fact (person ids; the
calendars show only their count).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from ..data.dataset import Dataset
from ..model import Person
from ..plan.events import CalendarEvent, EventChange, PublishedEvent

__all__ = ["RECIPIENT_KINDS", "Concern", "Recipient", "concerns", "people_of"]

RECIPIENT_KINDS: Final = ("advisor", "trainer", "liaison", "participant")
"""The kinds of people messages go to."""
TRAINEE_STATUSES: Final = ("active", "candidate")
"""Statuses of people who are told about their training."""


@attrs.frozen
class Recipient:
    """Someone a message goes to (addresses stay with the portal that sends)."""

    key: str
    """``advisor:adv-01``, ``trainer:tr-02`` or ``person:p-…`` (a liaison officer, a trainee)."""
    name: str
    languages: tuple[str, ...]
    email: str = ""
    kind: str = "advisor"
    """One of :data:`RECIPIENT_KINDS`."""
    village: str = ""
    """The village's name, for a liaison officer or a trainee."""
    name_bo: str = ""
    """The name in Tibetan script, when the data gives it: used in Tibetan-only messages."""


@attrs.frozen
class Concern:
    """How one event concerns one recipient."""

    recipient: Recipient
    relation: str
    """``own`` (their day, their session) or ``village`` (their village's, as liaison)."""
    change: str = ""
    """What changed for them: the event's change, or ``new`` / ``dropped`` for a person
    added to or removed from a session that stays; empty for a first plan."""
    booked: tuple[str, ...] = ()
    """For a liaison officer and a training session: ids of the village's people booked."""


def people_of(event: CalendarEvent) -> tuple[str, ...]:
    """Ids of the people booked into a training event."""
    return tuple(p for p in event.get("people").split(";") if p)


def _seen(event: CalendarEvent) -> tuple[object, ...]:
    """What a participant sees of a session: when, where, what, in which language."""
    return (event.start, event.end, event.location, event.get("topic"), event.get("language"))


def _person(person: Person, data: Dataset, kind: str) -> Recipient:
    village = data.village_by_id.get(person.village)
    return Recipient(f"person:{person.id}", person.name, person.languages or ("zh",),
                     kind=kind, village=village.name if village else "", name_bo=person.name_bo)


def _liaisons(data: Dataset, villages: Iterable[str]) -> list[tuple[str, Person]]:
    return [(village, person) for village in sorted(set(villages))
            for person in sorted(data.people_of_village.get(village, ()), key=lambda p: p.id)
            if person.role == "liaison" and person.status == "active"]


def _staff(data: Dataset, event: CalendarEvent, change: str) -> list[Concern]:
    out = []
    for ident in event.owner_ids("advisor"):
        if advisor := data.advisor_by_id.get(ident):
            out.append(Concern(Recipient(f"advisor:{ident}", advisor.name, advisor.languages,
                                         advisor.email, "advisor", name_bo=advisor.name_bo),
                               "own", change))
    for ident in event.owner_ids("trainer"):
        if trainer := data.trainer_by_id.get(ident):
            out.append(Concern(Recipient(f"trainer:{ident}", trainer.name, trainer.languages,
                                         trainer.email, "trainer", name_bo=trainer.name_bo),
                               "own", change))
    return out


def _training(data: Dataset, item: PublishedEvent, change: EventChange | None
              ) -> list[Concern]:
    kind = change.kind if change else ""
    now = set() if item.cancelled else set(people_of(item.event))
    before = set(people_of(change.previous.event)) if change and change.previous else set()
    # A session whose list of people changed is "changed" for the calendars; for someone
    # who stays booked, nothing changed unless the session's time or place did.
    same_session = (kind == "changed" and change is not None and change.previous is not None
                    and _seen(change.previous.event) == _seen(item.event))
    out: list[Concern] = []
    for ident in sorted(now | before):
        person = data.person_by_id.get(ident)
        if person is None or person.status not in TRAINEE_STATUSES:
            continue
        told = kind
        if change is not None and change.previous is not None and not item.cancelled:
            told = "new" if ident not in before else ("dropped" if ident not in now else kind)
        if told == "changed" and same_session:
            continue
        if person.role == "liaison" and person.status == "active" and told not in (
                "new", "dropped"):
            continue  # the village's line names them among the people booked
        out.append(Concern(_person(person, data, "participant"), "own", told))
    booked_in = {data.person_by_id[p].village for p in now | before if p in data.person_by_id}
    for village, liaison in _liaisons(data, booked_in):
        booked = tuple(p for p in sorted(now)
                       if p in data.person_by_id and data.person_by_id[p].village == village)
        out.append(Concern(_person(liaison, data, "liaison"), "village", kind, booked))
    return out


def concerns(data: Dataset, item: PublishedEvent, change: EventChange | None = None
             ) -> list[Concern]:
    """Everyone ``item`` concerns, and how (``change``: what a republication changed)."""
    event = item.event
    out = _staff(data, event, change.kind if change else "")
    if event.kind in ("visit", "lecture"):
        for _, liaison in _liaisons(data, event.owner_ids("village")):
            out.append(Concern(_person(liaison, data, "liaison"), "village",
                               change.kind if change else ""))
    elif event.kind == "training":
        out += _training(data, item, change)
    return out
