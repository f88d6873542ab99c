"""Interface words in the reader's language: gettext catalogues kept as Babel .po files.

Only the interface is translated. The article, its quotes and the story's own text (titles, notes,
questions) stay as written. The .po files in geo/locale are the source; they are compiled in
memory when first needed, so there is no build step and no compiled file to keep in step.
`python -m geo.i18n extract` lists the messages the code marks, for the catalogues.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = {"en": "English", "es": "Español"}  # English is the code's own language
DEFAULT = "en"

Translate = Callable[[str], str]


def _(message: str) -> str:
    """Mark a message for the catalogues where it is defined; it is translated where it is shown."""
    return message


def language(wanted: str | None, accept: str | None = None) -> str:
    """The language to show: one asked for (an address's lang=), else the browser's, else English."""
    if wanted in LANGUAGES:
        return wanted
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled from its .po file (English needs none)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
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
    """Every message the code marks with _() or t(), in the order first seen (Babel's Python extractor)."""
    from babel.messages.extract import extract_from_file

    found: dict[str, None] = {}
    for path in paths:
        for _line, message, _comments, _context in extract_from_file("python", str(path), keywords={"_": None, "t": None}):
            if isinstance(message, str):
                found.setdefault(message, None)
    return list(found)


def source_files(repo: Path = LOCALE_DIR.parent.parent) -> list[Path]:
    """The files whose interface words the catalogues must cover."""
    return sorted([repo / "app.py", *(repo / "pages").glob("*.py"), *(repo / "geo").glob("*.py")])


if __name__ == "__main__":
    for message in extract(source_files()):
        print(repr(message))
