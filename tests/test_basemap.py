"""geo.basemap, geo.basemap_build and geo.areas: accuracy near the story, bands, areas, fallback, build."""

from __future__ import annotations

import json
import math
import socket
from pathlib import Path

import pytest
from geopy.location import Location

from geo import areas, basemap, basemap_build
from geo.assets import REPO
from geo.export import export_html, offline_positions
from geo.model import Place, Step, Story
from geo.story import load_story

STORY_PATH = REPO / "data" / "story.yaml"
DETAIL = basemap.BANDS[-1]
# Facts used below (lat, lon), each with its source:
SAN_YSIDRO_PORT = (32.54333, -117.02972)  # data/gazetteer_overlay.csv (Wikipedia infobox)
TIJUANA = (32.5027, -117.0037)  # GeoNames 3981609
SAN_DIEGO = (32.7157, -117.1647)  # GeoNames 5391811
CHULA_VISTA = (32.6400, -117.0842)  # GeoNames 5336899
# Where the boundary meets the Pacific (Monument 258, Border Field State Park): 32°32′04″N 117°07′24″W
# (Wikipedia, "Border Field State Park").
BORDER_AT_PACIFIC = (32.5344, -117.1233)
# Open water: 3 km off Playas de Tijuana, off Rosarito, and San Diego Bay between Coronado and
# Chula Vista (read off the charted shore: the bay is about 4 km wide there).
SEA = [(32.52, -117.16), (32.40, -117.12), (32.62, -117.12)]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lat, lon) points, equirectangular: plenty at a few km."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(x, math.radians(b[0] - a[0]))


def to_segment_km(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from a (lat, lon) point to the segment a-b given as (lon, lat), in km (local plane)."""
    scale = math.cos(math.radians(point[0]))
    px, py = point[1] * scale, point[0]
    ax, ay, bx, by = a[0] * scale, a[1], b[0] * scale, b[1]
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy) * 111.195


def to_line_km(point: tuple[float, float], lines) -> float:
    """Distance from a (lat, lon) point to the nearest of some (lon, lat) lines, in km."""
    return min(to_segment_km(point, a, b) for line in lines for a, b in zip(line, line[1:]))


def on_land(point: tuple[float, float]) -> bool:
    """Whether the detailed band's land covers a (lat, lon) point (even–odd over its tile's rings)."""
    lat, lon = point
    tile = basemap.read_tile(DETAIL, DETAIL.tile_of((lon, lat)))
    inside = False
    for ring in tile.rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def side_of_border(point: tuple[float, float]) -> str:
    """The country the nearest stretch of border in the detailed band has on the point's side."""
    lat, lon = point
    tile = basemap.read_tile(DETAIL, DETAIL.tile_of((lon, lat)))
    best = None
    for left, right, line in tile.borders:
        for a, b in zip(line, line[1:]):
            distance = to_segment_km(point, a, b)
            if best is None or distance < best[0]:
                cross = (b[0] - a[0]) * (lat - a[1]) - (b[1] - a[1]) * (lon - a[0])
                best = (distance, left if cross > 0 else right)
    return best[1]


@pytest.fixture(scope="module")
def seed():
    """The seed story and its places geocoded offline."""
    story = load_story(STORY_PATH)
    return story, offline_positions(story)


@pytest.fixture(scope="module")
def no_network():
    """Any connection attempt fails the test that made it."""
    original = socket.socket.connect

    def refuse(self, address):
        """Refuse and record."""
        raise AssertionError(f"network access to {address}")

    socket.socket.connect = refuse
    yield
    socket.socket.connect = original


# --- accuracy near the story -----------------------------------------------------------------------

def test_land_and_sea_around_tijuana_lie_on_the_right_side_of_the_coast():
    for town in (TIJUANA, SAN_DIEGO, CHULA_VISTA, SAN_YSIDRO_PORT):
        assert on_land(town), town
    for water in SEA:
        assert not on_land(water), water


