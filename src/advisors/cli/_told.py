"""Rules' findings told on the command line in the user's language, names for ids.

The same :class:`~advisors.plan.telling.Teller` as ``advisors plan``'s list of
shortfalls (catalog context ``shortfall``): a violation with a sentence
(:class:`~advisors.wording.Text`) is told whole; one without keeps its English
message under its rule's translated name. In English every line is the
analysis as written (:meth:`Analysis.lines`), ids included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..data.dataset import Dataset
from ..plan.shortfalls import rule_label
from ..plan.telling import Teller
from ..rules import Analysis
from ..wording import Text
from .speak import language, lookup, say

__all__ = ["analysis_lines", "cli_teller", "grouped_lines", "kind", "rule_name",
           "strategy_name", "told"]


class _Said(Protocol):
    """A sentence in English (``message``), with its message id and values if known."""

    @property
    def message(self) -> str: ...
    @property
    def text(self) -> Text | None: ...


class _Finding(_Said, Protocol):
    """A rule's match: a violation of visits, hotline or training."""

    @property
    def rule(self) -> str: ...
    @property
    def hard(self) -> bool: ...


def cli_teller(dataset: Dataset) -> Teller:
    """The teller of the command line's current language (as ``advisors plan`` uses)."""
    return Teller(dataset, lambda msgid: lookup(msgid, "shortfall"), language())


def strategy_name(name: str) -> str:
    """A strategy in words, its name (what ``--strategy`` takes) in brackets; as is in English."""
    words = lookup(name, "strategy")
    return f"{words}（{name}）" if words else name


def told(finding: _Said, teller: Teller) -> str:
    """A violation's sentence in the teller's language (its English message if it has none)."""
    return teller(finding.text) if finding.text is not None else finding.message


def rule_name(rule: str, teller: Teller) -> str:
    """A rule's name in the teller's language (as written in English)."""
    return rule if teller.english else teller.label(rule_label(rule))


def kind(finding: _Finding) -> str:
    """``hard`` or ``soft`` in the current language."""
    return say("hard") if finding.hard else say("soft")


def analysis_lines(analysis: Analysis, teller: Teller, limit: int = 10) -> list[str]:
    """One heading per rule, at most ``limit`` matches under each, in the teller's language."""
    if teller.english:
        return analysis.lines(limit)
    return grouped_lines(analysis.violations, teller, limit)


def grouped_lines(found: Iterable[_Finding], teller: Teller, limit: int = 10) -> list[str]:
    """:func:`analysis_lines` of any findings (training's too)."""
    by_rule: dict[str, list[_Finding]] = {}
    for v in found:
        by_rule.setdefault(v.rule, []).append(v)
    out: list[str] = []
    for rule, matches in by_rule.items():
        out.append(say("{rule} ({kind}): {n}", rule=rule_name(rule, teller),
                       kind=kind(matches[0]), n=len(matches)))
        out.extend(f"  - {told(m, teller)}" for m in matches[:limit])
        if len(matches) > limit:
            out.append("  " + say("… and {n} more", n=len(matches) - limit))
    return out

