"""Load, validate and save a story file; every problem names the file, the field path and the line.

Validation runs in four passes and reports everything it finds at once:
1. reading (geo.yamlfile): size limit, UTF-8 with the byte offset, YAML syntax, duplicate keys;
   anchors and aliases are refused outright, so an alias bomb never expands;
2. the schema: `Story.model_validate(..., strict=True)` (pydantic), each error mapped back to the
   line of the offending field;
3. cross-checks (geo.checks) on the raw data, so they run even when the schema fails: quotes in
   the article's body, place references, unique ids and chrono values, counts and distances and
   where they are drawn, title numbers, borrowed time labels, attributions, and sources for
   whatever the text does not carry;
4. the story's own points (geo.pins, story_overlay.csv beside the file), if it has any.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geo.article import read_article
from geo.checks import cross_checks, short
from geo.i18n import Message
from geo.atomic import write_atomically
from geo.model import Story
from geo.pins import overlay_path, read_pins
from geo.safefile import FileRefused
from geo.yamlfile import MAX_BYTES, YamlFileError, dump_yaml, line_of, read_yaml

__all__ = ["MAX_BYTES", "Problem", "StoryError", "dump_story", "load_story", "save_story", "validate"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a story file, located as precisely as possible."""

    file: str
    path: str  # field path, e.g. "steps[3].counts[0].quote"; "" for the whole file
    line: int | None  # 1-based
    message: str  # a geo.i18n Message where the words are ours (a page shows it in the reader's language)

    def __str__(self) -> str:
        """`file:line: path: message`, leaving out the parts that are unknown."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return ": ".join(part for part in (where, self.path, self.message) if part)


class StoryError(Exception):
    """A story file that cannot be used; `.problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems; the message lists them one a line."""
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__("\n".join([count, *(str(p) for p in problems)]))


def _dotted(loc: tuple[Any, ...]) -> str:
    """A pydantic location as a field path: ('steps', 3, 'quote') -> 'steps[3].quote'."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _schema_problems(data: Any, lines: dict[str, int], name: str) -> tuple[Story | None, list[Problem]]:
    """The validated story, or the schema errors as problems."""
    try:
        return Story.model_validate(data, strict=True), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            path = _dotted(error["loc"])
            problems.append(Problem(name, path, line_of(lines, path), _schema_message(error)))
        return None, problems


def _schema_message(error: Any) -> str:
    """A pydantic error in plain words, with what was found when it helps."""
    kind, field = error["type"], str(error["loc"][-1]) if error["loc"] else "story"
    if kind == "missing":
        return Message("required field {field} is missing", field=repr(field))
    if kind == "extra_forbidden":
        return Message("unknown field {field}", field=repr(field))
    found = error.get("input")
    # pydantic's own words (error["msg"]) stay in English.
    return Message("{error} (found {kind} {value})", error=error["msg"], kind=type(found).__name__,
                   value=short(repr(found)))


def _read_article(data: Any, story_path: Path) -> tuple[str | None, str, list[tuple[str, str]]]:
    """The article text (None if unusable), its display path, and (path, message) if unusable."""
    ref = data.get("article", "article.txt") if isinstance(data, dict) else "article.txt"
    if not isinstance(ref, str):
        return None, "", []  # the schema reports the wrong type
    shown = short(str(story_path.parent / ref), 200)
    try:
        return read_article(story_path, ref), shown, []
    except FileRefused as exc:  # out of the folder, not a regular file, too big, not UTF-8
        return None, shown, [("article", Message("cannot use the article: {reason}", reason=str(exc)))]
    except OSError as exc:
        return None, shown, [("article", Message("cannot read the article {path}: {reason}", path=shown,
                                                 reason=exc.strerror or str(exc)))]


def validate(path: str | Path) -> tuple[Story | None, list[Problem]]:
    """The story (None unless the file is free of problems) and every problem found in it."""
    path, name = Path(path), str(path)
    try:
        data, lines = read_yaml(path)
    except YamlFileError as exc:
        return None, [Problem(name, where, line, message) for where, line, message in exc.findings]
    story, problems = _schema_problems(data, lines, name)
    article, article_name, unreadable = _read_article(data, path)
    findings = [*unreadable, *cross_checks(data, article, article_name)]
    problems += [Problem(name, where, line_of(lines, where), message) for where, message in findings]
    # Report in file order, so a reader fixes them top to bottom.
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    overlay = overlay_path(path)
    problems += [Problem(str(overlay), column, line, message) for line, column, message in read_pins(overlay)[1]]
    return (story if not problems else None), problems


def load_story(path: str | Path) -> Story:
    """A valid story from a YAML file; StoryError lists every problem at once."""
    story, problems = validate(path)
    if problems or story is None:
        raise StoryError(problems)
    return story


def dump_story(story: Story) -> str:
    """The story as YAML text, fields in model order, defaults left out."""
    data = story.model_dump(mode="json", exclude_defaults=True)
    return dump_yaml(data)


def save_story(story: Story, path: str | Path) -> None:
    """Write the story as YAML atomically (a killed save leaves the old file whole)."""
    write_atomically(Path(path), dump_story(story).encode("utf-8"))
