"""iCalendar feeds: valid RFC 5545, expandable, one feed per owner, minimal VTIMEZONE."""

from __future__ import annotations

import datetime as dt
import email
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

import advisors
from advisors.locale import Translator
from advisors.output import export
from advisors.output import ics as ics_module
from advisors.output.contentline import text_line
from advisors.output.ics import vtimezone
from advisors.plan.event_builders import EventBuilder

from .test_exporters import publish, sample_events

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def feeds(tongren: advisors.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds")
    export(publish(tongren, sample_events(tongren)), out, names=["ics"])
    return out


def _calendars(folder: Path) -> dict[str, icalendar.Calendar]:
    return {p.relative_to(folder).as_posix(): icalendar.Calendar.from_ical(p.read_bytes())
            for p in sorted((folder / "calendars").rglob("*.ics"))}


def test_one_feed_per_owner_and_one_of_everything(tongren: advisors.Dataset,
                                                  feeds: Path) -> None:
    names = set(_calendars(feeds))
    events = sample_events(tongren)
    expected = {"calendars/all.ics"} | {
        f"calendars/{o.replace(':', '/')}.ics" for e in events for o in e.owners}
    assert names == expected
    assert any(n.startswith("calendars/trainer/") for n in names)
    assert any(n.startswith("calendars/township/") for n in names)


def test_every_feed_parses_and_expands(feeds: Path) -> None:
    start = dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)
    end = dt.datetime(2027, 1, 1, tzinfo=SHANGHAI)
    for name, cal in _calendars(feeds).items():
        vevents = cal.walk("VEVENT")
        assert vevents, name
        expanded = recurring_ical_events.of(cal).between(start, end)
        assert len(expanded) == len(vevents), name
        for event in expanded:
            assert event["DTSTART"].dt.utcoffset() == dt.timedelta(hours=8)


def test_every_vevent_has_the_required_properties(feeds: Path) -> None:
    cal = icalendar.Calendar.from_ical((feeds / "calendars" / "all.ics").read_bytes())
    assert cal["VERSION"] == "2.0" and cal["PRODID"] and cal["METHOD"] == "PUBLISH"
    uids = set()
    for vevent in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "SEQUENCE", "STATUS", "DTSTART", "DTEND", "SUMMARY"):
            assert prop in vevent, prop
        assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert vevent["DTSTAMP"].dt.tzinfo is not None
        assert str(vevent["UID"]).endswith("@advisors.invalid")
        uids.add(str(vevent["UID"]))
    assert len(uids) == len(cal.walk("VEVENT"))


def test_personal_and_village_feeds_remind_aggregate_feeds_do_not(
        tongren: advisors.Dataset, feeds: Path, tmp_path: Path) -> None:
    def triggers(cal: icalendar.Calendar) -> list[list[dt.timedelta]]:
        return [sorted(-a["TRIGGER"].dt for a in v.walk("VALARM")) for v in cal.walk("VEVENT")]

    policy = sorted(dt.timedelta(minutes=m) for m in tongren.policy.calendar.alarm_minutes)
    for name, cal in _calendars(feeds).items():
        aggregate = name == "calendars/all.ics" or name.startswith("calendars/township/")
        assert triggers(cal) == [[] if aggregate else policy] * len(cal.walk("VEVENT")), name
    calendar = attrs.evolve(tongren.policy.calendar, aggregate_alarms=True)
    asked = attrs.evolve(tongren, policy=attrs.evolve(tongren.policy, calendar=calendar))
    export(publish(asked, sample_events(asked)), tmp_path, names=["ics"])
    everything = icalendar.Calendar.from_ical((tmp_path / "calendars" / "all.ics").read_bytes())
    assert triggers(everything) == [policy] * len(everything.walk("VEVENT"))


def test_vtimezone_has_no_daylight_history(feeds: Path) -> None:
    for name, cal in _calendars(feeds).items():
        (tz,) = cal.walk("VTIMEZONE")
        assert tz["TZID"] == "Asia/Shanghai"
        assert [c.name for c in tz.subcomponents] == ["STANDARD"], name
        (standard,) = tz.subcomponents
        assert "RDATE" not in standard and "RRULE" not in standard
        assert standard["TZOFFSETTO"].td == dt.timedelta(hours=8)
        assert standard["TZOFFSETFROM"].td == dt.timedelta(hours=8)
        first = min(e["DTSTART"].dt for e in cal.walk("VEVENT"))
        assert standard["DTSTART"].dt <= first.replace(tzinfo=None)
        raw = (feeds / name).read_bytes()
        assert b"DAYLIGHT" not in raw and b"1986" not in raw


