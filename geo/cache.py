"""A small JSON file cache for online geocoding answers: entries expire, and the file survives kills and concurrent writers."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.atomic import write_atomically

logger = logging.getLogger(__name__)

CACHE_DIR_ENV = "STORY_MAP_CACHE_DIR"
CACHE_FILE = "geocode-cache.json"
# Places rarely move, but providers fix mistakes and a wrong answer must not live for ever.
MAX_AGE = 30 * 24 * 3600  # seconds


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
    """A JSON object on disk mapping keys to {"stored": epoch seconds, "value": JSON value}.

    Every put is a locked read-modify-atomic-write that also drops expired entries.
    """

    def __init__(self, path: Path | None = None, *, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = time.time) -> None:
        """Use `path`, or the default file in cache_dir(); nothing is created until the first put."""
        self.path = Path(path) if path is not None else cache_dir() / CACHE_FILE
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.max_age, self._clock = max_age, clock

    def _fresh(self, entry: Any) -> bool:
        """Whether an entry is well formed and younger than max_age (entries from the future are not)."""
        stored = entry.get("stored") if isinstance(entry, dict) else None
        age = self._clock() - stored if isinstance(stored, (int, float)) else -1
        return 0 <= age <= self.max_age and "value" in entry

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
        """The value stored under `key`, or None if there is none or it has expired."""
        # No lock needed to read: writers only ever swap in a complete file.
        entry = self._read().get(key)
        return entry["value"] if self._fresh(entry) else None

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key` without losing other writers' keys; expired entries are dropped."""
        with file_lock(self.lock_path):
            data = {k: entry for k, entry in self._read().items() if self._fresh(entry)}
            data[key] = {"stored": self._clock(), "value": value}
            # write_atomically also removes the temp files of writers killed mid-write.
            write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode())

    def __len__(self) -> int:
        """How many unexpired keys the file holds."""
        return sum(1 for entry in self._read().values() if self._fresh(entry))
