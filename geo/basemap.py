"""The offline reference basemap: zoom bands, the tiled store, what an export inlines, max zoom."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from geo import assets

STORE_DIR = "basemap"  # under the vendor folder (static/vendor/basemap, served at app/static/vendor/basemap)
INDEX_NAME = "index.json"
FIRST_FILES = (INDEX_NAME, "world/0_0.json")  # what every map needs first: fetched early by the player
STORE_VERSION = 1
# The largest map the views are framed for (a 1920×1080 projector, map panel only): an export
# inlines every tile such a frame of each step's view touches.
LARGEST_FRAME_PX = (1920, 1080)


@dataclass(frozen=True)
class Band:
    """One level of detail: a source, the zooms it is drawn at, its tiling and grid, and its towns."""

    name: str
    package: str  # npm package of @geo-maps country polygons (OpenStreetMap data, ODbL)
    zmin: int  # drawn from this zoom ...
    zmax: int  # ... to this one (the finest band draws at every zoom above)
    max_zoom: int  # the deepest zoom its accuracy supports: a pixel is then well under its error
    tile_deg: float
    step: float  # coordinate grid in degrees: the source's own precision
    min_population: int  # towns of this band's tiles
    tolerance: float = 0.0  # Douglas–Peucker tolerance in degrees (0: the source as it is)
    min_hole: float = 0.0  # lakes and ponds (holes in the land) smaller than this, in square degrees, are land

    def tile_of(self, lonlat: tuple[float, float]) -> tuple[int, int]:
        """The tile (column, row) holding a (lon, lat) point."""
        columns, rows = math.ceil(360 / self.tile_deg), math.ceil(180 / self.tile_deg)
        x = math.floor((lonlat[0] + 180) / self.tile_deg)
        y = math.floor((lonlat[1] + 90) / self.tile_deg)
        return min(max(x, 0), columns - 1), min(max(y, 0), rows - 1)

    def tile_origin(self, index: int, axis: int) -> float:
        """The west (axis 0) or south (axis 1) edge of a tile column or row, in degrees."""
        return (-180.0 if axis == 0 else -90.0) + index * self.tile_deg

    def tiles_in(self, bounds: Bounds) -> list[tuple[int, int]]:
        """Every tile a (south, west, north, east) box touches."""
        south, west, north, east = bounds
        x0, y0 = self.tile_of((west, south))
        x1, y1 = self.tile_of((east, north))
        return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    def describe(self) -> dict:
        """What the browser needs to know of the band."""
        return {"name": self.name, "zmin": self.zmin, "zmax": self.zmax, "maxZoom": self.max_zoom,
                "tile": self.tile_deg, "step": self.step}


Bounds = tuple[float, float, float, float]  # south, west, north, east (degrees)

# The @geo-maps "resolution" is its stated absolute error. At zoom z a pixel is about
# 156,543 m × cos(lat) / 2^z: 10 km is ~4 px at zoom 6, 1 km ~3 px at zoom 10, 100 m ~6 px at 13.
BANDS = (
    Band("world", "@geo-maps/countries-land-10km", 0, 5, 6, 360.0, 0.05, 1_000_000, tolerance=0.1),
    Band("1km", "@geo-maps/countries-land-1km", 6, 9, 10, 5.0, 0.001, 15_000, min_hole=0.004),
    Band("100m", "@geo-maps/countries-land-100m", 10, 13, 13, 2.0, 0.0001, 1_000, min_hole=0.0004),
)
WORLD = BANDS[0]
# Countries, regions and borders drawn as areas (geo.areas) come from this band: whole outlines
# under AREAS_DIR and whole border lines in its borders.json.
AREAS_BAND = "1km"
AREAS_DIR = "areas"
MAX_ZOOM = BANDS[-1].max_zoom


def tile_key(tile: tuple[int, int]) -> str:
    """A tile's name in the store and in the browser: "column_row"."""
    return f"{tile[0]}_{tile[1]}"


def store_dir() -> Path:
    """The installed store's folder."""
    return assets.VENDOR_DIR / STORE_DIR


@lru_cache(maxsize=2)
def _read_index(path: Path) -> dict:
    """The store's index (bands, their land tiles, country names), read once per process."""
    return json.loads(path.read_text(encoding="utf-8"))


def index() -> dict:
    """The installed store's index, or MissingAssets naming the command that builds it."""
    return _read_index(assets.vendor_path(f"{STORE_DIR}/{INDEX_NAME}"))


def view_bounds(center: tuple[float, float], zoom: int, size: tuple[int, int] = LARGEST_FRAME_PX) -> Bounds:
    """The (south, west, north, east) box a map of `size` pixels shows around a centre at a zoom."""
    scale = 256 * 2**zoom
    x = (center[1] + 180) / 360 * scale
    lat = math.radians(max(min(center[0], 85.0), -85.0))
    y = (1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * scale

    def lat_of(py: float) -> float:
        """Latitude of a web-mercator pixel row at this zoom."""
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / scale))))

    half_w, half_h = size[0] / 2, size[1] / 2
    west, east = (x - half_w) / scale * 360 - 180, (x + half_w) / scale * 360 - 180
    return (max(lat_of(min(y + half_h, scale)), -85.0), max(west, -180.0),
            min(lat_of(max(y - half_h, 0)), 85.0), min(east, 180.0))


