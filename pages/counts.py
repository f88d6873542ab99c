"""The Counts page: every number of people the article reports, with its qualifier and range."""

import altair as alt
import pandas as pd
import streamlit as st

from geo.tables import count_row
from pages._common import current, require_story

story, article = require_story()
order, _, _ = current(story)
st.title("People reported")
st.caption(
    "Each bar runs from the lowest to the highest number the article's words allow; the dot is the figure "
    "as written. Ranges for vague words (“dozens”, “several hundred”) are defined once, in geo/quantities.py."
)

rows = [
    {"step": f"{number}. {step.title}", **count_row(story, article, count)}
    for number, step in enumerate(story.ordered(order), start=1)
    for count in step.counts
]
if not rows:
    st.info("This story reports no numbers of people.")
    st.stop()

table = pd.DataFrame(rows)
table["label"] = table["step"] + " — " + table["reported"]
# A log scale: "dozens" and "almost 7,500" differ 300-fold, and on a linear axis the small
# counts vanish. The axis title says so.
people = alt.Scale(type="log", domain=[10, 10_000])
base = alt.Chart(table).encode(
    y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=420, labelFontSize=13)),
    tooltip=["step", "reported", "reading", "place", "sentence"],
)
chart = (
    base.mark_rule(strokeWidth=14, opacity=0.45, color="#e67e22").encode(
        x=alt.X("low:Q", title="people (log scale)", scale=people), x2="high:Q"
    )
    + base.mark_point(filled=True, size=120, color="#c0392b").encode(x=alt.X("value:Q", scale=people))
).properties(height=alt.Step(44))
st.altair_chart(chart, width="stretch")
# "reading" says when a range is open-ended and only capped for drawing ("500 or more; drawn up to 750").
# "place_note" says why the place's point stands for where the people were (e.g. the whole border).
st.dataframe(
    table[["step", "reported", "reading", "place", "place_note", "sentence"]], hide_index=True, width="stretch"
)
