"""The Present page: the player in presenter view, sized to the window, plus the classroom downloads."""

import streamlit as st

from geo.export import export_html
from geo.tables import counts_csv, steps_csv
from pages import _player
from pages._common import current, go, page_style, plain, positions, require_story
from pages._language import page_language, translator

PLAYER_KEY = "present-player"

# The projector needs the whole width: no sidebar, little page padding; the player fills the window.
page_style(
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stSidebarCollapseButton'] {display: none;} "
    "[data-testid='stMainBlockContainer'] {padding: 2.75rem 0.5rem 0.5rem; max-width: 100%;}"
)


@st.cache_data(show_spinner=False, max_entries=8)
def _export(key: str, order: str, present: bool, lang: str | None, _story, _article, _where) -> str:
    """The exported page, cached per story, positions, order, mode and language (`key` names them)."""
    return export_html(_story, _article, _where, order=order, present=present, lang=lang)


t = translator()
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
    lang = page_language()
    moved = _player.mount(story, article, where, order=now_order, mode="present", key=PLAYER_KEY, lang=lang)
    if moved is not None:
        go(moved["order"], moved["step"] - 1, size=moved.get("size"), lang=moved.get("lang"))
        if page_language() != lang:
            st.rerun(scope="app")  # the page's own words follow the player's language switch


player()
st.caption(
    t("← → or a clicker's Page Up/Down step, Home/End jump, P plays, N shows this step's teacher note here; "
      "“{notes}” opens the notes, the answer and a timer in a second window for your screen only. "
      "The same player is in the downloadable file, which works with no network.").format(
        notes=t("Open presenter notes"))
)
# What the export depends on; the leading-underscore arguments are not hashed by Streamlit.
key = _player.bundle_key(story, article, where)
download, steps_col, counts_col = st.columns(3)
with st.spinner(t("Building the single-file story…")):  # shown only if building takes over half a second
    # A language the reader chose goes into the file; otherwise the file opens in its reader's language.
    exported = _export(key, order, False, page_language() if "lang" in st.query_params else None, story, article, where)
download.download_button(
    t("⬇ Story as one HTML file (works offline)"),
    data=exported,
    file_name="story-map.html",
    mime="text/html",
    help=t("Open it from a USB stick on any computer: no server, no internet. Add #step=3&present to the "
           "address to present."),
)
# The CSV files keep English column names and values: they are data for spreadsheets and scripts.
steps_col.download_button(
    t("⬇ Steps (CSV)"), data=steps_csv(story, article, order), file_name="story-steps.csv", mime="text/csv"
)
counts_col.download_button(
    t("⬇ Counts (CSV)"), data=counts_csv(story, article, order), file_name="story-counts.csv", mime="text/csv"
)
