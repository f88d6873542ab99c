"""Plain data for a story: places, steps, counts, distances, questions. No I/O."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PlaceKind = Literal["city", "neighbourhood", "border crossing", "country", "region", "border"]
Order = Literal["article", "chrono"]
ORDERS: tuple[Order, ...] = ("article", "chrono")

# Quotes are plain strings in the story file. Each must be an exact substring of the article;
# geo.story enforces that, so the UI can always point back at the sentence.
Quote = str
# A draft (geo.draft) marks what it was unsure of with `review: true` and a `review_reason`
# ("ambiguous: 3 places so named"); a person confirms the item and clears the flag.


class Model(BaseModel):
    """Strict, immutable base: unknown fields and wrong types are errors, not guesses."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Model):
    """Where the article comes from; what its text does not carry comes with its own source."""

    publisher: str
    # The article's real headline, cited in headline_source; never a sentence of the text standing in.
    headline: str | None = None
    headline_source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date; not in the text, so published_source says where it is from
    published_source: str | None = None
    # An editor's marker in the text, e.g. "(Excerpts from BBC)": it says the text is an excerpt and
    # is not article content, so no quote may use it.
    excerpt_marker: Quote | None = None


class Context(Model):
    """A fact from outside the article, always shown with its source."""

    id: str
    text: str
    source: str


class Place(Model):
    """A place the article names; its position comes from a geocoder, never from this file."""

    id: str
    name: str  # the label shown on the map
    query: str  # what the geocoder is asked
    kind: PlaceKind
    mentions: list[Quote] = Field(min_length=1)  # the article's words for it, e.g. "US", "United States"
    country: str | None = None  # ISO 3166 alpha-2 hint for the geocoder, e.g. "MX"
    review: bool = False
    review_reason: str | None = None


class Count(Model):
    """A number of people exactly as reported; the range comes from geo.quantities."""

    quote: Quote  # e.g. "almost 7,500 migrants"
    place: str  # place id the count is drawn at
    what: str  # e.g. "migrants"
    value: int | None = None  # the figure as written (7500); None for vague words ("dozens")
    qualifier: str = ""  # "almost", "at least", "nearly", "dozens", "several hundred", ""
    note: str | None = None  # why this place's point stands for where the article puts the people
    review: bool = False
    review_reason: str | None = None


class Distance(Model):
    """A leg between two places, with the article's own figure when it gives one."""

    start: str  # place id
    end: str  # place id
    quote: Quote | None = None  # e.g. "180km to the east"; None for a leg the article does not state
    stated_km: float | None = None
    stated_miles: float | None = None
    qualifier: str = ""  # e.g. "more than"
    note: str | None = None  # why these two points stand for the article's words
    review: bool = False
    review_reason: str | None = None


class Question(Model):
    """A classroom question answerable from the article."""

    kind: Literal["predict", "discuss"]
    prompt: str
    answer: str
    answer_quote: Quote  # the sentence that answers it


class Attribution(Model):
    """Whose words a quote is, where the sentence that says so is not shown beside it."""

    words: Quote  # the attributed words in one of the step's quotes, e.g. "“violently” and “illegally”"
    speaker: str  # who said them, e.g. "Mexico’s interior ministry"
    said: Quote  # the article's own attribution, e.g. "its interior ministry said"


class Step(Model):
    """One moment of the story: its sentences, places in focus, counts and distances."""

    id: str
    title: str  # says no more than the step's sentences: every number in it is in its quotes
    when: Quote | None = None  # time label in the article's own words, e.g. "Sunday"; None if it gives none
    # The sentence a borrowed `when` comes from, when the step's own sentences do not say it;
    # the label is then shown as borrowed.
    when_from: Quote | None = None
    chrono: int = Field(ge=1)  # position in chronological order; list order is article order
    quotes: list[Quote] = Field(min_length=1)
    attributions: list[Attribution] = []  # whose words the quotes carry, when the step does not say
    places: list[str] = Field(min_length=1)  # place ids in focus
    counts: list[Count] = []
    distances: list[Distance] = []
    note: str | None = None  # teacher note, hidden from the audience
    questions: list[Question] = []
    review: bool = False
    review_reason: str | None = None


class Story(Model):
    """A whole story file: the article's places and its steps in article order."""

    title: str
    source: Source
    article: str = "article.txt"  # path relative to the story file
    places: list[Place] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    route: list[str] = []  # place ids of the schematic caravan route, origin first
    context: list[Context] = []

    def place(self, place_id: str) -> Place:
        """The place with this id (KeyError if the story has none)."""
        for place in self.places:
            if place.id == place_id:
                return place
        raise KeyError(place_id)

    def ordered(self, order: Order) -> list[Step]:
        """The steps in article order (as written) or chronological order (stable on ties)."""
        if order == "chrono":
            return sorted(self.steps, key=lambda step: step.chrono)
        return list(self.steps)
