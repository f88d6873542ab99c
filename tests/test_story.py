"""geo.story and geo.article: the seed story, the article's sentences, and broken story files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo import story as story_module
from geo.article import (
    body_sentences,
    editor_marker,
    load_article,
    mentions,
    names,
    sentence_of,
    sentence_spans,
    sentences,
    step_sentences,
)
from geo.model import Story
from geo.quantities import count_range
from geo.story import MAX_BYTES, Problem, StoryError, dump_story, load_story, save_story, validate

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "story.yaml"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
MINIMAL = """\
title: Minimal
source: {publisher: BBC News}
article: article.txt
places:
  - {id: tijuana, name: Tijuana, query: Tijuana, kind: city, mentions: ["Tijuana"]}
steps:
  - id: one
    title: One
    chrono: 1
    quotes: ["US border officers used tear gas to repel them."]
    places: [tijuana]
"""


@pytest.fixture(scope="module")
def seed() -> Story:
    """The seed story, loaded once."""
    return load_story(SEED)


@pytest.fixture(scope="module")
def article(seed: Story) -> str:
    """The seed article."""
    return load_article(SEED, seed)


def write(tmp_path: Path, text: str | bytes, name: str = "story.yaml") -> Path:
    """A story file in tmp_path next to a copy of the article."""
    shutil.copy(REPO / "data" / "article.txt", tmp_path / "article.txt")
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problems_of(path: Path) -> list[Problem]:
    """The problems load_story raises for a file (failing if it loads)."""
    with pytest.raises(StoryError) as caught:
        load_story(path)
    return caught.value.problems


# --- the seed story ------------------------------------------------------------------------


def test_seed_story_loads_with_enough_steps(seed: Story) -> None:
    """The seed is valid and has at least 8 steps with unique ids."""
    assert len(seed.steps) >= 8
    assert len({s.id for s in seed.steps}) == len(seed.steps)


def test_overview_comes_first_with_every_place(seed: Story) -> None:
    """The first step is the overview, shows all places, and has no time label (its sentence gives none)."""
    first = seed.steps[0]
    assert first.title == "The story at a glance"
    assert set(first.places) == {p.id for p in seed.places}
    assert first.when is None and first.when_from is None


def test_every_body_sentence_belongs_to_a_step(seed: Story, article: str) -> None:
    """Together the steps quote the article's whole body, each sentence in full, and never the editor's marker."""
    body = body_sentences(article, seed.source.excerpt_marker)
    covered = [s for step in seed.steps for s in step_sentences(article, step)]
    assert covered == body  # each body sentence once, in article order
    quoted = [q for step in seed.steps for q in step.quotes] + [q.answer_quote for s in seed.steps for q in s.questions]
    assert "(Excerpts from BBC)" not in " ".join(quoted)
    for step in seed.steps:
        for quote in step.quotes:
            assert sentence_of(article, quote) == quote, f"{step.id}: not a whole sentence"


def test_steps_follow_the_article_and_chrono_differs(seed: Story, article: str) -> None:
    """Steps are listed in article order; chronological order is a different one."""
    starts = [article.find(step.quotes[0]) for step in seed.steps]
    assert starts == sorted(starts)
    chrono = [s.chrono for s in seed.steps]
    assert len(set(chrono)) == len(chrono)
    assert seed.ordered("chrono") != seed.ordered("article")


def test_questions_are_answerable_from_the_article(seed: Story, article: str) -> None:
    """At least 5 questions, both kinds, each answered by a whole sentence of the article."""
    questions = [q for step in seed.steps for q in step.questions]
    assert len(questions) >= 5
    assert {q.kind for q in questions} == {"predict", "discuss"}
    for q in questions:
        assert sentence_of(article, q.answer_quote) == q.answer_quote


def test_seed_counts_and_distances_as_reported(seed: Story) -> None:
    """The article's five counts and two distances, with their qualifiers."""
    counts = {c.quote: c for step in seed.steps for c in step.counts}
    assert set(counts) == {
        "dozens of people", "almost 7,500 migrants", "at least 500 migrants", "Several hundred",
        "nearly 500 migrants",
    }
    assert count_range(counts["almost 7,500 migrants"]) == (6750, 7499)
    distances = {d.quote: d for step in seed.steps for d in step.distances}
    assert (distances["180km to the east"].start, distances["180km to the east"].end) == ("tijuana", "mexicali")
    far = distances["more than 4,000km (2,500 miles)"]
    assert (far.stated_km, far.stated_miles, far.qualifier) == (4000, 2500, "more than")
    assert all(d.note for d in distances.values())


