"""Exporters side by side in forked workers: the same files, errors told, no orphans."""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import advisors
from advisors import hookimpl
from advisors.errors import DataError, PluginError, Problem
from advisors.output import ExportOptions, Publication, export, parallel
from advisors.plan.stopwatch import Stopwatch
from advisors.plugins import get_plugin_manager

from .conftest import TONGREN

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs the fork start method")


@pytest.fixture(scope="module")
def publication(tongren: advisors.Dataset) -> Publication:
    return advisors.make_plan(tongren, "2026-12").publication(tongren)


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork workers however small the publication (Tongren is below the threshold)."""
    monkeypatch.setattr(parallel, "MIN_EVENTS", 0)


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _register(**exporters: Any) -> None:
    class Extra:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            for name, fn in exporters.items():
                register(name.replace("_", "-"), fn)

    get_plugin_manager().register(Extra(), name="extra-exporters")


@pytest.mark.usefixtures("always_fork")
def test_two_workers_write_the_same_files_as_one_process(publication: Publication,
                                                         tmp_path: Path) -> None:
    seen: dict[int, list[tuple[str, float, float]]] = {1: [], 3: []}
    progress: dict[int, list[str]] = {1: [], 3: []}
    written = {}
    for jobs in (1, 3):
        options = ExportOptions(jobs=jobs, progress=progress[jobs].append,
                                timed=lambda n, w, c, j=jobs: seen[j].append((n, w, c)))
        written[jobs] = export(publication, tmp_path / str(jobs), options)
    assert written[1] == written[3]
    assert len(written[1]) > 100
    one, three = _digest(tmp_path / "1"), _digest(tmp_path / "3")
    assert one == three
    names = sorted(advisors.plugins.collect("exporters"))
    for jobs in (1, 3):
        assert sorted(progress[jobs]) == names  # each exporter told once
        assert sorted(n for n, _, _ in seen[jobs]) == names
        assert all(wall >= 0 and cpu >= 0 for _, wall, cpu in seen[jobs])


def test_a_small_publication_stays_in_one_process(publication: Publication,
                                                  tmp_path: Path) -> None:
    pids: list[int] = []

    def where(pub: Publication, out: Any, options: ExportOptions) -> list[Path]:
        pids.append(os.getpid())  # a worker's append would not reach this list
        return []

    _register(t_where=where, t_where_too=where)
    assert len(publication.events) < parallel.MIN_EVENTS
    export(publication, tmp_path, ExportOptions(jobs=4), names=["t-where", "t-where-too"])
    assert pids == [os.getpid(), os.getpid()]


@pytest.mark.usefixtures("always_fork")
def test_a_worker_error_is_raised_again_with_its_problems(publication: Publication,
                                                          tmp_path: Path) -> None:
    def broken(pub: Publication, out: Any, options: ExportOptions) -> list[Path]:
        raise DataError([Problem("templates/notice.html", "bad", line=3, field="title",
                                 expected="a closed tag")])

    _register(t_broken=broken)
    with pytest.raises(DataError) as caught:
        export(publication, tmp_path, ExportOptions(jobs=2),
               names=["plan-json", "t-broken", "roster-csv"])
    assert caught.value.problems[0].source == "templates/notice.html"
    assert caught.value.problems[0].field == "title"
    assert "a closed tag" in str(caught.value)
    assert "Traceback" in str(caught.value.__cause__)  # the worker's, for a developer


@pytest.mark.usefixtures("always_fork")
def test_a_dead_worker_is_reported_by_exporter_name(publication: Publication,
                                                    tmp_path: Path) -> None:
    def dies(pub: Publication, out: Any, options: ExportOptions) -> list[Path]:
        os.kill(os.getpid(), signal.SIGKILL)
        return []

    _register(t_dies=dies)
    with pytest.raises(PluginError, match="t-dies"):
        export(publication, tmp_path, ExportOptions(jobs=2), names=["t-dies", "plan-json"])


def test_data_errors_cross_a_process_boundary_whole() -> None:
    error = DataError([Problem("villages.csv", "x", line=7, field="lat", expected="a number")])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is DataError
    assert again.problems == error.problems
    assert str(again) == str(error)


ORPHAN = textwrap.dedent(
    """
    import os, sys, time
    import advisors
    from advisors import hookimpl
    from advisors.output import ExportOptions, export, parallel
    from advisors.plugins import get_plugin_manager

    parallel.MIN_EVENTS = 0
    pidfile = sys.argv[2]

    class Slow:
        @hookimpl
        def register_exporters(self, register):
            def slow(publication, out, options):
                with open(pidfile, "a") as fh:
                    fh.write(f"{os.getpid()}\\n")
                time.sleep(60)
                return []
            register("t-slow", slow)
            register("t-slow-too", slow)

    get_plugin_manager().register(Slow(), name="slow")
    data = advisors.read_folder(sys.argv[1])
    pub = advisors.make_plan(data, "2026-12").publication(data)
    export(pub, sys.argv[3], ExportOptions(jobs=2), names=["t-slow", "t-slow-too"])
    """
)


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    pidfile = tmp_path / "pids"
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN, str(TONGREN), str(pidfile),
                             str(tmp_path / "out")])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (
            not pidfile.exists() or len(pidfile.read_text().split()) < 2):
        assert proc.poll() is None, "the parent ended before its workers started"
        time.sleep(0.1)
    workers = [int(p) for p in pidfile.read_text().split()]
    assert len(workers) == 2 and proc.pid not in workers
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    deadline = time.monotonic() + 10
    alive = list(workers)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _running(pid)]
        time.sleep(0.1)
    assert alive == []


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_stopwatch_lists_parts_inside_their_stage_and_counts_them_once() -> None:
    watch = Stopwatch()
    watch("publication")
    watch.part("ics", 1.5, 1.25)
    watch.part("notices", 0.5, 0.5)
    watch("exporters")
    lines = [line.split() for line in watch.lines()]
    assert [parts[1] for parts in lines] == ["publication", "exporters/ics",
                                             "exporters/notices", "exporters", "total"]
    assert all(len(parts) == 4 for parts in lines)
    assert lines[1][2:] == ["1.500", "1.250"]
    total_wall = float(lines[-1][2])
    assert total_wall == pytest.approx(watch.total, abs=1e-3)
    assert total_wall < 1.5  # the parts are not added to the total


def test_a_worker_s_cpu_counts_in_the_stage_that_waited_for_it() -> None:
    watch = Stopwatch()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        os._exit(0)
    os.waitpid(pid, 0)
    watch("forked")
    (_, _, cpu), = watch.laps
    assert cpu >= 0.25
