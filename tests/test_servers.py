"""geo.servers: only the offline gazetteer and configured servers can be chosen; bad entries are reported."""

from __future__ import annotations

import pytest

from geo.geocoding import make_provider
from geo.servers import GEOCODERS_ENV, OFFLINE, Server, allowed_servers, parse_server


def test_nothing_configured_means_offline_only() -> None:
    assert allowed_servers({}, {}) == ({"offline": OFFLINE}, [])


def test_servers_from_secrets_and_the_environment_in_order() -> None:
    secrets = {"osm": "nominatim", "local": {"provider": "photon", "url": "http://127.0.0.1:2322"}}
    environ = {GEOCODERS_ENV: "lab=nominatim:https://geo.example.org:8443, photon"}
    servers, problems = allowed_servers(secrets, environ)
    assert problems == []
    assert list(servers) == ["offline", "osm", "local", "lab", "photon"]
    assert servers["osm"] == Server("osm", "nominatim")
    assert servers["local"] == Server("local", "photon", "127.0.0.1:2322", "http")
    assert servers["lab"] == Server("lab", "nominatim", "geo.example.org:8443", "https")
    provider = make_provider(servers["local"].provider, domain=servers["local"].domain, scheme=servers["local"].scheme)
    assert provider.domain == "127.0.0.1:2322" and provider.scheme == "http"


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("google", "unknown provider 'google'"),
        ("nominatim:ftp://host", "must be http(s)://host[:port]"),
        ("nominatim:http://user:pw@host", "only scheme, host and port"),
        ("nominatim:http://host/search?q=x", "only scheme, host and port"),
        ("nominatim:http://host:port", "not a number"),
        (42, "expected"),
    ],
)
def test_bad_entries_are_reported_and_left_out(spec: object, words: str) -> None:
    with pytest.raises(ValueError, match="geocoder 'x'"):
        parse_server("x", spec)
    servers, problems = allowed_servers({"x": spec}, {})
    assert list(servers) == ["offline"] and len(problems) == 1 and words in problems[0]


def test_a_label_used_twice_keeps_the_first() -> None:
    servers, problems = allowed_servers({"osm": "nominatim"}, {GEOCODERS_ENV: "osm=photon"})
    assert servers["osm"].provider == "nominatim" and "named twice" in problems[0]
