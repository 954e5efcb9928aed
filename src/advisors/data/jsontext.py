"""Sorted, indented JSON text as the plan files carry it, written fast.

``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`` is the
form of ``plan.json`` and the other files a run writes for the next one; with
an indent the standard library encodes in pure Python, one generator step per
value, which for a province's plan takes seconds. :func:`dumps` writes the same
text, character for character: strings and numbers through the standard
library's own encoders, the structure by recursion.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable
from typing import Any

__all__ = ["dumps"]

_STRING: Callable[[str], str] = json.encoder.encode_basestring
_STEP = "  "


def _float(value: float) -> str:
    """A float as ``json`` writes it (``NaN`` and ``Infinity`` allowed, as there)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    """A dict key as ``json.dumps`` writes it: strings as they are, scalars as JSON."""
    if isinstance(key, str):
        return _STRING(key)
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return _STRING(int.__repr__(key))
    if isinstance(key, float):
        return _STRING(_float(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _write(value: Any, pad: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_STRING(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = pad + _STEP
        out.append("[\n" + inner)
        for index, item in enumerate(value):
            if index:
                out.append(",\n" + inner)
            _write(item, inner, out)
        out.append("\n" + pad + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = pad + _STEP
        out.append("{\n" + inner)
        for index, (key, item) in enumerate(sorted(value.items())):
            out.append(("," + "\n" + inner if index else "") + _key(key) + ": ")
            _write(item, inner, out)
        out.append("\n" + pad + "}")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)``, faster."""
    out: list[str] = []
    _write(value, "", out)
    return "".join(out)
