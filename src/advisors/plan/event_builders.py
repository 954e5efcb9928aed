"""Calendar events from a plan's plain facts: who, where, when — with their texts.

The planning modules speak in ids and dates; calendars, rosters and notices
need titles in the audience's languages, a place, coordinates and the
people to invite. :class:`EventBuilder` turns the one into the other for
visits, lectures, hotline shifts and training sessions. Text comes from the
gettext catalogs (:mod:`advisors.locale`); Tibetan appears only where the
catalog has a reviewed string or the dataset has a Tibetan name, and
as dates from CLDR (:mod:`advisors.locale.cldr`) — never made up. Descriptions
show only the fields the policy marks public, because
village and township feeds are public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

import attrs

from ..data.dataset import Dataset
from ..locale import Translator, cldr
from ..locale.terms import language_words
from ..model import Advisor, Trainer, Venue
from ..policy import parse_hhmm
from .events import LANGUAGES, CalendarEvent, Party, stable_id

__all__ = ["EventBuilder", "village_languages"]


def village_languages(langs: Iterable[str]) -> tuple[str, ...]:
    """The languages to show for an audience: theirs, with Chinese always present."""
    out = [lang for lang in langs if lang in LANGUAGES]
    if "zh" not in out:
        out.append("zh")
    return tuple(out)


def _dates(day: dt.date) -> dict[str, str]:
    """A date as placeholder values per language (CLDR): ``12月15日``, ``December 15``."""
    return {lang: cldr.format_date(day, lang, "day") for lang in ("zh", "en")}


@attrs.frozen
class EventBuilder:
    """Builds :class:`~advisors.plan.events.CalendarEvent` values for one dataset."""

    dataset: Dataset
    translator: Translator = attrs.field(factory=Translator.load)
    _centres: dict[str, Venue] = attrs.field(init=False, repr=False)
    _said: dict[tuple[object, ...], dict[str, str]] = attrs.field(init=False, repr=False,
                                                                  factory=dict)
    """:meth:`_texts` already translated: the same lines recur over a province's events."""

    @_centres.default
    def _township_centres(self) -> dict[str, Venue]:
        return {v.id: v for v in self.dataset.virtual_venues()}

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
        key = (msgid, tuple(langs),
               tuple((k, tuple(v.items())) for k, v in (values or {}).items()))
        said = self._said.get(key)
        if said is None:
            said = self._said[key] = self._translate(msgid, langs, values)
        return dict(said)

    def _translate(self, msgid: str, langs: Sequence[str],
                   values: Mapping[str, Mapping[str, str]] | None) -> dict[str, str]:
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

    @staticmethod
    def _with_tibetan(texts: dict[str, str], *lines: str) -> dict[str, str]:
        """``texts`` with the sourced Tibetan ``lines`` (CLDR dates, names from the data) added.

        The catalog's Tibetan, where it has any, comes first; a line that is empty
        (a name the data does not give) is left out.
        """
        bo = [texts["bo"]] if texts.get("bo") else []
        bo += [line for line in lines if line]
        return {**texts, "bo": "\n".join(bo)} if bo else texts

    def _public_name_bo(self, record: Advisor | Trainer | None, kind: str) -> str:
        shown = getattr(self.dataset.policy.public, kind)
        return record.name_bo if record is not None and "name" in shown else ""

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
              moved_from: dt.date | None = None) -> CalendarEvent:
        """An on-site service day (到村服务), or the quarter's legal lecture (普法讲座).

        Identity: village, advisor, month and ``ordinal`` (the n-th visit of that
        month), or ``key`` when the scheduler has its own stable key; never the date.
        ``moved_from``: the pattern day this visit replaces once (told in the text).
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
        if moved_from is not None:
            parts.insert(0, ("One-off change: {old} moved to {new}",
                             {"old": _dates(moved_from), "new": _dates(day)}))
        township = self.dataset.township_by_id.get(village.township)
        location = village.name + (f"（{township.name}）" if township else "")
        if village.name_bo:
            location = f"{village.name_bo} {location}"
        attendees = (Party(advisor.name, advisor.email),) if advisor else ()
        ident = stable_id("visit", village_id, advisor_id, key or f"{day:%Y-%m}#{ordinal}")
        begins, ends = self.at(day, start or policy.start), self.at(day, end or policy.end)
        summary, description = self._texts(title, langs, names), self._lines(parts, langs)
        if "bo" in langs:
            if "bo" not in summary:
                summary = self._with_tibetan(summary, village.name_bo)
            description = self._with_tibetan(description, cldr.day_range(begins, ends, "bo"),
                                             self._public_name_bo(advisor, "advisor"))
        return CalendarEvent(
            id=ident,
            kind="lecture" if lecture else "visit",
            start=begins,
            end=ends,
            summary=summary,
            description=description,
            languages=langs,
            location=location,
            geo=(village.lat, village.lon),
            attendees=attendees,
            owners=[f"advisor:{advisor_id}", f"village:{village_id}",
                    f"township:{village.township}"],
            extra={"lecture": "1" if lecture else "", "village": village_id,
                   "advisor": advisor_id},
        )

    def appointment(self, request_id: str, village_id: str, advisor_id: str, day: dt.date,
                    start: str, end: str, *, kind: str, home: bool) -> CalendarEvent:
        """A legal-aid priority request booked for an advisor: on their own feed only.

        It says the village and the kind (上门服务 / 预约咨询) and the request's id,
        never the requester's name, group or note; ``home`` marks an extra home
        visit rather than an appointment on a service day.
        """
        village = self.dataset.village_by_id[village_id]
        advisor = self.dataset.advisor_by_id.get(advisor_id)
        langs = village_languages(village.languages)
        what = "Home visit" if kind == "home_visit" else "Consultation by appointment"
        parts: list[tuple[str, Mapping[str, Mapping[str, str]] | None]] = [
            (what, None), ("Request: {id}", {"id": {"zh": request_id}})]
        if not home:
            parts.append(("During the service day", None))
        return CalendarEvent(
            id=stable_id("appointment", request_id),
            kind="appointment",
            start=self.at(day, start),
            end=self.at(day, end),
            summary=self._texts("Legal-aid appointment: {village}", langs,
                                {"village": self._village_names(village_id)}),
            description=self._lines(parts, langs),
            languages=langs,
            location=village.name,
            geo=(village.lat, village.lon),
            attendees=(Party(advisor.name, advisor.email),) if advisor else (),
            owners=[f"advisor:{advisor_id}"],
            extra={"village": village_id, "advisor": advisor_id, "request": request_id,
                   "home": "1" if home else ""},
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
            geo=self._hotline_geo(lawyer.lat, lawyer.lon),
            attendees=(Party(lawyer.name, lawyer.email),),
            owners=[f"advisor:{lawyer_id}"],
            extra={"shift": f"{start}-{end}", "advisor": lawyer_id},
        )

    def _hotline_geo(self, lat: float, lon: float) -> tuple[float, float]:
        # where the hotline is staffed: the policy's venue, else the lawyer's office
        venue = self.dataset.venue_by_id.get(self.dataset.policy.hotline.venue)
        return (venue.lat, venue.lon) if venue is not None else (lat, lon)

    def training(self, session: str, trainer_id: str, venue_id: str, day: dt.date, *,
                 topic: str, language: Sequence[str] | str, participants: Sequence[str],
                 start: str = "", end: str = "", township: str = "") -> CalendarEvent:
        """A training session of legal-savvy persons and cadres; identity: session and trainer.

        ``participants`` are person ids: counted and their villages get the event,
        but never named or reachable in a calendar.
        """
        policy = self.dataset.policy.training
        trainer = self.dataset.trainer_by_id.get(trainer_id)
        venue = self.dataset.venue_by_id.get(venue_id) or self._centres.get(venue_id)
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
            ("Taught in {languages}",
             {"languages": language_words(langs_taught, self.translator)}),
            ("Participants: {count}", {"count": {"zh": str(len(participants))}}),
        ]
        if trainer is not None and "name" in self.dataset.policy.public.trainer:
            parts.insert(1, ("Trainer: {name}", {"name": {"zh": trainer.name}}))
        owners = [f"village:{v}" for v in villages]
        if trainer is not None:
            owners.append(f"trainer:{trainer_id}")
            if trainer.advisor:  # the same person: one calendar holds all their bookings
                owners.append(f"advisor:{trainer.advisor}")
        if township:
            owners.append(f"township:{township}")
        begins = self.at(day, start or policy.session_start)
        ends = self.at(day, end or policy.session_end)
        description = self._lines(parts, langs)
        if "bo" in langs:
            description = self._with_tibetan(description, cldr.day_range(begins, ends, "bo"),
                                              self._public_name_bo(trainer, "trainer"))
        return CalendarEvent(
            id=stable_id("training", session, trainer_id),
            kind="training",
            start=begins,
            end=ends,
            summary=self._texts("Legal-savvy person training: {topic}", langs,
                                {"topic": {"zh": topic_name, "en": topic}}),
            description=description,
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
