"""A complete story drafted from any article: places, steps, counts and distances, each quoted.

`draft_story(article)` returns the Story and the items a person should confirm (each also
marked `review: true` with its reason in the story); `write_story_folder` saves the story and
its article side by side, atomically. Every quote is an exact substring of the article, and a
step's title is a piece of its own first sentence, so it never says more than the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo.article import editor_marker, sentence_spans
from geo.atomic import write_atomically
from geo.facts import Found, counts, distances, time_phrases
from geo.i18n import Message, _
from geo.model import Count, Distance, Place, Source, Step, Story
from geo.parse import Parser, Toponym

ARTICLE_NAME = "article.txt"
SURE = 0.7  # below this confidence a place is marked for review
MAX_SENTENCES = 3  # sentences in one step at most
TITLE_WORDS = 8
# Index kinds → the story's place kinds (states, counties and continents are regions).
_KINDS = {"city": "city", "country": "country", "admin1": "region", "admin2": "region",
          "continent": "region", "region": "region", "border crossing": "border crossing",
          "border": "border", "neighbourhood": "neighbourhood"}
# The more specific a place, the better it stands for a count or a distance end.
_SPECIFIC = {"border crossing": 0, "neighbourhood": 0, "city": 1, "border": 2, "region": 3, "country": 4}
# Why the draft marks an item for review. A story keeps only the English text (a pydantic str, saved
# in its YAML); geo.i18n.recognise gets the Message back from it for a page in another language.
AMBIGUOUS = _("ambiguous: chose {address} ({confidence}); also {others}")
NO_TIME = _("the article has no time phrase: `when` is only the step's first word")
NO_PLACE = _("its sentence names no place: drawn at the step's most specific place")
ONE_AREA = _("{place}: a point stands for a whole area; check the ends")
TWO_AREAS = _("{place} and {other}: a point stands for each whole area; check the ends")
MANY_PLACES = _("its sentence names {count} places: check which two it measures")
REVIEW_REASONS = (AMBIGUOUS, NO_TIME, NO_PLACE, ONE_AREA, TWO_AREAS, MANY_PLACES)
NO_ARTICLE = Message("the article is empty")
NO_PLACES = Message("the article names no place the gazetteer knows, so there is nothing to map")


class DraftError(ValueError):
    """An article a story cannot be drafted from (empty, or naming no place); args[0] is a Message."""


@dataclass(frozen=True)
class ReviewItem:
    """Something the draft is unsure of, for a person to confirm: where in the story, and why."""

    where: str  # e.g. "places[2]", "steps[3].counts[0]"
    what: str  # the article's words
    reason: str


@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    places: list[str]  # place ids named, in order
    counts: list[Found]
    distances: list[Found]
    times: list[tuple[Found, int]]


def draft_story(article: str, parser: Parser | None = None) -> tuple[Story, list[ReviewItem]]:
    """The drafted story and what needs review; DraftError if the article cannot make one."""
    if not article.strip():
        raise DraftError(NO_ARTICLE)
    parser = parser or Parser()
    toponyms = parser.parse(article)
    places, by_toponym = _places(toponyms)
    if not places:
        raise DraftError(NO_PLACES)
    marker = editor_marker(article)
    sentences = [s for s in _sentences(article, toponyms, by_toponym) if s.text != marker]
    groups = _group(sentences)
    # (time phrase, the sentence saying it): a step without one borrows the last, and names its sentence.
    fallback = next(((t[0].quote, s.text) for s in sentences for t in s.times), None)
    steps = []
    for i, group in enumerate(groups):
        steps.append(_step(i, group, places, fallback))
        fallback = next(((t[0].quote, s.text) for s in group for t in s.times), fallback)
    steps = _chrono(steps, groups)
    first = sentences[0].text
    # No headline: the text carries none, and its first sentence is not one.
    story = Story(title=_title(first), source=Source(publisher="(not given)", excerpt_marker=marker),
                  article=ARTICLE_NAME, places=list(places.values()), steps=steps)
    return story, review_items(story)


def _places(toponyms: list[Toponym]) -> tuple[dict[str, Place], dict[int, str]]:
    """One place per resolved reading (demonyms left out), and each toponym's place id."""
    places: dict[str, Place] = {}
    by_key: dict[tuple, str] = {}
    by_toponym: dict[int, str] = {}
    for index, toponym in enumerate(toponyms):
        best = toponym.best
        if best is None or toponym.demonym:
            continue  # "Honduran" is a mention of Honduras, not a place of its own
        key = (best.name, round(best.lat, 3), round(best.lon, 3))
        if key in by_key:
            ident = by_key[key]
            place = places[ident]
            if toponym.text not in place.mentions:
                places[ident] = place.model_copy(update={"mentions": [*place.mentions, toponym.text]})
        else:
            ident = _unique(_slug(best.name), places)
            by_key[key] = ident
            places[ident] = _place(ident, toponym)
        by_toponym[index] = ident
    return places, by_toponym


