"""Benchmark the single-file export in Chromium: key press → map centre moved, and the file's size.

Run: .venv/bin/python bench/export_step.py  (writes a fresh export of the seed story to a temp dir)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser import CHROMIUM, CHROMIUM_ARGS, block_outside  # noqa: E402
from geo.export import write_export  # noqa: E402

STEPS = 20  # forward and back through the seed story twice

# In the page: dispatch the key on the map (as if it had the focus), note when the map's centre has
# moved (Leaflet's moveend, synchronous with animate:false) and when the next frame starts.
MEASURE = """async (key) => {
    const map = window.smPlayer.map;
    const before = map.getCenter();
    let moved = null;
    map.once('moveend', () => { moved = performance.now(); });
    const start = performance.now();
    map.getContainer().dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
    const handled = performance.now();
    const frame = await new Promise(resolve => requestAnimationFrame(() => resolve(performance.now())));
    const after = map.getCenter();
    return {moved: moved === null ? null : moved - start, handled: handled - start, frame: frame - start,
            changed: before.lat !== after.lat || before.lng !== after.lng};
}"""


def main() -> None:
    """Print the median step time and the file size."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        out = write_export(REPO / "data" / "story.yaml", Path(folder) / "story.html")
        size = out.stat().st_size
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            outside = block_outside(context)
            page = context.new_page()
            page.goto(out.as_uri())
            page.wait_for_selector("#sm-app.sm-ready")
            total = page.evaluate("() => window.smPlayer.data.steps.length")
            samples = []
            for n in range(STEPS):
                forward = (n // (total - 1)) % 2 == 0
                samples.append(page.evaluate(MEASURE, "ArrowRight" if forward else "ArrowLeft"))
            browser.close()
    moved = [s["moved"] for s in samples if s["changed"] and s["moved"] is not None]
    frames = [s["frame"] for s in samples if s["changed"]]
    print(f"export size: {size:,} bytes ({size / 1024:.0f} KiB)")
    print(f"steps measured: {len(moved)} of {len(samples)} (centre changed)")
    print(f"key press -> centre moved (moveend): median {statistics.median(moved):.2f} ms, max {max(moved):.2f} ms")
    print(f"key press -> next animation frame:   median {statistics.median(frames):.2f} ms, max {max(frames):.2f} ms")
    print(f"outside requests: {len(outside)}")


if __name__ == "__main__":
    main()
