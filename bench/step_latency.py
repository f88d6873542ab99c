"""Step latency and cold load in Chromium: the Story page (the player) against two st_folium apps,
in one run, and the Story page under 30 concurrent readers.

Apps, each served by its own `streamlit run` on loopback:
- story:   the real app's Story page; the player steps in the browser and reports to Python.
- dynamic: bench/dynamic_app.py, one mounted st_folium map moved with center/zoom/feature_group_to_add
           (the strongest simple alternative);
- naive:   bench/naive_app.py, which bakes each step into a new folium map (a remount every step);
- floor:   bench/floor_app.py, a page with one heading: the cold load no Streamlit page can beat.

Step: Next clicked in the page → the Leaflet map's centre or zoom differs (requestAnimationFrame
polling), median of the steps whose view moves. A remount is a new map object (or a new iframe or
document for st_folium). Cold load: a fresh browser context (empty cache) → the map has drawn its
basemap, median of --loads. Load test: --sessions concurrent contexts on one server, each stepping
through the story forward and back (a reader's pause between steps), stopping by itself. Prints
figures; asserts nothing.

    .venv/bin/python bench/step_latency.py [--steps 18] [--loads 5] [--sessions 30] [--skip-load-test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the browser plumbing the tests use

from browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, block_outside, streamlit_process  # noqa: E402

# How each app exposes its Leaflet map, and how Next is pressed.
FIND_MAP = {
    "story": "() => window.smPlayer && window.smPlayer.map",
    "folium": f"""() => {{ const f = document.querySelector('{MAP_FRAME}');
        return f && f.contentWindow && f.contentWindow.map_div; }}""",
}
PRESS_NEXT = {
    "story": "(label) => document.getElementById(label === 'Next' ? 'sm-next' : 'sm-prev').click()",
    "folium": "(label) => [...document.querySelectorAll('button')].find(b => b.innerText.includes(label)).click()",
}
# The map is visible once its offline basemap has drawn the view (no tile still loading).
READY = """(findMap) => { const m = (new Function('return (' + findMap + ')()'))();
    if (!m || !m.eachLayer) return false; let drawn = false;
    m.eachLayer(l => { if (l.loading && l.maxZoomAt && !l.loading()) drawn = true; });
    return drawn && m.getContainer().querySelectorAll('canvas.sm-basemap-tile').length > 0; }"""
# Press Next (or Previous) and time, frame by frame, until the map's centre or zoom moves.
CLICK_AND_TIME = """async ([findMap, press, label]) => {
    const getMap = new Function('return (' + findMap + ')()');
    const map = getMap();
    const c0 = map.getCenter(), z0 = map.getZoom();
    const token = Math.random();
    map.__probe = token;
    const frame = document.querySelector('iframe'); if (frame) frame.contentWindow.__probe = token;
    const t0 = performance.now();
    (new Function('label', 'return (' + press + ')(label)'))(label);
    return await new Promise(resolve => {
        const check = () => {
            const m = getMap();
            if (m && m.getCenter) {
                const c = m.getCenter();
                const now = document.querySelector('iframe');
                const remount = m.__probe !== token || (frame && (now !== frame || now.contentWindow.__probe !== token));
                if (remount || Math.abs(c.lat - c0.lat) > 1e-6 || Math.abs(c.lng - c0.lng) > 1e-6 || m.getZoom() !== z0) {
                    resolve({ms: performance.now() - t0, remount: !!remount});
                    return;
                }
            }
            if (performance.now() - t0 > 15000) { resolve({ms: null, remount: false}); return; }
            requestAnimationFrame(check);
        };
        check();
    });
}"""


def kind(name: str) -> str:
    """Which map-finding and button-pressing scripts an app needs."""
    return "story" if name == "story" else "folium"


def moving_steps() -> list[bool]:
    """Whether each article-order step's view differs from the next one's (unmoving steps are not timed)."""
    from geo.geocoding import locate_places
    from geo.mapping import step_bounds
    from geo.story import load_story

    story = load_story(REPO / "data" / "story.yaml")
    where, _ = locate_places(story)
    seen = [step_bounds(story, s, where) for s in story.ordered("article")]
    return [a != b for a, b in zip(seen, seen[1:])]


# The floor app is ready when its heading is on the page.
FLOOR_READY = "() => !!document.querySelector('[data-testid=stMain] h1')"


def cold_loads(browser, url: str, name: str, loads: int) -> list[float]:
    """Milliseconds from navigation to the map drawn (the floor app: its heading), each in a fresh
    context (empty cache)."""
    times = []
    for attempt in range(loads + 1):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        block_outside(context)
        page = context.new_page()
        page.goto(url)
        if name == "floor":
            page.wait_for_function(FLOOR_READY, timeout=90_000, polling="raf")
        else:
            page.wait_for_function(READY, arg=FIND_MAP[kind(name)], timeout=90_000, polling="raf")
        if attempt:  # the first load warms the server (imports, caches)
            times.append(page.evaluate("() => performance.now()"))
        context.close()
    return times


def steps(browser, url: str, name: str, count: int, moving: list[bool]) -> dict:
    """Step times and remounts for `count` Next/Previous presses, forward and back."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = block_outside(context)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(READY, arg=FIND_MAP[kind(name)], timeout=90_000, polling="raf")
    times, remounts, index = [], 0, 0
    for n in range(count):
        forward = (n // (len(moving))) % 2 == 0
        label, target = ("Next", index + 1) if forward else ("Previous", index - 1)
        page.wait_for_function(READY, arg=FIND_MAP[kind(name)], timeout=90_000, polling="raf")
        page.wait_for_timeout(400)  # a reader's pause: the previous step's rerun settles
        result = page.evaluate(CLICK_AND_TIME, [FIND_MAP[kind(name)], PRESS_NEXT[kind(name)], label])
        remounts += result["remount"]
        if moving[min(index, target)] and result["ms"] is not None:
            times.append(result["ms"])
        index = target
    context.close()
    return {"times": times, "remounts": remounts, "outside": len(outside)}


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def reader(browser, url: str, moving: list[bool], pause_ms: int, loaded: asyncio.Barrier | None = None) -> dict:
    """One reader: load the Story page, wait for the others (if any), step to the end and back.

    A step whose view does not move has no map change to time: it counts only if it remounts."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    outside = await block_outside_async(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    times: list[float] = []
    presses = 0
    try:
        await page.goto(url, timeout=300_000)
        await page.wait_for_function(READY, arg=FIND_MAP["story"], timeout=300_000, polling=100)
    except Exception as error:  # noqa: BLE001 - a benchmark counts every failure as an error
        errors.append(repr(error)[:200])
    if loaded is not None:
        await loaded.wait()  # the class has the page open; now everyone steps at once
    try:
        if errors:
            raise RuntimeError("not loaded")
        index = 0
        for n in range(2 * len(moving)):
            forward = n < len(moving)
            label, target = ("Next", index + 1) if forward else ("Previous", index - 1)
            await page.wait_for_timeout(pause_ms)
            result = await page.evaluate(CLICK_AND_TIME, [FIND_MAP["story"], PRESS_NEXT["story"], label])
            presses += 1
            if result["remount"] or (moving[min(index, target)] and result["ms"] is None):
                errors.append(f"step {n}: {result}")
            elif result["ms"] is not None:
                times.append(result["ms"])
            index = target
        if url.startswith("http"):  # the address follows the last step: the server kept up with every report
            await page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '1'",
                                         timeout=60_000)
    except Exception as error:  # noqa: BLE001 - a benchmark counts every failure as an error
        errors.append(repr(error)[:200])
    await context.close()
    return {"times": times, "errors": errors, "outside": len(outside), "presses": presses}


async def load_test(url: str, pid: int, sessions: int, moving: list[bool], pause_ms: int) -> dict:
    """One lone reader, then `sessions` readers at once, on one server: latency, errors, server cost."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # CPU from the lone reader's first press on: its page load (and the first bundle build) apart.
        lone_loaded = asyncio.Barrier(2)
        lone_task = asyncio.ensure_future(reader(browser, url, moving, pause_ms, lone_loaded))
        await lone_loaded.wait()
        cpu0 = proc_cpu_seconds(pid)
        lone = await lone_task
        lone_cpu = proc_cpu_seconds(pid) - cpu0
        loaded = asyncio.Barrier(sessions + 1)
        crowd_task = asyncio.gather(*(reader(browser, url, moving, pause_ms, loaded) for _ in range(sessions)))
        await loaded.wait()  # every reader has loaded the page: measure the stepping alone
        cpu0, t0 = proc_cpu_seconds(pid), time.monotonic()
        crowd = await crowd_task
        cpu, wall = proc_cpu_seconds(pid) - cpu0, time.monotonic() - t0
        # The control: the same crowd on the exported file, which has no server at all. Stepping
        # never waits for the server, so what slows the crowd here is 30 browsers on this machine.
        control_url = write_control_export()
        control = await asyncio.gather(*(reader(browser, control_url, moving, pause_ms) for _ in range(sessions)))
        await browser.close()
    control_times = [t for r in control for t in r["times"]]
    times = [t for r in crowd for t in r["times"]]
    errors = [e for r in crowd for e in r["errors"]]
    return {
        "lone_p95": percentile(lone["times"], 95),
        "lone_median": statistics.median(lone["times"]),
        "crowd_p95": percentile(times, 95),
        "crowd_median": statistics.median(times) if times else float("nan"),
        "steps": len(times),
        "errors": errors,
        "outside": sum(r["outside"] for r in crowd),
        "server_cpu_s": cpu,
        "presses": sum(r["presses"] for r in crowd),
        # Every press costs the server one report (moving or not), so CPU is shared over all of them.
        "server_cpu_ms_per_step": 1000 * cpu / max(1, sum(r["presses"] for r in crowd)),
        "wall_s": wall,
        "peak_rss_mb": proc_peak_rss_mb(pid),
        "lone_cpu_ms_per_step": 1000 * lone_cpu / max(1, lone["presses"]),
        "control_p95": percentile(control_times, 95),
        "control_errors": sum(len(r["errors"]) for r in control),
    }


def write_control_export() -> str:
    """The seed story's export in a temporary folder; its file:// URL."""
    from geo.export import write_export

    return write_export(REPO / "data" / "story.yaml", Path(tempfile.mkdtemp(prefix="story-map-bench-")) / "story.html").as_uri()


async def block_outside_async(context) -> list[str]:
    """tests/browser.block_outside for Playwright's async API: abort and count non-loopback requests."""
    from urllib.parse import urlparse

    from browser import LOCAL_HOSTS

    outside: list[str] = []

    async def route(route) -> None:
        """Let loopback, file: and data: through; abort and record the rest."""
        parsed = urlparse(route.request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            outside.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", route)
    return outside


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))] if ordered else float("nan")


