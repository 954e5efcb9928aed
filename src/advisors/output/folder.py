"""The output folder every exporter writes through: no path can leave it.

File names come from the data and from plan files (ids, owners, emails). The
loaders check those, and so does the plan reader, but an exporter should not
have to trust them: :class:`OutputFolder` resolves every path it hands out
(``..``, absolute paths and symlinks included) and refuses one that lands
outside the folder, with a :class:`UnsafePathError` (a :class:`DataError`:
the CLI answers with exit 2 and writes nothing, as for any bad input).

Exporters get an ``OutputFolder``, not a raw path. For exporters written
against the older ``(publication, out: Path, options)`` contract it behaves
like the folder's path where that is safe: ``out / "name"`` is the checked
path of a direct child, and ``os.fspath(out)`` is the folder.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import IO, Any

from ..errors import DataError, Problem

__all__ = ["OutputFolder", "UnsafePathError"]


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(
    os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
"""Refuse to open a symlink as the last part of a path (POSIX); 0 where there is none."""


def _write_all(fd: int, data: bytes) -> None:
    """Write ``data`` to the open file ``fd`` and close it."""
    try:
        written = os.write(fd, data)
        if written < len(data):  # a short write: rare, but allowed
            view = memoryview(data)[written:]
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class UnsafePathError(DataError):
    """An exporter asked for a path outside its output folder."""


class OutputFolder:
    """A folder files are written into; every path is checked to stay inside it."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        """The folder, absolute and resolved."""
        self._root = str(self.root)
        self._checked: set[str] = set()
        """Relative folders already made and resolved inside the folder: a plan writes
        tens of thousands of files into a few folders, each checked once."""

    def __repr__(self) -> str:
        return f"OutputFolder({str(self.root)!r})"

    def __fspath__(self) -> str:
        return str(self.root)

    def __truediv__(self, relative: str | PurePath) -> Path:
        return self.path(relative, make_parents=False)

    def path(self, relative: str | PurePath, *, make_parents: bool = True) -> Path:
        """The absolute path of ``relative`` in the folder, its parent folders made.

        Raises :class:`UnsafePathError` when ``relative`` is absolute, climbs
        out with ``..``, or passes a symlink that points outside.
        """
        text = os.fspath(relative)
        if "\x00" in text or PurePath(text).is_absolute() or not text:
            self._refuse(text)
        if make_parents and (fast := self._plain(text)) is not None:
            return Path(fast)
        candidate = (self.root / text).resolve()
        if candidate == self.root or not candidate.is_relative_to(self.root):
            self._refuse(text)
        if make_parents:
            candidate.parent.mkdir(parents=True, exist_ok=True)
            # the parents may have been made through a symlink created meanwhile
            if not candidate.parent.resolve().is_relative_to(self.root):
                self._refuse(text)
            folder = text.rpartition("/")[0]
            if folder and all(part not in ("", ".", "..") for part in folder.split("/")):
                self._checked.add(folder)
        return candidate

    def _plain(self, text: str) -> str | None:
        """The path of ``text`` when it is a plain name in an already checked folder.

        Plain: no ``..`` or ``.``, no empty part. Its folder was made and
        resolved inside by an earlier call, so only the name itself could
        still lead out: a symlink there is left to the full check (``None``).
        """
        candidate = self._in_checked(text)
        if candidate is None or os.path.islink(candidate):
            return None
        return candidate

    def _in_checked(self, text: str) -> str | None:
        """:meth:`_plain` but for the symlink: the caller opens without following one."""
        if "\x00" in text or os.path.isabs(text):
            return None
        folder, _, name = text.rpartition("/")
        if name in ("", ".", "..") or (folder and folder not in self._checked):
            return None
        return os.path.join(self._root, text)

    def open(self, relative: str | PurePath, mode: str = "wb", **kwargs: Any) -> IO[Any]:
        """Open ``relative`` inside the folder (parents made), like :func:`open`."""
        return open(self.path(relative), mode, **kwargs)

    def write_bytes(self, relative: str | PurePath, data: bytes) -> Path:
        """Write ``data`` to ``relative``; return ``relative`` as a Path."""
        self._write(relative, data)
        return Path(relative)

    def _write(self, relative: str | PurePath, data: bytes) -> None:
        text = os.fspath(relative)
        candidate = self._in_checked(text) if _NOFOLLOW else None
        if candidate is not None:
            # The name in a checked folder is opened without following a symlink (one
            # system call instead of an lstat and an open); a symlink there takes the
            # full check below.
            try:
                fd = os.open(candidate, _CREATE | _NOFOLLOW, 0o666)
            except OSError:
                if not os.path.islink(candidate):
                    raise
            else:
                _write_all(fd, data)
                return
        with open(self.path(text), "wb") as fh:
            fh.write(data)

    def write_file(self, relative: str, data: bytes) -> str:
        """:meth:`write_bytes` for an exporter that writes thousands of files: returns
        ``relative`` as the text it was given (building a Path costs about as much as
        creating the file's name in the folder)."""
        self._write(relative, data)
        return relative

    def write_text(self, relative: str | PurePath, text: str) -> Path:
        """Write UTF-8 ``text`` to ``relative``; return ``relative`` as a Path."""
        self._write(relative, text.encode("utf-8"))
        return Path(relative)

    def _refuse(self, relative: str) -> None:
        raise UnsafePathError([Problem(
            "output folder", "refused to write outside the output folder",
            value=relative[:200], expected=f"a path inside {self.root}")])
