"""Email headers built from address objects, never by pasting strings together.

A name or an address is data: pasted into ``To:`` a comma in it adds a
recipient, a line break adds a header. :func:`address` builds an
:class:`email.headerregistry.Address` (the email package quotes the display
name and refuses an address that is not one ``local@domain``); every message
gets a sender (:func:`sender`: the policy's ``organizer_email``, else
``noreply@<uid_domain>``) and a Message-ID derived from stable ids only
(:func:`message_id`), so that the same plan gives the same bytes.
"""

from __future__ import annotations

import hashlib
from email.errors import HeaderParseError
from email.headerregistry import Address

from ..errors import DataError, Problem
from ..limits import is_email
from ..policy import CalendarPolicy

__all__ = ["NOREPLY", "address", "message_id", "sender"]

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
