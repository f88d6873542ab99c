"""Checks a schema cannot make, run on the raw story data so they report even when it fails.

- every quote, mention, `when`, count/distance quote and answer_quote is an exact substring of
  the article (with a hint when it differs only in quote marks, spaces or case);
- every place reference (step places, count place, distance ends, route) names a place;
- place, step and context ids are unique, and so are place names (tables and the map label
  places by name: two alike would be one column, one label);
- counts fit geo.quantities, and their quote carries their qualifier and figure;
- stated distances carry their quote, and the quote carries their figures;
- `chrono` values are unique: ties would leave "chronological order" to chance (gaps are fine);
- `source.published` is an ISO date.

Each check yields (field path, message); geo.story adds the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from geo.quantities import QuantityError, quantity_range


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in data[key], tolerating any wrong shape."""
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(data: dict[str, Any], key: str) -> list[tuple[int, str]]:
    """(index, string) for each string in the list data[key]."""
    value = data.get(key)
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []


def _quotes(data: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every field that must be an exact substring of the article."""
    for p, place in _items(data, "places"):
        for m, mention in _strings(place, "mentions"):
            yield f"places[{p}].mentions[{m}]", mention
    for s, step in _items(data, "steps"):
        at = f"steps[{s}]"
        if isinstance(step.get("when"), str):
            yield f"{at}.when", step["when"]
        for q, quote in _strings(step, "quotes"):
            yield f"{at}.quotes[{q}]", quote
        for field in ("counts", "distances", "questions"):
            key = "answer_quote" if field == "questions" else "quote"
            for i, item in _items(step, field):
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
        return "is empty; it must quote the article"
    if quote in article:
        return None
    message = f'"{short(quote)}" is not in the article ({article_name})'
    if _plain(quote) in _plain(article):
        message += "; it differs only in quote marks, spaces or case: copy it from the article"
    return message


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
            yield path, f"duplicate {what} {field} {value!r} (first used at {first[seen]})"
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
                yield f"{at}.qualifier", str(exc)
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
                    yield f"{at}.quote", "a stated distance needs the quote it comes from"
                continue
            yield from _carries(at, quote, dist.get("qualifier", ""), dict(zip(("stated_km", "stated_miles"), stated)))


def _carries(at: str, quote: Any, qualifier: Any, figures: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, message) when a quote does not carry its qualifier or one of its figures."""
    if not isinstance(quote, str) or not quote.strip():
        return  # a missing or empty quote is reported on its own
    if isinstance(qualifier, str) and qualifier.lower() not in quote.lower():
        yield f"{at}.qualifier", f"{qualifier!r} is not in its quote {quote!r}"
    for key, value in figures.items():
        if isinstance(value, (int, float)) and not _has_figure(quote, value):
            yield f"{at}.{key}", f"{value:,g} is not the figure in its quote {quote!r}"


def _has_figure(quote: str, value: float) -> bool:
    """Whether the quote writes this number, with or without thousands separators."""
    numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", quote)}
    return float(value) in numbers


def _chrono_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for each chrono value an earlier step already holds."""
    first: dict[int, str] = {}
    for s, step in _items(data, "steps"):
        chrono = step.get("chrono")
        if type(chrono) is not int:
            continue  # the schema reports the wrong type
        if chrono in first:
            yield f"steps[{s}].chrono", f"chrono {chrono} is also {first[chrono]}'s; give each step its own position"
        first.setdefault(chrono, f"steps[{s}]")


def _published_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) when source.published is not an ISO date."""
    source = data.get("source") if isinstance(data, dict) else None
    published = source.get("published") if isinstance(source, dict) else None
    if isinstance(published, str):
        try:
            date.fromisoformat(published)
        except ValueError:
            yield "source.published", f"{published!r} is not an ISO date (YYYY-MM-DD)"


def cross_checks(data: Any, article: str | None, article_name: str) -> Iterator[tuple[str, str]]:
    """(path, message) for everything the schema cannot see."""
    if article is not None:
        for path, quote in _quotes(data):
            message = _quote_message(quote, article, article_name)
            if message:
                yield path, message
    known = {item["id"] for _, item in _items(data, "places") if isinstance(item.get("id"), str)}
    # With no places at all, the schema's one message says so; every reference is not news.
    for path, ref in _place_refs(data) if known else ():
        if isinstance(ref, str) and ref not in known:
            names = ", ".join(sorted(known))
            yield path, f"unknown place {ref!r} (the story's places: {names})"
    for key, what in (("places", "place"), ("steps", "step"), ("context", "context")):
        yield from _duplicates(data, key, what)
    # "Tijuana" and "tijuana " would still read as one place.
    yield from _duplicates(data, "places", "place", "name", lambda name: name.strip().casefold())
    yield from _count_problems(data)
    yield from _distance_problems(data)
    yield from _chrono_problems(data)
    yield from _published_problems(data)


def short(text: str, limit: int = 70) -> str:
    """Text cut to a readable length for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
