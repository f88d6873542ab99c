"""Benchmark: how long `python -m geo geocode <the 11 seed names>` takes beyond the interpreter's own start.

Run: .venv/bin/python bench/cli_startup.py [--runs 21]
Times `python -c pass` and each command as fresh processes, alternating them so machine load
hits both alike, and reports medians of wall time and of CPU time (user + system, from wait4):
on a shared machine the wall time swings with other people's load, the CPU time much less.
The GeoNames index is built once first, in a temporary
folder (STORY_MAP_INDEX_DIR), so no run pays for the build and ~/.cache is never touched.
"""

from __future__ import annotations

import argparse
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
COMMANDS = {
    "geocode (11 seed names)": ["-m", "geo", "geocode", *NAMES],
    "check (seed story)": ["-m", "geo", "check"],
}
BUILD = "from geo.gazetteer import build_index, index_path; build_index(index_path())"


def run_ms(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms, CPU ms) from starting a process to its exit, which must be 0."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *argv], cwd=REPO, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{argv} exited {child.returncode}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    """Print a Markdown table: interpreter start, then each command and its cost beyond it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "STORY_MAP_INDEX_DIR": folder, "STORY_MAP_CACHE_DIR": folder}
        run_ms(["-c", BUILD], env)
        for argv in COMMANDS.values():  # warm the page cache once
            run_ms(argv, env)
        times: dict[str, list[tuple[float, float]]] = {"python -c pass": [], **{name: [] for name in COMMANDS}}
        for _ in range(args.runs):
            times["python -c pass"].append(run_ms(["-c", "pass"], env))
            for name, argv in COMMANDS.items():
                times[name].append(run_ms(argv, env))
    medians = {name: [statistics.median(v[i] for v in values) for i in (0, 1)] for name, values in times.items()}
    base_wall, base_cpu = medians["python -c pass"]
    print(f"| command ({args.runs} runs each, interleaved) | wall median | beyond `python -c pass` "
          "| CPU median | beyond `python -c pass` | wall min |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (wall, cpu) in medians.items():
        base = name == "python -c pass"
        beyond_wall = "" if base else f"**{wall - base_wall:.0f} ms**"
        beyond_cpu = "" if base else f"{cpu - base_cpu:.0f} ms"
        low = min(v[0] for v in times[name])
        print(f"| {name} | {wall:.0f} ms | {beyond_wall} | {cpu:.0f} ms | {beyond_cpu} | {low:.0f} ms |")


if __name__ == "__main__":
    main()
