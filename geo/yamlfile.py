"""Safe YAML for story files: bounded size, depth and numbers, UTF-8 with byte offsets, line numbers.

PyYAML's safe loader builds no objects, but it still expands aliases (the "billion laughs"
bomb) and reads YAML 1.1's surprises (`2018-11-26` as a date, `NO` as false). This loader
refuses anchors and aliases before composing them and keeps dates and country codes as text.
It also refuses what no story needs and what breaks a loader: explicit tags (`!!binary`,
`!!python/...`), complex keys (`? [a, b]`), nesting deeper than MAX_DEPTH (PyYAML composes
recursively: 1,000 brackets exhaust Python's stack) and integers longer than MAX_DIGITS (Python
refuses to convert more than 4,300 digits, and a story's numbers are counts and kilometres).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from geo.safefile import read_bounded

MAX_BYTES = 1_000_000  # a story is a few kB; anything near this is a mistake or an attack
MAX_DEPTH = 20  # a story nests 5 deep (steps[i].counts[j].quote); 20 leaves room, 1,000 crashes
MAX_DIGITS = 30  # digits of an integer; counts and kilometres need far fewer
# (field path, 1-based line or None, message); geo.story adds the file name.
Finding = tuple[str, int | None, str]


class YamlFileError(Exception):
    """A file that cannot be read as safe YAML; `.findings` says where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        """Keep the findings; the message joins them."""
        self.findings = findings
        super().__init__("; ".join(message for _, _, message in findings))


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader minus anchors, aliases, timestamps and yes/no/on/off booleans."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse aliases, anchors, tags and deep nesting before composing, so nothing expands."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            _refuse("YAML anchors and aliases (&name, *name) are not allowed in a story file", event)
        # A scalar's "!" tag only marks it as quoted-free text; any other tag asks for a type.
        if getattr(event, "tag", None) not in (None, "!"):
            _refuse(f"YAML tags ({event.tag}) are not allowed in a story file", event)
        if self.depth >= MAX_DEPTH:
            _refuse(f"nested more than {MAX_DEPTH} levels deep; a story needs far fewer", event)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer, refused before conversion when it has more digits than any story needs."""
        # Length, not digits: hex (0xfff…) and base-60 (1:2:3…) integers grow without decimal digits.
        if len(node.value) > MAX_DIGITS:
            _refuse(f"a number written with more than {MAX_DIGITS} characters; no story needs one", node)
        return super().construct_yaml_int(node)


def _refuse(problem: str, at: Any) -> None:
    """Stop loading with a located error (PyYAML's own error type, so parse() reports it alike)."""
    raise yaml.MarkedYAMLError(problem=problem, problem_mark=at.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


# No implicit dates (they stay text), merge keys (<<) or value keys (=): a story needs none.
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "yYnNoO":  # only true/false stay booleans, so a country code NO stays "NO"
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx) for tag, rx in _Loader.yaml_implicit_resolvers.get(_first, [])
        if tag != "tag:yaml.org,2002:bool"
    ]


class _Dumper(yaml.SafeDumper):
    """The safe dumper, never writing anchors: the loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write repeated objects out in full."""
        return True


def read_text(path: Path) -> str:
    """The file's text; YamlFileError for a missing, oversized, non-regular or non-UTF-8 file."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except OSError as exc:
        raise YamlFileError([("", None, f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte offset {exc.start} (save the file as UTF-8)"
        raise YamlFileError([("", line, message)]) from None


def parse(text: str) -> tuple[Any, dict[str, int]]:
    """The YAML data and a map from field path to 1-based line; YamlFileError on bad YAML."""
    loader = None
    try:
        loader = _Loader(text)  # the reader refuses control characters here, already
        node = loader.get_single_node()
        if node is None:
            raise YamlFileError([("", None, "the file is empty")])
        lines: dict[str, int] = {}
        duplicates = list(_index(node, "", lines))
        if duplicates:
            raise YamlFileError(duplicates)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError([_syntax_finding(exc)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids; its position is in characters
        line = text.count("\n", 0, exc.position) + 1
        raise YamlFileError([("", line, f"invalid YAML: character #x{exc.character:04x} is not allowed")]) from None
    except yaml.YAMLError as exc:
        raise YamlFileError([("", None, "invalid YAML: " + " ".join(str(exc).split()))]) from None
    except RecursionError:  # a last guard: MAX_DEPTH should stop deep nesting long before this
        raise YamlFileError([("", None, "invalid YAML: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml(path: str | Path) -> tuple[Any, dict[str, int]]:
    """A YAML file's data and the line of every field path; YamlFileError if it is unusable."""
    return parse(read_text(Path(path)))


def dump_yaml(data: Any) -> str:
    """Data as block-style UTF-8 YAML, keys in the given order, no anchors."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _syntax_finding(exc: yaml.MarkedYAMLError) -> Finding:
    """A YAML error at the line where the parser gave up, naming where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    message = ": ".join(str(part) for part in (exc.context, exc.problem) if part) or "unreadable"
    if exc.context_mark and mark and exc.context_mark.line != mark.line:
        message += f" (it began on line {exc.context_mark.line + 1})"
    return "", mark.line + 1 if mark else None, f"invalid YAML: {message}"


def _index(node: yaml.Node, path: str, lines: dict[str, int]) -> Iterator[Finding]:
    """Record each field's line under its path; yield duplicate keys, which YAML would hide."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                yield path, key.start_mark.line + 1, "a key must be plain text, not a list or a mapping (? [a, b])"
                continue
            child = f"{path}.{key.value}" if path else str(key.value)
            if key.value in seen:
                yield child, key.start_mark.line + 1, "duplicate key (YAML keeps only the last)"
            seen.add(key.value)
            lines[child] = key.start_mark.line + 1  # the line of "key:", where a reader looks
            yield from _index(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _index(item, f"{path}[{i}]", lines)


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of a path, or of its nearest ancestor that exists (e.g. for a missing field)."""
    while path not in lines:
        if not path:
            return None
        # Drop the last ".field" or "[index]"; every round is shorter, so this always ends.
        path = path[: max(path.rfind("."), path.rfind("["), 0)]
    return lines[path]
