"""The dataset folder: one CSV file per collection, plus ``policy.toml`` and ``calendar.toml``.

Reading never stops at the first problem. Encodings people really produce
are handled: UTF-8 with or without a BOM, UTF-16 ("Unicode text" from
Excel, tab-separated), and GB18030 from Chinese Excel and WPS; a binary file
is reported as such, never decoded into nonsense.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..calendar import WorkCalendar
from ..errors import DataError, ProblemList
from ..policy import Policy
from .atomic import atomic_directory
from .columns import FILES, REQUIRED_FILES, format_cell
from .dataset import COLLECTIONS, Dataset, _prebuilt
from .indexes import IndexBuilder
from .parallel import Pending, prefetch
from .records import csv_locator, gc_paused, parse_rows
from .text import csv_rows, decode
from .tomlwrite import dumps_toml

__all__ = ["read_folder", "write_folder"]

def read_folder(folder: str | Path) -> Dataset:
    """Load and check a dataset folder; raise one DataError listing every problem."""
    with gc_paused():
        return _read_folder(Path(folder))


def _read_folder(root: Path) -> Dataset:
    problems = ProblemList()
    if not root.is_dir():
        problems.add(str(root), "not a dataset folder", expected="a folder with townships.csv, "
                     "villages.csv, advisors.csv, trainers.csv and people.csv")
        problems.raise_if_any()
    collections: dict[str, Any] = {}
    origins: dict[str, list[int]] = {}
    extras: dict[str, dict[str, dict[str, str]]] = {}
    incomplete: set[str] = set()
    rejected: dict[str, frozenset[str]] = {}
    # A big file is parsed in a second process meanwhile (if worth it); same result.
    pending = prefetch(root, [FILES[name] for name in COLLECTIONS])
    indexes: dict[tuple[str, str], tuple[Any, Any]] = {}
    try:
        for name in COLLECTIONS:
            _read_file(root, name, pending, problems, collections, origins, extras,
                       incomplete, rejected, indexes)
    finally:
        for worker in pending.values():
            worker.close()
    policy = Policy()
    calendar = WorkCalendar()
    try:
        if (root / "policy.toml").is_file():
            policy = Policy.from_toml(root / "policy.toml")
    except DataError as exc:
        problems.extend(exc.problems)
        incomplete.add("policy")
    try:
        if (root / "calendar.toml").is_file():
            calendar = WorkCalendar.from_toml(root / "calendar.toml")
    except DataError as exc:
        problems.extend(exc.problems)
    for name in REQUIRED_FILES:
        collections.setdefault(name, [])
    # Whole-dataset checks run even after row problems, on what could be read,
    # so that one pass shows duplicates and bad references too.
    with _prebuilt(indexes):  # built while reading, for exactly these records
        dataset = Dataset(policy=policy, calendar=calendar, extras=extras, **collections)
    problems.extend(dataset.check(origins, incomplete, rejected))
    problems.raise_if_any()
    return dataset


def _read_file(
    root: Path,
    name: str,
    pending: dict[str, Pending],
    problems: ProblemList,
    collections: dict[str, Any],
    origins: dict[str, list[int]],
    extras: dict[str, dict[str, dict[str, str]]],
    incomplete: set[str],
    rejected: dict[str, frozenset[str]],
    indexes: dict[tuple[str, str], tuple[Any, Any]],
) -> None:
    """Read one file of the folder into the collections, reporting its problems."""
    spec = FILES[name]
    path = root / spec.filename
    before = len(problems.items)
    if not path.is_file():
        if name in REQUIRED_FILES:
            problems.add(spec.filename, "missing file", expected=f"{spec.filename} in {root}")
            incomplete.add(name)
        return
    header: list[str] = []
    rows: Iterable[tuple[int, Sequence[str]]] = ()
    prefetched = pending[name].result() if name in pending else None
    readable = True
    if prefetched is not None:
        header, rows = prefetched.header, prefetched
    else:
        text = decode(path.read_bytes(), spec.filename, problems)
        readable = text is not None
        if text is not None:
            header, rows = csv_rows(text, spec.filename, problems)
            del text
    if not readable:
        pass  # reported by decode
    elif not header:
        problems.add(spec.filename, "missing header", line=1,
                     expected=",".join(c.name for c in spec.columns))
    else:
        index = IndexBuilder(name)
        parsed = parse_rows(spec, header, rows, csv_locator(spec.filename), problems, index)
        collections[name] = records = tuple(parsed.records)
        indexes.update(index.result(records))
        origins[name] = parsed.lines
        rejected[name] = parsed.rejected
        if parsed.extras:
            extras[spec.filename] = parsed.extras
    if any(name not in rejected or p.line in (None, 1) or p.message == "not a CSV file"
           for p in problems.items[before:]):
        incomplete.add(name)  # not read whole: not text, bad header, not CSV


def write_folder(dataset: Dataset, folder: str | Path, *, bom: bool = False) -> None:
    """Write ``dataset`` as a folder that :func:`read_folder` reads back to an equal Dataset.

    Written atomically: the folder appears whole or not at all. ``bom``
    writes a UTF-8 BOM, which Excel needs to open Chinese text correctly.
    """
    with atomic_directory(Path(folder)) as tmp:
        for name in COLLECTIONS:
            records = getattr(dataset, name)
            if not records and name not in REQUIRED_FILES:
                continue
            spec = FILES[name]
            extra = dataset.extras.get(spec.filename, {})
            extra_names = sorted({k for row in extra.values() for k in row})
            with open(tmp / spec.filename, "w", encoding="utf-8-sig" if bom else "utf-8",
                      newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([c.name for c in spec.columns] + extra_names)
                for i, record in enumerate(records):
                    cells = [format_cell(getattr(record, c.target)) for c in spec.columns]
                    if extra_names:
                        key = str(getattr(record, spec.key)) if spec.key else str(i)
                        cells += [extra.get(key, {}).get(n, "") for n in extra_names]
                    writer.writerow(cells)
        if dataset.policy != Policy():
            (tmp / "policy.toml").write_text(dumps_toml(dataset.policy.as_dict()), "utf-8")
        if dataset.calendar != WorkCalendar():
            (tmp / "calendar.toml").write_text(
                dumps_toml(dataset.calendar.as_dict(), dates=True), "utf-8"
            )
