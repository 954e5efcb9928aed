"""A small TOML writer for the plain data of policies and calendars.

The standard library reads TOML but does not write it; our documents are
plain (tables, arrays of tables, scalars, dates, lists), so a few lines do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["dumps_toml"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any, dates: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if dates and _ISO_DATE.fullmatch(value):
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, dates) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v, dates)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def dumps_toml(data: Mapping[str, Any], *, dates: bool = False) -> str:
    """Serialise ``data``; with ``dates``, ISO date strings become TOML dates."""
    lines: list[str] = []

    def table(path: list[str], body: Mapping[str, Any], header: str | None) -> None:
        scalars = {k: v for k, v in body.items()
                   if not (isinstance(v, Mapping) and _has_tables(v)) and not _is_table_list(v)
                   and not (isinstance(v, Mapping) and path == [] and v)}
        if header is not None and (scalars or not body):
            lines.append(header)
        for k, v in scalars.items():
            lines.append(f"{_key(k)} = {_value(v, dates)}")
        if scalars:
            lines.append("")
        for k, v in body.items():
            if k in scalars:
                continue
            sub = [*path, k]
            name = ".".join(_key(p) for p in sub)
            if _is_table_list(v):
                for item in v:
                    table(sub, item, f"[[{name}]]")
            else:
                table(sub, v, f"[{name}]")

    table([], data, None)
    return "\n".join(lines).rstrip("\n") + "\n"


def _has_tables(value: Mapping[str, Any]) -> bool:
    return any(isinstance(v, Mapping) or _is_table_list(v) for v in value.values())
