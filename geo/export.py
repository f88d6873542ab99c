"""The single-file story: the player and its bundle in one HTML page, every asset inlined.

The file needs no server and no network: Leaflet, its plugins, their CSS images and the basemap
are inside it, and the player (geo/templates/player/*.js, the same engine the app mounts) steps
through the story in the page. Story text reaches the page only as JSON that the player writes
with textContent, so HTML in a story is shown, never run.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from geopy.location import Location

from geo import assets, player
from geo.atomic import check_target, write_atomically
from geo.article import load_article
from geo.geocoding import locate_places, make_chain
from geo.mapping import Positions
from geo.model import Order, Story
from geo.pins import story_gazetteer
from geo.story import load_story

# Export-only page rules: the player fills the window. Everything else is the player's own CSS.
PAGE_CSS = "html, body { height: 100%; margin: 0; background: #fafaf7; } .sm-frame { height: 100vh; height: 100dvh; }"


def export_html(
    story: Story,
    article: str,
    positions: Positions,
    *,
    order: Order = "article",
    present: bool = False,
    lang: str | None = None,
) -> str:
    """The whole story as one self-contained HTML page; `present` opens it in presenter view."""
    bundle = player.bundle(story, article, positions, url_for=lambda relative: relative, inline_outlines=True)
    parts = bundle["map"]
    scripts = "".join(f"<script>{assets.inline_js(relative)}</script>\n" for relative in parts["scripts"])
    styles = "".join(f"<style>{assets.inline_css(relative)}</style>\n" for relative in parts["styles"])
    # The page loads nothing: the lists of links are for the app's pages only.
    bundle = {**bundle, "map": {**parts, "scripts": [], "styles": []}}
    data: dict[str, Any] = {
        "bundle": bundle,
        "options": player.options(order=order, mode="present" if present else "read", lang=lang),
    }
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f'<html lang="{escape(lang or "en")}">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(story.title)}</title>\n",
            styles,
            f"<style>{_safe(player.template('player/player.css'))}</style>\n",
            f"<style>{PAGE_CSS}</style>\n</head>\n<body>\n<main>\n",
            player.template("player/player.html"),
            "</main>\n",
            scripts,
            f'<script type="application/json" id="sm-data">{player.script_json(data)}</script>\n',
            f"<script>{_safe(player.player_js())}</script>\n",
            "<script>StoryMap.mountPage();</script>\n</body>\n</html>\n",
        ]
    )


def _safe(text: str) -> str:
    """Our own CSS or JS, safe inside the element it goes in."""
    return assets.script_safe(text)


def offline_positions(story: Story, story_path: str | Path | None = None) -> dict[str, Location]:
    """Positions from the offline gazetteer (with the story's own points, if its file is given):
    what an export uses unless it is given others."""
    return locate_places(story, chain=make_chain(offline=story_gazetteer(story_path)))[0]


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
    html = export_html(story, article, positions if positions is not None else offline_positions(story, story_path),
                       present=present)
    out = Path(out_path)
    # A reader never sees half a file, and a failure leaves only the old file (or none).
    write_atomically(out, html.encode("utf-8"))
    return out
