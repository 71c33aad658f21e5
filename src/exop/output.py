"""Writing files so that a reader never sees half of one: a temporary file and a rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from exop.errors import OutputError

STDOUT = "-"
"""The path that means standard output."""


def _mode_for(target: Path) -> int:
    """The mode a rewritten file keeps, or the one a new file gets under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_straight(path: Path, data: bytes) -> None:
    """Write into an existing non-regular file (a device, a FIFO) as it is."""
    try:
        with path.open("wb") as out:
            out.write(data)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from error


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write *data* to *path* so that a reader sees the old file or the new one, never half.

    A regular file is written through a temporary file in its folder and a rename; it keeps
    its mode (a new one gets the umask's). A symbolic link is followed: its target is
    replaced and the link stays. A device, FIFO or socket is not a file that can be
    replaced: it is written straight. ``-`` is standard output.
    """
    if str(path) == STDOUT:
        write_stdout(data)
        return
    given = Path(path)
    target = given.resolve() if given.is_symlink() else given
    if target.is_dir():
        raise OutputError(f"{given}: is a directory")
    if target.exists() and not target.is_file():
        _write_straight(target, data)
        return
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"{given}: folder {folder} does not exist")
    mode = _mode_for(target)
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                            dir=folder)
    except OSError as error:
        raise OutputError(f"{given}: cannot write: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            os.fchmod(out.fileno(), mode)
        Path(tmp_name).replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise OutputError(f"{given}: cannot write: {error.strerror}") from error


def write_stdout(data: bytes) -> None:
    """Write *data* to standard output (a closed pipe is the reader's choice, not an error)."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"standard output: cannot write: {error.strerror}") from error


def atomic_write_tree(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write *files* (relative path -> bytes) as the folder *folder*, all or nothing.

    The files go into a new folder beside *folder*, which then replaces it: a reader sees
    the old folder or the new one, never a mix.
    """
    folder = Path(folder)
    parent = folder.parent if str(folder.parent) else Path()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    if not parent.is_dir():
        raise OutputError(f"{folder}: folder {parent} does not exist")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    except OSError as error:
        raise OutputError(f"{folder}: cannot write: {error.strerror}") from error
    try:
        for name, data in sorted(files.items()):
            target = (staging / name).resolve()
            if staging.resolve() not in target.parents:
                raise OutputError(f"{folder}: refusing to write outside it: {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=parent))
            folder.replace(old / folder.name)
        staging.replace(folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{folder}: cannot write: {error.strerror}") from error
