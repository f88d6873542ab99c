"""The Story page: the player, stepping in the browser; Python keeps the address in step with it."""

import streamlit as st

from pages import _player
from pages._common import current, go, page_style, plain, positions, require_story
from pages._language import page_language, translator

PLAYER_KEY = "story-player"

# The player brings its own title and controls: the page gives it the width and the height.
page_style("[data-testid='stMainBlockContainer'] {padding: 2.75rem 1rem 0.5rem; max-width: 100%;}")
t = translator()
story, article = require_story()
order, index, notes = current(story)
for note in notes:
    st.warning(plain(note), icon=":material/link:")
go(order, index)  # a corrected address, so the address bar always names the step shown
where, fallbacks = positions(story)
for fallback in fallbacks:
    st.info(plain(fallback), icon=":material/satellite_alt:")
if _player.on_cdn():
    st.caption(t(_player.CDN_NOTICE))


# Only this part reruns when the reader steps: the player reports the step, Python writes the
# address. The map is never rebuilt: the bundle is the same object on every run. The player says
# itself, in its panel, that the story's own text is shown as written.
@st.fragment
def player() -> None:
    """The player, and the address kept in step with it."""
    now_order, _, _ = current(story)
    lang = page_language()
    moved = _player.mount(story, article, where, order=now_order, mode="read", key=PLAYER_KEY, lang=lang)
    if moved is None:
        return
    go(moved["order"], moved["step"] - 1, size=moved.get("size"), lang=moved.get("lang"))
    if moved["order"] != now_order or page_language() != lang:
        st.rerun(scope="app")  # the sidebar's order and language switches, and the page, follow the player's


player()
