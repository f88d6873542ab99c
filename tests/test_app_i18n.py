"""The app in Spanish through AppTest: every page's interface in Spanish with no English left, the
sidebar's language switch and the player's kept in step through the address, and the Counts chart
(open-ended counts, phone widths)."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from app_helpers import REPO, map_click, player, player_data, query, report, run
from geo import i18n
from geo.story import load_story

STORY = load_story(REPO / "data" / "story.yaml")
SPANISH = i18n.gettext_for("es")
PAGES = ["pages/story.py", "pages/places.py", "pages/counts.py", "pages/present.py", "pages/about.py",
         "pages/new_story.py"]
PLACEHOLDER = re.compile(r"\{\w+\}")
# Every marked message whose Spanish differs from its English (not "{km} km" and the like).
ENGLISH = [m for m in i18n.extract(i18n.source_files()) if SPANISH(m) != m]
CHUNK = 20  # a literal run of a message this long is looked for inside longer texts (shorter ones occur in data)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test gets its own geocoder cache and the seed story."""
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORY_MAP_STORY", raising=False)


def _strings(value, into: list[str]) -> None:
    """Every str inside a proto's dict form."""
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)


def shown(at: AppTest) -> list[str]:
    """Every text the last run put on the page, the sidebar and the navigation, one string each.

    Labels, options, placeholders, help, bodies, chart titles and tooltips, table headers and cells,
    and the navigation's titles when spanish_page() kept them.
    The player's component is left out: it carries both catalogues and the story for the browser
    (its own catalogue is checked in test_i18n.py); so are the folium map's script and style blocks.
    """
    texts: list[str] = list(getattr(at, "navigation", []))

    def walk(node) -> None:
        for child in node.children.values():
            kind = getattr(child, "type", None)
            if kind in ("bidi_component", "component_instance", "html"):
                continue
            if kind == "vega_lite_chart":
                _titles(json.loads(child.proto.spec), texts)  # axis and tooltip titles (not field names)
                frame = chart_frame(child)
                texts.extend(str(v) for v in frame.select_dtypes(exclude="number").to_numpy().ravel())
            elif isinstance(getattr(child, "value", None), pd.DataFrame):
                frame = child.value
                texts.extend(_headers(child, frame))
                texts.extend(str(v) for v in frame.select_dtypes(exclude="number").to_numpy().ravel())
            elif getattr(child, "proto", None) is not None and hasattr(child.proto, "DESCRIPTOR"):
                found = MessageToDict(child.proto)
                found.pop("id", None)
                if kind == "page_link":
                    found.pop("page", None)  # the page's address ("places"), not words on the page
                _strings(found, texts)
            if hasattr(child, "children"):  # a block: its elements are read too
                walk(child)

    for root in at._tree.children.values():
        walk(root)
    return [text.replace("\\", "") for text in texts]  # as read: Markdown's escapes (plain()) left out


def _headers(element, frame: pd.DataFrame) -> list[str]:
    """A table's column headers as the reader sees them (a column config's label, else the column's
    name) and the columns' help texts."""
    config = json.loads(getattr(element.proto, "columns", "") or "{}")
    headers = [config.get(str(c), {}).get("label") or str(c) for c in frame.columns]
    return headers + [column["help"] for column in config.values() if column.get("help")]


