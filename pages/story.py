"""The Story page: step through the article on the map, with its sentences, counts and distances."""

from html import escape

import streamlit as st
from streamlit_folium import st_folium

from geo.mapping import Positions, base_map, step_layer, step_view
from geo.model import Order, Step
from geo.quantities import describe
from geo.tables import distance_row
from geo.article import mentions, sentence_of, sentences
from pages._common import current, go, go_to_step, html_block, positions, quote_html, require_story

MAP_KEY = "story-map"

story, article = require_story()
CLICK_RADIUS_DEG = 0.05  # a click this close to a place (about 5 km) is a click on it


def provenance(clicked: dict | None, steps: list[Step], step: Step, order: Order, where: Positions) -> None:
    """After a click on a place: every sentence naming it, and a jump to the first step that does."""
    hit = (clicked or {}).get("last_object_clicked")
    if not hit:
        return
    # st_folium keeps returning the last click; show it only on the step where it was made.
    click = (hit["lat"], hit["lng"])
    if st.session_state.get("click") != click:
        st.session_state["click"], st.session_state["click_step"] = click, step.id
    if st.session_state.get("click_step") != step.id:
        return
    nearest = min(where, key=lambda pid: (where[pid].latitude - click[0]) ** 2 + (where[pid].longitude - click[1]) ** 2)
    if abs(where[nearest].latitude - click[0]) + abs(where[nearest].longitude - click[1]) > CLICK_RADIUS_DEG:
        return  # a line or a label, not a place
    place = story.place(nearest)
    named = mentions(story, article, nearest)
    with st.container(border=True):
        st.markdown(f"**{escape(place.name)}** is named in {len(named)} sentence(s):")
        html_block("".join(quote_html(s) for s in named))
        first = next((s for s in steps if any(sentence_of(article, q) in named for q in s.quotes)), None)
        if first is not None and first.id != step.id:
            st.button(f"Go to step {steps.index(first) + 1}: {first.title}", on_click=go_to_step, args=(story, order, first))


# Only this part reruns when the reader steps: the sidebar and the page around it stay put, and
# the map keeps its key, so streamlit-folium moves the mounted map instead of rebuilding it.
@st.fragment
def stepper() -> None:
    """Navigation, the map and the text panel for the step the URL names."""
    order, index, notes = current(story)
    for note in notes:
        st.warning(note, icon=":material/link:")
    steps = story.ordered(order)
    step = steps[index]
    go(order, index)  # write back a corrected URL, so the address bar always names this step
    where, fallbacks = positions(story)
    for fallback in fallbacks:
        st.info(fallback, icon=":material/satellite_alt:")

    # --- navigation -------------------------------------------------------------------------------
    prev_col, count_col, next_col, pick_col = st.columns([1.5, 0.9, 1.3, 4.3], vertical_alignment="center")
    prev_col.button(
        "← Previous", shortcut="Left", disabled=index == 0, on_click=go, args=(order, index - 1), width="stretch"
    )
    count_col.markdown(f"<div style='text-align:center;font-size:1.2em'><b>{index + 1} / {len(steps)}</b></div>", unsafe_allow_html=True)
    next_col.button(
        "Next →",
        shortcut="Right",
        disabled=index == len(steps) - 1,
        on_click=go,
        args=(order, index + 1),
        width="stretch",
        type="primary",
    )


    def _on_slide() -> None:
        """Follow the slider to its step."""
        go(order, st.session_state["step_slider"] - 1)


    st.session_state["step_slider"] = index + 1
    pick_col.select_slider(
        "Step",
        options=list(range(1, len(steps) + 1)),
        format_func=lambda n: f"{n}. {steps[n - 1].title}",
        key="step_slider",
        on_change=_on_slide,
        label_visibility="collapsed",
    )

    # --- map and text -----------------------------------------------------------------------------
    map_col, text_col = st.columns([5, 3], gap="medium")
    with map_col:
        view = step_view(story, step, where)
        fmap = base_map(story, article, where, tiles=st.session_state.get("tiles", False))
        clicked = st_folium(
            fmap,
            key=MAP_KEY,
            center=view.center,
            zoom=view.zoom,
            feature_group_to_add=step_layer(story, step, article, where),
            returned_objects=["last_object_clicked"],
            height=560,
            use_container_width=True,
            # st_folium renders the map itself anyway; skipping its extra whole-page render gives
            # the same arguments, ~6 ms sooner on every step.
            render=False,
        )

    with text_col:
        provenance(clicked, steps, step, order, where)
        st.markdown(f"### {escape(step.title)}")
        st.caption(f"When: “{step.when}”  ·  step {index + 1} of {len(steps)} in {order} order")
        html_block("".join(quote_html(q) for q in step.quotes))
        if step.counts:
            st.markdown("**People reported**")
            for count in step.counts:
                st.markdown(f"- {escape(describe(count))}")
        for distance in step.distances:
            row = distance_row(story, article, where, distance)
            if row is None:
                continue  # an end the geocoder could not place; the page already said which
            st.markdown(f"**{escape(row['start'])} – {escape(row['end'])}**")
            st.markdown(escape(row["claim"] or row["label"]))
            if row["note"]:
                st.caption(escape(row["note"]))
        if st.toggle("Show the whole article", key="whole_article"):
            marked = set(step.quotes)
            html_block(
                "".join(
                    f"<p style='margin:.3em 0'>{'<mark>' + escape(s) + '</mark>' if s in marked else escape(s)}</p>"
                    for s in sentences(article)
                )
            )

    # --- every step, clickable --------------------------------------------------------------------
    with st.expander("All steps", expanded=False):
        for n, item in enumerate(steps):
            st.button(
                f"{n + 1}. {item.title} — “{item.when}”",
                key=f"jump-{item.id}",
                on_click=go,
                args=(order, n),
                type="primary" if n == index else "secondary",
            )


stepper()
