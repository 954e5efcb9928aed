"""No exporter — built-in or plugin — writes outside its output folder, whatever the plan says.

The plan reader refuses ids that could name a path (tested in test_plan_files);
this module tests the second wall: every exporter writes through one
:class:`~advisors.output.OutputFolder`, which refuses a path that resolves
outside it. A publication is forged with owners, event ids and emails made of
path pieces (``..``, ``/``, absolute paths), past any reader, and every
registered exporter plus a plugin that builds paths from the plan runs on it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advisors
from advisors import hookimpl
from advisors.output import ExportOptions, OutputFolder, UnsafePathError, export
from advisors.plan.events import Party
from advisors.plugins import collect, get_plugin_manager

from .corpus.tiny import make_tiny

# --- the folder itself -----------------------------------------------------------------------


def test_paths_inside_are_given(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path / "out")
    (tmp_path / "out").mkdir()
    assert folder.write_text("a/b/c.txt", "x") == Path("a/b/c.txt")
    assert (tmp_path / "out" / "a" / "b" / "c.txt").read_text() == "x"
    assert folder / "plan.json" == (tmp_path / "out" / "plan.json").resolve()
    assert os.fspath(folder) == str((tmp_path / "out").resolve())


@pytest.mark.parametrize("relative", ["../x", "a/../../x", "/etc/passwd", "a/../..", ".", "",
                                      "calendars/advisor/../../../x.ics", "a\x00b"])
def test_paths_outside_are_refused(tmp_path: Path, relative: str) -> None:
    (tmp_path / "out").mkdir()
    folder = OutputFolder(tmp_path / "out")
    with pytest.raises(UnsafePathError):
        folder.write_bytes(relative, b"x")
    with pytest.raises(UnsafePathError):
        folder.write_file(relative, b"x")
    with pytest.raises(UnsafePathError):
        folder / relative
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out"]


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePathError):
        OutputFolder(tmp_path / "out").write_text("link/x.txt", "x")
    assert not any((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize("relative", ["a/../../x", "a/b/../../../x", "a/b/../../..",
                                      "a//../../x", "a/b/./../../../x"])
def test_a_folder_written_into_does_not_open_a_way_out(tmp_path: Path, relative: str) -> None:
    # a folder is checked once, then trusted for plain names: a name that climbs is not one
    (tmp_path / "out").mkdir()
    folder = OutputFolder(tmp_path / "out")
    folder.write_text("a/b/c.txt", "x")
    with pytest.raises(UnsafePathError):
        folder.write_bytes(relative, b"y")
    with pytest.raises(UnsafePathError):
        folder.write_file(relative, b"y")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_symlinked_name_in_a_folder_written_into_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    folder = OutputFolder(tmp_path / "out")
    folder.write_text("a/first.txt", "x")
    (tmp_path / "out" / "a" / "link.txt").symlink_to(tmp_path / "elsewhere" / "victim.txt")
    with pytest.raises(UnsafePathError):
        folder.write_text("a/link.txt", "x")
    with pytest.raises(UnsafePathError):
        folder.write_file("a/link.txt", b"x")
    assert not any((tmp_path / "elsewhere").iterdir())
    assert folder.write_text("a/second.txt", "y") == Path("a/second.txt")
    assert folder.write_file("a/third.txt", b"z") == "a/third.txt"
    assert (tmp_path / "out" / "a" / "third.txt").read_bytes() == b"z"


# --- every exporter on a forged publication --------------------------------------------------


class PathFromPlan:
    """A third-party exporter that names files after the plan's owners and event ids."""

    @hookimpl
    def register_exporters(self, register: Any) -> None:
        def cards(pub: advisors.Publication, out: OutputFolder,
                  options: ExportOptions) -> list[Path]:
            written = []
            for item in pub.events:
                for owner in item.event.owners:
                    relative = Path("cards") / owner.replace(":", "/") / f"{item.event.id}.txt"
                    written.append(out.write_text(relative, item.event.id))
            return written

        register("test.cards", cards, "cards named after the plan's owners")


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> advisors.Publication:
    data = advisors.load_dataset(make_tiny(tmp_path_factory.mktemp("tiny") / "data"))
    calendar = attrs.evolve(data.policy.calendar, organizer_email="sfj@example.org")
    data = attrs.evolve(data, policy=attrs.evolve(data.policy, calendar=calendar))
    return advisors.make_plan(data, "2026-12").publication(data)


