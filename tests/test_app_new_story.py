"""The New story page and the story picker through AppTest: paste, draft, confirm, save, pick; bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_helpers import REPO, edit_table, map_click, player_data, query, run
from geo.confirm import Workbench
from geo.parse import Parser
from geo.pins import OVERLAY_NAME, read_pins
from geo.stories import save_story
from geo.story import load_story

ARTICLE = (REPO / "data" / "article.txt").read_text(encoding="utf-8")
TEXT = "new_text"
SHORT = "Storms hit Tijuana on Sunday. About 300 residents fled to Mexicali."


@pytest.fixture(autouse=True)
def stories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test saves into its own stories folder, with the seed story first."""
    monkeypatch.setenv("STORY_MAP_STORIES", str(tmp_path / "stories"))
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORY_MAP_STORY", raising=False)
    return tmp_path / "stories"


def new_story_page() -> AppTest:
    """The app, opened on the New story page."""
    at = run()
    return at.switch_page("pages/new_story.py").run()


def button(at: AppTest, label: str):
    """The button whose label starts with this text."""
    return next(b for b in at.button if b.label.startswith(label))


def draft(at: AppTest, text: str) -> AppTest:
    """Paste the text and press Draft."""
    at.text_area(key=TEXT).set_value(text)
    return button(at, "Draft the story").click().run()


def metrics(at: AppTest) -> dict[str, str]:
    """The draft's counts, by label."""
    return {m.label: m.value for m in at.metric}


def unescaped(values) -> str:
    """Messages as one text, without the backslashes plain() put before Markdown characters."""
    return " ".join(v.value for v in values).replace("\\", "")


def test_paste_draft_confirm_a_place_save_and_the_picker_lists_it(stories: Path) -> None:
    at = draft(new_story_page(), ARTICLE)
    assert not at.exception
    assert metrics(at) == {"Places": "11", "Steps": "10", "Counts": "5", "Distances": "2", "To review": "2"}
    review = unescaped(at.warning)
    assert "Marked for review" in review and "“Several hundred”" in review and "names no place" in review
    assert len(at.dataframe[0].value) == 11
    # Confirm Tijuana as the municipality, the draft's second reading: a pin keeps the point.
    at.selectbox(key="place-1").set_value("tijuana").run()
    choice = at.radio(key="choice-1-tijuana")
    assert "95% likely" in choice.options[0] and "county or district" in choice.options[1]
    choice.set_value(1).run()
    button(at, "Confirm this place").click().run()
    assert "Tijuana confirmed" in unescaped(at.success)
    at.text_input(key="title-1").set_value("Migrants at the border").run()
    button(at, "Check and save").click().run()
    assert not at.exception and not at.error
    folder = stories / "migrants-at-the-border"
    assert load_story(folder / "story.yaml").title == "Migrants at the border"
    assert (folder / "article.txt").read_text(encoding="utf-8") == ARTICLE
    [pin] = read_pins(folder / OVERLAY_NAME)[0]
    assert (pin.name, pin.lat, pin.kind) == ("Tijuana", 32.45, "admin2") and "chosen for this story" in pin.source
    at.run()
    assert "Saved" in unescaped(at.success)
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert links["Open it in the Story page"] == "story=migrants-at-the-border"
    # AppTest shows no sidebar after switch_page (a browser does): the picker is read on a fresh run.
    picker = run().sidebar.selectbox(key="story_choice")
    assert picker.options == ["The migrant caravan at the US–Mexico border", "Migrants at the border"]
    # The saved story opens in the Story page with the confirmed point.
    story_at = run(story="migrants-at-the-border")
    bundle = player_data(story_at)["bundle"]["story"]
    assert story_at.sidebar.selectbox(key="story_choice").value == "migrants-at-the-border"
    assert bundle["places"]["tijuana"]["lat"] == pytest.approx(32.45)


