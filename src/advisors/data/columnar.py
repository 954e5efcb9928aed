"""Parse a block of clean CSV lines column by column, in C as far as possible.

A national dataset has about three million rows; a Python step per cell
costs seconds. When a file's text has no quotes, a block of lines splits
into cells with one ``str.split``, and each column is then parsed with a few
C-level passes: ids checked with one regular-expression search over the
whole column, choices, dates and language lists looked up in a table of the
spellings already seen, references that come grouped (a village's people)
sent as runs, numbers converted by ``map(float, ...)`` and
range-checked with ``min``/``max``. Records are made blank and their slots
filled one column at a time.

Anything unusual in a block (a short or long row, an empty required cell, a
bad value, stray whitespace in an id) raises :class:`NotClean`; the caller
then parses the block row by row, which reports every problem with its line.
Both paths give equal records.
"""

from __future__ import annotations

import array
import collections
import itertools
import math
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

import attrs

from ..model import NOT_ID_CHAR
from .columns import (
    Column,
    FileSpec,
    _bool,
    _choice_table,
    _count,
    _date,
    _ident,
    _languages,
    _list,
    _text,
)

__all__ = ["ColumnParser", "NotClean", "Unpacker", "compile_columns"]

Cells = list[str]
Handler = Callable[[Cells], Any]


class NotClean(ValueError):
    """A block needs the row-by-row path (which says what is wrong, and where)."""


DISTINCT_PROBE = 1000
"""A block of this many rows or more, half of them new values, ends a text column's sharing.

Phone numbers, say: numbering nearly distinct values costs time and saves no memory."""

MEMO_LIMIT = 200_000
"""Distinct values past which a text column stops sharing equal strings (phones, names)."""


class ColumnParser:
    """Parses blocks of lines of one file column by column, then builds their records.

    The two steps are apart so that the first (most of the work) can run in
    another process: with ``packed`` it gives each column in a compact form
    that pickles fast (a few strings and arrays, see :class:`Unpacker`).
    """

    def __init__(self, spec: FileSpec, plan: Sequence[tuple[Column, int | None]],
                 width: int, *, packed: bool = False) -> None:
        self._codes: list[_Codes] = []
        self._handlers = [(column.target, index, column.default,
                           _handler(column, column.name == spec.key, packed, self._codes))
                          for column, index in plan]
        self._width = width
        self._separators = {width - 1}
        self._packed = packed
        self.construct = _constructor(spec.record)
        """``(n, values by attribute) -> records``."""

    def values(self, lines: Sequence[str], delimiter: str) -> dict[str, Any]:
        """Each attribute's values (packed or not); raises :class:`NotClean` (or a
        ``ValueError``/``LookupError``) on anything the row-by-row path must see."""
        n = len(lines)
        width = self._width
        if set(map(str.count, lines, repeat(delimiter))) != self._separators:
            raise NotClean  # a row with too few or too many cells, or a blank line
        joined = delimiter.join(lines)
        if "\r" in joined:  # CRLF line ends: csv drops the CR at the end of a line
            joined = "\n".join(lines).replace("\r\n", "\n")
            if joined.endswith("\r"):
                joined = joined[:-1]
            if "\r" in joined:
                raise NotClean
            joined = joined.replace("\n", delimiter)
        flat = joined.split(delimiter)
        del joined
        values: dict[str, Any] = {}
        for codes in self._codes:
            codes.fresh.clear()
        try:
            for target, index, default, handle in self._handlers:
                if index is not None:
                    values[target] = handle(flat[index::width])
                elif self._packed:
                    values[target] = ("r", default, n)
                else:
                    values[target] = [default] * n
        except BaseException:
            for codes in self._codes:  # the block is not sent: neither are its new values
                codes.rollback()
            raise
        return values

    def build(self, lines: Sequence[str], delimiter: str) -> list[Any]:
        """The records of ``lines``; raises like :meth:`values`."""
        return self.construct(len(lines), self.values(lines, delimiter))


def compile_columns(
    spec: FileSpec, plan: Sequence[tuple[Column, int | None]], width: int
) -> Callable[[Sequence[str], str], list[Any]]:
    """``(lines, delimiter) -> records`` for lines of ``width`` cells; raises :class:`NotClean`."""
    return ColumnParser(spec, plan, width).build


Packed = tuple[str, Any, Any]
"""A packed column: ``("s", text, None)`` cells joined by line feeds (no cell has one);
``("c", new distinct values, codes)`` indexes into the column's distinct values so far;
``("k", values, lengths)`` runs of equal values;
``("f", floats, None)`` an array; ``("r", value, n)`` one value n times; ``("l", list, None)``."""