def test_the_border_has_the_us_north_and_mexico_south_and_meets_the_pacific_at_its_monument():
    assert side_of_border(SAN_DIEGO) == "USA" and side_of_border(CHULA_VISTA) == "USA"
    assert side_of_border(TIJUANA) == "MEX"
    tile = basemap.read_tile(DETAIL, DETAIL.tile_of(BORDER_AT_PACIFIC[::-1]))
    lines = [line for left, right, line in tile.borders if {left, right} == {"USA", "MEX"}]
    west_end = min((p for line in lines for p in line), key=lambda p: p[0])
    assert km(BORDER_AT_PACIFIC, (west_end[1], west_end[0])) < 0.4
    # The San Ysidro port sits on the line: within a few hundred metres of it.
    assert to_line_km(SAN_YSIDRO_PORT, lines) < 0.3


def test_the_fence_counts_are_drawn_on_the_border_the_map_draws():
    """Issue 9: "dozens ... running towards the border fence near the city of Tijuana" is drawn on the
    line, not at the city's point 4.6 km south of it."""
    story = load_story(STORY_PATH)
    [place] = {c.place for step in story.steps for c in step.counts if c.quote == "dozens of people"}
    fence = offline_positions(story)[place]
    point = (fence.latitude, fence.longitude)
    tile = basemap.read_tile(DETAIL, DETAIL.tile_of(point[::-1]))
    lines = [line for left, right, line in tile.borders if {left, right} == {"USA", "MEX"}]
    assert to_line_km(point, lines) < 0.05
    assert km(point, TIJUANA) > 4


def test_the_coast_passes_the_border_monument_on_the_beach():
    # The 1:110m outlines put this shore about 10 km out; the monument stands on the beach.
    tile = basemap.read_tile(DETAIL, DETAIL.tile_of(BORDER_AT_PACIFIC[::-1]))
    assert to_line_km(BORDER_AT_PACIFIC, [ring + ring[:1] for ring in tile.rings]) < 0.4


def test_reference_towns_of_the_gazetteer_are_in_the_tiles():
    towns = {name for name, *_ in basemap.read_tile(DETAIL, DETAIL.tile_of((-117.0, 32.6))).towns}
    assert {"San Diego", "Chula Vista", "Tijuana"} <= towns
    mexicali = {name for name, *_ in basemap.read_tile(DETAIL, DETAIL.tile_of((-115.47, 32.63))).towns}
    assert {"Mexicali", "Calexico"} <= mexicali


# --- bands and zoom ------------------------------------------------------------------------------

def test_each_zoom_draws_the_band_made_for_it():
    assert [basemap.band_for(z).name for z in (0, 4, 5, 6, 9, 10, 13, 18)] == [
        "world", "world", "world", "1km", "1km", "100m", "100m", "100m"]
    # Each band is accurate past the zooms it is drawn at: a pixel there is at least a third of its error.
    for band in basemap.BANDS:
        assert band.max_zoom >= band.zmax


def test_max_zoom_is_the_detail_bands_in_the_app_and_the_worlds_where_an_export_has_no_detail(seed):
    near_tijuana = basemap.view_bounds((32.52, -117.01), 13)
    assert basemap.max_zoom(near_tijuana) == basemap.MAX_ZOOM == 13
    data = basemap.inline_data([((32.52, -117.01), 13)])
    assert basemap.max_zoom(near_tijuana, data) == 13
    tokyo = basemap.view_bounds((35.68, 139.69), 10)
    assert basemap.max_zoom(tokyo, data) == basemap.WORLD.max_zoom


def test_every_step_view_of_the_seed_story_is_within_the_basemaps_zoom(seed):
    from geo.mapping import step_view

    story, where = seed
    for step in story.steps:
        view = step_view(story, step, where)
        assert view.zoom <= basemap.max_zoom(basemap.view_bounds(view.center, view.zoom)), step.id


