"""The About page: the source, how every place, count, range, distance and mention is derived, and how to cite."""

from html import escape

import pandas as pd
import streamlit as st

from geo.article import MENTION_RULE, body_sentences, editor_marker, sentence_spans
from geo.i18n import _, translate
from geo.player import CREDITS
from geo.quantities import RULES, rule_reading
from geo.tables import KIND_NAMES, citation, place_row
from pages._common import html_block, plain, positions, require_story
from pages._language import as_written_note, translator

# How this map is made, one bullet each (Markdown: the bold topic, then how it is derived).
METHOD = [
    _("**Sentences.** The article is split into sentences. Each step quotes whole sentences, word for word; the "
      "editor's marker is not a sentence of the article and is never quoted."),
    _("**Places.** Each place the article names is looked up offline: a curated overlay first (every row cites "
      "where its position comes from), then GeoNames; countries before towns, and the story's countries as "
      "context. A region or a border gets one representative point, and its row says which point and why."),
    _("**Counts.** The article's own words (\"almost 7,500 migrants\", \"dozens of people\"), drawn at a place their "
      "sentences name; a ring's area grows with the number of people. A vague word or a qualifier becomes a "
      "range, shown beside the words, never instead of them (table below)."),
    _("**Distances.** Straight lines (geodesics on the WGS-84 ellipsoid, computed with geopy) between the points "
      "on this map, shown beside the article's own figure. They are computed here, not in the article."),
    _("**Time and order.** Steps follow the article; the chronological order is the editors' reading. Time labels "
      "are the article's words; a label taken from another sentence is marked as borrowed."),
    _("**Whose words.** Where a step shows words whose speaker is named in another sentence (\"violently\", "
      "\"illegally\"), the step says who said them and quotes the article's attribution."),
    _("**Outside the article:** the positions, the straight-line distances, the ranges, the schematic route, the "
      "chronological order, the step titles, teacher notes and questions, and the facts listed under \"Outside "
      "context\", each with its source."),
]
# Besides the player's credits (geo.player.CREDITS), the one source only the app can use.
ONLINE_GEOCODING = _("Online geocoding (opt-in): © OpenStreetMap contributors, through Nominatim or Photon; "
                     "results are cached and rate-limited to one request per second.")


def words(template: str, **values: str) -> str:
    """An interface sentence as HTML: its own text, and the story's values escaped into it."""
    return escape(template, quote=False).format(**{name: escape(value) for name, value in values.items()})


t = translator()
story, article = require_story()
source = story.source
marker = editor_marker(article, source.excerpt_marker)
# Every story string goes through escape() into html_block: story text is never read as Markdown.
st.title(t("About this story map"))
as_written_note(t)
html_block(f"<p><b>{escape(story.title)}</b></p>")

st.header(t("The source"))
not_given = t("not given")
facts = [words(t("Publisher: {publisher}"), publisher=source.publisher)]
if marker:
    facts.append(words(t("The text is an excerpt: it is marked “{marker}”, an editor's note, not article content."),
                       marker=marker))
facts.append(
    words(t("Headline: “{headline}” (source: {source})"), headline=source.headline,
          source=source.headline_source or not_given)
    if source.headline
    else words(t("Headline: not in the text, so none is shown. The article's opening sentence is not its headline."))
)
facts.append(
    words(t("Published: {date} (source: {source})"), date=source.published, source=source.published_source or not_given)
    if source.published
    else words(t("Published: the date is not in the text (see the outside context below for how “Sunday” is read)."))
)
if source.url:
    facts.append(words(t("Original: {url}"), url=source.url))
html_block("<ul>" + "".join(f"<li>{fact}</li>" for fact in facts) + "</ul>")

st.header(t("How this map is made"))
st.markdown("\n".join(f"- {t(point)}" for point in METHOD))
mentions = t("Mentions.")  # (t() inside an f-string is invisible to the extractor)
html_block(f"<p><b>{escape(mentions)}</b> {escape(t(MENTION_RULE))}</p>")
st.dataframe(
    pd.DataFrame({
        t("qualifier"): [q or t("(a bare figure)") for q in RULES],  # the article's own words: kept as written
        t("range"): [translate(rule_reading(q), t) for q in RULES],
    }),
    hide_index=True,
)

where, notes = positions(story)
for note in notes:
    st.info(note, icon=":material/satellite_alt:")
rows = [place_row(story, article, where, place.id) for place in story.places]
st.caption(t("Where each place's position comes from, and the words counted as naming it (dataframe cells are plain text)."))
st.dataframe(
    pd.DataFrame(
        [
            {
                t("place"): row["name"],
                t("kind"): t(KIND_NAMES.get(row["kind"], row["kind"])),
                t("named in (sentences)"): len(row["sentences"]),
                t("words counted"): ", ".join(row["mentions"]),
                t("position from"): row["source"],
                t("source of the position"): row["citation"],
            }
            for row in rows
        ]
    ),
    hide_index=True,
    width="stretch",
)

st.header(t("Outside context"))
st.caption(t("Facts the article itself does not state, each with its source."))
source_is = t("(Source: {source})")
html_block(
    "<ul>"
    + "".join(f"<li>{escape(fact.text)} <i>{words(source_is, source=fact.source)}</i></li>" for fact in story.context)
    + "</ul>"
)

st.header(t("Data and credits"))
# Any story can be saved from the New story page: its publisher is shown as written (plain()).
st.markdown("\n".join(f"- {t(line).format(publisher=plain(source.publisher))}" for line in [*CREDITS, ONLINE_GEOCODING]))

st.header(t("How to cite"))
st.code(citation(story, t), language=None, wrap_lines=True)  # wrapped: a phone reads it without scrolling

with st.expander(t("The article, verbatim")):
    body = set(body_sentences(article, marker))
    not_article = escape(t("editor's marker, not article text"), quote=False)
    paragraphs: dict[int, list[str]] = {}
    for start, end in sentence_spans(article):
        text = escape(article[start:end])
        shown = text if article[start:end] in body else f"<i>{text} — {not_article}</i>"
        paragraphs.setdefault(article.count("\n", 0, start), []).append(shown)
    html_block("".join(f"<p>{' '.join(parts)}</p>" for parts in paragraphs.values()))
