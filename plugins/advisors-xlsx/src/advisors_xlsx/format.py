"""The ``xlsx`` format as the core sees it: a loader that can also write a template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from advisors.plugins import Loader

__all__ = ["FORMAT", "WorkbookFormat"]


def _read(path: Path) -> Any:
    from .reader import read_workbook

    return read_workbook(path)


def _write(path: Path, dataset: Any = None) -> None:
    from .template import write_template

    write_template(path, dataset)


@attrs.frozen
class WorkbookFormat(Loader):
    """A :class:`~advisors.plugins.Loader` with a writer: ``advisors init --format xlsx``."""

    write: Callable[[Path, Any], None] = _write
    """``(path, dataset or None)``: write a template workbook, filled when a dataset is given."""
    filename: str = "dataset.xlsx"
    """Name of the file ``advisors init DIR --format xlsx`` writes into DIR."""


FORMAT = WorkbookFormat(_read, suffixes=(".xlsx", ".xlsm", ".xls", ".et"))
"""The registered format (``.xls``/``.et`` are recognised only to say: save as .xlsx)."""
