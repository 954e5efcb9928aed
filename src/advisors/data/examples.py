"""Bundled example datasets (``advisors init DIR --example NAME``).

In an installed wheel they sit in ``advisors/_examples``; in a source
checkout (editable install) they are read from the repository's
``examples`` folder, so both see the same files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AdvisorsError

__all__ = ["example_names", "example_path"]

_HERE = Path(__file__).resolve().parent.parent  # the advisors package
_PLACES = (_HERE / "_examples", _HERE.parent.parent / "examples")
_SKIP_PREFIXES = ("_", ".")


def _roots() -> list[Path]:
    return [p for p in _PLACES if p.is_dir()]


def example_names() -> list[str]:
    """Names of the bundled example datasets."""
    names: set[str] = set()
    for root in _roots():
        names.update(p.name for p in root.iterdir()
                     if p.is_dir() and (p / "villages.csv").is_file())
    return sorted(names)


def example_path(name: str) -> Path:
    """Folder of the example dataset ``name``."""
    for root in _roots():
        candidate = root / name
        if (candidate / "villages.csv").is_file():
            return candidate
    raise AdvisorsError(
        f"no example dataset named {name!r}; available: {', '.join(example_names()) or 'none'}"
    )


def example_files(name: str) -> list[Path]:
    """The dataset files of an example (its generator scripts and caches left out)."""
    root = example_path(name)
    return sorted(p for p in root.iterdir()
                  if p.is_file() and not p.name.startswith(_SKIP_PREFIXES))
