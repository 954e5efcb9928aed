"""Parse rows one at a time with a row parser generated for a file's columns.

The path for text the column-wise parser (:mod:`advisors.data.columnar`)
cannot take whole: quoted cells, a block with a bad row. A clean row is
parsed with a handful of C calls and its record built without running the
model's converters again (the column parsers already give normalised
values); anything else raises :class:`_Slow`, and the caller goes cell by
cell, reporting every problem.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..model import NOT_ID_CHAR
from .columns import BOOLEANS, Column, FileSpec, _bool, _choice_table, _ident, _text

__all__ = ["compile_chunk"]


class _Slow(Exception):
    """Raised by a generated row parser: this row needs the careful path."""


def compile_chunk(
    spec: FileSpec, plan: Sequence[tuple[Column, int | None]]
) -> tuple[Callable[[Sequence[Sequence[str]]], list[Any]], Callable[[Sequence[str]], Any]]:
    """``rows -> records`` for a chunk of clean rows, and ``row -> record`` for one row.

    Both raise on anything but a clean row; the second is for retrying the
    rows of a chunk one by one, so that one bad row does not slow its chunk.

    A row parser is generated for the file's columns: it strips each cell
    once, looks choices up in a dict, shares repeated text (village ids in
    people.csv, roles, phone numbers) through a per-column memo, and sets the
    record's slots directly. Ids are checked afterwards for the whole chunk
    with one regex search per column, which costs far less than a match per
    cell.
    """
    parse_chunk, parse_row = _compile_row(spec, plan)
    id_getters = [operator.attrgetter(c.target) for c, i in plan
                  if i is not None and c.parse is _ident]
    bad_char = NOT_ID_CHAR.search

    def fast(rows: Sequence[Sequence[str]]) -> list[Any]:
        built: list[Any] = parse_chunk(rows)
        for get in id_getters:
            if bad_char("".join(map(get, built))):
                raise _Slow
        return built

    def fast_one(row: Sequence[str]) -> Any:
        record = parse_row(row)
        for get in id_getters:
            if bad_char(get(record)):
                raise _Slow
        return record

    return fast, fast_one


def _compile_row(
    spec: FileSpec, plan: Sequence[tuple[Column, int | None]]
) -> tuple[Callable[[Sequence[Sequence[str]]], list[Any]], Callable[[Sequence[str]], Any]]:
    """Generate ``rows -> records`` and ``row -> record`` for clean rows (ids not checked).

    Every name the generated code uses is a default argument, so that it is a
    local variable (the cheapest lookup) inside the loop over rows.
    """
    env: dict[str, Any] = {"_Slow": _Slow}
    body: list[str] = []
    values: dict[str, str] = {}
    for k, (column, index) in enumerate(plan):
        var = f"v{k}"
        values[column.target] = var
        env[f"D{k}"] = column.default
        if index is None:
            body.append(f"{var} = D{k}")
            continue
        body.append(f"{var} = row[{index}].strip()")
        body.append(f"if not {var}:")
        body.append("    raise _Slow" if column.required else f"    {var} = D{k}")
        parse = column.parse
        table = _choice_table(parse)
        if parse in (_text, _ident):
            if column.name != spec.key:
                env[f"M{k}"] = {}
                body.append(f"else:\n    {var} = M{k}.setdefault({var}, {var})")
        elif table is not None:
            env[f"L{k}"] = table
            body.append(f"else:\n    {var} = L{k}[{var}.lower()]")
        elif parse is _bool:
            env[f"L{k}"] = BOOLEANS
            body.append(f"else:\n    {var} = L{k}[{var}.lower()]")
        else:
            env[f"P{k}"] = parse
            body.append(f"else:\n    {var} = P{k}({var})")
    body += _construct(spec.record, values, env)
    defaults = ", ".join(f"{name}={name}" for name in sorted(env))
    row_code = "".join(f"    {line}\n" for line in "\n".join(body).split("\n"))
    loop_code = "".join(f"        {line}\n" for line in "\n".join(body).split("\n"))
    source = (
        f"def parse_chunk(rows, {defaults}):\n"
        "    out = []\n    append = out.append\n"
        f"    for row in rows:\n{loop_code}        append(o)\n"
        "    return out\n\n"
        f"def parse_row(row, {defaults}):\n{row_code}    return o\n"
    )
    exec(compile(source, f"<advisors row parser for {spec.filename}>", "exec"), env)
    return env["parse_chunk"], env["parse_row"]


def _construct(cls: type, values: dict[str, str], env: dict[str, Any]) -> list[str]:
    """Code that builds a ``cls`` named ``o`` from the parsed values, without converters."""
    fields = attrs.fields(cls)
    slots = all(isinstance(cls.__dict__.get(f.name), _MEMBER) for f in fields)
    direct = (slots and not hasattr(cls, "__attrs_post_init__")
              and all(f.init for f in fields))
    env["C"] = cls
    args: list[tuple[str, str]] = []
    for f in fields:
        if f.name in values:
            args.append((f.name, values[f.name]))
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            env[f"F_{f.name}"] = f.default.factory
            args.append((f.name, f"F_{f.name}()"))
        else:
            env[f"F_{f.name}"] = f.default
            args.append((f.name, f"F_{f.name}"))
    if not direct:
        return ["o = C(" + ", ".join(f"{n}={v}" for n, v in args) + ")"]
    env["_new"] = object.__new__
    lines = ["o = _new(C)"]
    for name, value in args:
        env[f"S_{name}"] = cls.__dict__[name].__set__
        lines.append(f"S_{name}(o, {value})")
    return lines


class _Probe:
    __slots__ = ("x",)


_MEMBER = type(_Probe.__dict__["x"])
