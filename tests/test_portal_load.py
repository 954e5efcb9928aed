"""The forms under concurrent load on loopback, on SQLite and PostgreSQL: nothing lost, nothing
doubled, feeds answered meanwhile.

Short: a few hundred submissions from eight threads to a server process (the
figures in docs/embedding.md come from ``benchmarks/bench_portal_forms.py``
with thousands). Every tenth form is sent twice; the database must hold each
submission once, and every request must be booked by a publication made while
or after the forms came in (``wait_booking``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT
from .portal_backends import BACKENDS, database
from .test_portal import copy_example, outbox_plugin

pytest.importorskip("flask", reason="the portal example needs Flask (pip install flask)")

def _driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_portal_forms", ROOT / "benchmarks" / "bench_portal_forms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", BACKENDS)
def test_forms_under_load_lose_and_double_nothing_while_feeds_serve(
        backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ADVISORS_OUTBOX", str(tmp_path / "outbox.sqlite3"))
    monkeypatch.setenv("ADVISORS_PORTAL_DATA", str(tmp_path / "portal"))
    outbox_plugin()
    source = copy_example(tmp_path / "data")
    with database(backend, tmp_path) as url:
        monkeypatch.setenv("ADVISORS_PORTAL_DB", url)
        result = _driver().run(tmp_path / "portal", source, 300, 8, url, wait_booking=True)
    with capsys.disabled():
        print(f"\n[{backend}] {result.summary()}")
    assert result.form_errors == []
    assert result.feed_errors == [] and result.feed_answers > 0
    assert (result.stored_services, result.stored_requests) == (150, 150)
    assert result.publications >= 1  # the requests were booked by the library meanwhile
    assert result.retries == 30 and result.submissions == 330
    # no timing assertion: the rate is the benchmark's figure, on a machine of its own
