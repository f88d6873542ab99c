"""The Present page through AppTest: it runs, embeds the player in presenter view, offers the downloads."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from browser import REPO

APP = str(REPO / "app.py")


@pytest.fixture(autouse=True)
def _seed_story(monkeypatch):
    """The seed story, whatever the environment says."""
    monkeypatch.delenv("STORY_MAP_STORY", raising=False)


@pytest.fixture(scope="module")
def present():
    """The app switched to the Present page."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    return at.switch_page("pages/present.py").run()


def player_html(at: AppTest) -> str:
    """The HTML the page embeds."""
    [frame] = [e for e in at.main if getattr(e, "type", None) == "iframe"]
    return frame.proto.srcdoc


def test_present_page_runs_and_embeds_the_player_in_presenter_view(present):
    assert not present.exception
    html = player_html(present)
    data = json.loads(re.search(r'<script type="application/json" id="sm-data">(.*?)</script>', html, re.S).group(1))
    assert data["mode"] == "present"
    assert "window.smPlayer" in html


def test_present_page_hides_the_sidebar(present):
    assert any("stSidebar" in m.value and "display: none" in m.value for m in present.markdown)


def test_present_page_offers_the_file_and_the_csv_downloads(present):
    labels = [b.label for b in present.get("download_button")]
    assert any("HTML file" in label for label in labels)
    assert any("Steps (CSV)" in label for label in labels) and any("Counts (CSV)" in label for label in labels)
