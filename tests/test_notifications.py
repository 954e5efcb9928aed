"""Messages per recipient kind, read as their recipients read them, checked against the plan.

* a village's liaison officer: which advisor comes on which dates (the lecture
  too), and which sessions the village's people are booked into, with names;
* a legal-savvy person or cadre booked into training: date, time, venue, language;
* an advisor: their own days, nobody else's;
* a republished plan: what moved from when to when; who was added or dropped.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterable
from email.message import EmailMessage
from pathlib import Path

import attrs
import icalendar
import pytest

import advisors
from advisors.languages import CHINESE_NAMES
from advisors.locale.cldr import when as when_text
from advisors.output import ExportOptions, Publication, export
from advisors.output.notifications import Notification, notifications
from advisors.output.recipients import people_of
from advisors.plan.event_builders import EventBuilder
from advisors.plan.events import CalendarEvent, PublishedEvent

from .test_exporters import STAMP, publish, sample_events


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> Publication:
    return advisors.make_plan(tongren, "2026-12").publication(tongren)


def _messages(pub: Publication, channel: str = "wechat") -> dict[str, Notification]:
    options = ExportOptions()
    return {n.recipient.key: n for n in notifications(pub, options.renderer(),
                                                      options.translator(), (channel,))}


def _span(event: CalendarEvent) -> str:
    return f"{when_text(event.start)}–{event.end:%H:%M}"


def _languages(event: CalendarEvent) -> str:
    return "、".join(CHINESE_NAMES[t] for t in event.get("language").split(";"))


def _reads_chinese(person: advisors.Person) -> bool:
    return not person.languages or "zh" in person.languages


def _liaisons(ds: advisors.Dataset) -> Iterable[advisors.Person]:
    return (p for p in ds.people if p.role == "liaison" and p.status == "active")


def test_a_liaison_officer_learns_who_comes_when_and_who_is_trained(
        tongren: advisors.Dataset, december: Publication) -> None:
    messages = _messages(december)
    told = 0
    for liaison in _liaisons(tongren):
        if not _reads_chinese(liaison):
            continue  # Tibetan dates for them: tests/test_tibetan_messages.py
        body = messages[f"person:{liaison.id}"].body
        village = tongren.village_by_id[liaison.village]
        assert body.startswith(f"{liaison.name}：{village.name}2026年12月法律服务安排：")
        for item in december.of_owner(f"village:{village.id}"):
            event = item.event
            if event.kind in ("visit", "lecture"):
                advisor = tongren.advisor_by_id[event.get("advisor")].name
                what = ("到村开展普法讲座" if event.kind == "lecture" else "到村服务")
                assert f"{_span(event)} 法律顾问{advisor}{what}" in body
            elif event.kind == "training":
                booked = [tongren.person_by_id[p].name for p in people_of(event)
                          if tongren.person_by_id[p].village == village.id]
                assert f"· {_span(event)} " in body
                assert (f"地点：{event.location}，授课语言：{_languages(event)}；"
                        f"本村参训：{'、'.join(booked)}") in body
                told += 1
        # Nothing of other villages: one line per event of the village's feed.
        lines = [x for x in body.splitlines() if x.startswith("· ")]
        assert len(lines) == len(december.of_owner(f"village:{village.id}"))
    assert told > 0


def test_everyone_booked_into_training_is_told_date_time_venue_and_language(
        tongren: advisors.Dataset, december: Publication) -> None:
    messages = _messages(december)
    sessions = [e.event for e in december.of_kind("training")]
    booked = {p for e in sessions for p in people_of(e)}
    assert booked
    for ident in booked:
        person = tongren.person_by_id[ident]
        note = messages[f"person:{ident}"]
        theirs = [e for e in sessions if ident in people_of(e)]
        if person.role == "liaison" or not _reads_chinese(person):
            continue  # their village's lines name them; Tibetan readers: test_tibetan_messages
        assert note.recipient.kind == "participant"
        assert note.subject == "您2026年12月的法律明白人培训安排"
        lines = [x for x in note.body.splitlines() if x.startswith("· ")]
        assert len(lines) == len(theirs)
        for event, line in zip(theirs, lines, strict=True):
            assert line.startswith(f"· {_span(event)} ")
            assert f"地点：{event.location}" in line
            assert f"授课语言：{_languages(event)}" in line
            assert "本村参训" not in line  # nobody else's names


def test_an_advisor_gets_their_own_days_only(tongren: advisors.Dataset,
                                             december: Publication) -> None:
    messages = _messages(december)
    for advisor in tongren.advisors:
        own = december.of_owner(f"advisor:{advisor.id}")
        if not own:
            assert f"advisor:{advisor.id}" not in messages
            continue
        body = messages[f"advisor:{advisor.id}"].body
        lines = [x for x in body.splitlines() if x.startswith("· ")]
        assert [x.split(" ", 3)[1:3] for x in lines] == [
            [when_text(e.event.start).split(" ")[0], when_text(e.event.start).split(" ")[1]
             + "–" + f"{e.event.end:%H:%M}"] for e in own]


def _moved_and_rebooked(ds: advisors.Dataset) -> tuple[Publication, Publication]:
    events = sample_events(ds)
    first = publish(ds, events)
    training = events[-1]
    people = people_of(training)
    rebooked = EventBuilder(ds).training(
        "s-1", "tr-01", "venue-city", dt.date(2026, 12, 9), topic="civil_code",
        language="bo;zh", participants=[*people[1:], _someone_else(ds, people)])
    later = [attrs.evolve(e, start=e.start + dt.timedelta(days=1),
                          end=e.end + dt.timedelta(days=1)) if i == 0 else e
             for i, e in enumerate(events[:-1])]
    second = publish(ds, [*later, rebooked], first.events, STAMP + dt.timedelta(days=1), 2)
    return first, second


def _someone_else(ds: advisors.Dataset, people: Iterable[str]) -> str:
    return next(p.id for p in ds.people if p.id not in set(people) and p.role == "legal_savvy"
                and p.status == "active")


def test_changes_say_what_moved_from_when_to_when_and_who_was_added_or_dropped(
        tongren: advisors.Dataset) -> None:
    _, second = _moved_and_rebooked(tongren)
    messages = _messages(second)
    moved = next(c for c in second.changes if c.kind == "moved")
    old, new = moved.previous.event, moved.current.event  # type: ignore[union-attr]
    village = moved.current.event.get("village")
    change = f"调整：法律顾问{tongren.advisor_by_id[new.get('advisor')].name}"
    for liaison in _liaisons(tongren):
        if liaison.village == village:
            body = messages[f"person:{liaison.id}"].body
            assert f"{change}" in body
            assert f"{when_text(old.start)} → {when_text(new.start)}" in body
    training = next(c for c in second.changes if c.current.event.kind == "training")
    before = people_of(training.previous.event)  # type: ignore[union-attr]
    after = people_of(training.current.event)
    (dropped,) = set(before) - set(after)
    (added,) = set(after) - set(before)
    assert "已取消报名：" in messages[f"person:{dropped}"].body
    assert "新增：" in messages[f"person:{added}"].body
    # Those who stay booked in a session that did not move are not bothered.
    for stays in set(before) & set(after):
        if tongren.person_by_id[stays].role != "liaison":
            assert f"person:{stays}" not in messages


def test_an_email_greets_once_and_its_subject_names_the_recipient_kind(
        tongren: advisors.Dataset, december: Publication) -> None:
    mails = _messages(december, "email")
    kinds = {n.recipient.kind for n in mails.values()}
    assert kinds == {"advisor", "trainer", "liaison", "participant"}
    for note in mails.values():
        assert note.body.count("您好") == 1, note.body
        assert note.body.count(note.subject.split("2026年12月")[0] + "2026年12月") <= 1
    liaison = next(n for n in mails.values() if n.recipient.kind == "liaison")
    assert liaison.subject == f"{liaison.recipient.village}2026年12月法律服务安排"


def test_hotline_shifts_name_the_lawyer_and_training_states_its_language(
        tongren: advisors.Dataset, december: Publication, tmp_path: Path) -> None:
    export(december, tmp_path, names=["ics"])
    cal = icalendar.Calendar.from_ical((tmp_path / "calendars" / "all.ics").read_bytes())
    by_id = {e.event.id: e.event for e in december.events}
    checked = set()
    for vevent in cal.walk("VEVENT"):
        event = by_id[str(vevent["UID"]).split("@")[0]]
        if event.kind == "hotline":
            lawyer = tongren.advisor_by_id[event.get("advisor")].name
            assert str(vevent["SUMMARY"]) == f"12348热线值班：{lawyer}"
        elif event.kind == "training":
            assert f"授课语言：{_languages(event)}" in str(vevent["DESCRIPTION"])
        checked.add(event.kind)
    assert {"hotline", "training"} <= checked


def _invitations(ds: advisors.Dataset, pub: Publication, out: Path) -> list[EmailMessage]:
    export(pub, out, names=["ics"])
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted((out / "invitations").glob("*.eml"))]  # type: ignore[misc]


def test_an_invitation_is_named_by_its_title_and_a_move_says_when(
        tongren: advisors.Dataset, tmp_path: Path) -> None:
    calendar = attrs.evolve(tongren.policy.calendar, organizer_name="同仁市司法局",
                            organizer_email="sfj@example.org")
    ds = attrs.evolve(tongren, policy=attrs.evolve(tongren.policy, calendar=calendar))
    first, second = _moved_and_rebooked(ds)
    moved: PublishedEvent = next(c for c in second.changes if c.kind == "moved").current
    old = next(e for e in first.events if e.event.id == moved.event.id).event
    mails = _invitations(ds, second, tmp_path)
    assert mails
    for mail in mails:
        part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
        cal = icalendar.Calendar.from_ical(part.get_content())
        (vevent,) = cal.walk("VEVENT")
        assert str(cal["X-WR-CALNAME"]) == str(vevent["SUMMARY"])
        assert "@" not in str(cal["X-WR-CALNAME"])
        if str(vevent["UID"]).startswith(moved.event.id):
            assert str(mail["Subject"]).startswith("调整：")
            assert (f"{when_text(old.start)} → {when_text(moved.event.start)}"
                    in str(mail["Subject"]))


def test_messages_rendered_once_per_group_are_each_persons_own(december: Publication,
                                                               tmp_path: Path) -> None:
    # The bundled templates render one body per group of people booked alike and fill in
    # each name; a deployment folder (here empty: the same templates) renders each person
    # whole. Both give every person the same message.
    shared = notifications(december, ExportOptions().renderer(),
                           ExportOptions().translator())
    whole = notifications(december, ExportOptions(template_dirs=(tmp_path,)).renderer(),
                          ExportOptions().translator())
    assert [(n.recipient.key, n.channel, n.body) for n in shared] == [
        (n.recipient.key, n.channel, n.body) for n in whole]
    # people booked alike exist here, so the shared rendering was exercised
    alike: dict[tuple[str, str], set[str]] = {}
    for n in shared:
        if n.recipient.kind == "participant":
            alike.setdefault((n.channel, n.body.replace(n.recipient.name, "")),
                             set()).add(n.recipient.key)
    assert max(len(keys) for keys in alike.values()) > 1
