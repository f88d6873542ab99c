"""Load, validate and save a story file; every problem names the file, the field path and the line.

Validation runs in three passes and reports everything it finds at once:
1. reading: size limit, UTF-8 (with the byte offset), YAML syntax; anchors and aliases are
   refused outright, so an alias bomb never expands;
2. the schema: `Story.model_validate(..., strict=True)` (pydantic), each error mapped back to the
   line of the offending field;
3. cross-checks on the raw data, so they run even when the schema fails: quotes are exact
   substrings of the article, place references exist, ids are unique, counts fit
   geo.quantities, and `chrono` values are unique (ties would leave "chronological order" to
   chance; gaps are fine).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from geo.model import Story
from geo.quantities import QuantityError, quantity_range

MAX_BYTES = 1_000_000  # a story is a few kB; anything near this is a mistake or an attack


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a story file, located as precisely as possible."""

    file: str
    path: str  # field path, e.g. "steps[3].counts[0].quote"; "" for the whole file
    line: int | None  # 1-based
    message: str

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


# --- reading -------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, minus anchors and aliases and minus YAML 1.1's surprises.

    Dates stay strings (`published: 2018-11-26`), and only true/false are booleans, so a
    country code like NO stays "NO".
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias or an anchor before it is composed, so nothing ever expands."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="YAML anchors and aliases (&name, *name) are not allowed in a story file",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "yYnNoO":  # YAML 1.1 also reads yes/no/on/off as booleans; keep only true/false
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx) for tag, rx in _Loader.yaml_implicit_resolvers.get(_first, [])
        if tag != "tag:yaml.org,2002:bool"
    ]