def test_an_export_carries_the_world_and_the_detail_around_each_step_only(seed):
    data = basemap.inline_data([((32.52, -117.01), 13), ((32.57, -115.97), 8)])
    tiles = set(data["tiles"])
    assert "world/0_0" in tiles
    assert f"100m/{basemap.tile_key(DETAIL.tile_of((-117.01, 32.52)))}" in tiles
    assert not any(t.startswith("100m/") and t.split("/")[1] == basemap.tile_key(DETAIL.tile_of((139.7, 35.7)))
                   for t in tiles)
    assert sum(len(json.dumps(t)) for t in data["tiles"].values()) < 600_000


# --- areas ---------------------------------------------------------------------------------------

def test_the_us_mexico_border_is_its_whole_line_through_san_ysidro(seed, no_network):
    story, where = seed
    area = areas.area_of(story.place("us_mexico_border"), where.get("us_mexico_border"))
    assert area.kind == "border" and set(area.countries) == {"USA", "MEX"}
    assert area.geometry["type"] == "MultiLineString"
    assert to_line_km(SAN_YSIDRO_PORT, area.geometry["coordinates"]) < 0.3
    south, west, north, east = area.bounds
    # From the Pacific (117.12°W) to the Gulf of Mexico at the mouth of the Rio Grande (97.14°W).
    assert west == pytest.approx(-117.12, abs=0.02) and east == pytest.approx(-97.14, abs=0.05)
    assert 25.8 < south < 26.0 and 32.6 < north < 32.8


def test_a_country_is_its_outline_and_a_region_the_union_of_its_countries(seed):
    story, where = seed
    mexico = areas.area_of(story.place("mexico"), where["mexico"])
    assert mexico.kind == "country" and mexico.countries == ("MEX",)
    outer = [polygon[0] for polygon in mexico.geometry["coordinates"]]
    assert any(areas._contains([tuple(p) for p in ring], (-99.13, 19.43)) for ring in outer)  # Mexico City
    assert not any(areas._contains([tuple(p) for p in ring], SAN_DIEGO[::-1]) for ring in outer)
    region = areas.area_of(story.place("central_america"), where["central_america"])
    assert region.kind == "region" and len(region.countries) == 7
    # One land mass: the borders between the seven cancel out, so its largest outline holds both
    # Guatemala City and Panama City.
    largest = max((polygon[0] for polygon in region.geometry["coordinates"]), key=lambda r: abs(areas._signed_area([tuple(p) for p in r])))
    ring = [tuple(p) for p in largest]
    assert areas._contains(ring, (-90.51, 14.64)) and areas._contains(ring, (-79.52, 8.99))
    south, west, north, east = region.bounds
    assert west < -92 and east > -78 and south < 8 and north > 18


def test_areas_are_small_enough_for_the_export(seed):
    story, where = seed
    found = {p.id: areas.area_of(p, where.get(p.id)) for p in story.places if p.kind in ("country", "region", "border")}
    # The fence near Tijuana is a stretch of the border, drawn as its point: it has no area of its own.
    assert [pid for pid, area in found.items() if area is None] == ["border_fence"]
    sizes = {pid: len(json.dumps(area.geometry)) for pid, area in found.items() if area is not None}
    assert max(sizes.values()) < 40_000, sizes


def test_places_that_are_no_area_get_none_never_an_error():
    city = Place(id="c", name="Tijuana", query="Tijuana", kind="city", mentions=["Tijuana"])
    assert areas.area_of(city) is None
    assert areas.area_of(Place(id="r", name="Middle Earth", query="Middle Earth", kind="region", mentions=["x"])) is None
    assert areas.area_of(Place(id="b", name="Atlantis–Mexico border", query="Atlantis-Mexico border",
                               kind="border", mentions=["x"])) is None
    # Neighbours in name only: France and Japan share no border.
    assert areas.border_area("FRA", "JPN") is None


# --- any story, any place --------------------------------------------------------------------------

