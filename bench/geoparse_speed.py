"""Benchmark: the geoparser's CPU per article (fresh processes, min and median) and the index build.

Run: .venv/bin/python bench/geoparse_speed.py [--runs 7] [--build] [--corpus ../shared/geoparse/TR-News.xml]

geoparse_eval.py's speed figure is one run on a shared machine, so it moves with the load; here
each of --runs fresh processes builds a Parser, answers the first article (as the eval's first
answer, which includes start-up), then times the CPU of answering all the others through the
batch protocol; the minimum is the figure least disturbed by other processes. --build also
builds the index cold in a temporary folder and reports the child's CPU, peak memory and file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "geoparse" / "TR-News.xml"
CHILD = """
import json, sys, time
from geo.parse import Parser
from geo.parse.batch import answer
lines = sys.stdin.read().splitlines()
parser = Parser()
answer(parser, lines[0])
start = time.process_time()
for line in lines[1:]:
    answer(parser, line)
print(time.process_time() - start)
"""
BUILD = "from geo.gazetteer import build_index, index_path; build_index(index_path())"


def requests(corpus: Path) -> list[str]:
    """The corpus's articles as batch-protocol request lines."""
    articles = ET.parse(corpus).getroot().findall("article")
    return [json.dumps({"id": str(n), "text": article.findtext("text") or ""}) for n, article in enumerate(articles)]


def main() -> None:
    """Print the CPU figures as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh parser processes (min and median reported)")
    parser.add_argument("--build", action="store_true", help="also build the index cold and measure it")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a TR-News-style XML corpus")
    args = parser.parse_args()
    lines = requests(args.corpus)
    megabytes = sum(len(json.loads(line)["text"].encode("utf-8")) for line in lines[1:]) / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "STORY_MAP_INDEX_DIR": os.environ.get("STORY_MAP_INDEX_DIR", folder)}
        if args.build:
            env["STORY_MAP_INDEX_DIR"] = folder
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", BUILD], cwd=REPO, env=env, check=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            size = sum(path.stat().st_size for path in Path(folder).glob("*.sqlite")) / 1e6
            rows += [("cold index build, CPU (wall)", f"{cpu:.1f} CPU-s ({wall:.1f} s)"),
                     ("cold index build, peak RSS", f"{after.ru_maxrss / 1024:.0f} MB"),
                     ("index file", f"{size:.0f} MB")]
        cpus = []
        for _ in range(args.runs):
            result = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env, input="\n".join(lines),
                                    capture_output=True, text=True, check=True)
            cpus.append(float(result.stdout.strip().splitlines()[-1]))
    rows += [(f"articles 2..{len(lines)} ({megabytes:.3f} MB), CPU min / median of {args.runs}",
              f"{min(cpus):.3f} / {statistics.median(cpus):.3f} CPU-s"),
             ("MB per CPU-second, best / median", f"{megabytes / min(cpus):.2f} / {megabytes / statistics.median(cpus):.2f}"),
             ("load average while measuring", " ".join(f"{x:.1f}" for x in os.getloadavg()))]
    print("| measure | value |\n| --- | --- |")
    for measure, value in rows:
        print(f"| {measure} | {value} |")


if __name__ == "__main__":
    main()
