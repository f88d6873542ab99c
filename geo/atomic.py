"""Atomic file writes: a reader, or a process killed mid-write, sees the old file or the new one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to `path` through a temp file in the same folder and os.replace."""
    # mkstemp makes the file private (0600). Stories and exports are shared files, so they keep
    # the old file's mode, or get 0644; the geocoding cache passes 0600 to stay private.
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    # The temp file lives in the same folder so os.replace is a same-filesystem rename.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
