"""The app in Debian's Chromium: the player mounted in the Story page, keys, the address, Back, the
order switch, provenance, the Places page's measuring map, and nothing fetched from outside."""

from __future__ import annotations

import re

import pytest

from browser import (
    FITTED,
    MAP_FRAME,
    OUTPUT,
    PLACES_INSIDE,
    REPO,
    axe_violations,
    browser_page,
    position,
    violations_text,
    wait_ready,
)
from geo.story import load_story

pytestmark = pytest.mark.browser
STORY = load_story(REPO / "data" / "story.yaml")
ARTICLE = STORY.ordered("article")


@pytest.fixture(scope="module")
def server(app_server):
    """The app on a loopback port, shared with the other browser modules (one Streamlit per session)."""
    return app_server


@pytest.fixture
def page(chromium, server):
    """A fresh page whose outside requests are blocked and counted, and whose errors are kept."""
    with browser_page(chromium, 1280, 900) as page:
        yield page


def on_step(page, index: int, order: str = "article") -> dict:
    """The player's position, after checking its step, its fitted view and its places."""
    page.wait_for_function(f"() => window.smPlayer.current().index === {index}", timeout=10_000)
    state = position(page)
    assert state["order"] == order
    assert page.evaluate(FITTED), "the map was panned away from the step's view"
    assert page.evaluate(PLACES_INSIDE) == []
    return state


def address(page, step: int, order: str = "article") -> None:
    """Wait until the address names this step (Python writes it after the player's report)."""
    page.wait_for_url(re.compile(rf"[?&]step={step}(&|$)"), timeout=20_000)
    assert f"order={order}" in page.url


def idle(page) -> None:
    """Wait until Streamlit has no script run in flight (its status widget is gone)."""
    page.wait_for_timeout(300)  # a report is sent 250 ms after the reader rests on a step
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=30_000)


def mark_map(page) -> None:
    """Tag the live Leaflet map: a rebuilt map would not carry the tag."""
    page.evaluate("() => { window.smPlayer.map.__probe = 'mounted-once'; }")


def same_map(page) -> bool:
    """Whether the map is still the one tagged by mark_map."""
    return page.evaluate("() => window.smPlayer.map.__probe === 'mounted-once'")


def test_the_story_page_draws_every_place_from_local_assets_only(page, server):
    page.goto(server + "/")
    wait_ready(page)
    on_step(page, 0)
    circles = page.evaluate(
        "() => { let n = 0; window.smPlayer.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"
    )
    assert circles >= len(STORY.places)
    # The offline basemap (its tiles fetched from the app, not a CDN) is drawn on canvas tiles,
    # and the legend and controls are there.
    page.wait_for_function("() => document.querySelectorAll('#sm-mapbox canvas.sm-basemap-tile').length >= 4")
    assert page.locator("#sm-mapbox .sm-legend").count() == 1
    assert page.locator("#sm-mapbox .leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator("#sm-steps li").count() == len(STORY.steps)
    # One document: the player is in the page, not in an iframe.
    assert page.locator("iframe").count() == 0
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "story-page.png"))
    assert page.errors == []
    assert page.outside == [], f"requests left the machine: {page.outside}"


def test_next_steps_in_the_browser_at_once_and_the_address_follows(page, server):
    page.goto(server + "/?step=1")
    wait_ready(page)
    mark_map(page)
    # The step is drawn in the same task as the click: no server round trip is awaited.
    moved = page.evaluate("() => { document.getElementById('sm-next').click(); return window.smPlayer.current().index; }")
    assert moved == 1
    on_step(page, 1)
    address(page, 2)
    page.keyboard.press("ArrowRight")
    on_step(page, 2)
    address(page, 3)
    assert same_map(page), "the map was rebuilt"
    assert page.outside == []


def test_keys_step_with_the_focus_on_the_page_in_the_map_and_in_fullscreen(page, server):
    page.goto(server + "/?step=1")
    wait_ready(page)
    page.locator("[data-testid='stSidebar']").click(position={"x": 20, "y": 600})  # the page, outside the player
    page.keyboard.press("ArrowRight")
    on_step(page, 1)
    box = page.locator("#sm-mapbox").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + 30)
    assert page.evaluate("() => window.smPlayer.map.getContainer().contains(document.activeElement)")
    page.keyboard.press("PageDown")  # a presenter's clicker
    on_step(page, 2)
    page.keyboard.press("End")
    on_step(page, len(STORY.steps) - 1)
    page.keyboard.press("Home")
    on_step(page, 0)
    page.locator("#sm-mapbox .leaflet-control-zoom-fullscreen").click()
    page.wait_for_function("() => !!document.fullscreenElement", timeout=10_000)
    page.keyboard.press("ArrowRight")
    on_step(page, 1)
    page.keyboard.press("PageUp")
    on_step(page, 0)
    assert page.errors == []


def test_the_address_opens_its_step_and_back_returns_to_the_previous_step(page, server):
    chrono = STORY.ordered("chrono")
    page.goto(server + "/?step=4&order=chrono")
    wait_ready(page)
    on_step(page, 3, "chrono")
    assert page.locator("#sm-step-title").inner_text() == chrono[3].title
    page.goto(server + "/?step=1&order=article")
    wait_ready(page)
    mark_map(page)
    for expected in (2, 3):
        page.locator("#sm-next").click()
        address(page, expected)
    page.go_back()
    address(page, 2)
    on_step(page, 1)
    assert page.locator("#sm-step-title").inner_text() == ARTICLE[1].title
    page.go_forward()
    address(page, 3)
    on_step(page, 2)
    assert same_map(page)


