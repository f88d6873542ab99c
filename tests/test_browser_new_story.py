"""The New story page in Debian's Chromium: paste, draft, pick a point on the map, confirm, save, and the
saved story steps in the player on the Story page; nothing leaves the machine. Screenshots of every
stage at a laptop's and a phone's size go to test-output/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from browser import MAP_FRAME, OUTPUT, block_outside, streamlit_server, wait_ready

pytestmark = pytest.mark.browser
ARTICLE = """Storms hit Tijuana on Sunday, forcing dozens of families from their homes.
On Monday, about 300 residents fled to Mexicali, 180km to the east.
Rescue teams from Springfield had arrived earlier this week, officials said."""
SIZES = {"laptop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a loopback port, saving into a stories folder of its own."""
    env = {"STORY_MAP_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
           "STORY_MAP_STORIES": str(tmp_path_factory.mktemp("stories"))}
    with streamlit_server(env) as url:
        yield url


def shoot(page, size: str, stage: str, heading: str | None = None) -> None:
    """A screenshot of what the reader sees, the section's heading at the top."""
    if heading:
        page.get_by_text(heading, exact=True).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"new-story-{stage}-{size}.png"))


def idle(page) -> None:
    """Wait until the script has finished its rerun (the app root says so)."""
    page.wait_for_timeout(300)  # a rerun starts a moment after the event that asks for it
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)


def settled(page) -> None:
    """Wait until the page has drawn what a rerun sent: numbers and tables, not their placeholders."""
    idle(page)
    for test_id in ("stMetricValue", "stDataFrame"):
        page.locator(f"[data-testid=stMain] [data-testid={test_id}]").first.wait_for(timeout=20_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=20_000)
    page.wait_for_timeout(800)


def map_frame(page):
    """The confirm map's frame, once Leaflet has drawn it."""
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => window.map_div && window.map_div.getCenter", timeout=30_000)
    return frame


@pytest.mark.parametrize("size", list(SIZES))
def test_a_drafted_and_saved_story_steps_in_the_player(chromium, server, size):
    width, height = SIZES[size]
    context = chromium.new_context(viewport={"width": width, "height": height})
    outside = block_outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server + "/new_story")
        box = page.get_by_label("…or paste its text")
        box.wait_for(timeout=60_000)
        box.fill(ARTICLE)
        shoot(page, size, "1-paste")
        page.get_by_role("button", name="Draft the story").click()
        page.get_by_text("2. The draft", exact=True).wait_for(timeout=60_000)
        page.get_by_text("Marked for review", exact=True).wait_for()
        settled(page)
        shoot(page, size, "2-draft", "2. The draft")

        # Springfield (a dozen US towns) is the uncertain place, first in the list: pick a point for it.
        shoot(page, size, "3-confirm", "3. Confirm the places")
        frame = map_frame(page)
        page.locator(MAP_FRAME).scroll_into_view_if_needed()  # on a phone the map is below the list
        box = page.locator(MAP_FRAME).bounding_box()
        # A real click, on empty map 40 px right of and below Springfield's ring.
        spot = frame.evaluate("""() => { let p = null; window.map_div.eachLayer(l => {
            if (l instanceof L.CircleMarker && l.options.radius === 15) p = window.map_div.latLngToContainerPoint(l.getLatLng()); });
            return {x: p.x + 40, y: p.y + 40}; }""")
        page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
        picked = page.get_by_text(re.compile(r"^Point picked on the map: -?\d+\.\d{4}, -?\d+\.\d{4}"))
        picked.wait_for(timeout=20_000)
        assert page.get_by_role("radio", name=re.compile("Point picked on the map")).is_checked()
        frame = map_frame(page)
        assert frame.evaluate("() => window.map_div.getContainer().isConnected"), "the map must stay mounted"
        if size == "phone":  # the map is below the list: show it
            page.locator(MAP_FRAME).scroll_into_view_if_needed()
            shoot(page, size, "3-confirm-picked")
        else:
            shoot(page, size, "3-confirm-picked", "3. Confirm the places")
        page.get_by_role("button", name="Confirm this place").click()
        page.get_by_text("Springfield confirmed").wait_for(timeout=20_000)

        page.get_by_label("Title").fill(f"Storms in Baja California ({size})")
        page.get_by_label("Title").press("Tab")
        idle(page)
        page.get_by_role("button", name="Check and save the story").click()
        page.get_by_text("Saved:").wait_for(timeout=30_000)
        settled(page)
        shoot(page, size, "4-saved", "5. Save")

        page.get_by_role("link", name="Open it in the Story page").click()
        wait_ready(page)
        assert page.locator("#sm-step-title").inner_text().startswith("Storms hit Tijuana")
        page.locator("#sm-next").click()
        page.wait_for_function("() => window.smPlayer.current().index === 1", timeout=10_000)
        page.wait_for_url(re.compile(r"[?&]step=2(&|$)"), timeout=20_000)
        assert re.search(r"[?&]story=storms-in-baja-california", page.url)
        shoot(page, size, "5-story-page")
        if size == "laptop":  # the picker, in the sidebar a phone keeps folded: back to the first story
            page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
            page.get_by_role("option", name="The migrant caravan at the US–Mexico border").click()
            page.wait_for_function("() => document.querySelector('#sm-title') && "
                                   "document.querySelector('#sm-title').innerText.includes('migrant caravan')",
                                   timeout=30_000)
            assert "story=" not in page.url and re.search(r"[?&]step=1(&|$)", page.url), "its first step"
        assert errors == []
        assert outside == [], f"requests left the machine: {outside}"
    finally:
        context.close()
