"""Find place names in a text: longest match of capitalised word runs against the gazetteer's names.

A run of capitalised words ("Metcalfe County", "New York City", "U.S.") is matched from its left
end, longest name first, against the index's lexicon (every normalized name, with its biggest
population and the kinds of place it names) and the curated overlay; an article's phrases are
looked up together. Rules that hold for news in general then drop what is not a place here:
- people: a given name or a title before the run, a common surname after it, a surname the
  article already used for a person, "X said" / "said X.", a family ("the Boons");
- words that are no place alone: months, days, common words, numbers, degrees ("M.D.");
- the place inside a longer name: a street ("Hertford Road"), a building ("the White House"),
  a hyphenated name ("Wal-Mart"), the end of a longer name ("Latin America", "Real Madrid");
- small towns without a cue: a town must be big unless "in X", "X, Texas", "Smith, 43, of X",
  or a list after another place ("Peoria, Pekin and Morton") says it is a place; a word the
  article also writes in lower case ("Mobile") needs such a cue too.
Country acronyms ("UK") and a state's abbreviation after its town ("Paris, Ky.") are kept.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from geo.admin import STATE_ABBREVIATIONS
from geo.gazetteer import normalize
from geo.parse.words import (AREA_WORDS, BUILDING_WORDS, COMMON, DAYS, DEGREES, FIRST_NAMES, MONTHS, NEWS_AGENCIES,
                             STREET_WORDS, SURNAMES, TITLES)

# normalize() memoised: the same words are normalised again and again across a batch of articles.
_norm = functools.lru_cache(maxsize=1 << 16)(normalize)
MAX_WORDS = 6  # longest name tried, in words ("Llanfair... " aside, names are short)
_ABBREVIATIONS = frozenset(a for forms in STATE_ABBREVIATIONS.values() for a in forms)
# State abbreviations that are neither a word and a dot ("Ky.") nor an initialism ("N.Y."),
# which the token pattern below finds by themselves: "W.Va.", "W. Va.", "N.Mex.".
_ODD_ABBREVIATIONS = sorted((a for a in _ABBREVIATIONS
                             if not re.fullmatch(r"[A-Z][a-z]*\.|(?:[A-Z]\.){2,}", a)), key=len, reverse=True)
# A capitalised word (each part of a hyphenated one is its own token, joined again in a run:
# "Winston-Salem", but "Canada" in "Canada-wide"), an initialism with dots ("U.S.", "D.C."), or
# one of the odd abbreviations; a word and its dot ("Ky.", "St. Louis") are joined in _tokens.
_TOKEN = re.compile(
    # Every alternative starts with this class, so the regex engine can skip lower-case text fast.
    r"[A-Z\u00c0-\u00de](?:"
    + "".join(f"(?<={re.escape(a[0])}){re.escape(a[1:])}(?!\\w)|" for a in _ODD_ABBREVIATIONS)
    + r"\.(?:[A-Z]\.)+"  # an initialism: "U.S.", "D.C."
    r"|[\w\u00c0-\u024f]*(?:['\u2019][A-Za-z\u00c0-\u024f]+)*)"
)
_SAINTS = frozenset({"St", "Ste", "Mt", "Ft"})  # "St. Louis": the dot belongs to the name
# "on" is no joiner: "the Department on Wednesday" is far commoner in news than "Burton on Trent".
_JOINERS = frozenset({"of", "de", "del", "la", "le", "du", "upon", "the", "da", "do", "dos", "das", "al", "el", "y"})
_ARTICLES = frozenset({"the", "a", "an"})
_LOCATIVE = frozenset("in at near from to into outside across around toward towards via through throughout between".split())
_LANGUAGE_VERBS = frozenset("in speak speaks spoke speaking fluent".split())
_SAYS = re.compile(r"\s+(?:said|says|told|added|wrote)\b")
_SENTENCE_END = re.compile(r"[.!?:\"\u201c\u201d\u2014\u2013(\[]\s*$|^\s*$")
CITY_MIN = 20_000  # a town named without a cue must be at least this big
CUE_MIN = 1_000  # "in X", "X, Texas": smaller towns when the text says they are places
BIG_CITY = 500_000  # big enough to be the place even when its name is also a surname ("Houston")


class Mention(NamedTuple):
    """A place name found in the text: where, what it says, and how it reads."""

    start: int
    end: int
    text: str
    norm: str
    kinds: frozenset[str]  # kinds of place the name can be: city, country, admin1, admin2, continent, demonym, overlay
    weight: int  # the biggest population among the places so named

    @property
    def demonym_only(self) -> bool:
        """Whether the words name no place, only its people ("Honduran")."""
        return self.kinds == {"demonym"}


class _Token(NamedTuple):
    start: int
    end: int
    text: str


class Lexicon:
    """The index's names table as the recogniser asks it: a memo filled a whole article at a time."""

    def __init__(self, connection: sqlite3.Connection, overlay: dict[str, list]) -> None:
        """Read through `connection`; overlay names count as known places too."""
        self.connection = connection
        self.overlay = overlay
        self._cache: dict[str, tuple[frozenset[str], int] | None] = {}
        self._kinds: dict[str, frozenset[str]] = {}  # one frozenset per distinct kinds string

    def get(self, norm: str) -> tuple[frozenset[str], int] | None:
        """(kinds, weight) of a normalized name, or None if nothing is so named."""
        if norm not in self._cache:
            self.prefetch((norm,))
        return self._cache[norm]

    def knows_any(self, norms: list[str]) -> bool:
        """Whether any of these names, all looked up already (prefetch), names a place."""
        return any(map(self._cache.get, norms))

    def prefetch(self, norms: Iterable[str]) -> None:
        """Look up every name not yet known, a few hundred per query (one query per phrase was
        most of the recogniser's time)."""
        missing = list({norm for norm in norms if norm not in self._cache})
        if len(self._cache) + len(missing) > 200_000:  # a bounded memo: a long batch must not grow without end
            self._cache.clear()
        for first in range(0, len(missing), 500):
            chunk = missing[first:first + 500]
            for norm in chunk:
                self._cache[norm] = None
            rows = self.connection.execute(
                f"SELECT norm, kinds, weight FROM lexicon WHERE norm IN ({','.join('?' * len(chunk))})", chunk)
            for norm, kinds, weight in rows:
                found = self._kinds.get(kinds)
                if found is None:
                    found = self._kinds[kinds] = frozenset(kinds.split(","))
                self._cache[norm] = (found, int(weight or 0))
            for norm in chunk:
                if norm in self.overlay:
                    kinds, weight = self._cache[norm] or (frozenset(), 0)
                    self._cache[norm] = (kinds | {"overlay"}, max(weight, 10**9))


