"""An article as a person brings it, pasted or uploaded (.txt, .md, .html), checked and made plain text.

Every refusal says what is wrong and what to do: an empty text, one over MAX_BYTES, binary or
non-UTF-8 bytes, control characters. HTML keeps its main text (an <article> or <main> if it has
one, without navigation, headers and footers); its markup is dropped and its scripts and styles
are removed as text, never run. Markdown keeps its words: links, emphasis and headings lose their
marks, and soft-wrapped lines join into one line per paragraph, as the sentence splitter expects.
The standard library's html.parser does the reading: no new dependency.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from geo.i18n import Message, _

MAX_BYTES = 200_000  # "200 kB": a long news article is 30-50 kB of text
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html"}
# What a file is, by its first bytes, when it is not text.
_MAGIC = (
    (b"%PDF", _("a PDF document")),
    (b"PK\x03\x04", _("a ZIP archive (a Word .docx or OpenDocument file is one)")),
    (b"\xd0\xcf\x11\xe0", _("an old Word or Excel document")),
    (b"{\\rtf", _("an RTF document")),
    (b"\x89PNG", _("a PNG image")),
    (b"\xff\xd8\xff", _("a JPEG image")),
    (b"GIF8", _("a GIF image")),
)
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


class ArticleInputError(ValueError):
    """Input that cannot become an article; the message (args[0], a Message) says what is wrong and what to do."""


@dataclass(frozen=True)
class ArticleText:
    """The article's plain text, the title its markup gave (if any), and what was dropped."""

    text: str
    title: str | None = None
    notes: list[str] = field(default_factory=list)


def _too_big(message: str, what: str, size: int) -> Message:
    """The message for a text over the limit (a msgid with {what}, {size}, {limit} and {kb})."""
    return Message(message, what=what, size=f"{size:,}", limit=f"{MAX_BYTES:,}", kb=MAX_BYTES // 1000)


def from_upload(name: str, data: bytes) -> ArticleText:
    """An uploaded file as an article; its kind comes from its name (.txt, .md, .html)."""
    shown = Message("“{name}”", name=_shown(name))
    kind = SUFFIXES.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ArticleInputError(Message("{what} is not a .txt, .md or .html file.", what=shown))
    if len(data) > MAX_BYTES:
        raise ArticleInputError(_too_big(_("{what} is {size} bytes; the limit is {limit} bytes ({kb} kB). Keep the "
                                           "part of the article you want to map, then upload it again."), shown,
                                         len(data)))
    text = _decode(data, shown)
    return _convert(text, kind, shown)


def from_paste(text: str) -> ArticleText:
    """Pasted text as an article; pasted HTML source loses its markup, as an uploaded page would."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ArticleInputError(_too_big(_("{what} is {size} bytes; the limit is {limit} bytes ({kb} kB). Keep the "
                                           "part of the article you want to map (your text is still in the box)."),
                                         Message("The text"), size))
    return _convert(text, "html" if looks_like_html(text) else "text", Message("The pasted text"))


def looks_like_html(text: str) -> bool:
    """Whether pasted text is an HTML page's source rather than an article's words."""
    start = text.lstrip()[:2000].lower()
    return start.startswith("<") and ("</" in start or start.startswith("<!doctype html"))


def _shown(name: str) -> str:
    """A file name as a message repeats it: its last part, at most 40 characters."""
    base = PurePath(name.replace("\\", "/")).name
    return base if len(base) <= 40 else base[:39] + "…"


def _decode(data: bytes, what: str) -> str:
    """UTF-8 bytes as text (a BOM dropped); refuses binary files and other encodings, saying which."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ArticleInputError(Message("{what} is {kind}, not text. Save or copy the article as plain text first.",
                                            what=what, kind=Message(kind)))
    if data.startswith(_UTF16):
        raise ArticleInputError(Message("{what} is UTF-16 text. Save it as UTF-8 (most editors offer it under "
                                        "“Save as”).", what=what))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleInputError(Message("{what} holds binary data (a zero byte at byte {offset}), not text.",
                                        what=what, offset=f"{nul:,}"))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ArticleInputError(Message(
            "{what} is not UTF-8 text: byte 0x{byte} at line {line} cannot be read. "
            "Save it as UTF-8 (most editors offer it under “Save as”).",
            what=what, byte=f"{data[error.start]:02x}", line=line)) from None