def test_a_click_on_the_map_picks_a_point_and_a_numbered_marker_selects_its_reading(stories: Path) -> None:
    at = draft(new_story_page(), ARTICLE)
    at.selectbox(key="place-1").set_value("san_diego").run()
    readings = len(at.radio(key="choice-1-san_diego").options)
    map_click(at, last_clicked={"lat": 32.7, "lng": -117.1})
    choice = at.radio(key="choice-1-san_diego")
    assert len(choice.options) == readings + 1 and choice.value == readings
    assert choice.options[-1].replace("\\", "").startswith("Point picked on the map: 32.7000, -117.1000")
    # The map is not rebuilt: same component key, the base map's script unchanged; the pick is a layer.
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "32.7" in args["feature_group"]
    map_click(at, last_clicked={"lat": 32.71, "lng": -117.16}, last_object_clicked_tooltip="2. San Diego County")
    assert at.radio(key="choice-1-san_diego").value == 1, "a numbered marker selects, it adds no point"
    map_click(at, last_clicked={"lat": 32.71, "lng": -117.16}, last_object_clicked_tooltip="2. San Diego County")
    at.radio(key="choice-1-san_diego").set_value(readings).run()
    button(at, "Confirm this place").click().run()
    bench = at.session_state["new_draft"]
    assert (bench.pins["san_diego"].lat, bench.pins["san_diego"].lon) == (32.7, -117.1)
    assert bench.pins["san_diego"].source.startswith("Chosen on the map")


def test_the_base_map_stays_the_same_while_places_and_choices_change(stories: Path) -> None:
    at = draft(new_story_page(), ARTICLE)
    first = json.loads(at.get("component_instance")[0].proto.json_args)
    at.selectbox(key="place-1").set_value("mexicali").run()
    map_click(at, last_clicked={"lat": 32.6, "lng": -115.5})
    later = json.loads(at.get("component_instance")[0].proto.json_args)
    assert later["key"] == first["key"], "a new key would remount the map"
    assert later["feature_group"] != first["feature_group"] and later["center"] != first["center"]


def test_another_name_is_looked_up_offline_and_an_unknown_one_is_said(stories: Path) -> None:
    at = draft(new_story_page(), SHORT)
    at.selectbox(key="place-1").set_value("tijuana").run()
    at.text_input(key="name-1-tijuana").set_value("Springfield, Illinois").run()
    button(at, "Look it up").click().run()
    choice = at.radio(key="choice-1-tijuana")
    assert choice.options[choice.value].startswith("Springfield, Illinois, United States")
    at.text_input(key="name-1-tijuana").set_value("Xyzzyville [x](http://e)").run()
    button(at, "Look it up").click().run()
    [error] = at.error
    assert "knows no place called" in error.value.replace("\\", "") and "\\[x\\]" in error.value


@pytest.mark.parametrize(("text", "says"), [
    ("   \n ", "is empty"),
    ("a" * 200_001, "200,001 bytes; the limit is 200,000 bytes"),
    ("Rain\x00fell", "control character (U+0000)"),
    ("Nothing much happened here at all, said the man.", "names no place"),
])
def test_bad_pasted_text_gets_a_clear_message_and_stays_in_the_box(text: str, says: str) -> None:
    at = draft(new_story_page(), text)
    assert not at.exception
    [error] = at.error
    assert says in error.value.replace("\\", "")
    assert at.text_area(key=TEXT).value == text and "new_draft" not in at.session_state


@pytest.mark.parametrize(("name", "data", "says"), [
    ("scan.txt", b"%PDF-1.7 ...", "is a PDF document, not text"),
    ("notes.txt", b"Rain in Bogot\xe1.", "not UTF-8 text: byte 0xe1 at line 1"),
    ("image.md", b"\x89PNG\r\n\x1a\n\x00", "PNG image"),
    ("big.txt", b"a" * 200_001, "the limit is 200,000 bytes"),
])
def test_a_bad_file_is_refused_and_the_box_keeps_its_text(name: str, data: bytes, says: str) -> None:
    at = new_story_page()
    at.text_area(key=TEXT).set_value(SHORT).run()
    at.file_uploader(key="new_upload").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    [error] = at.error
    assert says in error.value.replace("\\", "")
    assert at.text_area(key=TEXT).value == SHORT


