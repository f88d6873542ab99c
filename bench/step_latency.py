"""Step latency in Chromium: Next click → the Leaflet map's centre moves, remounts, and load time.

Runs the real app and bench/naive_app.py (which rebuilds the map on every step) in the same run,
so the ratio between them holds whatever the machine's speed. Prints figures; asserts nothing.

    .venv/bin/python bench/step_latency.py [--steps 18] [--loads 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the browser plumbing the tests use

from browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, block_outside, streamlit_server  # noqa: E402

# Click Next from inside the page and time, frame by frame, until the map's centre or zoom moves.
# A replaced iframe, or a new document in it, is a remount: the map was rebuilt, not updated.
CLICK_AND_TIME = """async ([frameSelector, label]) => {
    const before = document.querySelector(frameSelector);
    const win = before.contentWindow, map = win.map_div;
    const c0 = map.getCenter(), z0 = map.getZoom();
    const token = Math.random();
    win.__probe = token;  // gone if the iframe's document is replaced, even in the same element
    const button = [...document.querySelectorAll('button')].find(b => b.innerText.includes(label));
    const t0 = performance.now();
    button.click();
    return await new Promise(resolve => {
        const check = () => {
            const now = document.querySelector(frameSelector);
            const m = now && now.contentWindow && now.contentWindow.map_div;
            if (m && m.getCenter) {
                const c = m.getCenter();
                const remount = now !== before || now.contentWindow.__probe !== token;
                if (remount || Math.abs(c.lat - c0.lat) > 1e-6 || Math.abs(c.lng - c0.lng) > 1e-6 || m.getZoom() !== z0) {
                    resolve({ms: performance.now() - t0, remount: remount});
                    return;
                }
            }
            if (performance.now() - t0 > 15000) { resolve({ms: null, remount: false}); return; }
            requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
    });
}"""
MAP_READY = f"""() => {{
    const f = document.querySelector('{MAP_FRAME}');
    const m = f && f.contentWindow && f.contentWindow.map_div;
    return !!(m && m.getCenter && f.contentDocument.querySelectorAll('.leaflet-overlay-pane path').length > 100);
}}"""


def views(story_steps, story, where) -> list:
    """The view of each step in article order, to skip transitions that do not move the map."""
    from geo.mapping import step_view

    return [step_view(story, s, where) for s in story_steps]


def measure(browser, url: str, steps: int, loads: int, moving: list[bool]) -> dict:
    """Load time, step times and remounts for one app."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside = block_outside(context)
    page = context.new_page()
    load_ms = []
    for attempt in range(loads + 1):
        page.goto(url)
        page.wait_for_function(MAP_READY, timeout=60_000, polling="raf")
        if attempt:  # the first load warms the server (imports, caches); readers rarely see it
            load_ms.append(page.evaluate("() => performance.now()"))
    step_ms, remounts, index = [], 0, 0
    for n in range(steps):
        forward = (n // (len(moving) - 1)) % 2 == 0
        label, target = ("Next", index + 1) if forward else ("Previous", index - 1)
        changes = moving[min(index, target)]
        page.wait_for_function(MAP_READY, timeout=60_000, polling="raf")
        page.wait_for_timeout(300)  # let the previous rerun settle, as a reader's pause would
        result = page.evaluate(CLICK_AND_TIME, [MAP_FRAME, label])
        index = target
        if result["remount"]:
            remounts += 1
        if changes and result["ms"] is not None:
            step_ms.append(result["ms"])
    context.close()
    return {
        "load_ms": statistics.median(load_ms),
        "step_ms": statistics.median(step_ms),
        "samples": len(step_ms),
        "remounts": remounts,
        "outside": len(outside),
    }


def main() -> None:
    """Measure both apps and print the figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=18, help="Next/Previous clicks per app (default 18)")
    parser.add_argument("--loads", type=int, default=5, help="page loads timed per app (default 5)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from geo.geocoding import locate_places
    from geo.story import load_story

    story = load_story(REPO / "data" / "story.yaml")
    where, _ = locate_places(story)
    seen = views(story.ordered("article"), story, where)
    moving = [a != b for a, b in zip(seen, seen[1:])]
    env = {"STORY_MAP_CACHE_DIR": tempfile.mkdtemp(prefix="story-map-bench-")}
    # Streamlit serves static/ beside the main script; the naive app shares the real one.
    link = REPO / "bench" / "static"
    if not link.exists():
        link.symlink_to(REPO / "static", target_is_directory=True)
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with streamlit_server(env) as url:
            results["app"] = measure(browser, url + "/", args.steps, args.loads, moving)
        with streamlit_server(env, script="bench/naive_app.py") as url:
            results["naive"] = measure(browser, url + "/", args.steps, args.loads, moving)
        browser.close()
    for name, r in results.items():
        print(
            f"{name:6} step median {r['step_ms']:6.1f} ms over {r['samples']} steps | remounts {r['remounts']:2d} "
            f"| load median {r['load_ms']:6.0f} ms | outside requests {r['outside']}"
        )
    print(f"ratio naive/app step time: {results['naive']['step_ms'] / results['app']['step_ms']:.1f}x")


if __name__ == "__main__":
    main()
