"""geo.confirm: a draft confirmed by a person: readings, looked-up names, map picks, pins and table edits."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest
from geopy.distance import geodesic

from geo.confirm import (Workbench, apply_counts, apply_distances, apply_steps, count_rows, distance_rows, lookup,
                         map_choice, place_labels, step_rows, story_kind)
from geo.article import mentions, sentence_of
from geo.draft import draft_story, review_items
from geo.gazetteer import STORY_OVERLAY
from geo.parse import Parser

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = (REPO / "data" / "article.txt").read_text(encoding="utf-8")
DAY = date(2025, 3, 4)
MAINE = "Police in Portland said on Friday that 30 people were arrested near the Maine border."
SPRINGFIELD = "Honduran families reached Springfield on Monday. 40 people stayed there."


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def km(location, choice) -> float:
    """Distance between a geocoded place and a choice."""
    return geodesic((location.latitude, location.longitude), (choice.lat, choice.lon)).km


def test_the_saved_story_keeps_the_drafts_readings_where_the_name_alone_would_move(parser: Parser) -> None:
    # "Portland" beside "Maine" is Portland, Maine; the gazetteer asked for "Portland" in the US alone
    # gives Portland, Oregon. The workbench pins the draft's reading so the story shows what it read.
    bench = Workbench.start(MAINE, parser, DAY)
    where, _ = bench.positions()
    for place_id in ("portland", "maine"):
        assert km(where[place_id], bench.choices[place_id][0]) < 1, place_id
    assert where["portland"].raw["source"] == STORY_OVERLAY
    assert "Portland, Maine, United States" in bench.pins["portland"].source
    drafted = draft_story(MAINE)[0].place("portland").review
    assert bench.story.place("portland").review == drafted, "a pin keeps the draft's doubt (or its certainty) as it was"


def test_a_reading_needs_no_pin_when_the_name_and_country_give_it(parser: Parser) -> None:
    bench = Workbench.start(SEED_ARTICLE, parser, DAY)
    assert bench.pins == {}
    assert bench.sentences["tijuana"].startswith("Video footage shows dozens of people")
    assert bench.sentences["mexicali"] == mentions(bench.story, SEED_ARTICLE, "mexicali")[0]
    labels = [c.label for c in bench.choices["tijuana"]]
    assert labels[0] == "Tijuana, Baja California, Mexico"


def test_confirming_another_reading_pins_it_and_clears_the_review(parser: Parser) -> None:
    bench = Workbench.start(SPRINGFIELD, parser, DAY)
    choices = bench.choices["springfield"]
    assert bench.story.place("springfield").review and len(choices) >= 3
    illinois = next(i for i, c in enumerate(choices) if "Illinois" in c.label)
    chosen = bench.confirm("springfield", illinois, DAY)
    place = bench.story.place("springfield")
    assert not place.review and place.review_reason is None and "springfield" in bench.confirmed
    assert km(bench.positions()[0]["springfield"], chosen) < 1
    assert "Illinois" in bench.pins["springfield"].source and "2025-03-04" in bench.pins["springfield"].source
    # Back to the gazetteer's own answer for the name: the pin goes.
    default = next(i for i, c in enumerate(choices) if km(bench.positions()[0]["springfield"], c) > 1
                   and "Missouri" in c.label)
    bench.confirm("springfield", default, DAY)
    assert "springfield" not in bench.pins
    assert not any(item.where.startswith("places") for item in review_items(bench.story))


def test_a_looked_up_name_reads_its_state_and_becomes_the_query(parser: Parser) -> None:
    found = lookup("Springfield, Illinois", parser)
    assert found[0].label == "Springfield, Illinois, United States" and found[0].query == "Springfield"
    assert lookup("   ", parser) == [] and lookup("Xyzzyville", parser) == []
    bench = Workbench.start("Storms hit Tijuana on Sunday.", parser, DAY)
    index = bench.add_choices("tijuana", lookup("Mexicali", parser))
    assert bench.add_choices("tijuana", lookup("Mexicali", parser)) == index, "the same point is offered once"
    bench.confirm("tijuana", index, DAY)
    assert bench.story.place("tijuana").query == "Mexicali" and bench.pins == {}
    assert bench.story.place("tijuana").mentions == ["Tijuana"], "the article's words stay"


def test_a_point_picked_on_the_map_is_pinned_with_its_source(parser: Parser) -> None:
    bench = Workbench.start("Storms hit Tijuana on Sunday.", parser, DAY)
    picked = map_choice(32.53, -117.04 - 360, parser.gazetteer)  # Leaflet's longitude after a turn of the globe
    assert (picked.lat, picked.lon) == (32.53, -117.04) and picked.label.endswith("(1 km from El Chaparral)")
    bench.confirm("tijuana", bench.add_choices("tijuana", [picked]), DAY)
    pin = bench.pins["tijuana"]
    assert (pin.lat, pin.lon, pin.name, pin.kind) == (32.53, -117.04, "Tijuana", "city")
    assert pin.source.startswith("Chosen on the map in Story Map on 2025-03-04")
    assert bench.story.place("tijuana").kind == "city", "a click keeps the place's kind"


def test_two_places_asking_one_name_get_a_pin_each(parser: Parser) -> None:
    bench = Workbench.start("Storms hit Tijuana on Sunday. Rain fell in Mexicali.", parser, DAY)
    bench.confirm("mexicali", bench.add_choices("mexicali", lookup("Tijuana", parser)), DAY)
    assert bench.story.place("mexicali").query == "Tijuana"
    bench.confirm("mexicali", bench.add_choices("mexicali", [map_choice(32.6, -116.5, parser.gazetteer)]), DAY)
    where, _ = bench.positions()
    assert bench.story.place("mexicali").query == "Tijuana (mexicali)"
    assert (where["mexicali"].latitude, where["mexicali"].longitude) == (32.6, -116.5)
    assert km(where["tijuana"], bench.choices["tijuana"][0]) < 1, "Tijuana itself did not move"


def test_table_rows_round_trip_and_edits_land_in_the_story(parser: Parser) -> None:
    story = Workbench.start(SEED_ARTICLE, parser, DAY).story
    steps, counts, legs = step_rows(story), count_rows(story, SEED_ARTICLE), distance_rows(story, SEED_ARTICLE)
    assert apply_distances(apply_counts(apply_steps(story, steps, SEED_ARTICLE), counts), legs) == story
    assert all(row["sentence"] and row["reported"] in row["sentence"] for row in counts + legs)
    steps[1].update(title="The caravan", when="on Sunday", chrono=3.0)
    vague = next(i for i, row in enumerate(counts) if row["review"])
    counts[vague].update(review=False, place=place_labels(story)["el_chaparral"])
    legs[0].update(review=False)
    edited = apply_distances(apply_counts(apply_steps(story, steps, SEED_ARTICLE), counts), legs)
    assert (edited.steps[1].title, edited.steps[1].chrono, edited.steps[1].when) == ("The caravan", 3, "on Sunday")
    count = [c for s in edited.steps for c in s.counts][vague]
    assert count.place == "el_chaparral" and not count.review and count.review_reason is None
    assert not [d for s in edited.steps for d in s.distances][0].review
    steps[2].update(review=True, chrono=float("nan"))
    marked = apply_steps(story, steps, SEED_ARTICLE).steps[2]
    assert marked.review and marked.review_reason == "marked for review by a person" and marked.chrono is None
    with pytest.raises(ValueError, match="one row per count"):
        apply_counts(story, counts[:-1])


def test_gazetteer_kinds_become_story_kinds() -> None:
    assert [story_kind(k, "city") for k in ("admin1", "admin2", "continent", "country", "border crossing", "town")] \
        == ["region", "region", "region", "country", "border crossing", "city"]


def test_a_time_label_typed_from_another_sentence_is_borrowed_from_it(parser: Parser) -> None:
    story = Workbench.start(SEED_ARTICLE, parser, DAY).story
    rows = step_rows(story)
    own = next(i for i, step in enumerate(story.steps) if step.when and step.when in " ".join(step.quotes))
    other = next(i for i, step in enumerate(story.steps) if "earlier this week" not in " ".join(step.quotes))
    rows[other]["when"] = "earlier this week"
    rows[own]["when"] = ""
    edited = apply_steps(story, rows, SEED_ARTICLE).steps
    assert edited[other].when == "earlier this week"
    assert edited[other].when_from == sentence_of(SEED_ARTICLE, "earlier this week")
    assert (edited[own].when, edited[own].when_from) == (None, None)
