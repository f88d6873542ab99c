"""Story Map: explore a news story on a map. Page config, navigation and the sidebar; nothing else."""

import streamlit as st

from geo.model import ORDERS
from pages._common import (Geocoding, chosen_slug, current, loaded, plain, story_choices, story_link_note,
                           story_query, switch_order)

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
    st.selectbox("Story", list(titles), format_func=titles.get, key="story_choice", on_change=_on_story_change,
                 help="Saved stories live in the stories folder; “New story” drafts one from any article.")


def navigation_links() -> None:
    """The pages, each link carrying the chosen story: Streamlit's own menu would drop it from the address."""
    for page in PAGES:
        st.page_link(page, query_params=story_query())


def sidebar() -> None:
    """Pages, the story picker, story order, and the opt-in online geocoder and tiles."""
    story = loaded().story
    with st.sidebar:
        navigation_links()
        st.divider()
        story_picker()
        if story is not None:
            st.caption(f"**{plain(story.title)}** — {plain(story.source.publisher)}")
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


PAGES = [
    st.Page("pages/story.py", title="Story", default=True),
    st.Page("pages/places.py", title="Places & distances"),
    st.Page("pages/counts.py", title="Counts"),
    st.Page("pages/present.py", title="Present"),
    st.Page("pages/new_story.py", title="New story"),
    st.Page("pages/about.py", title="About"),
]
# Hidden: the sidebar draws the same links itself, with ?story= kept (see navigation_links).
pages = st.navigation(PAGES, position="hidden")
note = story_link_note()
if note:
    st.warning(plain(note), icon=":material/link:")
    st.query_params.pop("story", None)  # the address now names what is shown
sidebar()
pages.run()
