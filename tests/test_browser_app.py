"""The app in Debian's Chromium: the Leaflet map inside the iframe, stepping, deep links, no CDN."""

from __future__ import annotations

import re

import pytest

from browser import MAP_FRAME, OUTPUT, REPO, block_outside, streamlit_server
from geo.story import load_story

pytestmark = pytest.mark.browser
STORY = load_story(REPO / "data" / "story.yaml")

# Read from inside the map's iframe: the Leaflet map streamlit-folium made, and what it draws.
MAP_STATE = """() => {
    const map = window.map_div;
    if (!map || !map.getCenter) return null;
    let circles = 0;
    map.eachLayer(layer => { if (layer instanceof L.CircleMarker) circles += 1; });
    const c = map.getCenter();
    return {lat: c.lat, lng: c.lng, zoom: map.getZoom(), circles: circles, probe: window.__probe || null};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a loopback port, with its own geocoder cache."""
    with streamlit_server({"STORY_MAP_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}) as url:
        yield url


@pytest.fixture
def page(chromium, server):
    """A fresh page whose outside requests are blocked and counted."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    outside = block_outside(context)
    page = context.new_page()
    page.outside = outside
    yield page
    context.close()


def map_frame(page):
    """The Leaflet iframe's Frame, once the map inside it is drawn."""
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => window.map_div && window.map_div.getCenter", timeout=30_000)
    return frame


def wait_for_centre_change(frame, before: dict) -> dict:
    """The map state once its centre has moved from `before`."""
    frame.wait_for_function(
        f"() => {{ const c = window.map_div.getCenter(); return Math.abs(c.lat - {before['lat']}) > 1e-4 "
        f"|| Math.abs(c.lng - {before['lng']}) > 1e-4 || window.map_div.getZoom() !== {before['zoom']}; }}",
        timeout=20_000,
    )
    return frame.evaluate(MAP_STATE)


def test_story_page_draws_every_place_with_no_outside_request(page, server):
    page.goto(server + "/")
    frame = map_frame(page)
    frame.wait_for_function(f"() => {{ let n = 0; window.map_div.eachLayer(l => {{ if (l instanceof L.CircleMarker) n++; }}); return n >= {len(STORY.places)}; }}")
    state = frame.evaluate(MAP_STATE)
    assert state["circles"] >= len(STORY.places)
    # The offline basemap (its tiles fetched from the app, not a CDN) is drawn on canvas tiles,
    # and the legend and controls are there.
    frame.wait_for_function("() => document.querySelectorAll('canvas.sm-basemap-tile').length >= 4")
    assert frame.locator(".sm-legend").count() == 1
    assert frame.locator(".leaflet-control-zoom-fullscreen").count() == 1
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "story-page.png"), full_page=True)
    assert page.outside == [], f"requests left the machine: {page.outside}"


def test_next_click_and_arrow_key_move_the_map_without_remount(page, server):
    page.goto(server + "/")
    frame = map_frame(page)
    frame.evaluate("() => { window.__probe = 'mounted-once'; }")
    before = frame.evaluate(MAP_STATE)
    page.get_by_role("button", name="Next →").click()
    after_click = wait_for_centre_change(frame, before)
    assert "step=2" in page.url
    page.get_by_text(f"2 / {len(STORY.steps)}").click()  # focus the page, not the map iframe
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**step=3**", timeout=20_000)
    after_key = wait_for_centre_change(frame, after_click) if STORY.steps[2].places != STORY.steps[1].places else after_click
    # The same iframe window is still there: the map was updated in place, not remounted.
    assert page.query_selector(MAP_FRAME).content_frame().evaluate("() => window.__probe") == "mounted-once"
    assert after_key["probe"] == "mounted-once"
    assert page.outside == []


def test_deep_link_opens_on_its_step(page, server):
    chrono = STORY.ordered("chrono")
    page.goto(server + "/?step=4&order=chrono")
    map_frame(page)
    page.get_by_text(chrono[3].title).first.wait_for(timeout=20_000)
    assert "step=4" in page.url and "order=chrono" in page.url


def test_clicking_a_place_shows_every_sentence_naming_it_and_offers_its_first_step(page, server):
    page.goto(server + "/?step=1")
    frame = map_frame(page)
    mexicali = next(p for p in STORY.places if p.id == "mexicali")
    # Click the highlighted Mexicali marker the way Leaflet would (streamlit-folium listens to it).
    frame.evaluate(
        """(name) => { window.map_div.eachLayer(l => {
            if (l instanceof L.CircleMarker && l.getTooltip && l.getTooltip()
                && l.getTooltip().getContent().includes(name)) { l.fire('click', {latlng: l.getLatLng()}); }
        }); }""",
        mexicali.name,
    )
    page.get_by_text(f"{mexicali.name} is named in").wait_for(timeout=20_000)
    page.get_by_text("180km to the east").first.wait_for()
    jump = page.get_by_role("button", name=re.compile(r"^Go to step \d+"))
    target = int(re.search(r"step (\d+)", jump.inner_text()).group(1))
    jump.click()
    page.wait_for_url(f"**step={target}**", timeout=20_000)
    assert page.outside == []


def test_a_bad_link_is_corrected_with_a_note_and_still_nothing_leaves_the_machine(page, server):
    page.goto(server + "/?step=99&order=xyz")
    map_frame(page)
    page.get_by_text("this story has steps 1 to").wait_for(timeout=20_000)
    page.get_by_text("which does not exist; showing article order").wait_for()
    assert f"step={len(STORY.steps)}" in page.url and "order=article" in page.url
    assert page.outside == [], "alert icons and fonts must come from the app, not a CDN"


def test_the_back_button_returns_to_the_previous_step(page, server):
    page.goto(server + "/?step=1&order=article")
    map_frame(page)
    for expected in (2, 3):
        page.get_by_role("button", name="Next →").click()
        page.wait_for_url(f"**step={expected}**", timeout=20_000)
    page.go_back()
    page.wait_for_url("**step=2**", timeout=20_000)
    page.get_by_role("heading", name=STORY.ordered("article")[1].title).wait_for(timeout=20_000)
