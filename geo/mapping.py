"""folium builders: one stable base map per story and one FeatureGroup per step. Never displays."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from html import escape as escape_html

import folium
from folium.elements import JSCSSMixin
from folium.plugins import Fullscreen, MiniMap
from geopy.location import Location
from folium.template import Template  # folium's Template has the tojavascript filter

from geo import assets
from geo.distance import check_claim, leg
from geo.model import Count, Distance, Place, Step, Story
from geo.quantities import count_range, describe
from geo.article import sentence_of

Positions = Mapping[str, Location]

KIND_COLOURS = {
    "city": "#1f5fa8",
    "neighbourhood": "#1f5fa8",
    "border crossing": "#c0392b",
    "country": "#6b5b95",
    "region": "#6b5b95",
    "border": "#8e5a2b",
}
DIM = "#8a8f98"
COUNT_COLOUR = "#e67e22"
DISTANCE_COLOUR = "#16a085"
ROUTE_COLOUR = "#7f8c8d"
# Count circles are sized in screen pixels so that area, not radius, is proportional to the
# number of people at every zoom: 7,500 people -> about 39 px, 500 -> 10 px.
PX_PER_SQRT_PERSON = 0.45
MIN_COUNT_RADIUS_PX = 3
# Zoom for a step that shows a single place, by what kind of place it is.
SINGLE_PLACE_ZOOM = {"city": 10, "neighbourhood": 13, "border crossing": 13, "country": 6, "region": 5, "border": 6}
LABEL_ROOM_PX = 100  # kept free right of the easternmost place, where its label goes
LABEL_GAP_PX = (110, 26)  # a label's rough width and height: closer points share one label
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


def step_bounds(story: Story, step: Step, positions: Positions) -> tuple[list[list[float]], int]:
    """The box a step frames ([[south, west], [north, east]]) and the zoom it must not pass.

    The browser fits the box to the map's real size; Python only chooses what to frame.
    """
    places = framed(story, step, positions)
    points = [latlon(positions[p.id]) for p in places]
    if not points:
        return [[-60.0, -170.0], [75.0, 170.0]], 3
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    # One point (or one cluster) is framed by what kind of place it is, never closer.
    closest = max(SINGLE_PLACE_ZOOM[p.kind] for p in places) if len(set(points)) == 1 else 13
    return [[min(lats), min(lons)], [max(lats), max(lons)]], closest


def _quote_html(sentence: str) -> str:
    """A sentence of the article as escaped HTML."""
    return f'<blockquote style="margin:4px 0;font-style:italic">“{escape(sentence)}”</blockquote>'


def _label(text: str) -> folium.Tooltip:
    """A permanent, escaped label."""
    return folium.Tooltip(escape(text), permanent=True, direction="right", offset=(8, 0), class_name="sm-label")


class Legend(folium.MacroElement):
    """A Leaflet control explaining the symbols; static HTML, no data from the story."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "sm-legend");
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        swatch = '<span style="display:inline-block;width:12px;height:12px;border-radius:50%;{}"></span> {}'
        line = '<span style="display:inline-block;width:18px;border-top:3px {} {}"></span> {}'
        # A <details> folds the legend away on a small map with no script of ours.
        self.html = (
            '<details style="background:rgba(255,255,255,.92);padding:4px 8px;border-radius:4px;'
            'font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)"><summary>Legend</summary>'
            + "<br>".join(
                [
                    swatch.format(f"background:{KIND_COLOURS['city']}", "place in this step"),
                    swatch.format(f"background:{KIND_COLOURS['border crossing']}", "border crossing"),
                    swatch.format(f"background:{DIM};opacity:.6", "other place in the story"),
                    swatch.format(f"border:2px solid {COUNT_COLOUR}", "people reported (area ∝ number)"),
                    swatch.format(f"border:2px dashed {COUNT_COLOUR}", "upper end of a vague count"),
                    line.format("solid", DISTANCE_COLOUR, "straight line (geodesic km)"),
                    line.format("dashed", ROUTE_COLOUR, "caravan route (schematic)"),
                ]
            )
            + "</details>"
        )


OUTLINE_STYLE = {"color": "#6d7178", "weight": 1, "fillColor": "#f3f1ea", "fillOpacity": 1}


