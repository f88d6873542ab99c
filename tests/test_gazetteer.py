"""The offline gazetteer: the article's 11 names, the traps, the raw contract, the index, no network."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from geopy import distance
from geopy.location import Location

from geo import gazetteer
from geo.gazetteer import GEONAMES_CITATION, Gazetteer, normalize
from geo.mapping import latlon

STORY_COUNTRIES = ["MX", "US", "HN", "GT", "SV"]
RAW_KEYS = {"source", "kind", "country_code", "population", "matched", "citation",
            "alternatives", "reason", "fallback"}
# name → (lat, lon, kind, country code, source); positions to ±0.05°, about 5 km.
EXPECTED = {
    "Tijuana": (32.50, -117.00, "city", "MX", "gazetteer"),
    "Mexicali": (32.63, -115.45, "city", "MX", "gazetteer"),
    "San Ysidro": (32.54, -117.03, "border crossing", "US", "overlay"),
    "San Diego": (32.72, -117.16, "city", "US", "gazetteer"),
    "El Chaparral": (32.54, -117.03, "border crossing", "MX", "overlay"),
    "Honduras": (15.0, -86.5, "country", "HN", "overlay"),
    "Guatemala": (15.5, -90.25, "country", "GT", "overlay"),
    "El Salvador": (13.83, -88.92, "country", "SV", "overlay"),
    "Central America": (13.37, -86.20, "region", None, "overlay"),
    "US": (39.83, -98.58, "country", "US", "overlay"),
    "United States": (39.83, -98.58, "country", "US", "overlay"),
    "Mexico": (23.0, -102.0, "country", "MX", "overlay"),
}


@pytest.fixture(scope="module")
def geocoder() -> Gazetteer:
    """One gazetteer with the story's countries as context (the index is built once per session)."""
    return Gazetteer(country_codes=STORY_COUNTRIES)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connection fails the test: the gazetteer must stay offline."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("name", EXPECTED)
def test_article_names_resolve(geocoder: Gazetteer, name: str) -> None:
    lat, lon, kind, code, source = EXPECTED[name]
    location = geocoder.geocode(name)
    assert isinstance(location, Location)
    assert location.latitude == pytest.approx(lat, abs=0.05)
    assert location.longitude == pytest.approx(lon, abs=0.05)
    assert (location.raw["kind"], location.raw["country_code"], location.raw["source"]) == (kind, code, source)
    assert set(location.raw) == RAW_KEYS
    assert location.raw["fallback"] is None
    assert location.raw["reason"]


def test_the_11_names_resolve_without_context() -> None:
    """Context only ranks; the article's names are right even without it."""
    plain = Gazetteer()
    for name, (lat, lon, *_rest) in EXPECTED.items():
        location = plain.geocode(name)
        assert (round(location.latitude, 1), round(location.longitude, 1)) == (round(lat, 1), round(lon, 1)), name


def test_us_is_the_united_states_not_the_french_town(geocoder: Gazetteer) -> None:
    for query in ("US", "Us", "U.S.", "the US"):
        location = geocoder.geocode(query)
        assert location.raw["matched"] == "United States"
        assert location.raw["source"] == "overlay"
    french = [alt for alt in geocoder.geocode("US").raw["alternatives"] if alt["country_code"] == "FR"]
    assert french and french[0]["name"] == "Us"
    assert "overlay" in french[0]["why"]


def test_san_ysidro_is_the_crossing_not_new_mexico(geocoder: Gazetteer) -> None:
    location = geocoder.geocode("San Ysidro")
    assert location.raw["kind"] == "border crossing"
    assert any(alt["name"] == "San Ysidro" and alt["lat"] < 32.4 for alt in location.raw["alternatives"])


def test_el_chaparral_is_the_tijuana_crossing_not_veracruz(geocoder: Gazetteer) -> None:
    location = geocoder.geocode("El Chaparral")
    assert location.latitude > 32 and location.raw["kind"] == "border crossing"
    assert any(alt["lat"] < 20 for alt in location.raw["alternatives"])  # the Veracruz village


def test_countries_beat_towns_of_the_same_name(geocoder: Gazetteer) -> None:
    for name in ("Mexico", "El Salvador"):
        location = geocoder.geocode(name)
        assert location.raw["kind"] == "country"
        assert location.raw["alternatives"], name  # the towns were considered, and rejected


def test_san_diego_is_in_california_and_says_why(geocoder: Gazetteer) -> None:
    location = geocoder.geocode("San Diego")
    assert location.raw["country_code"] == "US" and location.raw["population"] > 1_000_000
    assert "population" in location.raw["reason"]
    assert all("population" in alt["why"] or "outside" in alt["why"] for alt in location.raw["alternatives"])
    assert location.raw["citation"] == GEONAMES_CITATION


def test_country_context_ranks_before_population() -> None:
    """Guatemala's own San Diego (pop. 557) wins over Spain's (45,104) when Guatemala is the context."""
    location = Gazetteer().geocode("San Diego", country_codes="GT")
    assert location.raw["country_code"] == "GT"
    assert "story's countries" in location.raw["reason"]


