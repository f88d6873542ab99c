"""The provider chain against a local stub: success, every failure mode, caching, rate limit, no hangs."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

import pytest
from geopy.geocoders import Nominatim, Photon

from geo.cache import JsonCache
from geo.gazetteer import Gazetteer
from geo.geocoding import (MAX_TIMEOUT, OSM_CITATION, USER_AGENT, GeocodingChain, RateLimit,
                           locate_places, make_chain, make_provider)
from geo.story import load_story
from stub_geocoder import STUB_POINT, StubGeocoder, closed_port

REPO = Path(__file__).resolve().parent.parent
PROVIDERS = ["nominatim", "photon"]
HANG_GUARD = 3.0  # seconds: a failure must fall back within about the 2 s timeout, never hang
TEST_TIMEOUT = 1.0  # shorter than the real 2 s so the slow cases keep the suite quick
# mode → words the fallback sentence must contain
FAILURES = {
    "429": "too many",
    "500": "answered with an error",
    "slow": "did not answer in time",
    "garbage": "not valid JSON",
    "empty": "found no match",
}


@pytest.fixture(scope="module")
def offline() -> Gazetteer:
    """The offline gazetteer shared by these tests."""
    return Gazetteer()


def chain_for(offline: Gazetteer, name: str, domain: str, tmp_path: Path, **options) -> GeocodingChain:
    """A chain to the stub with no rate-limit waits and a private cache file."""
    provider = make_provider(name, domain=domain, scheme="http", timeout=TEST_TIMEOUT)
    options.setdefault("rate_limit", RateLimit(0))
    return GeocodingChain(offline, provider, cache=JsonCache(tmp_path / "cache.json"),
                          timeout=TEST_TIMEOUT, **options)


@pytest.mark.parametrize("name", PROVIDERS)
def test_online_success_is_credited_and_cached(offline: Gazetteer, name: str, tmp_path: Path) -> None:
    with StubGeocoder("ok") as stub:
        chain = chain_for(offline, name, stub.domain, tmp_path)
        first = chain.geocode("Tijuana")
        again = chain.geocode("tijuana ")
    assert (first.latitude, first.longitude) == STUB_POINT
    assert first.raw["source"] == name and first.raw["citation"] == OSM_CITATION
    assert (first.raw["kind"], first.raw["country_code"], first.raw["fallback"]) == ("city", "MX", None)
    assert again.raw["source"] == f"cache:{name}" and (again.latitude, again.longitude) == STUB_POINT
    assert len(stub.requests) == 1  # the second lookup came from the cache
    assert stub.requests[0]["user_agent"] == USER_AGENT
    assert stub.requests[0]["path"] == ("/search" if name == "nominatim" else "/api")


@pytest.mark.parametrize("mode", FAILURES)
@pytest.mark.parametrize("name", PROVIDERS)
def test_every_failure_falls_back_with_a_reason(offline: Gazetteer, name: str, mode: str,
                                                tmp_path: Path) -> None:
    with StubGeocoder(mode, delay=TEST_TIMEOUT + 1) as stub:
        chain = chain_for(offline, name, stub.domain, tmp_path)
        started = time.monotonic()
        location = chain.geocode("Tijuana")
        elapsed = time.monotonic() - started
    assert elapsed < HANG_GUARD
    assert location.raw["source"] == "gazetteer" and location.raw["matched"] == "Tijuana"
    assert name in location.raw["fallback"] and FAILURES[mode] in location.raw["fallback"]
    assert "offline" in location.raw["fallback"]
    assert len(chain.cache) == 0  # failures are never cached


@pytest.mark.parametrize("name", PROVIDERS)
def test_connection_refused_falls_back_fast(offline: Gazetteer, name: str, tmp_path: Path) -> None:
    chain = chain_for(offline, name, f"127.0.0.1:{closed_port()}", tmp_path)
    started = time.monotonic()
    location = chain.geocode("Mexicali")
    assert time.monotonic() - started < HANG_GUARD
    assert location.raw["matched"] == "Mexicali" and "could not be reached" in location.raw["fallback"]


def test_a_timed_out_provider_is_left_alone_for_the_session(offline: Gazetteer, tmp_path: Path) -> None:
    with StubGeocoder("slow", delay=TEST_TIMEOUT + 1) as stub:
        chain = chain_for(offline, "nominatim", stub.domain, tmp_path)
        chain.geocode("Tijuana")
        started = time.monotonic()
        later = chain.geocode("Mexicali")
        assert time.monotonic() - started < 0.5
    assert len(stub.requests) == 1
    assert "off for this session" in later.raw["fallback"]


def test_a_server_error_does_not_switch_the_provider_off(offline: Gazetteer, tmp_path: Path) -> None:
    with StubGeocoder("500") as stub:
        chain = chain_for(offline, "photon", stub.domain, tmp_path)
        chain.geocode("Tijuana")
        chain.geocode("Mexicali")
    assert len(stub.requests) == 2 and chain.down is None


def test_curated_overlay_places_are_never_sent_online(offline: Gazetteer, tmp_path: Path) -> None:
    with StubGeocoder("ok") as stub:
        location = chain_for(offline, "nominatim", stub.domain, tmp_path).geocode("El Chaparral")
    assert stub.requests == [] and location.raw["source"] == "overlay"


def test_unknown_everywhere_is_none_and_logged(offline: Gazetteer, tmp_path: Path, caplog) -> None:
    with StubGeocoder("500") as stub, caplog.at_level(logging.WARNING, logger="geo.geocoding"):
        assert chain_for(offline, "nominatim", stub.domain, tmp_path).geocode("Nowhereville") is None
    assert "Nowhereville" in caplog.text and "answered with an error" in caplog.text


def test_one_request_per_second_across_the_process(offline: Gazetteer, tmp_path: Path) -> None:
    shared = RateLimit(1.0)
    with StubGeocoder("ok") as stub:
        chain_for(offline, "nominatim", stub.domain, tmp_path, rate_limit=shared).geocode("Tijuana")
        chain_for(offline, "photon", stub.domain, tmp_path / "b", rate_limit=shared).geocode("Mexicali")
    first, second = (request["time"] for request in stub.requests)
    assert second - first >= 0.95


def test_rate_limit_waits_only_the_remainder() -> None:
    now = [100.0]
    slept: list[float] = []
    limit = RateLimit(1.0, clock=lambda: now[0], sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)))
    limit.wait()
    now[0] += 0.25
    limit.wait()
    now[0] += 2.0
    limit.wait()
    assert slept == [pytest.approx(0.75)]


def test_providers_are_geopys_own_with_capped_timeout() -> None:
    nominatim = make_provider("nominatim", timeout=30)
    photon = make_provider("photon", domain="127.0.0.1:1", scheme="http")
    assert isinstance(nominatim, Nominatim) and isinstance(photon, Photon)
    assert nominatim.timeout <= MAX_TIMEOUT and photon.timeout <= MAX_TIMEOUT
    assert nominatim.headers["User-Agent"] == USER_AGENT
    assert isinstance(make_provider("offline"), Gazetteer)
    with pytest.raises(ValueError, match="unknown provider"):
        make_provider("google")


def test_the_default_chain_is_offline_and_makes_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    chain = make_chain()
    assert chain.online is None and chain.cache is None
    assert chain.geocode("Tijuana").raw["source"] == "gazetteer"


def test_locate_places_finds_every_story_place_offline() -> None:
    story = load_story(REPO / "data" / "story.yaml")
    found, notes = locate_places(story, make_provider("offline"))
    assert set(found) == {place.id for place in story.places} and notes == []
    assert found["san_ysidro"].raw["kind"] == "border crossing"


def test_locate_places_notes_each_fallback(tmp_path: Path) -> None:
    story = load_story(REPO / "data" / "story.yaml")
    chain = GeocodingChain(Gazetteer(), make_provider("nominatim", domain=f"127.0.0.1:{closed_port()}", scheme="http"),
                           cache=JsonCache(tmp_path / "c.json"), rate_limit=RateLimit(0))
    found, notes = locate_places(story, chain=chain)
    assert set(found) == {place.id for place in story.places}
    online_asked = [place for place in found.values() if place.raw["source"] == "gazetteer"]
    assert len(notes) == len(online_asked) >= 3  # Tijuana, Mexicali, San Diego are not in the overlay
    assert all("could not be reached" in note for note in notes)


# --- answers are checked against the place's countries ------------------------------------------

@pytest.mark.parametrize("name", PROVIDERS)
def test_a_far_away_answer_is_refused_with_the_reason(offline: Gazetteer, name: str, tmp_path: Path) -> None:
    """A server saying Sydney for Mexicali is refused, said why, and the offline answer is used."""
    with StubGeocoder("far") as stub:
        chain = chain_for(offline, name, stub.domain, tmp_path)
        location = chain.geocode("Mexicali", country_codes=["MX"])
    assert location.raw["source"] == "gazetteer" and location.raw["country_code"] == "MX"
    fallback = location.raw["fallback"]
    assert "(-33.87, 151.21)" in fallback and "km outside Mexico (MX)" in fallback and "refused" in fallback
    assert "offline" in fallback and len(chain.cache) == 0  # a refused answer is never cached


def test_without_countries_the_offline_answers_country_is_the_check(offline: Gazetteer, tmp_path: Path) -> None:
    """`geo geocode Tijuana` gives no countries: the gazetteer's own (MX) is what the answer must be near."""
    with StubGeocoder("far") as stub:
        location = chain_for(offline, "nominatim", stub.domain, tmp_path).geocode("Tijuana")
    assert location.raw["source"] == "gazetteer" and "outside Mexico (MX)" in location.raw["fallback"]


