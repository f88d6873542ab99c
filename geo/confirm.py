"""A drafted story confirmed by a person: a position chosen for each place, and the tables' edits.

Pure functions over geo.model's Story (no Streamlit): the New story page calls them, and so can a
notebook or a test. A story holds no coordinates, so a chosen position is kept as the place's
name and country when the gazetteer gives that point for them, and otherwise as a pin
(geo.pins) in the story's own overlay, with its source.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from geopy.location import Location

from geo.article import sentence_of
from geo.distance import leg
from geo.gazetteer import Gazetteer, normalize
from geo.geocoding import GeocodingChain, locate_place, locate_places, make_chain, story_countries
from geo.model import Count, Distance, PlaceKind, Step, Story
from geo.draft import REVIEW_REASONS, draft_story
from geo.i18n import Message, _, recognise
from geo.parse import Candidate, Parser, Toponym
from geo.pins import Pin, map_source, reading_source, story_gazetteer

PIN_KM = 1.0  # a chosen point further than this from the gazetteer's answer for the name is pinned
SAME_KM = 0.05  # two choices this close are the same point
_STORY_KINDS = frozenset(get_args(PlaceKind))
_AREA_KINDS = frozenset({"admin1", "admin2", "continent"})
BY_A_PERSON = _("marked for review by a person")  # a review box a person ticked

Pins = Mapping[str, Pin]  # place id → its pin


@dataclass(frozen=True)
class Choice:
    """One position a person can confirm for a place, and where it comes from."""

    label: str
    lat: float
    lon: float
    kind: str  # the gazetteer's word: "city", "admin1", "country", "border crossing"...
    country: str | None
    citation: str
    how: str  # "reading": of the article's own name; "name": another name looked up; "map": a click
    query: str | None = None  # for "name": the name that was looked up
    confidence: float | None = None  # the draft's, for a reading
    population: int | None = None
    note: str = ""  # e.g. "estimated point: ..."


def story_kind(kind: str, fallback: PlaceKind) -> PlaceKind:
    """A gazetteer kind as a story's place kind: states, counties and continents are regions."""
    if kind in _STORY_KINDS:
        return kind  # type: ignore[return-value]
    return "region" if kind in _AREA_KINDS else fallback


def _label(candidate: Candidate, gazetteer: Gazetteer) -> str:
    """A reading's address, with its state or province when the address lacks it."""
    if candidate.kind != "city" or not candidate.admin1:
        return candidate.address
    region = gazetteer.region_name(candidate.admin1)
    if not region or region in candidate.address or not candidate.address.startswith(candidate.name + ", "):
        return candidate.address
    return candidate.address.replace(candidate.name + ", ", f"{candidate.name}, {region}, ", 1)


def _choices(candidates: Sequence[Candidate], gazetteer: Gazetteer, how: str, query: str | None = None) -> list[Choice]:
    """A name's readings as choices, labelled with their state or province."""
    return [Choice(_label(c, gazetteer), c.lat, c.lon, c.kind, c.country_code, c.citation, how, query=query,
                   confidence=c.confidence, population=c.population, note=c.note) for c in candidates]


def _first_toponyms(story: Story, toponyms: Sequence[Toponym]) -> dict[str, Toponym]:
    """Each place's first name in the article, as the parse found it (demonyms are no names)."""
    first: dict[str, Toponym] = {}
    for place in story.places:
        toponym = next((t for t in toponyms if not t.demonym and t.candidates and t.text in place.mentions), None)
        if toponym is not None:
            first[place.id] = toponym
    return first


def readings(story: Story, toponyms: Sequence[Toponym], gazetteer: Gazetteer) -> dict[str, list[Choice]]:
    """Each place's readings of the article's name, the draft's choice first (from the same parse)."""
    return {pid: _choices(t.candidates, gazetteer, "reading") for pid, t in _first_toponyms(story, toponyms).items()}


def first_sentences(story: Story, toponyms: Sequence[Toponym], article: str) -> dict[str, str]:
    """The sentence where the article first names each place (geo.article splits the article once)."""
    return {pid: sentence_of(article, t.text) for pid, t in _first_toponyms(story, toponyms).items()}


