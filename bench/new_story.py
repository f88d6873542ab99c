"""Benchmark: what the New story page costs, from a short article to the largest one it accepts.

Run: .venv/bin/python bench/new_story.py [--runs 3]
Articles: the seed article (3.6 kB), and real news from ../shared/geoparse/TR-News.xml joined to
about 50 kB and to just under the 200 kB limit. For each: reading the pasted text (and the same
text as an HTML page with scripts), drafting (geo.confirm.Workbench.start: parse, draft, readings,
pins), what every rerun of the page redoes (positions, the confirm map's base and layer), and the
check before a save (geo.stories.check_story). Uses a temporary index folder, never ~/.cache.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a worktree sits one folder deeper).
TR_NEWS = next((up / "shared" / "geoparse" / "TR-News.xml" for up in REPO.parents
                if (up / "shared" / "geoparse" / "TR-News.xml").exists()), REPO.parent / "shared")
sys.path.insert(0, str(REPO))
os.environ.setdefault("STORY_MAP_INDEX_DIR", tempfile.mkdtemp(prefix="bench-index-"))


def news(limit: int) -> str:
    """TR-News articles joined, one paragraph a line, up to `limit` UTF-8 bytes."""
    texts = re.findall(r"<text><!\[CDATA\[(.*?)\]\]></text>", TR_NEWS.read_text(encoding="utf-8"), re.S)
    out, size = [], 0
    for text in texts:
        for line in (line.strip() for line in text.splitlines()):
            grown = size + len(line.encode("utf-8")) + 1
            if not line or grown > limit:
                continue
            out.append(line)
            size = grown
    return "\n".join(out)


def timed(runs: int, call) -> tuple[float, object]:
    """Median milliseconds over `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    """Print one Markdown table row per article."""
    parser_args = argparse.ArgumentParser(description=__doc__)
    parser_args.add_argument("--runs", type=int, default=3)
    runs = parser_args.parse_args().runs

    from geo.article_input import MAX_BYTES, from_paste, from_upload
    from geo.confirm import Workbench
    from geo.gazetteer import Gazetteer
    from geo.mapping import choices_layer, outline_map, view_of
    from geo.parse import Parser
    from geo.stories import check_story

    Gazetteer().geocode("Tijuana")  # builds the index once, outside the figures
    start = time.perf_counter()
    parser = Parser()
    print(f"Parser() (once per process): {(time.perf_counter() - start) * 1000:.0f} ms\n")
    articles = {"seed article": (REPO / "data" / "article.txt").read_text(encoding="utf-8"),
                "TR-News, ~50 kB": news(50_000), "TR-News, limit": news(MAX_BYTES - 5_000)}
    print("| article | size | paste read | HTML page read | draft | places / steps | per rerun: positions "
          "| per rerun: confirm map | check before save (problems) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    root = Path(tempfile.mkdtemp(prefix="bench-stories-"))
    for name, text in articles.items():
        page = ("<html><head><script>var x = 1;</script><style>p {}</style></head><body><article>"
                + "".join(f"<p>{escape(line)}</p>" for line in text.splitlines()) + "</article></body></html>")
        read_ms, _ = timed(runs, lambda: from_paste(text))
        html_ms, _ = timed(runs, lambda: from_upload("page.html", page.encode("utf-8")[:MAX_BYTES]))
        draft_ms, bench = timed(runs, lambda: Workbench.start(text, parser, date.today()))
        where_ms, (where, _) = timed(runs, bench.positions)
        view = view_of(bench.story.places, where, specific=False)
        first = bench.story.places[0].id

        def confirm_map():
            return outline_map(view), choices_layer(bench.story, where, first, bench.choices.get(first, []), 0)

        map_ms, _ = timed(runs, confirm_map)
        check_ms, problems = timed(runs, lambda: check_story(bench.story, text, bench.pins.values(), root=root))
        print(f"| {name} | {len(text.encode('utf-8')) / 1000:.1f} kB | {read_ms:.1f} ms | {html_ms:.1f} ms "
              f"| {draft_ms:.0f} ms | {len(bench.story.places)} / {len(bench.story.steps)} | {where_ms:.0f} ms "
              f"| {map_ms:.0f} ms | {check_ms:.0f} ms ({len(problems)}) |")
    page_reruns(articles, runs)


def page_reruns(articles: dict[str, str], runs: int) -> None:
    """The New story page's script through AppTest: pressing Draft, then a rerun (another place chosen)."""
    from streamlit.testing.v1 import AppTest

    os.environ["STORY_MAP_STORIES"] = tempfile.mkdtemp(prefix="bench-stories-")
    print("\n| article | Draft pressed → page drawn (server side) | a rerun: another place chosen |")
    print("| --- | --- | --- |")
    for name, text in articles.items():
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300).run()
        at.switch_page("pages/new_story.py").run()
        at.text_area(key="new_text").set_value(text).run()
        start = time.perf_counter()
        next(b for b in at.button if b.label == "Draft the story").click().run()
        drafted_ms = (time.perf_counter() - start) * 1000
        places = at.selectbox(key="place-1").options
        times = []
        for index in range(runs):
            start = time.perf_counter()
            at.selectbox(key="place-1").select_index((index + 1) % len(places)).run()
            times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
        print(f"| {name} | {drafted_ms:.0f} ms | {statistics.median(times):.0f} ms |")


if __name__ == "__main__":
    main()
