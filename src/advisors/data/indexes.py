"""A collection's indexes, built block by block while its records are read.

The Dataset indexes every collection by id and groups villages by township
and people by village. Built from each block of records just made (still
in the CPU cache), and while the process would otherwise wait for the
worker reading the biggest file, this costs far less than indexing millions
of records afterwards. The result is exactly what
:class:`~advisors.data.dataset.Dataset` would build itself.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import Any

from .dataset import _GROUPED_BY, _IDENTIFIED

__all__ = ["IndexBuilder"]

_get_id = operator.attrgetter("id")


class IndexBuilder:
    """Indexes of one collection, fed its records in order, block by block."""

    def __init__(self, collection: str) -> None:
        self.collection = collection
        """The collection indexed."""
        self._by_id: dict[str, Any] | None = {} if collection in _IDENTIFIED else None
        self._key = _GROUPED_BY.get(collection)
        self._groups: dict[str, list[Any]] = {}

    def add(self, records: Sequence[Any]) -> None:
        """Index the next records of the collection."""
        if self._by_id is not None:
            self._by_id.update(zip(map(_get_id, records), records, strict=True))
        if self._key is not None:
            groups = self._groups
            get = groups.get
            for k, run in itertools.groupby(records, operator.attrgetter(self._key)):
                found = get(k)
                if found is None:
                    groups[k] = list(run)
                else:
                    found.extend(run)

    def result(self, records: tuple[Any, ...]) -> dict[tuple[str, str], tuple[Any, Any]]:
        """The indexes of ``records`` (all the records added), keyed as the Dataset takes them."""
        out: dict[tuple[str, str], tuple[Any, Any]] = {}
        if self._by_id is not None:
            out[(self.collection, "id")] = (records, self._by_id)
        if self._key is not None:
            groups = self._groups
            out[(self.collection, self._key)] = (
                records, dict(zip(groups, map(tuple, groups.values()), strict=True)))
        return out
