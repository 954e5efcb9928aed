"""What every exporter gets: the published events and the facts around them.

A :class:`Publication` is a plan seen from the outside: the dataset, the
period, every event the feeds carry (with SEQUENCE and stamp, cancelled ones
included), what changed since the previous version, who covers which
village, and the regular service days a notice board can promise. Exporters
depend on this neutral view only, not on the planners' result types.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

import attrs

from ..data.dataset import Dataset
from ..locale import Translator
from ..period import Period
from ..plan.events import EventChange, PublishedEvent
from .folder import OutputFolder
from .render import Renderer

__all__ = ["ExportOptions", "Exporter", "Publication"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(items)


def _paths(items: Iterable[Path | str]) -> tuple[Path, ...]:
    return tuple(Path(p) for p in items)


@attrs.frozen
class Publication:
    """A version of a plan, ready to be written out."""

    dataset: Dataset
    period: Period
    events: tuple[PublishedEvent, ...] = attrs.field(converter=_tuple)
    """Every event the feeds carry, cancelled ones included, sorted by (start, id)."""
    changes: tuple[EventChange, ...] = attrs.field(default=(), converter=_tuple)
    """New, moved, changed and cancelled events against the previous version."""
    advisor_of: Mapping[str, str | None] = attrs.field(factory=dict)
    """Village → advisor of record (``None``: not covered)."""
    version: int = 1
    """1 for the first published plan, + 1 for each republication."""
    stamp: dt.datetime = _EPOCH
    """When this version is published (deterministic, from the plan): DTSTAMP of changes."""
    patterns: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    """Village → the regular service days a notice board promises, per language."""
    moves: Mapping[str, Mapping[dt.date, dt.date]] = attrs.field(factory=dict)
    """Village → one-off changes of its pattern: day held → the pattern day it replaces."""
    facts: Mapping[str, Any] = attrs.field(factory=dict)
    """Extra figures for the report from the planners (e.g. ``hotline_unstaffed``)."""
    plan_json: str = ""
    """The plan's JSON form, written verbatim by the ``plan-json`` exporter (see
    :attr:`plan_writer`)."""
    has_previous: bool = False
    """Whether this version replaces a published one (messages then tell changes only)."""
    rendered_with: ExportOptions | None = attrs.field(default=None, eq=False, repr=False)
    """The options the caller exported with (its template and catalog folders), so that a
    ``plan_published`` plugin renders its messages as the written files were rendered."""
    plan_writer: Callable[[IO[bytes]], None] | None = attrs.field(default=None, eq=False,
                                                                  repr=False)
    """Writes :attr:`plan_json`'s text to a binary file when that is empty
    (:meth:`write_json`, :meth:`json_text`): a plan's publication leaves its JSON to the
    ``plan-json`` exporter, which may run in a worker and streams it to the file, so the
    text is never built whole (3.4 GB for a national plan)."""
    _shared: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def published_on(self) -> dt.date:
        """The date of publication where the plan applies (the policy's zone, Beijing):
        a plan stamped 16:00 UTC on 29 November is published on 30 November."""
        return self.stamp.astimezone(ZoneInfo(self.dataset.policy.timezone)).date()

    @property
    def active(self) -> tuple[PublishedEvent, ...]:
        """Events that are not cancelled."""
        return tuple(e for e in self.events if not e.cancelled)

    @functools.cached_property
    def _by_owner(self) -> dict[str, list[PublishedEvent]]:
        out: dict[str, list[PublishedEvent]] = {}
        for e in self.events:
            for owner in e.event.owners:
                out.setdefault(owner, []).append(e)
        return out

    def shared(self, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``, made once per ``key`` for this publication: what several exporters
        derive alike (the roster rows) is derived once. The result must not be changed."""
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def of_owner(self, owner: str, *, include_cancelled: bool = False
                 ) -> tuple[PublishedEvent, ...]:
        """Events of one feed owner (``village:…``), in time order."""
        return tuple(e for e in self._by_owner.get(owner, ())
                     if include_cancelled or not e.cancelled)

    @property
    def has_json(self) -> bool:
        """Whether there is a JSON form to write (:attr:`plan_json` or :attr:`plan_writer`)."""
        return bool(self.plan_json) or self.plan_writer is not None

    def write_json(self, sink: IO[bytes]) -> None:
        """Write the plan's JSON form (:meth:`json_text`) to ``sink`` in UTF-8."""
        if self.plan_json or self.plan_writer is None:
            sink.write(self.plan_json.encode("utf-8"))
        else:
            self.plan_writer(sink)

    def json_text(self) -> str:
        """The plan's JSON form: :attr:`plan_json`, or made by :attr:`plan_writer` ("" if
        neither)."""
        if self.plan_json or self.plan_writer is None:
            return self.plan_json
        buffer = io.BytesIO()
        self.write_json(buffer)
        return buffer.getvalue().decode("utf-8")

    def of_kind(self, *kinds: str) -> tuple[PublishedEvent, ...]:
        """Active events of the given kinds."""
        return tuple(e for e in self.active if e.event.kind in kinds)


@attrs.frozen
class ExportOptions:
    """How exporters write: templates, review mode, invitations."""

    template_dirs: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    """A deployment's template folders (override bundled templates; rendered sandboxed)."""
    locale_dirs: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    """A deployment's ``<lang>.po`` catalogs, on top of the bundled ones."""
    review: bool = False
    """Show unreviewed (fuzzy) Tibetan with a review mark instead of omitting it."""
    invitations: bool = True
    """Write ``.eml`` invitations when the policy names an organizer email."""
    progress: Callable[[str], None] | None = attrs.field(default=None, eq=False)
    """Called with a short label as each exporter finishes (a CLI progress bar)."""
    timed: Callable[[str, float, float], None] | None = attrs.field(default=None, eq=False)
    """Called with each exporter's name, wall and CPU seconds as it finishes, measured in
    the process that ran it (``advisors plan --timings``)."""
    jobs: int = attrs.field(default=1, eq=False, validator=attrs.validators.ge(1))
    """Exporters run side by side in this many forked worker processes; 1 (the default)
    runs them one after the other in this process. The files are the same either way."""

    def translator(self) -> Translator:
        """The catalogs these options select."""
        return _translator(self.locale_dirs, self.review)

    def renderer(self) -> Renderer:
        """A jinja2 renderer for these options (build it once per export run)."""
        return _renderer(self.template_dirs, self.locale_dirs, self.review)


_CACHE: dict[tuple[Any, ...], Any] = {}


def _translator(locale_dirs: tuple[Path, ...], review: bool) -> Translator:
    key = ("translator", locale_dirs, review)
    if key not in _CACHE:
        _CACHE[key] = Translator.load(extra_dirs=locale_dirs, review=review)
    found: Translator = _CACHE[key]
    return found


def _renderer(template_dirs: tuple[Path, ...], locale_dirs: tuple[Path, ...],
              review: bool) -> Renderer:
    # Not cached: the environment runs the plugins' prepare_jinja2_environment,
    # and the plugin manager may differ between runs (tests, portals).
    return Renderer.create(template_dirs, translator=_translator(locale_dirs, review))


class Exporter(Protocol):
    """What ``register_exporters`` registers: writes files for a publication into a folder."""

    def __call__(self, publication: Publication, out: OutputFolder,
                 options: ExportOptions) -> Sequence[Path | str]:
        """Write into ``out`` (which exists) through its checked paths
        (``out.path(relative)``, ``out.write_text``, ``out.write_bytes``,
        ``out.write_file``); return the files written, relative to the folder, as
        Paths or as text with ``/`` between folders."""


def sorted_texts(paths: Iterable[Path | str]) -> list[str]:
    """Paths (or their text, ``/`` between folders) as text, in a stable order, each once.

    Sorted as text: a Path hashes and compares slower.
    """
    return sorted({p if isinstance(p, str) else p.as_posix() for p in paths})


def sorted_paths(paths: Iterable[Path | str]) -> list[Path]:
    """:func:`sorted_texts` as Paths, each built once."""
    return [Path(text) for text in sorted_texts(paths)]
