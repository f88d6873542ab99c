"""Story Map: explore a news story on a map. Page config, navigation and the sidebar; nothing else."""

import streamlit as st

from geo.model import ORDERS
from pages._common import Geocoding, current, loaded, switch_order

# No page or nav icons: Streamlit turns them into a favicon fetched from a CDN, and the app makes
# no outside requests.
st.set_page_config(page_title="Story Map", layout="wide")

ORDER_LABELS = {"article": "Article order", "chrono": "Chronological order"}
PROVIDERS = {"offline": "Offline gazetteer (default)", "nominatim": "Nominatim (online)", "photon": "Photon (online)"}


def _on_order_change() -> None:
    """Switch order while keeping the reader on the same step."""
    story = loaded().story
    if story is not None:
        order, index, _ = current(story)
        switch_order(story, order, index, st.session_state["order_choice"])


def sidebar() -> None:
    """Story order, and the opt-in online geocoder and tiles."""
    story = loaded().story
    with st.sidebar:
        if story is not None:
            st.caption(f"**{story.title}** — {story.source.publisher}")
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
        with st.expander("Map and geocoding"):
            st.toggle(
                "Online map tiles (OpenStreetMap)",
                key="tiles",
                help="Off by default: the offline country outlines need no network.",
            )
            provider = st.selectbox("Geocoder", list(PROVIDERS), format_func=PROVIDERS.get, key="provider")
            domain = None
            if provider != "offline":
                st.caption("Online lookups are rate-limited to 1 per second, cached, and fall back to offline.")
                domain = st.text_input("Server (host:port), empty for the public one", key="domain").strip() or None
            st.session_state["geocoding"] = Geocoding(provider, domain, "http" if domain else "https")


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