def test_seed_context_dates_sunday_as_a_reading_with_sources(seed: Story) -> None:
    """No date or headline is made up: the text has none; "Sunday" and "earlier this week" are dated by cited reports."""
    assert (seed.source.published, seed.source.headline) == (None, None)
    assert seed.source.excerpt_marker == "(Excerpts from BBC)"
    context = {c.id: c for c in seed.context}
    assert "25 November 2018" in context["dates"].text and "no publication date" in context["dates"].text
    assert "22 November 2018" in context["threat_date"].text
    for fact in ("dates", "threat_date", "afp"):
        assert "https://" in context[fact].source, fact
    assert "schematic" in context["route"].text
    assert all(c.source.strip() for c in seed.context)
    assert seed.route[0] == "honduras" and seed.route[-1] == "tijuana"


# --- issue 9: faithful to the letter ---------------------------------------------------------


def step_of(seed: Story, step_id: str):
    """The seed's step with this id."""
    return next(step for step in seed.steps if step.id == step_id)


def test_no_title_speaks_in_the_ministrys_voice(seed: Story) -> None:
    """Titles say no more than their sentences: the deportation is the ministry's announcement, the closure lasted hours."""
    titles = [step.title for step in seed.steps]
    assert not [t for t in titles if "will deport" in t and "says it will deport" not in t]
    assert step_of(seed, "deport").title.startswith("Mexico says it will deport")
    assert step_of(seed, "closure").title == "US shuts San Ysidro for hours"


def test_nearly_500_is_the_ministrys_sunday_count_not_a_deportation(seed: Story, article: str) -> None:
    """"Nearly 500" sits on a Sunday step quoting the ministry's sentence; the deportation step has no count."""
    [holder] = [step for step in seed.steps if any(c.quote == "nearly 500 migrants" for c in step.counts)]
    assert holder.when and "Sunday" in holder.when
    assert "deport" not in holder.title.lower()
    assert any("tried to cross the border in a violent way" in q for q in holder.quotes)
    deport = step_of(seed, "deport")
    assert deport.counts == [] and not any("nearly 500" in q for q in deport.quotes)
    sunday = [s.chrono for s in seed.steps if s.when and "Sunday" in s.when]
    assert min(sunday) < holder.chrono < deport.chrono


def test_the_journey_starts_at_honduras_not_in_nicaragua(seed: Story) -> None:
    """The "from Central America" leg starts where the article says most migrants come from, and says so."""
    [leg] = step_of(seed, "journey").distances
    assert leg.start == "honduras"
    assert "Honduras" in (leg.note or "")
    assert "by road" not in (leg.note or "")


def test_counts_are_drawn_where_the_article_puts_them(seed: Story) -> None:
    """The fence counts are drawn on the border, not at the city's point; the whole-border ring says what it stands for."""
    counts = {c.quote: c for step in seed.steps for c in step.counts}
    for quote in ("dozens of people", "Several hundred"):
        assert counts[quote].place == "border_fence" and seed.place("border_fence").kind == "border"
        assert counts[quote].note
    assert "whole border" in (counts["almost 7,500 migrants"].note or "")


def test_borrowed_time_labels_name_their_sentence(seed: Story, article: str) -> None:
    """A `when` its step's sentences do not say is marked as borrowed, from a sentence that says it."""
    borrowed = {step.id for step in seed.steps if step.when_from}
    assert borrowed == {"journey", "dash", "chaparral"}
    for step in seed.steps:
        own = " ".join(step_sentences(article, step))
        if step.when is None:
            continue
        if step.when_from:
            assert step.when in step.when_from and step.when not in own, step.id
        else:
            assert step.when in own, step.id


def test_the_ministrys_words_carry_their_attribution(seed: Story, article: str) -> None:
    """Wherever "violently" and "illegally" stand without "its interior ministry said", the step says whose words they are."""
    for step in seed.steps:
        shown = " ".join(step.quotes)
        if "“violently”" in shown and "its interior ministry said" not in shown:
            [attribution] = step.attributions
            assert attribution.speaker == "Mexico’s interior ministry"
            assert sentence_of(article, attribution.said) == sentences(article)[0]
    dash = step_of(seed, "dash").questions[0]
    assert "interior ministry said" in dash.prompt


def test_outside_facts_in_answers_say_where_they_come_from(seed: Story) -> None:
    """Figures computed here are marked as such; words the article does not use are gone."""
    answers = {step.id: " ".join(q.answer for q in step.questions) for step in seed.steps}
    assert "on this map's points" in answers["waiting"].lower() and "146 km (geodesic)" in answers["waiting"]
    assert "on this map's points" in answers["journey"].lower() and "(geodesic)" in answers["journey"]
    assert "every day" not in answers["closure"]
    texts = [step.note or "" for step in seed.steps] + [d.note or "" for s in seed.steps for d in s.distances]
    assert not [t for t in texts + list(answers.values()) if "by road" in t]


