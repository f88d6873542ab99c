"""geo.tables: the download rows, each carrying the sentence it comes from."""

from __future__ import annotations

import csv
import io

import pytest
from geopy.location import Location
from geopy.point import Point

from geo.article import load_article, sentence_of
from geo.story import load_story
from geo.tables import (
    citation,
    count_row,
    counts_csv,
    place_row,
    places_csv,
    places_geojson,
    source_row,
    step_row,
    steps_csv,
    to_csv,
)

from browser import REPO

STORY_PATH = REPO / "data" / "story.yaml"
STORY = load_story(STORY_PATH)
ARTICLE = load_article(STORY_PATH, STORY)
# Fixed positions: the tables must not depend on the gazetteer.
POSITIONS = {
    place.id: Location(place.name, Point(10 + i, -100 + i), {"source": "test", "matched": place.query, "citation": "unit test"})
    for i, place in enumerate(STORY.places)
}


def rows(text: str) -> list[dict[str, str]]:
    """CSV text as dicts."""
    return list(csv.DictReader(io.StringIO(text)))


def test_places_geojson_has_every_place_in_lon_lat_order_with_its_sentences():
    collection = places_geojson(STORY, ARTICLE, POSITIONS)
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in collection["features"]] == [p.id for p in STORY.places]
    tijuana = next(f for f in collection["features"] if f["properties"]["id"] == "tijuana")
    location = POSITIONS["tijuana"]
    assert tijuana["geometry"]["coordinates"] == [location.longitude, location.latitude]
    assert all(s in ARTICLE for s in tijuana["properties"]["sentences"])
    assert tijuana["properties"]["sentence"] == tijuana["properties"]["sentences"][0]


def test_a_place_without_a_position_is_left_out_of_the_geojson_but_kept_in_the_csv():
    partial = {pid: loc for pid, loc in POSITIONS.items() if pid != "mexicali"}
    assert "mexicali" not in {f["properties"]["id"] for f in places_geojson(STORY, ARTICLE, partial)["features"]}
    mexicali = next(r for r in rows(places_csv(STORY, ARTICLE, partial)) if r["id"] == "mexicali")
    assert mexicali["lat"] == "" and mexicali["sentence"] in ARTICLE


def test_every_places_csv_row_carries_a_sentence_from_the_article():
    table = rows(places_csv(STORY, ARTICLE, POSITIONS))
    assert len(table) == len(STORY.places)
    for row in table:
        assert row["sentence"] and row["sentence"] in ARTICLE, row["id"]


@pytest.mark.parametrize("order", ["article", "chrono"])
def test_steps_csv_follows_the_order_and_every_row_carries_its_sentences(order):
    table = rows(steps_csv(STORY, ARTICLE, order))
    assert [r["id"] for r in table] == [s.id for s in STORY.ordered(order)]
    assert [r["number"] for r in table] == [str(n) for n in range(1, len(table) + 1)]
    for row, step in zip(table, STORY.ordered(order)):
        for quote in step.quotes:
            assert sentence_of(ARTICLE, quote) in row["sentences"]


def test_counts_csv_has_every_count_with_its_range_and_sentence():
    table = rows(counts_csv(STORY, ARTICLE))
    expected = [c for s in STORY.steps for c in s.counts]
    assert [r["reported"] for r in table] == [c.quote for c in expected]
    almost = next(r for r in table if r["reported"] == "almost 7,500 migrants")
    assert (almost["low"], almost["high"]) == ("6750", "7499")
    at_least = next(r for r in table if r["reported"] == "at least 500 migrants")
    assert (at_least["low"], at_least["high"]) == ("500", ""), "an open-ended count has no upper end"
    assert almost["sentence"] == sentence_of(ARTICLE, "almost 7,500 migrants")


def test_story_text_that_a_spreadsheet_would_run_is_defused_but_numbers_are_not():
    text = to_csv([{"name": "=HYPERLINK(\"http://x\")", "lon": -117.0, "note": "@SUM(A1)", "plain": "ok"}])
    row = rows(text)[0]
    assert row["name"].startswith("'=") and row["note"].startswith("'@")
    assert row["lon"] == "-117.0" and row["plain"] == "ok"


def test_step_rows_mark_a_borrowed_time_label_and_carry_whose_words_the_quotes_are():
    by_id = {step.id: step_row(STORY, ARTICLE, step) for step in STORY.steps}
    assert by_id["overview"]["when"] is None and by_id["overview"]["when_label"] == ""
    journey = by_id["journey"]
    assert journey["when_borrowed"] and journey["when_label"] == "“over the past weeks” (borrowed from another sentence)"
    assert journey["when_from"] == sentence_of(ARTICLE, "since the arrival of almost 7,500 migrants")
    arrival = by_id["arrival"]
    assert not arrival["when_borrowed"] and arrival["when_label"] == "“over the past weeks”" and arrival["when_from"] == ""
    [attribution] = by_id["rush"]["attributions"]
    assert attribution["label"] == (
        "“violently” and “illegally”: the words of Mexico’s interior ministry (the article: “its interior ministry said”)"
    )
    assert attribution["sentence"] == sentence_of(ARTICLE, "its interior ministry said")
    table = {r["id"]: r for r in rows(steps_csv(STORY, ARTICLE))}
    assert table["rush"]["attributions"] == attribution["label"] and table["journey"]["when_borrowed"] == "True"


def test_count_rows_say_what_the_point_stands_for_and_place_rows_the_words_counted():
    counts = {c.quote: count_row(STORY, ARTICLE, c) for s in STORY.steps for c in s.counts}
    assert "whole border" in counts["almost 7,500 migrants"]["place_note"]
    assert counts["at least 500 migrants"]["place_note"] == ""
    assert counts["dozens of people"]["place"] == "Border fence near Tijuana"
    mexico = place_row(STORY, ARTICLE, POSITIONS, "mexico")
    assert mexico["mentions"] == ["Mexico", "Mexican"] and len(mexico["sentences"]) == 8


def test_the_citation_makes_up_no_headline_or_date():
    line = citation(STORY)
    assert line.startswith("BBC News, excerpts (marked “(Excerpts from BBC)”).")
    assert "No headline or date in the text." in line
    assert "storm the US border" not in line  # the opening sentence is not the headline
    assert source_row(STORY)["citation"] == line and source_row(STORY)["headline"] is None
    cited = STORY.model_copy(
        update={"source": STORY.source.model_copy(update={"headline": "H", "headline_source": "S", "published": "2018-11-25"})}
    )
    assert citation(cited).startswith("BBC News, “H”, excerpts (marked “(Excerpts from BBC)”), 2018-11-25.")
    assert "No " not in citation(cited)
