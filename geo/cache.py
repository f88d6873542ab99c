"""A small JSON file cache for online geocoding answers, safe against kills and concurrent writers."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.atomic import write_atomically

logger = logging.getLogger(__name__)

CACHE_DIR_ENV = "STORY_MAP_CACHE_DIR"
CACHE_FILE = "geocode-cache.json"


def cache_dir() -> Path:
    """The user-writable cache folder: $STORY_MAP_CACHE_DIR, else $XDG_CACHE_HOME/story-map, else ~/.cache/story-map."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "story-map"


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if missing) for the block's duration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class JsonCache:
    """A JSON object on disk mapping keys to JSON values; every put is a locked read-modify-atomic-write."""

    def __init__(self, path: Path | None = None) -> None:
        """Use `path`, or the default file in cache_dir(); nothing is created until the first put."""
        self.path = Path(path) if path is not None else cache_dir() / CACHE_FILE
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def _read(self) -> dict[str, Any]:
        """The whole mapping; a missing or unreadable file counts as empty (and says so in the log)."""
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.warning("ignoring unreadable geocode cache %s: %s", self.path, error)
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None."""
        # No lock needed to read: writers only ever swap in a complete file.
        return self._read().get(key)

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key` without losing other writers' keys."""
        with file_lock(self.lock_path):
            data = self._read()
            data[key] = value
            write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode())
            self._remove_stale_temps()

    def _remove_stale_temps(self) -> None:
        """Delete temp files left by writers killed mid-write (safe: we hold the lock, so none is live)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # geo.atomic's temp names
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()

    def __len__(self) -> int:
        """How many keys the file holds."""
        return len(self._read())
