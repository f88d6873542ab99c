"""Interface words in the reader's language: gettext catalogues kept as Babel .po files.

Only the interface is translated. The article, its quotes and the story's own text (titles, notes,
questions, place names) stay as written; a page that shows story text in another language says so
once. The .po files in geo/locale are the source; they are compiled in memory when first needed,
so there is no build step and no compiled file to keep in step.

How to make a page's words translatable (the pattern every page follows):

1. A fixed sentence defined away from where it is shown (a module constant, a list of bullets, a
   column name): mark it with `_()`, which returns it unchanged, so the extractor finds it:
   ``TITLE = _("People reported")``.
2. Where words are shown, translate them: a page gets ``t = translator()`` (pages/_language.py),
   then ``st.title(t(TITLE))`` or, for words written in place, ``st.button(t("Clear"))``.
   A call `t("...")` with a literal both marks and translates.
3. A sentence with values in it is a format string with named placeholders, filled in AFTER
   translating, so the translator can move them: ``t("{name} chosen: pick another.").format(name=n)``,
   never an f-string (the catalogue would need one entry per value). Format numbers before
   filling them in (en-US grouping, as the player does: ``f"{km:,.0f}"``).
4. A sentence that geo/ builds from parts and hands to a page later (through a cache, a table
   row, a dataclass) is a `Message`: a str holding the English text that remembers its msgid and
   values, so the page can still show it in the reader's language: ``translate(row["claim"], t)``.
   geo/ never needs to know the language; a CSV or the CLI just uses it as the English str.
   A store that keeps only the str (a pydantic field, a YAML file) loses the Message: the page gets
   it back with ``recognise(text, MESSAGES)``, given the msgids that can have made it.
5. Story text is never passed to t(). Plurals are avoided ("{count} problem(s)"), as in the player.
6. Run ``python -m geo.i18n update``: it adds every newly marked message to each .po with an empty
   translation (and drops the ones no code marks any more). Fill in the msgstr of each, keeping
   the placeholders; tests/test_i18n.py fails while one is missing or a placeholder differs.
   ``python -m geo.i18n`` alone lists the marked messages.
"""

from __future__ import annotations

import gettext
import io
import re
import sys
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = {"en": "English", "es": "Español"}  # English is the code's own language
DEFAULT = "en"
# The calls whose first argument is a message: _() marks, t() translates, Message() defers.
KEYWORDS = {"_": None, "t": None, "Message": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")

Translate = Callable[[str], str]


def _(message: str) -> str:
    """Mark a message for the catalogues where it is defined; it is translated where it is shown."""
    return message


class Message(str):
    """An English interface sentence that can still be shown in another language where it ends up.

    As a str it is the English text with its values filled in; `translate(message, t)` gives it in
    the reader's language. Values that are Messages themselves are translated too.
    """

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, **values: Any) -> Message:
        """The message `msgid` with these values filled in (in English, for now)."""
        made = super().__new__(cls, msgid.format(**values) if values else msgid)
        made.msgid, made.values = msgid, values
        return made

    def __reduce__(self) -> tuple:
        """Pickled (st.cache_data) as its msgid and values, not as the English text alone."""
        return _rebuild, (self.msgid, self.values)


def _rebuild(msgid: str, values: dict[str, Any]) -> Message:
    """A pickled Message, rebuilt."""
    return Message(msgid, **values)


def translate(text: str, t: Translate) -> str:
    """Text as shown in t's language: a Message is translated, any other str (story text) stays."""
    if not isinstance(text, Message):
        return text
    return t(text.msgid).format(**{name: translate(v, t) if isinstance(v, str) else v for name, v in text.values.items()})


def recognise(text: str | None, messages: Iterable[str]) -> str | None:
    """Text one of these messages made, as that Message again (its values as text); other text as it is.

    For sentences that went through a store that keeps only the str (a story's review_reason, saved
    in English in its YAML): the page can still show them in the reader's language.
    """
    if not text or isinstance(text, Message):
        return text
    for msgid in messages:
        parts, seen, pattern = PLACEHOLDER.split(msgid), set(), ""
        for index, part in enumerate(parts):
            if index % 2 == 0:
                pattern += re.escape(part)
            else:
                pattern += f"(?P={part})" if part in seen else f"(?P<{part}>.+?)"
                seen.add(part)
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match:
            return Message(msgid, **match.groupdict())
    return text


def language(wanted: str | None, accept: str | None = None) -> str:
    """The language to show: one asked for (an address's lang=), else the browser's, else English."""
    if wanted in LANGUAGES:
        return wanted
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


def po_path(lang: str) -> Path:
    """Where a language's catalogue is kept."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled from its .po file (English needs none)."""
    po = po_path(lang)
    if lang == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_for(lang: str) -> Translate:
    """The translate function for a language (English when the language is unknown)."""
    return translations(lang if lang in LANGUAGES else DEFAULT).gettext


def extract(paths: list[Path]) -> list[str]:
    """Every message the code marks with _(), t() or Message(), in the order first seen (Babel's extractor)."""
    from babel.messages.extract import extract_from_file

    found: dict[str, None] = {}
    for path in paths:
        for _line, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            if isinstance(message, str):
                found.setdefault(message, None)
    return list(found)


def source_files(repo: Path = LOCALE_DIR.parent.parent) -> list[Path]:
    """The files whose interface words the catalogues must cover."""
    return sorted([repo / "app.py", *(repo / "pages").glob("*.py"), *(repo / "geo").glob("*.py")])


def update(lang: str, messages: list[str], path: Path | None = None) -> tuple[list[str], list[str]]:
    """Bring a language's .po (`path`, else its place in geo/locale) in step with the marked messages.

    New messages get an empty translation to fill in; messages no code marks any more are dropped;
    every translation already there is kept as it is. Returns (added, dropped).
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = path or po_path(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    template = Catalog()
    for message in messages:
        template.add(message, flags=["python-brace-format"] if PLACEHOLDER.search(message) else [])
    before = {m.id for m in catalog if m.id}
    # No fuzzy guesses: a changed sentence is translated anew, never shown with an old translation.
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    # Babel's placeholders ("FULL NAME <EMAIL@ADDRESS>") say nothing: the file's history says who.
    catalog.last_translator = catalog.language_team = "Story Map"
    catalog.msgid_bugs_address = ""
    added, dropped = [m for m in messages if m not in before], sorted(before - set(messages))
    if added or dropped or not isinstance(catalog.revision_date, datetime):
        catalog.revision_date = datetime.now(timezone.utc)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())
    return added, dropped


def main(argv: list[str]) -> int:
    """`python -m geo.i18n` lists the marked messages; `python -m geo.i18n update` updates every .po."""
    messages = extract(source_files())
    if argv[:1] == ["update"]:
        for lang in LANGUAGES:
            if lang != DEFAULT:
                added, dropped = update(lang, messages)
                print(f"{po_path(lang)}: {len(added)} new (to translate), {len(dropped)} dropped")
                for message in added:
                    print("  +", repr(message))
        return 0
    if argv:
        print("usage: python -m geo.i18n [update]", file=sys.stderr)
        return 2
    for message in messages:
        print(repr(message))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
