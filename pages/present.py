"""The Present page: the exported player in presenter view, full width, plus the classroom downloads."""

import hashlib

import streamlit as st

from geo.export import export_html
from geo.mapping import latlon
from geo.tables import counts_csv, steps_csv
from pages._common import current, positions, require_story

PLAYER_HEIGHT = 1100  # px: the map (64% of the frame's height) plus large text below it

# The projector needs the whole width: no sidebar, no page padding.
st.markdown(
    "<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stSidebarCollapseButton'] {display: none;} "
    ".block-container {padding: 1rem 1rem 0; max-width: 100%;}</style>",
    unsafe_allow_html=True,
)


@st.cache_data(show_spinner="Building the single-file story…", max_entries=8)
def _export(key: str, order: str, present: bool, _story, _article, _where) -> str:
    """The exported page, cached per story, positions, order and mode (`key` names them)."""
    return export_html(_story, _article, _where, order=order, present=present)


story, article = require_story()
order, _, _ = current(story)
where, fallbacks = positions(story)
for fallback in fallbacks:
    st.info(fallback, icon=":material/satellite_alt:")
# What the export depends on; the leading-underscore arguments are not hashed by Streamlit.
key = hashlib.sha256(
    (story.model_dump_json() + article + repr(sorted((pid, latlon(loc)) for pid, loc in where.items()))).encode()
).hexdigest()

st.caption(
    "Click the map once, then ← → step, Home/End jump, P plays, N shows teacher notes. "
    "A−/A+ change the text size. The same player is in the downloadable file, which works with no network."
)
# st.iframe (srcdoc) replaces components.v1.html in Streamlit 1.67; the HTML is our own export,
# in which story text is JSON written with textContent.
st.iframe(_export(key, order, True, story, article, where), height=PLAYER_HEIGHT)

download, steps_col, counts_col = st.columns(3)
download.download_button(
    "⬇ Story as one HTML file (works offline)",
    data=_export(key, order, False, story, article, where),
    file_name="story-map.html",
    mime="text/html",
    help="Open it from a USB stick on any computer: no server, no internet. Add #step=3&present to the address to present.",
)
steps_col.download_button(
    "⬇ Steps (CSV)", data=steps_csv(story, article, order), file_name="story-steps.csv", mime="text/csv"
)
counts_col.download_button(
    "⬇ Counts (CSV)", data=counts_csv(story, article, order), file_name="story-counts.csv", mime="text/csv"
)
