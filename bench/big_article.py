"""Benchmark: `python -m geo export` of the seed story with its article grown to just under 200 kB.

Run: .venv/bin/python bench/big_article.py [--runs 3]
Two articles, both the seed article followed by copies of itself up to 199,000 bytes (the limit
is 200,000): one keeps the paragraphs (short lines), one puts the copies on a single line, the
worst case for per-line work. Each export is a fresh process; the median wall time is reported,
with the seed story's own export for comparison.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIMIT = 199_000


def grown(article: str, one_line: bool) -> str:
    """The article followed by copies of itself, under LIMIT bytes."""
    copy = (article.replace("\n", " ") + " ") if one_line else article + "\n"
    text = article + "\n"
    while len((text + copy).encode("utf-8")) < LIMIT:
        text += copy
    return text


def export_ms(story: Path, out: Path, env: dict[str, str]) -> float:
    """Wall ms of one export in a fresh process (which must succeed)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", "export", str(story), "-o", str(out)], cwd=REPO, env=env,
                   capture_output=True, check=True)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Print a Markdown table of export times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    article = (REPO / "data" / "article.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        env = {**os.environ, "STORY_MAP_INDEX_DIR": folder, "STORY_MAP_CACHE_DIR": folder}
        cases = {"seed article (3.7 kB)": article}
        cases.update({f"{'one line' if one else 'paragraphs'}, {{size}}": grown(article, one) for one in (False, True)})
        print(f"| article ({args.runs} runs, median) | export wall time |")
        print("| --- | --- |")
        for name, text in cases.items():
            case = root / str(len(name))
            case.mkdir()
            shutil.copy(REPO / "data" / "story.yaml", case / "story.yaml")
            (case / "article.txt").write_text(text, encoding="utf-8")
            export_ms(case / "story.yaml", case / "out.html", env)  # warm-up (and the index build)
            times = [export_ms(case / "story.yaml", case / "out.html", env) for _ in range(args.runs)]
            label = name.format(size=f"{len(text.encode('utf-8')):,} bytes")
            print(f"| {label} | {statistics.median(times):,.0f} ms |")


if __name__ == "__main__":
    main()