class Unpacker:
    """Turns packed columns of one file back into values, block after block, in order."""

    def __init__(self) -> None:
        self._tables: dict[str, list[Any]] = {}

    def __call__(self, packed: dict[str, Packed]) -> dict[str, list[Any]]:
        """The values of one block."""
        out: dict[str, list[Any]] = {}
        for name, (kind, data, extra) in packed.items():
            if kind == "s":
                out[name] = data.split("\n")
            elif kind == "c":
                table = self._tables.setdefault(name, [])
                table.extend(data)
                out[name] = list(map(table.__getitem__, extra))
            elif kind == "k":
                out[name] = list(itertools.chain.from_iterable(map(repeat, data, extra)))
            elif kind == "f":
                out[name] = data.tolist()
            elif kind == "r":
                out[name] = [data] * extra
            else:
                out[name] = data
        return out


class _Codes:
    """Numbers for the distinct values of a column, given in order of first use."""

    def __init__(self) -> None:
        self.code: dict[Any, int] = {}
        self.fresh: list[Any] = []
        """Keys numbered in the current block."""

    def rollback(self) -> None:
        """Forget the keys numbered in the current block."""
        for key in self.fresh:
            del self.code[key]
        self.fresh.clear()

    def __call__(self, keys: list[Any], value: Callable[[Any], Any] | None = None) -> Packed:
        """``("c", new values, codes)`` for ``keys``; ``value`` turns a new key into its value."""
        code = self.code
        try:
            return ("c", [], array.array("I", map(code.__getitem__, keys)))
        except KeyError:
            pass
        fresh = [k for k in dict.fromkeys(keys) if k not in code]
        values = fresh if value is None else list(map(value, fresh))  # may raise: before update
        code.update(zip(fresh, range(len(code), len(code) + len(fresh)), strict=True))
        self.fresh.extend(fresh)
        return ("c", values, array.array("I", map(code.__getitem__, keys)))


def _runs(cells: list[str]) -> Packed | None:
    """``("k", value of each run, run lengths)`` if ``cells`` has few runs of equal cells."""
    values: list[str] = []
    lengths: list[int] = []
    add_value = values.append
    add_length = lengths.append
    limit = len(cells) // 2
    for value, run in itertools.groupby(cells):
        add_value(value)
        add_length(len(list(run)))
        if len(values) > limit:
            return None
    return ("k", values, array.array("I", lengths))


def _joined(values: list[Any]) -> Packed:
    text = "\n".join(values)
    if text.count("\n") != len(values) - 1:  # cannot happen for cells of one line
        return ("l", values, None)
    return ("s", text, None)


def _handler(column: Column, is_key: bool, packed: bool, registry: list[_Codes]) -> Handler:
    """The column-wise parser of one column."""
    parse = column.parse
    required = column.required
    default = column.default

    def generic(cells: Cells) -> Any:
        out: list[Any] = []
        append = out.append
        for raw in cells:
            text = raw.strip()
            if text:
                append(parse(text))
            elif required:
                raise NotClean
            else:
                append(default)
        return ("l", out, None) if packed else out

    handle: Handler = generic
    if parse is _ident and required:
        handle = _ident_handler(not is_key, packed)
    elif parse is _text:
        handle = _text_handler(required, default, not is_key, packed)
    elif _choice_table(parse) is not None or parse in (_bool, _date, _languages, _list):
        handle = _table_handler(parse, required, default, generic, packed)
    elif getattr(parse, "bounds", None) is not None:
        handle = _number_handler(parse.bounds, generic, packed)  # type: ignore[attr-defined]
    elif parse is _count:
        handle = _count_handler(generic, packed)
    registry.extend(getattr(handle, "codes", ()))
    return handle


def _ident_handler(share: bool, packed: bool) -> Handler:
    search = NOT_ID_CHAR.search
    memo: dict[str, str] = {}
    codes = _Codes()

    def ident(cells: Cells) -> Any:
        # Whitespace is not an id character either: a padded id goes the careful way.
        if "" in cells or search("".join(cells)):
            raise NotClean
        if packed:
            if not share:
                return _joined(cells)
            # References usually come grouped (a village's people together): runs
            # are found by comparing neighbours, cheaper than numbering every cell.
            found = _runs(cells)
            return found if found is not None else codes(cells)
        return list(map(memo.setdefault, cells, cells)) if share else cells

    ident.codes = (codes,)  # type: ignore[attr-defined]
    return ident


