"""Sorted, indented JSON text as the plan files carry it, written fast.

``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`` is the
form of ``plan.json`` and the other files a run writes for the next one; with
an indent the standard library encodes in pure Python, one generator step per
value, which for a province's plan takes seconds. :func:`dumps` writes the same
text, character for character: strings and numbers through the standard
library's own encoders, the structure by recursion (scalars inside a container
without a call of their own); a :class:`Fragment` is text written before, only
re-indented. :func:`dump` writes the same text to a binary file in UTF-8
chunks, so a national plan's 3.4 GB of JSON is never one string in memory.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable
from typing import IO, Any

__all__ = ["Fragment", "dump", "dumps"]

_STRING: Callable[[str], str] = json.encoder.encode_basestring
_STEP = "  "


class Fragment(str):
    """JSON text :func:`dumps` wrote before, placed as it is (indented to where it goes).

    A value that appears several times in a document (an event in ``events``
    and in ``changes``) is then encoded once.
    """


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


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _null(value: None) -> str:
    return "null"


_ENCODE: dict[type, Callable[[Any], str]] = {
    str: _STRING, int: int.__repr__, float: _float, bool: _bool, type(None): _null}
"""The encoder of each plain scalar type (subclasses go the long way, as in ``json``)."""


def _scalar(value: Any) -> str | None:
    """The JSON text of a scalar, or ``None`` for a container (or what JSON refuses)."""
    encode = _ENCODE.get(type(value))
    if encode is not None:
        return encode(value)
    if isinstance(value, Fragment):
        return None
    if isinstance(value, str):
        return _STRING(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    return None


_PIECES = 50_000
"""Pieces of text :func:`dump` gathers before it writes them (a few MB)."""

Flush = Callable[[], None] | None
Default = Callable[[Any], Any] | None


def _write(value: Any, pad: str, out: list[str], flush: Flush = None,
           default: Default = None) -> None:
    kind = type(value)
    if kind is dict or (kind is not list and kind is not tuple and isinstance(value, dict)):
        if not value:
            out.append("{}")
            return
        inner = pad + _STEP
        lead = "{\n" + inner
        glue = ",\n" + inner
        for key, item in sorted(value.items()):
            name = _STRING(key) if type(key) is str else _key(key)
            encode = _ENCODE.get(type(item))
            text = encode(item) if encode is not None else _scalar(item)
            if text is not None:
                out.append(lead + name + ": " + text)
            else:
                out.append(lead + name + ": ")
                _write(item, inner, out, flush, default)
            lead = glue
        out.append("\n" + pad + "}")
    elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = pad + _STEP
        lead = "[\n" + inner
        glue = ",\n" + inner
        for item in value:
            encode = _ENCODE.get(type(item))
            text = encode(item) if encode is not None else _scalar(item)
            if text is not None:
                out.append(lead + text)
            else:
                out.append(lead)
                _write(item, inner, out, flush, default)
                if flush is not None and len(out) >= _PIECES:
                    flush()
            lead = glue
        out.append("\n" + pad + "]")
    elif isinstance(value, Fragment):
        out.append(value.replace("\n", "\n" + pad) if pad else value)
    else:
        text = _scalar(value)
        if text is not None:
            out.append(text)
        elif default is not None:
            _write(default(value), pad, out, flush, default)
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)``, faster."""
    out: list[str] = []
    _write(value, "", out)
    return "".join(out)


def dump(value: Any, sink: IO[bytes], end: str = "", default: Default = None) -> None:
    """Write ``dumps(value) + end`` to ``sink`` in UTF-8, a few MB at a time.

    ``default``, as in :func:`json.dump`, gives a value JSON can hold for one it
    cannot (called as the writing reaches it: a :class:`Fragment` made then is
    not kept).
    """
    out: list[str] = []

    def flush() -> None:
        sink.write("".join(out).encode("utf-8"))
        out.clear()

    _write(value, "", out, flush, default)
    out.append(end)
    flush()
