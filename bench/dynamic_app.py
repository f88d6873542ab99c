"""The strongest simple alternative for bench/step_latency.py: one mounted st_folium map, moved in place.

The base map is identical on every run (so the component keeps its key); each step passes only
center, zoom and feature_group_to_add, which streamlit-folium applies to the mounted map.
"""

import sys
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from bench/

from geo.article import load_article  # noqa: E402
from geo.geocoding import locate_places  # noqa: E402
from geo.mapping import base_map, step_layer, step_view  # noqa: E402
from geo.story import load_story  # noqa: E402

STORY_PATH = Path(__file__).resolve().parent.parent / "data" / "story.yaml"


@st.cache_resource
def _story():
    """The seed story, its article and positions, once per process."""
    story = load_story(STORY_PATH)
    return story, load_article(STORY_PATH, story), locate_places(story)[0]


story, article, where = _story()
steps = story.ordered("article")
index = st.session_state.setdefault("index", 0)


def move(delta: int) -> None:
    """Step forward or back."""
    st.session_state["index"] = min(max(index + delta, 0), len(steps) - 1)


st.button("← Previous", on_click=move, args=(-1,))
st.button("Next →", on_click=move, args=(1,))
view = step_view(story, steps[index], where)
st_folium(
    base_map(story, article, where),
    key="dynamic",
    center=view.center,
    zoom=view.zoom,
    feature_group_to_add=step_layer(story, steps[index], article, where),
    returned_objects=[],
    height=560,
    width=700,
)
