"""Story Map: explore a news story on a map. Page config, navigation and the sidebar; nothing else."""

import streamlit as st

from geo.i18n import _
from geo.model import ORDERS
from geo.servers import OFFLINE, allowed_servers
from pages._common import Geocoding, app_style, current, loaded, plain, switch_order
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


def sidebar() -> None:
    """Story order, and the geocoder: the offline gazetteer or a server the configuration names."""
    story = loaded().story
    t = translator()
    with st.sidebar:
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
pages = st.navigation(
    [
        st.Page("pages/story.py", title=t("Story"), default=True),
        st.Page("pages/places.py", title=t("Places & distances")),
        st.Page("pages/counts.py", title=t("Counts")),
        st.Page("pages/present.py", title=t("Present")),
        st.Page("pages/about.py", title=t("About")),
    ]
)
app_style()
language_switch()
sidebar()
pages.run()
