"""The yardstick for bench/step_latency.py: the obvious app that rebuilds the folium map every step."""

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
story = load_story(STORY_PATH)
article = load_article(STORY_PATH, story)
where, _ = locate_places(story)
steps = story.ordered("article")
index = st.session_state.setdefault("index", 0)


def move(delta: int) -> None:
    """Step forward or back."""
    st.session_state["index"] = min(max(index + delta, 0), len(steps) - 1)


st.button("← Previous", on_click=move, args=(-1,))
st.button("Next →", on_click=move, args=(1,))
# The naive way: the step's view and layers baked into a new map, so every step is a new iframe.
view = step_view(story, steps[index], where)
fmap = base_map(story, article, where)
fmap.location = list(view.center)
fmap.options["zoom"] = view.zoom
step_layer(story, steps[index], article, where).add_to(fmap)
st_folium(fmap, key="naive", height=560, width=700, returned_objects=[])
