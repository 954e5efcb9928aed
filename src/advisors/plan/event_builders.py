"""Calendar events from a plan's plain facts: who, where, when — with their texts.

The planning modules speak in ids and dates; calendars, rosters and notices
need titles in the audience's languages, a place, coordinates and the
people to invite. :class:`EventBuilder` turns the one into the other for
visits, lectures, hotline shifts and training sessions. Text comes from the
gettext catalogs (:mod:`advisors.locale`); Tibetan appears only where the
catalog has a reviewed string or the dataset has a Tibetan name — never
made up. Descriptions show only the fields the policy marks public, because
village and township feeds are public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

import attrs

from ..data.dataset import Dataset
from ..languages import language_names
from ..locale import Translator
from ..policy import parse_hhmm
from .events import LANGUAGES, CalendarEvent, Party, stable_id

__all__ = ["EventBuilder", "village_languages"]


def village_languages(langs: Iterable[str]) -> tuple[str, ...]:
    """The languages to show for an audience: theirs, with Chinese always present."""
    out = [lang for lang in langs if lang in LANGUAGES]
    if "zh" not in out:
        out.append("zh")
    return tuple(out)


@attrs.frozen
class EventBuilder:
    """Builds :class:`~advisors.plan.events.CalendarEvent` values for one dataset."""

    dataset: Dataset
    translator: Translator = attrs.field(factory=Translator.load)

    @property
    def zone(self) -> ZoneInfo:
        """The policy's time zone (``Asia/Shanghai``)."""
        return ZoneInfo(self.dataset.policy.timezone)

    def at(self, day: dt.date, hhmm: str | dt.time) -> dt.datetime:
        """``day`` at ``hhmm`` in the policy's time zone."""
        clock = parse_hhmm(hhmm) if isinstance(hhmm, str) else hhmm
        return dt.datetime.combine(day, clock, tzinfo=self.zone)

    def _texts(self, msgid: str, langs: Sequence[str],
               values: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str]:
        """``msgid`` per language; ``values`` gives each placeholder per language."""
        out: dict[str, str] = {}
        for lang in (*langs, "en"):
            filled = {k: v.get(lang) or v.get("zh", "") for k, v in (values or {}).items()}
            text = self.translator.get(msgid, lang, **filled)
            if text is not None:
                out[lang] = text
        if "zh" not in out:
            filled = {k: v.get("zh", "") for k, v in (values or {}).items()}
            out["zh"] = self.translator.text(msgid, "zh", **filled)
        return out

    def _lines(self, parts: Iterable[tuple[str, Mapping[str, Mapping[str, str]] | None]],
               langs: Sequence[str]) -> dict[str, str]:
        texts: dict[str, list[str]] = {}
        for msgid, values in parts:
            for lang, text in self._texts(msgid, langs, values).items():
                texts.setdefault(lang, []).append(text)
        return {lang: "\n".join(lines) for lang, lines in texts.items()}

    def _village_names(self, village_id: str) -> dict[str, str]:
        village = self.dataset.village_by_id[village_id]
        names = {"zh": village.name, "en": village.name}
        if village.name_bo:
            names["bo"] = village.name_bo
        return names

    def _advisor_parts(self, advisor_id: str | None
                       ) -> list[tuple[str, Mapping[str, Mapping[str, str]] | None]]:
        advisor = self.dataset.advisor_by_id.get(advisor_id or "")
        if advisor is None:
            return []
        public = self.dataset.policy.public.advisor
        parts: list[tuple[str, Mapping[str, Mapping[str, str]] | None]] = []
        if "name" in public:
            parts.append(("Legal advisor: {name}", {"name": {"zh": advisor.name}}))
        if "organization" in public:
            parts.append(("Organization: {organization}",
                          {"organization": {"zh": advisor.organization}}))
        if "phone" in public and advisor.phone:
            parts.append(("Phone: {phone}", {"phone": {"zh": advisor.phone}}))
        return parts

    def visit(self, village_id: str, advisor_id: str, day: dt.date, ordinal: int, *,
              lecture: bool = False, key: str = "", start: str = "", end: str = "",
              ) -> CalendarEvent:
        """An on-site service day (到村服务), or the quarter's legal lecture (普法讲座).

        Identity: village, advisor, month and ``ordinal`` (the n-th visit of that
        month), or ``key`` when the scheduler has its own stable key; never the date.
        """
        village = self.dataset.village_by_id[village_id]
        advisor = self.dataset.advisor_by_id.get(advisor_id)
        policy = self.dataset.policy.visits
        langs = village_languages(village.languages)
        names = {"village": self._village_names(village_id)}
        title = "Legal lecture: {village}" if lecture else "Legal advisor service day: {village}"
        parts = [*self._advisor_parts(advisor_id),
                 ("12348 public legal service hotline", None)]
        if lecture:
            parts.insert(0, ("Legal lecture for villagers", None))
        township = self.dataset.township_by_id.get(village.township)
        location = village.name + (f"（{township.name}）" if township else "")
        if village.name_bo:
            location = f"{village.name_bo} {location}"
        attendees = (Party(advisor.name, advisor.email),) if advisor else ()
        ident = stable_id("visit", village_id, advisor_id, key or f"{day:%Y-%m}#{ordinal}")
        return CalendarEvent(
            id=ident,
            kind="lecture" if lecture else "visit",
            start=self.at(day, start or policy.start),
            end=self.at(day, end or policy.end),
            summary=self._texts(title, langs, names),
            description=self._lines(parts, langs),
            languages=langs,
            location=location,
            geo=(village.lat, village.lon),
            attendees=attendees,
            owners=[f"advisor:{advisor_id}", f"village:{village_id}",
                    f"township:{village.township}"],
            extra={"lecture": "1" if lecture else "", "village": village_id,
                   "advisor": advisor_id},
        )

    def hotline(self, lawyer_id: str, day: dt.date, start: str, end: str, *,
                key: str = "") -> CalendarEvent:
        """A 12348 hotline shift of one lawyer; identity: lawyer, day and shift."""
        lawyer = self.dataset.advisor_by_id[lawyer_id]
        langs = village_languages(("zh",))
        parts = [("Shift {start}–{end}", {"start": {"zh": start}, "end": {"zh": end}})]
        # The lawyer is named: the coordinator's feed holds every shift, and
        # "12348热线值班" twenty times a day names nobody.
        return CalendarEvent(
            id=stable_id("hotline", lawyer_id, key or f"{day.isoformat()}T{start}"),
            kind="hotline",
            start=self.at(day, start),
            end=self.at(day, end),
            summary=self._texts("12348 hotline duty: {name}", langs,
                                {"name": {"zh": lawyer.name}}),
            description=self._lines(parts, langs),
            languages=langs,
            location=self.translator.text("12348 public legal service hotline", "zh"),
            attendees=(Party(lawyer.name, lawyer.email),),
            owners=[f"advisor:{lawyer_id}"],
            extra={"shift": f"{start}-{end}", "advisor": lawyer_id},
        )

    def training(self, session: str, trainer_id: str, venue_id: str, day: dt.date, *,
                 topic: str, language: Sequence[str] | str, participants: Sequence[str],
                 start: str = "", end: str = "", township: str = "") -> CalendarEvent:
        """A training session of legal-savvy persons and cadres; identity: session and trainer.

        ``participants`` are person ids: counted and their villages get the event,
        but never named or reachable in a calendar.
        """
        policy = self.dataset.policy.training
        trainer = self.dataset.trainer_by_id.get(trainer_id)
        venue = self.dataset.venue_by_id.get(venue_id)
        langs_taught = (language.split(";") if isinstance(language, str)
                        else list(language))
        langs = village_languages(langs_taught)
        topic_name = policy.topic_names.get(topic, topic)
        villages = sorted({self.dataset.person_by_id[p].village for p in participants
                           if p in self.dataset.person_by_id})
        township = township or (venue.township if venue else (
            self.dataset.village_by_id[villages[0]].township if villages else ""))
        place = self.dataset.township_by_id.get(township)
        location = venue.name if venue else (place.name if place else venue_id)
        parts: list[tuple[str, Mapping[str, Mapping[str, str]] | None]] = [
            ("Topic: {topic}", {"topic": {"zh": topic_name, "en": topic}}),
            ("Taught in {languages}", {"languages": language_names(langs_taught)}),
            ("Participants: {count}", {"count": {"zh": str(len(participants))}}),
        ]
        if trainer is not None and "name" in self.dataset.policy.public.trainer:
            parts.insert(1, ("Trainer: {name}", {"name": {"zh": trainer.name}}))
        owners = [f"village:{v}" for v in villages]
        if trainer is not None:
            owners.append(f"trainer:{trainer_id}")
        if township:
            owners.append(f"township:{township}")
        return CalendarEvent(
            id=stable_id("training", session, trainer_id),
            kind="training",
            start=self.at(day, start or policy.session_start),
            end=self.at(day, end or policy.session_end),
            summary=self._texts("Legal-savvy person training: {topic}", langs,
                                {"topic": {"zh": topic_name, "en": topic}}),
            description=self._lines(parts, langs),
            languages=langs,
            location=location,
            geo=(venue.lat, venue.lon) if venue else None,
            attendees=(Party(trainer.name, trainer.email),) if trainer else (),
            owners=owners,
            extra={"topic": topic, "language": ";".join(langs_taught),
                   "participants": str(len(participants)), "venue": venue_id,
                   # Who is booked, so that each participant is told (plan.json is private;
                   # the calendars show the count only).
                   "people": ";".join(sorted(participants)),
                   "trainer": trainer_id, "session": session},
        )
