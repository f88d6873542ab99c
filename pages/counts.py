"""The Counts page: every number of people the article reports, with its qualifier and range."""

import math

import altair as alt
import pandas as pd
import streamlit as st

from geo.i18n import _, translate
from geo.tables import count_row
from pages._common import current, require_story
from pages._language import as_written_note, translator

# The table's columns and their headers (the rows' keys stay English: they are geo.tables' fields).
COLUMNS = {
    "step": _("step"),
    "reported": _("reported"),
    "reading": _("reading"),
    "place": _("place"),
    "place_note": _("why this place"),
    "sentence": _("sentence"),
}
LABEL_PX = 13  # the bars' labels: the step number and the count's words, above each bar
BAR, FIGURE, ARROW, INK = "#dc7633", "#7b241c", "#a04000", "#31333f"


def axis_domain(rows: list[dict]) -> tuple[float, float]:
    """Whole powers of ten around every figure, with room above the highest for open-ended arrows."""
    lows = [row["low"] for row in rows if row["low"]]
    highs = [row["high"] or row["low"] * 2 for row in rows]  # an open end still points past its figure
    if not lows:
        return 1, 10
    low, high = 10 ** math.floor(math.log10(min(lows))), 10 ** math.ceil(math.log10(max(highs) * 1.2))
    return low, max(high, low * 10)


def chart(table: pd.DataFrame, domain: tuple[float, float], t) -> alt.LayerChart:
    """Bars from the lowest to the highest number, the figure as a dot, labels above the bars.

    The labels sit above the bars, not on an axis beside them, so the bars keep the chart's whole
    width on a phone; an open-ended count ("at least 500") runs to the axis's edge, with an arrow.
    """
    people = alt.Scale(type="log", domain=list(domain))
    ticks = [10 ** power for power in range(round(math.log10(domain[0])), round(math.log10(domain[1])) + 1)]
    base = alt.Chart(table).encode(
        y=alt.Y("label:N", sort=None, axis=None),
        tooltip=[alt.Tooltip(f"{column}:N", title=t(COLUMNS[column])) for column in ("step", "reported", "reading", "place", "sentence")],
    )
    # Colours hold 3:1 against white (bars, arrows) and against the bar (the dot, with a white ring).
    bars = base.mark_rule(strokeWidth=12, color=BAR).encode(
        x=alt.X("low:Q", title=t("people (log scale)"), scale=people,
                axis=alt.Axis(values=ticks, format=",d", labelFontSize=12, titleFontSize=12, labelColor=INK,
                              titleColor=INK)),
        x2="end:Q",
    )
    figures = base.mark_point(filled=True, size=120, color=FIGURE, stroke="white", strokeWidth=2, opacity=1).encode(
        x=alt.X("value:Q", scale=people))
    arrows = base.transform_filter(alt.datum.open).mark_point(
        shape="triangle-right", filled=True, size=180, color=ARROW, opacity=1
    ).encode(x=alt.X("end:Q", scale=people))
    more = base.transform_filter(alt.datum.open).mark_text(
        align="right", baseline="bottom", dx=-8, dy=-9, fontSize=LABEL_PX - 1, fontStyle="italic", color=ARROW
    ).encode(x=alt.X("end:Q", scale=people), text="more:N")
    labels = base.mark_text(align="left", baseline="bottom", dy=-9, fontSize=LABEL_PX, color=INK).encode(
        x=alt.X(datum=domain[0], scale=people), text="label:N"
    )
    # Width "container": the chart takes the column's width, whatever it is (never a fixed 420 px
    # of labels that leave a phone's bars no room).
    # (fit-x only: the height follows the rows, one 52 px step each.)
    return alt.layer(bars, arrows, figures, more, labels).properties(
        width="container", height=alt.Step(52), autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )


t = translator()
story, article = require_story()
order = current(story)[0]
st.title(t("People reported"))
st.caption(
    t("Each bar runs from the lowest to the highest number the article's words allow; the dot is the figure as "
      "written, and an arrow means the article sets no upper end. Ranges for vague words (“dozens”, “several "
      "hundred”) are defined once, in geo/quantities.py.")
)
as_written_note(t)

rows = [
    {"step": f"{number}. {step.title}", "label": f"{number}. {row['words']}", **row}
    for number, step in enumerate(story.ordered(order), start=1)
    for row in (count_row(story, article, count) for count in step.counts)
]
if not rows:
    st.info(t("This story reports no numbers of people."))
    st.stop()

domain = axis_domain(rows)
# "at least 500" has no upper end: its bar runs to the axis's edge, where an arrow says "or more".
# (Done on the rows: a DataFrame would turn None into NaN and a geo.i18n.Message into a plain str.)
table = pd.DataFrame([
    {**row, "reading": translate(row["reading"], t), "end": domain[1] if row["high"] is None else row["high"],
     "more": t("or more")}
    for row in rows
])
CHART_FIELDS = ["label", "low", "end", "value", "open", "more", "step", "reported", "reading", "place", "sentence"]
st.altair_chart(chart(table[CHART_FIELDS], domain, t), width="stretch")
# "reading" says when a range is open-ended ("500 or more").
# "place_note" says why the place's point stands for where the people were (e.g. the whole border).
st.dataframe(
    table[list(COLUMNS)].rename(columns={column: t(header) for column, header in COLUMNS.items()}),
    hide_index=True,
    width="stretch",
)
