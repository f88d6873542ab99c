"""Issue 8 in Debian's Chromium: at every step of the export, at 1280×900 and on a 1920×1080 projector,
the step's places are in view, every permanent label is inside the map and clear of the others, the
places its sentences name are labelled, and the view stays within the basemap's zoom range; online
tiles (from a stub route, never the internet) show over land, and a failing tile server says so."""

from __future__ import annotations

import io

import pytest

from browser import HANG, PLACES_COVERED, browser_page, go_to, open_export, overlapping, settle, shoot, step_count

from geo.player import catalogues

pytestmark = pytest.mark.browser
CATALOGUE = catalogues()["en"]
TILE_URL = "https://tile.openstreetmap.org/**"
STUB_RGB = (214, 40, 160)  # a colour no basemap, label or marker uses
LAND_RGB = (0xF5, 0xF2, 0xE9)

# One step as the reader sees it: what lies outside the map, which labels collide, which named
# places in view have no label, and the zoom against the basemap's range.
STEP = """() => {
    const covered = """ + PLACES_COVERED + """;
    const p = window.smPlayer.player, step = p.current(), map = p.map, bounds = map.getBounds();
    const size = map.getSize(), outline = p.outline, at = id => [p.data.places[id].lat, p.data.places[id].lon];
    const labels = (p.placedLabels || []).concat(outline.labels());
    const labelled = (p.placedLabels || []).map(l => l.id);
    return {
        id: step.id, zoom: map.getZoom(), deepest: outline.maxZoomAt(bounds.getCenter()), maxZoom: outline.maxZoom,
        framedOutside: step.framed.filter(id => !bounds.contains(at(id))).concat(covered()),
        labels: labels.map(l => ({text: l.text, box: l.box})),
        labelsOutside: labels.filter(l => l.box[0] < 0 || l.box[1] < 0 || l.box[2] > size.x || l.box[3] > size.y).map(l => l.text),
        unlabelled: step.named.filter(id => bounds.contains(at(id)) && labelled.indexOf(id) < 0),
        storyLabels: (p.placedLabels || []).length,
    };
}"""


@pytest.fixture(scope="module", params=[(1280, 900), (1920, 1080)], ids=lambda v: f"{v[0]}x{v[1]}")
def stepped(request, chromium, seed_export):
    """Every step of the export at one window size: what STEP reads, a screenshot of each."""
    width, height = request.param
    with browser_page(chromium, width, height) as page:
        open_export(page, seed_export)
        steps = []
        for index in range(step_count(page)):
            go_to(page, index)
            steps.append(page.evaluate(STEP))
            shoot(page, f"map-{width}x{height}-step{index + 1:02d}.png")
        assert page.errors == [] and page.outside == []
    return steps


def test_every_step_frames_its_places_inside_the_map(stepped):
    assert {s["id"]: s["framedOutside"] for s in stepped if s["framedOutside"]} == {}


def test_every_permanent_label_is_inside_the_map_and_clear_of_the_others(stepped):
    assert {s["id"]: s["labelsOutside"] for s in stepped if s["labelsOutside"]} == {}
    assert {s["id"]: overlapping(s["labels"]) for s in stepped if overlapping(s["labels"])} == {}
    # The check has something to check: each step labels its places, and the basemap names its towns.
    assert all(s["storyLabels"] > 0 for s in stepped)
    assert sum(len(s["labels"]) - s["storyLabels"] for s in stepped) > len(stepped)


def test_every_place_a_steps_sentences_name_is_labelled_when_in_view(stepped):
    assert {s["id"]: s["unlabelled"] for s in stepped if s["unlabelled"]} == {}


def test_no_view_zooms_in_further_than_the_basemap_can_draw(stepped):
    assert all(s["maxZoom"] > 0 for s in stepped)
    too_deep = {s["id"]: (s["zoom"], s["deepest"]) for s in stepped if not 0 <= s["zoom"] <= min(s["deepest"], s["maxZoom"])}
    assert too_deep == {}


# --- online tiles, from a stub route ---------------------------------------------------------------


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 256 px map tile of one colour."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), rgb).save(out, "PNG")
    return out.getvalue()


def serve_tiles(page, answer) -> list[str]:
    """Answer the tile server's requests on this machine: `answer(n)` is the PNG for the n-th
    request, or None for an HTTP 503. Returns the URLs asked for."""
    asked: list[str] = []

    def route(route) -> None:
        """One tile request, answered here (routes added last run first: before block_outside's)."""
        asked.append(route.request.url)
        body = answer(len(asked))
        if body is None:
            route.fulfill(status=503, body="down")
        else:
            route.fulfill(status=200, body=body, content_type="image/png", headers={"Access-Control-Allow-Origin": "*"})

    page.context.route(TILE_URL, route)
    return asked


