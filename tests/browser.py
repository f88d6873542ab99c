"""Shared browser-test plumbing: Debian's Chromium via Playwright, a live app, outside requests counted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
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


def require_chromium() -> str:
    """The Chromium path; in CI (STORY_MAP_REQUIRE_BROWSER=1) a missing browser fails, never skips."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing: `apt-get install chromium` (the README's test command does it as root)"
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


def wait_ready(page, timeout: int = 120_000):
    """Wait until the player has mounted and drawn its first step."""
    page.wait_for_selector(READY, timeout=timeout)
    return page


def position(page) -> dict:
    """The player's step and order, and the map's centre and zoom."""
    return page.evaluate(POSITION)
