"""The main job's output folder: recognisably ours, never the user's files or the dataset.

``advisors plan --out X`` replaces ``X`` whole. That is safe only for a
folder an earlier run wrote, so every output carries a marker file
(:data:`MARKER`); a non-empty folder without it is refused (the CLI says
which files are there) unless the caller forces it. A folder that is, holds,
or lies inside the dataset (or the templates and catalogs the run reads) is
refused always. The swap is atomic (:func:`advisors.load.atomic.atomic_directory`),
and what an interrupted run left beside ``X`` is recovered or removed first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Final

from ..data.atomic import atomic_directory
from ..errors import DataError, Problem
from .folder import OutputFolder

__all__ = ["LEGACY_OUTPUT", "MARKER", "MARKER_TEXT", "check_output_folder", "output_folder"]

MARKER: Final = ".advisors-output"
"""The file every output folder holds: the next run may replace the folder whole."""
MARKER_TEXT: Final = ("This folder was written by `advisors plan`; the next run with the same "
                      "--out replaces it whole.\n")
_SHOWN: Final = 10
LEGACY_OUTPUT: Final = frozenset({"plan.json", "calendars", "rosters", "notices", "notifications",
                                  "invitations", "report.html"})
"""What an output written before the marker existed holds: such a folder (with its
``plan.json``) is recognised as ours too, so ``make example`` keeps working on an old ``out``."""


def _overlaps(target: Path, source: Path) -> bool:
    """Whether replacing ``target`` would replace ``source`` or what holds it, or lies in it."""
    return (target == source or source.is_relative_to(target)
            or (source.is_dir() and target.is_relative_to(source)))


def check_output_folder(out: Path, *, sources: Iterable[Path] = (), force: bool = False,
                        option: str = "--out") -> Path:
    """The absolute folder ``out`` names, once it is safe to replace it whole.

    Raises :class:`DataError` when ``out`` is a file, the dataset (or holds it,
    or lies inside it: ``sources`` are what the run reads), or a non-empty
    folder without :data:`MARKER` (unless ``force``).
    """
    target = Path(os.path.abspath(out))
    real = target.resolve()

    def refuse(message: str, expected: str, value: str = str(out)) -> DataError:
        return DataError([Problem(option, message, value=value, expected=expected)])

    if real.parent == real:
        raise refuse("cannot replace the root of the file system", "a folder of its own")
    for source in sources:
        if _overlaps(real, Path(source).resolve()):
            raise refuse(f"the output folder would replace the input {source}",
                         "an output folder outside the dataset, e.g. beside it")
    if target.exists() and not target.is_dir():
        raise refuse("is a file, not a folder", "a folder (it is replaced whole)")
    if target.is_dir() and not force and not (target / MARKER).exists():
        entries = sorted(p.name for p in target.iterdir())
        if entries and not ("plan.json" in entries and LEGACY_OUTPUT.issuperset(entries)):
            shown = ", ".join(entries[:_SHOWN]) + (
                f" and {len(entries) - _SHOWN} more" if len(entries) > _SHOWN else "")
            raise refuse(
                f"the folder holds files an earlier run did not write ({shown}); "
                "it would be replaced whole",
                f"an empty or new folder, one written by `advisors plan` (it holds {MARKER}), "
                "or --force to replace it anyway")
    return target


@contextlib.contextmanager
def output_folder(out: Path, *, sources: Iterable[Path] = (), force: bool = False,
                  notice: Callable[[str], None] | None = None) -> Iterator[OutputFolder]:
    """Check ``out``, yield an empty :class:`OutputFolder`; on success it replaces ``out``.

    ``notice`` is told of leftovers of an interrupted run recovered or removed.
    """
    target = check_output_folder(out, sources=sources, force=force)
    with atomic_directory(target, notice) as tmp:
        folder = OutputFolder(tmp)
        yield folder
        folder.write_text(MARKER, MARKER_TEXT)
