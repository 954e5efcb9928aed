"""How many SMS segments a text takes (3GPP TS 23.038 / 23.040).

A text made only of GSM 7-bit characters fits 160 in one SMS and 153 per
segment when concatenated (characters of the extension table, such as ``€``
or ``[``, count twice). Anything else — Chinese, Tibetan — is sent as UCS-2:
70 UTF-16 code units in one SMS, 67 per segment when concatenated.
Operators bill per segment, so messages report their count.
"""

from __future__ import annotations

from typing import Final

import attrs

__all__ = ["GSM7_BASIC", "GSM7_EXTENDED", "SmsSize", "sms_size"]

GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""Characters of the GSM 7-bit default alphabet (one septet each)."""
GSM7_EXTENDED: Final = frozenset("^{}\\[~]|€\f")
"""Characters of the extension table (an escape plus one septet: two each)."""


@attrs.frozen
class SmsSize:
    """A text's encoding, length in the encoding's units, and segments."""

    encoding: str
    """``GSM-7`` or ``UCS-2``."""
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    segments: int
    """SMS messages the text is split into (0 for an empty text)."""


def sms_size(text: str) -> SmsSize:
    """The SMS size of ``text``."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units == 0:
        return SmsSize(encoding, 0, 0)
    segments = 1 if units <= single else -(-units // multi)
    return SmsSize(encoding, units, segments)
