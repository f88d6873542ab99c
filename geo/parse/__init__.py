"""Any article's place names, found and resolved offline: `Parser().parse(text)`.

Recognition (geo.parse.recognize) finds names with character offsets; resolution
(geo.parse.resolve) ranks the gazetteer's candidates for each, using the states and countries
the article names elsewhere. Demonyms ("Honduran") are kept as mentions of their country,
flagged so a story does not put them on the map as places of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.gazetteer import Gazetteer, normalize
from geo.parse.recognize import Lexicon, Mention, recognize
from geo.parse.resolve import Candidate, candidates, context_of, rank

__all__ = ["Candidate", "Parser", "Toponym"]


@dataclass(frozen=True)
class Toponym:
    """A place name in the text, with its best reading first among the top candidates."""

    start: int
    end: int
    text: str
    demonym: bool  # "Honduran": a mention of Honduras, not a place on the map
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        """The chosen reading, or None when the gazetteer knows no such place."""
        return self.candidates[0] if self.candidates else None

    @property
    def confidence(self) -> float:
        """How sure the choice is (0..1): the best reading's share against the others."""
        return self.best.confidence if self.best else 0.0

    def as_json(self, *, alternatives: bool = True) -> dict:
        """The toponym as the CLI prints it (the eval's fields first)."""
        best = self.best
        record = {"start": self.start, "end": self.end, "name": self.text,
                  "lat": best.lat if best else None, "lon": best.lon if best else None}
        if alternatives:
            record.update(demonym=self.demonym, confidence=self.confidence,
                          candidates=[_candidate_json(c) for c in self.candidates])
        return record


def _candidate_json(candidate: Candidate) -> dict:
    """One candidate as JSON."""
    return {"name": candidate.name, "lat": candidate.lat, "lon": candidate.lon,
            "kind": candidate.kind, "country_code": candidate.country_code,
            "address": candidate.address, "source": candidate.source,
            "confidence": candidate.confidence, "note": candidate.note}


class Parser:
    """Finds and resolves place names; one instance serves any number of texts."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Use the given gazetteer (its overlay and index), or the default one."""
        self.gazetteer = gazetteer or Gazetteer()
        self.lexicon = Lexicon(self.gazetteer.connection, self.gazetteer.overlay)

    def parse(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[Toponym]:
        """Every place name in the text (or only the given spans), resolved, in text order."""
        if spans is None:
            mentions = recognize(text, self.lexicon)
        else:
            mentions = [self._mention(text, start, end) for start, end in spans]
        readings = {m.norm: self._candidates(m) for m in mentions}
        context = context_of(found for found in readings.values())
        first = {norm: rank(found, context, norm, limit=1) for norm, found in readings.items()}
        chosen = {}
        for mention in mentions:
            if mention.norm not in chosen:
                others = [c for norm, top in first.items() if norm != mention.norm for c in top]
                chosen[mention.norm] = rank(readings[mention.norm], context, mention.text, others)
        return [self._toponym(m, chosen[m.norm]) for m in mentions]

    def _mention(self, text: str, start: int, end: int) -> Mention:
        """A given span as a mention, whatever the lexicon knows of it."""
        phrase = text[start:end]
        norm = normalize(phrase)
        kinds, weight = self.lexicon.get(norm) or (frozenset(), 0)
        return Mention(start, end, phrase, norm, kinds, weight)

    def _candidates(self, mention: Mention) -> list[Candidate]:
        """The places a mention can stand for (its country too, for a demonym)."""
        connection, overlay = self.gazetteer.connection, self.gazetteer.overlay
        found = candidates(connection, overlay, mention.norm, demonym=False)
        if "demonym" in mention.kinds:
            found += candidates(connection, overlay, mention.norm, demonym=True)
        return found

    def _toponym(self, mention: Mention, ranked: list[Candidate]) -> Toponym:
        """The mention with its top candidates, ranked in the article's context."""
        demonym = "demonym" in mention.kinds and bool(ranked) and ranked[0].source == "gazetteer" \
            and mention.norm not in _names_of(ranked[0])
        return Toponym(mention.start, mention.end, mention.text, demonym, ranked)


def _names_of(candidate: Candidate) -> set[str]:
    """The normalized names a candidate is listed under (its main name)."""
    return {normalize(candidate.name)}
