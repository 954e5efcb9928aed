"""Coverage: every village and community gets exactly one advisor of record.

(Foundation stub of the result type; the coverage problem, its diagnostics
and the strategies are built on it.)
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = ["Assignment"]


@attrs.frozen
class Assignment:
    """Village → advisor of record; ``None`` for a village nobody can cover."""

    advisor_of: Mapping[str, str | None]
    strategy: str = ""

    def villages_of(self, advisor: str) -> tuple[str, ...]:
        """The villages ``advisor`` serves, sorted by id."""
        return tuple(sorted(v for v, a in self.advisor_of.items() if a == advisor))
