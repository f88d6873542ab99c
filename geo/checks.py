"""Checks a schema cannot make, run on the raw story data so they report even when it fails.

- every quote, mention, `when`, count/distance quote and answer_quote is an exact substring of
  the article (with a hint when it differs only in quote marks, spaces or case), and of its body:
  none quotes the editor's marker (`source.excerpt_marker`, e.g. "(Excerpts from BBC)", or
  undeclared, a bracketed note ending the text: geo.article.editor_marker);
- every place reference (step places, count place, distance ends, route) names a place;
- place, step and context ids are unique, and so are place names (tables and the map label
  places by name: two alike would be one column, one label);
- counts fit geo.quantities, and their quote carries their qualifier and figure;
- stated distances carry their quote, and the quote carries their figures;
- a count or distance sits on the step whose sentences hold its quote, and a count is drawn at a
  place those sentences name;
- a step title holds no number that its quotes do not;
- a `when` the step's own sentences do not say is borrowed: `when_from` names its sentence;
- an attribution's words are in the step's quotes;
- `chrono` values are unique: ties would leave "chronological order" to chance (gaps are fine);
- what the text does not carry comes with a source: `source.published` (an ISO date) with
  `published_source`, a headline with `headline_source` (without one, the start of a sentence is
  called out as not a headline), every outside-context entry with its `source`.

Each check yields (field path, message); geo.story adds the file and the line. A message is a
geo.i18n Message (English as a str; a page shows it in the reader's language).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from geo.article import editor_marker, in_body, names, sentence_of, sentences
from geo.i18n import Message, _
from geo.quantities import QuantityError, quantity_range


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in data[key], tolerating any wrong shape."""
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(data: dict[str, Any], key: str) -> list[tuple[int, str]]:
    """(index, string) for each string in the list data[key]."""
    value = data.get(key)
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []


def _source(data: Any) -> dict[str, Any]:
    """The story's `source` mapping, or an empty one when it has the wrong shape."""
    source = data.get("source") if isinstance(data, dict) else None
    return source if isinstance(source, dict) else {}


