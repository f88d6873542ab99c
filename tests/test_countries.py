"""geo.countries: how far a point is outside a country, from the Natural Earth outlines."""

from __future__ import annotations

import pytest

from geo.countries import country_name, far_outside, km_outside, rings


@pytest.mark.parametrize(
    ("code", "lat", "lon", "low", "high"),
    [
        ("MX", 32.53, -117.02, 0, 0),  # Tijuana
        ("US", 32.72, -117.16, 0, 0),  # San Diego
        ("SV", 13.69, -89.19, 0, 0),  # San Salvador: a small country is there too (1:110m lacks some)
        ("US", 52.0, -100.0, 300, 370),  # 3 degrees north of the 49th parallel
        ("MX", -33.87, 151.21, 11_000, 13_000),  # Sydney
        ("FJ", -17.7, -178.0, 1, 300),  # across the antimeridian from most of Fiji (coarse: no Lau islands)
    ],
)
def test_km_outside(code: str, lat: float, lon: float, low: float, high: float) -> None:
    assert low <= km_outside(code, lat, lon) <= high


def test_an_unknown_country_has_no_outline_and_refuses_nothing() -> None:
    assert rings("ZZ") == () and km_outside("ZZ", 0, 0) is None
    assert far_outside(["ZZ"], -33.87, 151.21, 500) is None


def test_far_outside_names_the_countries_and_the_distance() -> None:
    reason = far_outside(["MX", "US"], -33.87, 151.21, 500)
    assert reason.startswith("(-33.87, 151.21), ") and "km outside Mexico (MX) or United States (US)" in reason
    assert far_outside(["MX", "US"], 32.53, -117.02, 500) is None  # inside one of them is enough
    assert country_name("hn") == "Honduras"
