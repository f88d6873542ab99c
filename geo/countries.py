"""How far a point is outside a country, offline: country outlines from countryinfo, by ISO code.

Used to refuse a geocoder's answer that lands far from the place's country. Why these data:
- countryinfo (pip, pinned, MIT; already used by the gazetteer) ships each country's outline as
  GeoJSON with its ISO codes, so the check works offline and on any server, with or without the
  npm assets;
- its outlines are coarse (about Natural Earth 1:110m) and cover 173 countries: a few km of
  error, nothing next to a 500 km tolerance. A country without an outline is left out of the check.
Distances are to the nearest point of the outline (0 inside), good to a few percent: enough to
tell a neighbouring town from a wrong continent, which is all this is for.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from geopy.distance import great_circle

from geo.i18n import Message

Ring = list[tuple[float, float]]  # (lon, lat) vertices


@lru_cache(maxsize=1)
def _outlines() -> dict[str, list]:
    """Each country's polygons (GeoJSON coordinates, as MultiPolygon) by alpha-2 code, read once."""
    import countryinfo

    found: dict[str, list] = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        code = (record.get("ISO") or {}).get("alpha2")
        features = (record.get("geoJSON") or {}).get("features") or []
        if not code or not features:
            continue
        geometry = features[0].get("geometry") or {}
        if geometry.get("type") == "Polygon":
            found[code] = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            found[code] = geometry["coordinates"]
    return found


def country_name(code: str) -> str:
    """The country's name for messages ('Mexico'), or the code when it is unknown."""
    from geo.gazetteer import geonames_data

    return geonames_data("countries.json").get(code.upper(), {}).get("name", code)


@lru_cache(maxsize=64)
def rings(code: str) -> tuple[Ring, ...]:
    """The outline rings (outer and holes) of a country by ISO alpha-2 code; () if it has none."""
    polygons = _outlines().get(code.upper(), [])
    return tuple([(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon)


def km_outside(code: str, lat: float, lon: float) -> float | None:
    """How far (km) the point is outside the country: 0 inside, None if the country has no outline."""
    outline = rings(code)
    if not outline:
        return None
    if _inside(outline, lon, lat):
        return 0.0
    return min(_km_to_ring(ring, lat, lon) for ring in outline)


def _inside(outline: tuple[Ring, ...], x: float, y: float) -> bool:
    """Even-odd ray casting over every ring, so holes (enclaves, lakes) count as outside."""
    inside = False
    for ring in outline:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _km_to_ring(ring: Ring, lat: float, lon: float) -> float:
    """Great-circle km to the ring's nearest point, found in a local flat projection around the point."""
    kx = math.cos(math.radians(lat))  # degrees of longitude shrink with latitude
    best, nearest = math.inf, ring[0]
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        ax, bx = _wrap(x1 - lon) * kx, _wrap(x2 - lon) * kx
        if abs(ax - bx) > 180 * kx:
            continue  # an edge along the antimeridian cut; its ends are other edges' ends too
        ay, by = y1 - lat, y2 - lat
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
        px, py = ax + t * dx, ay + t * dy
        if px * px + py * py < best:
            best, nearest = px * px + py * py, (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
    return great_circle((lat, lon), (nearest[1], nearest[0])).km


def _wrap(degrees: float) -> float:
    """A longitude difference in [-180, 180)."""
    return (degrees + 180.0) % 360.0 - 180.0


def far_outside(codes: list[str], lat: float, lon: float, limit_km: float) -> str | None:
    """Why the point is refused: more than `limit_km` outside every given country; None if it is not.

    Countries without an outline are left out; if none has one, nothing is refused.
    """
    distances = {code: km_outside(code, lat, lon) for code in codes}
    known = {code: km for code, km in distances.items() if km is not None}
    if not known or min(known.values()) <= limit_km:
        return None
    names = [f"{country_name(code)} ({code})" for code in known]
    named = names[0]
    for name in names[1:]:
        named = Message("{first} or {second}", first=named, second=name)
    return Message("({lat}, {lon}), {km} km outside {countries}", lat=f"{lat:.2f}", lon=f"{lon:.2f}",
                   km=f"{min(known.values()):,.0f}", countries=named)
