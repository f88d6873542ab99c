"""The Places & distances page: where each place came from, every distance, the article's claims."""

import json
from itertools import combinations

import pandas as pd
import streamlit as st

from geo.distance import check_claim, leg
from geo.mapping import latlon
from geo.tables import places_csv, places_geojson
from pages._common import positions, require_story

story, article = require_story()
where, notes = positions(story)
for note in notes:
    st.info(note, icon=":material/satellite_alt:")

st.title("Places & distances")
st.caption("Positions come from the offline gazetteer unless you chose an online geocoder in the sidebar.")
rows = []
for place in story.places:
    location = where.get(place.id)
    raw = location.raw if location else {}
    rows.append(
        {
            "place": place.name,
            "kind": place.kind,
            "lat": round(location.latitude, 4) if location else None,
            "lon": round(location.longitude, 4) if location else None,
            "source": raw.get("source", "not found"),
            "matched": raw.get("matched"),
            "why this one": raw.get("reason"),
            "alternatives considered": "; ".join(
                f"{alt.get('name')} ({alt.get('country_code')}): {alt.get('why')}" for alt in raw.get("alternatives", [])
            ),
            "citation": raw.get("citation"),
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

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
        if distance.start in where and distance.end in where:
            km = leg(latlon(where[distance.start]), latlon(where[distance.end])).km
            claim = check_claim(distance, km)
            with st.container(border=True):
                st.markdown(f"**{story.place(distance.start).name} → {story.place(distance.end).name}**")
                st.markdown(claim.text)
                if distance.note:
                    st.caption(distance.note)

st.subheader("Straight-line distances (km)")
st.caption("Geodesic distances computed here — outside the article, which gives only the two figures above.")
placed = [p for p in story.places if p.id in where]
matrix = pd.DataFrame(0.0, index=[p.name for p in placed], columns=[p.name for p in placed])
for a, b in combinations(placed, 2):
    km = round(leg(latlon(where[a.id]), latlon(where[b.id])).km)
    matrix.loc[a.name, b.name] = matrix.loc[b.name, a.name] = km
st.dataframe(matrix.astype(int), width="stretch")
