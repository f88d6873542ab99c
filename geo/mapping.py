"""folium builders: one stable base map per story and one FeatureGroup per step. Never displays."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from html import escape as escape_html

import folium
from folium.plugins import Fullscreen, MiniMap
from geopy.location import Location
from branca.element import Element
from folium.template import Template  # folium's Template has the tojavascript filter

from geo import assets, basemap
from geo.areas import area_of
from geo.basemap import BasemapLayer
from geo.distance import leg
from geo.i18n import Message, Translate, _, translate
from geo.model import Count, Distance, Place, Step, Story
from geo.quantities import count_range, rule
from geo.article import sentence_of

Positions = Mapping[str, Location]

KIND_COLOURS = {
    "city": "#1f5fa8",
    "neighbourhood": "#1f5fa8",
    "border crossing": "#c0392b",
    "country": "#6b5b95",
    "region": "#6b5b95",
    "border": "#7a4a1f",
}
# Every colour here reads at 4.5:1 or more on white, like the legend's swatches (WCAG 1.4.11 asks
# 3:1 of symbols; the legend's are held to the text's ratio).
DIM = "#6b7078"
COUNT_COLOUR = "#a84300"
DISTANCE_COLOUR = "#0b7a63"
ROUTE_COLOUR = "#5f6b6d"
# Count circles are sized in screen pixels so that area, not radius, is proportional to the
# number of people at every zoom: 7,500 people -> about 39 px, 500 -> 10 px.
PX_PER_SQRT_PERSON = 0.45
MIN_COUNT_RADIUS_PX = 15  # "dozens" must show from the back of a room, around an 11 px place dot
# Zoom for a step that shows a single place, by what kind of place it is.
SINGLE_PLACE_ZOOM = {"city": 10, "neighbourhood": 13, "border crossing": 13, "country": 6, "region": 5, "border": 6}
LABEL_ROOM_PX = 100  # kept free right of the easternmost place, where its label goes (Python's views)
MAP_SIZE_PX = (505, 560)  # the map column at a 1280 px wide window: the smallest frame a view must fit


def escape(text: str) -> str:
    """Story text made safe for folium's tooltips and popups: HTML-escaped, and inert in JS too."""
    # folium pastes tooltip and popup HTML into JavaScript template literals (`...`), where
    # a backtick ends the string, ${...} runs code and a stray backslash is a syntax error.
    # And branca compiles each element's rendered script as a Jinja template, so {{ }} and {% %}
    # in a story would be evaluated on the server: braces become entities too.
    return (
        escape_html(text)
        .replace("\\", "&#92;")
        .replace("`", "&#96;")
        .replace("$", "&#36;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


@dataclass(frozen=True)
class View:
    """Where the map looks for a step."""

    center: tuple[float, float]
    zoom: int


def latlon(location: Location) -> tuple[float, float]:
    """A geopy Location as a (lat, lon) pair."""
    return (location.latitude, location.longitude)


def _fit(south: float, west: float, north: float, east: float, size: tuple[int, int]) -> View:
    """The largest zoom at which the box, plus room for the labels right of it, fits the frame."""

    def mercator_y(lat: float) -> float:
        """Web-mercator y of a latitude (radians of the projected plane)."""
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    width, height = size
    # Labels always sit to the right of their point (Leaflet misplaces left, centred and auto
    # tooltips of layers added before the view changes), so the frame keeps LABEL_ROOM_PX free
    # on the right and the centre moves east by half of it.
    zoom = 13
    while zoom > 2:
        px_per_deg = 256 * 2**zoom / 360
        box_w = (east - west) * px_per_deg + LABEL_ROOM_PX
        box_h = (mercator_y(north) - mercator_y(south)) * 256 * 2**zoom / (2 * math.pi)
        if box_w <= width * 0.92 and box_h <= height * 0.85:
            break
        zoom -= 1
    shift = LABEL_ROOM_PX / 2 / (256 * 2**zoom / 360)
    return View(((south + north) / 2, (west + east) / 2 + shift), zoom)


# A step that names a town and a country is about the town: the country's point is context.
SPECIFIC_KINDS = {"city", "neighbourhood", "border crossing", "border"}


def view_of(
    places: list[Place],
    positions: Positions,
    size: tuple[int, int] = MAP_SIZE_PX,
    *,
    specific: bool = True,
    include: tuple[Place, ...] = (),
) -> View:
    """The centre and zoom that frame these places (only the most specific, if asked) and `include`."""
    places = [p for p in places if p.id in positions]
    if specific:
        places = [p for p in places if p.kind in SPECIFIC_KINDS] or places
    places += [p for p in include if p.id in positions and p not in places]
    points = [latlon(positions[p.id]) for p in places]
    return points_view(points, SINGLE_PLACE_ZOOM[places[0].kind] if places else 3, size)


def points_view(points: list[tuple[float, float]], single_zoom: int, size: tuple[int, int] = MAP_SIZE_PX) -> View:
    """The view that frames these points; one point (or one spot) at `single_zoom`; none: the Americas."""
    if not points:
        return View((20.0, -95.0), 3)
    if len(set(points)) == 1:
        return View(points[0], single_zoom)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return _fit(min(lats), min(lons), max(lats), max(lons), size)


def step_view(story: Story, step: Step, positions: Positions) -> View:
    """The view for a step: its places in focus and both ends of its distances; or the overview."""
    overview = set(step.places) >= {p.id for p in story.places}
    # A distance drawn in the step must be seen whole, whatever its ends' kinds.
    ends = tuple(story.place(pid) for d in step.distances for pid in (d.start, d.end))
    return view_of([story.place(pid) for pid in step.places], positions, specific=not overview, include=ends)


def framed(story: Story, step: Step, positions: Positions) -> list[Place]:
    """The places a step's view must show: its specific places (a town, not the country named beside
    it), unless it is the overview, and both ends of its distances."""
    overview = set(step.places) >= {p.id for p in story.places}
    places = [story.place(pid) for pid in step.places if pid in positions]
    if not overview:
        places = [p for p in places if p.kind in SPECIFIC_KINDS] or places
    ends = [story.place(pid) for d in step.distances for pid in (d.start, d.end) if pid in positions]
    return places + [p for p in ends if p not in places]


def step_bounds(
    story: Story, step: Step, positions: Positions, areas: Mapping[str, list[list[float]]] | None = None
) -> tuple[list[list[float]], int]:
    """The box a step frames ([[south, west], [north, east]]) and the zoom it must not pass.

    The browser fits the box to the map's real size; Python only chooses what to frame. A step
    about areas alone ("close the entire US-Mexico border") frames them whole (`areas`: place id ->
    the area's bounds); next to a town, an area is context and only the town is framed.
    """
    places = framed(story, step, positions)
    areas = areas or {}
    overview = set(step.places) >= {p.id for p in story.places}
    if places and not overview and all(p.id in areas for p in places):
        corners = [corner for p in places for corner in areas[p.id]]
        lats, lons = [c[0] for c in corners], [c[1] for c in corners]
        return [[min(lats), min(lons)], [max(lats), max(lons)]], 13
    points = [latlon(positions[p.id]) for p in places]
    if not points:
        return [[-60.0, -170.0], [75.0, 170.0]], 3
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    # One point (or one cluster) is framed by what kind of place it is, never closer.
    closest = max(SINGLE_PLACE_ZOOM[p.kind] for p in places) if len(set(points)) == 1 else 13
    return [[min(lats), min(lons)], [max(lats), max(lons)]], closest


def _label(text: str) -> folium.Tooltip:
    """A permanent, escaped label."""
    return folium.Tooltip(escape(text), permanent=True, direction="right", offset=(8, 0), class_name="sm-label")


# The basemap that needs no network (geo.basemap); the old name stays for the player's data.
OutlineLayer = BasemapLayer


class OutlineMiniMap(MiniMap):
    """A minimap drawn from the basemap's world band, so it works without tiles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = {{ this.outline.get_name() }}.worldLayer();
            var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer, {{ this.options|tojavascript }});
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
            // One-way: the minimap follows the map, never the reverse. Its coarse zoom rounds the
            // centre, and syncing that back shifted each step's view by a third of a degree.
            {{ this.get_name() }}._miniMap.off("moveend", {{ this.get_name() }}._onMiniMapMoved, {{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, outline: BasemapLayer, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outline = outline


def base_map(
    story: Story,
    article: str,
    positions: Positions,
    *,
    tiles: bool = False,
    url_for: Callable[[str], str] = assets.app_url,
    inline_outlines: bool = False,
    offline_basemap: bool = True,
) -> folium.Map:
    """The map every step shares: the basemap, every place dimmed, the route, controls and legend.

    `offline_basemap=False`: a server without the built store (no npm); `tiles` should then be on.
    """
    overview = view_of(story.places, positions, specific=False)
    fmap = folium.Map(
        location=overview.center,
        zoom_start=overview.zoom,
        tiles=None,
        control_scale=True,
        attribution_control=True,
        # A step jumps straight to its view: a 250 ms zoom animation on every step only delays
        # the reader (and on a projector, blurs the labels).
        zoom_animation=False,
        # Nor do its new tiles fade in: the offline basemap draws them in a few ms, and the 200 ms
        # fade cost the compositor ~27 ms of CPU a step (bench/browser_cpu.py --fade).
        fade_animation=False,
    )
    # Town labels of the basemap keep clear of the story's own places and names.
    avoid = [(*latlon(positions[p.id]), p.name) for p in story.places if p.id in positions]
    if inline_outlines:
        views = [step_view(story, step, positions) for step in story.steps] + [overview]
        data = basemap.inline_data([(view.center, view.zoom) for view in views])
        outline = BasemapLayer(data=data, avoid=avoid, tiles=tiles)
    elif offline_basemap:
        outline = BasemapLayer(url=url_for(basemap.STORE_DIR + "/"), avoid=avoid, tiles=tiles)
    else:
        outline = BasemapLayer(avoid=avoid, tiles=tiles)
    outline.add_to(fmap)
    if tiles:
        # Online tiles are opt-in; where they fail to load the outlines still show the places.
        folium.TileLayer(
            "OpenStreetMap", attr="© OpenStreetMap contributors", name="OpenStreetMap", opacity=0.85
        ).add_to(fmap)
    route = [latlon(positions[pid]) for pid in story.route if pid in positions]
    if len(route) > 1:
        folium.PolyLine(
            route,
            color=ROUTE_COLOUR,
            weight=3,
            dash_array="8 8",
            tooltip="Caravan route, schematic: the article names no roads or towns along the way",
        ).add_to(fmap)
    # Every place as one GeoJson layer rather than ~50 markers, tooltips and popups: st_folium
    # renders the base map on every step, and each folium element costs a Jinja compilation.
    # The popup and tooltip HTML is escaped here; folium sets it as innerHTML from JSON data.
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [positions[p.id].longitude, positions[p.id].latitude]},
            "properties": {"id": p.id, "tooltip": escape(f"{p.name} ({p.kind})")},
        }
        for p in story.places
        if p.id in positions
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Places",
        marker=folium.CircleMarker(radius=6, color="#ffffff", weight=1, fill=True, fill_color=DIM, fill_opacity=0.55),
        tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False),
    ).add_to(fmap)
    Fullscreen(position="topleft", title="Full screen", title_cancel="Leave full screen").add_to(fmap)
    # Minimised: on a laptop-sized map an open minimap would cover the places in its corner.
    OutlineMiniMap(
        outline, position="bottomright", toggle_display=True, minimized=True, zoom_level_offset=-6, width=130, height=130
    ).add_to(fmap)
    # Countries, regions and borders a step names are drawn as areas: each once, shown by the
    # player only on the steps that name it (never repeated in every step's layer).
    for place in story.places:
        layer = area_layer(place, positions.get(place.id))
        if layer is not None:
            layer.add_to(fmap)
    assets.localize(fmap, url_for)
    return fmap


# A reader who asks for less motion gets none: no transition or animation anywhere, the app's
# framework's included (Streamlit fades stale elements on a rerun; Leaflet fades and zooms). Only
# durations go to zero: a delayed change (Streamlit dims what is stale after half a second) still
# happens, at once, so a quick rerun never flashes. The app's pages and its map frames both use it.
REDUCED_MOTION_CSS = """
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after {
    transition-duration: 0s !important;
    animation-duration: 0s !important;
    animation-iteration-count: 1 !important;
    scroll-behavior: auto !important;
  }
}
"""


# folium's Map header forbids pinch zoom (maximum-scale=1.0, user-scalable=no) in the frame it is
# drawn in; a reader with low vision must be able to zoom the page.
_VIEWPORT_LOCK = re.compile(r"<meta name=\"viewport\"[^>]*>")


# In a frame of its own the map has no page CSS: its text sizes are set here (folium's 1rem made
# the credits two lines tall), and place names the size the player gives them.
FRAME_CSS = """
.leaflet-container { font-size: 12px; }
.leaflet-container .leaflet-control-attribution, .leaflet-container .leaflet-control-scale-line { font-size: 11px; }
.leaflet-tooltip.sm-label { font: 600 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  padding: 1px 5px; }
"""


class FrameMap(folium.Map):
    """A folium Map for a frame of its own (st_folium): readable text sizes, place names that never
    cover one another (geo/web/frame_map.js), and pinch zoom allowed."""

    default_js = [*folium.Map.default_js, ("sm_frame_map", "")]  # assets.localize points it at our copy

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.get_root().header.add_child(Element(f"<style>{FRAME_CSS}{REDUCED_MOTION_CSS}</style>"), name="frame_css")

    def render(self, **kwargs) -> None:
        """folium's render, then its viewport tag taken out of the header it wrote."""
        super().render(**kwargs)
        header = self.get_root().header
        own = header._children.get(self.get_name())
        if own is not None:
            header._children[self.get_name()] = Element(_VIEWPORT_LOCK.sub("", own.render()))


def outline_map(view: View, *, avoid: Sequence[tuple[float, float, str]] = (),
                url_for: Callable[[str], str] = assets.app_url) -> folium.Map:
    """The offline basemap alone at a view: what st_folium keeps mounted while layers change on it.

    `avoid`: places (lat, lon, name) no town label of the basemap covers.
    """
    fmap = FrameMap(location=view.center, zoom_start=view.zoom, tiles=None, control_scale=True, zoom_animation=False)
    BasemapLayer(url=url_for(basemap.STORE_DIR + "/"), avoid=list(avoid)).add_to(fmap)
    assets.localize(fmap, url_for)
    return fmap


def overview_map(story: Story, positions: Positions, *, size: tuple[int, int] = MAP_SIZE_PX,
                 url_for: Callable[[str], str] = assets.app_url) -> folium.Map:
    """Every place in its kind's colour and named, on the offline basemap: a map to pick places on.

    `size`: the map's frame in pixels, which the view fits."""
    view = view_of(story.places, positions, size, specific=False)
    avoid = [(*latlon(positions[p.id]), p.name) for p in story.places if p.id in positions]
    fmap = outline_map(view, avoid=avoid, url_for=url_for)
    # Where names would collide, the first drawn keeps its name (frame_map.js): towns and crossings
    # before the countries and regions around them, which their outlines and the basemap name too.
    for place in sorted(story.places, key=lambda p: p.kind not in SPECIFIC_KINDS):
        if place.id in positions:
            place_marker(place, positions[place.id], radius=8, label=True).add_to(fmap)
    assets.localize(fmap, url_for)
    return fmap


def place_marker(place: Place, location: Location, *, radius: int = 9, label: bool = False) -> folium.CircleMarker:
    """A place in its kind's colour, named on hover (or always, with `label`: the Places page's map)."""
    name = escape(place.name)
    marker = folium.CircleMarker(
        latlon(location),
        radius=radius,
        color="#ffffff",
        weight=2,
        fill=True,
        fill_color=KIND_COLOURS[place.kind],
        fill_opacity=0.95,
        tooltip=folium.Tooltip(name, permanent=True, direction="right", offset=(8, 0), class_name="sm-label")
        if label else name,
    )
    # The player names the place a click lands on and shows its sentences in its panel.
    marker.sm_place = place.id
    return marker


def area_layer(place: Place, location: Location | None) -> folium.FeatureGroup | None:
    """A country or region as its outline, a border as its line; None for any other place.

    Named `sm_area` = the place's id, so the player can show it on the steps that name the place.
    """
    area = area_of(place, location)
    if area is None:
        return None
    group = folium.FeatureGroup(name=f"Area: {escape(place.name)}")
    if area.kind == "border":
        style = {"color": KIND_COLOURS["border"], "weight": 5, "opacity": 0.85}
    else:
        style = {"color": KIND_COLOURS[place.kind], "weight": 2, "opacity": 0.9,
                 "fillColor": KIND_COLOURS[place.kind], "fillOpacity": 0.08}
    folium.GeoJson(
        {"type": "Feature", "geometry": area.geometry, "properties": {"id": place.id}},
        style_function=lambda _, style=style: style,
        # The area is drawn for the eye; its name is in the step's labels and "On this map".
        interactive=False,
    ).add_to(group)
    group.sm_area = place.id
    group.sm_bounds = [[area.bounds[0], area.bounds[1]], [area.bounds[2], area.bounds[3]]]
    return group


def count_radius_px(people: int) -> float:
    """A count's ring radius in screen pixels: area proportional to people, never too small to see."""
    return max(MIN_COUNT_RADIUS_PX, PX_PER_SQRT_PERSON * math.sqrt(people))


def count_rings(count: Count, location: Location, sentence: str) -> list[folium.CircleMarker]:
    """A count as a filled ring for the low end of its range and a dashed ring for the high end.

    An open-ended count ("at least 500") has no high end: one ring, and its label says so.
    """
    low, high = count_range(count)
    open_high = rule(count.qualifier).open_high
    tooltip = escape(f"{count.quote} — “{sentence}”")
    rings = [(low, "solid")] + ([(high, "dashed")] if high != low and not open_high else [])
    return [
        folium.CircleMarker(
            latlon(location),
            radius=count_radius_px(people),
            color=COUNT_COLOUR,
            weight=2.5,
            dash_array="6 4" if style == "dashed" else None,
            fill=style == "solid",
            fill_color=COUNT_COLOUR,
            fill_opacity=0.3,
            tooltip=tooltip,
        )
        for people, style in rings
    ]


def distance_label(distance: Distance, km: float, *, compact: bool = False) -> str:
    """The line's text: geodesic km, and the article's own figure beside it when it gives one.

    A geo.i18n.Message (English as a str), so that a page can show it in the reader's language.
    """
    # Compact for the label on the map, where the legend already says lines are straight.
    line = f"{km:,.0f}"
    label = Message("{km} km", km=line) if compact else Message("{km} km straight line", km=line)
    if distance.stated_km is None:
        return label
    qualifier = f"{distance.qualifier} " if distance.qualifier else ""
    return Message("{line} · article: {stated}", line=label, stated=f"{qualifier}{distance.stated_km:,.0f} km")


def distance_line(distance: Distance, a: Location, b: Location) -> folium.PolyLine:
    """A distance as a straight line; the player labels it beside its middle with both figures."""
    km = leg(latlon(a), latlon(b)).km
    return folium.PolyLine([latlon(a), latlon(b)], color=DISTANCE_COLOUR, weight=4,
                           tooltip=escape(distance_label(distance, km)))


def step_layer(story: Story, step: Step, article: str, positions: Positions) -> folium.FeatureGroup:
    """Everything one step adds to the base map: its counts (behind), distances and places (on top).

    Permanent labels are the player's: it places them in the browser, at the map's real size,
    so that none collides with another or leaves the map. Each count and distance is tagged with
    its index (`sm_count`, `sm_distance`), so a predict question can hold it back until Reveal.
    """
    group = folium.FeatureGroup(name=f"Step: {escape(step.title)}")
    for n, count in enumerate(step.counts):
        if count.place in positions:
            for ring in count_rings(count, positions[count.place], sentence_of(article, count.quote)):
                ring.sm_count = n
                ring.add_to(group)
    for n, distance in enumerate(step.distances):
        if distance.start in positions and distance.end in positions:
            line = distance_line(distance, positions[distance.start], positions[distance.end])
            line.sm_distance = n
            line.add_to(group)
    for pid in step.places:
        if pid in positions:
            place_marker(story.place(pid), positions[pid]).add_to(group)
    return group


class Pickable(Protocol):
    """A position a person may choose for a place (geo.confirm.Choice)."""

    label: str
    lat: float
    lon: float
    how: str


PICK_COLOUR = "#c0392b"  # the position chosen in the list
OPTION_COLOUR = "#1f5fa8"  # the other readings of the name
CLICK_COLOUR = "#16a085"  # points picked on the map
PICK_LABEL_CHARS = 34


def choices_layer(story: Story, positions: Positions, place_id: str, choices: Sequence[Pickable],
                  selected: int | None, t: Translate = _) -> folium.FeatureGroup:
    """What the confirm map draws for one place: the story's other places dimmed, where the place is
    now (a ring), and each position it may take, numbered as in the list, the selected one named.
    `t` translates the interface words (geo.i18n.gettext_for); place names stay as written."""
    group = folium.FeatureGroup(name="Choices")
    for place in story.places:
        if place.id != place_id and place.id in positions:
            folium.CircleMarker(latlon(positions[place.id]), radius=4, color="#ffffff", weight=1, fill=True,
                                fill_color=DIM, fill_opacity=0.6, tooltip=escape(place.name)).add_to(group)
    if place_id in positions:
        now = story.place(place_id)
        folium.CircleMarker(latlon(positions[place_id]), radius=15, color=KIND_COLOURS[now.kind], weight=3,
                            fill=False, tooltip=escape(t("{place}: where the story puts it now").format(place=now.name))).add_to(group)
    for number, choice in enumerate(choices, start=1):
        chosen = number - 1 == selected
        colour = PICK_COLOUR if chosen else (CLICK_COLOUR if choice.how == "map" else OPTION_COLOUR)
        text = f"{number}. {translate(choice.label, t)}"
        short = text if len(text) <= PICK_LABEL_CHARS else text[: PICK_LABEL_CHARS - 1].rstrip(" ,(") + "…"
        folium.CircleMarker(
            (choice.lat, choice.lon), radius=9 if chosen else 7, color="#ffffff", weight=2, fill=True,
            fill_color=colour, fill_opacity=0.95,
            # The number leads the tooltip: a click on the marker reports it back (st_folium). The
            # selected one keeps a short permanent label: a long one would cover the map.
            tooltip=_label(short) if chosen else escape(text),
        ).add_to(group)
    return group