def test_vtimezone_of_a_zone_with_daylight_saving_keeps_only_the_span() -> None:
    tz = vtimezone("Europe/Berlin", dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    raw = tz.to_ical()
    assert b"1986" not in raw and b"TZID:Europe/Berlin" in raw


def test_public_feeds_carry_no_emails_private_ones_do(tongren: advisors.Dataset,
                                                      feeds: Path) -> None:
    for path in (feeds / "calendars" / "village").glob("*.ics"):
        assert b"ATTENDEE" not in path.read_bytes() and b"mailto:" not in path.read_bytes()
    for path in (feeds / "calendars" / "township").glob("*.ics"):
        assert b"mailto:" not in path.read_bytes()
    advisor = tongren.advisor_by_id["adv-01"]
    raw = (feeds / "calendars" / "advisor" / "adv-01.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(raw)
    for vevent in cal.walk("VEVENT"):
        assert str(vevent["ATTENDEE"]) == f"mailto:{advisor.email}"


def test_summary_and_location_in_the_villages_languages(tongren: advisors.Dataset) -> None:
    village = next(v for v in tongren.villages if "bo" in v.languages)
    village = attrs.evolve(village, name_bo="TIBETAN-NAME")
    ds = attrs.evolve(tongren, villages=[village if v.id == village.id else v
                                         for v in tongren.villages])
    event = EventBuilder(ds).visit(village.id, "adv-01", dt.date(2026, 12, 3), 1)
    # The bundled Tibetan catalog has no title (never invented): the Tibetan line is the
    # dataset's own Tibetan name, the description's the CLDR Tibetan date.
    assert event.text("summary", "bo") == "TIBETAN-NAME"
    assert "ཟླ་བ་བཅུ་གཉིས་པའི་ཚེས་3, གཟའ་ཕུར་བུ་" in event.text("description", "bo")
    assert village.name in event.text("summary", "zh")
    assert "TIBETAN-NAME" in event.location


def _catalog(tmp_path: Path, fuzzy: bool) -> Path:
    flag = "#, fuzzy\n" if fuzzy else ""
    (tmp_path / "bo.po").write_text(
        f'{flag}msgid "Legal advisor service day: {{village}}"\n'
        'msgstr "BO-SERVICE-DAY {village}"\n', "utf-8")
    return tmp_path


@pytest.mark.parametrize(("fuzzy", "review", "shown"), [
    (False, False, "BO-SERVICE-DAY TIBETAN-NAME"),
    (True, False, None),
    (True, True, "⚠BO-SERVICE-DAY TIBETAN-NAME"),
])
def test_reviewed_tibetan_is_shown_fuzzy_is_omitted(tongren: advisors.Dataset, tmp_path: Path,
                                                    fuzzy: bool, review: bool,
                                                    shown: str | None) -> None:
    village = next(v for v in tongren.villages if v.languages[0] == "bo")
    village = attrs.evolve(village, name_bo="TIBETAN-NAME")
    ds = attrs.evolve(tongren, villages=[village if v.id == village.id else v
                                         for v in tongren.villages])
    translator = Translator.load(extra_dirs=[_catalog(tmp_path, fuzzy)], review=review)
    event = EventBuilder(ds, translator).visit(village.id, "adv-01", dt.date(2026, 12, 3), 1)
    pub = publish(ds, [event])
    export(pub, tmp_path / "out", names=["ics"])
    cal = icalendar.Calendar.from_ical(
        (tmp_path / "out" / "calendars" / "all.ics").read_bytes())
    (vevent,) = cal.walk("VEVENT")
    summary = str(vevent["SUMMARY"])
    chinese = f"法律顾问到村服务：{village.name}"
    if shown is None:
        assert summary == f"TIBETAN-NAME / {chinese}"
    else:
        assert summary == f"{shown} / {chinese}"


def _part(msg: Message, subtype: str) -> Message:
    for part in msg.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part
    raise AssertionError(subtype)


def test_invitations_request_and_cancel_with_mime_method(tongren: advisors.Dataset,
                                                         tmp_path: Path) -> None:
    calendar = attrs.evolve(tongren.policy.calendar, organizer_name="同仁市司法局",
                            organizer_email="sfj@example.org")
    ds = attrs.evolve(tongren, policy=attrs.evolve(tongren.policy, calendar=calendar))
    events = sample_events(ds)
    first = publish(ds, events)
    second = publish(ds, events[1:], first.events, first.stamp + dt.timedelta(days=1), 2)
    export(first, tmp_path / "v1", names=["ics"])
    export(second, tmp_path / "v2", names=["ics"])
    requests = sorted((tmp_path / "v1" / "invitations").glob("*.eml"))
    assert len(requests) == sum(1 for e in events for p in e.attendees if p.email)
    cancels = sorted((tmp_path / "v2" / "invitations").glob("*.eml"))
    assert [p.name.split(".")[0] for p in cancels] == [events[0].id] * len(cancels)
    for path, method in [(requests[0], "REQUEST"), (cancels[0], "CANCEL")]:
        msg = email.message_from_bytes(path.read_bytes())
        part = _part(msg, "calendar")
        assert part.get_param("method") == method
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert cal["METHOD"] == method
        (vevent,) = cal.walk("VEVENT")
        assert str(vevent["ORGANIZER"]) == "mailto:sfj@example.org"
        assert "ATTENDEE" in vevent
        if method == "CANCEL":
            assert vevent["STATUS"] == "CANCELLED" and vevent["SEQUENCE"] == 1


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(str.strip),
       st.sampled_from([0, 5, 60, 1440, 2880, 10080]))
def test_a_reminder_spliced_from_its_pieces_is_the_whole_valarm(summary: str,
                                                                 minutes: int) -> None:
    # FeedWriter builds each VALARM from pieces serialised once and the event's
    # DESCRIPTION line: the same bytes as icalendar serialising the whole alarm
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(minutes=-minutes))
    before, after = ics_module._alarm(minutes)
    assert before + text_line("DESCRIPTION", summary) + after == alarm.to_ical()
