"""Geodesic legs between coordinates, and the article's distance claims set beside them.

The article's figure is never "corrected": a claim check only says how it stands next to the
straight line, which is always the shortest way between two points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from geopy.distance import geodesic

from geo.i18n import Message
from geo.model import Distance

LatLon = tuple[float, float]
KM_PER_MILE = 1.609344
# Within this share of the straight line, a stated figure "matches" it: the article rounds
# (180km, 4,000km) and the points stand for whole cities, so closer agreement means nothing.
MATCH_TOLERANCE = 0.05
Verdict = Literal["unstated", "matches", "longer", "shorter"]


@dataclass(frozen=True)
class Leg:
    """A straight line (geodesic on the WGS-84 ellipsoid) between two points."""

    km: float
    miles: float


@dataclass(frozen=True)
class ClaimCheck:
    """The article's figure beside the straight line, with an honest sentence about the two."""

    geodesic_km: float
    geodesic_miles: float
    stated_km: float | None  # from stated_km, else converted from stated_miles
    stated: str | None  # the article's figure in words, e.g. "more than 4,000 km (2,500 miles)"
    ratio: float | None  # stated / straight line
    verdict: Verdict
    text: str


def leg(a: LatLon, b: LatLon) -> Leg:
    """The geodesic between two (lat, lon) points, in km and miles."""
    line = geodesic(a, b)
    return Leg(km=line.km, miles=line.miles)


def _stated(distance: Distance) -> tuple[float | None, str | None]:
    """The article's figure in km, and in words as the story file records it."""
    km = distance.stated_km
    if km is None and distance.stated_miles is not None:
        km = distance.stated_miles * KM_PER_MILE
    if km is None:
        return None, None
    if distance.stated_km is None:
        words = f"{distance.stated_miles:,.0f} miles"
    else:
        words = f"{distance.stated_km:,.0f} km"
        if distance.stated_miles is not None:
            words += f" ({distance.stated_miles:,.0f} miles)"
    return km, f"{distance.qualifier} {words}".strip()


def check_claim(distance: Distance, geodesic_km: float) -> ClaimCheck:
    """Set the article's figure for a distance beside the straight line and word the comparison.

    The text is a geo.i18n.Message: English as a str, and translatable where a page shows it.
    """
    km, stated = _stated(distance)
    line = f"{geodesic_km:,.0f}"
    base = dict(geodesic_km=geodesic_km, geodesic_miles=geodesic_km / KM_PER_MILE, stated_km=km, stated=stated)
    if km is None or stated is None:
        text = Message("The article gives no figure; the straight line is {km} km.", km=line)
        return ClaimCheck(**base, ratio=None, verdict="unstated", text=text)
    ratio = km / geodesic_km if geodesic_km > 0 else float("inf")
    if abs(ratio - 1) <= MATCH_TOLERANCE:
        verdict: Verdict = "matches"
        text = Message("The article says {stated}; the straight line is {km} km. The two agree within {tolerance}.",
                       stated=stated, km=line, tolerance=f"{MATCH_TOLERANCE:.0%}")
    elif ratio > 1:
        verdict = "longer"
        text = Message("The article says {stated}; the straight line is {km} km. The article's figure is longer, "
                       "as a road route would be.", stated=stated, km=line)
    else:
        verdict = "shorter"
        text = Message(
            "The article says {stated}; the straight line is {km} km. The article's figure is shorter than the "
            "straight line, which no route can be: the map's points may stand for other places than the article "
            "measured from.",
            stated=stated, km=line,
        )
    return ClaimCheck(**base, ratio=ratio, verdict=verdict, text=text)
