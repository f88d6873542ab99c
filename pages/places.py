"""The Places & distances page: where each place came from, every distance, the article's claims."""

import json
from itertools import combinations

import pandas as pd
import streamlit as st

from geo.article import MENTION_RULE
from geo.distance import leg
from geo.mapping import latlon
from geo.tables import distance_row, place_row, places_csv, places_geojson
from pages._common import positions, require_story

story, article = require_story()
where, notes = positions(story)
for note in notes:
    st.info(note, icon=":material/satellite_alt:")

st.title("Places & distances")
st.caption("Positions come from the offline gazetteer unless you chose an online geocoder in the sidebar.")

def _why(place_id: str) -> dict[str, str]:
    """What the geocoder chose and what it turned down, from its Location.raw."""
    raw = where[place_id].raw if place_id in where else {}
    alternatives = raw.get("alternatives", [])
    return {
        "why this one": raw.get("reason", ""),
        "alternatives considered": "; ".join(f"{a.get('name')} ({a.get('country_code')}): {a.get('why')}" for a in alternatives),
    }


columns = ["name", "kind", "named in", "words counted", "lat", "lon", "source", "matched", "why this one",
           "alternatives considered", "citation"]
rows = [
    {**row, "named in": len(row["sentences"]), "words counted": ", ".join(row["mentions"]), **_why(row["id"])}
    for row in (place_row(story, article, where, p.id) for p in story.places)
]
st.dataframe(pd.DataFrame(rows)[columns], hide_index=True, width="stretch")
st.caption(f"“Named in” counts sentences. {MENTION_RULE}")

left, right = st.columns(2)
left.download_button(
    "Places (CSV)", places_csv(story, article, where), file_name="places.csv", mime="text/csv", width="stretch"
)
right.download_button(
    "Places (GeoJSON)",
    json.dumps(places_geojson(story, article, where), ensure_ascii=False, indent=1),
    file_name="places.geojson",
    mime="application/geo+json",
    width="stretch",
)

st.subheader("What the article says, beside the straight line")
for step in story.steps:
    for distance in step.distances:
        row = distance_row(story, article, where, distance)
        if row is not None:
            with st.container(border=True):
                st.markdown(f"**{row['start']} → {row['end']}**")
                st.markdown(row["claim"] or row["label"])
                if row["note"]:
                    st.caption(row["note"])

st.subheader("Straight-line distances (km)")
st.caption("Geodesic distances computed here — outside the article, which gives only the two figures above.")
placed = [p for p in story.places if p.id in where]
matrix = pd.DataFrame(0.0, index=[p.name for p in placed], columns=[p.name for p in placed])
for a, b in combinations(placed, 2):
    km = round(leg(latlon(where[a.id]), latlon(where[b.id])).km)
    matrix.loc[a.name, b.name] = matrix.loc[b.name, a.name] = km
st.dataframe(matrix.astype(int), width="stretch")
