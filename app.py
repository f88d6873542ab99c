"""Story Map: explore a news story on a map. Page config, navigation and the sidebar; nothing else."""

import streamlit as st

from geo.model import ORDERS
from geo.servers import OFFLINE, allowed_servers
from pages._common import Geocoding, current, loaded, plain, switch_order

# No page or nav icons: Streamlit turns them into a favicon fetched from a CDN, and the app makes
# no outside requests.
st.set_page_config(page_title="Story Map", layout="wide")

ORDER_LABELS = {"article": "Article order", "chrono": "Chronological order"}


def _on_order_change() -> None:
    """Switch order while keeping the reader on the same step."""
    story = loaded().story
    if story is not None:
        order, index, _ = current(story)
        switch_order(story, order, index, st.session_state["order_choice"])


def _secrets_geocoders() -> dict:
    """The geocoders named in .streamlit/secrets.toml ([geocoders] label = "provider:URL"), if any."""
    try:
        return dict(st.secrets.get("geocoders", {}))
    except FileNotFoundError:  # no secrets file: only STORY_MAP_GEOCODERS and the offline gazetteer
        return {}


def sidebar() -> None:
    """Story order, and the geocoder: the offline gazetteer or a server the configuration names."""
    story = loaded().story
    with st.sidebar:
        if story is not None:
            st.caption(plain(f"{story.title} — {story.source.publisher}"))
            order, _, _ = current(story)
            st.session_state["order_choice"] = order
            st.radio(
                "Story order",
                ORDERS,
                format_func=ORDER_LABELS.get,
                key="order_choice",
                on_change=_on_order_change,
                help="The article opens with Sunday's events, then goes back in time.",
            )
        servers, problems = allowed_servers(_secrets_geocoders())
        with st.expander("Geocoding"):
            # Only servers the configuration names can be chosen: a reader cannot point the app at
            # a host of their choice (nor probe the network through it).
            label = st.selectbox(
                "Geocoder",
                list(servers),
                format_func=lambda name: "Offline gazetteer (default)" if name == OFFLINE.label else name,
                key="geocoder",
                help="Add servers in .streamlit/secrets.toml ([geocoders]) or STORY_MAP_GEOCODERS.",
            )
            chosen = servers.get(label, OFFLINE)
            if chosen.provider != "offline":
                st.caption("Online lookups are rate-limited to 1 per second, cached, and fall back to offline.")
            for problem in problems:
                st.caption(plain(f"Configuration: {problem}"))
            st.session_state["geocoding"] = Geocoding(chosen.provider, chosen.domain, chosen.scheme)


pages = st.navigation(
    [
        st.Page("pages/story.py", title="Story", default=True),
        st.Page("pages/places.py", title="Places & distances"),
        st.Page("pages/counts.py", title="Counts"),
        st.Page("pages/present.py", title="Present"),
        st.Page("pages/about.py", title="About"),
    ]
)
sidebar()
pages.run()