def _text_handler(required: bool, default: Any, share: bool, packed: bool) -> Handler:
    memo: dict[str, str] = {}
    codes = _Codes()
    state = [share]

    def text(cells: Cells) -> Any:
        values: list[Any] = list(map(str.strip, cells))
        if "" in values:
            if required:
                raise NotClean
            if default != "":
                values = [v if v else default for v in values]
        if not state[0]:
            return (_joined(values) if default == "" else ("l", values, None)) if packed else values
        if packed:
            before = len(codes.code)
            result = codes(values)
            if len(codes.code) > MEMO_LIMIT or (  # nearly all distinct: sharing saves nothing
                    len(values) >= DISTINCT_PROBE
                    and (len(codes.code) - before) * 2 >= len(values)):
                state[0] = False
            return result
        values = list(map(memo.setdefault, values, values))
        if len(memo) > MEMO_LIMIT:
            state[0] = False
            memo.clear()
        return values

    text.codes = (codes,)  # type: ignore[attr-defined]
    return text


def _table_handler(parse: Callable[[str], Any], required: bool, default: Any,
                   generic: Handler, packed: bool) -> Handler:
    """Few distinct spellings (roles, dates, language lists): parse each spelling once."""
    table: dict[str, Any] = {}
    codes = _Codes()

    def value_of(raw: str) -> Any:
        text = raw.strip()
        if text:
            return parse(text)
        if required:
            raise NotClean
        return default

    def lookup(cells: Cells) -> Any:
        if len(table) > MEMO_LIMIT or len(codes.code) > MEMO_LIMIT:
            return generic(cells)
        if packed:
            return codes(cells, value_of)
        get = table.__getitem__
        try:
            return list(map(get, cells))
        except KeyError:
            pass
        for raw in set(cells).difference(table):
            table[raw] = value_of(raw)
        return list(map(get, cells))

    lookup.codes = (codes,)  # type: ignore[attr-defined]
    return lookup


def _number_handler(bounds: tuple[float, float], generic: Handler, packed: bool) -> Handler:
    low, high = bounds
    isfinite = math.isfinite

    def number(cells: Cells) -> Any:
        if "_" in "".join(cells):
            return generic(cells)  # "3_5.5": refused there, with its line
        try:
            values = list(map(float, cells))
        except ValueError:  # an empty cell, or spaces float() does not skip
            return generic(cells)
        if not all(map(isfinite, values)) or min(values) < low or max(values) > high:
            raise NotClean
        return ("f", array.array("d", values), None) if packed else values

    return number


def _count_handler(generic: Handler, packed: bool) -> Handler:
    def count(cells: Cells) -> Any:
        if "_" in "".join(cells):
            return generic(cells)  # "3_5": refused there, with its line
        try:
            values = list(map(int, cells))
        except ValueError:  # "4.0" from Excel, or an empty cell
            return generic(cells)
        if min(values) < 0:
            raise NotClean
        return ("l", values, None) if packed else values

    return count


class _Probe:
    __slots__ = ("x",)


_MEMBER = type(_Probe.__dict__["x"])


def _constructor(cls: type) -> Callable[[int, dict[str, list[Any]]], list[Any]]:
    """``(n, column values) -> records``, without converters (values are already normal)."""
    fields = attrs.fields(cls)
    direct = (all(isinstance(cls.__dict__.get(f.name), _MEMBER) for f in fields)
              and not hasattr(cls, "__attrs_post_init__") and all(f.init for f in fields))

    def column_of(name: str, n: int, values: dict[str, list[Any]]) -> list[Any]:
        found = values.get(name)
        if found is not None:
            return found
        f = getattr(attrs.fields(cls), name)
        if isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            return [f.default.factory() for _ in range(n)]
        return [f.default] * n

    names = [f.name for f in fields]
    if not direct:

        def by_init(n: int, values: dict[str, list[Any]]) -> list[Any]:
            columns = [column_of(name, n, values) for name in names]
            with attrs.validators.disabled():
                return [cls(**dict(zip(names, row, strict=True)))
                        for row in zip(*columns, strict=True)]

        return by_init

    new = object.__new__
    setters = [(name, cls.__dict__[name].__set__) for name in names]
    drain = collections.deque[Any](maxlen=0).extend

    def blank_then_fill(n: int, values: dict[str, list[Any]]) -> list[Any]:
        records: list[Any] = list(map(new, repeat(cls, n)))
        for name, set_ in setters:
            drain(map(set_, records, column_of(name, n, values)))
        return records

    return blank_then_fill
