"""Reading a file a user names: regular files only, bounded in size, never blocking, kept in its folder.

A story names its article, and a reader or teacher names the story: either can be a FIFO (which
blocks an open or a read forever), a device (/dev/zero never ends), a huge file, or a path out of
the story's folder (../../etc/passwd). Each is refused with a message saying which and why.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(OSError):
    """A file refused for its kind, size or place; the message says which (an OSError, as unreadable is)."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def refuse_unless_regular(path: Path, mode: int) -> None:
    """FileRefused unless `mode` is a regular file's."""
    kind = _kind(mode)
    if kind is not None:
        raise FileRefused(f"{path} is {kind}, not a regular file")


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileRefused or OSError otherwise."""
    # stat first, so a device is never opened (opening some has side effects); then open without
    # blocking (a FIFO swapped in meanwhile would block a plain open) and check the handle again.
    refuse_unless_regular(path, os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        refuse_unless_regular(path, info.st_mode)
        if info.st_size > limit:
            raise FileRefused(f"{path} is {info.st_size:,} bytes; the limit is {limit:,}")
        data = handle.read(limit + 1)  # a file growing while we read stops at the limit too
    if len(data) > limit:
        raise FileRefused(f"{path} is over the limit of {limit:,} bytes")
    return data


def inside(folder: Path, reference: str, what: str) -> Path:
    """`reference` resolved inside `folder`; FileRefused if it is absolute or leads out (.., symlinks)."""
    shown = repr(reference if len(reference) <= 80 else reference[:79] + "…")
    if not reference or os.path.isabs(reference) or reference.startswith("~"):
        raise FileRefused(f"the {what} {shown} must be a relative path inside {folder}")
    if "\0" in reference:
        raise FileRefused(f"the {what} {shown} contains a NUL character")
    root = folder.resolve()
    target = (root / reference).resolve()  # follows symlinks: one pointing out is caught here
    if not target.is_relative_to(root):
        raise FileRefused(f"the {what} {shown} leads out of the story's folder {folder}")
    return target
