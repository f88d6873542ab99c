"""Benchmark the basemap: build time and memory, the store's size per band, and what an export's bytes buy.

Run: .venv/bin/python bench/basemap_build.py  (builds a fresh store in a temp dir; needs `npm ci` done)
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from geo import basemap, basemap_build  # noqa: E402
from geo.assets import vendor_path  # noqa: E402
from geo.export import export_html, offline_positions  # noqa: E402
from geo.article import load_article  # noqa: E402
from geo.mapping import step_view, view_of  # noqa: E402
from geo.story import load_story  # noqa: E402


def folder_bytes(folder: Path) -> int:
    """Total size of the files under a folder."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    """Print the build's figures, then the seed export's size by part."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "basemap"
        for band in basemap.BANDS:
            started = time.perf_counter()
            index = basemap_build.build(REPO / "node_modules", out / band.name, bands=(band,))
            seconds = time.perf_counter() - started
            tiles = index["bands"][0]["tiles"]
            print(f"band {band.name:>5}: {seconds:5.1f} s, {len(tiles):5d} tiles, "
                  f"{folder_bytes(out / band.name) / 1e6:6.1f} MB on disk")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    path = REPO / "data" / "story.yaml"
    story = load_story(path)
    article, where = load_article(path, story), offline_positions(story)
    views = [step_view(story, step, where) for step in story.steps] + [view_of(story.places, where, specific=False)]
    data = basemap.inline_data([(v.center, v.zoom) for v in views])
    html = export_html(story, article, where)
    total = len(html.encode("utf-8"))
    by_band: dict[str, list[int]] = {}
    for name, tile in data["tiles"].items():
        by_band.setdefault(name.split("/")[0], []).append(len(basemap.script_json(tile).encode("utf-8")))
    script = vendor_path("story-map/basemap.js").stat().st_size
    index = len(basemap.script_json(data["index"]).encode("utf-8"))
    print(f"seed export: {total:,} bytes")
    for band in basemap.BANDS:
        sizes = by_band.get(band.name, [])
        towns = sum(len(basemap.script_json(t.get("t", [])).encode("utf-8")) for n, t in data["tiles"].items()
                    if n.startswith(band.name + "/"))
        print(f"  basemap band {band.name:>5}: {len(sizes):3d} tiles, {sum(sizes):8,} bytes (towns {towns:,})")
    print(f"  basemap index (country names, tile lists): {index:,} bytes; basemap.js: {script:,} bytes")
    basemap_total = sum(map(sum, by_band.values())) + index + script
    print(f"  basemap in all: {basemap_total:,} bytes; the rest (Leaflet, plugins, story, player): {total - basemap_total:,}")
    print(json.dumps({"views": [[list(v.center), v.zoom] for v in views]}))


if __name__ == "__main__":
    main()
