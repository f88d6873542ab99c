"""The player as a Streamlit component: the export's step engine, mounted in the page (no iframe)."""

from __future__ import annotations

import hashlib

import streamlit as st
from geopy.location import Location

from geo import assets, basemap, player
from geo.i18n import _
from geo.mapping import latlon
from geo.model import ORDERS, Order, Story
from pages._language import translator

# Registered once per process; the same HTML, CSS and JS as the single-file export's player.
_COMPONENT = st.components.v2.component(
    "story_map_player",
    html=player.template("player/player.html"),
    css=player.template("player/player.css"),
    js=player.player_js() + "\n" + player.template("player/streamlit.js"),
    isolate_styles=False,  # Leaflet's CSS and the page's keys and focus are the page's own
)


def bundle_key(story: Story, article: str, where: dict[str, Location]) -> str:
    """What a bundle depends on, hashed: the story, its article and where its places are."""
    text = story.model_dump_json() + article + repr(sorted((pid, latlon(loc)) for pid, loc in where.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=16)
def _bundle(key: str, _story: Story, _article: str, _where: dict[str, Location]) -> dict:
    """The player's bundle, built once per story and positions (`key` names them) in this process."""
    local = assets.local_assets()
    # Without `make assets` (no npm on the host) there is no offline basemap: online tiles instead.
    built = player.bundle(_story, _article, _where, url_for=assets.page_url, tiles=not local)
    # Where the map's scripts come from: this server, or the pinned CDN files with their hashes.
    # The basemap's index and world level are fetched while Leaflet loads.
    prefetch = [assets.app_url(f"{basemap.STORE_DIR}/{name}") for name in basemap.FIRST_FILES] if local else []
    built["map"] = {**built["map"], **assets.page_assets(built["map"]["scripts"], built["map"]["styles"]),
                    "prefetch": prefetch}
    return built


def bundle(story: Story, article: str, where: dict[str, Location]) -> dict:
    """The cached bundle for this story and these positions (never rebuilt on a step)."""
    t = translator()
    with st.spinner(t("Preparing the map…")):  # shown only if building takes over half a second
        return _bundle(bundle_key(story, article, where), story, article, where)


CDN_NOTICE = _(
    "This server has no local copy of the map's scripts (`make assets` installs them), so they load from "
    "the jsDelivr CDN, pinned to the versions in package-lock.json and checked against their integrity hashes."
)


def on_cdn() -> bool:
    """Whether the map's scripts come from the CDN (a host without `make assets`, e.g. Community Cloud)."""
    return not assets.local_assets()


def mount(story: Story, article: str, where: dict[str, Location], *, order: Order, mode: str, key: str,
          lang: str | None = None) -> dict | None:
    """Mount the player; returns where the reader moved to on this rerun ({step, order, size, lang}), if they did.

    `lang` is the page's language: a change of it (the sidebar's switch) re-invokes the component,
    which applies it without rebuilding the map.
    """
    data = {"bundle": bundle(story, article, where), "options": player.options(order=order, mode=mode, lang=lang)}
    result = _COMPONENT(key=key, data=data, on_moved_change=lambda: None, height="content")
    moved = getattr(result, "moved", None)
    return moved if _valid(moved, len(story.steps)) else None


def _valid(moved: object, total: int) -> bool:
    """A report from the page is used only if it names a real step and order (anything else is ignored)."""
    if not isinstance(moved, dict):
        return False
    step, order = moved.get("step"), moved.get("order")
    return type(step) is int and 1 <= step <= total and order in ORDERS