def _titles(spec, into: list[str]) -> None:
    """Every title in a Vega-Lite spec."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                into.append(value)
            else:
                _titles(value, into)
    elif isinstance(spec, list):
        for item in spec:
            _titles(item, into)


def english_left(texts: list[str]) -> list[str]:
    """The marked messages still shown in English: whole, or a long literal run of one inside a text."""
    whole = set(texts)
    left = []
    for message in ENGLISH:
        chunks = [part.strip() for part in PLACEHOLDER.split(message) if len(part.strip()) >= CHUNK]
        if message in whole or any(chunk in text for chunk in chunks for text in texts):
            left.append(message)
    return left


def chart_frame(element) -> pd.DataFrame:
    """The rows a Vega-Lite chart element draws (Streamlit sends them as Arrow IPC)."""
    return pa.ipc.open_stream(io.BytesIO(element.proto.datasets[0].data.data)).read_pandas()


def es(message: str) -> str:
    """The Spanish of a message, checked to be Spanish (not the English left in place)."""
    spanish = SPANISH(message)
    assert spanish != message, message
    return spanish


def spanish_page(page: str, **query_params: str) -> AppTest:
    """A page, run with lang=es."""
    at = run(lang="es", **query_params)
    # The navigation and the sidebar, as app.py drew them: after switch_page AppTest keeps neither
    # (it lists the pages/ folder's files and an empty sidebar; a browser shows app.py's).
    at.navigation = [info["page_name"] for info in at._registered_pages.values()]
    at.frame = shown(at)
    at.document_language = player_data(at, "document-language")
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, page
    return at


# What each page must show in Spanish, beyond the sidebar and the navigation every page has.
EXPECTED = {
    "pages/story.py": [],
    "pages/places.py": ["Places & distances", "Measure between two places", "First place", "Places (CSV)",
                        "Places (GeoJSON)", "Where each place came from", "alternatives considered",
                        "Straight-line distances (km)"],
    "pages/counts.py": ["People reported", "people (log scale)", "why this place", "or more"],
    "pages/present.py": ["⬇ Story as one HTML file (works offline)", "⬇ Steps (CSV)", "⬇ Counts (CSV)",
                         "Open it from a USB stick on any computer: no server, no internet. Add #step=3&present to "
                         "the address to present."],
    "pages/about.py": ["About this story map", "The source", "How this map is made", "Outside context",
                       "Data and credits", "How to cite", "The article, verbatim", "named in (sentences)"],
    "pages/new_story.py": ["New story", "1. The article", "Upload a .txt, .md or .html file", "…or paste its text",
                           "Draft the story"],
}
EVERY_PAGE = ["Story", "Places & distances", "Counts", "Present", "About", "Language", "Story order",
              "Article order", "Chronological order", "Geocoding", "Geocoder", "Offline gazetteer (default)"]
SHOWS_STORY_TEXT = {"pages/places.py", "pages/counts.py", "pages/about.py", "pages/new_story.py"}  # the player says it on the others


@pytest.mark.parametrize("page", PAGES)
def test_lang_es_shows_every_page_in_spanish_with_no_english_interface_left(page):
    at = spanish_page(page)
    texts = shown(at)
    for message in EVERY_PAGE:
        assert es(message) in at.frame, message
    for message in EXPECTED[page]:
        assert es(message) in texts, message
    assert english_left(at.frame) == [] and english_left(texts) == []
    # The story's own text is shown as written, and the page says so once (the player, in its panel).
    as_written = es(
        "The article, its quotes and the story's own text are shown as written, in their language; "
        "only the interface is translated."
    )
    assert texts.count(as_written) == (1 if page in SHOWS_STORY_TEXT else 0)
    assert f"{STORY.title} — {STORY.source.publisher}" in at.frame
    # The document's language is the page's (for screen readers).
    assert at.document_language == {"lang": "es"}


def test_the_places_pages_measurement_and_claim_are_in_spanish():
    at = spanish_page("pages/places.py")
    at.selectbox(key="measure_a").set_value("tijuana").run()
    assert es("{place} chosen: click or choose a second place.").format(place="Tijuana") in shown(at)
    at.selectbox(key="measure_b").set_value("mexicali").run()
    texts = shown(at)
    assert es("Straight line (geodesic)") in texts and es("Clear the measurement") in texts
    # The measured pair's claim (and the same leg in the list of the article's distances) in Spanish.
    claims = [text for text in texts if "180 km" in text]
    assert len(claims) >= 2 and all(c.startswith("El artículo dice «180 km»; la línea recta mide 14") for c in claims)
    assert not any(text.startswith("The article says") for text in texts)
    at.selectbox(key="measure_b").set_value("san_diego").run()
    texts = shown(at)
    assert english_left(texts) == []
    assert any(text.startswith("El artículo no da ninguna distancia") for text in texts)


def test_notices_and_a_broken_story_are_in_spanish(tmp_path, monkeypatch):
    at = run(lang="es", step="99")
    [warning] = at.warning
    assert warning.value.replace("\\", "").startswith("El enlace pedía el paso 99, pero esta historia tiene los pasos 1 a")
    (tmp_path / "article.txt").write_text("Only one sentence here.", encoding="utf-8")
    broken = tmp_path / "story.yaml"
    broken.write_text((REPO / "data" / "story.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("STORY_MAP_STORY", str(broken))
    at = run(lang="es")
    assert any(e.value.startswith("El archivo de la historia") for e in at.error)


def test_without_lang_the_app_is_english_and_an_unknown_lang_is_english_too():
    for params in ({}, {"lang": "xx"}, {"lang": "<b>"}):
        at = run(**params)
        assert not at.exception
        texts = shown(at)
        assert "Story order" in texts and "Orden de la historia" not in texts
        assert player_data(at)["options"]["lang"] == "en"
        assert player_data(at, "document-language") == {"lang": "en"}


def test_the_sidebar_switch_writes_lang_into_the_address_and_the_players_options():
    at = run(step="3")
    assert query(at, "lang") is None
    bundle = player(at).proto.json
    at.sidebar.radio(key="lang_choice").set_value("es").run()
    assert query(at, "lang") == "es" and query(at, "step") == "3"
    options = player_data(at)["options"]
    assert options["lang"] == "es" and options["order"] == "article"
    # Only the options changed: the browser applies the language to the map it has, not a new one.
    assert json.loads(player(at).proto.json)["bundle"] == json.loads(bundle)["bundle"]
    again = run(**{name: query(at, name) for name in ("step", "order", "lang")})
    assert again.sidebar.radio(key="lang_choice").value == "es"
    assert es("Story order") in shown(again)
    again.sidebar.radio(key="lang_choice").set_value("en").run()
    assert query(again, "lang") == "en" and player_data(again)["options"]["lang"] == "en"


def test_the_players_language_switch_reaches_the_address_and_the_sidebar():
    at = run(step="2")
    report(at, step=2, order="article", lang="es")
    assert query(at, "lang") == "es" and query(at, "step") == "2"
    # The fragment reran the whole app: the sidebar and the page now speak the player's language.
    again = run(step="2", lang=query(at, "lang"))
    assert again.sidebar.radio(key="lang_choice").value == "es"
    assert player_data(again)["options"]["lang"] == "es"


@pytest.mark.parametrize("lang", ["en", ["es"], "__proto__", "xx"])
def test_a_reported_language_that_is_the_pages_own_or_not_a_language_leaves_the_address_alone(lang):
    at = run(step="2")
    report(at, step=3, order="article", lang=lang)
    assert not at.exception
    assert query(at, "step") == "3" and query(at, "lang") is None


def test_the_counts_chart_gives_its_bars_the_whole_width_and_draws_an_open_count_to_the_edge():
    at = spanish_page("pages/counts.py")
    [element] = at.get("vega_lite_chart")
    spec = json.loads(element.proto.spec)
    # No fixed width and no axis of labels beside the bars: on a 390 px phone the bars keep the width.
    assert spec["width"] == "container"
    assert all(layer["encoding"].get("y", {}).get("axis", "none") is None for layer in spec["layer"] if "y" in layer["encoding"])
    frame = chart_frame(element)
    domain = next(layer["encoding"]["x"]["scale"]["domain"] for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    # Short labels: the step number and the count's words, as the article puts them.
    numbers = {c.quote: n for n, s in enumerate(STORY.ordered("article"), 1) for c in s.counts}
    assert all(len(label) <= 32 for label in frame["label"])
    [at_least] = frame[frame["label"].str.contains("at least 500")].to_dict("records")
    assert at_least["label"] == f"{numbers['at least 500 migrants']}. at least 500 migrants"
    # "at least 500" has no upper end: its bar runs to the axis's edge, where an arrow and "o más" mark it.
    assert at_least["open"] and at_least["low"] == 500 and at_least["end"] == domain[1] and at_least["more"] == "o más"
    [arrow] = [layer for layer in spec["layer"] if layer["mark"].get("shape") == "triangle-right"]
    assert arrow["transform"] == [{"filter": "datum.open"}] and arrow["encoding"]["x"]["field"] == "end"
    texts = {layer["encoding"]["text"]["field"]: layer for layer in spec["layer"] if layer["mark"]["type"] == "text"}
    assert set(texts) == {"label", "more"} and texts["more"]["transform"] == [{"filter": "datum.open"}]
    # Closed ranges end at their own upper figure.
    closed = frame[~frame["open"]]
    assert (closed["end"] < domain[1]).all() and (closed["end"] >= closed["low"]).all()


def _new_story(tmp_path, monkeypatch, text: str) -> AppTest:
    """The New story page in Spanish (saving into its own stories folder), with this text drafted."""
    monkeypatch.setenv("STORY_MAP_STORIES", str(tmp_path / "stories"))
    at = spanish_page("pages/new_story.py")
    at.text_area(key="new_text").set_value(text)
    at.button[0].click().run()  # "Preparar la historia", the page's only button before a draft
    assert not at.exception
    return at


def test_the_new_story_page_after_a_draft_is_in_spanish_with_the_articles_words_as_written(tmp_path, monkeypatch):
    article = (REPO / "data" / "article.txt").read_text(encoding="utf-8")
    at = _new_story(tmp_path, monkeypatch, article)
    texts = shown(at)
    plain_texts = [text.strip("*") for text in texts]  # a table's heading is bold Markdown
    for message in ["2. The draft", "Places", "Steps", "Distances", "To review", "3. Confirm the places", "Place",
                    "Where is it?", "Name on the map", "Look it up", "Confirm this place", "4. Steps, counts and distances",
                    "review", "why review", "in time", "figure", "Distances the article gives", "5. Save", "Title",
                    "Publisher", "Where the date is from", "Check and save the story", "The article's own time words"]:
        assert es(message) in plain_texts, message
    assert english_left(texts) == []
    # The draft's reasons for review, kept in English in the story, are shown in Spanish (a list and a table).
    reason = es("its sentence names no place: drawn at the step's most specific place")
    assert reason in " ".join(w.value for w in at.warning).replace("\\", "")
    assert reason in list(at.dataframe[2].value["why"])  # the counts table
    # A reading's words in Spanish; the place's name, an address from the gazetteer, as it is.
    at.selectbox(key="place-1").set_value("tijuana").run()
    options = [o.replace("\\", "") for o in at.radio(key="choice-1-tijuana").options]
    assert options[0].startswith("Tijuana") and "95% probable" in options[0] and "condado o distrito" in options[1]
    # The article's sentences stay as written, and the page says so once.
    assert any("Tijuana" in text and "migrants" in text for text in texts)
    assert texts.count(es("The article, its quotes and the story's own text are shown as written, in their language; "
                          "only the interface is translated.")) == 1


def test_the_new_story_pages_notes_errors_and_problems_are_in_spanish(tmp_path, monkeypatch):
    # An error from reading the text (geo.article_input) and one from drafting it (geo.draft).
    at = _new_story(tmp_path, monkeypatch, "   \n ")
    assert [e.value.replace("\\", "") for e in at.error] == [
        "El texto pegado está vacío: pegue el texto de un artículo o suba un archivo .txt, .md o .html."]
    at.text_area(key="new_text").set_value("Nothing much happened here at all, said the man.")
    at.button[0].click().run()
    [error] = at.error
    assert error.value.replace("\\", "").startswith("No se puede preparar ninguna historia a partir de este texto: el "
                                                    "artículo no nombra ningún lugar que conozca el nomenclátor")
    # A pasted page's note, a point picked on the map, a name the gazetteer does not know, a confirmation.
    at.text_area(key="new_text").set_value("<html><body><p>Storms hit Tijuana on Sunday.</p><p>About 300 residents "
                                           "fled to Mexicali.</p><script>alert(1)</script></body></html>")
    at.button[0].click().run()
    assert any(i.value.replace("\\", "") == "El texto pegado: se quitó el marcado HTML y se conservó el texto principal; "
               "eliminados sin ejecutarse: 1 script." for i in at.info)
    at.selectbox(key="place-1").set_value("mexicali").run()
    map_click(at, last_clicked={"lat": 32.7, "lng": -117.1})
    picked = at.radio(key="choice-1-mexicali")
    assert picked.options[picked.value].replace("\\", "").startswith("Punto elegido en el mapa: 32.7000, -117.1000 (")
    at.text_input(key="name-1-mexicali").set_value("Nowhereville")
    next(b for b in at.button if b.label == es("Look it up")).click().run()
    assert at.error[0].value.replace("\\", "").startswith("El nomenclátor sin conexión no conoce ningún lugar llamado "
                                                          "«Nowhereville»")
    next(b for b in at.button if b.label == es("Confirm this place")).click().run()
    assert at.success[0].value.replace("\\", "").startswith("Mexicali confirmado: Punto elegido en el mapa")
    assert english_left(shown(at)) == []
    # Validation problems: the count, each field's path and each problem in Spanish; the typed words as typed.
    at.text_input(key="published-1").set_value("last Sunday").run()
    at.text_input(key="title-1").set_value("  ").run()
    next(b for b in at.button if b.label == es("Check and save the story")).click().run()
    [error] = at.error
    message = error.value.replace("\\", "")
    assert message.startswith("2 problema(s): no se guardó nada. Corríjalos arriba y vuelva a guardar.")
    assert "**título**: la historia necesita un título" in message
    assert "**fuente › publicación**: 'last Sunday' no es una fecha ISO (AAAA-MM-DD)" in message
    assert english_left(shown(at)) == []
