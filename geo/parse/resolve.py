"""Choose a point for each place name: the words around it, the article's context, then size.

Each candidate gets a score (in natural-log units, so a confidence follows from a softmax):
- the size of the place: log of its population (an area's: its places' total);
- the name: a town known by that name only as an alternate name ("Venice" is also an old name
  of Dayton, Ohio) must be ten times bigger than one whose own name it is;
- the kind: a name that is a country's or a continent's is the country or the continent; a
  state's name is the state unless the article is about a town of that name elsewhere;
- the words around the name: "Paris, Ky." names its state (or country) outright, and a dateline
  ("WASHINGTON (AP) —") names a city, never a state;
- the article's context: places inside a state (then a country) the article names elsewhere win
  ("Paris" in an article that names Texas is Paris, Texas);
- the article's other places: a reading near the readings of the article's other names wins
  ("Edmonton" beside Cairns is the Queensland one), and a state or country that contains them
  wins ("Georgia" beside Atlanta is the state);
- the curated overlay (data/gazetteer_overlay.csv) wins over GeoNames.
Context and neighbours come from the other names' readings, so the choice is made in rounds:
first by size and kind alone, then twice more with what the previous round chose.
One name gets one reading in an article ("one sense per discourse").
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from geo.gazetteer import GEONAMES_CITATION, Entry
from geo.parse.words import AREA_WORDS

TOP = 5  # candidates kept for a person to choose from
ROUNDS = 2  # rounds with context after the first (size and kind only)
SIZE = 0.6  # score per natural log of population: ten times bigger is worth 1.4
_KIND_BONUS = {"country": 6.0, "continent": 6.0, "admin1": 2.5, "admin2": -3.0, "city": 0.0}
ALTERNATE_NAME = SIZE * math.log(10)  # a town matched only by an alternate name: as if ten times smaller
STATE_OF_CITY = 4.0  # a state named like a big city of its country (BIG_TOWN people or more) gives way to it
BIG_TOWN = 100_000
AREA_NAMED = 8.0  # "Monroe County" names the county, not a town called Monroe
QUALIFIED = 8.0  # "Paris, Ky.": the state (or country) written right after the name
DATELINE = 6.0  # "WASHINGTON (AP) —": a dateline names a city
STATE_CONTEXT = 5.0  # the candidate lies in a state the article names (one or two of them; less for more)
COUNTRY_CONTEXT = 2.0  # ... in a country the article names (likewise)
NEAR_KM = 150.0  # another name of the article has its reading this close ...
NEAR_BONUS = 3.0  # ... worth this much times that reading's confidence, up to NEAR_MAX
NEAR_MAX = 4.0
CONTAIN_BONUS = 3.0  # a state or country that contains another name's reading, up to CONTAIN_MAX
CONTAIN_MAX = 6.0
SHORTLIST = 20  # candidates (by score before neighbours) weighed against the other names
# More than every bonus a candidate can get from context and neighbours together (5 + 4 + 4).
OUT_OF_REACH = STATE_CONTEXT + NEAR_MAX + CONTAIN_MAX + 1.0
OVERLAY_BONUS = 8.0
_AREAS = ("country", "continent")


class Candidate(NamedTuple):
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
    main: bool = True  # the name read is the place's own, not one of its alternate names
    score: float = 0.0
    confidence: float = 0.0


@dataclass(frozen=True)
class Cues:
    """What the words around a name say about it."""

    states: frozenset[str] = frozenset()  # admin1 keys written right after it ("Paris, Ky.")
    countries: frozenset[str] = frozenset()  # country codes written right after it ("Paris, France")
    dateline: bool = False  # it opens the article or a line in capitals, as a dateline does
    county: bool = False  # a plural area word follows its list: "Tippecanoe and Clinton counties"


NO_CUES = Cues()

# The name, then the columns in Candidate's order, so that each row becomes one without Python
# unpacking it.
_SELECT = ("SELECT n.norm, p.name, p.lat, p.lon, p.country_code, p.kind, p.population,"
           " COALESCE(p.admin1, ''), COALESCE(p.weight, 0), 'gazetteer', ?, p.address, COALESCE(p.note, ''),"
           " {main}, 0.0, 0.0 FROM {table} n JOIN places p ON p.id = n.place WHERE n.norm IN ({marks})")
_CHUNK = 400  # names per query


def candidates(connection: sqlite3.Connection, overlay: dict[str, list[Entry]], norm: str,
               demonym: bool) -> list[Candidate]:
    """Every place a normalized name (or, for a demonym, an adjective) can stand for."""
    return candidates_of(connection, overlay, [norm], demonym)[norm]


def candidates_of(connection: sqlite3.Connection, overlay: dict[str, list[Entry]], norms: list[str],
                  demonym: bool) -> dict[str, list[Candidate]]:
    """The candidates of many names at once: an article's names take one query, not one each."""
    found = {norm: [overlay_candidate(e) for e in overlay.get(norm, [])] for norm in norms}
    table, main = ("demonyms", "1") if demonym else ("names", "n.main != 0")
    for first in range(0, len(norms), _CHUNK):
        chunk = norms[first:first + _CHUNK]
        query = _SELECT.format(table=table, main=main, marks=",".join("?" * len(chunk)))
        for row in connection.execute(query, (GEONAMES_CITATION, *chunk)):
            found[row[0]].append(Candidate._make(row[1:]))
    return found