def test_the_misspelt_agency_keeps_its_quote_and_gets_a_note(seed: Story) -> None:
    """"Agence France-Press" [sic] stays as the article has it; the teacher note gives the right name."""
    dash = step_of(seed, "dash")
    assert any("according to Agence France-Press news agency." in q for q in dash.quotes)
    assert "Agence France-Presse" in (dash.note or "") and "[sic]" in (dash.note or "")


# --- the article helpers -------------------------------------------------------------------


def test_sentences_split_the_article(article: str) -> None:
    """26 sentences; an exclamation inside a quotation does not end a sentence; the body leaves the marker out."""
    parts = sentences(article)
    assert len(parts) == 26
    assert parts[0].startswith("Mexico will deport") and parts[-1] == "(Excerpts from BBC)"
    assert any(p.endswith("We are hard workers!”.") for p in parts)
    assert "Several hundred managed to climb over the first barrier, according to Agence France-Press news agency." in parts
    assert body_sentences(article, "(Excerpts from BBC)") == parts[:-1]
    assert body_sentences(article, None) == parts


def test_an_ending_editors_note_is_found_without_being_declared(article: str) -> None:
    """A bracketed note with no sentence end inside, ending the text, is the editor's marker; a bracketed sentence is not."""
    assert editor_marker(article) == "(Excerpts from BBC)"
    assert editor_marker(article, "(declared)") == "(declared)"
    assert editor_marker("One sentence. (Reporting by A. N. Other)") is None  # a full stop inside: not a bare note
    assert editor_marker("One sentence.\n(Additional reporting by Jane Doe)") == "(Additional reporting by Jane Doe)"
    assert editor_marker("One sentence. (This one is the article's.)") is None


def test_sentence_of_and_mentions(seed: Story, article: str) -> None:
    """A quote's whole sentence, and place mentions as whole words, adjectives left out."""
    assert sentence_of(article, "180km to the east").startswith("They have been spending")
    with pytest.raises(ValueError):
        sentence_of(article, "not in the article")
    central = mentions(seed, article, "central_america")
    assert len(central) == 3 and central[0].startswith("Mexico will deport")  # "Central American" counts
    assert mentions(seed, article, "san_diego") == [sentence_of(article, "San Diego")]


def test_mentions_follow_one_rule_for_names_and_adjectives(seed: Story, article: str) -> None:
    """The adjective counts for Mexico as it does for the US: every sentence saying "Mexican" names Mexico."""
    mexico, us = mentions(seed, article, "mexico"), mentions(seed, article, "us")
    assert [s for s in sentences(article) if "Mexican" in s or "Mexico" in s] == mexico
    assert len(mexico) == 8 and len(us) == 13
    assert "Mexican Interior Minister Alfonso Navarrete" in " ".join(mexico)
    assert "Central American" in seed.place("central_america").mentions


# --- saving --------------------------------------------------------------------------------


