"""The library's errors: one small hierarchy under :class:`AdvisorsError`.

A data error never stops at the first problem: loaders collect every
:class:`Problem` they find and raise one :class:`DataError` that lists them
all, each located by file (or record), line, field, the bad value and what
was expected, so that a township office can fix a spreadsheet in one pass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

__all__ = ["AdvisorsError", "DataError", "PluginError", "Problem", "ProblemList", "read_toml"]


class AdvisorsError(Exception):
    """Base of every error the library raises on purpose."""


@attrs.frozen
class Problem:
    """One thing wrong with the input, located as precisely as the source allows."""

    source: str
    """File name (``villages.csv``), sheet, or record kind for data built in Python."""
    message: str
    """What is wrong, in one sentence."""
    line: int | None = None
    """1-based line in the file (the header is line 1); ``None`` when unknown."""
    field: str | None = None
    """Column or key the problem is in."""
    value: str | None = None
    """The offending value as written."""
    expected: str | None = None
    """What would have been accepted."""

    def location(self) -> str:
        """``villages.csv:14`` — the place, without the field."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def __str__(self) -> str:
        parts = [self.location()]
        if self.field:
            parts.append(f"[{self.field}]")
        text = " ".join(parts) + f": {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def as_dict(self) -> dict[str, object]:
        """Plain form for ``--json`` output and portals."""
        return attrs.asdict(self)


class DataError(AdvisorsError):
    """The input data is wrong; :attr:`problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._summary())

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its problems (not its summary) when it crosses a process boundary
        return (type(self), (self.problems,), self.__dict__)

    @property
    def about_options(self) -> bool:
        """Whether every problem is with a command-line option (``--out``), not the data."""
        return bool(self.problems) and all(p.source.startswith("--") for p in self.problems)

    def _summary(self) -> str:
        count = len(self.problems)
        head = (f"{count} problem{'s' if count != 1 else ''} "
                f"{'with the options' if self.about_options else 'in the data'}:")
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class PluginError(AdvisorsError):
    """A plugin is broken, missing, or registers a name that is already taken."""


class ProblemList:
    """Collects problems while reading, then raises them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(
        self,
        source: str,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        value: str | None = None,
        expected: str | None = None,
    ) -> None:
        """Record one problem."""
        self.items.append(Problem(source, message, line, field, value, expected))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere."""
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise one :class:`DataError` listing everything collected, if anything was."""
        if self.items:
            raise DataError(self.items)


def read_toml(path: Path) -> Any:
    """The TOML document at ``path``; a DataError naming the file if it is not UTF-8 TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(path.name, "file is not UTF-8 text", value=str(exc)[:80])]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(
            [Problem(path.name, "not valid TOML", expected="TOML syntax", value=str(exc))]
        ) from None
