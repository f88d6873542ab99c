"""Choose a point for each place name: context of the article first, then kind, then size.

Each candidate gets a score (in natural-log units, so a confidence follows from a softmax):
- the size of the place: log of its population (an area's: its places' total);
- the kind: a name that is a country's or a continent's is the country or the continent; a
  state's name is the state unless the article is about a town of that name elsewhere;
- the article's context: places inside a state (then a country) the article names elsewhere win
  ("Paris" in an article that names Texas or Ky. is Paris, Texas or Kentucky);
- the other places of the article: a reading near the readings of the article's other names
  wins ("Edmonton" among Tottenham and Walthamstow is the London one), a second pass;
- the curated overlay (data/gazetteer_overlay.csv) wins over GeoNames.
One name gets one reading in an article ("one sense per discourse").
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from geo.gazetteer import Entry
from geo.parse.words import AREA_WORDS

TOP = 5  # candidates kept for a person to choose from
SIZE = 0.6  # score per natural log of population: ten times bigger is worth 1.4
_KIND_BONUS = {"country": 6.0, "continent": 6.0, "admin1": 2.5, "admin2": -3.0, "city": 0.0}
AREA_NAMED = 8.0  # "Monroe County" names the county, not a town called Monroe
STATE_CONTEXT = 5.0  # the candidate lies in a state the article names
COUNTRY_CONTEXT = 2.0  # ... in a country the article names
NEAR_KM = 150.0  # another name of the article has its reading this close ...
NEAR_BONUS = 1.2  # ... worth this much, up to NEAR_MAX
NEAR_MAX = 4.0
SHORTLIST = 20  # candidates (by score before the second pass) weighed against the others
OVERLAY_BONUS = 8.0


@dataclass(frozen=True)
class Candidate:
    """One reading of a name: a gazetteer place with its score."""

    name: str
    lat: float
    lon: float
    country_code: str | None
    kind: str
    population: int | None
    admin1: str
    weight: int
    source: str  # "overlay" or "gazetteer"
    citation: str
    address: str
    note: str
    score: float = 0.0
    confidence: float = 0.0


_SELECT = ("SELECT p.name, p.lat, p.lon, p.country_code, p.population, p.kind, p.address, p.note,"
           " p.admin1, p.weight FROM {table} n JOIN places p ON p.id = n.place WHERE n.norm = ?")


def candidates(connection: sqlite3.Connection, overlay: dict[str, list[Entry]], norm: str,
               demonym: bool) -> list[Candidate]:
    """Every place a normalized name (or, for a demonym, an adjective) can stand for."""
    from geo.gazetteer import GEONAMES_CITATION

    found = [Candidate(e.name, e.lat, e.lon, e.country_code, e.kind, e.population, "", 10**9,
                       "overlay", e.citation, e.address, e.note) for e in overlay.get(norm, [])]
    table = "demonyms" if demonym else "names"
    for row in connection.execute(_SELECT.format(table=table), (norm,)):
        name, lat, lon, code, population, kind, address, note, admin1, weight = row
        found.append(Candidate(name, lat, lon, code, kind, population, admin1 or "", int(weight or 0),
                               "gazetteer", GEONAMES_CITATION, address, note or ""))
    return found


@dataclass(frozen=True)
class Context:
    """What the article names besides: states (admin1 keys) and countries (ISO codes)."""

    states: frozenset[str]
    countries: frozenset[str]


def context_of(readings: Iterable[list[Candidate]]) -> Context:
    """The states and countries an article names: names whose best reading without context is one."""
    states, countries = set(), set()
    for found in readings:
        best = max(found, key=lambda c: _prior(c, ""), default=None)
        if best is None:
            continue
        if best.kind == "admin1":
            states.add(best.admin1)
            countries.add(best.country_code or "")
        elif best.kind == "country" and best.country_code:
            countries.add(best.country_code)
    return Context(frozenset(states - {""}), frozenset(countries - {""}))


def _prior(candidate: Candidate, text: str) -> float:
    """The score of a candidate before any context: size, kind, overlay."""
    score = SIZE * math.log(candidate.weight + 10) + _KIND_BONUS.get(candidate.kind, 0.0)
    if candidate.kind == "admin2" and text.split(" ")[-1].lower() in AREA_WORDS:
        score += AREA_NAMED
    if candidate.source == "overlay":
        score += OVERLAY_BONUS
    return score


def rank(found: list[Candidate], context: Context, text: str,
         others: list[Candidate] | None = None, limit: int = TOP) -> list[Candidate]:
    """The best `limit` candidates, best first, each with its score and a softmax confidence.

    `others` are the readings chosen for the article's other names (the second pass).
    """
    scored = []
    for candidate in found:
        score = _prior(candidate, text)
        if candidate.kind not in ("country", "continent"):
            if candidate.admin1 and candidate.admin1 in context.states and candidate.kind != "admin1":
                score += STATE_CONTEXT
            elif candidate.country_code in context.countries:
                score += COUNTRY_CONTEXT
        scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])
    scored = _distinct(scored)
    if others and len(scored) > 1:
        near = [(s + _nearness(c, others), c) for s, c in scored[:SHORTLIST]]
        scored = sorted(near, key=lambda pair: -pair[0]) + scored[SHORTLIST:]
    if not scored:
        return []
    top = scored[0][0]
    total = sum(math.exp(score - top) for score, _ in scored)
    return [_with(candidate, score, math.exp(score - top) / total) for score, candidate in scored[:limit]]


def _nearness(candidate: Candidate, others: list[Candidate]) -> float:
    """The bonus for lying near the readings of the article's other names (cities and states)."""
    if candidate.kind in ("country", "continent"):
        return 0.0
    bonus = 0.0
    cos = math.cos(math.radians(candidate.lat))
    for other in others:
        if other.kind in ("country", "continent"):
            continue
        dx = (other.lon - candidate.lon) * cos
        dy = other.lat - candidate.lat
        if (dx * dx + dy * dy) * 12_364 < NEAR_KM * NEAR_KM:  # 111.2 km per degree, squared
            bonus += NEAR_BONUS * other.confidence
    return min(bonus, NEAR_MAX)


def _distinct(scored: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """One candidate per place: a name and its alternate names can find the same place twice."""
    seen, kept = set(), []
    for score, candidate in scored:
        key = (candidate.name, round(candidate.lat, 2), round(candidate.lon, 2), candidate.kind)
        if key not in seen:
            seen.add(key)
            kept.append((score, candidate))
    return kept


def _with(candidate: Candidate, score: float, confidence: float) -> Candidate:
    """A copy of the candidate carrying its score and confidence."""
    from dataclasses import replace

    return replace(candidate, score=round(score, 3), confidence=round(confidence, 3))
