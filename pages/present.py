"""The Present page: the player in presenter view, sized to the window, plus the classroom downloads."""

import streamlit as st

from geo.export import export_html
from geo.tables import counts_csv, steps_csv
from pages import _player
from pages._common import current, go, page_style, plain, positions, require_story

PLAYER_KEY = "present-player"

# The projector needs the whole width: no sidebar, little page padding; the player fills the window.
page_style(
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stSidebarCollapseButton'] {display: none;} "
    "[data-testid='stMainBlockContainer'] {padding: 2.75rem 0.5rem 0.5rem; max-width: 100%;}"
)


@st.cache_data(show_spinner="Building the single-file story…", max_entries=8)
def _export(key: str, order: str, present: bool, _story, _article, _where) -> str:
    """The exported page, cached per story, positions, order and mode (`key` names them)."""
    return export_html(_story, _article, _where, order=order, present=present)


story, article = require_story()
order, index, notes = current(story)
for note in notes:
    st.warning(plain(note), icon=":material/link:")
go(order, index)
where, fallbacks = positions(story)
for fallback in fallbacks:
    st.info(plain(fallback), icon=":material/satellite_alt:")


@st.fragment
def player() -> None:
    """The player in presenter view; the address follows it, as on the Story page."""
    now_order, _, _ = current(story)
    moved = _player.mount(story, article, where, order=now_order, mode="present", key=PLAYER_KEY)
    if moved is not None:
        go(moved["order"], moved["step"] - 1, size=moved.get("size"), lang=moved.get("lang"))


player()
st.caption(
    "← → or a clicker's Page Up/Down step, Home/End jump, P plays, N shows this step's teacher note here; "
    "“Open presenter notes” opens the notes, the answer and a timer in a second window for your screen only. "
    "The same player is in the downloadable file, which works with no network."
)
# What the export depends on; the leading-underscore arguments are not hashed by Streamlit.
key = _player.bundle_key(story, article, where)
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
