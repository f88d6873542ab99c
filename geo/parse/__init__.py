"""Any article's place names, found and resolved offline: `Parser().parse(text)`.

Recognition (geo.parse.recognize) finds names with character offsets; resolution
(geo.parse.resolve) ranks the gazetteer's candidates for each, using the states and countries
the article names elsewhere. Demonyms ("Honduran") are kept as mentions of their country,
flagged so a story does not put them on the map as places of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.gazetteer import Gazetteer, normalize
from geo.parse.recognize import Lexicon, Mention, in_county_list, recognize
from geo.parse.resolve import NO_CUES, Candidate, Cues, candidates, candidates_of, overlay_candidate, resolve

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


MEMO_SIZE = 50_000  # names whose candidates a parser keeps between texts


class Parser:
    """Finds and resolves place names; one instance serves any number of texts."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Use the given gazetteer (its overlay and index), or the default one."""
        self.gazetteer = gazetteer or Gazetteer()
        self.lexicon = Lexicon(self.gazetteer.connection, self.gazetteer.overlay)
        # A demonym stands at its country's curated point when the overlay has one, so "American"
        # and "United States" are one place on the map.
        self._countries = {e.country_code: overlay_candidate(e) for entries in self.gazetteer.overlay.values()
                           for e in entries if e.kind == "country" and e.country_code}
        self._memo: dict[str, list[Candidate]] = {}

    def parse(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[Toponym]:
        """Every place name in the text (or only the given spans), resolved, in text order."""
        if spans is None:
            mentions = recognize(text, self.lexicon)
        else:
            mentions = [self._mention(text, start, end) for start, end in spans]
        texts = {m.norm: m.text for m in reversed(mentions)}  # each name as first written
        chosen = resolve(self._candidates(mentions), texts, self._cues(text, mentions))
        return [self._toponym(m, chosen[m.norm]) for m in mentions]

    def _mention(self, text: str, start: int, end: int) -> Mention:
        """A given span as a mention, whatever the lexicon knows of it."""
        phrase = text[start:end]
        norm = normalize(phrase)
        kinds, weight = self.lexicon.get(norm) or (frozenset(), 0)
        return Mention(start, end, phrase, norm, kinds, weight)

    def _candidates(self, mentions: list[Mention]) -> dict[str, list[Candidate]]:
        """The places each name can stand for (its country too, for a demonym), memoised: news
        names the same places again and again, so a batch looks most of them up once."""
        memo = self._memo
        wanted = {m.norm: "demonym" in m.kinds for m in mentions}
        missing = [norm for norm in wanted if norm not in memo]
        if missing:
            if len(memo) + len(missing) > MEMO_SIZE:  # bounded: a long batch must not grow without end
                memo.clear()
            connection, overlay = self.gazetteer.connection, self.gazetteer.overlay
            memo.update(candidates_of(connection, overlay, missing, demonym=False))
            adjectives = [norm for norm in missing if wanted[norm]]
            for norm, countries in candidates_of(connection, overlay, adjectives, demonym=True).items():
                memo[norm] = memo[norm] + [self._countries.get(c.country_code or "", c) if c.kind == "country"
                                           else c for c in countries]
        return {norm: memo[norm] for norm in wanted}

    def _cues(self, text: str, mentions: list[Mention]) -> dict[str, Cues]:
        """What the words around each name say: a state or country written after it, a dateline,
        a list of counties it belongs to."""
        found: dict[str, Cues] = {}
        for mention in mentions:
            states, countries = self._qualifier(text, mention.end)
            dateline = _opens_line(text, mention.start) and mention.text.isupper() and len(mention.text) > 2
            county = in_county_list(text, mention.end)
            if states or countries or dateline or county:
                cue = found.get(mention.norm, NO_CUES)
                found[mention.norm] = Cues(cue.states | states, cue.countries | countries, cue.dateline or dateline,
                                           cue.county or county)
        return found

    def _qualifier(self, text: str, end: int) -> tuple[frozenset[str], frozenset[str]]:
        """The states and countries named right after a comma: "Paris, Ky." or "Paris, Texas"."""
        match = _QUALIFIER.match(text, end)
        if match is None:
            return frozenset(), frozenset()
        words = match.group(1).split(" ")
        for size in range(len(words), 0, -1):  # "New Mexico" before "New"
            found = [c for c in candidates(self.gazetteer.connection, self.gazetteer.overlay,
                                           normalize(" ".join(words[:size])), demonym=False)
                     if c.kind in ("admin1", "country")]
            if found:
                return (frozenset(c.admin1 for c in found if c.kind == "admin1"),
                        frozenset(c.country_code for c in found if c.kind == "country" and c.country_code))
        return frozenset(), frozenset()

    def _toponym(self, mention: Mention, ranked: list[Candidate]) -> Toponym:
        """The mention with its top candidates, ranked in the article's context."""
        best = ranked[0] if ranked else None
        demonym = ("demonym" in mention.kinds and best is not None and best.kind in ("country", "continent")
                   and normalize(best.name) != mention.norm)
        return Toponym(mention.start, mention.end, mention.text, demonym, ranked)


# ", Ky." / ", Texas" / ", New Mexico" / ", N.J." right after a name.
_QUALIFIER = re.compile(r",\s+((?:[A-Z]\.){2,}|[A-Z][A-Za-z]*\.?(?: [A-Z][A-Za-z]*\.?)?)")


def _opens_line(text: str, start: int) -> bool:
    """Whether only spaces stand between the start of the text (or of a line) and `start`."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()
