"""An email's text body is written without building a message per body, to the same bytes.

:func:`advisors.output.mail.text_body` stands in for ``EmailMessage.set_content``
(SMTP policy) in every ``.eml`` a plan writes; the standard library is the
reference for any text: short and long lines, ASCII, Chinese, Tibetan, line
breaks of every kind, and the choice between 7bit, 8bit, quoted-printable and base64.
"""

from __future__ import annotations

import email.policy
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors.output.mail import message_id, message_id_header, text_body

PIECES = st.sampled_from(["a", "Z", " ", "=", ".", "From ", "\t", "\n", "\r\n", "\r",
                          "司法所", "第3镇", "བཀྲ་ཤིས་", "é", "—", "0123456789"])
TEXTS = st.one_of(st.text(), st.lists(PIECES, max_size=400).map("".join))


def reference(text: str) -> bytes:
    part = EmailMessage(policy=email.policy.SMTP)
    part.set_content(text)
    return part.as_bytes()


@settings(max_examples=300)
@given(TEXTS)
def test_a_body_is_what_set_content_writes(text: str) -> None:
    assert text_body(text) == reference(text)


@pytest.mark.parametrize(("text", "cte"), [
    ("hello\n", b"7bit"),
    ("第3镇第7村\n", b"8bit"),
    ("第3镇第7村" * 30 + "\n", b"base64"),
    ("a" * 100 + "é\n", b"quoted-printable"),
])
def test_each_transfer_encoding_is_met(text: str, cte: bytes) -> None:
    # the four branches the reference chooses between, each reached
    body = text_body(text)
    assert b"Content-Transfer-Encoding: " + cte + b"\r\n" in body
    assert body == reference(text)


DOMAINS = st.one_of(st.sampled_from(["advisors.invalid", "sfj.tongren.gov.cn"]),
                    st.integers(1, 12).map(lambda n: ".".join(["sub-domain-part"] * n)))


@settings(max_examples=100)
@given(st.text(max_size=200), DOMAINS)
def test_a_message_id_line_is_what_the_policy_folds(seed: str, domain: str) -> None:
    part = EmailMessage(policy=email.policy.SMTP)
    part["Message-ID"] = message_id(seed, domain)
    assert message_id_header(seed, domain) == part.as_bytes()[:-2]