def test_an_html_page_with_scripts_gives_its_text_and_its_scripts_never_reach_the_page() -> None:
    page = ("<html><head><title>Storms</title><script>alert('pwned')</script></head><body><article>"
            f"<p>{SHORT}</p><img src=x onerror=\"alert('img')\"><script>document.write('injected')</script>"
            "</article></body></html>").encode("utf-8")
    at = new_story_page()
    at.file_uploader(key="new_upload").set_value(("page.html", page, "text/html")).run()
    assert at.text_area(key=TEXT).value == SHORT
    assert "2 scripts removed, never run" in unescaped(at.info)
    button(at, "Draft the story").click().run()
    assert metrics(at)["Places"] == "2"
    assert at.text_input(key="headline-1").value == "Storms", "the page's title becomes the headline"
    assert at.text_input(key="headline-from-1").value == "the title of the uploaded page “page.html”"
    everything = json.dumps([str(e.proto) for e in at.main])
    assert "pwned" not in everything and "injected" not in everything and "onerror" not in everything


def test_a_validation_error_lists_each_field_saves_nothing_and_keeps_the_text(stories: Path) -> None:
    at = draft(new_story_page(), ARTICLE)
    at.text_input(key="published-1").set_value("last Sunday").run()
    at.text_input(key="title-1").set_value("  ").run()
    button(at, "Check and save").click().run()
    [error] = at.error
    message = error.value.replace("\\", "")
    assert message.startswith("2 problem(s): nothing was saved")
    assert "**title**: the story needs a title" in message
    assert "**source › published**: 'last Sunday' is not an ISO date" in message
    assert not stories.exists() or not any(stories.iterdir())
    assert at.text_area(key=TEXT).value == ARTICLE and metrics(at)["Places"] == "11"


def test_the_pasted_text_the_draft_and_its_fields_survive_a_visit_to_another_page() -> None:
    at = new_story_page()
    at.text_area(key=TEXT).set_value(SHORT).run()
    at.switch_page("pages/counts.py").run()
    at.switch_page("pages/new_story.py").run()
    assert at.text_area(key=TEXT).value == SHORT
    draft(at, SHORT)
    at.text_input(key="title-1").set_value("Storms").run()
    at.selectbox(key="place-1").set_value("mexicali").run()
    at.switch_page("pages/about.py").run()
    at.switch_page("pages/new_story.py").run()
    assert metrics(at)["Places"] == "2" and at.text_input(key="title-1").value == "Storms"
    assert at.selectbox(key="place-1").value == "mexicali"


@pytest.fixture
def saved(stories: Path) -> str:
    """One story saved in the stories folder; its slug."""
    bench = Workbench.start(SHORT, Parser(), date(2025, 3, 4))
    story = bench.story.model_copy(update={"title": "Storms in Baja California"})
    path, problems = save_story(story, SHORT, bench.pins.values(), "storms", root=stories)
    assert not problems
    return path.parent.name


def test_the_picker_lists_the_seed_first_opens_a_story_at_its_first_step_and_links_keep_it(saved: str) -> None:
    at = run(step="3", order="chrono")
    picker = at.sidebar.selectbox(key="story_choice")
    assert picker.options == ["The migrant caravan at the US–Mexico border", "Storms in Baja California"]
    picker.set_value(saved).run()
    assert query(at, "story") == saved and query(at, "step") in (None, "1") and query(at, "order") == "chrono"
    again = run(story=saved)
    assert player_data(again)["bundle"]["story"]["title"] == "Storms in Baja California"
    links = {link.proto.label: link.proto.query_string for link in again.sidebar.get("page_link")}
    assert links["Places & distances"] == f"story={saved}" and links["New story"] == f"story={saved}"
    places = run(story=saved).switch_page("pages/places.py").run()
    assert set(places.dataframe[0].value["name"]) == {"Tijuana", "Mexicali"}


