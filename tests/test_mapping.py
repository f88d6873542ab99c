"""geo.mapping: the stable base map, per-step layers, views, and story text kept inert."""

from __future__ import annotations

import math
import re
from pathlib import Path

import folium
import pytest
from geopy.location import Location

from geo import mapping
from geo.article import load_article
from geo.geocoding import locate_places
from geo.mapping import DIM, OutlineLayer, base_map, escape, step_layer, step_view, view_of
from geo.model import Count, Place, Step, Story
from geo.story import load_story

REPO = Path(__file__).resolve().parent.parent
STORY_PATH = REPO / "data" / "story.yaml"


@pytest.fixture(scope="module")
def seed():
    """The seed story, its article and its places geocoded offline."""
    story = load_story(STORY_PATH)
    where, notes = locate_places(story)
    assert notes == []
    return story, load_article(STORY_PATH, story), where


def children(element, kind):
    """Every descendant of a folium element that is of this type."""
    found = []
    for child in element._children.values():
        if isinstance(child, kind):
            found.append(child)
        found.extend(children(child, kind))
    return found


def test_a_step_jumps_to_its_view_with_no_zoom_or_tile_fade_animation(seed):
    # Both cost every step: the zoom 250 ms of the reader's time, the fade ~27 ms of the compositor's
    # CPU (bench/browser_cpu.py --fade), which 30 readers on one machine queue behind.
    story, article, where = seed
    options = base_map(story, article, where).options
    assert options["zoom_animation"] is False and options["fade_animation"] is False


def test_base_map_has_every_place_dimmed_and_the_controls(seed):
    story, article, where = seed
    fmap = base_map(story, article, where)
    (places,) = [g for g in children(fmap, folium.GeoJson) if g.layer_name == "Places"]
    assert len(places.data["features"]) == len(story.places)
    assert places.marker.options["fillColor"] == DIM
    # Each feature names its place, so a click shows that place's sentences in the player's panel.
    assert [f["properties"]["id"] for f in places.data["features"]] == [p.id for p in story.places]
    assert all(f["properties"]["tooltip"] for f in places.data["features"])
    kinds = {type(e).__name__ for e in mapping.assets.walk(fmap)}
    assert {"Fullscreen", "OutlineMiniMap", "BasemapLayer", "PolyLine"} <= kinds
    # Countries, the region and the border are drawn once each as areas, for the player to show.
    areas = {getattr(e, "sm_area", None) for e in mapping.assets.walk(fmap)} - {None}
    assert areas == {p.id for p in story.places if p.kind in ("country", "region")} | {"us_mexico_border"}


def test_base_map_links_only_local_assets(seed):
    story, article, where = seed
    html = base_map(story, article, where).get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert links and all(link.startswith("/app/static/vendor/") for link in links), links
    assert "cdn" not in html.lower()


def test_base_map_script_is_the_same_on_every_build(seed):
    """The streamlit-folium key hashes the base map's script: a change would remount the map."""
    from streamlit_folium import _get_map_string, generate_js_hash

    story, article, where = seed
    keys = {generate_js_hash(_get_map_string(base_map(story, article, where)), "k") for _ in range(2)}
    assert len(keys) == 1


def test_step_layer_draws_the_steps_places_and_leaves_permanent_labels_to_the_player(seed):
    story, article, where = seed
    step = next(s for s in story.steps if not s.counts)
    layer = step_layer(story, step, article, where)
    highlighted = [m for m in children(layer, folium.CircleMarker) if m.options.get("radius") == 9]
    assert sorted(m.sm_place for m in highlighted) == sorted(step.places)
    # No permanent label here: the player places them at the map's real size (labels.js).
    assert not [t for t in children(layer, folium.Tooltip) if t.options.get("permanent")]


def test_counts_are_drawn_behind_the_places_and_never_too_small(seed):
    story, article, where = seed
    step = next(s for s in story.steps if any(c.qualifier == "dozens" for c in s.counts))
    layer = step_layer(story, step, article, where)
    order = [type(e).__name__ + ("-count" if getattr(e, "sm_count", None) is not None else "")
             for e in layer._children.values()]
    assert order.index("CircleMarker-count") < order.index("CircleMarker"), "rings first, dots on top"
    rings = [e for e in layer._children.values() if getattr(e, "sm_count", None) is not None]
    assert min(r.options["radius"] for r in rings) >= mapping.MIN_COUNT_RADIUS_PX > 11


def test_count_circles_have_area_proportional_to_people(seed):
    story, article, where = seed
    place = story.places[0].id
    big = Count(quote="almost 7,500 migrants", place=place, what="migrants", value=7500, qualifier="almost")
    (low_ring, high_ring) = mapping.count_rings(big, where[place], "sentence")
    low, high = mapping.count_range(big)
    ratio = high_ring.options["radius"] / low_ring.options["radius"]
    assert ratio == pytest.approx(math.sqrt(high / low))
    assert high_ring.options["dashArray"] and not low_ring.options.get("dashArray")


def test_an_open_ended_count_has_no_upper_ring(seed):
    story, _, where = seed
    place = story.places[0].id
    open_count = Count(quote="at least 500 migrants", place=place, what="migrants", value=500, qualifier="at least")
    assert len(mapping.count_rings(open_count, where[place], "sentence")) == 1


def test_distance_line_carries_both_figures_on_hover(seed):
    story, article, where = seed
    distance = next(d for s in story.steps for d in s.distances if d.stated_km == 180)
    layer = step_layer(story, next(s for s in story.steps if distance in s.distances), article, where)
    [line] = children(layer, folium.PolyLine)
    tooltip = next(t.text for t in children(layer, folium.Tooltip) if "straight line" in t.text)
    assert re.search(r"14\d km straight line · article: 180 km", tooltip), tooltip
    assert line.sm_distance == 0