def test_the_order_switches_of_the_player_and_the_sidebar_follow_each_other(page, server):
    page.goto(server + "/?step=2&order=article")
    wait_ready(page)
    mark_map(page)
    step = ARTICLE[1]
    chrono = [s.id for s in STORY.ordered("chrono")].index(step.id)
    page.locator("#sm-order [data-order=chrono]").click()
    on_step(page, chrono, "chrono")
    address(page, chrono + 1, "chrono")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("radio", name="Chronological order").wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSidebar] input[type=radio]')].some(r => r.checked && r.closest('label').innerText.includes('Chronological'))",
        timeout=20_000,
    )
    idle(page)
    sidebar.get_by_text("Article order").click()
    page.wait_for_function("() => window.smPlayer.current().order === 'article'", timeout=20_000)
    on_step(page, 1)
    address(page, 2)
    assert same_map(page), "switching order in the sidebar must not rebuild the map"


def test_a_click_on_a_place_shows_its_sentences_keeps_the_view_and_offers_its_first_step(page, server):
    page.goto(server + "/?step=1")
    wait_ready(page)
    before = on_step(page, 0)
    mexicali = next(p for p in STORY.places if p.id == "mexicali")
    page.evaluate(
        """(id) => { window.smPlayer.map.eachLayer(l => {
            if (l.feature && l.feature.properties && l.feature.properties.id === id) l.fire('click', {latlng: l.getLatLng()});
        }); }""",
        mexicali.id,
    )
    box = page.locator("#sm-provenance")
    box.wait_for(state="visible", timeout=5_000)
    assert mexicali.name in box.inner_text() and "180km to the east" in box.inner_text()
    page.wait_for_timeout(1500)  # long enough for any rerun to have redrawn the page
    assert box.is_visible(), "the provenance vanished"
    after = on_step(page, 0)
    assert (after["lat"], after["lng"], after["zoom"]) == (before["lat"], before["lng"], before["zoom"])
    jump = box.get_by_role("button", name=re.compile(r"^Go to step \d+"))
    target = int(re.search(r"step (\d+)", jump.inner_text()).group(1))
    jump.click()
    on_step(page, target - 1)
    address(page, target)
    assert page.outside == []


def test_a_bad_link_opens_step_one_with_a_note_and_nothing_leaves_the_machine(page, server):
    page.goto(server + "/?step=99&order=xyz")
    wait_ready(page)
    page.get_by_text("this story has steps 1 to").wait_for(timeout=20_000)
    page.get_by_text("which does not exist; showing article order").wait_for()
    on_step(page, 0)
    address(page, 1)
    assert page.outside == [], "alert icons and fonts must come from the app, not a CDN"


def test_the_places_map_measures_between_two_clicked_places(page, server):
    page.goto(server + "/places")
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => window.map_div && window.map_div.getCenter", timeout=30_000)
    click = """(name) => { window.map_div.eachLayer(l => {
        if (l instanceof L.CircleMarker && l.getTooltip() && l.getTooltip().getContent().replace(/<[^>]+>/g, '').trim() === name)
            l.fire('click', {latlng: l.getLatLng()}); }); }"""
    frame.evaluate(click, "Mexicali")
    page.get_by_text("Mexicali chosen").wait_for(timeout=20_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => window.map_div && window.map_div.getCenter", timeout=30_000)
    frame.evaluate(click, "Tijuana")
    page.get_by_text("Straight line (geodesic)").wait_for(timeout=20_000)
    # Exactly the two places clicked ("Border fence near Tijuana" is another place on the map).
    page.get_by_role("heading", name="Mexicali – Tijuana").wait_for()
    assert re.search(r"14\d km", page.locator("[data-testid='stMetricValue']").inner_text())
    # The article's own figure beside it, in the measuring column (the table below repeats it).
    page.locator("[data-testid='stColumn']").get_by_text("The article says 180 km").wait_for()
    # The measurement, its quote included, passes axe (the quote was grey at 3.9:1).
    found = axe_violations(page)
    assert found == [], violations_text(found)
    page.screenshot(path=str(OUTPUT / "places-measure.png"))
    assert page.outside == []


# The place names the Places map shows: each inside the map, none over another.
SHOWN_NAMES = """() => { const frame = window.map_div.getContainer().getBoundingClientRect(), out = [];
    window.map_div.eachLayer(l => { const tip = l.getTooltip && l.getTooltip();
        if (tip && tip.options.permanent && tip._container && tip._container.style.visibility !== 'hidden') {
            const b = tip._container.getBoundingClientRect();
            out.push({name: tip._container.textContent, inside: b.left >= frame.left && b.right <= frame.right &&
                      b.top >= frame.top && b.bottom <= frame.bottom, box: [b.left, b.top, b.right, b.bottom]}); } });
    return out; }"""


def test_the_places_map_names_places_without_one_name_covering_another(page, server):
    page.goto(server + "/places")
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => window.map_div && window.map_div.getCenter", timeout=30_000)
    # The first view, then the border's towns, which crowd until the map is zoomed in on them.
    for zoom, fewest in ((None, 4), (6, 1), (11, 2)):
        if zoom is not None:
            frame.evaluate(f"() => window.map_div.setView([32.54, -117.03], {zoom}, {{animate: false}})")
        frame.wait_for_timeout(400)  # names are laid out just after the map moves
        shown = frame.evaluate(SHOWN_NAMES)
        assert len(shown) >= fewest, (zoom, shown)
        assert all(label["inside"] for label in shown), shown
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                ax0, ay0, ax1, ay1 = a["box"]
                bx0, by0, bx1, by1 = b["box"]
                assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a, b)
    # Credits stay small: one line under the map (folium's 1rem made them two lines tall).
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.leaflet-control-attribution')).fontSize") == "11px"
