"""Messages and calendars for people and villages that read Tibetan: Tibetan dates from CLDR."""

from __future__ import annotations

import attrs
import pytest

import advisors
from advisors.locale import Translator, cldr
from advisors.output.notifications import notifications
from advisors.output.render import Renderer
from advisors.output.sms import sms_size
from advisors.plan.plan import Plan, make_plan


@pytest.fixture(scope="module")
def december(tongren: advisors.Dataset) -> Plan:
    return make_plan(tongren, "2026-12")


def _tibetan_only(ds: advisors.Dataset) -> set[str]:
    return {f"person:{p.id}" for p in ds.people if p.languages and "zh" not in p.languages}


def test_people_without_chinese_get_their_service_days_in_tibetan(
        tongren: advisors.Dataset, december: Plan) -> None:
    notes = notifications(december.publication(tongren), Renderer.create(), Translator.load())
    readers = {n.recipient.key for n in notes if "zh" not in n.recipient.languages}
    assert readers & _tibetan_only(tongren), "liaison officers who read only Tibetan"
    sms = [n for n in notes if n.channel == "sms" and n.recipient.key in readers]
    assert len(sms) >= 10, "the example has people who read only Tibetan"
    events = {e.event.id: e.event for e in december.publication(tongren).active}
    for note in sms:
        for ident in note.events:
            assert cldr.format_date(events[ident].start, "bo") in note.body, note.body
        assert note.sms is not None and note.sms.encoding == "UCS-2"
        assert note.sms.units == len(note.body.rstrip("\n"))  # Tibetan: one UTF-16 unit each
    chinese = [n for n in notes if n.channel == "sms" and n.recipient.key not in readers]
    assert chinese and all("ཟླ" not in n.body for n in chinese)
    # the month is CLDR's, in the sentence's language (Chinese while bo.po has no sentence)
    assert all("2026年12月" in n.body and "2026-12" not in n.body for n in sms + chinese)


def test_a_tibetan_name_greets_a_tibetan_reader(tongren: advisors.Dataset,
                                                december: Plan) -> None:
    reader = next(p for p in tongren.people if f"person:{p.id}" in _tibetan_only(tongren)
                  and p.role == "liaison" and p.status == "active")
    data = attrs.evolve(tongren, people=[attrs.evolve(p, name_bo="བཀྲ་ཤིས་") if p is reader
                                         else p for p in tongren.people])
    notes = notifications(december.publication(data), Renderer.create(), Translator.load(),
                          channels=("wechat",))
    [note] = [n for n in notes if n.recipient.key == f"person:{reader.id}"]
    assert "བཀྲ་ཤིས་" in note.body and reader.name not in note.body


def test_sms_size_counts_tibetan_stacks_as_utf16_units() -> None:
    text = "བསྒྲུབས" * 10  # subjoined letters are code points of their own
    size = sms_size(text)
    assert size.encoding == "UCS-2" and size.units == len(text) == 70 and size.segments == 1
    assert sms_size(text + "།").segments == 2


def test_calendar_events_of_tibetan_villages_carry_the_tibetan_day(
        tongren: advisors.Dataset, december: Plan) -> None:
    seen = 0
    for item in december.publication(tongren).active:
        event = item.event
        if event.kind not in ("visit", "lecture"):
            continue
        village = tongren.village_by_id[event.get("village")]
        tibetan = event.text("description", "bo")
        if "bo" in village.languages:
            assert cldr.day_range(event.start, event.end, "bo") in tibetan
            if village.name_bo:
                assert village.name_bo in event.text("summary", "bo")
            seen += 1
        else:
            assert tibetan == ""
    assert seen
