"""The app through Streamlit's AppTest: pages, stepping, deep links, the stable map key, bad stories."""

from __future__ import annotations

from html import escape

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_helpers import APP, REPO, player_data, player, query, report, run
from geo.story import load_story

STORY = load_story(REPO / "data" / "story.yaml")
PAGES = ["pages/story.py", "pages/places.py", "pages/counts.py", "pages/about.py"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test gets its own geocoder cache and the seed story."""
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORY_MAP_STORY", raising=False)


def button(at: AppTest, label: str):
    """The button whose label starts with this text."""
    return next(b for b in at.button if b.label.startswith(label))


def step_number(at: AppTest) -> int:
    """The 1-based step the URL names."""
    return int(query(at, "step"))


def test_every_page_runs_without_exception():
    at = run()
    assert not at.exception
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.title or at.markdown, page


def test_story_page_mounts_the_player_with_every_step_and_its_layer():
    at = run()
    assert step_number(at) == 1
    data = player_data(at)
    steps = data["bundle"]["story"]["steps"]
    assert [s["id"] for s in steps] == [s.id for s in STORY.steps]
    for step in steps:
        assert f"var {step['group']} = L.featureGroup(" in data["bundle"]["map"]["script"]
    assert data["options"] == {**data["options"], "order": "article", "mode": "read"}
    # No Python step panel: the player draws the step; the page holds no step text of its own.
    assert not any(STORY.steps[1].title in m.value for m in at.markdown)


def test_the_players_report_drives_the_address():
    at = run()
    report(at, step=4, order="article")
    assert step_number(at) == 4 and query(at, "order") == "article"
    report(at, step=2, order="article", size=1.3)
    assert step_number(at) == 2 and query(at, "size") == "1.3"


def test_a_report_that_switches_order_moves_the_sidebar_too():
    at = run(step="2")
    step = STORY.ordered("article")[1]
    chrono = [s.id for s in STORY.ordered("chrono")].index(step.id) + 1
    report(at, step=chrono, order="chrono")
    assert query(at, "order") == "chrono" and step_number(at) == chrono
    # AppTest keeps only the fragment's output after a fragment's rerun, so the sidebar is read on a
    # fresh run of the address the report wrote (the browser test sees the live sidebar follow).
    again = run(step=str(chrono), order=query(at, "order"))
    assert again.sidebar.radio(key="order_choice").value == "chrono"
    assert player_data(again)["options"]["order"] == "chrono"


@pytest.mark.parametrize("moved", [{"step": 99, "order": "article"}, {"step": 0, "order": "article"},
                                   {"step": "3", "order": "article"}, {"step": 3, "order": "__proto__"}, {}])
def test_a_report_naming_no_real_step_is_ignored(moved):
    at = run(step="5")
    report(at, **moved)
    assert not at.exception
    assert step_number(at) == 5 and query(at, "order") == "article"


def test_python_never_rebuilds_the_bundle_on_a_step(monkeypatch):
    import geo.player
    from pages import _player

    _player._bundle.clear()
    built = []
    original = geo.player.bundle
    monkeypatch.setattr(geo.player, "bundle", lambda *a, **k: built.append(1) or original(*a, **k))
    at = run()
    first = player(at).proto.json
    for number in (2, 3, 4):
        report(at, step=number, order="article")
        assert player(at).proto.json == first, "the component's data changed: the browser would rebuild"
    assert built == [1]


def test_deep_link_opens_on_its_step_in_its_order():
    at = run(step="3", order="chrono")
    assert not at.exception
    assert step_number(at) == 3
    assert player_data(at)["options"]["order"] == "chrono"
    assert at.sidebar.radio(key="order_choice").value == "chrono"


def test_switching_order_in_the_sidebar_keeps_the_same_step():
    at = run(step="2")
    step = STORY.ordered("article")[1]
    at.sidebar.radio(key="order_choice").set_value("chrono").run()
    chrono_ids = [s.id for s in STORY.ordered("chrono")]
    assert step_number(at) == chrono_ids.index(step.id) + 1
    assert player_data(at)["options"]["order"] == "chrono"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"step": "99"}, "this story has steps 1 to"),
        ({"step": "abc"}, "not a step number"),
        ({"step": "9" * 10_000}, "not a step number"),
        ({"order": "xyz"}, "order “xyz”"),
        ({"step": "0"}, "this story has steps 1 to"),
    ],
)
def test_bad_links_open_step_one_with_one_clear_note(params, fragment):
    at = run(**params)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and fragment in warnings[0].replace("\\", ""), warnings
    assert len(warnings[0]) < 200, "a notice echoes only a few characters of the address"
    assert step_number(at) == 1


def test_a_link_cannot_put_markdown_into_a_notice():
    at = run(order="[Sign in again](http://host/phish) ![x](http://host/px.png)")
    [warning] = at.warning
    assert "](http" not in warning.value.replace("\\", "") or "\\]" in warning.value
    assert "\\[" in warning.value  # the brackets reach Markdown escaped: text, not a link


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


def test_places_page_has_the_table_matrix_and_downloads():
    at = run()
    at.switch_page("pages/places.py").run()
    assert not at.exception
    assert len(at.dataframe) >= 2
    labels = [d.proto.label for d in at.get("download_button")]
    assert any("CSV" in label for label in labels) and any("GeoJSON" in label for label in labels)


def test_places_page_measures_two_chosen_places_beside_the_articles_claim():
    at = run()
    at.switch_page("pages/places.py").run()
    at.selectbox(key="measure_a").set_value("tijuana").run()
    at.selectbox(key="measure_b").set_value("mexicali").run()
    assert not at.exception
    [metric] = at.metric
    assert metric.value in {"146 km", "145 km", "147 km"}
    assert any("The article says 180 km" in m.value.replace("\\", "") for m in at.markdown)
    # A pair the article gives no figure for is marked as computed here, outside the article.
    at.selectbox(key="measure_b").set_value("san_diego").run()
    assert any("outside the article" in c.value.replace("\\", "") for c in at.caption)


def test_places_page_survives_two_places_with_the_same_name(tmp_path, monkeypatch):
    (tmp_path / "article.txt").write_bytes((REPO / "data" / "article.txt").read_bytes())
    story = (REPO / "data" / "story.yaml").read_text(encoding="utf-8").replace("name: Mexicali", "name: Tijuana")
    (tmp_path / "story.yaml").write_text(story, encoding="utf-8")
    monkeypatch.setenv("STORY_MAP_STORY", str(tmp_path / "story.yaml"))
    at = run()
    at.switch_page("pages/places.py").run()
    # `geo check` refuses the file, so the page lists the problem instead of crashing on it.
    assert not at.exception
    assert any("Tijuana" in c.value and "name" in c.value for c in at.code), [c.value for c in at.code]


def test_counts_page_lists_every_reported_count():
    at = run()
    at.switch_page("pages/counts.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    reported = {c.quote for s in STORY.steps for c in s.counts}
    assert set(table["reported"]) == reported


def test_an_unreachable_online_geocoder_falls_back_offline_and_says_so():
    st.cache_resource.clear()  # the configured servers are cached for a minute per process
    at = AppTest.from_file(APP, default_timeout=60)
    # A server named in the configuration, on a closed loopback port: the provider is down.
    at.secrets["geocoders"] = {"down": "nominatim:http://127.0.0.1:9"}
    # Set through session state: AppTest drops the sidebar's elements after a sidebar widget
    # changes (a real browser keeps them).
    at.session_state["geocoder"] = "down"
    at.run()
    assert not at.exception
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert "nominatim" in notes.lower() and "Tijuana" in notes, notes
    assert player_data(at)["bundle"]["story"]["steps"]


def test_a_reader_can_choose_only_the_geocoders_the_configuration_names(monkeypatch):
    monkeypatch.setenv("STORY_MAP_GEOCODERS", "local=photon:http://127.0.0.1:2322, bad=ftp:x")
    st.cache_resource.clear()  # the configured servers are cached for a minute per process
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["geocoders"] = {"osm": "nominatim"}
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="geocoder").options == ["Offline gazetteer (default)", "osm", "local"]
    assert not at.sidebar.text_input, "no free host field: a reader cannot point the app at any host"
    assert any("bad" in c.value for c in at.sidebar.caption)


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
    assert "whole border" in table.set_index("reported").loc["almost 7,500 migrants", "why this place"]
    at.switch_page("pages/places.py").run()
    places = at.dataframe[0].value.set_index("name")
    assert places.loc["Mexico", "named in"] == 8 and places.loc["Mexico", "words counted"] == "Mexico, Mexican"
    assert any("A sentence names a place when" in c.value for c in at.caption)


def test_a_server_without_make_assets_loads_the_pinned_cdn_files_and_says_so(monkeypatch):
    import geo.assets

    st.cache_resource.clear()
    monkeypatch.setattr(geo.assets, "local_assets", lambda: False)
    at = run()
    assert not at.exception
    assert any("jsDelivr" in c.value for c in at.caption)
    parts = player_data(at)["bundle"]["map"]
    assert parts["cdn"] is True
    assert all(s.get("integrity", "").startswith("sha384-") for s in parts["scripts"] if s.get("url"))
    # No offline basemap there (it is built from npm data): the online tiles are on from the start.
    assert "tile.openstreetmap.org" in parts["script"]
    st.cache_resource.clear()


def test_a_page_opened_without_the_address_keeps_the_readers_step_and_order():
    at = run()
    step = STORY.ordered("chrono")[4]
    report(at, step=5, order="chrono", size=1.3)
    # The sidebar's page links (like Streamlit's own) drop ?step and ?order: the session remembers.
    at.query_params.clear()
    at.switch_page("pages/present.py").run()
    assert not at.exception
    assert query(at, "step") == "5" and query(at, "order") == "chrono" and query(at, "size") == "1.3"
    assert player_data(at, "present-player")["options"]["order"] == "chrono"
    assert step.id == STORY.ordered("chrono")[4].id
