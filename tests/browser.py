"""Shared browser-test plumbing: Debian's Chromium via Playwright, a live app, outside requests counted."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("STORY_MAP_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at start; this machine has no network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
OUTPUT = REPO / "test-output"
# axe-core, a test tool from npm (package.json's devDependencies, MPL-2.0): never shipped or served.
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
HANG = 15_000  # ms: a guard against hanging, never a speed assertion


def require_chromium() -> str:
    """The Chromium path; in CI (STORY_MAP_REQUIRE_BROWSER=1) a missing browser fails, never skips."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing: `apt-get install chromium` (the README's test command does it as root)"
    if os.environ.get("STORY_MAP_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def require_axe() -> Path:
    """axe-core's script; missing, it fails in CI and skips elsewhere, like the browser."""
    if AXE.is_file():
        return AXE
    message = f"{AXE} is missing: `npm ci` installs axe-core (package.json's devDependencies)"
    if os.environ.get("STORY_MAP_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, script: str = "app.py") -> Iterator[str]:
    """Run the app on a free loopback port; yields its base URL and stops it afterwards."""
    with streamlit_process(env, script) as (url, _):
        yield url


@contextmanager
def streamlit_process(env: dict[str, str] | None = None, script: str = "app.py") -> Iterator[tuple[str, subprocess.Popen]]:
    """Run the app on a free loopback port; yields its base URL and its process (for benchmarks)."""
    port = free_port()
    log = OUTPUT / f"streamlit-{port}.log"
    OUTPUT.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log}") from None
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class OutsideRequests(list):
    """Every request a page tried to send beyond this machine (each one aborted)."""


def block_outside(context) -> OutsideRequests:
    """Abort and record any request to a host other than loopback; file:// and data: pass."""
    outside = OutsideRequests()

    def route(route) -> None:
        """Let loopback, file: and data: through; abort and record the rest."""
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    return outside



@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- the player, in the export and in the app: read through window.smPlayer -----------------------
READY = "#sm-app.sm-ready"
POSITION = """() => { const p = window.smPlayer, c = p.map.getCenter();
    return {...p.current(), lat: c.lat, lng: c.lng, zoom: p.map.getZoom()}; }"""
# True when the map shows exactly the current step's fitted view (nothing panned it since).
FITTED = """() => { const p = window.smPlayer, m = p.map, c = m.getCenter(), z = m.getZoom();
    p.player.fit(); const a = m.latLngToContainerPoint(c), b = m.latLngToContainerPoint(m.getCenter());
    return z === m.getZoom() && a.distanceTo(b) < 2; }"""  # Leaflet rounds its pixel origin: 2 px
# Every place the current step frames lies inside the map as the reader sees it.
PLACES_INSIDE = """() => { const p = window.smPlayer.player, s = p.current(), b = p.map.getBounds();
    return s.framed.filter(id => !b.contains([p.data.places[id].lat, p.data.places[id].lon])); }"""

# Places the current step frames whose dot lies under one of the map's controls (the legend, the
# zoom buttons, the inset map, the credits): inside the map's bounds, yet hidden from the reader.
PLACES_COVERED = """() => { const p = window.smPlayer.player, s = p.current(), map = p.map, box = map.getContainer().getBoundingClientRect();
    const controls = [...map.getContainer().querySelectorAll('.leaflet-control')].map(c => c.getBoundingClientRect()).filter(r => r.width && r.height);
    return s.framed.filter(id => { const pt = map.latLngToContainerPoint([p.data.places[id].lat, p.data.places[id].lon]);
        const x = box.left + pt.x, y = box.top + pt.y;
        return controls.some(r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom); }); }"""


def wait_ready(page, timeout: int = 120_000):
    """Wait until the player has mounted and drawn its first step."""
    page.wait_for_selector(READY, timeout=timeout)
    return page


def position(page) -> dict:
    """The player's step and order, and the map's centre and zoom."""
    return page.evaluate(POSITION)


# --- shared pages and servers ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_export(tmp_path_factory) -> str:
    """The seed story's single-file export, written once per session; its file:// URL."""
    from geo.export import write_export

    return write_export(REPO / "data" / "story.yaml", tmp_path_factory.mktemp("seed-export") / "story.html").as_uri()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[str]:
    """The app on a loopback port for every browser module that needs it, with its own cache."""
    with streamlit_server({"STORY_MAP_CACHE_DIR": str(tmp_path_factory.mktemp("app-cache"))}) as url:
        yield url


@contextmanager
def browser_page(browser, width: int, height: int) -> Iterator:
    """A fresh page of this size: outside requests aborted and counted, page errors kept."""
    context = browser.new_context(viewport={"width": width, "height": height})
    outside = block_outside(context)
    page = context.new_page()
    page.outside, page.errors = outside, []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


def open_export(page, url: str):
    """Load an export (any hash) and wait for its player and its basemap."""
    page.goto(url)
    page.wait_for_selector(READY, timeout=HANG)
    settle(page)
    return page


def open_app(page, url: str):
    """Load an app page that holds the player and wait until it is drawn and Streamlit is idle."""
    page.goto(url)
    wait_ready(page)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    settle(page)
    return page


def settle(page) -> None:
    """Wait until the basemap has drawn and named the view, and a frame has been painted."""
    page.wait_for_function("() => { const o = window[window.smPlayer.data.outline]; return !o || !o.loading(); }",
                           timeout=HANG)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)))")