def test_a_step_about_the_whole_border_frames_the_whole_border(seed):
    from geo import player

    story, article, where = seed
    data = player.bundle(story, article, where)["story"]
    threat = next(s for s in data["steps"] if s["id"] == "threat")
    (south, west), (north, east) = threat["bounds"]
    assert west < -116.5 and east > -97.5, "from the Pacific to the Gulf of Mexico"
    rush = next(s for s in data["steps"] if s["id"] == "rush")
    (south, west), (north, east) = rush["bounds"]
    assert east - west < 0.5, "next to a town, the border is context: the town is framed"


def test_view_frames_a_town_not_the_country_named_beside_it(seed):
    story, _, where = seed
    view = view_of([story.place("tijuana"), story.place("us")], where)
    assert view.center == pytest.approx((where["tijuana"].latitude, where["tijuana"].longitude))
    assert view.zoom == mapping.SINGLE_PLACE_ZOOM["city"]


def test_overview_step_fits_every_place(seed):
    story, _, where = seed
    overview = next(s for s in story.steps if set(s.places) >= {p.id for p in story.places})
    view = step_view(story, overview, where)
    lats = [loc.latitude for loc in where.values()]
    assert min(lats) < view.center[0] < max(lats)
    assert view.zoom <= 5
    # Every place lies within the frame at that zoom (web mercator, 256 px tiles).
    width_deg = mapping.MAP_SIZE_PX[0] / 256 * 360 / 2**view.zoom
    assert all(abs(loc.longitude - view.center[1]) < width_deg / 2 for loc in where.values())


def test_story_text_is_inert_in_folium_templates():
    """Payloads for HTML, JS template literals and Jinja all come out as plain text."""
    payload = "<img src=x onerror=alert(1)> ${window.__pwned=1} `x` {{ 7*7 }} {% raw %} C:\\users"
    place = Place(id="p", name=payload, query="Tijuana", kind="city", mentions=["Tijuana"])
    story = Story(
        title="t",
        source={"publisher": "p", "headline": "h"},
        places=[place],
        steps=[Step(id="s", title=payload, when="Sunday", chrono=1, quotes=["Tijuana."], places=["p"])],
    )
    where = {"p": Location("Tijuana", (32.5, -117.0), {"source": payload})}
    fmap = base_map(story, "Tijuana.", where)
    step_layer(story, story.steps[0], "Tijuana.", where).add_to(fmap)
    html = fmap.get_root().render()
    assert "${window.__pwned" not in html and "{{ 7*7 }}" not in html and ">49<" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_basemap_is_fetched_in_the_app_and_inlined_in_an_export(seed):
    story, article, where = seed
    fetched = base_map(story, article, where).get_root().render()
    inlined = base_map(story, article, where, inline_outlines=True).get_root().render()
    assert '"url":"/app/static/vendor/basemap/"' in fetched and '"tiles":{' not in fetched
    assert '"tiles":{"100m/' in inlined and '"url"' not in inlined
    assert len([e for e in mapping.assets.walk(base_map(story, article, where)) if isinstance(e, OutlineLayer)]) == 1
    # The minimap draws the basemap's world band, not tiles from the network.
    assert ".worldLayer()" in fetched


def test_step_bounds_frame_the_specific_places_and_both_ends_of_a_distance(seed):
    story, _, where = seed
    journey = next(s for s in story.steps if any(d.stated_km and d.stated_km > 1000 for d in s.distances))
    (south, west), (north, east) = mapping.step_bounds(story, journey, where)[0]
    for distance in journey.distances:
        for end in (distance.start, distance.end):
            assert south <= where[end].latitude <= north and west <= where[end].longitude <= east, end
    closure = next(s for s in story.steps if s.id == "closure")
    (south, west), (north, east) = mapping.step_bounds(story, closure, where)[0]
    assert north - south < 1, "a step about a crossing frames the crossing, not the United States"


def test_a_single_place_is_framed_no_closer_than_its_kind_allows(seed):
    story, _, where = seed
    step = Step(id="x", title="x", when="Sunday", chrono=1, quotes=["Tijuana"], places=["tijuana", "us"])
    bounds, max_zoom = mapping.step_bounds(story, step, where)
    assert bounds[0] == bounds[1] and max_zoom == mapping.SINGLE_PLACE_ZOOM["city"]


def test_a_steps_distances_are_seen_whole(seed):
    story, _, where = seed
    step = next(s for s in story.steps if any(d.stated_km and d.stated_km > 1000 for d in s.distances))
    view = step_view(story, step, where)
    width_deg = mapping.MAP_SIZE_PX[0] / 256 * 360 / 2**view.zoom
    for distance in step.distances:
        for end in (distance.start, distance.end):
            assert abs(where[end].longitude - view.center[1]) < width_deg / 2, end


def test_a_map_in_its_own_frame_lets_the_reader_pinch_zoom_and_keeps_still_if_asked():
    """folium's header forbids pinch zoom; st_folium's frames (Places, New story) must not."""
    from geo.mapping import View, outline_map

    fmap = outline_map(View(center=(32.5, -117.0), zoom=8))
    fmap.render()  # st_folium renders the map, then reads its header
    header = fmap.get_root().header.render()
    assert "user-scalable" not in header and "maximum-scale" not in header
    assert "prefers-reduced-motion" in header
    assert f"#{fmap.get_name()}" in header  # the rest of folium's header (the map's size) is kept
