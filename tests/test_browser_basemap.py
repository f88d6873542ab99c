"""The basemap in Debian's Chromium: sea, land, names and towns around the story, offline, at 1280×900."""

from __future__ import annotations

import pytest

from browser import OUTPUT, READY, REPO, browser_page, overlapping
from geo.export import write_export

pytestmark = pytest.mark.browser
HANG = 15_000  # ms: a guard against hanging, never a speed assertion
SEA_RGB = (0xCF, 0xE0, 0xEC)
LAND_RGB = (0xF5, 0xF2, 0xE9)
TIJUANA = (32.5027, -117.0037)  # GeoNames 3981609
OFF_PLAYAS = (32.52, -117.16)  # open Pacific, 3 km off Playas de Tijuana
BORDER_VIEW = (32.548, -117.02)  # the San Ysidro / El Chaparral crossings


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The seed story's export."""
    return write_export(REPO / "data" / "story.yaml", tmp_path_factory.mktemp("basemap") / "story.html").as_uri()


@pytest.fixture
def page(chromium):  # noqa: F811 (fixture from browser.py)
    """A 1280×900 page with outside requests aborted and counted, and page errors recorded."""
    with browser_page(chromium, 1280, 900) as page:
        yield page


def open_map(page, url: str) -> str:
    """Load the export; returns the global name of its basemap layer."""
    page.goto(url)
    page.wait_for_selector(READY, timeout=HANG)
    return page.evaluate("() => window.smPlayer.data.outline")


def show(page, name: str, center: tuple[float, float], zoom: int) -> list[dict]:
    """Move the map, wait for the basemap to draw and label it; returns its labels."""
    page.evaluate(f"() => window.smPlayer.map.setView([{center[0]}, {center[1]}], {zoom}, {{animate: false}})")
    page.wait_for_function(f"() => !window['{name}'].loading()", timeout=HANG)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
    return page.evaluate(f"() => window['{name}'].labels()")


def colour(page, name: str, point: tuple[float, float]) -> list[int]:
    """The basemap's pixel at a point."""
    return page.evaluate(f"() => window['{name}'].colourAt([{point[0]}, {point[1]}])")


def test_the_seed_storys_places_read_at_zoom_8_11_and_13(page, exported):
    name = open_map(page, exported)
    OUTPUT.mkdir(exist_ok=True)
    size = page.evaluate("() => { const s = window.smPlayer.map.getSize(); return [s.x, s.y]; }")
    seen = {}
    for zoom, center in ((8, (32.57, -115.97)), (11, (32.55, -117.02)), (13, BORDER_VIEW)):
        labels = show(page, name, center, zoom)
        page.screenshot(path=str(OUTPUT / f"basemap-z{zoom}.png"))
        seen[zoom] = labels
        assert overlapping(labels) == [], zoom
        for label in labels:
            x0, y0, x1, y1 = label["box"]
            assert 0 <= x0 and x1 <= size[0] and 0 <= y0 and y1 <= size[1], label
    texts = {z: {label["text"] for label in labels} for z, labels in seen.items()}
    # Country names on each side of the border, the US to the north.
    for zoom in (8, 11, 13):
        boxes = {label["text"]: label["box"] for label in seen[zoom] if label["kind"] == "country"}
        assert boxes["United States"][3] < boxes["Mexico"][1], zoom
    # Reference towns, fainter than the story's places, never repeating a place the story names.
    assert {"Chula Vista", "National City"} <= texts[11]
    assert len([label for label in seen[8] if label["kind"] == "town"]) >= 6
    assert "Tijuana" not in texts[8] | texts[11] | texts[13]  # the story labels Tijuana itself
    # OpenStreetMap's licence: the credit is on the map.
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.errors == [] and page.outside == []


def test_sea_and_land_are_coloured_and_tiles_make_the_fill_transparent(page, exported):
    name = open_map(page, exported)
    show(page, name, (32.52, -117.05), 11)
    assert tuple(colour(page, name, OFF_PLAYAS)[:3]) == SEA_RGB
    assert tuple(colour(page, name, TIJUANA)[:3]) == LAND_RGB
    page.evaluate(f"() => window['{name}'].setTiles(true)")
    page.wait_for_function(f"() => !window['{name}'].loading()", timeout=HANG)
    assert colour(page, name, TIJUANA)[3] == 0 and colour(page, name, OFF_PLAYAS)[3] == 0
    # The player's old switch (outline.setStyle) still works.
    page.evaluate(f"() => window['{name}'].setStyle({{fillOpacity: 1}})")
    page.wait_for_function(f"() => !window['{name}'].loading()", timeout=HANG)
    assert tuple(colour(page, name, TIJUANA)[:3]) == LAND_RGB


def test_a_view_the_reader_goes_back_to_is_copied_from_kept_tiles_not_drawn_again(page, exported):
    name = open_map(page, exported)
    show(page, name, (32.52, -117.05), 11)
    show(page, name, (32.57, -115.97), 8)  # another step's view: Leaflet drops the zoom-11 tiles
    page.evaluate(f"""() => {{ const grid = window['{name}']._grid, draw = grid._draw; window.__draws = 0;
        grid._draw = function () {{ window.__draws++; return draw.apply(this, arguments); }}; }}""")
    show(page, name, (32.52, -117.05), 11)
    assert page.evaluate("() => window.__draws") == 0, "a view seen before was traced again"
    assert tuple(colour(page, name, OFF_PLAYAS)[:3]) == SEA_RGB  # the copies are the same pixels
    assert tuple(colour(page, name, TIJUANA)[:3]) == LAND_RGB
    show(page, name, (31.87, -116.6), 11)  # Ensenada: never seen, so drawn
    assert page.evaluate("() => window.__draws") > 0
    assert page.errors == []


def test_max_zoom_is_known_where_the_export_has_detail_and_the_world_elsewhere(page, exported):
    name = open_map(page, exported)
    assert page.evaluate(f"() => window['{name}'].maxZoom") == 13
    assert page.evaluate(f"() => window['{name}'].maxZoomAt([32.53, -117.02])") == 13
    assert page.evaluate(f"() => window['{name}'].maxZoomAt([35.68, 139.69])") == 6  # Tokyo: world band only
    # Zoomed in where the export holds no detail, the world band is drawn instead: land, not blank.
    show(page, name, (35.68, 139.69), 10)
    assert tuple(colour(page, name, (35.68, 139.69))[:3]) == LAND_RGB
    assert page.errors == []
