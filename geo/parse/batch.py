"""The JSON-lines protocol of ../shared/geoparse/geoparse_eval.py: one answer line per input line.

In:  {"id": "...", "text": "..."}                     find and resolve every place name
     {"id": "...", "text": "...", "spans": [[s, e]]}  resolve only these spans
Out: {"id": "...", "toponyms": [{"start", "end", "name", "lat", "lon"}, ...]}, flushed at once.
A line that cannot be read still gets its answer (no toponyms, and "error" saying why), so the
answers stay in step with the questions; the reason also goes to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from geo.parse import Parser


def answer(parser: Parser, line: str) -> dict[str, Any]:
    """The answer to one request line."""
    if not line.strip():
        return {"id": None, "toponyms": [], "error": "an empty line is no request"}
    try:
        request = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "toponyms": [], "error": f"not JSON: {error}"}
    if not isinstance(request, dict):
        return {"id": None, "toponyms": [], "error": "a request is a JSON object"}
    ident, text, spans = request.get("id"), request.get("text", ""), request.get("spans")
    if not isinstance(text, str):
        return {"id": ident, "toponyms": [], "error": "\"text\" must be a string"}
    if spans is not None:
        spans = _spans(spans, len(text))
        if spans is None:
            return {"id": ident, "toponyms": [], "error": "\"spans\" must be [[start, end], ...] inside the text"}
    toponyms = parser.parse(text, spans)
    return {"id": ident, "toponyms": [t.as_json(alternatives=False) for t in toponyms]}


def _spans(value: Any, length: int) -> list[tuple[int, int]] | None:
    """Spans as (start, end) pairs, or None if any is not a pair of offsets inside the text."""
    if not isinstance(value, list):
        return None
    spans = []
    for pair in value:
        if (not isinstance(pair, list) or len(pair) != 2 or not all(type(x) is int for x in pair)
                or not 0 <= pair[0] < pair[1] <= length):
            return None
        spans.append((pair[0], pair[1]))
    return spans


def serve(parser: Parser, lines: Iterable[str], out: TextIO, log: TextIO) -> int:
    """Answer every line in order, flushing each; the number of lines answered."""
    count = 0
    for line in lines:
        reply = answer(parser, line)
        if "error" in reply:
            print(f"geo parse --batch: line {count + 1}: {reply['error']}", file=log)
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count
