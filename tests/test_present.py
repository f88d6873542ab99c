"""The Present page through AppTest: the same player in presenter view, the address kept, the downloads."""

from __future__ import annotations

import pytest

from app_helpers import player_data, query, report, run


@pytest.fixture(autouse=True)
def _seed_story(monkeypatch):
    """The seed story, whatever the environment says."""
    monkeypatch.delenv("STORY_MAP_STORY", raising=False)


@pytest.fixture(scope="module")
def present():
    """The app switched to the Present page."""
    at = run()
    return at.switch_page("pages/present.py").run()


def test_present_page_mounts_the_same_player_in_presenter_view(present):
    assert not present.exception
    data = player_data(present, "present-player")
    assert data["options"]["mode"] == "present"
    story = run()
    assert data["bundle"]["id"] == player_data(story)["bundle"]["id"], "one bundle for both pages"


def test_present_page_hides_the_sidebar(present):
    styles = " ".join(h.proto.body for h in present.get("html"))
    assert "stSidebar" in styles and "display: none" in styles


def test_present_page_keeps_the_address_in_step_with_the_player():
    at = run().switch_page("pages/present.py").run()
    report(at, "present-player", step=6, order="article", size=1.5)
    assert query(at, "step") == "6" and query(at, "size") == "1.5"


def test_present_page_offers_the_file_and_the_csv_downloads(present):
    labels = [b.label for b in present.get("download_button")]
    assert any("HTML file" in label for label in labels)
    assert any("Steps (CSV)" in label for label in labels) and any("Counts (CSV)" in label for label in labels)