def _quotes(data: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every field that must be an exact substring of the article."""
    if isinstance(_source(data).get("excerpt_marker"), str):
        yield "source.excerpt_marker", _source(data)["excerpt_marker"]
    for p, place in _items(data, "places"):
        for m, mention in _strings(place, "mentions"):
            yield f"places[{p}].mentions[{m}]", mention
    for s, step in _items(data, "steps"):
        at = f"steps[{s}]"
        for key in ("when", "when_from"):
            if isinstance(step.get(key), str):
                yield f"{at}.{key}", step[key]
        for q, quote in _strings(step, "quotes"):
            yield f"{at}.quotes[{q}]", quote
        for field, keys in (
            ("attributions", ("words", "said")),
            ("counts", ("quote",)),
            ("distances", ("quote",)),
            ("questions", ("answer_quote",)),
        ):
            for i, item in _items(step, field):
                for key in keys:
                    if isinstance(item.get(key), str):
                        yield f"{at}.{field}[{i}].{key}", item[key]


def _place_refs(data: Any) -> Iterator[tuple[str, Any]]:
    """(path, place id) of every reference to a place."""
    for s, step in _items(data, "steps"):
        for i, ref in _strings(step, "places"):
            yield f"steps[{s}].places[{i}]", ref
        for c, count in _items(step, "counts"):
            yield f"steps[{s}].counts[{c}].place", count.get("place")
        for d, dist in _items(step, "distances"):
            yield f"steps[{s}].distances[{d}].start", dist.get("start")
            yield f"steps[{s}].distances[{d}].end", dist.get("end")
    for r, ref in _strings(data if isinstance(data, dict) else {}, "route"):
        yield f"route[{r}]", ref


def _quote_message(quote: str, article: str, article_name: str) -> str | None:
    """Why a quote is not usable, with a hint when it differs only in quote marks or case."""
    if not quote.strip():
        return Message("is empty; it must quote the article")
    if quote in article:
        return None
    if _plain(quote) in _plain(article):
        return Message('"{quote}" is not in the article ({article}); it differs only in quote marks, spaces or '
                       "case: copy it from the article", quote=short(quote), article=article_name)
    return Message('"{quote}" is not in the article ({article})', quote=short(quote), article=article_name)


def _plain(text: str) -> str:
    """Text with straight quotes, single spaces and lower case, for the near-miss hint."""
    text = text.translate(str.maketrans("“”‘’", "\"\"''"))
    return re.sub(r"\s+", " ", text).lower()


def _duplicates(data: Any, key: str, what: str, field: str = "id",
                same: Callable[[str], str] = str) -> Iterator[tuple[str, str]]:
    """(path, message) for each data[key][i][field] that an earlier entry already used (per `same`)."""
    first: dict[Any, str] = {}
    for i, item in _items(data, key):
        value, path = item.get(field), f"{key}[{i}].{field}"
        if not isinstance(value, str):
            continue  # the schema reports a missing or wrong-typed field
        seen = same(value)
        if seen in first:
            yield path, Message("duplicate {what} {field} {value} (first used at {first})", what=what, field=field,
                                value=repr(value), first=first[seen])
        first.setdefault(seen, path)


def _count_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for counts whose qualifier or value do not fit geo.quantities or the quote."""
    for s, step in _items(data, "steps"):
        for c, count in _items(step, "counts"):
            at, qualifier, value = f"steps[{s}].counts[{c}]", count.get("qualifier", ""), count.get("value")
            if not isinstance(qualifier, str) or not (value is None or type(value) is int):
                continue  # the schema reports the wrong type
            try:
                quantity_range(qualifier, value)
            except QuantityError as exc:
                yield f"{at}.qualifier", exc.args[0]
                continue
            yield from _carries(at, count.get("quote"), qualifier, {"value": value})


def _distance_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for stated distances whose figures or qualifier are not in their quote."""
    for s, step in _items(data, "steps"):
        for d, dist in _items(step, "distances"):
            at, quote = f"steps[{s}].distances[{d}]", dist.get("quote")
            stated = [dist.get(k) for k in ("stated_km", "stated_miles")]
            if quote is None:
                if any(v is not None for v in stated):
                    yield f"{at}.quote", Message("a stated distance needs the quote it comes from")
                continue
            yield from _carries(at, quote, dist.get("qualifier", ""), dict(zip(("stated_km", "stated_miles"), stated)))


def _carries(at: str, quote: Any, qualifier: Any, figures: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, message) when a quote does not carry its qualifier or one of its figures."""
    if not isinstance(quote, str) or not quote.strip():
        return  # a missing or empty quote is reported on its own
    if isinstance(qualifier, str) and qualifier.lower() not in quote.lower():
        yield f"{at}.qualifier", Message("{qualifier} is not in its quote {quote}", qualifier=repr(qualifier),
                                         quote=repr(quote))
    for key, value in figures.items():
        if isinstance(value, (int, float)) and not _has_figure(quote, value):
            yield f"{at}.{key}", Message("{value} is not the figure in its quote {quote}", value=f"{value:,g}",
                                         quote=repr(quote))


def _has_figure(quote: str, value: float) -> bool:
    """Whether the quote writes this number, with or without thousands separators."""
    return float(value) in _numbers(quote)


def _numbers(text: str) -> set[float]:
    """Every number written in the text in figures, thousands separators removed ("7,500" -> 7500)."""
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _title_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for a step title with a number its quotes do not hold."""
    for s, step in _items(data, "steps"):
        title = step.get("title")
        if not isinstance(title, str):
            continue
        quoted = set().union(*(_numbers(quote) for _, quote in _strings(step, "quotes")))
        extra = sorted(_numbers(title) - quoted)
        if extra:
            figures = ", ".join(f"{n:,g}" for n in extra)
            message = (_("{figures} is not in the step's quotes: a title says no more than its sentences")
                       if len(extra) == 1 else _("{figures} are not in the step's quotes: a title says no more than "
                                                 "its sentences"))
            yield f"steps[{s}].title", Message(message, figures=figures)


def _sentences(article: str, quotes: list[Any]) -> list[str]:
    """The whole sentences of the quotes that are in the article (the others are reported on their own)."""
    return [sentence_of(article, q) for q in quotes if isinstance(q, str) and q.strip() and q in article]


def _step_problems(data: Any, article: str) -> Iterator[tuple[str, str]]:
    """(path, message) for what a step shows that its own sentences do not hold."""
    mentions: dict[str, list[str]] = {}
    for _, place in _items(data, "places"):
        if isinstance(place.get("id"), str):
            mentions.setdefault(place["id"], []).extend(m for _, m in _strings(place, "mentions"))
    for s, step in _items(data, "steps"):
        at, quotes = f"steps[{s}]", [q for _, q in _strings(step, "quotes")]
        own = _sentences(article, quotes)
        yield from _placement_problems(at, step, article, own)
        yield from _count_place_problems(at, step, article, own, mentions)
        for a, attribution in _items(step, "attributions"):
            words = attribution.get("words")
            if isinstance(words, str) and words.strip() and not any(words in quote for quote in quotes):
                yield f"{at}.attributions[{a}].words", Message('"{words}" is not in this step\'s quotes', words=short(words))
        yield from _when_problems(at, step, article, own)


def _placement_problems(at: str, step: dict[str, Any], article: str, own: list[str]) -> Iterator[tuple[str, str]]:
    """(path, message) for a count or distance on a step that does not quote its sentence."""
    for field in ("counts", "distances"):
        for i, item in _items(step, field):
            quote = item.get("quote")
            if _sentences(article, [quote]) and not any(quote in sentence for sentence in own):
                yield f"{at}.{field}[{i}].quote", Message(
                    '"{quote}" is not in this step\'s sentences: put it on the step that quotes its sentence',
                    quote=short(quote))


def _count_place_problems(
    at: str, step: dict[str, Any], article: str, own: list[str], mentions: dict[str, list[str]]
) -> Iterator[tuple[str, str]]:
    """(path, message) for a count drawn at a place that none of its sentences names."""
    for c, count in _items(step, "counts"):
        place = count.get("place")
        words = mentions.get(place, []) if isinstance(place, str) else []
        said = own + _sentences(article, [count.get("quote")])
        if words and not any(names(sentence, word) for sentence in said for word in words):
            yield f"{at}.counts[{c}].place", Message(
                "{place} is not named in the count's sentences: draw it at a place they name, "
                "or add the article's word for this place to its mentions", place=repr(place))


def _when_problems(at: str, step: dict[str, Any], article: str, own: list[str]) -> Iterator[tuple[str, str]]:
    """(path, message) for a time label borrowed from another sentence without saying which."""
    when, source = step.get("when"), step.get("when_from")
    if source is not None and when is None:
        yield f"{at}.when_from", Message("names where a time label comes from, but the step has no `when`")
        return
    if not isinstance(when, str) or not when.strip() or when not in article:
        return  # no label, or one the quote check reports
    said_here = any(when in sentence for sentence in own)
    if isinstance(source, str):
        if when not in source:
            yield f"{at}.when_from", Message("does not contain the time label {when} it is borrowed from",
                                             when=repr(when))
        elif said_here:
            yield f"{at}.when_from", Message("{when} is in this step's own sentences, so it is not borrowed: leave "
                                             "when_from out", when=repr(when))
    elif not said_here:
        yield f"{at}.when", Message(
            "{when} is not in this step's sentences: name the sentence it is borrowed from in when_from, "
            "or leave `when` out", when=repr(when))


def _body_problems(data: Any, article: str) -> Iterator[tuple[str, str]]:
    """(path, message) for a quote of the editor's marker (declared, or a bracketed note ending the text)."""
    declared = _source(data).get("excerpt_marker")
    marker = editor_marker(article, declared if isinstance(declared, str) and declared.strip() else None)
    if marker is None or marker not in article:
        return
    for path, quote in _quotes(data):
        if path != "source.excerpt_marker" and quote.strip() and not in_body(article, quote, marker):
            yield path, Message(
                '"{quote}" quotes the editor\'s marker {marker}, which is not article content: '
                "quote only the article's sentences", quote=short(quote), marker=repr(marker))


def _chrono_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for each chrono value an earlier step already holds."""
    first: dict[int, str] = {}
    for s, step in _items(data, "steps"):
        chrono = step.get("chrono")
        if type(chrono) is not int:
            continue  # the schema reports the wrong type
        if chrono in first:
            yield f"steps[{s}].chrono", Message("chrono {chrono} is also {step}'s; give each step its own position",
                                                chrono=chrono, step=first[chrono])
        first.setdefault(chrono, f"steps[{s}]")


def _source_problems(data: Any, article: str | None) -> Iterator[tuple[str, str]]:
    """(path, message) for a date or headline the text does not carry, given without a source."""
    source = _source(data)
    published, headline = source.get("published"), source.get("headline")
    if isinstance(published, str):
        try:
            date.fromisoformat(published)
        except ValueError:
            yield "source.published", Message("{date} is not an ISO date (YYYY-MM-DD)", date=repr(published))
        else:
            if not _given(source.get("published_source")):
                yield "source.published", Message("the text carries no date: say where it comes from in "
                                                  "published_source")
    if not isinstance(headline, str) or _given(source.get("headline_source")):
        return
    if article is not None and _opens_a_sentence(headline, article):
        yield "source.headline", Message(
            "is the start of a sentence of the article, not its headline: leave it out (the text is an "
            "excerpt), or give the real headline with headline_source")
    else:
        yield "source.headline", Message("the text carries no headline: say where this one comes from in "
                                         "headline_source")


def _given(value: Any) -> bool:
    """Whether a source field holds some text."""
    return isinstance(value, str) and bool(value.strip())


def _opens_a_sentence(phrase: str, article: str) -> bool:
    """Whether a sentence of the article starts with the phrase (quote marks, spaces and case aside)."""
    plain = _plain(phrase).strip(" .")
    return bool(plain) and any(_plain(sentence).startswith(plain) for sentence in sentences(article))


def _context_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for an outside-context entry with an empty text or source."""
    for i, item in _items(data, "context"):
        for key in ("text", "source"):
            if isinstance(item.get(key), str) and not item[key].strip():
                yield f"context[{i}].{key}", Message("is empty: an outside fact is shown with its {field}", field=key)


def cross_checks(data: Any, article: str | None, article_name: str) -> Iterator[tuple[str, str]]:
    """(path, message) for everything the schema cannot see."""
    if article is not None:
        for path, quote in _quotes(data):
            message = _quote_message(quote, article, article_name)
            if message:
                yield path, message
        yield from _body_problems(data, article)
        yield from _step_problems(data, article)
    known = {item["id"] for _, item in _items(data, "places") if isinstance(item.get("id"), str)}
    # With no places at all, the schema's one message says so; every reference is not news.
    for path, ref in _place_refs(data) if known else ():
        if isinstance(ref, str) and ref not in known:
            names = ", ".join(sorted(known))
            yield path, Message("unknown place {place} (the story's places: {places})", place=repr(ref), places=names)
    for key, what in (("places", "place"), ("steps", "step"), ("context", "context")):
        yield from _duplicates(data, key, what)
    # "Tijuana" and "tijuana " would still read as one place.
    yield from _duplicates(data, "places", "place", "name", lambda name: name.strip().casefold())
    yield from _count_problems(data)
    yield from _distance_problems(data)
    yield from _title_problems(data)
    yield from _chrono_problems(data)
    yield from _source_problems(data, article)
    yield from _context_problems(data)


def short(text: str, limit: int = 70) -> str:
    """Text cut to a readable length for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
