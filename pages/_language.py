"""The reader's language: the address's lang=, else the browser's, else English; the sidebar's switch.

Pages translate their words with `t = translator()` (the pattern is in geo/i18n.py's docstring).
"""

from __future__ import annotations

import streamlit as st

from geo.i18n import LANGUAGES, Translate, _, gettext_for, language
from pages._a11y import mount_hidden

LANG_CHOICE = "lang_choice"  # the sidebar switch's session-state key
DOCUMENT_LANGUAGE_KEY = "document-language"
AS_WRITTEN = _(
    "The article, its quotes and the story's own text are shown as written, in their language; "
    "only the interface is translated."
)

# The document's language, for screen readers and hyphenation: Streamlit's index.html says
# lang="en", set_page_config has no language, and st.html runs no scripts. A component's script
# does run in the page: it sets <html lang> once per language change (Streamlit calls it again only
# when its data changes).
_DOCUMENT_LANGUAGE = st.components.v2.component(
    "story_map_document_language",
    js="export default function (c) { if (c.data && c.data.lang) document.documentElement.lang = c.data.lang; }",
)


def browser_language() -> str | None:
    """What the browser asks for: its Accept-Language header, else the locale it reported."""
    headers = st.context.headers
    return (headers.get("Accept-Language") if headers else None) or st.context.locale


def page_language() -> str:
    """The language this run shows: the address's lang=, else the browser's, else English."""
    return language(st.query_params.get("lang"), browser_language())


def translator() -> Translate:
    """The translate function for this run's language."""
    return gettext_for(page_language())


def _remember_language() -> None:
    """The sidebar's choice goes into the address (lang=es), which every page and the player read."""
    st.query_params["lang"] = st.session_state[LANG_CHOICE]


def language_switch() -> None:
    """The sidebar's language switch, kept in step with the address; and the document's language."""
    lang = page_language()
    t = gettext_for(lang)
    st.session_state[LANG_CHOICE] = lang  # the address (or the player's report) leads the widget
    with st.sidebar:
        st.radio(
            t("Language"),
            list(LANGUAGES),
            format_func=LANGUAGES.get,
            key=LANG_CHOICE,
            horizontal=True,
            on_change=_remember_language,
        )
        mount_hidden(_DOCUMENT_LANGUAGE, DOCUMENT_LANGUAGE_KEY, lang=lang)


def as_written_note(t: Translate) -> None:
    """One short line on a page that shows story text to a reader of another language."""
    if page_language() != "en":
        st.caption(t(AS_WRITTEN))
