"""Content lines written directly are the bytes icalendar writes, on arbitrary input."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil import tz as dateutil_tz
from hypothesis import example, given, settings
from hypothesis import strategies as st

from advisors.output.contentline import (
    datetime_line,
    escape_text,
    fold,
    param_value,
    text_line,
    verbatim_line,
)

# Characters that meet the rules at their edges: escapes, quoting, line breaks,
# a byte-order mark, and UTF-8 characters of 1 to 4 octets (Tibetan stacks, CJK, emoji).
TRICKY = ("\\", "^", ",", ";", ":", "\n", "\r", '"', "'", "\u2019", " ", "\t", "N", "n",
          "a", "Z", "\ufeff", "\x00", "é", "隆", "务", "ཀ", "ྲ", "ཟ", "ླ", "་", "།", "😀", "𠀀")
texts = st.one_of(st.text(), st.text(st.sampled_from(TRICKY), max_size=400),
                  st.text(st.sampled_from(TRICKY) | st.characters(codec="utf-8"), min_size=60,
                          max_size=300))
one_line = texts.filter(lambda s: "\n" not in s and "\r" not in s)

ZONES = (ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC"), ZoneInfo("Etc/UTC"), dt.UTC,
         ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin"),
         dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-3), "X;Y"),
         dateutil_tz.gettz("Asia/Shanghai"), dateutil_tz.tzoffset("CST", 28800))


def _icalendar(name: str, value: object, component: type[icalendar.Component] = icalendar.Event,
               params: dict[str, str] | None = None) -> bytes:
    holder = component()
    holder.add(name, value, parameters=params)
    raw: bytes = holder.to_ical()
    begin = f"BEGIN:{holder.name}\r\n".encode()
    end = f"END:{holder.name}\r\n".encode()
    assert raw.startswith(begin) and raw.endswith(end)
    return raw[len(begin):-len(end)]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["SUMMARY", "DESCRIPTION", "LOCATION", "UID", "STATUS"]), texts)
@example("DESCRIPTION", "\\N" * 40)
@example("SUMMARY", "\ufeff\ufeff" + "隆务" * 40)
def test_a_text_line_is_icalendars(name: str, value: str) -> None:
    assert text_line(name, value) == _icalendar(name, value)


@settings(max_examples=400, deadline=None)
@given(one_line)
@example("a" * 73 + "\\" + "b")
@example("a" * 73 + "^^" + "b" * 80)
@example("\\" * 200)
@example("^" + "隆" * 30)
def test_a_verbatim_line_folds_as_icalendar_folds(value: str) -> None:
    # an X- property is written verbatim: only the folding is at work
    assert verbatim_line("X-WR-CALNAME", value) == _icalendar(
        "x-wr-calname", value, icalendar.Calendar)


@settings(max_examples=100, deadline=None)
@given(texts.filter(lambda s: "\n" in s or "\r" in s))
def test_a_verbatim_value_with_a_line_break_is_left_to_icalendar(value: str) -> None:
    try:
        expected = _icalendar("x-wr-calname", value, icalendar.Calendar)
    except AssertionError:
        with pytest.raises(AssertionError):
            verbatim_line("X-WR-CALNAME", value)
    else:
        assert verbatim_line("X-WR-CALNAME", value) == expected


PARAMS = ("CN", "ROLE", "PARTSTAT", "CUTYPE", "DIR", "SENT-BY", "DELEGATED-TO", "MEMBER",
          "LANGUAGE", "X-FOO", "cn", "x-bar")


@settings(max_examples=300, deadline=None)
@given(one_line, st.dictionaries(st.sampled_from(PARAMS), texts, max_size=5),
       st.sampled_from(["ATTENDEE", "ORGANIZER"]))
@example("a@b.org", {"CN": 'x"y^z\r\nw'}, "ATTENDEE")
@example("a@b.org", {"CN": "O’Brien, Ann"}, "ORGANIZER")
def test_an_address_with_parameters_is_icalendars(email: str, params: dict[str, str],
                                                  name: str) -> None:
    # distinct names as icalendar keeps them (case-insensitive)
    params = {k: v for k, v in params.items() if k.upper() not in
              {o.upper() for o in params if o != k and o.isupper()}}
    expected = _icalendar(name.lower(), icalendar.vCalAddress(f"mailto:{email}"),
                          params=dict(params))
    assert verbatim_line(name, f"mailto:{email}", tuple(params.items())) == expected


@settings(max_examples=100, deadline=None)
@given(texts.filter(lambda s: "\n" in s or "\r" in s))
def test_an_address_with_a_line_break_is_refused_as_icalendar_refuses_it(email: str) -> None:
    with pytest.raises(ValueError, match="CAL-ADDRESS"):
        icalendar.vCalAddress(f"mailto:{email}")
    with pytest.raises(ValueError, match="CAL-ADDRESS"):
        verbatim_line("ATTENDEE", f"mailto:{email}", (("CN", "x"),))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["DTSTART", "DTEND", "DTSTAMP"]),
       st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 30)),
       st.sampled_from(ZONES))
def test_a_datetime_line_is_icalendars(name: str, naive: dt.datetime, zone: dt.tzinfo) -> None:
    value = naive.replace(tzinfo=zone)
    if name == "DTSTAMP":  # as the feeds give it, and as icalendar stores any DTSTAMP
        value = value.astimezone(dt.UTC)
    assert datetime_line(name, value) == _icalendar(name.lower(), value)


def test_the_feeds_times_take_the_fast_path_with_their_zone() -> None:
    start = dt.datetime(2026, 12, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert datetime_line("DTSTART", start) == (
        b"DTSTART;TZID=Asia/Shanghai:20261202T090000\r\n")
    assert datetime_line("DTSTAMP", start.astimezone(dt.UTC)) == b"DTSTAMP:20261202T010000Z\r\n"


def test_folding_keeps_74_octets_a_segment_and_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "ཟླ་བ་" * 30
    folded = fold(line)
    segments = folded.split(b"\r\n ")
    assert b"".join(segments).decode() == line
    assert all(len(s) <= 74 for s in segments)
    assert all(74 - len(s) < 3 for s in segments[:-1])  # full but for one character
    assert fold("X:" + "a" * 72) == b"X:" + b"a" * 72
    assert fold("X:" + "a" * 73) == b"X:" + b"a" * 72 + b"\r\n a"


def test_an_escape_is_not_cut_from_the_character_it_escapes() -> None:
    assert fold("X:" + "a" * 71 + "\\" + "n") == b"X:" + b"a" * 71 + b"\r\n \\n"
    assert fold("X:" + "a" * 71 + "^" + "n") == b"X:" + b"a" * 71 + b"\r\n ^n"


def test_text_escapes_and_parameter_quoting() -> None:
    assert escape_text("a,b;c\\d\r\ne\rf\\Ng") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    assert param_value("CN", "才让 多杰") == '"才让 多杰"'
    assert param_value("CN", "才让多杰") == "才让多杰"
    assert param_value("ROLE", "a:b") == '"a:b"'
    assert param_value("DIR", "x") == '"x"'
    assert param_value("X-NOTE", 'say "hi"^\n') == "say ^'hi^'^^^n"