def main() -> None:
    """Measure the three apps, then the load test, and print the figures and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=18, help="Next/Previous presses per app (default 18)")
    parser.add_argument("--loads", type=int, default=5, help="cold loads timed per app (default 5)")
    parser.add_argument("--sessions", type=int, default=30, help="concurrent readers in the load test (default 30)")
    parser.add_argument("--pause", type=int, default=2000, help="ms a reader pauses between steps (default 2000)")
    parser.add_argument("--skip-load-test", action="store_true")
    parser.add_argument("--only-load-test", action="store_true", help="skip the three apps' steps and loads")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    moving = moving_steps()
    env = {"STORY_MAP_CACHE_DIR": tempfile.mkdtemp(prefix="story-map-bench-")}
    # Streamlit serves static/ beside the main script; the bench apps share the real one.
    link = REPO / "bench" / "static"
    if not link.exists():
        link.symlink_to(REPO / "static", target_is_directory=True)
    if not args.only_load_test:
        apps = {"story": "app.py", "dynamic": "bench/dynamic_app.py", "naive": "bench/naive_app.py"}
        results = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, script in apps.items():
                with streamlit_process(env, script=script) as (url, _):
                    loads = cold_loads(browser, url + "/", name, args.loads)
                    results[name] = {**steps(browser, url + "/", name, args.steps, moving), "loads": loads}
            with streamlit_process(env, script="bench/floor_app.py") as (url, _):
                floor = cold_loads(browser, url + "/", "floor", args.loads)
            browser.close()
        for name, r in results.items():
            print(
                f"{name:8} step median {statistics.median(r['times']):7.1f} ms over {len(r['times']):2d} steps "
                f"| remounts {r['remounts']:2d} | cold load median {statistics.median(r['loads']):6.0f} ms "
                f"| outside requests {r['outside']}"
            )
        story, dynamic = results["story"], results["dynamic"]
        print(f"story/dynamic step time: {statistics.median(story['times']) / statistics.median(dynamic['times']):.3f} (goal <= 0.5)")
        print(f"story/dynamic cold load: {statistics.median(story['loads']) / statistics.median(dynamic['loads']):.2f} (goal <= 0.7)")
        print(f"naive/story step time:   {statistics.median(results['naive']['times']) / statistics.median(story['times']):.1f}x")
        # What a Streamlit page costs before any map: the part of a cold load no app can remove.
        print(f"floor (a bare Streamlit page) cold load median {statistics.median(floor):6.0f} ms = "
              f"{statistics.median(floor) / statistics.median(dynamic['loads']):.2f} of dynamic's; "
              f"above the floor: story {statistics.median(story['loads']) - statistics.median(floor):.0f} ms, "
              f"dynamic {statistics.median(dynamic['loads']) - statistics.median(floor):.0f} ms")

    if not args.skip_load_test:
        total = len(moving) + 1
        with streamlit_process(env) as (url, process):
            figures = asyncio.run(load_test(url + "/?step=1", process.pid, args.sessions, moving, args.pause))
        print(
            f"load test: {args.sessions} readers x {2 * (total - 1)} steps on one server: "
            f"{figures['presses']} presses ({figures['steps']} timed), {len(figures['errors'])} errors, {figures['outside']} outside requests"
        )
        print(f"  lone reader: step median {figures['lone_median']:.1f} ms, p95 {figures['lone_p95']:.1f} ms")
        print(
            f"  {args.sessions} readers: step median {figures['crowd_median']:.1f} ms, p95 {figures['crowd_p95']:.1f} ms "
            f"(p95 ratio {figures['crowd_p95'] / figures['lone_p95']:.2f}, goal <= 2)"
        )
        print(
            f"  control, {args.sessions} readers of the exported file (no server): step p95 {figures['control_p95']:.1f} ms "
            f"({figures['control_errors']} errors): the crowd's slowdown is the browsers' share of this machine"
        )
        print(f"  server CPU per press, lone reader: {figures['lone_cpu_ms_per_step']:.1f} ms")
        print(
            f"  server: CPU {figures['server_cpu_s']:.1f} s over {figures['wall_s']:.0f} s "
            f"({figures['server_cpu_ms_per_step']:.1f} ms per press), peak RSS {figures['peak_rss_mb']:.0f} MB"
        )
        for error in figures["errors"][:5]:
            print("  error:", error)


if __name__ == "__main__":
    main()