def overlay_candidate(entry: Entry) -> Candidate:
    """A curated overlay entry as a candidate."""
    return Candidate(entry.name, entry.lat, entry.lon, entry.country_code, entry.kind, entry.population,
                     "", 10**9, "overlay", entry.citation, entry.address, entry.note)


class Context(NamedTuple):
    """What the article names besides: states (admin1 keys) and countries (ISO codes)."""

    states: frozenset[str]
    countries: frozenset[str]


def context_of(readings: Iterable[Candidate]) -> Context:
    """The states and countries among the readings chosen for an article's names."""
    states, countries = set(), set()
    for best in readings:
        if best.kind == "admin1":
            states.add(best.admin1)
            countries.add(best.country_code or "")
        elif best.kind == "country" and best.country_code:
            countries.add(best.country_code)
    return Context(frozenset(states - {""}), frozenset(countries - {""}))


def prior(candidate: Candidate, text: str, cues: Cues = NO_CUES) -> float:
    """The score of a candidate from itself and the words around its name: size, kind, name, cues."""
    kind = candidate.kind
    score = SIZE * math.log(candidate.weight + 10) + _KIND_BONUS.get(kind, 0.0)
    if kind == "admin2" and (_area_named(text) or cues.county):
        score += AREA_NAMED
    if candidate.source == "overlay":
        score += OVERLAY_BONUS
    elif kind == "city" and not candidate.main:
        score -= ALTERNATE_NAME
    if cues is not NO_CUES:
        if (candidate.admin1 in cues.states and kind != "admin1") or \
                (candidate.country_code in cues.countries and kind not in _AREAS):
            score += QUALIFIED
        if cues.dateline and kind == "city":
            score += DATELINE
    return score


def resolve(readings: dict[str, list[Candidate]], texts: dict[str, str],
            cues: dict[str, Cues] | None = None, limit: int = TOP) -> dict[str, list[Candidate]]:
    """Each name's best `limit` candidates, best first, with scores and softmax confidences.

    `readings` maps a normalized name to its candidates; `texts` to its words as written.
    """
    cues = cues or {}
    base = {norm: _shortlist(found, texts[norm], cues.get(norm, NO_CUES), limit)
            for norm, found in readings.items()}
    # A name with one place has nothing to weigh: its reading is settled before any round.
    settled = {norm: _top(scored, limit, final=True) for norm, scored in base.items() if len(scored) < 2}
    chosen = {norm: _top(scored, 1) for norm, scored in base.items()}
    for round_number in range(ROUNDS):
        last = round_number == ROUNDS - 1
        readings_now = [top[0] for top in chosen.values() if top]
        previous, chosen = chosen, dict(settled)
        for norm, scored in base.items():
            if norm in settled:
                continue
            # The article's other names only: a name's own reading is no evidence for itself.
            own = previous[norm][0]
            others = [c for c in readings_now if c is not own]
            context = context_of(others)
            if _stands_alone(cues.get(norm, NO_CUES)):  # only the countries named count
                rescored = _in_context(scored, Context(frozenset(), context.countries), [])
            else:
                rescored = _in_context(scored, context, others)
            chosen[norm] = _top(rescored, limit, final=True) if last else _top(rescored, 1)
    return chosen


# A scored candidate: (score, candidate, whether the article's context and places may lift it).
_Scored = tuple[float, Candidate, bool]


def _shortlist(found: list[Candidate], text: str, cues: Cues, limit: int) -> list[_Scored]:
    """The candidates by prior score, one per place, without those no context could lift to the top.

    ("Washington" names hundreds of places; the 300th biggest stays out of reach unless a cue
    such as "Washington, Ga." lifts it, and cues are part of the prior.)
    A county whose name ends in "County" but is written without it ("Delaware", "Scott") is
    seldom the county, so neither the context nor the neighbours lift it above the state or town
    of that name (an English county has no such word: "Essex" is the county).
    """
    area_named = _area_named(text) or cues.county
    # A state or province that bears the own name of a big city of its country ("Chongqing",
    # "Buenos Aires", "Washington"): news means the city unless the article's places are in the
    # state (then containment lifts it back: "Seattle ... Washington").
    cities = {c.country_code for c in found if c.kind == "city" and c.main and (c.population or 0) >= BIG_TOWN}
    scored = sorted(((prior(c, text, cues) - (STATE_OF_CITY if c.kind == "admin1" and c.country_code in cities else 0.0), c)
                     for c in found), key=lambda pair: -pair[0])
    scored = _distinct(scored)
    if len(scored) > limit:
        floor = scored[0][0] - OUT_OF_REACH
        scored = scored[:limit] + [pair for pair in scored[limit:] if pair[0] >= floor]
    return [(score, c, area_named or c.kind != "admin2" or not _area_named(c.name)) for score, c in scored]


