"""Atomic file writes: a reader, or a process killed mid-write, sees the old file or the new one.

The target must be a regular file (or not exist yet) in a folder that exists: a symlink or a
device named as the output is refused, never replaced by a file nor written through. A failed
write removes its temp file; one killed outright (SIGKILL) cannot, so temp files carry their
writer's process id and the next writer of the same file removes those whose process is gone.
(An unnamed O_TMPFILE linked in at the end would leave nothing at all, but linking it through
/proc/self/fd fails with EXDEV in some sandboxes, this machine's included.)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from geo.safefile import FileRefused, refuse_unless_regular


def check_target(path: Path) -> os.stat_result | None:
    """The target's stat if it is a regular file, None if it does not exist yet; FileRefused otherwise."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise FileRefused(f"cannot write {path}: there is no folder {path.parent}") from None
        return None
    if stat.S_ISLNK(info.st_mode):
        raise FileRefused(f"{path} is a symbolic link; refusing to replace it (name the file it points to)")
    refuse_unless_regular(path, info.st_mode)
    return info


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to `path` through a temp file in the same folder and os.replace."""
    path = Path(path)
    existing = check_target(path)
    # Stories and exports are shared files, so they keep the old file's mode, or get 0644; the
    # geocoding cache passes 0600 to stay private.
    if mode is None:
        mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o644
    remove_stale_temps(path)
    # The temp file lives in the same folder so os.replace is a same-filesystem rename.
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
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


def _temp_name(path: Path) -> str:
    """A hidden temp name beside `path` that says which process owns it: .name.<pid>.<random>.tmp."""
    return str(path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"))


def remove_stale_temps(path: Path) -> None:
    """Delete temp files that writers of `path` left when they were killed (their process is gone)."""
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        owner = temp.name[len(path.name) + 2 :].split(".")[0]
        if owner.isdigit() and 0 < int(owner) < 2**31 and not _alive(int(owner)):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (ours counts: another thread may be writing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True
