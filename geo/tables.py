"""Rows for downloads and the export: places, steps, counts, distances; each row carries its sentence.

Pure functions over a story, its article and the geocoded positions. The CSV and GeoJSON
downloads, the CLI and the single-file export all read their rows from here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from geo.article import mentions, sentence_of, step_sentences
from geo.i18n import Translate, _
from geo.distance import check_claim, leg
from geo.mapping import Positions, distance_label, latlon
from geo.model import Attribution, Count, Distance, Order, Step, Story
from geo.quantities import count_range, describe, rule, words

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)");
# story text is untrusted, so such text cells get a leading apostrophe (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A place's kind in words, for the tables a reader sees (the story file's values are these keys).
KIND_NAMES = {
    "city": _("city"),
    "neighbourhood": _("neighbourhood"),
    "border crossing": _("border crossing"),
    "country": _("country"),
    "region": _("region"),
    "border": _("border"),
}


def place_row(story: Story, article: str, positions: Positions, place_id: str) -> dict[str, Any]:
    """One place: where it is, where the position came from, and the sentences naming it."""
    place = story.place(place_id)
    location = positions.get(place_id)
    raw = (location.raw if location is not None else None) or {}
    named = mentions(story, article, place_id)
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "country": place.country or "",
        "lat": round(location.latitude, 5) if location is not None else None,
        "lon": round(location.longitude, 5) if location is not None else None,
        "source": raw.get("source", ""),
        "matched": raw.get("matched", ""),
        "citation": raw.get("citation", ""),
        "steps": [step.id for step in story.steps if place_id in step.places],
        "mentions": list(place.mentions),  # the words counted, by geo.article.MENTION_RULE
        "sentence": named[0] if named else "",
        "sentences": named,
    }


def count_row(story: Story, article: str, count: Count) -> dict[str, Any]:
    """One reported count: the words, the range they allow, and the sentence."""
    low, high = count_range(count)
    open_high = rule(count.qualifier).open_high
    return {
        "reported": count.quote,
        "what": count.what,
        "qualifier": count.qualifier,
        "value": count.value,
        "low": low,
        "high": None if open_high else high,  # "at least 500" has no upper end: none is drawn or charted
        "reading": describe(count),
        "words": words(count),
        "open": open_high,
        "place_id": count.place,
        "place": story.place(count.place).name,
        "place_note": count.note or "",  # why the place's point stands for where the people were
        "sentence": sentence_of(article, count.quote),
    }


def distance_row(story: Story, article: str, positions: Positions, distance: Distance) -> dict[str, Any] | None:
    """One leg: the straight line beside the article's figure; None if an end was not geocoded."""
    if distance.start not in positions or distance.end not in positions:
        return None
    km = leg(latlon(positions[distance.start]), latlon(positions[distance.end])).km
    check = check_claim(distance, km)
    return {
        "start": story.place(distance.start).name,
        "end": story.place(distance.end).name,
        "km": round(km, 1),
        "label": distance_label(distance, km),
        "stated_km": distance.stated_km,
        "claim": check.text if distance.quote else None,
        "verdict": check.verdict if distance.quote else "unstated",
        "stated": check.stated if distance.quote else None,  # the article's figure in its words
        "quote": distance.quote,
        "sentence": sentence_of(article, distance.quote) if distance.quote else "",
        "note": distance.note,
    }


def step_row(story: Story, article: str, step: Step) -> dict[str, Any]:
    """One step's text: title, time label (marked when borrowed), places, quotes, whose words they are."""
    return {
        "id": step.id,
        "title": step.title,
        "when": step.when,  # None: the step's sentences give no time, and none is shown
        "when_label": when_label(step),
        "when_borrowed": step.when_from is not None,
        "when_from": sentence_of(article, step.when_from) if step.when_from else "",
        "chrono": step.chrono,
        "places": [story.place(pid).name for pid in step.places],
        "quotes": list(step.quotes),
        "sentences": step_sentences(article, step),
        "attributions": [attribution_row(article, a) for a in step.attributions],
    }