def forged(pub: advisors.Publication, piece: str) -> advisors.Publication:
    """``pub`` with ``piece`` in every owner, event id and attendee email."""
    def evil(item: Any) -> Any:
        event = item.event
        event = attrs.evolve(
            event, id=f"{piece}{event.id}",
            owners=(*event.owners, f"advisor:{piece}", f"village:{piece}x"),
            attendees=(*event.attendees, Party("x", f"{piece}@example.org")))
        return attrs.evolve(item, event=event)

    events = tuple(evil(e) for e in pub.events)
    changes = tuple(attrs.evolve(c, current=evil(c.current)) for c in pub.changes)
    return attrs.evolve(pub, events=events, changes=changes)


def files_outside(root: Path, out: Path) -> list[Path]:
    return [p for p in root.rglob("*")
            if p.is_file() and not p.resolve().is_relative_to(out.resolve())]


PIECES = ["../../../escaped", "/tmp/absolute", "..", "a/../../../b", "..\\..\\win", "~/home"]


@pytest.mark.parametrize("piece", PIECES)
def test_no_exporter_writes_outside(tmp_path: Path, publication: advisors.Publication,
                                    piece: str) -> None:
    if get_plugin_manager().get_plugin("path-from-plan") is None:  # once per test, not example
        get_plugin_manager().register(PathFromPlan(), name="path-from-plan")
    names = sorted(collect("exporters"))
    assert {"ics", "notifications", "test.cards"} <= set(names)
    root = tmp_path / "deep" / "deeper" / "deepest"
    out = root / "out"
    out.mkdir(parents=True)
    for name in names:
        # refused (a path outside the folder, an address that is not one): the point
        with contextlib.suppress(advisors.DataError):
            export(forged(publication, piece), OutputFolder(out), ExportOptions(), [name])
    assert files_outside(tmp_path, out) == []
    assert not Path("/tmp/absolute").exists() or not any(Path("/tmp/absolute").rglob("*.ics"))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(piece=st.text(st.sampled_from(list("./\\~a:%\x00")), min_size=1, max_size=12))
def test_no_exporter_writes_outside_whatever_the_ids(
        tmp_path_factory: pytest.TempPathFactory, publication: advisors.Publication,
        piece: str) -> None:
    if get_plugin_manager().get_plugin("path-from-plan") is None:  # once per test, not example
        get_plugin_manager().register(PathFromPlan(), name="path-from-plan")
    root = tmp_path_factory.mktemp("forged")
    out = root / "a" / "b" / "out"
    out.mkdir(parents=True)
    for name in ("ics", "notifications", "test.cards"):
        # refused by the folder, or by the event's own rules (an empty owner id)
        with contextlib.suppress(advisors.DataError, ValueError):
            export(forged(publication, piece), OutputFolder(out), ExportOptions(), [name])
    assert files_outside(root, out) == []


def test_a_symlinked_name_that_stays_inside_writes_its_target(tmp_path: Path) -> None:
    # a name in a checked folder is opened without following a symlink; one that is a
    # symlink takes the full check, which lets it through when it stays inside
    (tmp_path / "out").mkdir()
    folder = OutputFolder(tmp_path / "out")
    folder.write_text("a/first.txt", "x")
    (tmp_path / "out" / "a" / "link.txt").symlink_to(tmp_path / "out" / "a" / "first.txt")
    folder.write_bytes("a/link.txt", b"through")
    assert (tmp_path / "out" / "a" / "first.txt").read_bytes() == b"through"
    assert (tmp_path / "out" / "a" / "link.txt").is_symlink()
