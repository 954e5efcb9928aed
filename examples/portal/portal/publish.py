"""Publishing a version: load the data, plan with the previous version, export, record.

This is the whole embedding, through the library's public API only:
:func:`advisors.load_dataset`, :func:`advisors.make_plan` with
``previous=`` (so moved events keep their UID with SEQUENCE + 1 and removed
ones are published as cancelled), :meth:`advisors.Plan.publication`,
:func:`advisors.export` (every registered exporter, the deployment's plugins
included), and the ``plan_published`` hook once the version is in place.

A version is exported into a fresh folder and renamed into place, then
recorded in one transaction, so a request sees either the old version or the
new one whole. One publication at a time (a lock file in the data folder).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

import advisors

from .db import sqlite_url
from .public import etag_of, public_plan
from .records import Records
from .store import Store, Version

__all__ = ["SERVED", "Portal", "Published", "request_of"]

SERVED = ("calendars/advisor/", "calendars/trainer/", "calendars/village/",
          "calendars/township/", "rosters/", "notices/", "report.html", "plan.json",
          "public/")
"""Prefixes of the exported files the portal serves (through its routes, never as a folder)."""


def _absolute(path: str | Path) -> Path:
    return Path(path).resolve()


@attrs.frozen
class Published:
    """What a publication did."""

    version: Version
    plan: advisors.Plan

    def summary(self) -> dict[str, Any]:
        """JSON-ready: version numbers and change counts."""
        return {"id": self.version.id, "period": self.version.period,
                "plan_version": self.version.plan_version,
                "published_at": self.version.published_at.isoformat(),
                "changes": self.plan.change_counts(), "feasible": self.plan.feasible}


@attrs.frozen
class Portal:
    """A portal's data folder: its database, its published versions."""

    data: Path = attrs.field(converter=_absolute)
    """The data folder (made absolute)."""
    keep: int = 5
    """Publications whose folders are kept (the newest)."""
    template_dirs: tuple[Path, ...] = ()
    """The deployment's own templates (override the bundled ones)."""
    database: str | None = None
    """An SQLAlchemy URL (``postgresql+psycopg://…``); default ``$ADVISORS_PORTAL_DB``,
    else ``portal.sqlite3`` in the data folder."""

    @property
    def url(self) -> str:
        """The database's URL."""
        chosen = self.database or os.environ.get("ADVISORS_PORTAL_DB", "").strip()
        return chosen or sqlite_url(self.data / "portal.sqlite3")

    @property
    def store(self) -> Store:
        """The portal database."""
        return Store(self.url)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.data.mkdir(parents=True, exist_ok=True)
        with (self.data / "publish.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def configure(self, source: Path | None = None, period: str | None = None) -> None:
        """Remember the dataset and period that :meth:`publish` uses by default."""
        values = {}
        if source is not None:
            values["source"] = str(Path(source).resolve())
        if period is not None:
            values["period"] = period
        if values:
            self.store.save_settings(values)

    def publish(self, source: Path | None = None, period: str | None = None, *,
                now: dt.datetime | None = None) -> Published:
        """Plan again (after the current version of the same period) and publish."""
        with self._lock():
            settings = self.store.settings()
            source = Path(source or settings.get("source", ""))
            period = period or settings.get("period", "")
            if not str(source) or not period:
                raise advisors.AdvisorsError(
                    "no dataset or period: run `python -m portal serve --source DIR "
                    "--period 2026-12` once, or pass --source and --period")
            dataset = self.dataset(source)
            current = self.store.current()
            previous = None
            if current is not None and current.period == period:
                previous = advisors.Plan.read(current.folder / "plan.json")
            when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
            # A live portal stamps with the clock (DTSTAMP = when it was published), but
            # never before the previous version, so versions still order correctly.
            stamp = when if previous is None else max(when, previous.stamp
                                                      + dt.timedelta(minutes=1))
            plan = advisors.make_plan(dataset, period, previous, stamp=stamp)
            # rendered with the deployment's templates: the files, and the plugins' messages
            publication = attrs.evolve(plan.publication(dataset), rendered_with=(
                advisors.ExportOptions(template_dirs=self.template_dirs)))
            folder = self._export(dataset, plan, publication)
            etags = {path: etag_of((folder / path).read_bytes()) for path in _served(folder)}
            version = self.store.add_version(period, plan.version, folder, etags, now=when)
            advisors.get_plugin_manager().hook.plan_published(
                plan=plan, changes=plan.changes, publication=publication)
            self._prune()
            return Published(version, plan)

    def dataset(self, source: Path | None = None) -> advisors.Dataset:
        """The dataset (default: the configured source) with the requests recorded here.

        The offices' and the hotline's requests join the dataset's own
        ``requests.csv`` as :class:`advisors.Request` values: village, group,
        kind, date, languages and the private note — never the requester's
        name or phone, which stay in the portal's database.
        """
        source = Path(source or self.store.settings().get("source", ""))
        dataset = advisors.load_dataset(source)
        recorded = [request_of(r) for r in Records(self.url).requests()
                    if r["village"] in dataset.village_by_id]
        if not recorded:
            return dataset
        return attrs.evolve(dataset, requests=(*dataset.requests, *recorded))  # type: ignore[arg-type]

    def _export(self, dataset: advisors.Dataset, plan: advisors.Plan,
                publication: advisors.Publication) -> Path:
        versions = self.data / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=versions))
        try:
            advisors.export(publication, tmp, publication.rendered_with)
            out = advisors.OutputFolder(tmp)  # paths checked; renamed into place whole
            out.write_text("public/plan.json", json.dumps(
                public_plan(plan.as_dict()), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
            out.write_text("public/directory.json", json.dumps(
                directory(dataset), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
            folder = versions / f"{plan.period.label}-v{plan.version}"
            if folder.exists():  # the same version published again (e.g. data folder reset)
                shutil.rmtree(folder)
            tmp.rename(folder)
            return folder
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _prune(self) -> None:
        kept = self.store.versions()
        live = {v.folder for v in kept[-self.keep:]}
        for version in kept[:-self.keep]:
            self.store.forget(version.id)
            if version.folder not in live:
                shutil.rmtree(version.folder, ignore_errors=True)


def request_of(row: dict[str, Any]) -> advisors.Request:
    """A stored request as the library's value (raises on a value it refuses)."""
    return advisors.Request(
        id=row["ref"], village=row["village"], group=row["grp"], kind=row["kind"],
        received_on=dt.date.fromisoformat(row["received_on"]),
        languages=tuple(x for x in row["languages"].split(";") if x), note=row["note"])


def _served(folder: Path) -> list[str]:
    paths = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and any(relative == p or relative.startswith(p) for p in SERVED):
            paths.append(relative)
    return paths


def directory(dataset: advisors.Dataset) -> dict[str, Any]:
    """Public names the portal's own pages list: townships, villages, advisors, trainers."""
    return {
        "townships": [{"id": t.id, "name": t.name, "name_bo": t.name_bo}
                      for t in sorted(dataset.townships, key=lambda t: t.id)],
        "villages": [{"id": v.id, "name": v.name, "name_bo": v.name_bo,
                      "township": v.township}
                     for v in sorted(dataset.villages, key=lambda v: v.id)],
        "advisors": [{"id": a.id, "name": a.name}
                     for a in sorted(dataset.advisors, key=lambda a: a.id)],
        "trainers": [{"id": t.id, "name": t.name}
                     for t in sorted(dataset.trainers, key=lambda t: t.id)],
    }