class OutlineLayer(JSCSSMixin, folium.MacroElement):
    """Natural Earth country borders, the basemap that needs no network: fetched, or inlined."""

    # Not folium.TopoJson: folium compiles every element's rendered script as a Jinja template,
    # and st_folium renders the base map on every rerun, so inline TopoJSON was re-compiled on
    # every step (about 100 ms for the 1:50m outlines). The app passes a URL (static serving),
    # fetched once by the browser; the single-file export inlines the data.
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJson(null, {style: {{ this.style|tojson }}, interactive: false, renderer: L.canvas({padding: 0.2})})
                .addTo({{ this._parent.get_name() }});
            var {{ this.get_name() }}_topo = {% if this.url %}fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }){% else %}Promise.resolve({{ this.data|tojson }}){% endif %};
            {{ this.get_name() }}_topo.then(function (topo) {
                {{ this.get_name() }}.addData(topojson.feature(topo, topo.objects.countries));
                {{ this.get_name() }}.bringToBack();  // drawn late, it must not cover the places
            });
            // Under online tiles only the borders stay: a land fill would hide the tiles.
            {{ this.get_name() }}.setTiles = function (on) {
                this.setStyle({fillOpacity: on ? 0 : {{ this.style.fillOpacity }}});
            };
        {% endmacro %}
        """
    )
    default_js = [("topojson", "")]  # assets.localize points it at our own copy

    def __init__(self, url: str | None = None, data: dict | None = None) -> None:
        super().__init__()
        self._name = "Outlines"
        self.url, self.data, self.style = url, data, OUTLINE_STYLE


class OutlineMiniMap(MiniMap):
    """A minimap drawn from the offline country outlines, so it works without tiles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = L.geoJson(null, {style: {color: "#777", weight: 0.5, fillColor: "#eee", fillOpacity: 1}});
            {{ this.outline.get_name() }}_topo.then(function (topo) {
                {{ this.get_name() }}_layer.addData(topojson.feature(topo, topo.objects.countries));
            });
            var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer, {{ this.options|tojavascript }});
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
            // One-way: the minimap follows the map, never the reverse. Its coarse zoom rounds the
            // centre, and syncing that back shifted each step's view by a third of a degree.
            {{ this.get_name() }}._miniMap.off("moveend", {{ this.get_name() }}._onMiniMapMoved, {{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, outline: OutlineLayer, **kwargs) -> None:
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
) -> folium.Map:
    """The map every step shares: outlines, every place dimmed, the route, controls and legend."""
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
    )
    outline = (
        OutlineLayer(data=assets.outlines()) if inline_outlines else OutlineLayer(url=url_for(assets.OUTLINES))
    )
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
    Legend().add_to(fmap)
    assets.localize(fmap, url_for)
    return fmap


def outline_map(view: View, *, url_for: Callable[[str], str] = assets.app_url) -> folium.Map:
    """The offline basemap alone at a view: what st_folium keeps mounted while layers change on it."""
    fmap = folium.Map(location=view.center, zoom_start=view.zoom, tiles=None, control_scale=True, zoom_animation=False)
    OutlineLayer(url=url_for(assets.OUTLINES)).add_to(fmap)
    assets.localize(fmap, url_for)
    return fmap


def overview_map(story: Story, positions: Positions, *, url_for: Callable[[str], str] = assets.app_url) -> folium.Map:
    """Every place in its kind's colour and named, on the offline basemap: a map to pick places on."""
    view = view_of(story.places, positions, specific=False)
    fmap = outline_map(view, url_for=url_for)
    with_label = labelled([p.id for p in story.places], positions, view.zoom)
    for place in story.places:
        if place.id in positions:
            place_marker(place, positions[place.id], labelled=place.id in with_label, radius=8).add_to(fmap)
    assets.localize(fmap, url_for)
    return fmap


def place_marker(place: Place, location: Location, *, labelled: bool, radius: int = 9) -> folium.CircleMarker:
    """A place in its kind's colour, named by a permanent label or on hover."""
    marker = folium.CircleMarker(
        latlon(location),
        radius=radius,
        color="#ffffff",
        weight=2,
        fill=True,
        fill_color=KIND_COLOURS[place.kind],
        fill_opacity=0.95,
        tooltip=_label(place.name) if labelled else escape(place.name),
    )
    # The player names the place a click lands on and shows its sentences in its panel.
    marker.sm_place = place.id
    return marker


def _count_layer(count: Count, location: Location, sentence: str) -> list[folium.CircleMarker]:
    """A count as a circle of area proportional to people; a range as inner and outer rings."""
    low, high = count_range(count)
    tooltip = f"{describe(count)} — “{sentence}”"
    rings = [(low, "solid")] + ([(high, "dashed")] if high and high != low else [])
    return [
        folium.CircleMarker(
            latlon(location),
            radius=max(MIN_COUNT_RADIUS_PX, PX_PER_SQRT_PERSON * math.sqrt(people)),
            color=COUNT_COLOUR,
            weight=2,
            dash_array="5 4" if style == "dashed" else None,
            fill=style == "solid",
            fill_color=COUNT_COLOUR,
            fill_opacity=0.25,
            tooltip=escape(tooltip),
        )
        for people, style in rings
    ]


def distance_label(distance: Distance, km: float, *, compact: bool = False) -> str:
    """The line's label: geodesic km, and the article's own figure beside it when it gives one."""
    # Compact for the label on the map, where the legend already says lines are straight.
    label = f"{km:,.0f} km" + ("" if compact else " straight line")
    if distance.stated_km is not None:
        qualifier = f"{distance.qualifier} " if distance.qualifier else ""
        label += f" · article: {qualifier}{distance.stated_km:,.0f} km"
    return label


