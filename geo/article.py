"""The article's text: reading it, splitting it into sentences, and finding what names a place."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from geo.i18n import _
from geo.model import Step, Story
from geo.safefile import FileRefused, inside, read_bounded

# 200 kB is ~30,000 words, a long feature; the limit keeps a reader's wait bounded (everything
# below is linear in the article's size) and a device or a huge file out.
MAX_ARTICLE_BYTES = 200_000
# A sentence ends at . ! or ?, maybe followed by closing quotes or a bracket, then a space or
# the end of the line. Ends inside a quotation (“We aren’t criminals! We are …”) are skipped.
_END = re.compile(r"[.!?][”’\")\]]*(?=\s|$)")
_LINE = re.compile(r"[^\n]+")
# An editor's note ending a text: one bracketed sentence with no sentence end inside, e.g.
# "(Excerpts from BBC)" or "(Reporting by …)"; a bracketed sentence of the article ends in ".)".
_ENDING_NOTE = re.compile(r"[(\[][^()\[\].!?]*[)\]]")

# How "named in N sentences" is counted, in words for the screen; names() and mentions() do it,
# and each place's `mentions` in the story lists its words by this rule.
MENTION_RULE = _(
    "A sentence names a place when it contains, as a whole word, one of the words the story lists for "
    "it: the place's name, the adjective made from it (“Mexico” and “Mexican”, “Central America” and "
    "“Central American”; “US” is both), or the article's own words for it (“border fence”, "
    "“first barrier”). Each sentence counts once; a bare “the border” counts for no place."
)


def article_path(story_path: str | Path, story: Story) -> Path:
    """Where the story's article lives: its `article` field, a path inside the story's folder."""
    return inside(Path(story_path).parent, story.article, "article")


def read_article(story_path: str | Path, reference: str) -> str:
    """The text of the article a story names; FileRefused (an OSError) says why it cannot be used."""
    path = inside(Path(story_path).parent, reference, "article")
    raw = read_bounded(path, MAX_ARTICLE_BYTES)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"{path} is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def load_article(story_path: str | Path, story: Story) -> str:
    """The article text of a story (UTF-8, inside the story's folder, at most MAX_ARTICLE_BYTES)."""
    return read_article(story_path, story.article)


def sentence_spans(article: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every sentence, in article order; each line ends a sentence."""
    return list(_spans(article))


@lru_cache(maxsize=8)
def _spans(article: str) -> tuple[tuple[int, int], ...]:
    """sentence_spans, computed once per article text: every caller asks about the same article."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(article):
        text, base, start = line.group(), line.start(), 0
        opened = checked = 0  # quotation marks opened minus closed in text[:checked]
        for end in _END.finditer(text):
            opened += text.count("“", checked, end.end()) - text.count("”", checked, end.end())
            checked = end.end()
            if opened > 0:
                continue  # still inside a quotation
            _add_span(spans, text, base, start, end.end())
            start = end.end()
        _add_span(spans, text, base, start, len(text))
    return tuple(spans)


@lru_cache(maxsize=8)
def _span_ends(article: str) -> list[int]:
    """The end offset of every sentence, ascending, for bisecting."""
    return [end for _, end in _spans(article)]


def _add_span(spans: list[tuple[int, int]], text: str, base: int, start: int, end: int) -> None:
    """Append text[start:end] without its surrounding spaces, unless it is blank."""
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        spans.append((base + start + lead, base + start + len(piece.rstrip())))


def paragraph_numbers(article: str) -> list[int]:
    """The 0-based paragraph (line) of every sentence, in sentence_spans order, in one pass."""
    numbers, line, counted = [], 0, 0
    for start, _ in _spans(article):
        line += article.count("\n", counted, start)
        counted = start
        numbers.append(line)
    return numbers


def sentences(article: str) -> list[str]:
    """The article split into sentences, in article order."""
    return [article[start:end] for start, end in sentence_spans(article)]


def sentence_of(article: str, quote: str) -> str:
    """The whole sentence (or run of sentences) that contains the quote's first occurrence."""
    at = article.find(quote)
    if at < 0 or not quote:
        raise ValueError(f"{quote!r} is not in the article")
    first, last = _covering(article, at, at + len(quote))
    spans = _spans(article)
    return article[spans[first][0] : spans[last][1]]


def _covering(article: str, start: int, end: int) -> tuple[int, int]:
    """Indices of the first and last sentence overlapping article[start:end]."""
    spans = _spans(article)
    first = bisect_right(_span_ends(article), start)  # the first sentence ending after `start`
    if first == len(spans) or spans[first][0] >= end:
        raise ValueError(f"{article[start:end]!r} is not inside a sentence")
    last = first
    while last + 1 < len(spans) and spans[last + 1][0] < end:
        last += 1
    return first, last


def editor_marker(article: str, declared: str | None = None) -> str | None:
    """The editor's marker in the text: the one the story declares, else a bracketed note ending it."""
    if declared:
        return declared
    spans = sentence_spans(article)
    last = article[spans[-1][0] : spans[-1][1]] if spans else ""
    return last if _ENDING_NOTE.fullmatch(last) else None


def marker_spans(article: str, marker: str | None) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the editor's marker, e.g. "(Excerpts from BBC)"."""
    if not marker:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(marker), article)]


def _clear_of(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether text[start:end] overlaps none of the spans."""
    return all(span_end <= start or span_start >= end for span_start, span_end in spans)


def in_body(article: str, quote: str, marker: str | None) -> bool:
    """Whether the quote's first occurrence is article content, clear of the editor's marker."""
    at = article.find(quote)
    return at < 0 or _clear_of(at, at + len(quote), marker_spans(article, marker))


def body_sentences(article: str, marker: str | None) -> list[str]:
    """The article's sentences without the editor's marker: the text a story may quote."""
    spans = marker_spans(article, marker)
    return [article[s:e] for s, e in sentence_spans(article) if _clear_of(s, e, spans)]


def step_sentences(article: str, step: Step) -> list[str]:
    """The whole sentences a step quotes, in article order, each once."""
    found = {article.find(q): sentence_of(article, q) for q in step.quotes}
    return list(dict.fromkeys(found[at] for at in sorted(found)))


def names(text: str, mention: str) -> bool:
    """Whether the text names the mention as a whole word ("US" in "US-Mexican", not in "USA").

    Whole words: "Central America" is not found in "Central American", so a place whose
    adjective counts (MENTION_RULE) lists the adjective among its mentions.
    """
    return re.search(rf"(?<!\w){re.escape(mention)}(?!\w)", text) is not None


def mentions(story: Story, article: str, place_id: str) -> list[str]:
    """Every sentence that names the place by one of its mentions, in article order."""
    spans = _spans(article)
    found = {at for word in story.place(place_id).mentions for at in _naming(article, word)}
    return [article[spans[at][0] : spans[at][1]] for at in sorted(found)]


@lru_cache(maxsize=256)
def _naming(article: str, mention: str) -> frozenset[int]:
    """Indices of the sentences that name `mention` as a whole word: one pass over the article."""
    spans, ends = _spans(article), _span_ends(article)
    found = set()
    for match in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", article):
        at = bisect_right(ends, match.start())
        if at < len(spans) and spans[at][0] <= match.start() and match.end() <= spans[at][1]:
            found.add(at)  # only a match inside one sentence counts, as `names` on each sentence did
    return frozenset(found)
