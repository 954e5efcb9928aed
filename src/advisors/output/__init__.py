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

from ..data.heap import gc_sparse
from ..errors import PluginError
from ..plugins import collect
from . import parallel
from .base import Exporter, ExportOptions, Publication, sorted_texts
from .folder import OutputFolder, UnsafePathError

__all__ = ["ExportOptions", "Exporter", "OutputFolder", "Publication", "UnsafePathError",
           "export", "export_files"]


def export(publication: Publication, out: Path | OutputFolder,
           options: ExportOptions | None = None,
           names: Sequence[str] | None = None) -> list[Path]:
    """Run the exporters ``names`` (default: every registered one) into ``out``.

    With ``options.jobs`` above 1, ``fork`` available and a publication big enough
    to pay for it, they run side by side in that many forked workers
    (:mod:`advisors.output.parallel`); the files are the same. Returns the files
    written, relative to ``out``, sorted.
    """
    return [Path(text) for text in export_files(publication, out, options, names)]


@gc_sparse()
def export_files(publication: Publication, out: Path | OutputFolder,
                 options: ExportOptions | None = None,
                 names: Sequence[str] | None = None) -> list[str]:
    """:func:`export`, the files as text (``/`` between folders), sorted, each once.

    For a caller that counts or lists tens of thousands of files: a Path takes
    about 4 µs to build (0.3 s for a province's 70,000 files).
    """
    options = options or ExportOptions()
    registered = collect("exporters")
    chosen = list(registered) if names is None else list(names)
    for name in chosen:
        if name not in registered:
            raise PluginError(f"no exporter named {name!r}; available: "
                              + ", ".join(sorted(registered)))
    if not isinstance(out, OutputFolder):
        Path(out).mkdir(parents=True, exist_ok=True)
        out = OutputFolder(out)
    pairs = [(name, registered[name].implementation) for name in dict.fromkeys(chosen)]

    def done(name: str, wall: float, cpu: float) -> None:
        if options.timed is not None:
            options.timed(name, wall, cpu)
        if options.progress is not None:
            options.progress(name)

    written: list[Path | str] = []
    if (options.jobs > 1 and len(pairs) > 1 and parallel.can_fork()
            and parallel.worth_forking(publication)):
        written.extend(parallel.run(publication, out, options, pairs, options.jobs, done))
    else:
        for name, exporter in pairs:
            paths, wall, cpu = parallel.timed(exporter, publication, out, options)
            written.extend(paths)
            done(name, wall, cpu)
    return sorted_texts(written)