@pytest.mark.parametrize("query", ["Tiju", "Nowhereville", "", "   ", "San Dieg", "Ysidro Port", "Chaparral crossing"])
def test_unknown_or_partial_names_return_none(geocoder: Gazetteer, query: str) -> None:
    assert geocoder.geocode(query) is None


def test_overlay_rows_carry_their_source() -> None:
    for entries in gazetteer.load_overlay().values():
        for entry in entries:
            assert len(entry.citation) > 20, entry.name


def test_the_border_fence_near_tijuana_is_on_the_border_not_in_the_city(geocoder: Gazetteer) -> None:
    """Counts "near the city of Tijuana" at the fence are drawn on the border due north of the city, with a cited position."""
    fence, city = geocoder.geocode("Tijuana border fence"), geocoder.geocode("Tijuana")
    assert fence.raw["source"] == "overlay" and fence.raw["kind"] == "border"
    assert fence.longitude == pytest.approx(city.longitude, abs=0.001)  # due north of the city's point
    assert distance.geodesic(latlon(fence), latlon(city)).km > 4
    assert distance.geodesic(latlon(fence), latlon(geocoder.geocode("San Ysidro"))).km < 3
    # On the border line the basemap draws (its source is named), not an estimate of our own.
    assert "OpenStreetMap" in fence.raw["citation"] and "near the city of Tijuana" in fence.raw["citation"]


def test_region_and_border_points_say_what_they_stand_for(geocoder: Gazetteer) -> None:
    assert "whole border" in geocoder.geocode("US-Mexico border").raw["citation"]
    assert "Nicaragua" in geocoder.geocode("Central America").raw["citation"]


def test_exactly_one_false_lists_every_candidate_best_first(geocoder: Gazetteer) -> None:
    found = geocoder.geocode("Mexico", exactly_one=False)
    assert len(found) > 3
    assert found[0].raw["kind"] == "country"
    assert found[1].raw["reason"].startswith("ranked 2 of")


def test_reverse_finds_the_nearest_entry(geocoder: Gazetteer) -> None:
    assert geocoder.reverse((32.62, -115.45)).raw["matched"] == "Mexicali"
    assert "km away" in geocoder.reverse("32.5433, -117.0297").raw["reason"]


def test_normalize_ignores_case_accents_dashes_and_dots() -> None:
    assert normalize("  The US–Mexico  Border ") == normalize("us-mexico border")
    assert normalize("México") == "mexico"
    assert normalize("U.S.") == "us"
    assert normalize("São Paulo") == "sao paulo" and normalize("Zürich") == "zurich"
    assert normalize("Winston\u2010Salem") == "winston-salem"  # a Unicode hyphen is a dash


def test_big_json_objects_are_read_one_value_at_a_time(tmp_path: Path) -> None:
    data = {str(n): {"name": f"Town {n}", "alternatenames": ["\u0421\u043e\u043b", f"T{n}"], "n": n}
            for n in range(50)}
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    # A 7-character chunk cuts every key and value somewhere: each must still come out whole.
    assert list(gazetteer._json_object_values(path, chunk=7)) == list(data.values())
    path.write_text(json.dumps(data)[:-40], encoding="utf-8")
    with pytest.raises(ValueError, match="cities.json: truncated"):
        list(gazetteer._json_object_values(path, chunk=64))


def test_only_names_an_english_text_can_write_are_indexed() -> None:
    assert gazetteer._readable("Londres") and gazetteer._readable("Sant Julià de Lòria")
    assert not gazetteer._readable("\u041b\u043e\u043d\u0434\u043e\u043d")  # Cyrillic
    assert not gazetteer._readable("surudeu")  # GeoNames' machine transliteration
    assert not gazetteer._readable("SAN")  # an airport code


def test_the_index_marks_own_names_and_keeps_demonyms_singular(geocoder: Gazetteer) -> None:
    rows = geocoder.connection.execute(
        "SELECT p.name, p.country_code, n.main FROM names n JOIN places p ON p.id = n.place"
        " WHERE n.norm = 'venice' AND p.kind = 'city'").fetchall()
    assert ("Venice", "IT", 1) in rows and ("Dayton", "US", 0) in rows  # an old name of Dayton, Ohio
    demonyms = {norm for (norm,) in geocoder.connection.execute(
        "SELECT d.norm FROM demonyms d JOIN places p ON p.id = d.place WHERE p.country_code = 'CA'")}
    assert "canadian" in demonyms and "canadians" not in demonyms


def test_index_is_built_in_the_configured_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORY_MAP_INDEX_DIR", str(tmp_path))
    assert gazetteer.index_path().parent == tmp_path
    monkeypatch.delenv("STORY_MAP_INDEX_DIR")
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path / "c"))
    assert gazetteer.index_path().parent == tmp_path / "c"


def test_the_session_index_lives_outside_home(geocoder: Gazetteer) -> None:
    geocoder.geocode("Tijuana")
    path = gazetteer.index_path()
    assert path.exists()
    assert not str(path).startswith(str(Path.home() / ".cache"))
