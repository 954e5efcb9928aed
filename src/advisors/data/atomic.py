"""Write a folder or file so that readers see the old one or the new one, never half of each.

The new content is written into a temporary sibling (``.X.<pid>-<random>.tmp``),
then swapped in with renames (the old folder goes to ``.X.old-<pid>`` for the
instant of the swap); if anything fails before the swap, the old content is
untouched and the temporary is removed. A run killed midway leaves those
siblings behind: the next run recovers ``X`` from ``.X.old-*`` when ``X`` is
missing (a kill between the two renames), removes the rest, and says so —
except the siblings of a run that is still alive.

What is written gets ordinary permissions (folders 0777, files 0666, less the
umask), not the 0700/0600 of :mod:`tempfile`, so that a web server can serve it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["atomic_directory", "atomic_write_bytes", "atomic_write_text", "recover_leftovers",
           "umask"]


def umask() -> int:
    """The process umask (read without changing it where the system allows)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path) -> tuple[list[tuple[Path, int]], list[tuple[Path, int | None]]]:
    """``.X.old-<pid>`` and ``.X.*.tmp`` siblings of ``target`` with their owner's pid."""
    old_name = re.compile(re.escape(f".{target.name}.old-") + r"(\d+)")
    # mkdtemp's names: 8 of [a-z0-9_]; ours carry the pid first, older ones did not
    tmp_name = re.compile(re.escape(f".{target.name}.") + r"(?:(\d+)-)?[a-z0-9_]{8}\.tmp")
    olds: list[tuple[Path, int]] = []
    tmps: list[tuple[Path, int | None]] = []
    if not target.parent.is_dir():
        return olds, tmps
    for entry in sorted(target.parent.iterdir()):
        if m := old_name.fullmatch(entry.name):
            olds.append((entry, int(m.group(1))))
        elif m := tmp_name.fullmatch(entry.name):
            tmps.append((entry, int(m.group(1)) if m.group(1) else None))
    return olds, tmps


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def recover_leftovers(target: Path) -> list[str]:
    """Repair what a killed run left beside ``target``; return one sentence per action."""
    target = Path(target)
    olds, tmps = _leftovers(target)
    said: list[str] = []
    dead_olds = [(p, pid) for p, pid in olds if not _alive(pid)]
    if not target.exists() and dead_olds:
        newest = max(dead_olds, key=lambda item: item[0].stat().st_mtime)[0]
        os.replace(newest, target)
        said.append(f"recovered {target} from {newest.name}, left by an interrupted run")
        dead_olds = [(p, pid) for p, pid in dead_olds if p != newest]
    for path, _ in dead_olds:
        _remove(path)
        said.append(f"removed {path.name}, the previous output an interrupted run left")
    for path, owner in tmps:
        if owner is None or not _alive(owner):
            _remove(path)
            said.append(f"removed {path.name}, the half-written output of an interrupted run")
    return said


def _open_up(folder: Path) -> None:
    # mkdtemp makes 0700: give the folder what os.mkdir would have
    os.chmod(folder, 0o777 & ~umask())


@contextlib.contextmanager
def atomic_directory(target: Path, notice: Callable[[str], None] | None = None
                     ) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it replaces ``target`` whole.

    Leftovers of an interrupted run beside ``target`` are recovered or removed
    first; ``notice`` is told each in a sentence.
    """
    target = Path(os.path.abspath(target))  # "." has no name to put a sibling beside
    target.parent.mkdir(parents=True, exist_ok=True)
    for sentence in recover_leftovers(target):
        if notice is not None:
            notice(sentence)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp",
                                dir=target.parent))
    try:
        _open_up(tmp)
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(name, 0o666 & ~umask())  # mkstemp makes 0600
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def atomic_write_text(target: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    atomic_write_bytes(target, text.encode("utf-8"))