def _read_text(path: Path, name: str) -> str:
    """The file's text, or StoryError for a missing, oversized or non-UTF-8 file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StoryError([Problem(name, "", None, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")])
        raw = path.read_bytes()
    except OSError as exc:
        raise StoryError([Problem(name, "", None, f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte offset {exc.start} (save the file as UTF-8)"
        raise StoryError([Problem(name, "", line, message)]) from None


def _parse(text: str, name: str) -> tuple[Any, dict[str, int]]:
    """The YAML data and a map from field path to 1-based line; StoryError on bad YAML."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise StoryError([Problem(name, "", None, "the file is empty")])
        lines: dict[str, int] = {}
        problems = list(_index(node, "", lines, name))
        if problems:
            raise StoryError(problems)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        raise StoryError([_yaml_problem(exc, name)]) from None
    except yaml.YAMLError as exc:
        raise StoryError([Problem(name, "", None, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    """A YAML error at the line where the parser gave up, naming where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    message = ": ".join(str(part) for part in (exc.context, exc.problem) if part) or "unreadable"
    if exc.context_mark and mark and exc.context_mark.line != mark.line:
        message += f" (it began on line {exc.context_mark.line + 1})"
    return Problem(name, "", mark.line + 1 if mark else None, f"invalid YAML: {message}")


def _index(node: yaml.Node, path: str, lines: dict[str, int], name: str) -> Iterator[Problem]:
    """Record each field's line under its path; yield duplicate keys, which YAML would hide."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            if key.value in seen:
                yield Problem(name, child, key.start_mark.line + 1, "duplicate key (YAML keeps only the last)")
            seen.add(key.value)
            lines[child] = key.start_mark.line + 1  # the line of "key:", where a reader looks
            yield from _index(value, child, lines, name)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _index(item, f"{path}[{i}]", lines, name)


def _line(lines: dict[str, int], path: str) -> int | None:
    """The line of a path, or of its nearest ancestor that exists (e.g. for a missing field)."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)


# --- the schema ----------------------------------------------------------------------------


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
            problems.append(Problem(name, path, _line(lines, path), _schema_message(error)))
        return None, problems


def _schema_message(error: Any) -> str:
    """A pydantic error in plain words, with what was found when it helps."""
    kind, field = error["type"], str(error["loc"][-1]) if error["loc"] else "story"
    if kind == "missing":
        return f"required field {field!r} is missing"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    found = error.get("input")
    return f"{error['msg']} (found {type(found).__name__} {_short(repr(found))})"


def _short(text: str, limit: int = 70) -> str:
    """Text cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- cross-checks on the raw data ----------------------------------------------------------


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in data[key], tolerating any wrong shape."""
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(data: dict[str, Any], key: str) -> list[tuple[int, str]]:
    """(index, string) for each string in the list data[key]."""
    value = data.get(key)
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []


def _quotes(data: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every field that must be an exact substring of the article."""
    for p, place in _items(data, "places"):
        for m, mention in _strings(place, "mentions"):
            yield f"places[{p}].mentions[{m}]", mention
    for s, step in _items(data, "steps"):
        at = f"steps[{s}]"
        if isinstance(step.get("when"), str):
            yield f"{at}.when", step["when"]
        for q, quote in _strings(step, "quotes"):
            yield f"{at}.quotes[{q}]", quote
        for field in ("counts", "distances", "questions"):
            key = "answer_quote" if field == "questions" else "quote"
            for i, item in _items(step, field):
                if isinstance(item.get(key), str):
                    yield f"{at}.{field}[{i}].{key}", item[key]


def _place_refs(data: Any) -> Iterator[tuple[str, Any]]:
    """(path, place id) of every reference to a place."""
    for s, step in _items(data, "steps"):
        for i, ref in _strings(step, "places"):
            yield f"steps[{s}].places[{i}]", ref
        for c, count in _items(step, "counts"):
            yield f"steps[{s}].counts[{c}].place", count.get("place")
        for d, dist in _items(step, "distances"):
            yield f"steps[{s}].distances[{d}].start", dist.get("start")
            yield f"steps[{s}].distances[{d}].end", dist.get("end")
    for r, ref in _strings(data if isinstance(data, dict) else {}, "route"):
        yield f"route[{r}]", ref


def _quote_message(quote: str, article: str, article_name: str) -> str | None:
    """Why a quote is not usable, with a hint when it differs only in quote marks or case."""
    if not quote.strip():
        return "is empty; it must quote the article"
    if quote in article:
        return None
    message = f'"{_short(quote)}" is not in the article ({article_name})'
    if _plain(quote) in _plain(article):
        message += "; it differs only in quote marks, spaces or case: copy it from the article"
    return message


def _plain(text: str) -> str:
    """Text with straight quotes, single spaces and lower case, for the near-miss hint."""
    text = text.translate(str.maketrans("“”‘’", "\"\"''"))
    return re.sub(r"\s+", " ", text).lower()


def _duplicates(data: Any, key: str, what: str) -> Iterator[tuple[str, str]]:
    """(path, message) for each id under data[key] that an earlier entry already used."""
    first: dict[Any, str] = {}
    for i, item in _items(data, key):
        ident, path = item.get("id"), f"{key}[{i}].id"
        if isinstance(ident, str) and ident in first:
            yield path, f"duplicate {what} id {ident!r} (first used at {first[ident]})"
        first.setdefault(ident, path)


def _count_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for counts whose qualifier or value do not fit geo.quantities or the quote."""
    for s, step in _items(data, "steps"):
        for c, count in _items(step, "counts"):
            at, qualifier, value = f"steps[{s}].counts[{c}]", count.get("qualifier", ""), count.get("value")
            if not isinstance(qualifier, str) or not (value is None or type(value) is int):
                continue  # the schema reports the wrong type
            try:
                quantity_range(qualifier, value)
            except QuantityError as exc:
                yield f"{at}.qualifier", str(exc)
                continue
            quote = count.get("quote")
            if isinstance(quote, str) and quote.strip():
                yield from _figure_in_quote(at, quote, qualifier, value)


def _distance_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for stated distances whose figures or qualifier are not in their quote."""
    for s, step in _items(data, "steps"):
        for d, dist in _items(step, "distances"):
            at, quote = f"steps[{s}].distances[{d}]", dist.get("quote")
            stated = [dist.get(k) for k in ("stated_km", "stated_miles")]
            if quote is None:
                if any(v is not None for v in stated):
                    yield f"{at}.quote", "a stated distance needs the quote it comes from"
                continue
            if isinstance(quote, str) and quote.strip():
                for key, value in zip(("stated_km", "stated_miles"), stated):
                    if isinstance(value, (int, float)) and not _has_figure(quote, value):
                        yield f"{at}.{key}", f"{value:g} is not the figure in its quote {quote!r}"
                qualifier = dist.get("qualifier", "")
                if isinstance(qualifier, str) and qualifier.lower() not in quote.lower():
                    yield f"{at}.qualifier", f"{qualifier!r} is not in its quote {quote!r}"


def _figure_in_quote(at: str, quote: str, qualifier: str, value: int | None) -> Iterator[tuple[str, str]]:
    """(path, message) when a count's quote does not carry its qualifier or its figure."""
    if qualifier.lower() not in quote.lower():
        yield f"{at}.qualifier", f"{qualifier!r} is not in its quote {quote!r}"
    if value is not None and not _has_figure(quote, value):
        yield f"{at}.value", f"{value:,} is not the figure in its quote {quote!r}"


def _has_figure(quote: str, value: float) -> bool:
    """Whether the quote writes this number, with or without thousands separators."""
    numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", quote)}
    return float(value) in numbers


def _chrono_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) for each chrono value an earlier step already holds."""
    first: dict[int, str] = {}
    for s, step in _items(data, "steps"):
        chrono = step.get("chrono")
        if type(chrono) is int and chrono in first:
            yield f"steps[{s}].chrono", f"chrono {chrono} is also {first[chrono]}'s; give each step its own position"
        first.setdefault(chrono, f"steps[{s}]") if type(chrono) is int else None


def _published_problems(data: Any) -> Iterator[tuple[str, str]]:
    """(path, message) when source.published is not an ISO date."""
    source = data.get("source") if isinstance(data, dict) else None
    published = source.get("published") if isinstance(source, dict) else None
    if isinstance(published, str):
        try:
            date.fromisoformat(published)
        except ValueError:
            yield "source.published", f"{published!r} is not an ISO date (YYYY-MM-DD)"


def _cross_problems(data: Any, article: str | None, article_name: str) -> Iterator[tuple[str, str]]:
    """(path, message) for everything the schema cannot see."""
    if article is not None:
        for path, quote in _quotes(data):
            message = _quote_message(quote, article, article_name)
            if message:
                yield path, message
    known = {item.get("id") for _, item in _items(data, "places")}
    for path, ref in _place_refs(data):
        if isinstance(ref, str) and ref not in known:
            names = ", ".join(sorted(k for k in known if isinstance(k, str)))
            yield path, f"unknown place {ref!r} (the story's places: {names})"
    for key, what in (("places", "place"), ("steps", "step"), ("context", "context")):
        yield from _duplicates(data, key, what)
    yield from _count_problems(data)
    yield from _distance_problems(data)
    yield from _chrono_problems(data)
    yield from _published_problems(data)


def _read_article(data: Any, story_path: Path, name: str) -> tuple[str | None, str, list[Problem]]:
    """The article text, its display path, and a problem if it cannot be read."""
    ref = data.get("article", "article.txt") if isinstance(data, dict) else "article.txt"
    if not isinstance(ref, str):
        return None, "", []  # the schema reports the wrong type
    path = story_path.parent / ref
    try:
        return path.read_text(encoding="utf-8"), os.path.normpath(path), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, str(path), [Problem(name, "article", None, f"cannot read the article {os.path.normpath(path)}: {exc}")]


# --- the public API ------------------------------------------------------------------------


def validate(path: str | Path) -> tuple[Story | None, list[Problem]]:
    """The story (None if its schema fails) and every problem found in the file."""
    path, name = Path(path), str(path)
    try:
        data, lines = _parse(_read_text(path, name), name)
    except StoryError as exc:
        return None, exc.problems
    story, problems = _schema_problems(data, lines, name)
    article, article_name, article_problems = _read_article(data, path, name)
    if article_problems:
        problems += [Problem(name, p.path, _line(lines, p.path), p.message) for p in article_problems]
    problems += [Problem(name, p, _line(lines, p), m) for p, m in _cross_problems(data, article, article_name)]
    # Report in file order, so a reader fixes them top to bottom.
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return (story if not problems else None), problems


def load_story(path: str | Path) -> Story:
    """A valid story from a YAML file; StoryError lists every problem at once."""
    story, problems = validate(path)
    if problems or story is None:
        raise StoryError(problems)
    return story


class _Dumper(yaml.SafeDumper):
    """The safe dumper, never writing anchors: load_story refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write repeated objects out in full."""
        return True


def dump_story(story: Story) -> str:
    """The story as YAML text, fields in model order, defaults left out."""
    data = story.model_dump(mode="json", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def save_story(story: Story, path: str | Path) -> None:
    """Write the story as YAML atomically: a temp file in the same folder, then os.replace."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(dump_story(story))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
