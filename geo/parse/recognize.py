"""Find place names in a text: longest match of capitalised word runs against the gazetteer's names.

A run of capitalised words ("Metcalfe County", "New York City", "U.S.") is matched from its left
end, longest name first, against the index's lexicon (every normalized name, with its biggest
population and the kinds of place it names) and the curated overlay. Rules that hold for news
in general then drop what is not a place here: people (a given name or a title before the run,
or a surname the article already used for a person), common words at the start of a sentence,
month and day names, and small places named by a word the article also writes in lower case.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from geo.admin import STATE_ABBREVIATIONS
from geo.gazetteer import normalize
from geo.parse.words import AREA_WORDS, COMMON, DAYS, FIRST_NAMES, MONTHS, NEWS_AGENCIES, SURNAMES, TITLES

MAX_WORDS = 6  # longest name tried, in words ("Llanfair... " aside, names are short)
# A capitalised word (with inner hyphens or apostrophes: "Winston-Salem", "O'Hare"), an
# initialism with dots ("U.S.", "D.C."), or a state's abbreviation ("W.Va.", "Ky.").
_ABBREVIATIONS = sorted({a for forms in STATE_ABBREVIATIONS.values() for a in forms}, key=len, reverse=True)
# A capitalised word (each part of a hyphenated one is its own token, joined again in a run:
# "Winston-Salem", but "Canada" in "Canada-wide"), "St."/"Mt."/"Ft." before a name, an
# initialism with dots ("U.S.", "D.C."), or a state's abbreviation ("W.Va.", "Ky.").
_TOKEN = re.compile(
    r"(?=[A-Z\u00c0-\u00de])"  # fails fast where no capital starts: most of the text
    r"(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")(?![\w])"
    r"|(?:St|Ste|Mt|Ft)\.(?=\s[A-Z])"
    r"|(?:[A-Z]\.){2,}"
    r"|[A-Z\u00c0-\u00de][\w\u00c0-\u024f]*(?:['\u2019][A-Za-z\u00c0-\u024f]+)*"
)
_JOINERS = frozenset({"of", "de", "del", "la", "le", "du", "upon", "on", "the", "da", "do", "dos", "das", "al", "el", "y"})
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVE = re.compile(r"['\u2019]s$")
_LOCATIVE = frozenset("in at near from to into outside across around toward towards via through throughout between".split())
_LANGUAGE_VERBS = frozenset("in speak speaks spoke speaking fluent".split())
_SAYS = re.compile(r"\s+(?:said|says|told|added|wrote)\b")
_SENTENCE_END = re.compile(r"[.!?:\"\u201c\u201d\u2014\u2013(\[]\s*$|^\s*$")
CITY_MIN = 20_000  # a town named without a cue must be at least this big
CUE_MIN = 1_000  # "in X", "X, Texas": smaller towns when the text says they are places
BIG_CITY = 500_000  # big enough to be the place even when its name is also a surname ("Houston")


@dataclass(frozen=True)
class Mention:
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


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str


class Lexicon:
    """The index's names table as the recogniser asks it: one indexed lookup per tried phrase."""

    def __init__(self, connection: sqlite3.Connection, overlay: dict[str, list]) -> None:
        """Read through `connection`; overlay names count as known places too."""
        self.connection = connection
        self.overlay = overlay
        self._cache: dict[str, tuple[frozenset[str], int] | None] = {}

    def get(self, norm: str) -> tuple[frozenset[str], int] | None:
        """(kinds, weight) of a normalized name, or None if nothing is so named."""
        if norm in self._cache:
            return self._cache[norm]
        row = self.connection.execute("SELECT kinds, weight FROM lexicon WHERE norm = ?", (norm,)).fetchone()
        found: tuple[frozenset[str], int] | None = None
        if row is not None:
            found = (frozenset(row[0].split(",")), int(row[1] or 0))
        if norm in self.overlay:
            kinds, weight = found or (frozenset(), 0)
            found = (kinds | {"overlay"}, max(weight, 10**9))
        if len(self._cache) > 200_000:  # a bounded memo: a long batch must not grow without end
            self._cache.clear()
        self._cache[norm] = found
        return found


def _tokens(text: str) -> list[_Token]:
    """Capitalised tokens, without a possessive 's."""
    found = []
    for match in _TOKEN.finditer(text):
        word = _POSSESSIVE.sub("", match.group())
        found.append(_Token(match.start(), match.start() + len(word), word))
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
    if gap.startswith(" ") and gap.endswith(" ") and gap.strip() in _JOINERS:
        return gap.strip()
    return None


def _sentence_start(text: str, at: int) -> bool:
    """Whether position `at` opens a sentence, a line, a quotation or a bracket."""
    before = text[max(0, at - 3):at]
    return at == 0 or "\n" in before or bool(_SENTENCE_END.search(before))


def _previous_word(text: str, at: int) -> str:
    """The word right before position `at`, lower case, without a trailing dot."""
    match = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, at - 30):at])
    return match.group(1).lower() if match else ""