def global_story() -> tuple[Story, dict[str, Location]]:
    """A story whose places span the globe, one of them far from every inlined tile."""
    names = {"tokyo": (35.68, 139.69), "nairobi": (-1.29, 36.82), "lima": (-12.05, -77.04), "reykjavik": (64.15, -21.94)}
    places = [Place(id=k, name=k.title(), query=k.title(), kind="city", mentions=[k.title()]) for k in names]
    steps = [Step(id=f"s{i}", title=f"Step {i}", when="Monday", chrono=i + 1, quotes=[f"{p.name}."], places=[p.id])
             for i, p in enumerate(places)]
    story = Story(title="Around the world", source={"publisher": "p", "headline": "h"}, places=places, steps=steps)
    return story, {k: Location(k, v, {"source": "test"}) for k, v in names.items()}


def test_a_story_spanning_the_globe_gets_the_world_and_detail_where_it_looks():
    story, where = global_story()
    html = export_html(story, " ".join(f"{p.name}." for p in story.places), where)
    html = html.replace('\\"', '"')  # the map's script reaches the page inside the player's JSON
    assert '"world/0_0"' in html
    key = basemap.tile_key(DETAIL.tile_of((139.69, 35.68)))
    assert f'"100m/{key}"' in html
    # Every place is drawn (a dot and its label) whatever the basemap has around it.
    for place in story.places:
        assert place.name in html


# --- the build ------------------------------------------------------------------------------------

def test_the_build_is_reproducible_offline_and_matches_the_installed_store(tmp_path, no_network):
    world = basemap.WORLD
    first = basemap_build.build(REPO / "node_modules", tmp_path / "a", bands=(world,))
    second = basemap_build.build(REPO / "node_modules", tmp_path / "b", bands=(world,))
    assert first == second
    for relative in ("index.json", "world/0_0.json", "world/borders.json"):
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes()
    installed = basemap.store_dir() / "world" / "0_0.json"
    assert (tmp_path / "a" / "world" / "0_0.json").read_bytes() == installed.read_bytes()


def test_clipping_cuts_a_ring_at_tile_edges_with_a_buffer():
    import numpy

    band = basemap.Band("t", "", 0, 0, 0, 1.0, 0.001, 0)  # 1° tiles on a 0.001° grid
    # A square from 0.5°W to 0.5°E and 0.5°S to 0.5°N: a quarter in each of four tiles.
    square = numpy.array([[-500, -500], [500, -500], [500, 500], [-500, 500]], dtype=float)
    pieces = dict(basemap_build._split(square, (179, 89, 181, 91), band, 10.0))
    assert set(pieces) == {(179, 89), (180, 89), (179, 90), (180, 90)}
    # Each piece reaches 10 units (the buffer) past its tile's edge, so no seam can show.
    for piece in pieces.values():
        assert abs(basemap_build._signed_area_of(piece)) / 2 == pytest.approx(510 * 510)
        assert numpy.abs(piece).max() == 500 and numpy.abs(piece).min() == 10


def test_with_online_tiles_the_basemap_starts_unfilled(seed):
    from geo.mapping import base_map

    story, where = seed
    article = (REPO / "data" / "article.txt").read_text(encoding="utf-8")
    for tiles in (False, True):
        html = base_map(story, article, where, tiles=tiles).get_root().render()
        assert f'"tiles":{str(tiles).lower()}' in html
    # The story's places go to the layer, so no town label repeats or covers them.
    assert '"Tijuana"]' in html and '"San Diego"]' in html


def test_script_json_is_inert_in_a_script_and_in_jinja():
    text = basemap.script_json({"name": "</script>{{ 7*7 }}{% x %}{# c #}${a}`b` & <b>"})
    assert "</" not in text and "{{" not in text and "{%" not in text and "{#" not in text
    assert "${" not in text and "`" not in text
    assert json.loads(text)["name"] == "</script>{{ 7*7 }}{% x %}{# c #}${a}`b` & <b>"


def test_a_missing_store_names_the_command_that_builds_it(tmp_path, monkeypatch):
    from geo import assets

    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "nowhere")
    basemap._read_index.cache_clear()
    with pytest.raises(assets.MissingAssets, match="make assets"):
        basemap.index()
    basemap._read_index.cache_clear()
