"""Email headers built from address objects, never by pasting strings together.

A name or an address is data: pasted into ``To:`` a comma in it adds a
recipient, a line break adds a header. :func:`address` builds an
:class:`email.headerregistry.Address` (the email package quotes the display
name and refuses an address that is not one ``local@domain``); every message
gets a sender (:func:`sender`: the policy's ``organizer_email``, else
``noreply@<uid_domain>``) and a Message-ID derived from stable ids only
(:func:`message_id`), so that the same plan gives the same bytes.
:func:`text_body` is the plain-text body part as ``EmailMessage.set_content``
writes it, without building a message per body.
"""

from __future__ import annotations

import binascii
import email.policy
import functools
import hashlib
from email import quoprimime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Final

from ..errors import DataError, Problem
from ..limits import is_email
from ..policy import CalendarPolicy

__all__ = ["NOREPLY", "address", "message_id", "message_id_header", "sender", "text_body"]

NOREPLY = "noreply"
"""Local part of the sender when the policy names no ``organizer_email``."""


def address(name: str, email: str, whose: str = "recipient") -> Address:
    """``name <email>`` as an address object; a :class:`DataError` if ``email`` is not one."""
    try:
        if not is_email(email):
            raise ValueError(email)
        return Address(display_name=name, addr_spec=email)
    except (ValueError, HeaderParseError, IndexError):
        raise DataError([Problem(whose, "not one email address", field="email",
                                 value=email[:80], expected="one address such as "
                                 "name@example.org")]) from None


def sender(calendar: CalendarPolicy) -> Address:
    """Who messages come from: the organizer, else ``noreply@<uid_domain>``."""
    if calendar.organizer_email:
        return address(calendar.organizer_name, calendar.organizer_email,
                       "policy calendar.organizer_email")
    return address(calendar.organizer_name, f"{NOREPLY}@{calendar.uid_domain}",
                   "policy calendar.uid_domain")


def message_id(seed: str, domain: str) -> str:
    """``<digest@domain>``: the same seed (stable ids, a sequence) gives the same id."""
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24]
    return f"<{digest}@{domain}>"


_POLICY = email.policy.SMTP
_WIDTH: Final = _POLICY.max_line_length or 78
_CRLF = b"\r\n"


@functools.cache
def _id_header(domain: str) -> tuple[bytes, bytes]:
    """The folded ``Message-ID`` line of ``domain`` split around its digest."""
    part = EmailMessage(policy=_POLICY)
    part["Message-ID"] = message_id("", domain)
    head = part.as_bytes()[:-2]  # without the blank line that ends the headers
    digest = message_id("", domain)[1:25].encode("ascii")
    before, found, after = head.partition(digest)
    if not found:  # pragma: no cover - the digest is one token of the line
        raise AssertionError(head)
    return before, after


def message_id_header(seed: str, domain: str) -> bytes:
    """The ``Message-ID: <digest@domain>`` header line of :func:`message_id`, folded
    as the SMTP policy folds it: every digest has the same 24 characters, so the
    line is folded once per domain and the digest put in."""
    before, after = _id_header(domain)
    return before + message_id(seed, domain)[1:25].encode("ascii") + after


@functools.cache
def _body_head(cte: str) -> bytes:
    """The header lines (and blank line) ``set_content`` gives a UTF-8 text body in ``cte``."""
    part = EmailMessage(policy=_POLICY)
    part.set_content("x", cte=cte)
    head, _, _ = part.as_bytes().partition(_CRLF * 2)
    return head + _CRLF * 2


def _encode(lines: list[bytes]) -> tuple[str, bytes]:
    """The transfer encoding ``set_content`` chooses for these UTF-8 lines, and the body.

    The same choice as :mod:`email.contentmanager`: 7bit or 8bit when every line
    fits, else whichever of quoted-printable and base64 is shorter on the first
    ten lines.
    """
    if max((len(line) for line in lines), default=0) <= _WIDTH:
        body = _CRLF.join(lines) + _CRLF
        return ("7bit" if body.isascii() else "8bit"), body
    sniff = _CRLF.join(lines[:10]) + _CRLF
    b64 = len(binascii.b2a_base64(sniff))
    # quoted-printable writes each byte above 127 as three characters and each line end
    # as one: a floor that, above base64's length already (Chinese, Tibetan), decides
    floor = len(sniff) + 2 * (len(sniff) - len(sniff.decode("latin-1").encode(
        "ascii", "ignore"))) - min(len(lines), 10)
    if floor > b64 or len(quoprimime.body_encode(sniff.decode("latin-1"), _WIDTH)) > b64:
        step = _WIDTH // 4 * 3
        whole = _CRLF.join(lines) + _CRLF
        return "base64", b"".join(binascii.b2a_base64(whole[i:i + step])[:-1] + _CRLF
                                  for i in range(0, len(whole), step))
    text = b"\n".join(lines) + b"\n"
    if len(lines) <= 10:
        text = sniff
    encoded = quoprimime.body_encode(text.decode("latin-1"), _WIDTH)
    return "quoted-printable", _CRLF.join(encoded.encode("ascii").splitlines()) + _CRLF


def text_body(text: str) -> bytes:
    """A UTF-8 ``text/plain`` part's bytes, the same as ``EmailMessage.set_content(text)``
    under the SMTP policy: its Content-Type, Content-Transfer-Encoding and MIME-Version
    lines, a blank line, the encoded text."""
    cte, body = _encode(text.encode("utf-8").splitlines())
    return _body_head(cte) + body