def lookup(name: str, parser: Parser) -> list[Choice]:
    """The readings of a typed name, best first; "Springfield, Illinois" reads Springfield in Illinois.

    The typed words are read as a tiny article, so a state or country typed after the name ranks
    that name's places there first; a name the recogniser passes over is resolved as a whole.
    """
    name = " ".join(name.split())
    if not name:
        return []
    toponym = next((t for t in parser.parse(name) if not t.demonym and t.candidates), None)
    if toponym is None:
        toponym = next(iter(parser.parse(name, [(0, len(name))])), None)
    if toponym is None or not toponym.candidates:
        return []
    return _choices(toponym.candidates, parser.gazetteer, "name", query=toponym.text)


def map_choice(lat: float, lon: float, gazetteer: Gazetteer) -> Choice:
    """A point clicked on the map, labelled with the nearest place the gazetteer knows."""
    # Leaflet reports longitudes past ±180 after panning round the globe; 6 decimals are 0.1 m.
    lat, lon = round(lat, 6), round((lon + 180.0) % 360.0 - 180.0, 6)
    near = gazetteer.reverse((lat, lon))
    point = {"lat": f"{lat:.4f}", "lon": f"{lon:.4f}"}
    label = Message("Point picked on the map: {lat}, {lon}", **point)
    if near is not None:
        km = leg((lat, lon), (near.latitude, near.longitude)).km
        label = (Message("Point picked on the map: {lat}, {lon} ({km} km from {place})", **point, km=f"{km:,.0f}",
                         place=near.address) if km >= 1
                 else Message("Point picked on the map: {lat}, {lon} (at {place})", **point, place=near.address))
    country = near.raw["country_code"] if near is not None else None
    return Choice(label, lat, lon, "point", country, "", "map")


def nearest(choices: Sequence[Choice], lat: float, lon: float, within_km: float = PIN_KM) -> int | None:
    """The index of the choice closest to a point, if one lies within `within_km`."""
    best, best_km = None, within_km
    for index, choice in enumerate(choices):
        km = leg((lat, lon), (choice.lat, choice.lon)).km
        if km <= best_km:
            best, best_km = index, km
    return best


def _chain(pins: Pins, base: Gazetteer | None) -> GeocodingChain:
    """The offline chain for a story with these pins (sharing `base`'s open index when given)."""
    return make_chain(offline=story_gazetteer(pins=pins.values(), base=base))


def positions(story: Story, pins: Pins, base: Gazetteer | None = None) -> tuple[dict[str, Location], list[str]]:
    """Where the offline gazetteer puts every place of the story, its pins read first."""
    return locate_places(story, chain=_chain(pins, base))


def _own_query(story: Story, place_id: str, query: str) -> str:
    """The query, or the query marked with the place's id when another place asks the same name
    (a pin under a shared name would move both places)."""
    taken = {normalize(p.query) for p in story.places if p.id != place_id}
    return query if normalize(query) not in taken else f"{query} ({place_id})"


def _with_place(story: Story, place_id: str, **changes: Any) -> Story:
    """The story with one place's fields changed."""
    places = [p.model_copy(update=changes) if p.id == place_id else p for p in story.places]
    return story.model_copy(update={"places": places})


def confirm(story: Story, place_id: str, choice: Choice, pins: Pins, day: date, *, keep_review: bool = False,
            base: Gazetteer | None = None) -> tuple[Story, dict[str, Pin]]:
    """The story with the place at the chosen position (its review cleared), and the pins to keep."""
    place = story.place(place_id)
    query = choice.query if choice.how == "name" and choice.query else place.query
    if choice.how == "map":
        changes: dict[str, Any] = {"query": query, "country": place.country or choice.country}
    else:
        changes = {"query": query, "country": choice.country, "kind": story_kind(choice.kind, place.kind)}
    if not keep_review:
        changes.update(review=False, review_reason=None)
    story = _with_place(story, place_id, **changes)
    kept = {pid: pin for pid, pin in pins.items() if pid != place_id}
    found = locate_place(_chain(kept, base), story.place(place_id), story_countries(story))
    if found is not None and leg((found.latitude, found.longitude), (choice.lat, choice.lon)).km <= PIN_KM:
        return story, kept  # the gazetteer gives this point for the name: nothing to pin
    query = _own_query(story, place_id, query)
    story = _with_place(story, place_id, query=query)
    if choice.how == "map":
        source = map_source(choice.lat, choice.lon, day)
        kind = story.place(place_id).kind
    else:
        address = f"{choice.label} ({choice.note})" if choice.note else choice.label
        source, kind = reading_source(choice.citation, address, day), choice.kind
    kept[place_id] = Pin(query, choice.lat, choice.lon, kind, story.place(place_id).country, source)
    return story, kept