def fit_zoom(bounds: Bounds, size: tuple[int, int] = (505, 560)) -> int:
    """The deepest whole zoom at which a (south, west, north, east) box fits a map of `size` pixels."""
    south, west, north, east = bounds

    def y(lat: float) -> float:
        """Web-mercator y at zoom 0, in 256 px tiles."""
        s = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
        return 256 * (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi))

    width, height = (east - west) / 360 * 256, y(south) - y(north)
    scale = min(size[0] / width if width else math.inf, size[1] / height if height else math.inf)
    return max(0, min(MAX_ZOOM, math.floor(math.log2(scale)))) if scale < math.inf else MAX_ZOOM


def band_for(zoom: int) -> Band:
    """The band drawn at a zoom."""
    return [band for band in BANDS if band.zmin <= zoom][-1]


def _raw_tile(band: Band, tile: tuple[int, int]) -> dict:
    """One installed tile's data."""
    path = store_dir() / band.name / f"{tile_key(tile)}.json"
    return json.loads(path.read_text(encoding="utf-8"))


Points = list[tuple[float, float]]  # (lon, lat)


@dataclass(frozen=True)
class Tile:
    """One tile decoded (as basemap.js does): land rings, border lines with the countries left and right, towns."""

    rings: list[Points]
    borders: list[tuple[str, str, Points]]
    towns: list[tuple[str, float, float, int]]  # name, lat, lon, population


def read_tile(band: Band, tile: tuple[int, int]) -> Tile:
    """An installed tile in degrees; a tile the store does not have is all sea."""
    path = store_dir() / band.name / f"{tile_key(tile)}.json"
    raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    ox, oy = (round(band.tile_origin(tile[i], i) / band.step) for i in (0, 1))

    def line(flat: list[int]) -> Points:
        """Delta-coded grid integers -> (lon, lat) points."""
        points, x, y = [], ox, oy
        for i in range(0, len(flat), 2):
            x, y = (x + flat[i], y + flat[i + 1]) if i else (ox + flat[0], oy + flat[1])
            points.append((x * band.step, y * band.step))
        return points

    rings, at = [], 0
    for count in raw.get("r", []):
        rings.append(line(raw["v"][at: at + 2 * count]))
        at += 2 * count
    codes = raw.get("c", [])
    borders = [(codes[left], codes[right], line(flat)) for left, right, flat in raw.get("b", [])]
    towns = [(name, (oy + y) * band.step, (ox + x) * band.step, population) for name, x, y, population in raw.get("t", [])]
    return Tile(rings, borders, towns)


def inline_data(views: list[tuple[tuple[float, float], int]]) -> dict:
    """The store an export carries: the whole world band, and finer tiles around each view.

    For each view, every tile a 1920×1080 frame of it touches, in the view's band and each band
    between it and the world band, so zooming out a little from a step stays sharp.
    """
    installed = {band["name"]: set(band["tiles"]) for band in index()["bands"]}
    chosen: dict[str, set[str]] = {band.name: set() for band in BANDS}
    chosen[WORLD.name] = set(installed[WORLD.name])
    for center, zoom in views:
        frame = view_bounds(center, zoom)
        for band in BANDS[1:]:
            if band.zmin <= zoom:
                chosen[band.name].update(tile_key(t) for t in band.tiles_in(frame))
    bands, tiles = [], {}
    for band in BANDS:
        land = sorted(chosen[band.name] & installed[band.name])
        entry = {**band.describe(), "tiles": land}
        if band is not WORLD:
            entry["covered"] = sorted(chosen[band.name])  # the rest is unknown here: drawn coarser
        bands.append(entry)
        for key in land:
            column, row = map(int, key.split("_"))
            tiles[f"{band.name}/{key}"] = _raw_tile(band, (column, row))
    return {"index": {"version": STORE_VERSION, "names": index()["names"], "bands": bands}, "tiles": tiles}


def max_zoom(bounds: Bounds, data: dict | None = None) -> int:
    """The deepest zoom the basemap shows accurately over the whole box: in the app's store, or in `data`."""
    bands = (data or {"index": index()})["index"]["bands"]
    best = WORLD.max_zoom
    for band, entry in zip(BANDS, bands):
        land = set(entry["tiles"])
        covered = set(entry["covered"]) if "covered" in entry else None
        keys = {tile_key(t) for t in band.tiles_in(bounds)}
        if covered is None or keys <= covered | land:
            best = max(best, band.max_zoom)
    return best


def script_json(data) -> str:
    """JSON safe inside a <script> and inert to the Jinja pass folium makes over element scripts."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Outside strings compact JSON never has "<", "&", "$", "`" or "{" followed by "{", "%" or "#";
    # inside strings these escapes read back as the same characters. "$" and "`" would be inert
    # anyway (no template literal here) but are escaped so that no story text appears verbatim.
    for char in "<>&$`":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


class BasemapLayer(JSCSSMixin, folium.MacroElement):
    """The offline basemap (geo/web/basemap.js) on a folium map: from a URL in the app, inline in an export."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.smBasemap({{ this.options_json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [("sm_basemap", "")]  # assets.localize points it at our own copy

    def __init__(self, url: str | None = None, data: dict | None = None,
                 avoid: list[tuple[float, float, str]] = (), *, tiles: bool = False) -> None:
        """`avoid`: the story's places (lat, lon, name), which no town label covers or repeats;
        `tiles`: online tiles are under it from the start, so its sea and land are not filled."""
        super().__init__()
        self._name = "Basemap"
        self.url, self.data = url, data
        options: dict = {"avoid": [[round(lat, 5), round(lon, 5), name] for lat, lon, name in avoid], "tiles": tiles}
        if data is not None:
            options["data"] = data
        else:
            options["url"] = url
        self.options_json = script_json(options)
