"""Benchmark: a fresh process geocoding the article's 11 places offline, and the cold index build.

Run: .venv/bin/python bench/geocode_offline.py [--runs 9]
Uses a temporary index folder (STORY_MAP_INDEX_DIR), so it never touches ~/.cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAMES = ["Tijuana", "Mexicali", "San Ysidro", "San Diego", "El Chaparral", "Honduras",
         "Guatemala", "El Salvador", "Central America", "US", "Mexico"]
BUILD = "from geo.gazetteer import build_index, index_path; build_index(index_path())"
# The child counts every socket connection attempt before importing anything of ours.
CHILD = """
import json, socket, sys, time
start = time.perf_counter()
attempts = []
real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
socket.socket.connect = lambda self, address: (attempts.append(address), real_connect(self, address))[1]
socket.socket.connect_ex = lambda self, address: (attempts.append(address), real_connect_ex(self, address))[1]
from geo.gazetteer import Gazetteer
imported = time.perf_counter()
geocoder = Gazetteer(country_codes=["MX", "US", "HN", "GT", "SV"])
found = {name: geocoder.geocode(name) for name in json.loads(sys.argv[1])}
done = time.perf_counter()
assert all(found.values()), [name for name, location in found.items() if location is None]
print(json.dumps({"connects": len(attempts), "import_ms": (imported - start) * 1000,
                  "geocode_ms": (done - imported) * 1000}))
"""


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall-clock ms from starting a process to its exit, and its stdout."""
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return (time.perf_counter() - started) * 1000, result.stdout


def main() -> None:
    """Build the index cold once, then time fresh processes with it warm; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="warm runs (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "STORY_MAP_INDEX_DIR": folder, "STORY_MAP_CACHE_DIR": folder}
        build_ms, _ = timed([sys.executable, "-c", BUILD], env)
        size_mb = sum(path.stat().st_size for path in Path(folder).glob("*.sqlite")) / 1e6
        walls, inner = [], []
        for _ in range(args.runs):
            wall, out = timed([sys.executable, "-c", CHILD, json.dumps(NAMES)], env)
            walls.append(wall)
            inner.append(json.loads(out))
    connects = sum(run["connects"] for run in inner)
    print("| measure | value |\n| --- | --- |")
    print(f"| fresh process → 11 places geocoded (median of {args.runs}) | {statistics.median(walls):.0f} ms"
          f" (min {min(walls):.0f}, max {max(walls):.0f}) |")
    import_ms = statistics.median(run["import_ms"] for run in inner)
    geocode_ms = statistics.median(run["geocode_ms"] for run in inner)
    print(f"| of which importing geo.gazetteer (geopy) | {import_ms:.0f} ms |")
    print(f"| of which Gazetteer() + index open + 11 lookups | {geocode_ms:.1f} ms |")
    print(f"| network connection attempts (all runs) | {connects} |")
    print(f"| cold index build (once, fresh process) | {build_ms / 1000:.1f} s, {size_mb:.0f} MB |")
    if connects:
        sys.exit("network connections were attempted")


if __name__ == "__main__":
    main()
