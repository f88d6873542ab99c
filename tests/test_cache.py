"""The geocode answer cache: round trips, and a readable file after kills and concurrent writers."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from geo.cache import CACHE_FILE, JsonCache, cache_dir

REPO = Path(__file__).resolve().parent.parent
# A child that writes `count` keys named <prefix><n>, each with a `size`-character value.
WRITER = """
import sys
from geo.cache import JsonCache
path, prefix, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cache = JsonCache(path)
for n in range(count):
    cache.put(f"{prefix}{n}", {"blob": "x" * size, "n": n})
"""


def writer(path: Path, prefix: str, count: int, size: int) -> subprocess.Popen[bytes]:
    """Start a writer process."""
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), prefix, str(count), str(size)], cwd=REPO)


def test_round_trip_and_persistence(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path / "c.json")
    assert cache.get("nominatim|tijuana|") is None
    cache.put("nominatim|tijuana|", {"lat": 32.5, "lon": -117.0})
    assert JsonCache(tmp_path / "c.json").get("nominatim|tijuana|") == {"lat": 32.5, "lon": -117.0}
    assert len(cache) == 1


def test_default_file_follows_the_env_var(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    assert JsonCache().path == tmp_path / CACHE_FILE


def test_a_corrupt_file_reads_as_empty_and_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json")
    cache = JsonCache(path)
    assert cache.get("a") is None
    cache.put("a", 1)
    assert JsonCache(path).get("a") == 1 and set(json.loads(path.read_text())) == {"a"}


def test_a_writer_killed_mid_write_leaves_a_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    for delay in (0.15, 0.3, 0.45, 0.6):
        # Big values make each write take a while, so the kill lands inside one more often than not.
        child = writer(path, f"k{delay}-", 10_000, 200_000)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if path.exists():
            assert isinstance(json.loads(path.read_bytes()), dict)
    JsonCache(path).put("after", True)  # the next writer also clears the killed writers' temp files
    assert JsonCache(path).get("after") is True
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_two_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    children = [writer(path, "a", 60, 100), writer(path, "b", 60, 100)]
    assert [child.wait(timeout=60) for child in children] == [0, 0]
    data = json.loads(path.read_bytes())
    assert set(data) == {f"{prefix}{n}" for prefix in "ab" for n in range(60)}


def test_entries_expire_and_expired_ones_are_dropped_on_the_next_put(tmp_path: Path) -> None:
    now = [1_000_000.0]
    cache = JsonCache(tmp_path / "c.json", max_age=60, clock=lambda: now[0])
    cache.put("old", {"lat": -33.87})
    now[0] += 59
    assert cache.get("old") == {"lat": -33.87}
    now[0] += 2  # 61 s old: past max_age
    assert cache.get("old") is None and len(cache) == 0
    cache.put("new", 1)
    assert set(json.loads((tmp_path / "c.json").read_text())) == {"new"}


def test_entries_without_a_time_count_as_expired(tmp_path: Path) -> None:
    """An old-format cache (plain values, no expiry) is never trusted, so a wrong answer cannot live for ever."""
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"nominatim|tijuana|": {"lat": -33.87, "lon": 151.21}}))
    assert JsonCache(path).get("nominatim|tijuana|") is None