def keep_readings(story: Story, choices: Mapping[str, Sequence[Choice]], day: date,
                  base: Gazetteer | None = None) -> tuple[Story, dict[str, Pin]]:
    """Pins for the draft's readings that the gazetteer alone would put elsewhere.

    The draft reads a name in the article's context ("Portland" beside "Maine" is Portland,
    Maine); the story keeps only the name and country, for which the gazetteer may give another
    place of that name. A pin keeps the draft's reading; review flags stay as the draft set them.
    """
    pins: dict[str, Pin] = {}
    where, _ = positions(story, pins, base)
    for place in story.places:
        options = choices.get(place.id)
        found = where.get(place.id)
        if not options:
            continue
        best = options[0]
        if found is None or leg((found.latitude, found.longitude), (best.lat, best.lon)).km > PIN_KM:
            story, pins = confirm(story, place.id, best, pins, day, keep_review=True, base=base)
    return story, pins


# --- the tables a person edits: steps, counts and distances, one row per item --------------------

def place_labels(story: Story) -> dict[str, str]:
    """Place id → a label unique in this story (two places may share a name)."""
    names = [p.name for p in story.places]
    return {p.id: p.name if names.count(p.name) == 1 else f"{p.name} ({p.id})" for p in story.places}


def _text(value: Any) -> str:
    """A table cell as text ("" for an empty cell)."""
    return "" if _empty(value) else str(value).strip()


def _empty(value: Any) -> bool:
    """Whether a table cell is empty (None, NaN or blank)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


def _whole(value: Any) -> int | None:
    """A table cell as a whole number, or None if it is empty or not whole (validation says so)."""
    if _empty(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _review(item: Step | Count | Distance, row: Mapping[str, Any]) -> dict[str, Any]:
    """The review fields after a person ticked or cleared the row's review box."""
    if bool(row.get("review")):
        return {"review": True, "review_reason": item.review_reason or BY_A_PERSON}
    return {"review": False, "review_reason": None}


def review_reason(text: str | None) -> str | None:
    """A review reason as the draft or a person's tick made it: a Message again, for the page to translate."""
    return recognise(text, (*REVIEW_REASONS, BY_A_PERSON))


def step_rows(story: Story) -> list[dict[str, Any]]:
    """One row per step in article order: what a person may edit, and what they read beside it."""
    labels = place_labels(story)
    return [{"step": number, "title": step.title, "when": step.when, "chrono": step.chrono, "review": step.review,
             "why": step.review_reason or "", "places": ", ".join(labels[p] for p in step.places),
             "sentences": " ".join(step.quotes)}
            for number, step in enumerate(story.steps, start=1)]


def apply_steps(story: Story, rows: Sequence[Mapping[str, Any]], article: str) -> Story:
    """The story with each step's title, time words, chronological position and review as edited."""
    steps = [step.model_copy(update={"title": _text(row["title"]), **_when(step, _text(row["when"]), article),
                                     "chrono": _whole(row["chrono"]), **_review(step, row)})
             for step, row in zip(story.steps, rows, strict=True)]
    return story.model_copy(update={"steps": steps})


def _when(step: Step, when: str, article: str) -> dict[str, Any]:
    """A step's time label as typed, and where it is borrowed from when its own sentences lack it.

    A label found only in another sentence of the article is borrowed from that sentence
    (`when_from`); one not in the article at all is kept as typed, and validation names it.
    """
    if not when:
        return {"when": None, "when_from": None}
    if when == step.when:
        return {}  # unchanged: the draft's when_from stands
    if any(when in quote for quote in step.quotes) or when not in article:
        return {"when": when, "when_from": None}
    return {"when": when, "when_from": sentence_of(article, when)}


def count_rows(story: Story, article: str) -> list[dict[str, Any]]:
    """One row per count, steps in article order, each with its sentence."""
    labels = place_labels(story)
    return [{"step": number, "reported": count.quote, "what": count.what, "value": count.value,
             "qualifier": count.qualifier, "place": labels[count.place], "review": count.review,
             "why": count.review_reason or "", "sentence": sentence_of(article, count.quote)}
            for number, step in enumerate(story.steps, start=1) for count in step.counts]


