"""What one step costs the browser: Chromium's CPU per press, by process, on the seed story's export.

A step's own latency (key → map moved) is ~20 ms, but the browser keeps working after it: the
basemap's new tiles, labels, painting and compositing. That work is what 30 readers on one machine
queue behind (bench/step_latency.py's load test and its control), and what a phone's battery pays.

    .venv/bin/python bench/browser_cpu.py [--presses 18] [--fade]

Prints CPU per press of each Chromium process type (from /proc), and the page's main-thread
durations (CDP Performance.getMetrics). `--fade` turns Leaflet's tile fade-in back on (the map
has it off), to show what it costs. Presses go to the end and back, 1.5 s apart; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser import CHROMIUM, CHROMIUM_ARGS, READY, block_outside  # noqa: E402
from step_latency import proc_cpu_seconds, write_control_export  # noqa: E402 (beside this script)

PAUSE_S = 1.5
METRICS = ("ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskDuration")


def chromium_cpu() -> dict[str, float]:
    """CPU seconds so far of every Chromium process, summed by type (browser, renderer, gpu-process…)."""
    seconds: dict[str, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            # Chromium rewrites its children's command lines into one space-separated string.
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not command.split(" ", 1)[0].endswith("chromium"):
                continue
            kind = re.search(r"--type=(\S+)", command)
            kind = kind.group(1) if kind else "browser"
            seconds[kind] = seconds.get(kind, 0.0) + proc_cpu_seconds(int(pid))
        except (FileNotFoundError, ProcessLookupError):
            continue  # a process that ended while we looked
    return seconds


def main() -> None:
    """Load the export, press Next to the end and back, print what the presses cost."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=18)
    parser.add_argument("--fade", action="store_true", help="turn Leaflet's tile fade-in back on first")
    args = parser.parse_args()
    url = write_control_export()
    half = args.presses // 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        block_outside(context)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(READY, timeout=60_000)
        if args.fade:
            page.evaluate("() => { window.smPlayer.map._fadeAnimated = true; }")
        time.sleep(3)  # the first view settles
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        metrics = lambda: {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}  # noqa: E731
        cpu0, m0 = chromium_cpu(), metrics()
        for button in ["sm-next"] * half + ["sm-prev"] * (args.presses - half):
            page.evaluate(f"() => document.getElementById('{button}').click()")
            time.sleep(PAUSE_S)
        cpu1, m1 = chromium_cpu(), metrics()
        browser.close()
    print(f"Chromium CPU per press, {args.presses} presses on the export{' (tiles fade in)' if args.fade else ''}:")
    total = 0.0
    for kind in sorted(cpu1):
        ms = 1000 * (cpu1[kind] - cpu0.get(kind, 0.0)) / args.presses
        total += ms
        print(f"  {kind:16s} {ms:7.1f} ms")
    print(f"  {'all':16s} {total:7.1f} ms (an idle page costs ~3 ms of this over a {PAUSE_S} s pause)")
    print("The page's main thread per press:")
    for name in METRICS:
        print(f"  {name:20s} {1000 * (m1[name] - m0[name]) / args.presses:7.1f} ms")


if __name__ == "__main__":
    main()