# Container points of the map, on a grid, where the basemap draws land.
LAND_POINTS = """([rgb]) => {
    const p = window.smPlayer.player, map = p.map, size = map.getSize(), points = [];
    for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) {
        const point = L.point(size.x * i / 16, size.y * j / 16), colour = p.outline.colourAt(map.containerPointToLatLng(point));
        if (colour && colour[0] === rgb[0] && colour[1] === rgb[1] && colour[2] === rgb[2]) points.push([point.x, point.y]);
    }
    const box = map.getContainer().getBoundingClientRect();
    return {points: points, left: box.left, top: box.top,
            latlngs: points.map(xy => { const ll = map.containerPointToLatLng(xy); return [ll.lat, ll.lng]; })};
}"""


def stub_pixels(page, land: dict) -> int:
    """How many of the land points show the stub tile's colour on screen."""
    from PIL import Image

    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    near = lambda pixel: all(abs(a - b) <= 6 for a, b in zip(pixel, STUB_RGB))  # noqa: E731
    return sum(near(shot.getpixel((int(land["left"] + x), int(land["top"] + y)))) for x, y in land["points"])


def turn_tiles_on(page) -> None:
    """Tick "Street map (online)" and wait until the tile layer has answered."""
    page.locator("#sm-tiles").check()
    # Loaded, and faded in (Leaflet fades each tile in: `active` once it is fully opaque).
    page.wait_for_function("""() => { const t = window.smPlayer.state.tiles;
        return !!t && !t.isLoading() && Object.values(t._tiles).every(tile => tile.active); }""", timeout=HANG)
    settle(page)


def basemap_colours(page, latlngs: list[list[float]]) -> list[list[int]]:
    """The basemap's own pixels ([r, g, b, a]) at these points: alpha 0 where its fill is off."""
    return page.evaluate("(points) => points.map(ll => window.smPlayer.player.outline.colourAt(ll))", latlngs)


@pytest.fixture
def page(chromium, seed_export):
    """Step 3 of the export (Tijuana to Mexicali, land and sea) at 1280×900."""
    with browser_page(chromium, 1280, 900) as page:
        open_export(page, seed_export + "#step=3")
        yield page


def test_tiles_turned_on_show_over_land_and_the_land_fill_goes_transparent(page):
    asked = serve_tiles(page, lambda n: png(STUB_RGB))
    land = page.evaluate(LAND_POINTS, [LAND_RGB])
    assert len(land["points"]) >= 20, "the view should be mostly land"
    assert stub_pixels(page, land) == 0
    turn_tiles_on(page)
    assert asked, "no tile was requested"
    assert all(colour[3] == 0 for colour in basemap_colours(page, land["latlngs"]))
    # The tiles' own pixels are what the reader sees over land (labels, lines and dots cover a few).
    assert stub_pixels(page, land) >= 0.6 * len(land["points"])
    assert page.locator("#sm-tiles-status").inner_text() == ""
    shoot(page, "map-tiles-on.png")
    assert page.outside == [], "every tile came from the stub route"


def test_a_failing_tile_server_says_so_next_to_the_toggle_and_the_land_fill_comes_back(page):
    serve_tiles(page, lambda n: None)
    land = page.evaluate(LAND_POINTS, [LAND_RGB])
    turn_tiles_on(page)
    status = page.locator("#sm-tiles-status")
    page.wait_for_function("() => document.getElementById('sm-tiles-status').textContent !== ''", timeout=HANG)
    assert status.inner_text() == CATALOGUE["tiles_failed"]
    toggle, said = page.locator("label.sm-tiles").bounding_box(), status.bounding_box()
    assert said["x"] >= toggle["x"] + toggle["width"] - 2 and said["x"] - (toggle["x"] + toggle["width"]) < 40
    assert abs((said["y"] + said["height"] / 2) - (toggle["y"] + toggle["height"] / 2)) < toggle["height"]
    settle(page)
    assert all(tuple(colour) == (*LAND_RGB, 255) for colour in basemap_colours(page, land["latlngs"])), "the fill is back"
    shoot(page, "map-tiles-failed.png")


def test_the_land_fill_stays_off_once_any_tile_loaded_even_after_an_early_failure(page):
    # The first tile fails before any loads (the fill comes back), then the rest load: the tiles win.
    serve_tiles(page, lambda n: None if n == 1 else png(STUB_RGB))
    land = page.evaluate(LAND_POINTS, [LAND_RGB])
    turn_tiles_on(page)
    assert all(colour[3] == 0 for colour in basemap_colours(page, land["latlngs"]))
    assert stub_pixels(page, land) >= 0.5 * len(land["points"])
    assert page.locator("#sm-tiles-status").inner_text() == ""