def apply_counts(story: Story, rows: Sequence[Mapping[str, Any]]) -> Story:
    """The story with each count's words, figure, qualifier, place and review as edited."""
    return _apply_rows(story, rows, "counts", lambda count, row, ids: {
        "what": _text(row["what"]), "value": _whole(row["value"]), "qualifier": _text(row["qualifier"]),
        "place": ids.get(_text(row["place"]), count.place)})


def distance_rows(story: Story, article: str) -> list[dict[str, Any]]:
    """One row per distance, steps in article order, each with its sentence."""
    labels = place_labels(story)
    return [{"step": number, "reported": distance.quote or "", "from": labels[distance.start],
             "to": labels[distance.end], "km": distance.stated_km, "review": distance.review,
             "why": distance.review_reason or "",
             "sentence": sentence_of(article, distance.quote) if distance.quote else ""}
            for number, step in enumerate(story.steps, start=1) for distance in step.distances]


def apply_distances(story: Story, rows: Sequence[Mapping[str, Any]]) -> Story:
    """The story with each distance's two ends and review as edited."""
    return _apply_rows(story, rows, "distances", lambda distance, row, ids: {
        "start": ids.get(_text(row["from"]), distance.start), "end": ids.get(_text(row["to"]), distance.end)})


Edit = Callable[[Any, Mapping[str, Any], dict[str, str]], dict[str, Any]]


def _apply_rows(story: Story, rows: Sequence[Mapping[str, Any]], field: str, edit: Edit) -> Story:
    """The story with every step's `field` items (counts, distances) changed as `edit` reads their rows,
    one row per item in article order; `edit` gets the item, its row and place label → id."""
    if len(rows) != sum(len(getattr(step, field)) for step in story.steps):
        raise ValueError(f"one row per {field[:-1]} is needed")
    ids = {label: pid for pid, label in place_labels(story).items()}
    remaining = iter(rows)
    steps = [step.model_copy(update={field: [item.model_copy(update={**edit(item, row, ids), **_review(item, row)})
                                             for item, row in zip(getattr(step, field), remaining)]})
             for step in story.steps]
    return story.model_copy(update={"steps": steps})


# --- one draft being confirmed, as the New story page holds it between reruns ---------------------

@dataclass
class Workbench:
    """A draft being confirmed: the article, the story so far, each place's choices and the pins."""

    article: str
    story: Story
    choices: dict[str, list[Choice]]
    pins: dict[str, Pin]
    title_hint: str | None = None  # the title the article's markup gave, if any
    sentences: dict[str, str] = field(default_factory=dict)  # place id → where the article first names it
    confirmed: set[str] = field(default_factory=set)  # place ids a person confirmed
    gazetteer: Gazetteer | None = field(default=None, repr=False, compare=False)  # shared, already open

    @classmethod
    def start(cls, article: str, parser: Parser, day: date, title_hint: str | None = None) -> Workbench:
        """Draft the article (DraftError if it cannot be), with each place's readings and the draft's pins."""
        story, _ = draft_story(article, parser)
        toponyms = parser.parse(article)
        found = readings(story, toponyms, parser.gazetteer)
        story, pins = keep_readings(story, found, day, parser.gazetteer)
        return cls(article, story, found, pins, title_hint, first_sentences(story, toponyms, article),
                   gazetteer=parser.gazetteer)

    def positions(self) -> tuple[dict[str, Location], list[str]]:
        """Where every place is now, as the saved story will show it."""
        return positions(self.story, self.pins, self.gazetteer)

    def add_choices(self, place_id: str, new: Sequence[Choice]) -> int | None:
        """Offer more positions for a place (repeats left out); the index of the first one offered."""
        offered = self.choices.setdefault(place_id, [])
        first = None
        for choice in new:
            index = nearest(offered, choice.lat, choice.lon, SAME_KM)
            if index is None:
                offered.append(choice)
                index = len(offered) - 1
            first = index if first is None else first
        return first

    def rename(self, place_id: str, name: str) -> None:
        """Give a place another label on the map (the article's words for it stay its mentions)."""
        self.story = _with_place(self.story, place_id, name=" ".join(name.split()))

    def confirm(self, place_id: str, index: int, day: date) -> Choice:
        """Put the place at its index-th choice and clear its review; the choice made."""
        choice = self.choices[place_id][index]
        self.story, self.pins = confirm(self.story, place_id, choice, self.pins, day, base=self.gazetteer)
        self.confirmed.add(place_id)
        return choice
