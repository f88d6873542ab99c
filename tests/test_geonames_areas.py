"""Countries and first-level areas stand at GeoNames' own points (data/geonames_areas.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from geopy import distance

from geo import admin, geonames_areas_build
from geo.gazetteer import Gazetteer
from geo.parse import Parser

# GeoNames' own points (geonames.org, by geonameid), what news geoparsing corpora are annotated
# against; the Factbook puts Canada at 60 N 95 W, about 1,000 km east of GeoNames' point.
GEONAMES = {
    ("Canada", "country"): (60.10867, -113.64258),  # 6251999
    ("Japan", "country"): (35.68536, 139.75309),  # 1861060
    ("Australia", "country"): (-25.0, 135.0),  # 2077456
    ("Ontario", "admin1"): (49.25014, -84.49983),  # 6093943
    ("Alberta", "admin1"): (52.28333, -117.469),  # 5883102
    ("Texas", "admin1"): (31.25044, -99.25061),  # 4736286
}


@pytest.fixture(scope="module")
def geocoder() -> Gazetteer:
    """The default gazetteer (the index is built once per test session)."""
    return Gazetteer()


@pytest.mark.parametrize(("name", "kind"), GEONAMES)
def test_countries_and_provinces_stand_at_geonames_points(geocoder: Gazetteer, name: str, kind: str) -> None:
    entry = next(e for e in geocoder.candidates(name) if e.kind == kind and e.name == name)
    assert distance.geodesic((entry.lat, entry.lon), GEONAMES[name, kind]).km < 50
    assert "GeoNames' own" in entry.note and "data/geonames_areas.csv" in entry.note


def test_a_demonym_stands_at_its_country_s_geonames_point(geocoder: Gazetteer) -> None:
    found = {t.text: t for t in Parser(geocoder).parse("Canadian officials met in Ontario.")}
    assert found["Canadian"].demonym
    assert distance.geodesic((found["Canadian"].best.lat, found["Canadian"].best.lon),
                             GEONAMES["Canada", "country"]).km < 50
    assert found["Ontario"].best.kind == "admin1"


def test_the_seed_story_s_countries_keep_their_curated_points(geocoder: Gazetteer) -> None:
    """The overlay's rows (Factbook and USGS points, cited) still come first for the seed story."""
    best = geocoder.candidates("United States")[0]
    assert (best.origin, best.lat, best.lon) == ("overlay", 39.8333, -98.5833)


def test_an_area_the_file_lacks_keeps_an_estimate_that_says_so(geocoder: Gazetteer) -> None:
    listed = set(admin.geonames_points())
    assert 5883102 in listed  # Alberta
    estimates = geocoder.connection.execute(
        "SELECT name, note FROM places WHERE kind = 'admin1' AND note LIKE 'estimated point%'").fetchall()
    assert estimates  # first-level areas GeoNames gives no point for here
    assert all("no GeoNames point" in note for _, note in estimates)


def test_the_file_cites_its_source_and_every_row_is_a_point() -> None:
    text = admin.GEONAMES_AREAS_PATH.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("GeoNames (geonames.org), CC BY 4.0" in line for line in header)
    assert any("sha256" in line and "pyowm" in line for line in header)
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert len(rows) > 3000 and len({row["geonameid"] for row in rows}) == len(rows)
    for row in rows:
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        assert row["level"] in ("country", "admin1") and len(row["country_code"]) == 2, row
        assert bool(row["admin1_code"]) == (row["level"] == "admin1"), row


def test_the_build_rounds_32_bit_floats_back_to_geonames_decimals() -> None:
    # OpenWeatherMap's list stores GeoNames' 60.10867, -113.64258 as 32-bit floats.
    rows = geonames_areas_build.rows({6251999: (60.108669, -113.642578), 6093943: (49.250141, -84.499832)})
    assert ("6251999", "CA", "", "Canada", "60.10867", "-113.64258", "country") in rows
    assert ("6093943", "CA", "08", "Ontario", "49.25014", "-84.49983", "admin1") in rows
    assert len(rows) == 2


def test_the_build_names_a_bad_wheel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel = tmp_path / "not-a-wheel.whl"
    wheel.write_bytes(b"nonsense")
    assert geonames_areas_build.main([str(wheel), "-o", str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err
    assert "cannot read" in err and "not-a-wheel.whl" in err
    assert not (tmp_path / "out.csv").exists()
