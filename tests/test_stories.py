"""geo.stories: the stories folder, slugs that stay inside it, and saving that validates first."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from geo.confirm import Workbench
from geo.parse import Parser
from geo.pins import OVERLAY_NAME, Pin
from geo.stories import (STORIES_ENV, free_slug, is_slug, save_story, saved_stories, slugify, stories_root,
                         story_file)
from geo.story import load_story

ARTICLE = "Storms hit Tijuana on Sunday. About 300 residents fled to Mexicali."


@pytest.fixture(scope="module")
def drafted():
    """A small drafted story and its article."""
    bench = Workbench.start(ARTICLE, Parser(), date(2025, 3, 4))
    return bench.story.model_copy(update={"title": "Storms in Baja California"}), ARTICLE


def test_slugs_are_made_from_titles_and_can_name_nothing_outside_the_folder() -> None:
    assert slugify("Storms in Baja California!") == "storms-in-baja-california"
    assert slugify("Émeutes à Bogotá — 2018") == "emeutes-a-bogota-2018"
    assert slugify("“…”") == "story" and len(slugify("word " * 40)) <= 48
    for bad in ("", "../etc", "a/b", "A", "-x", "x-", "x" * 49, "a b", "..", ".saving-1"):
        assert not is_slug(bad), bad
    assert is_slug("a") and is_slug("storms-2")


def test_the_stories_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STORIES_ENV, str(tmp_path))
    assert stories_root() == tmp_path
    monkeypatch.delenv(STORIES_ENV)
    assert stories_root().parts[-2:] == ("data", "stories")


def test_a_new_story_is_saved_whole_and_listed(tmp_path: Path, drafted) -> None:
    story, article = drafted
    pin = Pin("Tijuana", 32.53, -117.04, "city", "MX", "picked")
    path, problems = save_story(story, article, [pin], "storms", root=tmp_path)
    assert problems == [] and path == tmp_path / "storms" / "story.yaml"
    assert load_story(path).title == "Storms in Baja California"
    assert (tmp_path / "storms" / "article.txt").read_text(encoding="utf-8") == ARTICLE
    assert (tmp_path / "storms" / OVERLAY_NAME).exists()
    assert oct(os.stat(tmp_path / "storms").st_mode & 0o777) == "0o755"
    assert [(s.slug, s.title) for s in saved_stories(tmp_path)] == [("storms", "Storms in Baja California")]
    assert story_file("storms", tmp_path) == path and story_file("../storms", tmp_path) is None
    assert [p.name for p in tmp_path.iterdir()] == ["storms"], "no staging folder is left behind"


def test_a_taken_slug_is_never_overwritten_unless_asked(tmp_path: Path, drafted) -> None:
    story, article = drafted
    save_story(story, article, [], "storms", root=tmp_path)
    second, _ = save_story(story.model_copy(update={"title": "Second"}), article, [], "storms", root=tmp_path)
    assert second == tmp_path / "storms-2" / "story.yaml" and free_slug("storms", tmp_path) == "storms-3"
    again, _ = save_story(story.model_copy(update={"title": "Renamed"}), article, [], "storms", root=tmp_path,
                          replace_existing=True)
    assert again == tmp_path / "storms" / "story.yaml" and load_story(again).title == "Renamed"
    assert not (tmp_path / "storms" / OVERLAY_NAME).exists()
    with pytest.raises(ValueError):
        save_story(story, article, [], "../escape", root=tmp_path)


def test_a_story_with_problems_is_not_saved_and_each_problem_names_its_field(tmp_path: Path, drafted) -> None:
    story, article = drafted
    steps = [story.steps[0].model_copy(update={"when": "next Tuesday", "title": " "}), *story.steps[1:]]
    broken = story.model_copy(update={"title": "", "steps": steps})
    path, problems = save_story(broken, article, [], "storms", root=tmp_path)
    assert path is None and list(tmp_path.iterdir()) == []
    fields = {p.path: p for p in problems}
    assert {"title", "steps[0].title", "steps[0].when"} <= set(fields)
    assert "is not in the article" in fields["steps[0].when"].message
    assert fields["steps[0].when"].file == "storms/story.yaml" and fields["steps[0].when"].line


def test_an_unreadable_story_is_listed_under_its_slug(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "story.yaml").write_text("title: [unclosed", encoding="utf-8")
    (tmp_path / "Not-A-Slug").mkdir()
    (tmp_path / "Not-A-Slug" / "story.yaml").write_text("title: x", encoding="utf-8")
    assert [(s.slug, s.title) for s in saved_stories(tmp_path)] == [("broken", "broken")]
    assert saved_stories(tmp_path / "missing") == []
