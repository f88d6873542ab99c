"""The article's text: reading it, splitting it into sentences, and finding what names a place."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

from geo.model import Step, Story

# A sentence ends at . ! or ?, maybe followed by closing quotes or a bracket, then a space or
# the end of the line. Ends inside a quotation (“We aren’t criminals! We are …”) are skipped.
_END = re.compile(r"[.!?][”’\")\]]*(?=\s|$)")
_LINE = re.compile(r"[^\n]+")


def article_path(story_path: str | Path, story: Story) -> Path:
    """Where the story's article lives: its `article` field, relative to the story file."""
    return Path(story_path).parent / story.article


def load_article(story_path: str | Path, story: Story) -> str:
    """The article text of a story (UTF-8)."""
    return article_path(story_path, story).read_text(encoding="utf-8")


def sentence_spans(article: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every sentence, in article order; each line ends a sentence."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(article):
        text, base, start = line.group(), line.start(), 0
        for end in _END.finditer(text):
            if text.count("“", 0, end.end()) > text.count("”", 0, end.end()):
                continue  # still inside a quotation
            _add_span(spans, text, base, start, end.end())
            start = end.end()
        _add_span(spans, text, base, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, base: int, start: int, end: int) -> None:
    """Append text[start:end] without its surrounding spaces, unless it is blank."""
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        spans.append((base + start + lead, base + start + len(piece.rstrip())))


def sentences(article: str) -> list[str]:
    """The article split into sentences, in article order."""
    return [article[start:end] for start, end in sentence_spans(article)]


def sentence_of(article: str, quote: str) -> str:
    """The whole sentence (or run of sentences) that contains the quote's first occurrence."""
    return sentence_finder(article)(quote)


def sentence_finder(article: str) -> Callable[..., str]:
    """sentence_of for many quotes of one article: the article is split into sentences once."""
    spans = sentence_spans(article)
    ends = [end for _, end in spans]

    def find(quote: str, at: int | None = None) -> str:
        """The whole sentence (or run of sentences) containing the quote's first occurrence (or the one at `at`)."""
        at = article.find(quote) if at is None else at
        if at < 0 or not quote or article[at:at + len(quote)] != quote:
            raise ValueError(f"{quote!r} is not in the article")
        first = bisect_right(ends, at)  # the first sentence that ends after the quote starts
        if first == len(spans) or spans[first][0] >= at + len(quote):
            raise ValueError(f"{quote!r} lies between the article's sentences")
        last = first
        while last + 1 < len(spans) and spans[last + 1][0] < at + len(quote):
            last += 1
        return article[spans[first][0] : spans[last][1]]

    return find


def step_sentences(article: str, step: Step) -> list[str]:
    """The whole sentences a step quotes, in article order, each once."""
    found = {article.find(q): sentence_of(article, q) for q in step.quotes}
    return list(dict.fromkeys(found[at] for at in sorted(found)))


def names(text: str, mention: str) -> bool:
    """Whether the text names the mention as a whole word ("US" in "US-Mexican", not in "USA").

    Whole words keep adjectives apart from the place: "Central American" does not name
    "Central America", just as "Mexican" does not name "Mexico".
    """
    return re.search(rf"(?<!\w){re.escape(mention)}(?!\w)", text) is not None


def mentions(story: Story, article: str, place_id: str) -> list[str]:
    """Every sentence that names the place by one of its mentions, in article order."""
    words = story.place(place_id).mentions
    return [s for s in sentences(article) if any(names(s, word) for word in words)]
