"""geo.export without a browser: one self-contained file, safe JSON, atomic writes, the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from geo import player
from geo.__main__ import main
from geo.article import load_article
from geo.export import export_html, offline_positions, write_export
from geo.story import StoryError, load_story

from browser import REPO

STORY_PATH = REPO / "data" / "story.yaml"
XSS_PATH = REPO / "tests" / "fixtures" / "xss" / "story.yaml"
BROKEN = REPO / "tests" / "fixtures" / "broken" / "many_problems.yaml"
# The budget BENCHMARKS.md states for the seed story's export (Leaflet, plugins, outlines, data).
SIZE_BUDGET_BYTES = 1_500_000


@pytest.fixture(scope="module")
def seed():
    """The seed story, its article and offline positions."""
    story = load_story(STORY_PATH)
    return story, load_article(STORY_PATH, story), offline_positions(story)


@pytest.fixture(scope="module")
def html(seed):
    """The seed story's export."""
    return export_html(*seed)


class Links(HTMLParser):
    """Every URL an element would load (src, href of <link>), and the data block's text."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.tags: list[str] = []
        self._in_data = False
        self.data = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href", "data", "poster"):
            if attrs.get(name) is not None and (tag != "a" or name != "href"):
                self.loads.append(attrs[name])
        self._in_data = attrs.get("id") == "sm-data"

    def handle_endtag(self, tag):
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.data += data


def parse(html: str) -> Links:
    """The page's loads and data."""
    links = Links()
    links.feed(html)
    return links


def test_the_export_loads_nothing_from_outside_the_file(html):
    links = parse(html)
    assert links.loads == [], links.loads
    # No CSS import or url() outside the file either: images are data: URIs.
    assert not re.search(r"@import|url\((['\"]?)(?!data:|#)", html)


def story_data(html: str) -> dict:
    """The story as the export's player reads it."""
    return json.loads(parse(html).data)["bundle"]["story"]


def test_the_export_has_the_map_every_step_layer_and_the_player(seed, html):
    story, _, positions = seed
    bundle = json.loads(parse(html).data)["bundle"]
    data = bundle["story"]
    assert [s["id"] for s in data["steps"]] == [s.id for s in story.steps]
    for step in data["steps"]:
        assert f"var {step['group']} = L.featureGroup(" in bundle["map"]["script"]
    assert f'var {bundle["map"]["name"]} = L.map(' in bundle["map"]["script"]
    assert "StoryMap.mountPage()" in html and "L.control.scale" in bundle["map"]["script"]
    assert data["placeCount"] == len(positions) == len(story.places)


def test_the_export_runs_the_same_player_as_the_app():
    from geo import player

    html = export_html(*seed_story())
    assert player.player_js() in html.replace("<\\/script", "</script")
    assert player.template("player/player.html") in html


def seed_story():
    """The seed story, its article and offline positions (for tests that need no fixture)."""
    story = load_story(STORY_PATH)
    return story, load_article(STORY_PATH, story), offline_positions(story)


def test_the_page_allows_pinch_zoom_and_names_its_language(html):
    assert 'lang="en"' in html[:200]
    viewport = re.search(r'<meta name="viewport" content="([^"]+)"', html).group(1)
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport


def test_step_data_carries_counts_distances_questions_and_citations(html):
    data = story_data(html)
    waiting = next(s for s in data["steps"] if s["id"] == "waiting")
    [distance] = waiting["distances"]
    assert distance["start"] == "Tijuana" and distance["end"] == "Mexicali"
    assert 140 < distance["km"] < 150 and "180" in distance["claim"]
    arrival = next(s for s in data["steps"] if s["id"] == "arrival")
    assert arrival["counts"][0]["reading"].startswith("almost 7,500 migrants (6,750")
    assert any(q["prompt"] == "How far is Mexicali from Tijuana?" for q in waiting["questions"])
    credits = " ".join(data["localized"]["en"]["credits"])
    for name in ("BBC", "GeoNames", "CC BY 4.0", "ODbL", "OpenStreetMap"):
        assert name in credits
    assert [c["source"] for c in data["context"]]


def test_story_text_cannot_break_out_of_the_data_block(html):
    story = load_story(XSS_PATH)
    hostile = export_html(story, load_article(XSS_PATH, story), offline_positions(story))
    links = parse(hostile)
    assert links.loads == []
    # The payloads arrive only as escaped JSON: no raw tag from the story reaches the markup.
    for raw in ("<img src=x", "<svg onload", '<iframe src="javascript', "<script>window.__pwned"):
        assert raw not in hostile, raw
    # The browser's parser sees the same elements as in the seed story's export: none came from the story.
    assert sorted(set(links.tags)) == sorted(set(parse(html).tags))
    assert links.tags.count("script") == parse(html).tags.count("script")
    assert json.loads(links.data)["bundle"]["story"]["title"].startswith("Payloads <script>")


def test_json_for_a_script_escapes_the_characters_that_end_it():
    text = player.script_json({"a": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->"}


def test_write_export_writes_the_whole_file_and_leaves_no_temp_file(tmp_path):
    out = write_export(STORY_PATH, tmp_path / "story.html")
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir()] == ["story.html"]


def test_an_invalid_story_raises_and_leaves_no_file_and_keeps_an_old_one(tmp_path):
    with pytest.raises(StoryError):
        write_export(BROKEN, tmp_path / "new.html")
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.html"
    old.write_text("previous export", encoding="utf-8")
    with pytest.raises(StoryError):
        write_export(BROKEN, old)
    assert old.read_text(encoding="utf-8") == "previous export"
    assert list(tmp_path.iterdir()) == [old]


def test_a_failure_while_writing_leaves_no_partial_file(tmp_path, monkeypatch):
    def half_then_fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("geo.atomic.os.replace", half_then_fail)
    with pytest.raises(OSError):
        write_export(STORY_PATH, tmp_path / "story.html")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_writes_the_file(tmp_path, capsys):
    out = tmp_path / "story.html"
    assert main(["export", str(STORY_PATH), "-o", str(out)]) == 0
    assert out.stat().st_size > 100_000
    assert str(out) in capsys.readouterr().out


def test_cli_export_of_an_invalid_story_prints_the_problems_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "story.html"
    assert main(["export", str(BROKEN), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "many_problems.yaml:" in err and "nothing written" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_export_stays_within_its_size_budget(html):
    size = len(html.encode("utf-8"))
    assert size < SIZE_BUDGET_BYTES, f"export is {size:,} bytes; BENCHMARKS.md budgets {SIZE_BUDGET_BYTES:,}"
