"""The Story page: the player, stepping in the browser; Python keeps the address in step with it."""

import streamlit as st

from pages import _player
from pages._common import current, go, page_style, plain, positions, require_story

PLAYER_KEY = "story-player"

# The player brings its own title and controls: the page gives it the width and the height.
page_style("[data-testid='stMainBlockContainer'] {padding: 2.75rem 1rem 0.5rem; max-width: 100%;}")
story, article = require_story()
order, index, notes = current(story)
for note in notes:
    st.warning(plain(note), icon=":material/link:")
go(order, index)  # a corrected address, so the address bar always names the step shown
where, fallbacks = positions(story)
for fallback in fallbacks:
    st.info(plain(fallback), icon=":material/satellite_alt:")
if _player.on_cdn():
    st.caption(_player.CDN_NOTICE)


# Only this part reruns when the reader steps: the player reports the step, Python writes the
# address. The map is never rebuilt: the bundle is the same object on every run.
@st.fragment
def player() -> None:
    """The player, and the address kept in step with it."""
    now_order, _, _ = current(story)
    moved = _player.mount(story, article, where, order=now_order, mode="read", key=PLAYER_KEY)
    if moved is None:
        return
    go(moved["order"], moved["step"] - 1, size=moved.get("size"), lang=moved.get("lang"))
    if moved["order"] != now_order:
        st.rerun(scope="app")  # the sidebar's order switch follows the player's


player()
