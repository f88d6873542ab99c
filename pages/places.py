"""The Places & distances page: pick two places on the map to measure them; where each place came from."""

import json
from itertools import combinations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.article import MENTION_RULE, sentence_of
from geo.distance import leg
from geo.i18n import _, translate
from geo.mapping import DISTANCE_COLOUR, escape, latlon, overview_map
from geo.measure import measure, nearest_place
from geo.tables import KIND_NAMES, distance_row, place_row, places_csv, places_geojson
from pages._common import html_block, plain, positions, quote_html, require_story
from pages._language import as_written_note, translator

MAP_KEY = "places-map"

t = translator()
story, article = require_story()
where, notes = positions(story)
for note in notes:
    st.info(plain(note), icon=":material/satellite_alt:")


def labels() -> dict[str, str]:
    """Place id -> a name that is unique on this page (two places may share a name)."""
    counts = pd.Series([p.name for p in story.places]).value_counts()
    return {p.id: p.name if counts[p.name] == 1 else f"{p.name} ({p.id})" for p in story.places}


NAMES = labels()
placed = [p.id for p in story.places if p.id in where]

st.title(t("Places & distances"))
st.caption(t("Positions come from the offline gazetteer unless you chose an online geocoder in the sidebar."))
as_written_note(t)

# --- measure: click two places on the map, or choose them below --------------------------------
st.header(t("Measure between two places"))
picked: list[str] = st.session_state.setdefault("measure", [])


def pick(place_id: str) -> None:
    """Add a place to the pair; a third pick starts a new pair."""
    pair = st.session_state["measure"]
    if len(pair) >= 2:
        pair.clear()
    if place_id not in pair:
        pair.append(place_id)


def choose() -> None:
    """The two select boxes set the pair (the keyboard's way to measure)."""
    chosen = [st.session_state.get("measure_a"), st.session_state.get("measure_b")]
    st.session_state["measure"] = [pid for pid in dict.fromkeys(chosen) if pid]


map_col, text_col = st.columns([3, 2], gap="medium")
with map_col:
    selection = folium.FeatureGroup(name="Measured")
    if len(picked) == 2:
        folium.PolyLine([latlon(where[pid]) for pid in picked], color=DISTANCE_COLOUR, weight=4).add_to(selection)
    for pid in picked:
        folium.CircleMarker(latlon(where[pid]), radius=12, color=DISTANCE_COLOUR, weight=3, fill=False,
                            tooltip=escape(NAMES[pid])).add_to(selection)
    clicked = st_folium(
        overview_map(story, where),
        key=MAP_KEY,
        feature_group_to_add=selection,
        returned_objects=["last_object_clicked"],
        height=480,
        use_container_width=True,
    )
    hit = (clicked or {}).get("last_object_clicked")
    if hit and st.session_state.get("measure_click") != hit:
        st.session_state["measure_click"] = hit
        place = nearest_place(where, hit["lat"], hit["lng"])
        if place is not None:
            pick(place)
            st.rerun()

with text_col:
    st.selectbox(t("First place"), placed, format_func=NAMES.get, key="measure_a", index=None, on_change=choose,
                 placeholder=t("Click a place on the map, or choose"))
    st.selectbox(t("Second place"), placed, format_func=NAMES.get, key="measure_b", index=None, on_change=choose,
                 placeholder=t("Click a second place, or choose"))
    if len(picked) == 2:
        result = measure(story, where, *picked)
        st.markdown(f"### {plain(NAMES[picked[0]])} – {plain(NAMES[picked[1]])}")
        st.metric(t("Straight line (geodesic)"), f"{result.km:,.0f} km")
        if result.claim:
            st.markdown(plain(translate(result.claim, t)))
            html_block(quote_html(sentence_of(article, result.quote), highlight=result.quote))
        else:
            st.caption(plain(t("The article gives no distance between these two places: this figure is computed "
                               "here from the map's points, outside the article.")))
    elif picked:
        st.info(plain(t("{place} chosen: click or choose a second place.").format(place=NAMES[picked[0]])))
    else:
        st.caption(t("Click a place on the map, then another: the straight line between them appears here, "
                     "beside the article's own figure when it gives one."))
    if picked and st.button(t("Clear the measurement")):
        st.session_state["measure"] = []
        st.rerun()

# --- where each place came from --------------------------------------------------------------------
st.header(t("Where each place came from"))


def _why(place_id: str) -> dict[str, str]:
    """What the geocoder chose and what it turned down, from its Location.raw."""
    raw = where[place_id].raw if place_id in where else {}
    alternatives = raw.get("alternatives", [])
    # The geocoder's own explanations: stored (and cached) in English with each position.
    return {
        "why this one": raw.get("reason", ""),
        "alternatives considered": "; ".join(f"{a.get('name')} ({a.get('country_code')}): {a.get('why')}" for a in alternatives),
    }


# The table's columns and their headers; the geocoder's explanations stay in English (see _why).
COLUMNS = {
    "name": _("name"),
    "kind": _("kind"),
    "named in": _("named in"),
    "words counted": _("words counted"),
    "lat": _("lat"),
    "lon": _("lon"),
    "source": _("source"),
    "matched": _("matched"),
    "why this one": _("why this one"),
    "alternatives considered": _("alternatives considered"),
    "citation": _("citation"),
}
rows = [
    {
        **row,
        "kind": t(KIND_NAMES.get(row["kind"], row["kind"])),
        "named in": len(row["sentences"]),
        "words counted": ", ".join(row["mentions"]),
        **_why(row["id"]),
        "name": NAMES[row["id"]],
    }
    for row in (place_row(story, article, where, p.id) for p in story.places)
]
st.dataframe(
    pd.DataFrame(rows)[list(COLUMNS)].rename(columns={column: t(header) for column, header in COLUMNS.items()}),
    hide_index=True,
    width="stretch",
)
st.caption(t("“{named_in}” counts sentences. {rule}").format(named_in=t(COLUMNS["named in"]).capitalize(), rule=t(MENTION_RULE)))

left, right = st.columns(2)
left.download_button(
    t("Places (CSV)"), places_csv(story, article, where), file_name="places.csv", mime="text/csv", width="stretch"
)
right.download_button(
    t("Places (GeoJSON)"),
    json.dumps(places_geojson(story, article, where), ensure_ascii=False, indent=1),
    file_name="places.geojson",
    mime="application/geo+json",
    width="stretch",
)

st.header(t("What the article says, beside the straight line"))
for step in story.steps:
    for distance in step.distances:
        row = distance_row(story, article, where, distance)
        if row is not None:
            with st.container(border=True):
                st.markdown(f"**{plain(row['start'])} → {plain(row['end'])}**")
                st.markdown(plain(translate(row["claim"] or row["label"], t)))
                if row["note"]:
                    st.caption(plain(row["note"]))

st.header(t("Straight-line distances (km)"))
st.caption(t("Geodesic distances computed here — outside the article, which gives only the figures above."))
labels_placed = [NAMES[pid] for pid in placed]
matrix = pd.DataFrame(0, index=labels_placed, columns=labels_placed)
for a, b in combinations(placed, 2):
    km = round(leg(latlon(where[a]), latlon(where[b])).km)
    matrix.loc[NAMES[a], NAMES[b]] = matrix.loc[NAMES[b], NAMES[a]] = km
# The place names as a first column, not the index: an index's header cell is empty, and a screen
# reader then announces a column with no name.
st.dataframe(matrix.rename_axis(t("Place")).reset_index(), hide_index=True, width="stretch")
