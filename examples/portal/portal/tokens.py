"""Tokens: made from the system's CSPRNG, kept only as digests, compared in constant time.

A token is a bearer secret (a personal feed's URL, a sign-in link). The
database holds its SHA-256 digest, never the token: whoever reads a backup
cannot sign in. A presented token is looked up by its digest and the stored
digest compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["KINDS", "PERSONAL_KINDS", "digest_of", "equal_digests", "new_token", "same_digest"]

PERSONAL_KINDS = ("advisor", "trainer")
"""Feed kinds reachable only through a token."""
KINDS = ("advisor", "trainer", "office", "hotline", "liaison", "admin")
"""Scopes of a token: a person (advisor, trainer), a township (office, liaison: the
township justice office and the bureau's liaison officer there), the 12348 hotline's
operators (every township), the bureau's administrator."""
MAX_LENGTH = 128
"""Longer strings are refused before hashing."""


def new_token() -> str:
    """A fresh URL-safe token with 192 bits from the system's CSPRNG."""
    return secrets.token_urlsafe(24)


def digest_of(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def equal_digests(a: str, b: str) -> bool:
    """Whether two digests are the same, compared in constant time."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def same_digest(stored: str, token: str) -> bool:
    """Whether ``token`` hashes to ``stored``, compared in constant time."""
    return equal_digests(stored, digest_of(token))
