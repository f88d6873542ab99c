"""The New story page: paste or upload an article, see the draft, confirm its places on a map, edit
its steps and counts, then validate and save it beside the other stories.

Every string from the article reaches the page escaped: plain() for Markdown-rendering elements,
quote_html for sentences, dataframes for tables. The draft lives in this session's state until saved.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.article import mentions
from geo.article_input import MAX_BYTES, ArticleInputError, from_paste, from_upload
from geo.confirm import (PIN_KM, Choice, Workbench, apply_counts, apply_distances, apply_steps, count_rows,
                         distance_rows, lookup, map_choice, nearest, place_labels, review_reason, step_rows)
from geo.draft import NO_PLACES, DraftError, ReviewItem, review_items
from geo.export import export_html
from geo.i18n import Message, _, translate
from geo.mapping import SINGLE_PLACE_ZOOM, View, choices_layer, latlon, outline_map, points_view, view_of
from geo.parse import Parser
from geo.stories import free_slug, save_story, slugify, stories_root
from geo.story import Problem
from geo.tables import KIND_NAMES
from pages._a11y import labelled_dropzones
from pages._common import REPO, html_block, plain, quote_html
from pages._language import as_written_note, translator

TEXT, UPLOAD = "new_text", "new_upload"  # the widgets of step 1
DRAFT, NOTES, PROBLEMS = "new_draft", "new_notes", "new_problems"  # this session's draft and messages
MAP_SIZE = (440, 440)  # the confirm map at its narrowest (a phone, or a laptop's column): views must fit it
KIND_WORDS = {"city": _("town or city"), "admin1": _("state or province"), "admin2": _("county or district"),
              "country": _("country"), "continent": _("continent"), "region": _("region"), "border": _("border"),
              "border crossing": _("border crossing"), "neighbourhood": _("neighbourhood")}
# A story file's field names as a problem's path shows them (the others as they are).
# when_from, chrono, mentions stay: the problems' own words name them so.
FIELD_WORDS = {"title": _("title"), "when": _("when"), "value": _("value"), "qualifier": _("qualifier"),
               "place": _("place"), "quote": _("quote"), "start": _("start"), "end": _("end"), "name": _("name"),
               "source": _("source"), "published": _("published"), "headline": _("headline")}

t = translator()


# The first draft opens the gazetteer under the page's own spinner ("Reading the article…").
@st.cache_resource(show_spinner=False)
def parser() -> Parser:
    """One parser per process: its lexicon is shared by every draft."""
    return Parser()


def note(level: str, text: str, where: str = "article") -> None:
    """Keep a message (a Message: it is shown in the reader's language) for the page to show in a section
    ("article" or "confirm"), as error, info or success."""
    st.session_state.setdefault(NOTES, []).append((where, level, text))


def show_notes(where: str) -> None:
    """The section's kept messages, in the reader's language, escaped, once."""
    kept = st.session_state.get(NOTES, [])
    for level, text in [(level, text) for at, level, text in kept if at == where]:
        getattr(st, level)(plain(translate(text, t)))
    st.session_state[NOTES] = [item for item in kept if item[0] != where]


# --- 1. the article ---------------------------------------------------------------------------------

def on_upload() -> None:
    """Put an uploaded file's text in the box, or say why it cannot be used (the box keeps its text)."""
    file = st.session_state.get(UPLOAD)
    if file is None:
        return
    try:
        article = from_upload(file.name, file.getvalue())
    except ArticleInputError as error:
        note("error", error.args[0])
        return
    st.session_state[TEXT] = article.text
    # The page's title is no part of the article's text: it is offered as the headline, with where it is from.
    st.session_state["new_title_hint"] = (article.text, article.title,
                                          Message("the title of the uploaded page “{name}”", name=file.name[:60]))
    for line in article.notes:
        note("info", line)
    note("info", Message("Its text is now in the box above: read it through, then draft the story."))


def draft_from_box() -> None:
    """Draft a story from the box's text, or say why not; the text stays in the box either way."""
    raw = st.session_state.get(TEXT) or ""
    try:
        article = from_paste(raw)
        uploaded, uploaded_title, uploaded_from = st.session_state.get("new_title_hint", (None, None, None))
        if article.title:
            hint, hint_from = article.title, Message("the title of the pasted page")
        else:
            hint, hint_from = (uploaded_title, uploaded_from) if uploaded == raw else (None, None)
        workbench = Workbench.start(article.text, parser(), date.today(), hint)
    except ArticleInputError as error:
        note("error", error.args[0])
        return
    except DraftError as error:
        reason = error.args[0]
        if reason == NO_PLACES:
            note("error", Message("No story can be drafted from this text: {reason}. The offline gazetteer knows "
                                  "countries, states and provinces, and towns of 500 people or more, named with capital "
                                  "letters: check that the text is an article in English that names a place.",
                                  reason=reason))
        else:
            note("error", Message("No story can be drafted from this text: {reason}.", reason=reason))
        return
    for line in article.notes:
        note("info", line)
    st.session_state[DRAFT] = workbench
    st.session_state["new_draft_title_from"] = hint_from if hint else None
    st.session_state["new_draft_raw"] = raw
    st.session_state["new_draft_n"] = st.session_state.get("new_draft_n", 0) + 1
    st.session_state.pop(PROBLEMS, None)
    where, _ = workbench.positions()
    st.session_state["new_draft_view"] = view_of(workbench.story.places, where, MAP_SIZE, specific=False)


st.title(t("New story"))
st.caption(t(
    "Paste a news article or upload one. Story Map drafts its places, steps, counts and distances, each tied to "
    "its sentence; you confirm what it is unsure of, then save it beside the other stories. Nothing leaves this "
    "computer."
))
as_written_note(t)
st.header(t("1. The article"))
st.file_uploader(t("Upload a .txt, .md or .html file"), type=["txt", "md", "markdown", "html", "htm"], key=UPLOAD,
                 on_change=on_upload, max_upload_size=1,
                 help=t("Up to {kb} kB of text. A web page keeps its main text; its scripts are removed, never run.")
                 .format(kb=MAX_BYTES // 1000))
labelled_dropzones()  # the drop area keeps its label for a screen reader (axe: presentation-role-conflict)
st.text_area(t("…or paste its text"), key=TEXT, height=240, persist_state="session",
             placeholder=t("Paste the article's paragraphs here: its words only, without the page around them."))
if st.button(t("Draft the story"), type="primary", icon=":material/auto_awesome:"):
    # In the script, not a callback: a long article takes seconds, and the spinner says so.
    with st.spinner(t("Reading the article, finding its places and drafting the steps…")):
        draft_from_box()
show_notes("article")

workbench: Workbench | None = st.session_state.get(DRAFT)
if workbench is None:
    st.stop()
n = st.session_state["new_draft_n"]  # names this draft's widgets: a new draft starts them afresh
article = workbench.article
if st.session_state.get("new_draft_raw") != st.session_state.get(TEXT):
    st.caption(t("The text in the box changed since this draft: press “{button}” again to use it.")
               .format(button=t("Draft the story")))


# --- 2. the draft: filled in at the end, so that it counts the edits made below --------------------

st.header(t("2. The draft"))
summary = st.container()


# --- 3. confirm the places on a map ----------------------------------------------------------------

def choice_text(choice: Choice) -> str:
    """A choice as the list shows it: where, what kind, how big, how sure."""
    parts = [translate(choice.label, t)]
    if choice.how != "map":
        parts.append(t(KIND_WORDS.get(choice.kind, choice.kind)))
    if choice.population:
        parts.append(t("{count} people").format(count=f"{choice.population:,}"))
    if choice.confidence is not None and choice.how == "reading":
        parts.append(t("{percent} likely").format(percent=f"{choice.confidence:.0%}"))
    if choice.note:
        parts.append(t("estimated point"))
    return " · ".join(parts)


def place_text(place_id: str) -> str:
    """A place in the picker: marked when it waits for review, ticked once confirmed."""
    place = workbench.story.place(place_id)
    mark = "⚠ " if place.review else ("✓ " if place_id in workbench.confirmed else "")
    return mark + NAMES[place_id]


def on_lookup(place_id: str) -> None:
    """Offer the readings of a typed name for the place, the best one selected."""
    typed = st.session_state.get(f"name-{n}-{place_id}", "")
    found = lookup(typed, parser())
    shown = typed.strip()[:40]
    if not found:
        note("error", Message("The offline gazetteer knows no place called “{name}”. Try another spelling, add its "
                              "state or country (“Paris, Texas”), or click the map where it is.", name=shown), "confirm")
        return
    st.session_state[f"choice-{n}-{place_id}"] = workbench.add_choices(place_id, found)
    note("info", Message("{count} reading(s) of “{name}” added to the list; the best is selected. Check it on the map.",
                         count=len(found), name=shown), "confirm")


def on_confirm(place_id: str) -> None:
    """Put the place where the selected choice says, clear its review, and move to the next uncertain place."""
    index = st.session_state.get(f"choice-{n}-{place_id}", 0)
    choice = workbench.confirm(place_id, index, date.today())
    note("success", Message("{place} confirmed: {choice}.", place=NAMES[place_id], choice=choice.label), "confirm")
    waiting = [p.id for p in workbench.story.places if p.review]
    if waiting:
        st.session_state[f"place-{n}"] = waiting[0]


def on_rename(place_id: str) -> None:
    """Label the place on the map as typed (validation names a blank or repeated name)."""
    workbench.rename(place_id, st.session_state.get(f"label-{n}-{place_id}", ""))


def map_clicks(out: dict | None, place_id: str, radio: str) -> bool:
    """Act on a new click on the confirm map: a numbered marker selects its choice, anywhere else adds
    that point as a choice. Whether anything changed (the page then reruns to draw it)."""
    seen = st.session_state.setdefault(f"pick-seen-{n}", {"tip": None, "click": None})
    tip, click = (out or {}).get("last_object_clicked_tooltip"), (out or {}).get("last_clicked")
    if tip and tip != seen["tip"]:
        seen["tip"] = tip
        number = re.match(r"\s*(\d+)\.", tip)
        if number and 1 <= int(number.group(1)) <= len(workbench.choices.get(place_id, [])):
            seen["click"] = click  # the same click also reached the map: it is no new point
            st.session_state[radio] = int(number.group(1)) - 1
            return True
    if click and click != seen["click"]:
        seen["click"] = click
        picked = map_choice(click["lat"], click["lng"], parser().gazetteer)
        st.session_state[radio] = workbench.add_choices(place_id, [picked])
        return True
    return False


NAMES = place_labels(workbench.story)
where, geocoding_notes = workbench.positions()
st.header(t("3. Confirm the places"))
st.caption(t(
    "For each place, choose where it is: a reading of the article's name, another name you look up, or a point "
    "you click on the map. ⚠ marks what the draft is unsure of; confirming clears it."
))
ordered = sorted(workbench.story.places, key=lambda p: not p.review)  # uncertain first, else article order
place_id = st.selectbox(t("Place"), [p.id for p in ordered], format_func=place_text, key=f"place-{n}",
                        persist_state="session")
place = workbench.story.place(place_id)
choices = workbench.choices.setdefault(place_id, [])
radio = f"choice-{n}-{place_id}"
if radio not in st.session_state or st.session_state[radio] >= len(choices):
    now = nearest(choices, *latlon(where[place_id]), PIN_KM) if place_id in where else None
    st.session_state[radio] = now or 0
text_col, map_col = st.columns([2, 3], gap="medium")
with map_col:
    # The base map never changes during a draft (no remount); the place's choices are a layer on it.
    base: View = st.session_state["new_draft_view"]
    framed = [(c.lat, c.lon) for c in choices if c.how != "map"] + ([latlon(where[place_id])] if place_id in where else [])
    focus = points_view(framed, SINGLE_PLACE_ZOOM.get(place.kind, 8), MAP_SIZE)
    out = st_folium(
        outline_map(base), key=f"pick-{n}",
        feature_group_to_add=choices_layer(workbench.story, where, place_id, choices,
                                           st.session_state[radio] if choices else None, t),
        center=focus.center, zoom=focus.zoom, returned_objects=["last_clicked", "last_object_clicked_tooltip"],
        height=MAP_SIZE[1], use_container_width=True,
    )
    st.caption(t("The ring is where the story puts the place now; red is the choice selected in the list, blue the "
                 "other readings, green the points you picked, grey the story's other places. Click a numbered point "
                 "to select it, or anywhere else on the map to pick that point."))
    if map_clicks(out, place_id, radio):
        st.rerun()
with text_col:
    if place.review and place.review_reason:
        st.warning(plain(t("Why to check: {reason}").format(reason=translate(review_reason(place.review_reason), t))),
                   icon=":material/help:")
    st.text_input(t("Name on the map"), value=place.name, key=f"label-{n}-{place_id}", on_change=on_rename,
                  args=(place_id,), persist_state="session",
                  help=t("The label the map shows; the article's own words for the place stay as they are."))
    named = mentions(workbench.story, article, place_id)
    if named:
        st.caption(t("The article names it in {count} sentence(s); the first:").format(count=len(named)))
        html_block(quote_html(named[0], highlight=place.mentions[0]))
    if choices:
        st.radio(t("Where is it?"), list(range(len(choices))), key=radio,
                 format_func=lambda i: plain(choice_text(choices[i])), persist_state="session")
    else:
        st.info(t("The gazetteer has no reading of this name: look up another name, or click the map."))
    st.text_input(t("Another name for it"), key=f"name-{n}-{place_id}", placeholder=t("e.g. Springfield, Illinois"),
                  persist_state="session")
    with st.container(horizontal=True):
        st.button(t("Look it up"), key=f"lookup-{n}-{place_id}", on_click=on_lookup, args=(place_id,),
                  icon=":material/search:")
        st.button(t("Confirm this place"), type="primary", key=f"confirm-{n}-{place_id}", on_click=on_confirm,
                  args=(place_id,), disabled=not choices, icon=":material/check:")
    show_notes("confirm")


# --- 4. steps, counts and distances ----------------------------------------------------------------

st.header(t("4. Steps, counts and distances"))
st.caption(t(
    "Edit a step's title, its time words (they must be the article's own words) or its place in time "
    "(1 = earliest); a count's words, figure or place; a distance's two places. Untick “{review}” once an item "
    "is right."
).format(review=t("review")))
labels = list(NAMES.values())
text = st.column_config.TextColumn
# Columns every table shares: the review box, why the draft asked, and the article's sentence. Each column is
# named by its label (in the reader's language); the data keeps its keys, which the edits and apply_* read.
REVIEW = {"review": st.column_config.CheckboxColumn(t("review")), "why": text(t("why review")),
          "sentence": text(t("sentence"), width="large"),
          "step": st.column_config.NumberColumn(t("step"), width="small"),
          "reported": text(t("reported")), "what": text(t("what")), "qualifier": text(t("qualifier"))}


def editor(rows: list[dict], name: str, heading: str | None, *, disabled: list[str], config: dict) -> pd.DataFrame:
    """One editable table (rows fixed), its heading above; the table as edited."""
    if heading:
        st.markdown(f"**{heading}**")
    # Why the draft asked, in the reader's language (apply_* read the review box, never this column).
    shown = [{**row, "why": translate(review_reason(row["why"]), t)} for row in rows]
    return st.data_editor(pd.DataFrame(shown), key=f"{name}-{n}", hide_index=True, num_rows="fixed",
                          column_order=list(rows[0]), disabled=["step", "why", *disabled],
                          column_config={**REVIEW, **config})


place_column = st.column_config.SelectboxColumn
steps_table = editor(step_rows(workbench.story), "steps", None, disabled=["places", "sentences"], config={
    "step": st.column_config.NumberColumn("#", width="small"), "title": text(t("title"), width="medium"),
    "when": text(t("when"), help=t("The article's own time words")),
    "chrono": st.column_config.NumberColumn(t("in time"), min_value=1, step=1, help=t("1 = earliest")),
    "places": text(t("places")), "sentences": text(t("sentences"), width="large")})
counts = count_rows(workbench.story, article)
counts_table = editor(counts, "counts", t("People reported"), disabled=["reported", "sentence"], config={
    "value": st.column_config.NumberColumn(t("figure"), step=1, help=t("Empty for vague words")),
    "place": place_column(t("place"), options=labels, required=True)}) if counts else pd.DataFrame()
distances = distance_rows(workbench.story, article)
distances_table = editor(distances, "distances", t("Distances the article gives"),
                         disabled=["reported", "km", "sentence"],
                         config={"from": place_column(t("from"), options=labels, required=True),
                                 "to": place_column(t("to"), options=labels, required=True)}) if distances else pd.DataFrame()


# --- 5. about the article, check and save ---------------------------------------------------------

st.header(t("5. Save"))
drafted = workbench.story
st.caption(t("What the article's text does not carry (its headline, its date) comes with where it is from."))
title_col, publisher_col = st.columns(2)
title = title_col.text_input(t("Title"), value=workbench.title_hint or drafted.title, key=f"title-{n}",
                             persist_state="session")
publisher = publisher_col.text_input(t("Publisher"), value="", key=f"publisher-{n}", persist_state="session",
                                     placeholder=t("e.g. BBC News"))
headline_col, headline_from_col = st.columns(2)
headline = headline_col.text_input(t("Headline (optional)"), value=workbench.title_hint or "", key=f"headline-{n}",
                                   persist_state="session")
# Where the headline is from is the person's own words, saved as typed: offered in their language.
headline_from = headline_from_col.text_input(
    t("Where the headline is from"), value=translate(st.session_state.get("new_draft_title_from") or "", t),
    key=f"headline-from-{n}", persist_state="session", placeholder=t("e.g. the publisher's page"))
date_col, date_from_col = st.columns(2)
published = date_col.text_input(t("Published (YYYY-MM-DD, optional)"), key=f"published-{n}", persist_state="session")
published_from = date_from_col.text_input(t("Where the date is from"), key=f"published-from-{n}",
                                          persist_state="session", placeholder=t("e.g. the publisher's page"))
url = st.text_input(t("Address of the original (optional)"), key=f"url-{n}", persist_state="session")

story = apply_distances(apply_counts(apply_steps(drafted, steps_table.to_dict("records"), article),
                                     counts_table.to_dict("records")), distances_table.to_dict("records"))
source = drafted.source.model_copy(update={
    "publisher": publisher.strip() or "(not given)", "headline": headline.strip() or None,
    "headline_source": headline_from.strip() or None, "url": url.strip() or None,
    "published": published.strip() or None, "published_source": published_from.strip() or None})
story = story.model_copy(update={"title": title.strip(), "source": source})
waiting = review_items(story)
if waiting:
    st.info(plain(t("{count} item(s) are still marked for review; they are saved marked, and you can confirm them "
                    "later.").format(count=len(waiting))))
saved = st.session_state.get("new_saved_slug") if st.session_state.get("new_saved_n") == n else None
if st.button(t("Check and save the story") if not saved else t("Save the changes"), type="primary", key=f"save-{n}",
             icon=":material/save:"):
    slug = saved or free_slug(slugify(title))
    path, problems = save_story(story, article, workbench.pins.values(), slug, replace_existing=bool(saved))
    st.session_state[PROBLEMS] = problems
    if path is not None:
        st.session_state["new_saved_slug"], st.session_state["new_saved_n"] = path.parent.name, n
        st.rerun()  # the sidebar's story picker lists the new story


ITEM_WORDS = {"steps": _("step {number}"), "counts": _("count {number}"), "distances": _("distance {number}")}


def field_name(path: str) -> str:
    """A problem's field path in words: "steps[3].counts[0].value" → "step 4 › count 1 › value"."""
    path = re.sub(r"places\[(\d+)\]", lambda m: t("place “{name}”").format(name=drafted.places[int(m.group(1))].name)
                  if int(m.group(1)) < len(drafted.places) else m.group(0), path)
    for name, words in ITEM_WORDS.items():
        path = re.sub(rf"{name}\[(\d+)\]", lambda m, w=words: t(w).format(number=int(m.group(1)) + 1), path)
    parts = [t(FIELD_WORDS[part]) if part in FIELD_WORDS else part for part in path.split(".")] if path else []
    return " › ".join(parts) or t("the whole file")


problems: list[Problem] = st.session_state.get(PROBLEMS) or []
if problems:
    # The problems' own words are in the reader's language; pydantic's, inside some, stay English.
    lines = [f"- **{plain(field_name(p.path))}**: {plain(translate(p.message, t))}"
             + (" " + plain(t("({file}, line {line})").format(file=p.file, line=p.line)) if p.line else "")
             for p in problems]
    st.error(t("{count} problem(s): nothing was saved. Fix them above, then save again.").format(count=len(problems))
             + "\n\n" + "\n".join(lines))
elif saved:
    path = stories_root() / saved / "story.yaml"
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    st.success(plain(t("Saved: {path}, with the article beside it.").format(path=shown)), icon=":material/task_alt:")
    story_col, present_col, export_col = st.columns(3)
    story_col.page_link("pages/story.py", label=t("Open it in the Story page"), icon=":material/map:",
                        query_params={"story": saved})
    present_col.page_link("pages/present.py", label=t("Present it"), icon=":material/co_present:",
                          query_params={"story": saved})
    export_col.download_button(t("Download it as one HTML file"), lambda: export_html(story, article, where),
                               file_name=f"{saved}.html", mime="text/html", icon=":material/download:",
                               on_click="ignore")


# --- the summary, now that the edits are known ------------------------------------------------------

def item_name(item: ReviewItem) -> str:
    """Where a review item is, in words."""
    words = field_name(item.where)
    return words[:1].upper() + words[1:]


with summary:
    counted = sum(len(s.counts) for s in story.steps)
    measured = sum(len(s.distances) for s in story.steps)
    # A row that wraps: on a phone five columns would stack into a screenful of numbers.
    with st.container(horizontal=True, gap="medium"):
        for label, value in ((_("Places"), len(story.places)), (_("Steps"), len(story.steps)), (_("Counts"), counted),
                             (_("Distances"), measured), (_("To review"), len(waiting))):
            st.metric(t(label), value, width="content")
    for geocoding_note in geocoding_notes:
        st.info(plain(translate(geocoding_note, t)))
    if waiting:
        st.warning(t("**Marked for review** — the draft is unsure of these:") + "\n\n"
                   + "\n".join(f"- **{plain(item_name(i))}**" + ("" if i.what in item_name(i) else f" (“{plain(i.what)}”)")
                               + f": {plain(translate(review_reason(i.reason), t))}" for i in waiting),
                   icon=":material/flag:")
    rows = []
    for p in story.places:
        location, offered = where.get(p.id), workbench.choices.get(p.id, [])
        # The choice the place stands at now names it best (a pin's own address is just the name).
        at = nearest(offered, *latlon(location), PIN_KM) if location else None
        current = offered[at] if at is not None else None
        rows.append({"": "⚠" if p.review else ("✓" if p.id in workbench.confirmed else ""), "place": NAMES[p.id],
                     "kind": t(KIND_NAMES.get(p.kind, p.kind)),
                     "where": translate(current.label, t) if current else (location.address if location else t("not found")),
                     "readings": sum(1 for c in offered if c.how == "reading"),
                     "sure": current.confidence if current else None,
                     "sentence": workbench.sentences.get(p.id, ""),
                     "why review": translate(review_reason(p.review_reason), t) or ""})
    table = pd.DataFrame(rows)
    highlight = table.style.apply(
        lambda row: ["background-color: #fff3cd" if row[""] == "⚠" else ""] * len(row), axis=1)
    # Columns named by their labels, in the reader's language (the data keeps its keys).
    st.dataframe(highlight, hide_index=True, width="stretch", column_config={
        "place": text(t("place")), "kind": text(t("kind")), "where": text(t("where")),
        "readings": st.column_config.NumberColumn(t("readings")),
        "sure": st.column_config.ProgressColumn(t("sure"), min_value=0, max_value=1, format="percent"),
        "sentence": text(t("sentence"), width="large"), "why review": text(t("why review"))})
