"""The single-file JSON form of a dataset, for portals.

Same collections and field names as the folder format, with JSON types
(numbers, booleans, lists) where the CSV has text; ``policy`` and
``calendar`` are the plain forms of ``policy.toml`` and ``calendar.toml``.
Reading goes through the same column parsers as the CSV reader, so both
accept and reject exactly the same values, and errors are located as
``dataset.json: villages[3]``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..calendar import WorkCalendar
from ..errors import DataError, Problem, ProblemList
from ..policy import Policy
from .atomic import atomic_write_text
from .columns import FILES, REQUIRED_FILES, format_cell
from .dataset import COLLECTIONS, Dataset
from .records import gc_paused, parse_rows

__all__ = ["FORMAT", "dataset_from_dict", "dataset_to_dict", "read_json", "write_json"]

FORMAT = "advisors-dataset/1"
"""Value of the ``format`` key; bumped when the form changes incompatibly."""


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dataset_to_dict(dataset: Dataset) -> dict[str, Any]:
    """The JSON-ready form of ``dataset``; :func:`dataset_from_dict` gives it back equal."""
    out: dict[str, Any] = {"format": FORMAT}
    for name in COLLECTIONS:
        spec = FILES[name]
        out[name] = [
            {c.name: _plain(getattr(r, c.target)) for c in spec.columns}
            for r in getattr(dataset, name)
        ]
    out["policy"] = dataset.policy.as_dict()
    out["calendar"] = dataset.calendar.as_dict()
    if dataset.extras:
        out["extras"] = dataset.extras
    return out


def dataset_from_dict(data: Mapping[str, Any], source: str = "dataset.json") -> Dataset:
    """Build and check a Dataset from its JSON form; one DataError lists every problem."""
    with gc_paused():
        return _from_dict(data, source)


def _from_dict(data: Mapping[str, Any], source: str) -> Dataset:
    problems = ProblemList()
    if not isinstance(data, Mapping):
        problems.add(source, "not a JSON object", expected="an object with villages, advisors…")
        problems.raise_if_any()
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        problems.add(source, "unknown format", field="format", value=str(fmt), expected=FORMAT)
    known = {"format", "policy", "calendar", "extras", *COLLECTIONS}
    for key in sorted(set(data) - known):
        problems.add(source, "unknown key", field=key,
                     expected="one of " + ", ".join(sorted(known)))
    collections: dict[str, Any] = {}
    extra_columns: dict[str, dict[str, dict[str, str]]] = {}
    incomplete: set[str] = set()
    rejected: dict[str, frozenset[str]] = {}
    for name in COLLECTIONS:
        spec = FILES[name]
        items = data.get(name)
        if items is None:
            if name in REQUIRED_FILES:
                problems.add(source, "missing collection", field=name, expected="a list of records")
                incomplete.add(name)
            continue
        if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
            problems.add(source, "wrong type", field=name, expected="a list of objects")
            incomplete.add(name)
            continue
        header = sorted({str(k) for item in items for k in item} | {c.name for c in spec.columns})
        rows = [(i, [_text(item.get(h)) for h in header]) for i, item in enumerate(items)]

        def locate(i: int, column: str | None, index: int | None,
                   name: str = name) -> tuple[str, int | None]:
            return f"{source}: {name}[{i}]", None

        parsed = parse_rows(spec, header, rows, locate, problems)
        collections[name] = parsed.records
        rejected[name] = parsed.rejected
        if parsed.extras:  # unknown keys of records are kept, like extra CSV columns
            extra_columns.setdefault(spec.filename, {}).update(parsed.extras)
    policy, calendar = Policy(), WorkCalendar()
    try:
        policy = Policy.from_dict(data.get("policy", {}), source=f"{source}: policy")
    except DataError as exc:
        problems.extend(exc.problems)
        incomplete.add("policy")
    try:
        calendar = WorkCalendar.from_dict(data.get("calendar", {}), source=f"{source}: calendar")
    except DataError as exc:
        problems.extend(exc.problems)
    extras = data.get("extras", {})
    if not _is_extras(extras):
        problems.add(source, "wrong type", field="extras", value=repr(extras)[:80],
                     expected="an object: file → record key → column → text")
        extras = {}
    if extra_columns:
        merged = {k: dict(v) for k, v in extras.items()}
        for filename, kept in extra_columns.items():
            merged.setdefault(filename, {}).update(kept)
        extras = merged
    for name in REQUIRED_FILES:
        collections.setdefault(name, [])
    # Whole-dataset checks run on what could be read, as for a folder.
    dataset = Dataset(policy=policy, calendar=calendar, extras=extras, **collections)
    problems.extend(_relocate(p, source) for p in dataset.check(None, incomplete, rejected))
    problems.raise_if_any()
    return dataset


def _is_extras(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(rows, Mapping) and all(
            isinstance(cells, Mapping) and all(isinstance(c, str) for c in cells.values())
            for cells in rows.values())
        for rows in value.values())


def _relocate(problem: Any, source: str) -> Any:
    return attrs.evolve(problem, source=f"{source}: {problem.source}")


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return format_cell(value)


def read_json(path: str | Path) -> Dataset:
    """Load a dataset from its JSON file."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError([_bad_json(path.name, exc)]) from None
    return dataset_from_dict(data, source=path.name)


def _bad_json(name: str, exc: Exception) -> Any:
    line = getattr(exc, "lineno", None)
    return Problem(name, "not valid JSON", line, None, str(exc)[:120], "a JSON object")


def write_json(dataset: Dataset, path: str | Path) -> None:
    """Write the JSON form of ``dataset`` atomically, stable key order, UTF-8."""
    text = json.dumps(dataset_to_dict(dataset), ensure_ascii=False, indent=1, sort_keys=True)
    atomic_write_text(Path(path), text + "\n")
