"""The app through Streamlit's AppTest: pages, stepping, deep links, the stable map key, bad stories."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.story import load_story

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
STORY = load_story(REPO / "data" / "story.yaml")
PAGES = ["pages/story.py", "pages/places.py", "pages/counts.py", "pages/about.py"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test gets its own geocoder cache and the seed story."""
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORY_MAP_STORY", raising=False)


def run(**query: str) -> AppTest:
    """The app, run once with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def map_args(at: AppTest) -> dict:
    """The arguments the story map component was given on the last run."""
    return json.loads(at.get("component_instance")[0].proto.json_args)


def button(at: AppTest, label: str):
    """The button whose label starts with this text."""
    return next(b for b in at.button if b.label.startswith(label))


def step_number(at: AppTest) -> int:
    """The 1-based step the URL names."""
    return int(at.query_params["step"][0] if isinstance(at.query_params["step"], list) else at.query_params["step"])


def test_every_page_runs_without_exception():
    at = run()
    assert not at.exception
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.title or at.markdown, page


def test_story_page_opens_on_step_one_with_counter_and_map():
    at = run()
    assert step_number(at) == 1
    assert any(f"1 / {len(STORY.steps)}" in m.value for m in at.markdown)
    args = map_args(at)
    assert args["feature_group"] and args["center"] and args["zoom"]


def test_next_and_previous_move_through_the_steps_and_the_url():
    at = run()
    steps = STORY.ordered("article")
    button(at, "Next").click().run()
    assert step_number(at) == 2
    assert any(steps[1].title in m.value for m in at.markdown)
    button(at, "Next").click().run()
    button(at, "← Previous").click().run()
    assert step_number(at) == 2
    assert at.query_params["order"] == ["article"] or at.query_params["order"] == "article"


def test_previous_is_disabled_on_the_first_step_and_next_on_the_last():
    at = run()
    assert button(at, "← Previous").disabled
    at = run(step=str(len(STORY.steps)))
    assert button(at, "Next").disabled


def test_map_key_stays_while_center_zoom_and_layer_change():
    at = run()
    first = map_args(at)
    button(at, "Next").click().run()
    second = map_args(at)
    assert first["key"] == second["key"], "a new key remounts the map iframe (it blinks)"
    assert (first["center"], first["zoom"], first["feature_group"]) != (
        second["center"],
        second["zoom"],
        second["feature_group"],
    )


def test_slider_jumps_to_a_step():
    at = run()
    at.select_slider(key="step_slider").set_value(4).run()
    assert step_number(at) == 4


def test_deep_link_opens_on_its_step_in_its_order():
    chrono = STORY.ordered("chrono")
    at = run(step="3", order="chrono")
    assert not at.exception
    assert any(chrono[2].title in m.value for m in at.markdown)
    assert at.sidebar.radio(key="order_choice").value == "chrono"


def test_switching_order_keeps_the_same_step():
    at = run(step="2")
    step = STORY.ordered("article")[1]
    at.sidebar.radio(key="order_choice").set_value("chrono").run()
    chrono_ids = [s.id for s in STORY.ordered("chrono")]
    assert step_number(at) == chrono_ids.index(step.id) + 1
    assert any(step.title in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"step": "99"}, "this story has steps 1 to"),
        ({"step": "abc"}, "not a number"),
        ({"order": "xyz"}, "order “xyz”"),
        ({"step": "0"}, "this story has steps 1 to"),
    ],
)
def test_bad_links_are_corrected_with_a_visible_note(query, fragment):
    at = run(**query)
    assert not at.exception
    assert any(fragment in w.value for w in at.warning), [w.value for w in at.warning]
    assert 1 <= step_number(at) <= len(STORY.steps)


def test_a_broken_story_lists_its_problems_and_the_app_keeps_running(tmp_path, monkeypatch):
    (tmp_path / "article.txt").write_text("Only one sentence here.", encoding="utf-8")
    broken = tmp_path / "story.yaml"
    broken.write_text((REPO / "data" / "story.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("STORY_MAP_STORY", str(broken))
    at = run()
    assert not at.exception
    assert any("problem" in e.value for e in at.error)
    assert any("is not in the article" in c.value for c in at.code)
    at.switch_page("pages/about.py").run()
    assert not at.exception and at.error


def test_the_whole_article_toggle_highlights_this_steps_sentences():
    at = run()
    at.toggle(key="whole_article").set_value(True).run()
    page = " ".join(m.value for m in at.markdown)
    assert "<mark>" in page
    assert STORY.ordered("article")[0].quotes[0].replace("“", "&ldquo;")[:20] in page or "<mark>" in page


def test_places_page_has_the_table_matrix_and_downloads():
    at = run()
    at.switch_page("pages/places.py").run()
    assert not at.exception
    assert len(at.dataframe) >= 2
    labels = [d.proto.label for d in at.get("download_button")]
    assert any("CSV" in label for label in labels) and any("GeoJSON" in label for label in labels)


def test_counts_page_lists_every_reported_count():
    at = run()
    at.switch_page("pages/counts.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    reported = {c.quote for s in STORY.steps for c in s.counts}
    assert set(table["reported"]) == reported


def test_an_unreachable_online_geocoder_falls_back_offline_and_says_so():
    at = AppTest.from_file(APP, default_timeout=60)
    # Set through session state: AppTest drops the sidebar's elements after a sidebar widget
    # changes (a real browser keeps them). A closed loopback port: the provider is down.
    at.session_state["provider"] = "nominatim"
    at.session_state["domain"] = "127.0.0.1:9"
    at.run()
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "nominatim" in notes.lower() and "Tijuana" in notes, notes
    assert map_args(at)["feature_group"]


def test_a_place_the_geocoder_cannot_find_is_named_and_its_distance_left_out(tmp_path, monkeypatch):
    (tmp_path / "article.txt").write_bytes((REPO / "data" / "article.txt").read_bytes())
    story = (REPO / "data" / "story.yaml").read_text(encoding="utf-8").replace("query: Mexicali", "query: Nowhereville")
    (tmp_path / "story.yaml").write_text(story, encoding="utf-8")
    monkeypatch.setenv("STORY_MAP_STORY", str(tmp_path / "story.yaml"))
    waiting = next(n for n, s in enumerate(STORY.ordered("article"), 1) if any(d.end == "mexicali" for d in s.distances))
    for page in (None, "pages/places.py"):
        at = run(step=str(waiting))
        if page:
            at.switch_page(page).run()
        assert not at.exception, page
        assert any("Nowhereville" in i.value for i in at.info), page


def test_the_about_page_states_the_method_and_cites_no_made_up_headline():
    at = run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    page = " ".join(m.value for m in at.markdown)
    assert "A sentence names a place when" in page  # the mention rule, stated on screen
    for topic in ("**Places.**", "**Counts.**", "**Distances.**", "**Time and order.**", "**Whose words.**", "**Outside the article:**"):
        assert topic in page, topic
    assert "Headline: not in the text" in page and "the date is not in the text" in page
    [cite] = [c.value for c in at.code]
    assert cite.startswith("BBC News, excerpts") and "storm the US border" not in cite
    for fact in STORY.context:
        assert escape(fact.source)[:40] in page, fact.id
    assert "editor's marker, not article text" in page
    ranges, places = (frame.value for frame in at.dataframe[:2])
    assert "24–99" in set(ranges["range"])
    assert set(places["place"]) == {p.name for p in STORY.places}


def test_the_about_page_shows_story_text_as_text_not_markdown(tmp_path, monkeypatch):
    (tmp_path / "article.txt").write_bytes((REPO / "data" / "article.txt").read_bytes())
    story = (REPO / "data" / "story.yaml").read_text(encoding="utf-8")
    story = story.replace('title: "The migrant caravan at the US–Mexico border"', 'title: "**bold** [link](http://x) <b>tag</b>"')
    (tmp_path / "story.yaml").write_text(story, encoding="utf-8")
    monkeypatch.setenv("STORY_MAP_STORY", str(tmp_path / "story.yaml"))
    at = run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    page = " ".join(m.value for m in at.markdown)
    assert "<b>**bold** [link](http://x) &lt;b&gt;tag&lt;/b&gt;</b>" in page


def test_counts_and_places_pages_show_where_a_point_stands_for_more_and_how_mentions_count():
    at = run()
    at.switch_page("pages/counts.py").run()
    table = at.dataframe[0].value
    assert "whole border" in table.set_index("reported").loc["almost 7,500 migrants", "place_note"]
    at.switch_page("pages/places.py").run()
    places = at.dataframe[0].value.set_index("name")
    assert places.loc["Mexico", "named in"] == 8 and places.loc["Mexico", "words counted"] == "Mexico, Mexican"
    assert any("A sentence names a place when" in c.value for c in at.caption)
