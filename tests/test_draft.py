"""geo.draft and geo.facts: a valid story drafted from any article; the seed article drafts well."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from geopy.distance import geodesic

from geo.draft import DraftError, draft_story, write_story_folder
from geo.facts import counts, distances, time_phrases
from geo.geocoding import locate_places, make_chain
from geo.gazetteer import Gazetteer
from geo.parse import Parser
from geo.story import load_story, validate

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = (REPO / "data" / "article.txt").read_text(encoding="utf-8")
TOLERANCE_KM = 5.0  # the hand-made story's positions are pinned to ±0.05° (tests/test_gazetteer.py)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser()


@pytest.fixture(scope="module")
def seed_draft(parser: Parser):
    return draft_story(SEED_ARTICLE, parser)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_counts_numbers_and_vague_words() -> None:
    found = counts("Almost 7,500 migrants came; at least 500 young men marched, dozens of people ran "
                   "and several hundred climbed. In 2015 police said 12 km was far.")
    assert [(f.quote, f.qualifier, f.value, f.what) for f in found] == [
        ("Almost 7,500 migrants", "almost", 7500, "migrants"),
        ("at least 500 young men", "at least", 500, "men"),
        ("dozens of people", "dozens", None, "people"),
        ("several hundred", "several hundred", None, "people"),
    ]


def test_distances_with_both_units_and_direction() -> None:
    found = distances("for more than 4,000km (2,500 miles) and in Mexicali, 180km to the east, 3 miles away")
    assert [(f.quote, f.qualifier, f.value, f.what, f.value2, f.unit2) for f in found] == [
        ("more than 4,000km (2,500 miles)", "more than", 4000, "km", 2500, "miles"),
        ("180km to the east", "", 180, "km", None, ""),
        ("3 miles", "", 3, "miles", None, ""),
    ]


def test_time_phrases_are_ranked_past_first() -> None:
    text = "Earlier this week he spoke; on Sunday they marched after arriving over the past weeks. They leave immediately."
    found = [(f.quote, rank) for f, rank in time_phrases(text)]
    assert found == [("Earlier this week", 3), ("on Sunday", 5), ("over the past weeks", 1), ("immediately", 7)]


def test_the_seed_article_finds_the_11_places_where_the_story_puts_them(seed_draft) -> None:
    drafted, _ = seed_draft
    hand = load_story(REPO / "data" / "story.yaml")
    chain = make_chain(Gazetteer())
    hand_at, _ = locate_places(hand, chain=chain)
    drafted_at, _ = locate_places(drafted, chain=chain)
    by_mention = {m: p.id for p in drafted.places for m in p.mentions}
    checked = 0
    for place in hand.places:
        if place.kind == "border":
            continue  # a border or its fence is no name the recogniser looks for; the 11 named places are
        ident = next(by_mention[m] for m in place.mentions if m in by_mention)
        a, b = hand_at[place.id], drafted_at[ident]
        assert geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).km < TOLERANCE_KM, place.id
        checked += 1
    assert checked == 11


def test_the_seed_counts_and_the_180_km_claim(seed_draft) -> None:
    drafted, _ = seed_draft
    found = {c.quote: c for step in drafted.steps for c in step.counts}
    assert {q: (c.qualifier, c.value) for q, c in found.items()} == {
        "dozens of people": ("dozens", None), "almost 7,500 migrants": ("almost", 7500),
        "at least 500 migrants": ("at least", 500), "Several hundred": ("several hundred", None),
        "nearly 500 migrants": ("nearly", 500)}
    assert found["dozens of people"].place == "tijuana" and found["nearly 500 migrants"].place == "el_chaparral"
    assert found["Several hundred"].review and "no place" in found["Several hundred"].review_reason
    legs = {d.quote: d for step in drafted.steps for d in step.distances}
    assert (legs["180km to the east"].start, legs["180km to the east"].end, legs["180km to the east"].stated_km) \
        == ("tijuana", "mexicali", 180)


def test_seed_steps_follow_the_article_with_times_and_honest_titles(seed_draft) -> None:
    drafted, _ = seed_draft
    quotes = [q for step in drafted.steps for q in step.quotes]
    assert [SEED_ARTICLE.find(q) for q in quotes] == sorted(SEED_ARTICLE.find(q) for q in quotes)
    assert {step.when for step in drafted.steps} >= {"on Sunday", "over the past weeks", "earlier this week"}
    for step in drafted.steps:
        assert step.title.rstrip("…") in step.quotes[0]  # a title never says more than its sentence
    by_when = {step.when: step.chrono for step in drafted.steps}
    assert by_when["over the past weeks"] < by_when["earlier this week"] < by_when["on Sunday"]
    assert sorted(step.chrono for step in drafted.steps) == list(range(1, len(drafted.steps) + 1))


def test_demonyms_are_no_places_and_ambiguity_is_marked(parser: Parser) -> None:
    story, review = draft_story("Honduran families reached Springfield on Monday. 40 people stayed there.", parser)
    assert [p.name for p in story.places] == ["Springfield"]
    place = story.places[0]
    assert place.review and place.review_reason.startswith("ambiguous")
    assert any(item.where == "places[0]" for item in review)
    assert story.steps[0].counts[0].place == place.id and story.steps[0].when == "on Monday"


def test_bad_articles_say_why(parser: Parser) -> None:
    with pytest.raises(DraftError, match="empty"):
        draft_story("  \n", parser)
    with pytest.raises(DraftError, match="names no place"):
        draft_story("Nothing happened here at all.", parser)


def test_the_draft_makes_up_no_headline_quotes_no_marker_and_names_borrowed_labels(seed_draft) -> None:
    """Issue 9's rules hold for drafts too: the first sentence is no headline, the editor's marker no
    sentence, and a time label kept from an earlier step names the sentence it comes from."""
    drafted, _ = seed_draft
    assert drafted.source.headline is None and drafted.source.excerpt_marker == "(Excerpts from BBC)"
    assert not any("(Excerpts from BBC)" in quote for step in drafted.steps for quote in step.quotes)
    borrowed = [step for step in drafted.steps if step.when_from]
    assert borrowed
    for step in borrowed:
        assert step.when in step.when_from and not any(step.when in quote for quote in step.quotes), step.id


def test_a_drafted_folder_passes_check(tmp_path: Path, seed_draft, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.__main__ import main

    drafted, _ = seed_draft
    path = write_story_folder(tmp_path / "seed", drafted, SEED_ARTICLE)
    assert (tmp_path / "seed" / "article.txt").read_text(encoding="utf-8") == SEED_ARTICLE
    assert validate(path)[1] == []
    assert main(["check", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


def test_the_draft_command_writes_story_and_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.__main__ import main

    article = tmp_path / "in.txt"
    article.write_text("Storms hit Tijuana on Sunday. About 300 residents fled to Mexicali.", encoding="utf-8")
    out = tmp_path / "new" / "story.yaml"
    assert main(["draft", str(article), "-o", str(out)]) == 0
    assert "places" in capsys.readouterr().out
    story = load_story(out)
    assert story.article == "article.txt" and {p.id for p in story.places} == {"tijuana", "mexicali"}
    other = tmp_path / "other.txt"
    other.write_text("Rain in Mexicali.", encoding="utf-8")
    assert main(["draft", str(other), "-o", str(out)]) == 1  # would replace a different article.txt
    assert "--force" in capsys.readouterr().err
