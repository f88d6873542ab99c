"""geo.checks: the checks that keep a story faithful to the letter (issue 9), each with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.story import Problem, validate

from test_story import MINIMAL, REPO, write

BEFORE = REPO / "tests" / "fixtures" / "broken" / "seed_before_issue9.yaml"
MARCH = "A group of at least 500 migrants joined a march from their shelter in Tijuana towards the border on Sunday."
TEAR_GAS = "US border officers used tear gas to repel them."
# A valid story: one step quoting the march sentence, a count drawn at the place it names.
VALID = (
    MINIMAL.replace(TEAR_GAS, MARCH)
    .replace('mentions: ["Tijuana"]}\n', 'mentions: ["Tijuana"]}\n'
             '  - {id: mexicali, name: Mexicali, query: Mexicali, kind: city, mentions: ["Mexicali"]}\n')
    .replace("    title: One\n", '    title: At least 500 march\n    when: "on Sunday"\n')
    + "    counts:\n"
    + '      - {quote: "at least 500 migrants", place: tijuana, what: migrants, value: 500, qualifier: at least}\n'
    + "context:\n"
    + '  - {id: c, text: "A fact.", source: "A source."}\n'
)


def problems(tmp_path: Path, text: str) -> list[Problem]:
    """Every problem validate finds in this story text, beside a copy of the seed article."""
    return validate(write(tmp_path, text))[1]


def only(tmp_path: Path, text: str) -> Problem:
    """The one problem in this story text (failing if there are none or several)."""
    found = problems(tmp_path, text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_the_valid_story_is_valid(tmp_path: Path) -> None:
    assert problems(tmp_path, VALID) == []


def test_a_title_with_a_number_its_quotes_do_not_hold(tmp_path: Path) -> None:
    problem = only(tmp_path, VALID.replace("title: At least 500 march", "title: 5,000 march on the border"))
    assert (problem.path, problem.line) == ("steps[0].title", 9)
    assert "5,000 is not in the step's quotes" in problem.message
    assert str(problem).startswith(f"{tmp_path / 'story.yaml'}:9: steps[0].title: ")


def test_a_count_drawn_at_a_place_its_sentences_do_not_name(tmp_path: Path) -> None:
    problem = only(tmp_path, VALID.replace("place: tijuana, what", "place: mexicali, what"))
    assert (problem.path, problem.line) == ("steps[0].counts[0].place", 15)
    assert "'mexicali' is not named in the count's sentences" in problem.message


def test_a_count_on_a_step_that_does_not_quote_its_sentence(tmp_path: Path) -> None:
    text = VALID.replace("at least 500 migrants\", place", "almost 7,500 migrants\", place").replace(
        "value: 500, qualifier: at least", "value: 7500, qualifier: almost"
    )
    problem = only(tmp_path, text)  # the place is fine: the step's own sentence names Tijuana
    assert (problem.path, problem.line) == ("steps[0].counts[0].quote", 15)
    assert "is not in this step's sentences: put it on the step that quotes its sentence" in problem.message


@pytest.mark.parametrize("declared", [True, False])
def test_a_quote_of_the_editors_marker(tmp_path: Path, declared: bool) -> None:
    """The marker is not article content, whether the story declares it or the text ends with it."""
    text = VALID.replace(f'quotes: ["{MARCH}"]', f'quotes: ["{MARCH}", "(Excerpts from BBC)"]')
    if declared:
        text = text.replace("{publisher: BBC News}", '{publisher: BBC News, excerpt_marker: "(Excerpts from BBC)"}')
    problem = only(tmp_path, text)
    assert (problem.path, problem.line) == ("steps[0].quotes[1]", 12)
    assert "quotes the editor's marker '(Excerpts from BBC)', which is not article content" in problem.message


def test_a_quote_running_into_the_marker(tmp_path: Path) -> None:
    tail = "could have led to a “serious incident”. (Excerpts"
    problem = only(tmp_path, VALID.replace("    places: [tijuana]\n", f'    places: [tijuana]\n    note: x\n    questions: [{{kind: discuss, prompt: p, answer: a, answer_quote: "{tail}"}}]\n'))
    assert problem.path == "steps[0].questions[0].answer_quote" and "editor's marker" in problem.message


@pytest.mark.parametrize("field", ["text", "source"])
def test_an_outside_context_entry_without_its_source(tmp_path: Path, field: str) -> None:
    text = VALID.replace('text: "A fact."', 'text: " "') if field == "text" else VALID.replace('"A source."', '""')
    problem = only(tmp_path, text)
    assert (problem.path, problem.line) == (f"context[0].{field}", 17)
    assert "an outside fact is shown with its" in problem.message


def test_a_missing_context_source_is_named(tmp_path: Path) -> None:
    problem = only(tmp_path, VALID.replace(', source: "A source."', ""))
    assert (problem.path, problem.message) == ("context[0].source", "required field 'source' is missing")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ('{publisher: BBC News, headline: "Mexico will deport Central American migrants who attempted to storm the US border"}',
         "is the start of a sentence of the article, not its headline"),
        ('{publisher: BBC News, headline: "Mexico will deport central American migrants"}', "is the start of a sentence"),
        ('{publisher: BBC News, headline: "Migrant caravan: Mexico to deport group"}', "headline_source"),
        ('{publisher: BBC News, published: "2018-11-25"}', "published_source"),
    ],
)
def test_a_headline_or_date_the_text_does_not_carry(tmp_path: Path, source: str, words: str) -> None:
    problem = only(tmp_path, VALID.replace("{publisher: BBC News}", source))
    assert problem.path in ("source.headline", "source.published") and problem.line == 2
    assert words in problem.message


def test_a_headline_and_date_with_their_sources_are_fine(tmp_path: Path) -> None:
    source = ('{publisher: BBC News, headline: "Migrant caravan: Mexico to deport group", headline_source: "bbc.co.uk",'
              ' published: "2018-11-25", published_source: "a dated report"}')
    assert problems(tmp_path, VALID.replace("{publisher: BBC News}", source)) == []


def test_a_borrowed_when_must_name_its_sentence(tmp_path: Path) -> None:
    text = VALID.replace(MARCH, TEAR_GAS).replace("title: At least 500 march", "title: Tear gas").replace(
        "    counts:\n      - {quote: \"at least 500 migrants\", place: tijuana, what: migrants, value: 500, qualifier: at least}\n", ""
    )
    problem = only(tmp_path, text)
    assert (problem.path, problem.line) == ("steps[0].when", 10)
    assert "'on Sunday' is not in this step's sentences" in problem.message and "when_from" in problem.message
    borrowed = text.replace('    when: "on Sunday"\n', f'    when: "on Sunday"\n    when_from: "{MARCH}"\n')
    assert problems(tmp_path, borrowed) == []
    wrong = text.replace('    when: "on Sunday"\n', f'    when: "on Sunday"\n    when_from: "{TEAR_GAS}"\n')
    problem = only(tmp_path, wrong)
    assert problem.path == "steps[0].when_from" and "does not contain the time label 'on Sunday'" in problem.message


def test_when_from_for_a_label_the_step_says_itself_or_for_none(tmp_path: Path) -> None:
    own = VALID.replace('    when: "on Sunday"\n', f'    when: "on Sunday"\n    when_from: "{MARCH}"\n')
    problem = only(tmp_path, own)
    assert problem.path == "steps[0].when_from" and "not borrowed" in problem.message
    none = VALID.replace('    when: "on Sunday"\n', f'    when_from: "{MARCH}"\n')
    problem = only(tmp_path, none)
    assert problem.path == "steps[0].when_from" and "has no `when`" in problem.message


def test_an_attribution_for_words_the_step_does_not_show(tmp_path: Path) -> None:
    attribution = '    attributions: [{words: "“violently”", speaker: "the ministry", said: "its interior ministry said"}]\n'
    text = VALID.replace("    places: [tijuana]\n", attribution + "    places: [tijuana]\n")
    problem = only(tmp_path, text)
    assert (problem.path, problem.line) == ("steps[0].attributions[0].words", 13)
    assert "is not in this step's quotes" in problem.message


def test_the_seed_before_issue_9_fails_on_each_defect_the_checks_can_see() -> None:
    """The old seed: fake headline, uncited date, three borrowed labels, a count drawn off its sentences, the marker."""
    story, found = validate(BEFORE)
    assert story is None
    assert {(p.path, p.line) for p in found} == {
        ("source.headline", 14),
        ("source.published", 15),
        ("steps[0].when", 97),
        ("steps[3].when", 151),
        ("steps[6].when", 230),
        ("steps[6].counts[0].place", 239),
        ("steps[9].quotes[3]", 302),
    }