def _tokens(text: str) -> list[_Token]:
    """Capitalised tokens, without a possessive 's, with the dot of "Ky." or "St." joined."""
    found = []
    for match in _TOKEN.finditer(text):
        start, word = match.start(), match.group()
        end = start + len(word)
        if text.startswith(".", end) and ((word + ".") in _ABBREVIATIONS or (
                word in _SAINTS and text.startswith(" ", end + 1) and text[end + 2:end + 3].isupper())):
            word, end = word + ".", end + 1
        elif word.endswith(("'s", "\u2019s")):
            word, end = word[:-2], end - 2
        found.append(_Token(start, end, word))
    return found


def _runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Tokens grouped into runs joined by a space or a hyphen, or by "of"/"de" ("Isle of Man").

    A leading "The"/"A" is dropped: "The U.S." names the U.S., "A Turkish policeman" is Turkish.
    """
    runs: list[list[_Token]] = []
    for token in tokens:
        if runs and len(runs[-1]) < 2 * MAX_WORDS and _gap(text, runs[-1][-1], token) is not None:
            runs[-1].append(token)
        else:
            runs.append([token])
    return [run[1:] if len(run) > 1 and run[0].text.lower() in _ARTICLES else run for run in runs]


def _gap(text: str, left: _Token, right: _Token) -> str | None:
    """What joins two tokens in a run: " ", "-", a joiner word ("of"), or None if they are apart."""
    gap = text[left.end:right.start]
    if gap in (" ", "-"):
        return gap
    if gap == ". " and len(left.text) == 1:
        return " "  # a middle initial: "Charles W. Murphy" is one name
    if gap.startswith(" ") and gap.endswith(" ") and gap.strip() in _JOINERS:
        return gap.strip()
    return None


def _sentence_start(text: str, at: int) -> bool:
    """Whether position `at` opens a sentence, a line, a quotation or a bracket."""
    before = text[max(0, at - 3):at]
    return at == 0 or "\n" in before or bool(_SENTENCE_END.search(before))


# Matched on the reversed text before a position: spaces, perhaps a dot ("Gov. Bevin"), a word.
_WORD_BEFORE = re.compile(r"\s+\.?([A-Za-z]+)")
_WORD_JUST_BEFORE = re.compile(r"\s+([A-Za-z]+)")


def _previous_word(text: str, at: int, dot: bool = True) -> str:
    """The word right before position `at` (and a space), lower case, without a trailing dot
    (with `dot` False, a word with a dot after it ends a sentence and does not count)."""
    match = (_WORD_BEFORE if dot else _WORD_JUST_BEFORE).match(text[max(0, at - 30):at][::-1])
    return match.group(1)[::-1].lower() if match else ""


def _people(text: str, run: list[_Token], lexicon: Lexicon) -> tuple[set[int], set[str]]:
    """The token indexes of people's names in the run, and the words of the surer ones.

    A person starts after a title ("President Vladimir Putin"), at a given name that is not
    followed by a common word ("Paris Town Hall" is no person), or at a given name before a
    common surname ("Georgia Stevens"); it ends at a joiner ("McLellan of Edmonton").
    """
    if len(run) >= 2 and lexicon.get(_norm(text[run[0].start:run[-1].end])) is not None:
        return set(), set()  # the whole run is a place: "Virginia Beach", "Port Elizabeth"
    start, sure = None, False
    if _previous_word(text, run[0].start) in TITLES:
        start, sure = 0, True
    for k, token in enumerate(run[:-1]):
        if start is not None:
            break
        word, after = _norm(token.text), _norm(run[k + 1].text)
        if word in TITLES:
            start, sure = k + 1, True
        elif k == len(run) - 2 and after in SURNAMES:
            start, sure = k, True
        elif word in FIRST_NAMES and after not in COMMON and _gap(text, token, run[k + 1]) == " ":
            start = k
    if start is None:
        return set(), set()
    end = start + 1
    while end < len(run) and _gap(text, run[end - 1], run[end]) in (" ", "-"):
        end += 1
    indexes = set(range(start, end))
    words = {_norm(run[i].text) for i in indexes} - TITLES
    if not sure:  # a famous place's name as a given name ("Paris Hilton") still leaves "Paris" a place
        words = {w for w in words if (lexicon.get(w) or (frozenset(), 0))[1] < BIG_CITY}
    return indexes, words


def recognize(text: str, lexicon: Lexicon) -> list[Mention]:
    """Every place name (and demonym) in the text, in order, longest match first."""
    runs = _runs(text, _tokens(text))
    phrases = [_phrases(text, run) for run in runs]
    lexicon.prefetch(norm for norms in phrases for norm in norms)
    # A run none of whose phrases names a place yields no mention, and its people's words can
    # block no mention either (a blocked word is a place's name): only "Bath, Maine" needs a look.
    runs = [run for run, norms in zip(runs, phrases)
            if lexicon.knows_any(norms) or text.startswith(",", run[-1].end)]
    people = [_people(text, run, lexicon) for run in runs]
    # Every word of a person's name: "Georgia" after "Georgia Stevens" is still the girl.
    person_words = set().union(*(words for _, words in people))
    mentions: list[Mention] = []
    for run, (blocked, _) in zip(runs, people):
        mentions.extend(_match_run(text, run, blocked, lexicon, person_words, mentions[-1] if mentions else None))
    return mentions


def _phrases(text: str, run: list[_Token]) -> list[str]:
    """Every phrase of a run the matcher may look up: the run whole, and every name of up to
    MAX_WORDS in it (a lone word that is never a place alone is left out)."""
    norms = [_norm(text[run[0].start:run[-1].end])] if len(run) > MAX_WORDS else []
    for i, first in enumerate(run):
        if not _never_alone(first.text):
            norms.append(_norm(first.text))
        norms.extend(_norm(text[first.start:last.end]) for last in run[i + 1:i + MAX_WORDS])
    return norms


@functools.lru_cache(maxsize=1 << 14)
def _never_alone(word: str) -> bool:
    """Whether one word is never a place on its own here, whatever the gazetteer says (a month,
    a day, a common word or a news agency's name not in capitals), so it need not be looked up."""
    if word in _ABBREVIATIONS:
        return False  # "Churchill, Man.": Manitoba, though "man" is a common word
    norm = _norm(word)
    return norm in MONTHS or norm in DAYS or ((norm in COMMON or norm in NEWS_AGENCIES) and not word.isupper())


def _match_run(text: str, run: list[_Token], blocked: set[int], lexicon: Lexicon,
               person_words: set[str], after: Mention | None) -> list[Mention]:
    """The names inside one run of capitalised words, longest first from the left.

    `after` is the place kept last before this run: a name listed right after it ("Bentley Park,
    Trinity Beach and Mooroobool") is cued as a place too.
    """
    found: list[Mention] = []
    i, consumed = 0, -1  # consumed: the last token index inside a kept name
    areas_only = False  # after a refused small town's name, only a state, country or big city inside it counts
    while i < len(run):
        if i in blocked or (i > 0 and run[i].text.lower() in _ARTICLES):
            i += 1  # a person, or "The" inside a run: "DETROIT The U.S." names the U.S.
            continue
        stop = min(len(run), i + MAX_WORDS)
        if blocked:
            stop = min((b for b in blocked if i < b < stop), default=stop)
        for j in range(stop, i, -1):
            start, end = run[i].start, run[j - 1].end
            phrase = text[start:end]
            qualified = _qualified(text, end, lexicon)
            if j == i + 1 and _never_alone(phrase) and not qualified:
                continue  # _keep would refuse it: no need to look it up
            norm = _norm(phrase)
            known = lexicon.get(norm)
            if known is None:
                continue
            if j < len(run) and _continues(text, run, j, known[0], lexicon):
                i = j - 1  # part of a street or of a hyphenated name: "Hertford Road", "Wal-Mart"
                break
            if areas_only and not known[0] & _AREA_KINDS and known[1] < BIG_CITY:
                continue
            mention = Mention(start, end, phrase, norm, known[0], known[1])
            inside = i > 0 and consumed != i - 1 and _opens_name(text, run, i)
            if inside and j < len(run):
                break  # in the middle of a longer name: "Agence France-Press", "Royal Canadian Mounted"
            joined = i > 0 and text[run[i - 1].end:start] == " "
            # Listed right after a place, and not a person's first name: "Moscow and Ayse Wieting".
            listed = j == len(run) and after is not None and _LISTED.fullmatch(text, after.end, start) is not None
            followed = j < len(run) and text[end:run[j].start] == " " and _place_word(run[j].text, lexicon)
            if (qualified and j == i + 1 and "city" in known[0]) or \
                    _keep(text, mention, j - i, inside, joined, followed, listed or qualified, person_words):
                found.append(mention)
                after = mention
                consumed = j - 1
                i = j - 1
            elif j - i > 1 and not known[0] & _AREA_KINDS and known[1] < CITY_MIN:
                # A small town's longer name, refused: a state or a big city inside it may still be
                # meant ("University of Michigan Center", "London City airport").
                areas_only = True
                continue
            break
        areas_only = False
        i += 1
    return found


_AREA_KINDS = frozenset({"country", "admin1", "continent", "demonym", "overlay"})


def _place_word(word: str, lexicon: Lexicon) -> bool:
    """Whether a word names a place by itself and is no common word ("Madrid", not "Superior")."""
    return not _never_alone(word) and lexicon.get(_norm(word)) is not None


def _qualified(text: str, end: int, lexicon: Lexicon) -> bool:
    """Whether a state or country is written right after a comma: "Bath, Maine", "Mobile, Ala.".
    Such a town is a place even when its name is also a common word or a surname."""
    if not text.startswith(",", end):
        return False
    match = _STATE_AFTER.match(text, end)
    if match is None:
        return False
    known = lexicon.get(_norm(match.group("state")))
    return known is not None and bool(known[0] & {"admin1", "country"}) and match.group("state") not in DEGREES


def _continues(text: str, run: list[_Token], j: int, kinds: frozenset[str], lexicon: Lexicon) -> bool:
    """Whether the name ending before token j goes on as something else: a street ("Hertford
    Road") or a town's name hyphened to a word that is no place ("Wal-Mart", "Champs-Elysees";
    not "Canada-EU", where a country meets an acronym)."""
    gap = text[run[j - 1].end:run[j].start]
    if gap == " ":  # "Hertford Road", "King Edward Street": a street word ends the words that follow
        if "demonym" in kinds:
            return False  # an adjective: "Iranian Red Crescent" is no street
        last = j
        while last + 1 < min(len(run), j + 3) and text[run[last].end:run[last + 1].start] == " ":
            last += 1
        return last == len(run) - 1 and _norm(run[last].text) in STREET_WORDS
    if gap != "-" or kinds & _AREA_KINDS or run[j].text.isupper():
        return False
    for last in range(min(len(run), j + MAX_WORDS), j, -1):
        known = lexicon.get(_norm(text[run[j].start:run[last - 1].end]))
        if known and (known[0] & _AREA_KINDS or known[1] >= CITY_MIN):
            return False  # two places: "Dallas-Fort Worth", "Israeli-Palestinian"
    return True


def _opens_name(text: str, run: list[_Token], i: int) -> bool:
    """Whether the words before token i make it part of a longer name ("Law Center", "North
    London") rather than stand before it ("Overall Edmonton", "CTV Edmonton", "University of X")."""
    before = run[i - 1]
    if _gap(text, before, run[i]) not in (" ", "-"):
        return False  # "University of Michigan": a place after "of"
    word = _norm(before.text)
    if word in COMMON - {"north", "south", "east", "west", "upper", "lower", "greater", "central"}:
        return False
    if before.text.isupper() or (i == 1 and _sentence_start(text, before.start)):
        return False
    return True


def _keep(text: str, mention: Mention, words: int, inside: bool, joined: bool, followed: bool, cued: bool,
          person_words: set[str]) -> bool:
    """Whether a matched name is a place here, by the rules in this module's docstring.

    `followed`: another place's name follows it in the same run ("Real" in "in Real Madrid").
    `cued`: a state or country is written after it ("Paris, Ky."), or it is listed right after
    another place ("Bentley Park, Trinity Beach and Mooroobool").
    """
    kinds, norm, phrase = mention.kinds, mention.norm, mention.text
    single = words == 1
    if norm in MONTHS or norm in DAYS or phrase in DEGREES:
        return False
    if single and "admin1" in kinds and (phrase in _ABBREVIATIONS or (phrase.isupper() and len(phrase) == 2)) \
            and _after_a_name(text, mention.start):
        return True  # "Churchill, Man.", "LOUISVILLE, KY": a state written after its town
    if single and (norm in COMMON or norm in NEWS_AGENCIES) and not (phrase.isupper() and "overlay" in kinds):
        return False
    if single and norm in person_words:
        return False
    before = _previous_word(text, mention.start)
    if "demonym" in kinds and kinds <= {"demonym", "city", "admin2"}:
        if joined:
            return False  # the end of a longer adjective: "Central American", "Latin American"
        if before in _LANGUAGE_VERBS and not re.match(r"\s+[a-z]", text[mention.end:mention.end + 2]):
            return False  # the language: "speaks French", "shouted in Turkish."
    if "admin2" in kinds and (phrase.split()[-1].lower() in AREA_WORDS or in_county_list(text, mention.end)):
        return True  # "Metcalfe County", "Tippecanoe and Clinton counties"
    if phrase.isupper() and len(phrase) <= 3 and single and not kinds & {"overlay", "country"}:
        return False  # an acronym ("AP", "CNN"), not a town; a country's ("UK", "UAE") is the country
    if inside:
        return False  # the end of a longer name: "Latin America", "Real Madrid", "Skate Canada"
    if kinds & _AREA_KINDS:
        return True
    if "city" not in kinds:
        return False  # a county named without "County": too often a surname
    if single and mention.weight < BIG_CITY and (
            _SAYS.match(text, mention.end)
            or (_previous_word(text, mention.start, dot=False) in ("said", "says") and _CLAUSE_END.match(text, mention.end))):
        return False  # a person: "Palma said", "said Palma."
    if single and before == "the" and phrase.endswith("s") and _written(text, phrase[:-1]):
        return False  # a family: "the Boons", after "Arlene Boon"
    # "in X" cues X only when X ends there: "in Real Madrid" names a club.
    cue = cued or (not followed and (before in _LOCATIVE or _HOMETOWN.search(
        text, max(0, mention.start - 12), mention.start) is not None))
    if not single and not cue and phrase.rsplit(" ", 1)[-1].lower() in BUILDING_WORDS:
        return False  # a building: "the White House said" (but "in College Station, Texas")
    if single and (norm in SURNAMES or norm in FIRST_NAMES) and mention.weight < BIG_CITY:
        return cue and mention.weight >= CUE_MIN
    if single and _written(text, norm):
        return cue and mention.weight >= CITY_MIN  # "Mobile", "Reading": common words too
    if _sentence_start(text, mention.start) and single:
        return mention.weight >= CITY_MIN * 5 or (cue and mention.weight >= CITY_MIN)
    return mention.weight >= CITY_MIN or (cue and mention.weight >= CUE_MIN)


# Names listed before a plural area word: "Tippecanoe and Clinton counties", "Orleans, Jefferson
# and St. Bernard parishes" (matched right after each name).
_COUNTY_LIST = re.compile(r"(?:(?:,\s*|,?\s+(?:and|or)\s+)[A-Z][\w'.-]*(?:\s[A-Z][\w'.-]*)?)*"
                          r"\s+(?:counties|parishes|boroughs)\b")


def in_county_list(text: str, end: int) -> bool:
    """Whether the name ending at `end` is one of a list of counties ("Tippecanoe and Clinton counties")."""
    return _COUNTY_LIST.match(text, end) is not None


_LISTED = re.compile(r",\s*|,?\s+(?:and|or)\s+")  # between two places of a list
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?\"\u201d)]|$)")
_HOMETOWN = re.compile(r",\s+of\s+$")  # "Kimberly Hacker, 43, of McKee"
_NAME_AND_COMMA = re.compile(r"[A-Z][\w.'\u2019-]*,\s+$")


def _after_a_name(text: str, start: int) -> bool:
    """Whether a capitalised word and a comma stand right before `start`: "Paris, " in "Paris, Ky."."""
    return _NAME_AND_COMMA.search(text, max(0, start - 40), start) is not None


def _written(text: str, word: str) -> bool:
    """Whether the text writes the word exactly so, as a word of its own (in lower case: "mobile")."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _in_word(text[at - 1])) and (end == len(text) or not _in_word(text[end])):
            return True
        at = text.find(word, end)
    return False


def _in_word(char: str) -> bool:
    """Whether a character continues a word ("crimestoppers-brant" is no "brant")."""
    return char.isalnum() or char in "-'_"


_STATE_AFTER = re.compile(r",\s+(?P<state>[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+)?|[A-Z]\.[A-Z]\.|[A-Z]{2}\b)")
