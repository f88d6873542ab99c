"""What a news sentence says besides places: counts of people, distances, and when.

Each finder returns the exact words (a substring of the sentence, with its offset) so a story
can quote them, plus the figures read from them. Nothing is inferred that the words do not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.quantities import RULES

# Nouns for groups of people in news ("500 migrants", "dozens of protesters").
PEOPLE = ("migrants|people|persons|refugees|asylum seekers|families|children|adults|residents|"
          "protesters|protestors|demonstrators|marchers|soldiers|troops|police officers|officers|"
          "police|workers|students|passengers|victims|civilians|men|women|members|supporters|"
          "voters|patients|prisoners|inmates|detainees|fighters|militants|rebels|evacuees|"
          "survivors|tourists|visitors|staff|employees|firefighters|volunteers|deaths|dead|"
          "casualties|wounded|injured|cases|individuals|youths|teenagers|babies|infants")
_NUMBER_QUALIFIERS = sorted((q for q, r in RULES.items() if q and r.needs_value), key=len, reverse=True)
_VAGUE = sorted((q for q, r in RULES.items() if not r.needs_value), key=len, reverse=True)
_FIGURE = r"\d{1,3}(?:,\d{3})+|\d+"
_COUNT = re.compile(
    rf"(?:\b(?P<qualifier>{'|'.join(map(re.escape, _NUMBER_QUALIFIERS))})\s+)?"
    rf"(?<![\d,.])(?P<value>{_FIGURE})(?![\d,.]*\d)(?:\s+[A-Za-z-]+)?\s+(?P<what>{PEOPLE})\b",
    re.IGNORECASE,
)
_VAGUE_COUNT = re.compile(
    rf"\b(?P<qualifier>{'|'.join(map(re.escape, _VAGUE))})\b(?:\s+of)?(?:\s+(?:[A-Za-z-]+\s+)?(?P<what>{PEOPLE})\b)?",
    re.IGNORECASE,
)
_UNIT = r"km|kilometres|kilometers|kilometre|kilometer|miles|mile|mi"
_DISTANCE = re.compile(
    rf"(?:\b(?P<qualifier>{'|'.join(map(re.escape, _NUMBER_QUALIFIERS))})\s+)?"
    rf"(?P<value>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>{_UNIT})\b"
    rf"(?:\s*\((?P<value2>\d[\d,]*(?:\.\d+)?)\s?(?P<unit2>{_UNIT})\))?"
    r"(?:\s+to\s+the\s+(?:north|south|east|west)(?:-?(?:east|west))?)?",
    re.IGNORECASE,
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# (pattern, rank): rank orders phrases in time, past first; equal ranks keep article order.
_TIMES: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"\b(?:over|in|for|during)\s+the\s+(?:past|last)\s+(?:few\s+|two\s+|three\s+|several\s+)?(?:weeks|months|years)\b", re.I), 1),
    (re.compile(r"\bthe\s+(?:past|last)\s+(?:few\s+|two\s+|three\s+|several\s+)?(?:weeks|months|years)\b", re.I), 1),
    (re.compile(r"\blast\s+(?:year|month)\b", re.I), 1),
    (re.compile(rf"\b(?:in|on)\s+{_MONTH}(?:\s+\d{{1,2}})?\b|\bon\s+\d{{1,2}}\s+{_MONTH}\b"), 2),
    (re.compile(r"\b(?:last|earlier\s+this|this)\s+week\b", re.I), 3),
    (re.compile(rf"\blast\s+{_DAY}\b"), 3),
    (re.compile(r"\byesterday\b", re.I), 4),
    (re.compile(rf"\b(?:on|late\s+on|early\s+on)\s+{_DAY}(?:\s+(?:morning|afternoon|evening|night))?\b|\b{_DAY}['\u2019]s\b"), 5),
    (re.compile(r"\b(?:today|tonight|this\s+morning|now)\b", re.I), 6),
    (re.compile(r"\b(?:immediately|tomorrow|next\s+week|next\s+month|soon)\b", re.I), 7),
]


@dataclass(frozen=True)
class Found:
    """Words found in a text: where, what they say, and what was read from them."""

    start: int
    end: int
    quote: str
    qualifier: str = ""
    value: float | None = None
    what: str = ""  # a count's noun ("migrants"); a distance's unit ("km")
    value2: float | None = None  # a distance's figure in its other unit, "(2,500 miles)"
    unit2: str = ""


def _number(text: str | None) -> float | None:
    """A written figure as a number ("7,500" → 7500)."""
    return float(text.replace(",", "")) if text else None


def counts(text: str) -> list[Found]:
    """Counts of people in the text: "almost 7,500 migrants", "dozens of people", "Several hundred"."""
    found = []
    for match in _COUNT.finditer(text):
        value = _number(match["value"])
        if value is None or (1900 <= value <= 2100 and "," not in match["value"]):
            continue  # a year ("2015 people" is rarer than "in 2015 police said")
        found.append(Found(match.start(), match.end(), match.group(), (match["qualifier"] or "").lower(),
                           value, match["what"].lower()))
    taken = [(f.start, f.end) for f in found]
    for match in _VAGUE_COUNT.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        found.append(Found(match.start(), match.end(), match.group(), match["qualifier"].lower(), None,
                           (match["what"] or "people").lower()))
    return sorted(found, key=lambda f: f.start)


def distances(text: str) -> list[Found]:
    """Distances the text claims: "180km to the east", "more than 4,000km (2,500 miles)"."""
    found = []
    for match in _DISTANCE.finditer(text):
        unit = "km" if match["unit"].lower().startswith("k") else "miles"
        unit2 = ""
        if match["unit2"]:
            unit2 = "km" if match["unit2"].lower().startswith("k") else "miles"
        found.append(Found(match.start(), match.end(), match.group(), (match["qualifier"] or "").lower(),
                           _number(match["value"]), unit, _number(match["value2"]), unit2))
    return found


def time_phrases(text: str) -> list[tuple[Found, int]]:
    """Time phrases in the text with their rank in time (past first), in text order."""
    found: list[tuple[Found, int]] = []
    for pattern, rank in _TIMES:
        for match in pattern.finditer(text):
            if any(f.start < match.end() and match.start() < f.end for f, _ in found):
                continue  # a longer phrase already covers it
            found.append((Found(match.start(), match.end(), match.group()), rank))
    return sorted(found, key=lambda pair: pair[0].start)
