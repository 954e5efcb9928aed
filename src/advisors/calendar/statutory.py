"""China's statutory holidays and adjusted working days, from the ``holidays`` package.

The package knows each announced year (the State Council's schedule with its
调休 working days) and names the holidays in English and Chinese. Making its
China table is cheap, but getting to it is not: the package's ``countries``
module imports all of its ~250 countries first, about 0.3 s of every run
(a fifth of a township's whole plan). So each year's table is kept in a
small JSON file per package version in the user's cache folder
(``$ADVISORS_CACHE_DIR``, else ``$XDG_CACHE_HOME/advisors``, else
``~/.cache/advisors``); a run finds it there and never imports the package.
A new version of the package (a newly announced year) has a new file. The
cache is only a copy: unreadable or unwritable, it is left alone and the
package is asked; ``ADVISORS_CACHE_DIR=""`` turns it off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.metadata
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

__all__ = ["PackageYear", "cache_file", "package_year"]


@attrs.frozen
class PackageYear:
    """One year as the package has it: holidays by English and Chinese name, working days."""

    names_en: Mapping[dt.date, str]
    names_zh: Mapping[dt.date, str]
    workdays: frozenset[dt.date]

    def as_dict(self) -> dict[str, Any]:
        return {"en": {d.isoformat(): n for d, n in sorted(self.names_en.items())},
                "zh": {d.isoformat(): n for d, n in sorted(self.names_zh.items())},
                "workdays": sorted(d.isoformat() for d in self.workdays)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PackageYear:
        def names(part: Mapping[str, str]) -> dict[dt.date, str]:
            return {dt.date.fromisoformat(d): str(n) for d, n in part.items()}
        return cls(names(data["en"]), names(data["zh"]),
                   frozenset(dt.date.fromisoformat(d) for d in data["workdays"]))


def cache_file() -> Path | None:
    """The cache file of the installed package's version; ``None`` when the cache is off."""
    folder = os.environ.get("ADVISORS_CACHE_DIR")
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        folder = os.path.join(base, "advisors")
    if not folder:
        return None
    try:
        version = importlib.metadata.version("holidays")
    except importlib.metadata.PackageNotFoundError:
        return None
    return Path(folder) / f"holidays-CN-{version}.json"


@functools.lru_cache(maxsize=64)
def package_year(year: int) -> PackageYear:
    """``year`` as the package has it: from the cache file, else from the package (then
    kept in the cache file)."""
    path = cache_file()
    kept = _read(path) if path is not None else {}
    if str(year) in kept:
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            return PackageYear.from_dict(kept[str(year)])
    found = _from_package(year)
    if path is not None:
        _write(path, {**kept, str(year): found.as_dict()})
    return found


def _from_package(year: int) -> PackageYear:
    import holidays  # only on a cache miss: it imports every country it knows

    # named in English whatever the locale: the package otherwise follows $LANG (C → 国庆节)
    china = holidays.country_holidays("CN", years=year, language="en_US")
    names_zh = holidays.country_holidays("CN", years=year, language="zh_CN")
    return PackageYear(
        {day: str(name) for day, name in china.items() if day.year == year},
        {day: str(name) for day, name in names_zh.items() if day.year == year},
        frozenset(d for d in getattr(china, "weekend_workdays", ()) if d.year == year))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: Mapping[str, Any]) -> None:
    """Replace the cache file whole (a reader sees the old file or the new one)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