def test_save_round_trips(seed: Story, tmp_path: Path) -> None:
    """save_story writes YAML that load_story reads back to the same story."""
    path = write(tmp_path, "")
    save_story(seed, path)
    assert load_story(path) == seed
    assert "&" not in path.read_text(encoding="utf-8").split("title:")[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_save_is_atomic(seed: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the old file as it was, and no temp file."""
    path = write(tmp_path, MINIMAL)

    def broken(story: Story) -> str:
        """Fail as a full disk would."""
        raise OSError("disk full")

    monkeypatch.setattr(story_module, "dump_story", broken)
    with pytest.raises(OSError):
        save_story(seed, path)
    assert path.read_text(encoding="utf-8") == MINIMAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "story.yaml"]


def test_dump_leaves_dates_and_codes_as_strings(tmp_path: Path) -> None:
    """Unquoted dates and NO/yes stay strings: the loader drops YAML 1.1's surprises."""
    text = MINIMAL.replace("publisher: BBC News}", "publisher: BBC News, published: 2018-11-26, published_source: x}")
    text = text.replace("kind: city,", "kind: city, country: NO,")
    story = load_story(write(tmp_path, text))
    assert story.source.published == "2018-11-26" and story.places[0].country == "NO"
    assert "published: '2018-11-26'" in dump_story(story)


# --- broken files --------------------------------------------------------------------------

BROKEN_CASES = [
    # file, field path, line, words the message must hold
    ("bad_yaml.yaml", "", 12, "invalid YAML"),
    ("missing_field.yaml", "steps[0].title", 7, "required field 'title' is missing"),
    ("wrong_type.yaml", "steps[0].chrono", 10, "valid integer (found str 'first')"),
    ("quote_not_in_article.yaml", "steps[0].quotes[1]", 13, "is not in the article ("),
    ("unknown_place.yaml", "steps[0].places[1]", 12, "unknown place 'atlantis'"),
    ("duplicate_id.yaml", "steps[1].id", 13, "duplicate step id 'one'"),
    ("count_without_quote.yaml", "steps[0].counts[0].quote", 14, "required field 'quote' is missing"),
    ("non_utf8.yaml", "", 1, "not UTF-8: byte 0xe9 at byte offset 10"),
    ("alias_bomb.yaml", "", 3, "anchors and aliases"),
]


@pytest.mark.parametrize(("name", "path", "line", "words"), BROKEN_CASES)
def test_broken_file_gives_a_clear_message(name: str, path: str, line: int, words: str) -> None:
    """Each broken file fails with one problem naming the file, the field path and the line."""
    file = BROKEN / name
    [problem] = problems_of(file)
    assert (problem.file, problem.path, problem.line) == (str(file), path, line)
    assert words in problem.message
    assert "broken/article.txt)" in problem.message or "article" not in words
    text = str(problem)
    assert text.startswith(f"{file}:{line}: ") and path in text and words in text


def test_every_problem_is_reported_at_once() -> None:
    """Schema errors and cross-checks come together, in file order."""
    file = BROKEN / "many_problems.yaml"
    found = {(p.path, p.line) for p in problems_of(file)}
    assert found == {
        ("source.published", 2),
        ("places[1].kind", 6),
        ("places[1].id", 6),
        ("steps[0].when", 10),
        ("steps[0].counts[0].quote", 15),
        ("steps[0].counts[0].value", 15),
        ("steps[0].counts[0].place", 15),
        ("steps[0].counts[1].quote", 16),
        ("steps[0].counts[1].qualifier", 16),
        ("steps[1].when", 19),
        ("steps[1].chrono", 20),
        ("steps[1].colour", 23),
        ("route[1]", 24),
    }
    assert "many_problems.yaml:24: route[1]: unknown place 'narnia'" in str(StoryError(problems_of(file)))


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    """A file over the size limit is refused with its size."""
    path = write(tmp_path, MINIMAL + "#" * MAX_BYTES)
    [problem] = problems_of(path)
    assert "limit" in problem.message and str(path) == problem.file


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("!!python/object/apply:os.system ['true']\n", "invalid YAML"),
        (MINIMAL + "title: Again\n", "duplicate key"),
        (MINIMAL.replace("article.txt", "missing.txt"), "cannot read the article"),
        (MINIMAL.replace("US border officers used tear gas to repel them.", "the movement's leaders"),
         "differs only in quote marks"),
        (MINIMAL + '    distances: [{start: tijuana, end: tijuana, quote: "180km to the east", stated_km: 200}]\n',
         "200 is not the figure in its quote"),
        (MINIMAL + "    distances: [{start: tijuana, end: tijuana, stated_km: 180}]\n", "needs the quote"),
    ],
)
def test_other_bad_files(tmp_path: Path, text: str, words: str) -> None:
    """Empty files, python tags, duplicate keys, a missing article, near-miss quotes, bad figures."""
    messages = [p.message for p in problems_of(write(tmp_path, text))]
    assert any(words in m for m in messages), messages


def test_minimal_story_is_valid(tmp_path: Path) -> None:
    """The template the broken files start from is itself valid."""
    assert validate(write(tmp_path, MINIMAL)) == (load_story(tmp_path / "story.yaml"), [])


def test_mentions_and_sentences_match_the_per_sentence_definition_on_a_long_article(seed: Story, article: str) -> None:
    """The one-pass lookups give what checking every sentence with names()/find() gives, long lines included."""
    long = article + "\n" + (article.replace("\n", " ") + " ") * 20  # one 75 kB line after the article
    every = sentences(long)
    for place in seed.places:
        expected = [s for s in every if any(names(s, word) for word in place.mentions)]
        assert mentions(seed, long, place.id) == expected
    spans = sentence_spans(long)
    for step in seed.steps:
        for quote in step.quotes:
            at = long.find(quote)
            cover = [(s, e) for s, e in spans if s < at + len(quote) and e > at]
            assert sentence_of(long, quote) == long[cover[0][0] : cover[-1][1]]
