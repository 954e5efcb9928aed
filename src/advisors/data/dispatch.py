"""Choose a reader for a path among the registered loaders."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError, Problem
from ..plugins import Loader, collect, lookup
from .dataset import Dataset

__all__ = ["load_dataset"]


def load_dataset(path: str | Path, format: str | None = None) -> Dataset:
    """Load a dataset from a folder, a JSON file, or any format a plugin reads.

    ``format`` names a loader (``folder``, ``json``, or a plugin's); by
    default the first loader that accepts the path is used. Raises
    :class:`~advisors.errors.DataError` listing every problem in the data.
    """
    path = Path(path)
    if not path.exists():
        raise DataError([Problem(str(path), "no such file or folder",
                                 expected="a dataset folder or file")])
    if format is not None:
        loader: Loader = lookup("loaders", format).implementation
        return loader.load(path)  # type: ignore[no-any-return]
    registered = collect("loaders")
    for entry in registered.values():
        if entry.implementation.accepts(path):
            return entry.implementation.load(path)  # type: ignore[no-any-return]
    kinds = sorted({s for e in registered.values() for s in e.implementation.suffixes})
    raise DataError([Problem(str(path), "no reader for this kind of file",
                             expected="a dataset folder or a file ending in " + ", ".join(kinds))])