def rank(found: list[Candidate], context: Context, text: str,
         others: list[Candidate] | None = None, limit: int = TOP) -> list[Candidate]:
    """The best `limit` candidates of one name in a given context, best first."""
    return _top(_in_context(_shortlist(found, text, NO_CUES, limit), context, others or []), limit, final=True)


def _area_named(text: str) -> bool:
    """Whether the name ends with an area word: "Monroe County", "Orleans Parish"."""
    return text.rsplit(" ", 1)[-1].lower() in AREA_WORDS


def _stands_alone(cues: Cues) -> bool:
    """A dateline with no state after it names a city known without one (AP style: "WASHINGTON",
    "LONDON"), whatever states or towns the story names later; only its countries still count."""
    return cues.dateline and not (cues.states or cues.countries)


def _in_context(scored: list[_Scored], context: Context, others: list[Candidate]) -> list[_Scored]:
    """The candidates rescored with the article's states and countries, then its other places."""
    states, countries = context
    # The more states (countries) an article names, the less any one says where a town is.
    state_bonus = STATE_CONTEXT
    country_bonus = COUNTRY_CONTEXT * min(1.0, 2 / len(countries)) if countries else 0.0
    rescored = []
    for score, candidate, liftable in scored:
        kind = candidate.kind
        if liftable and kind not in _AREAS:
            if candidate.admin1 in states and kind != "admin1":
                score += state_bonus
            elif candidate.country_code in countries:
                score += country_bonus
        rescored.append((score, candidate, liftable))
    rescored.sort(key=lambda item: -item[0])
    if others:
        # A state's point stands for a whole area: its towns count through the state context, not as neighbours.
        towns = [(o.lat, o.lon, o.confidence) for o in others if o.kind not in _AREAS and o.kind != "admin1"]
        near = [(s + _neighbours(c, others, towns), c, True) if lift else (s, c, lift)
                for s, c, lift in rescored[:SHORTLIST]]
        rescored = sorted(near, key=lambda item: -item[0]) + rescored[SHORTLIST:]
    return rescored


_NEAR_DEGREES = NEAR_KM * NEAR_KM / 12_364  # NEAR_KM squared, in squared degrees (111.2 km per degree)


def _neighbours(candidate: Candidate, others: list[Candidate], towns: list[tuple[float, float, float]]) -> float:
    """The bonus from the article's other readings: near its towns, or containing them."""
    kind = candidate.kind
    if kind == "country":
        inside = sum(o.confidence for o in others if o.country_code == candidate.country_code
                     and o.kind not in _AREAS)
        return min(CONTAIN_BONUS * inside, CONTAIN_MAX)
    if kind == "admin1":
        inside = sum(o.confidence for o in others if o.admin1 == candidate.admin1 and o.kind != "admin1")
        return min(CONTAIN_BONUS * inside, CONTAIN_MAX)
    if kind == "continent":
        return 0.0
    lat, lon = candidate.lat, candidate.lon
    cos = math.cos(math.radians(lat))
    near = sum(confidence for other_lat, other_lon, confidence in towns
               if ((other_lon - lon) * cos) ** 2 + (other_lat - lat) ** 2 < _NEAR_DEGREES)
    return min(NEAR_BONUS * near, NEAR_MAX)


def _distinct(scored: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """One candidate per place: a name and its alternate names can find the same place twice."""
    seen, kept = set(), []
    for score, candidate in scored:
        key = (candidate.name, round(candidate.lat, 2), round(candidate.lon, 2), candidate.kind)
        if key not in seen:
            seen.add(key)
            kept.append((score, candidate))
    return kept


def _top(scored: list[_Scored], limit: int, final: bool = False) -> list[Candidate]:
    """The first `limit` candidates with their scores and softmax confidences (rounded when final)."""
    if not scored:
        return []
    top = scored[0][0]
    total = sum(math.exp(item[0] - top) for item in scored)
    if not final:
        return [candidate._replace(score=score, confidence=math.exp(score - top) / total)
                for score, candidate, _ in scored[:limit]]
    return [candidate._replace(score=score, confidence=round(math.exp(score - top) / total, 3))
            for score, candidate, _ in scored[:limit]]