@pytest.mark.parametrize("slug", ["no-such-story-here", "../../etc/passwd", "[Sign in](http://host/p)"])
def test_an_unknown_story_opens_the_seed_story_with_one_short_escaped_notice(slug: str) -> None:
    at = run(story=slug)
    assert not at.exception
    [warning] = at.warning
    assert "which is not saved here; showing the first story" in warning.value.replace("\\", "")
    assert len(warning.value) < 160 and "](http" not in warning.value
    assert player_data(at)["bundle"]["story"]["title"] == "The migrant caravan at the US–Mexico border"
    assert query(at, "story") is None, "the address names what is shown"


def test_table_edits_reach_the_saved_story_and_a_wrong_one_is_named_with_its_field(stories: Path) -> None:
    at = draft(new_story_page(), ARTICLE)
    edit_table(at, "steps-1", {1: {"when": "next Tuesday", "title": "The caravan"}})
    edit_table(at, "counts-1", {3: {"review": False, "place": "United States"}})
    button(at, "Check and save").click().run()
    message = at.error[0].value.replace("\\", "")
    assert message.startswith("1 problem(s)") and "**step 2 › when**: \"next Tuesday\" is not in the article" in message
    edit_table(at, "steps-1", {1: {"when": "on Sunday", "title": "The caravan"}})
    button(at, "Check and save").click().run()
    assert not at.error
    [folder] = stories.iterdir()
    saved = load_story(folder / "story.yaml")
    assert (saved.steps[1].title, saved.steps[1].when) == ("The caravan", "on Sunday")
    vague = [c for s in saved.steps for c in s.counts][3]
    assert vague.quote == "Several hundred" and vague.place == "united_states" and not vague.review


def test_a_saved_storys_own_words_never_render_as_markdown(stories: Path) -> None:
    bench = Workbench.start(SHORT, Parser(), date(2025, 3, 4))
    title = "[Sign in](http://host/p) **now**"
    story = bench.story.model_copy(update={"title": title, "source": bench.story.source.model_copy(
        update={"publisher": "![x](http://host/px.png)"})})
    save_story(story, SHORT, [], "hostile", root=stories)
    at = run(story="hostile")
    caption = at.sidebar.caption[0].value
    assert "\\[Sign in\\]" in caption and "\\!\\[x\\]" in caption
    about = at.switch_page("pages/about.py").run()
    # About writes story text as escaped HTML in an HTML block, where Markdown is not read either.
    shown = " ".join(m.value for m in about.markdown if m.value.startswith("<div>"))
    assert "<b>[Sign in](http://host/p) **now**</b>" in shown and "Publisher: ![x](http://host/px.png)" in shown
    assert "<a " not in shown and "<img" not in shown


def test_a_place_can_be_renamed_on_the_map_and_a_repeated_name_is_named(stories: Path) -> None:
    at = draft(new_story_page(), SHORT)
    at.selectbox(key="place-1").set_value("mexicali").run()
    at.text_input(key="label-1-mexicali").set_value("Tijuana").run()
    button(at, "Check and save").click().run()
    assert "duplicate place name 'Tijuana'" in at.error[0].value.replace("\\", "")
    at.text_input(key="label-1-mexicali").set_value("Mexicali, Baja California").run()
    button(at, "Check and save").click().run()
    assert not at.error
    [folder] = stories.iterdir()
    place = load_story(folder / "story.yaml").place("mexicali")
    assert place.name == "Mexicali, Baja California" and place.mentions == ["Mexicali"]