def _people(text: str, run: list[_Token], lexicon: Lexicon) -> tuple[set[int], set[str]]:
    """The token indexes of people's names in the run, and the words of the surer ones.

    A person starts after a title ("President Vladimir Putin"), at a given name that is not
    followed by a common word ("Paris Town Hall" is no person), or at a given name before a
    common surname ("Georgia Stevens"); it ends at a joiner ("McLellan of Edmonton").
    """
    if len(run) >= 2 and lexicon.get(normalize(text[run[0].start:run[-1].end])) is not None:
        return set(), set()  # the whole run is a place: "Virginia Beach", "Port Elizabeth"
    start, sure = None, False
    if _previous_word(text, run[0].start) in TITLES:
        start, sure = 0, True
    for k, token in enumerate(run[:-1]):
        if start is not None:
            break
        word, after = normalize(token.text), normalize(run[k + 1].text)
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
    words = {normalize(run[i].text) for i in indexes} - TITLES
    if not sure:  # a famous place's name as a given name ("Paris Hilton") still leaves "Paris" a place
        words = {w for w in words if (lexicon.get(w) or (frozenset(), 0))[1] < BIG_CITY}
    return indexes, words


def recognize(text: str, lexicon: Lexicon) -> list[Mention]:
    """Every place name (and demonym) in the text, in order, longest match first."""
    runs = _runs(text, _tokens(text))
    people = [_people(text, run, lexicon) for run in runs]
    # Every word of a person's name: "Georgia" after "Georgia Stevens" is still the girl.
    person_words = set().union(*(words for _, words in people))
    lower_words = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    mentions: list[Mention] = []
    for run, (blocked, _) in zip(runs, people):
        mentions.extend(_match_run(text, run, blocked, lexicon, person_words, lower_words))
    return mentions


def _match_run(text: str, run: list[_Token], blocked: set[int], lexicon: Lexicon,
               person_words: set[str], lower_words: set[str]) -> list[Mention]:
    """The names inside one run of capitalised words, longest first from the left."""
    found: list[Mention] = []
    i, consumed = 0, -1  # consumed: the last token index inside a kept name
    while i < len(run):
        if i in blocked:
            i += 1
            continue
        stop = min(len(run), i + MAX_WORDS)
        stop = next((b for b in sorted(blocked) if i < b < stop), stop)
        for j in range(stop, i, -1):
            start, end = run[i].start, run[j - 1].end
            phrase = text[start:end]
            norm = normalize(phrase)
            known = lexicon.get(norm)
            if known is None:
                continue
            mention = Mention(start, end, phrase, norm, known[0], known[1])
            inside = i > 0 and consumed != i - 1 and _opens_name(text, run, i)
            if inside and j < len(run):
                break  # in the middle of a longer name: "Agence France-Press", "Royal Canadian Mounted"
            joined = i > 0 and text[run[i - 1].end:start] == " "
            if _keep(text, mention, j - i, inside, joined, person_words, lower_words):
                found.append(mention)
                consumed = j - 1
                i = j - 1
            break
        i += 1
    return found


def _opens_name(text: str, run: list[_Token], i: int) -> bool:
    """Whether the words before token i make it part of a longer name ("Law Center", "North
    London") rather than stand before it ("Overall Edmonton", "CTV Edmonton", "University of X")."""
    before = run[i - 1]
    if _gap(text, before, run[i]) not in (" ", "-"):
        return False  # "University of Michigan": a place after "of"
    word = normalize(before.text)
    if word in COMMON - {"north", "south", "east", "west", "upper", "lower", "greater", "central"}:
        return False
    if before.text.isupper() or (i == 1 and _sentence_start(text, before.start)):
        return False
    return True


def _keep(text: str, mention: Mention, words: int, inside: bool, joined: bool,
          person_words: set[str], lower_words: set[str]) -> bool:
    """Whether a matched name is a place here, by the rules in this module's docstring."""
    kinds, norm, phrase = mention.kinds, mention.norm, mention.text
    single = words == 1
    if norm in MONTHS or norm in DAYS:
        return False
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
    if phrase.split()[-1].lower() in AREA_WORDS and "admin2" in kinds:
        return True
    if phrase.isupper() and len(phrase) <= 3 and single and "overlay" not in kinds:
        return False  # an acronym ("AP", "CNN"), not a town
    if kinds & {"country", "admin1", "continent", "demonym", "overlay"}:
        return True
    if "city" not in kinds or inside:
        return False  # a county named without "County" (too often a surname), or part of a longer name
    if single and (_SAYS.match(text, mention.end) or before in ("said", "says")):
        return False  # a person: "Palma said"
    cue = before in _LOCATIVE or _state_follows(text, mention.end)
    if single and (norm in SURNAMES or norm in FIRST_NAMES) and mention.weight < BIG_CITY:
        return cue and mention.weight >= CUE_MIN
    if single and norm in lower_words:
        return cue and mention.weight >= CITY_MIN  # "Mobile", "Reading": common words too
    if _sentence_start(text, mention.start) and single:
        return mention.weight >= CITY_MIN * 5 or (cue and mention.weight >= CITY_MIN)
    return mention.weight >= CITY_MIN or (cue and mention.weight >= CUE_MIN)


_STATE_AFTER = re.compile(r",\s+(?:[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+)?|[A-Z]\.[A-Z]\.|[A-Z]{2}\b)")


def _state_follows(text: str, end: int) -> bool:
    """Whether a comma and a capitalised word (a state, a country) follow: "Paris, Ky."."""
    return _STATE_AFTER.match(text, end) is not None
