"""The two-process and column-wise load paths give exactly what the row-wise path gives.

Proposed by the issue-2 performance helper (not yet in tests/): the
national benchmark is the only other thing that exercises the worker.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisors.data import columnar, csvfolder, parallel
from advisors.errors import DataError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tongren"


def _outcome(folder: Path) -> tuple[str, object]:
    try:
        ds = csvfolder.read_folder(folder)
    except DataError as exc:
        return "error", [(p.source, p.line, p.field, p.message, p.value) for p in exc.problems]
    return "ok", (ds, list(ds.person_by_id), [(k, [p.id for p in v])
                                              for k, v in ds.people_of_village.items()])


def _variant(tmp_path: Path, edit: str) -> Path:
    folder = tmp_path / edit
    shutil.copytree(EXAMPLE, folder)
    people = folder / "people.csv"
    lines = people.read_text("utf-8").split("\n")
    if edit == "bad_role":
        lines[40] = lines[40].replace("legal_savvy", "lawyer").replace("cadre", "lawyer")
    elif edit == "padded":
        lines[41] = " " + lines[41]
    elif edit == "short_row":
        lines[42] = ",".join(lines[42].split(",")[:3])
    elif edit == "crlf":
        lines = [line + "\r" if line else line for line in lines]
    elif edit == "duplicate":
        lines.insert(50, lines[49])
    people.write_text("\n".join(lines), "utf-8")
    return folder


@pytest.mark.parametrize("edit", ["clean", "bad_role", "padded", "short_row", "crlf",
                                  "duplicate"])
def test_worker_and_blocks_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          edit: str) -> None:
    folder = _variant(tmp_path, edit)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1 << 50)
    expected = _outcome(folder)
    for chunk in (1, 7, 1000):
        # A small probe ends text sharing early (as phone numbers do at national scale).
        monkeypatch.setattr(columnar, "DISTINCT_PROBE", 1 if chunk == 7 else 1000)
        monkeypatch.setattr(parallel, "TEXT_CHUNK", chunk)
        monkeypatch.setattr(parallel, "MIN_BYTES", 1 << 50)
        assert _outcome(folder) == expected
        monkeypatch.setattr(parallel, "MIN_BYTES", 0)  # every file big enough for the worker
        assert _outcome(folder) == expected


@pytest.mark.parametrize("after", [0, 1, 3])
def test_worker_dying_half_way_changes_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               after: int) -> None:
    folder = _variant(tmp_path, "bad_role")
    monkeypatch.setattr(parallel, "MIN_BYTES", 1 << 50)
    expected = _outcome(folder)
    work = parallel._work

    def dying(root, specs, conn):  # type: ignore[no-untyped-def]
        class Conn:
            sent = 0

            def send_bytes(self, data: bytes) -> None:
                if self.sent > after:
                    os._exit(1)
                self.sent += 1
                conn.send_bytes(data)

            def close(self) -> None:
                conn.close()

        work(root, specs, Conn())

    monkeypatch.setattr(parallel, "_work", dying)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "TEXT_CHUNK", 50)
    assert _outcome(folder) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["V1", "V2", "V10", "T3"]), max_size=40), max_size=5))
def test_packed_references_unpack_to_the_cells(blocks: list[list[str]]) -> None:
    # Worker side as at national scale: runs where cells come grouped, numbers otherwise.
    packer = columnar._ident_handler(share=True, packed=True)
    unpack = columnar.Unpacker()
    for cells in blocks:
        if not cells:
            continue
        packed = packer(list(cells))
        runs = sum(1 for i, c in enumerate(cells) if i == 0 or cells[i - 1] != c)
        assert packed[0] == ("k" if runs <= len(cells) // 2 else "c")
        assert unpack({"village": packed}) == {"village": cells}