def _place(ident: str, toponym: Toponym) -> Place:
    """A place from a toponym's best reading, marked for review when the reading is unsure."""
    best = toponym.best
    assert best is not None
    review, reason = False, None
    if toponym.confidence < SURE and len(toponym.candidates) > 1:
        others = "; ".join(f"{c.address} ({c.confidence:.0%})" for c in toponym.candidates[1:4])
        review, reason = True, Message(AMBIGUOUS, address=best.address, confidence=f"{toponym.confidence:.0%}",
                                       others=others)
    elif best.note.startswith("estimated"):
        review, reason = True, f"{best.address}: {best.note}"
    name = best.name if best.source == "overlay" or best.kind != "city" else toponym.text
    return Place(id=ident, name=name, query=toponym.text, kind=_KINDS.get(best.kind, "region"),
                 mentions=[toponym.text], country=best.country_code, review=review, review_reason=reason)


def _slug(name: str) -> str:
    """An id from a name: lower case words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "place"


def _unique(ident: str, taken: dict[str, Place]) -> str:
    """The id, or the id with a number, so no two places share it."""
    candidate, n = ident, 2
    while candidate in taken:
        candidate, n = f"{ident}_{n}", n + 1
    return candidate


def _sentences(article: str, toponyms: list[Toponym], by_toponym: dict[int, str]) -> list[_Sentence]:
    """Every sentence with the places it names and the counts, distances and times it states."""
    found = []
    for start, end in sentence_spans(article):
        text = article[start:end]
        named = [by_toponym[i] for i, t in enumerate(toponyms) if i in by_toponym and start <= t.start < end]
        shift = lambda items: [_moved(f, start) for f in items]  # noqa: E731 - offsets into the article
        found.append(_Sentence(start, end, text, list(dict.fromkeys(named)), shift(counts(text)),
                               shift(distances(text)), [(_moved(f, start), r) for f, r in time_phrases(text)]))
    return found


def _moved(found: Found, by: int) -> Found:
    """The same words with offsets into the whole article."""
    from dataclasses import replace

    return replace(found, start=found.start + by, end=found.end + by)


def _group(sentences: list[_Sentence]) -> list[list[_Sentence]]:
    """Sentences in article order, grouped into steps: a step starts at a sentence that names a
    place and has a time phrase of its own (or when the step is full); a step names a place."""
    groups: list[list[_Sentence]] = []
    for sentence in sentences:
        current = groups[-1] if groups else None
        opens = sentence.places and (sentence.times or current is None or len(current) >= MAX_SENTENCES
                                     or not any(s.places for s in current))
        if current is None or (opens and any(s.places for s in current)):
            groups.append([sentence])
        else:
            current.append(sentence)
    if len(groups) > 1 and not any(s.places for s in groups[0]):
        groups[1] = groups[0] + groups[1]  # opening sentences that name no place join the first step
        groups.pop(0)
    return groups


def _step(
    index: int, group: list[_Sentence], places: dict[str, Place], fallback: tuple[str, str] | None
) -> Step:
    """A step from a group of sentences: title, time, quotes, places, counts and distances.

    A step with no time phrase of its own keeps the one before it (`fallback`, with the sentence
    it comes from, so the label is shown as borrowed), as news does.
    """
    named = list(dict.fromkeys(p for s in group for p in s.places)) or [next(iter(places))]
    times = [t for s in group for t in s.times]
    review, reason, when_from = False, None, None
    if times:
        when = times[0][0].quote
    elif fallback:
        when, when_from = fallback
        if any(when in s.text for s in group):
            when_from = None  # the words are in the step's own sentences after all
    else:
        when = group[0].text.split()[0]
        review, reason = True, Message(NO_TIME)
    step_counts = [_count(found, s, places, named) for s in group for found in s.counts]
    step_distances = [d for s in group for found in s.distances if (d := _distance(found, s, places))]
    return Step(id=f"step_{index + 1}", title=_title(group[0].text), when=when, when_from=when_from,
                chrono=index + 1, quotes=[s.text for s in group], places=named, counts=step_counts,
                distances=step_distances, review=review, review_reason=reason)


def _most_specific(ids: list[str], places: dict[str, Place]) -> list[str]:
    """Place ids, most specific kind first (a crossing, a city ... a country), else in order."""
    return sorted(ids, key=lambda i: _SPECIFIC.get(places[i].kind, 5))


def _count(found: Found, sentence: _Sentence, places: dict[str, Place], step_places: list[str]) -> Count:
    """A count at the most specific place its sentence names (review if it names none)."""
    value = int(found.value) if found.value is not None else None
    if sentence.places:
        place, review, reason = _most_specific(sentence.places, places)[0], False, None
    else:
        place, review = _most_specific(step_places, places)[0], True
        reason = Message(NO_PLACE)
    return Count(quote=found.quote, place=place, what=found.what, value=value,
                 qualifier=found.qualifier, review=review, review_reason=reason)


def _distance(found: Found, sentence: _Sentence, places: dict[str, Place]) -> Distance | None:
    """A claimed distance between the first two places its sentence names (None if fewer)."""
    if len(sentence.places) < 2 or found.value is None:
        return None
    ends = sorted(sentence.places, key=lambda i: (_SPECIFIC.get(places[i].kind, 5) > 2, sentence.places.index(i)))
    start, end = ends[0], ends[1]
    km = found.value if found.what == "km" else (found.value2 if found.unit2 == "km" else None)
    miles = found.value if found.what == "miles" else (found.value2 if found.unit2 == "miles" else None)
    broad = [places[i].name for i in (start, end) if _SPECIFIC.get(places[i].kind, 5) > 2]
    reason = None
    if broad:
        reason = Message(ONE_AREA, place=broad[0]) if len(broad) == 1 else Message(TWO_AREAS, place=broad[0],
                                                                                   other=broad[1])
    elif len(sentence.places) > 2:
        reason = Message(MANY_PLACES, count=len(sentence.places))
    return Distance(start=start, end=end, quote=found.quote, stated_km=km, stated_miles=miles,
                    qualifier=found.qualifier, review=reason is not None, review_reason=reason)


def _title(sentence: str) -> str:
    """The opening words of a sentence, up to its first comma, at most TITLE_WORDS words."""
    clause = re.split(r"[,;:(]", sentence, maxsplit=1)[0].strip()
    words = clause.split()
    title = " ".join(words[:TITLE_WORDS]).rstrip(".!?\u201d\"")
    return title + ("\u2026" if len(words) > TITLE_WORDS else "")


def _chrono(steps: list[Step], groups: list[list[_Sentence]]) -> list[Step]:
    """Each step's position in time: by its first time phrase's rank, ties in article order."""
    ranks = []
    for i, group in enumerate(groups):
        times = [r for s in group for _, r in s.times]
        ranks.append((times[0] if times else (ranks[-1][0] if ranks else 5), i))
    order = {i: position + 1 for position, (_, i) in enumerate(sorted(ranks))}
    return [step.model_copy(update={"chrono": order[i]}) for i, step in enumerate(steps)]


def review_items(story: Story) -> list[ReviewItem]:
    """Every item of the story marked `review: true`, with where it is and why."""
    items = [ReviewItem(f"places[{i}]", p.mentions[0], p.review_reason or "")
             for i, p in enumerate(story.places) if p.review]
    for s, step in enumerate(story.steps):
        if step.review:
            items.append(ReviewItem(f"steps[{s}]", step.when, step.review_reason or ""))
        items += [ReviewItem(f"steps[{s}].counts[{c}]", count.quote, count.review_reason or "")
                  for c, count in enumerate(step.counts) if count.review]
        items += [ReviewItem(f"steps[{s}].distances[{d}]", dist.quote or "", dist.review_reason or "")
                  for d, dist in enumerate(step.distances) if dist.review]
    return items


def write_story_folder(folder: str | Path, story: Story, article: str, *,
                       story_name: str = "story.yaml") -> Path:
    """Write the article and the story into `folder`, each atomically; the story file's path.

    The article goes first: a story file never points at an article that is not there yet.
    """
    from geo.story import dump_story

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / story.article, article.encode("utf-8"))
    path = folder / story_name
    write_atomically(path, dump_story(story).encode("utf-8"))
    return path