def _distance_layer(distance: Distance, a: Location, b: Location, article: str) -> list[folium.Element]:
    """A distance as a straight line labelled with both figures, its popup the claim check."""
    km = leg(latlon(a), latlon(b)).km
    body = f"<b>{escape(distance_label(distance, km))}</b>"
    if distance.quote:
        body += f"<br>{escape(check_claim(distance, km).text)}" + _quote_html(sentence_of(article, distance.quote))
    if distance.note:
        body += f"<br><i>{escape(distance.note)}</i>"
    label = escape(distance_label(distance, km))
    # A quarter of the way along: the label runs to the right, so it stays clear of the far end.
    anchor = (a.latitude + (b.latitude - a.latitude) / 4, a.longitude + (b.longitude - a.longitude) / 4)
    return [
        folium.PolyLine(
            [latlon(a), latlon(b)], color=DISTANCE_COLOUR, weight=4, tooltip=label, popup=folium.Popup(body, max_width=360)
        ),
        # The label hangs on an invisible point on the line: a permanent tooltip bound to the
        # line itself is placed before the step's view is set, and lands off screen; and only
        # right-hand tooltips are placed right (centred ones are shifted by their own width).
        folium.CircleMarker(
            anchor,
            radius=1,
            opacity=0,
            fill_opacity=0,
            tooltip=folium.Tooltip(
                escape(distance_label(distance, km, compact=True)), permanent=True, direction="right", class_name="sm-label"
            ),
        ),
    ]


def _world_px(location: Location, zoom: int) -> tuple[float, float]:
    """Web-mercator pixel coordinates of a point at a zoom (256 px tiles)."""
    scale = 256 * 2**zoom
    lat = math.radians(max(min(location.latitude, 85.0), -85.0))
    x = (location.longitude + 180) / 360 * scale
    y = (1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * scale
    return x, y


def labelled(place_ids: list[str], positions: Positions, zoom: int) -> set[str]:
    """The places that get a permanent label at this zoom: the first of each crowded cluster."""
    # At the overview zoom Tijuana, the crossings and San Diego sit within a few pixels; the
    # others keep their hover tooltip, so no label covers another.
    chosen: list[tuple[float, float]] = []
    names = set()
    for pid in place_ids:
        if pid not in positions:
            continue
        x, y = _world_px(positions[pid], zoom)
        if all(abs(x - cx) > LABEL_GAP_PX[0] or abs(y - cy) > LABEL_GAP_PX[1] for cx, cy in chosen):
            chosen.append((x, y))
            names.add(pid)
    return names


def step_layer(story: Story, step: Step, article: str, positions: Positions) -> folium.FeatureGroup:
    """Everything one step adds to the base map: its places highlighted, its counts and distances."""
    group = folium.FeatureGroup(name=f"Step: {escape(step.title)}")
    with_label = labelled(step.places, positions, step_view(story, step, positions).zoom)
    for pid in step.places:
        if pid not in positions:
            continue
        place_marker(story.place(pid), positions[pid], labelled=pid in with_label).add_to(group)
    for count in step.counts:
        if count.place in positions:
            for ring in _count_layer(count, positions[count.place], sentence_of(article, count.quote)):
                ring.add_to(group)
    for distance in step.distances:
        if distance.start in positions and distance.end in positions:
            for element in _distance_layer(distance, positions[distance.start], positions[distance.end], article):
                element.add_to(group)
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
                  selected: int | None) -> folium.FeatureGroup:
    """What the confirm map draws for one place: the story's other places dimmed, where the place is
    now (a ring), and each position it may take, numbered as in the list, the selected one named."""
    group = folium.FeatureGroup(name="Choices")
    for place in story.places:
        if place.id != place_id and place.id in positions:
            folium.CircleMarker(latlon(positions[place.id]), radius=4, color="#ffffff", weight=1, fill=True,
                                fill_color=DIM, fill_opacity=0.6, tooltip=escape(place.name)).add_to(group)
    if place_id in positions:
        now = story.place(place_id)
        folium.CircleMarker(latlon(positions[place_id]), radius=15, color=KIND_COLOURS[now.kind], weight=3,
                            fill=False, tooltip=escape(f"{now.name}: where the story puts it now")).add_to(group)
    for number, choice in enumerate(choices, start=1):
        chosen = number - 1 == selected
        colour = PICK_COLOUR if chosen else (CLICK_COLOUR if choice.how == "map" else OPTION_COLOUR)
        text = f"{number}. {choice.label}"
        short = text if len(text) <= PICK_LABEL_CHARS else text[: PICK_LABEL_CHARS - 1].rstrip(" ,(") + "…"
        folium.CircleMarker(
            (choice.lat, choice.lon), radius=9 if chosen else 7, color="#ffffff", weight=2, fill=True,
            fill_color=colour, fill_opacity=0.95,
            # The number leads the tooltip: a click on the marker reports it back (st_folium). The
            # selected one keeps a short permanent label: a long one would cover the map.
            tooltip=_label(short) if chosen else escape(text),
        ).add_to(group)
    return group
