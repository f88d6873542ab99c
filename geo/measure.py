"""Measuring between two places a reader picks: the straight line, beside the article's own figure."""

from __future__ import annotations

from dataclasses import dataclass

from geo.distance import check_claim, leg
from geo.mapping import Positions, latlon
from geo.model import Distance, Story

PICK_RADIUS_KM = 25.0  # a click this close to a place picks it (points closer than this share a click)


@dataclass(frozen=True)
class Measurement:
    """Two places, the geodesic between them and what the article says about it, if anything."""

    start: str  # place ids
    end: str
    km: float
    claim: str | None  # the claim check, when the article states this distance
    quote: str | None


def nearest_place(positions: Positions, lat: float, lon: float, radius_km: float = PICK_RADIUS_KM) -> str | None:
    """The place whose point is nearest a click, if one lies within radius_km of it."""
    best = min(positions, key=lambda pid: leg((lat, lon), latlon(positions[pid])).km, default=None)
    if best is None or leg((lat, lon), latlon(positions[best])).km > radius_km:
        return None
    return best


def stated(story: Story, a: str, b: str) -> Distance | None:
    """The story's stated distance between these two places, in either direction."""
    for step in story.steps:
        for distance in step.distances:
            if {distance.start, distance.end} == {a, b} and distance.quote:
                return distance
    return None


def measure(story: Story, positions: Positions, a: str, b: str) -> Measurement:
    """The straight line between two placed places, with the article's claim when there is one."""
    km = leg(latlon(positions[a]), latlon(positions[b])).km
    distance = stated(story, a, b)
    if distance is None:
        return Measurement(a, b, km, None, None)
    return Measurement(a, b, km, check_claim(distance, km).text, distance.quote)