def _convert(text: str, kind: str, what: str) -> ArticleText:
    """Text of a kind as the article's plain text; checks what is left."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_controls(text, what)
    title, notes = None, []
    if kind == "html":
        text, title, dropped = html_text(text)
        notes.append(_dropped_note(what, dropped))
    elif kind == "markdown":
        text, title = markdown_text(text)
        notes.append(Message("{what}: Markdown marks dropped (links keep their words).", what=what))
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    if not text:
        empty = (_("{what} is empty: paste an article's text or upload a .txt, .md or .html file.") if kind == "text"
                 else _("{what} holds no text once its markup is dropped: paste an article's text or upload a .txt, "
                        ".md or .html file."))
        raise ArticleInputError(Message(empty, what=what))
    return ArticleText(text, title, notes)


def _refuse_controls(text: str, what: str) -> None:
    """Refuse control characters (other than tab and newline): binary data pasted or saved as text."""
    for index, char in enumerate(text):
        if char not in "\n\t" and unicodedata.category(char) == "Cc":
            line = text.count("\n", 0, index) + 1
            column = index - (text.rfind("\n", 0, index) + 1) + 1
            raise ArticleInputError(Message("{what} holds a control character (U+{code}) at line {line}, column "
                                            "{column}: is it binary data? Paste or upload the article's text.",
                                            what=what, code=f"{ord(char):04X}", line=line, column=column))


def _dropped_note(what: str, dropped: Counter) -> Message:
    """What an HTML page lost, in words."""
    scripts, styles = dropped["script"], dropped["style"]
    parts = [Message(one if n == 1 else many, count=n) for one, many, n in (
        (_("{count} script"), _("{count} scripts"), scripts),
        (_("{count} style sheet"), _("{count} style sheets"), styles)) if n]
    if not parts:
        return Message("{what}: HTML markup dropped, main text kept.", what=what)
    removed = parts[0] if len(parts) == 1 else Message("{first} and {second}", first=parts[0], second=parts[1])
    return Message("{what}: HTML markup dropped, main text kept; {removed} removed, never run.", what=what,
                   removed=removed)


# --- HTML: the main text, block by block ------------------------------------------------------

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
                   "select", "button", "head"})
_BOILERPLATE = frozenset({"nav", "header", "footer", "aside", "form", "figcaption"})
_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "section", "article", "main", "table", "tr", "td", "th", "pre", "figure",
                     "hr", "address", "header", "footer", "nav", "aside", "form", "details", "summary"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_TRACKED = _SKIP | _BOILERPLATE | {"article", "main"}  # where a block sits decides whether it is kept
_SPACES = re.compile(r"\s+")


class _MainText(HTMLParser):
    """Collects text blocks with where they sit (article, main, boilerplate); skips what is never text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []  # open elements that matter: skipped, boilerplate, article, main
        self.blocks: list[tuple[str, frozenset[str]]] = []
        self.buffer: list[str] = []
        self.dropped: Counter = Counter()
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_title = self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS or tag in _TRACKED:
            self._flush()
        if tag in ("script", "style"):
            self.dropped[tag] += 1
        if tag == "link" and any(k == "rel" and v and "stylesheet" in v.lower() for k, v in attrs):
            self.dropped["style"] += 1
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag in _TRACKED and tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS or tag in _TRACKED:
            self._flush()
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in self.open:  # close it and anything left open inside it (HTML forgives that)
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if any(tag in _SKIP for tag in self.open):
            return
        if self.in_h1:
            self.h1.append(data)
        self.buffer.append(data)

    def _flush(self) -> None:
        """End the current block of text."""
        text = _SPACES.sub(" ", "".join(self.buffer)).strip()
        self.buffer = []
        if text:
            self.blocks.append((text, frozenset(self.open)))

    def close(self) -> None:
        super().close()
        self._flush()


def html_text(html: str) -> tuple[str, str | None, Counter]:
    """An HTML page's main text (one paragraph a line), its title, and how many scripts and styles it lost."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    blocks = parser.blocks
    for region in ("article", "main"):
        inside = [text for text, where in blocks if region in where and not where & _BOILERPLATE]
        if inside:
            break
    else:
        inside = [text for text, where in blocks if not where & _BOILERPLATE] or [text for text, _ in blocks]
    title = _SPACES.sub(" ", "".join(parser.title)).strip() or _SPACES.sub(" ", "".join(parser.h1)).strip()
    return "\n".join(inside), title or None, parser.dropped


# --- Markdown: the words without the marks --------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^ {0,3}(?:([-*_])\s*(?:\1\s*){2,}|=+\s*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^ {0,3}>\s?")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images: a picture is not the article's text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [words](url) -> words
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [words][ref] -> words
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),
)


def markdown_text(markdown: str) -> tuple[str, str | None]:
    """Markdown's words, one paragraph a line (soft-wrapped lines joined), and its first heading."""
    if "<" in markdown:  # raw HTML inside Markdown: its tags and scripts go, its text and lines stay
        markdown = _strip_tags(markdown)
    paragraphs: list[str] = []
    current: list[str] = []
    title = None
    fenced = False

    def end() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            end()
            continue
        if fenced:
            paragraphs.append(line.strip())
            continue
        heading = _HEADING.match(line)
        if not line.strip() or _RULE.match(line) or _REFERENCE.match(line):
            end()
        elif heading:
            end()
            paragraphs.append(_inline(heading.group(1)))
            title = title or paragraphs[-1]
        elif _LIST.match(line) or _QUOTE.match(line):
            end()
            current.append(_inline(_LIST.sub("", _QUOTE.sub("", line)).strip()))
        else:
            current.append(_inline(line.strip()))
    end()
    return "\n".join(p for p in paragraphs if p.strip()), title


def _inline(text: str) -> str:
    """A line's words without Markdown's inline marks."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


class _TagStripper(HTMLParser):
    """Text with its HTML tags dropped (scripts and styles with their content), line breaks kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP and tag not in _VOID:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _strip_tags(text: str) -> str:
    """Text without HTML tags; scripts and styles go with their content."""
    stripper = _TagStripper()
    stripper.feed(text)
    stripper.close()
    return "".join(stripper.parts)