def step_count(page) -> int:
    """How many steps the player's order has."""
    return page.evaluate("() => window.smPlayer.player.sequence().length")


def go_to(page, index: int) -> None:
    """Step the player to `index` (0-based) as a reader would land there, and let the map settle."""
    page.evaluate(f"() => window.smPlayer.go({index})")
    settle(page)


def shoot(page, name: str) -> None:
    """A screenshot into test-output/, to look at."""
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / name))


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes ([x0, y0, x1, y1]) overlap."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                pairs.append((a["text"], b["text"]))
    return pairs


# --- axe-core ----------------------------------------------------------------------------------------
# Every rule axe runs by default (WCAG A/AA and best practices), violations of any impact, with the
# page's frames checked through axe's own frame support (each frame gets the script too).
RUN_AXE = """async (include) => {
    const result = await axe.run(include ? {include: [include]} : document,
                                 {resultTypes: ['violations'], iframes: true, frameWaitTime: 10000});
    return result.violations.map(v => ({id: v.id, impact: v.impact,
        // axe's own reason (e.g. the two colours and the ratio) says how to fix it.
        nodes: v.nodes.map(n => [].concat(...n.target).join(' ') + ' ' + n.html.slice(0, 120) + ' — ' +
                                [...n.any, ...n.all].map(check => check.message).join('; '))}));
}"""


def axe_violations(page, include: str | None = None) -> list[dict]:
    """axe-core's violations on the page and its frames (or only under the `include` selector)."""
    script = str(require_axe())
    for frame in page.frames:
        if not frame.is_detached() and not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.add_script_tag(path=script)
    return page.evaluate(RUN_AXE, include)


def violations_text(violations: list[dict]) -> str:
    """The violations, one line per element, for an assertion message."""
    return "\n".join(f"{v['id']} ({v['impact']}): {node}" for v in violations for node in v["nodes"])


# --- the printed sheets ------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without whitespace or ligatures: a PDF breaks lines where the page does and sets "ﬁ"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def print_pdf(page, kind: str, name: str | None = None, check=None) -> bytes:
    """A printed sheet ("student" or "teacher") as PDF bytes, kept in test-output/ as `name`;
    `check(page)` runs while the sheet is prepared for printing."""
    page.evaluate(f"() => StoryMap.beforePrint(window.smPlayer.player, '{kind}')")
    if check:
        check(page)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="screen")
    page.evaluate("() => StoryMap.afterPrint(window.smPlayer.player)")
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / (name or f"handout-{kind}.pdf")).write_bytes(pdf)
    return pdf


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, squashed."""
    from pypdf import PdfReader

    return [squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def printed(page, kind: str) -> list[str]:
    """The pages of a printed sheet ("student" or "teacher"), as text without spaces."""
    return pdf_pages(print_pdf(page, kind))


def pdf_to_png(pdf_path: Path) -> list[Path]:
    """Each page of a PDF as a PNG beside it (pdftoppm, from poppler-utils); [] without pdftoppm."""
    if not shutil.which("pdftoppm"):
        return []
    stem = pdf_path.with_suffix("")
    for old in pdf_path.parent.glob(stem.name + "-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf_path), str(stem)], check=True, timeout=60)
    return sorted(pdf_path.parent.glob(stem.name + "-*.png"))
