"""Story Map: explore a news story on a map. Page config, navigation and the sidebar; nothing else."""

import streamlit as st

from geo.i18n import _
from geo.model import ORDERS
from geo.servers import OFFLINE, allowed_servers
from pages._common import (Geocoding, app_style, chosen_slug, current, loaded, plain, story_choices,
                           story_link_note, story_query, switch_order)
from pages._language import language_switch, translator

# No page or nav icons: Streamlit turns them into a favicon fetched from a CDN, and the app makes
# no outside requests.
st.set_page_config(page_title="Story Map", layout="wide")

ORDER_LABELS = {"article": _("Article order"), "chrono": _("Chronological order")}


def _on_order_change() -> None:
    """Switch order while keeping the reader on the same step."""
    story = loaded().story
    if story is not None:
        order, index, _ = current(story)
        switch_order(story, order, index, st.session_state["order_choice"])


@st.cache_resource(ttl=60, show_spinner=False)
def _configured_servers() -> tuple[dict, list[str]]:
    """The geocoders the configuration names: secrets.toml's [geocoders] and STORY_MAP_GEOCODERS.

    Read at most once a minute: Streamlit re-reads (and, when absent, re-seeks) the secrets files on
    every access, which is not free on every rerun of every reader.
    """
    try:
        named = dict(st.secrets.get("geocoders", {}))
    except FileNotFoundError:  # no secrets file: only STORY_MAP_GEOCODERS and the offline gazetteer
        named = {}
    return allowed_servers(named)


def _on_story_change() -> None:
    """Open the chosen story at its first step; the address names it, so links and Back keep it."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in ("story", "step")}
    slug = st.session_state["story_choice"]
    st.query_params.from_dict({**params, **({"story": slug} if slug else {})})


def story_picker() -> None:
    """Every story, the seed story first: the address remembers the choice (?story=<slug>)."""
    choices = story_choices()
    titles = {choice.slug: choice.title for choice in choices}
    st.session_state["story_choice"] = chosen_slug() or ""
    t = translator()
    st.selectbox(t("Story"), list(titles), format_func=titles.get, key="story_choice", on_change=_on_story_change,
                 help=t("Saved stories live in the stories folder; “New story” drafts one from any article."))


def navigation_links() -> None:
    """The pages, each link carrying the chosen story: Streamlit's own menu would drop it from the address."""
    for page in PAGES:
        st.page_link(page, query_params=story_query())


def sidebar() -> None:
    """Pages, the story picker, story order, and the geocoder: the offline gazetteer or a configured server."""
    story = loaded().story
    t = translator()
    with st.sidebar:
        navigation_links()
        st.divider()
        story_picker()
        if story is not None:
            st.caption(plain(f"{story.title} — {story.source.publisher}"))
            order, _, _ = current(story)
            st.session_state["order_choice"] = order
            st.radio(
                t("Story order"),
                ORDERS,
                format_func=lambda order: t(ORDER_LABELS[order]),
                key="order_choice",
                on_change=_on_order_change,
                help=t("The article opens with Sunday's events, then goes back in time."),
            )
        servers, problems = _configured_servers()
        with st.expander(t("Geocoding")):
            # Only servers the configuration names can be chosen: a reader cannot point the app at
            # a host of their choice (nor probe the network through it).
            label = st.selectbox(
                t("Geocoder"),
                list(servers),
                format_func=lambda name: t("Offline gazetteer (default)") if name == OFFLINE.label else name,
                key="geocoder",
                help=t("Add servers in .streamlit/secrets.toml ([geocoders]) or STORY_MAP_GEOCODERS."),
            )
            chosen = servers.get(label, OFFLINE)
            if chosen.provider != "offline":
                st.caption(t("Online lookups are rate-limited to 1 per second, cached, and fall back to offline."))
            for problem in problems:
                st.caption(plain(t("Configuration: {problem}").format(problem=problem)))
            st.session_state["geocoding"] = Geocoding(chosen.provider, chosen.domain, chosen.scheme)


t = translator()
PAGES = [
    st.Page("pages/story.py", title=t("Story"), default=True),
    st.Page("pages/places.py", title=t("Places & distances")),
    st.Page("pages/counts.py", title=t("Counts")),
    st.Page("pages/present.py", title=t("Present")),
    st.Page("pages/new_story.py", title=t("New story")),
    st.Page("pages/about.py", title=t("About")),
]
# Hidden: the sidebar draws the same links itself, with ?story= kept (see navigation_links).
pages = st.navigation(PAGES, position="hidden")
app_style()
language_switch()
note = story_link_note()
if note:
    st.warning(plain(note), icon=":material/link:")
    st.query_params.pop("story", None)  # the address now names what is shown
sidebar()
pages.run()
