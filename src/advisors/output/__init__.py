"""Exporters: what leaves the library — calendars, rosters, notices, messages, the report.

Each exporter is a callable ``(publication, out, options) -> paths`` registered
through the ``register_exporters`` hook (the built-in ones in
:mod:`advisors.output.exporters`). :func:`export` runs a selection
of them into a folder; each gets it as an :class:`OutputFolder`, which
refuses any path outside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import PluginError
from ..plugins import collect
from .base import Exporter, ExportOptions, Publication, sorted_paths
from .folder import OutputFolder, UnsafePathError

__all__ = ["ExportOptions", "Exporter", "OutputFolder", "Publication", "UnsafePathError",
           "export"]


def export(publication: Publication, out: Path | OutputFolder,
           options: ExportOptions | None = None,
           names: Sequence[str] | None = None) -> list[Path]:
    """Run the exporters ``names`` (default: every registered one) into ``out``.

    Returns the files written, relative to ``out``, sorted.
    """
    options = options or ExportOptions()
    registered = collect("exporters")
    chosen = list(registered) if names is None else list(names)
    written: list[Path] = []
    if not isinstance(out, OutputFolder):
        Path(out).mkdir(parents=True, exist_ok=True)
        out = OutputFolder(out)
    for name in chosen:
        if name not in registered:
            raise PluginError(f"no exporter named {name!r}; available: "
                              + ", ".join(sorted(registered)))
        written.extend(registered[name].implementation(publication, out, options))
        if options.progress is not None:
            options.progress(name)
    return sorted_paths(set(written))
