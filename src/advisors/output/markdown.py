"""Markdown tables: rosters a coordinator pastes into a wiki or a chat."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["cell", "table"]

_ESCAPES = str.maketrans({"|": "\\|", "\n": " ", "\r": " ", "<": "&lt;", ">": "&gt;",
                          "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]"})


def cell(value: object) -> str:
    """Text safe inside a table cell: pipes, markup and HTML escaped, one line."""
    return ("" if value is None else str(value)).translate(_ESCAPES).strip()


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"
