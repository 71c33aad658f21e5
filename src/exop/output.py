"""Writing files so that a reader never sees half of one: a temporary file and a rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from exop.errors import OutputError


def atomic_write(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder and a rename.

    Either the whole new file is there afterwards, or the old one (or none) is.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(tmp_name).replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise OutputError(f"{path}: cannot write: {error.strerror}") from error


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