def test_a_near_answer_in_a_neighbouring_country_passes(offline: Gazetteer, tmp_path: Path) -> None:
    """The stub's Tijuana point asked as a US place is a few km outside the US: within 500 km."""
    with StubGeocoder("ok") as stub:
        location = chain_for(offline, "nominatim", stub.domain, tmp_path).geocode("San Diego", country_codes=["US"])
    assert location.raw["source"] == "nominatim" and location.raw["fallback"] is None


def test_the_seed_story_against_a_lying_server_keeps_its_distances(tmp_path: Path) -> None:
    """The issue's case: Tijuana, Mexicali and San Diego all at Sydney made 'Tijuana - Mexicali: 0.0 km'."""
    story = load_story(REPO / "data" / "story.yaml")
    with StubGeocoder("far") as stub:
        chain = GeocodingChain(Gazetteer(), make_provider("nominatim", domain=stub.domain, scheme="http"),
                               cache=JsonCache(tmp_path / "c.json"), rate_limit=RateLimit(0))
        found, notes = locate_places(story, chain=chain)
    assert all(location.latitude > 0 for location in found.values())  # nothing landed in Sydney
    tijuana, mexicali = found["tijuana"], found["mexicali"]
    assert (tijuana.latitude, tijuana.longitude) != (mexicali.latitude, mexicali.longitude)
    assert len(notes) >= 3 and all("km outside" in note for note in notes)


def test_a_poisoned_cache_entry_is_checked_again(offline: Gazetteer, tmp_path: Path) -> None:
    """An answer cached before answers were checked (or by a lying server) is refused when read."""
    with StubGeocoder("ok") as stub:
        chain = chain_for(offline, "nominatim", stub.domain, tmp_path)
        key = chain.cache_key("Mexicali", ["MX"])
        chain.cache.put(key, {"address": "Sydney", "lat": -33.87, "lon": 151.21,
                              "raw": {"source": "nominatim", "fallback": None}})
        location = chain.geocode("Mexicali", country_codes=["MX"])
    assert location.raw["source"] == "nominatim" and (location.latitude, location.longitude) == STUB_POINT
    assert len(stub.requests) == 1  # asked again instead of trusting the cache
