"""SMS sizes: GSM-7 160/153, UCS-2 (Chinese, Tibetan) 70/67 per segment."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors.output.sms import GSM7_BASIC, GSM7_EXTENDED, sms_size


@pytest.mark.parametrize(("text", "encoding", "segments"), [
    ("", "GSM-7", 0),
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("a" * 306, "GSM-7", 2),
    ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1),
    ("€" * 81, "GSM-7", 2),
    ("法" * 70, "UCS-2", 1),
    ("法" * 71, "UCS-2", 2),
    ("法" * 134, "UCS-2", 2),
    ("法" * 135, "UCS-2", 3),
    ("a" * 69 + "法", "UCS-2", 1),
    ("ཀ" * 70, "UCS-2", 1),
    ("😀" * 35, "UCS-2", 1),
    ("😀" * 36, "UCS-2", 2),
])
def test_known_sizes(text: str, encoding: str, segments: int) -> None:
    size = sms_size(text)
    assert (size.encoding, size.segments) == (encoding, segments)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_segments_hold_the_text(text: str) -> None:
    size = sms_size(text)
    gsm = all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)
    assert size.encoding == ("GSM-7" if gsm else "UCS-2")
    single, multi = (160, 153) if gsm else (70, 67)
    if size.units == 0:
        assert size.segments == 0
    elif size.units <= single:
        assert size.segments == 1
    else:
        assert (size.segments - 1) * multi < size.units <= size.segments * multi
