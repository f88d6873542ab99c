"""Safe YAML for story files: a size limit, UTF-8 with byte offsets, no anchors, and line numbers.

PyYAML's safe loader builds no objects, but it still expands aliases (the "billion laughs"
bomb) and reads YAML 1.1's surprises (`2018-11-26` as a date, `NO` as false). This loader
refuses anchors and aliases before composing them and keeps dates and country codes as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000  # a story is a few kB; anything near this is a mistake or an attack
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
    """The file's text; YamlFileError for a missing, oversized or non-UTF-8 file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlFileError([("", None, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")])
        raw = path.read_bytes()
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
    loader = _Loader(text)
    try:
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
    except yaml.YAMLError as exc:
        raise YamlFileError([("", None, f"invalid YAML: {exc}")]) from None
    finally:
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
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
