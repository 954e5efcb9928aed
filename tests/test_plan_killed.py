"""A main job killed midway (SIGKILL, no clean-up) leaves the previous output whole."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from advisors.cli import run

from .conftest import TONGREN

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from advisors import hookimpl
    from advisors.cli import run
    from advisors.plugins import get_plugin_manager

    class Killer:
        @hookimpl
        def register_exporters(self, register):
            def die(publication, out, options):
                # the other exporters have written their files into the new folder by now
                assert any(out.root.rglob("*.ics"))
                os.kill(os.getpid(), signal.SIGKILL)
            register("zz-die-midway", die, "is killed while the output is half-written")

    get_plugin_manager().register(Killer(), name="killer")
    run(["plan", sys.argv[1], "--period", "2027-01", "--out", sys.argv[2], "--quiet"])
    """
)


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_killed_run_leaves_previous_output_whole(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert run(["plan", str(TONGREN), "--period", "2026-12", "--out", str(out), "--quiet"]) == 0
    before = _digest(out)
    assert "plan.json" in before
    proc = subprocess.run([sys.executable, "-c", KILLER, str(TONGREN), str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert _digest(out) == before
