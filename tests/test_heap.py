"""The garbage collector's settings around planning and exporting are put back as found."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import advisors
from advisors.data.heap import SPARSE_THRESHOLD, gc_frozen, gc_paused, gc_sparse
from advisors.output import ExportOptions, export


@pytest.fixture(autouse=True)
def _collector() -> Iterator[None]:
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*threshold)
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_sparse_raises_the_threshold_and_puts_it_back() -> None:
    gc.set_threshold(700, 10, 10)
    with gc_sparse():
        assert gc.get_threshold() == (SPARSE_THRESHOLD, 10, 10)
        with gc_sparse(50):  # nested: the higher setting stays
            assert gc.get_threshold() == (SPARSE_THRESHOLD, 10, 10)
        assert gc.get_threshold() == (SPARSE_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_sparse_keeps_a_higher_threshold_of_the_application() -> None:
    gc.set_threshold(50_000, 5, 5)
    with gc_sparse():
        assert gc.get_threshold() == (50_000, 5, 5)
    assert gc.get_threshold() == (50_000, 5, 5)


def test_sparse_puts_back_when_the_plan_fails() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), gc_sparse():
        raise RuntimeError("planning failed")
    assert gc.get_threshold() == (700, 10, 10)


def test_sparse_in_threads_ends_as_it_began() -> None:
    # two plans made at once in a portal: whichever ends first, the last puts it back
    gc.set_threshold(700, 10, 10)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def first() -> None:
        with gc_sparse():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with gc_sparse():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold())  # the first left; this one still runs sparse

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [(SPARSE_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)


def test_frozen_freezes_and_thaws() -> None:
    gc.unfreeze()
    kept: list[list[int]] = [[] for _ in range(10)]
    with gc_frozen():
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_frozen_leaves_the_applications_own_freeze_alone() -> None:
    gc.unfreeze()
    gc.freeze()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    with gc_frozen():
        pass
    assert gc.get_freeze_count() == frozen


def test_paused_pauses_and_resumes() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_a_plan_is_made_and_exported_collecting_sparsely(tongren: advisors.Dataset,
                                                         tmp_path: Path) -> None:
    gc.set_threshold(700, 10, 10)
    during: list[int] = []
    plan = advisors.make_plan(tongren, "2026-12",
                              progress=lambda label: during.append(gc.get_threshold()[0]))
    assert during and set(during) == {SPARSE_THRESHOLD}
    seen: list[int] = []
    export(plan.publication(tongren), tmp_path,
           ExportOptions(progress=lambda name: seen.append(gc.get_threshold()[0])),
           names=["roster-csv"])
    assert seen == [SPARSE_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)