def when_label(step: Step) -> str:
    """The time label as shown: the article's words, marked when borrowed from another sentence."""
    if step.when is None:
        return ""
    label = f"“{step.when}”"
    return f"{label} (borrowed from another sentence)" if step.when_from else label


def attribution_row(article: str, attribution: Attribution) -> dict[str, Any]:
    """Whose words a quote carries, with the article's own attribution and its sentence."""
    return {
        "words": attribution.words,
        "speaker": attribution.speaker,
        "said": attribution.said,
        "label": f"{attribution.words}: the words of {attribution.speaker} (the article: “{attribution.said}”)",
        "sentence": sentence_of(article, attribution.said),
    }


def source_row(story: Story) -> dict[str, Any]:
    """Where the article comes from, and how to cite it: nothing the text lacks is made up."""
    return {**story.source.model_dump(), "citation": citation(story)}


def citation(story: Story, t: Translate = _) -> str:
    """The citation line: a headline or date only when the story gives one (with its source).

    `t` translates the interface words (geo.i18n.gettext_for); the story's own words stay as written.
    """
    source = story.source
    parts = [source.publisher]
    if source.headline:
        parts.append(f"“{source.headline}”")
    if source.excerpt_marker:
        parts.append(t("excerpts (marked “{marker}”)").format(marker=source.excerpt_marker))
    parts += [value for value in (source.published, source.url) if value]
    line = ", ".join(parts) + "."
    if not source.headline and not source.published:
        line += " " + t("No headline or date in the text.")
    elif not source.headline:
        line += " " + t("No headline in the text.")
    elif not source.published:
        line += " " + t("No date in the text.")
    return line + " " + t("Mapped with Story Map as “{title}”.").format(title=story.title)


# --- downloads --------------------------------------------------------------------------------


def places_geojson(story: Story, article: str, positions: Positions) -> dict[str, Any]:
    """The geocoded places as a GeoJSON FeatureCollection (lon, lat order, as GeoJSON wants)."""
    features = []
    for place in story.places:
        row = place_row(story, article, positions, place.id)
        if row["lat"] is None:
            continue
        lat, lon = row.pop("lat"), row.pop("lon")
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": row})
    return {"type": "FeatureCollection", "features": features}


def places_csv(story: Story, article: str, positions: Positions) -> str:
    """The places as CSV, one row each, with the first sentence that names the place."""
    rows = []
    for place in story.places:
        row = place_row(story, article, positions, place.id)
        rows.append({**row, "steps": " ".join(row["steps"]), "sentences": len(row["sentences"])})
    return to_csv(rows)


def steps_csv(story: Story, article: str, order: Order = "article") -> str:
    """The steps as CSV in the given order, one row each, with the whole sentences they quote."""
    rows = []
    for number, step in enumerate(story.ordered(order), start=1):
        row = step_row(story, article, step)
        rows.append(
            {
                "number": number,
                **row,
                "places": "; ".join(row["places"]),
                "quotes": " | ".join(row["quotes"]),
                "sentences": " ".join(row["sentences"]),
                "attributions": " | ".join(a["label"] for a in row["attributions"]),
                "counts": len(step.counts),
                "distances": len(step.distances),
            }
        )
    return to_csv(rows)


def counts_csv(story: Story, article: str, order: Order = "article") -> str:
    """Every reported count as CSV, with its range, its step and its sentence."""
    rows = [
        {"step": number, "step_title": step.title, **count_row(story, article, count)}
        for number, step in enumerate(story.ordered(order), start=1)
        for count in step.counts
    ]
    return to_csv(rows)


def _cell(value: Any) -> Any:
    """A CSV cell: story text that a spreadsheet would run as a formula is defused."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """Rows (dicts with the same keys) as CSV text with a header line."""
    rows = list(rows)
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()
