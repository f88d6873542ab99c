"""The interface in English and Spanish: complete catalogues on both sides, the story left as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po

from geo import i18n, player
from geo.article import MENTION_RULE
from geo.tables import citation
from geo.story import load_story

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_the_code_marks_has_a_spanish_translation():
    with (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    translated = {m.id: m.string for m in catalog if m.id}
    marked = i18n.extract(i18n.source_files())
    assert marked, "the extractor found no marked message"
    missing = [m for m in marked if not translated.get(m)]
    assert missing == [], f"untranslated: {missing}"
    for message in marked:
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(translated[message])), message


def test_the_player_catalogues_have_the_same_keys_and_placeholders():
    catalogues = player.catalogues()
    assert set(catalogues) == set(i18n.LANGUAGES)
    english = catalogues["en"]
    for lang, strings in catalogues.items():
        assert set(strings) == set(english), lang
        for key, text in strings.items():
            assert text.strip(), (lang, key)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), (lang, key)
    # Spanish is Spanish: apart from figures and symbols, no entry is left in English.
    same = [k for k in english if english[k] == catalogues["es"][k] and re.search(r"[a-z]{3}", PLACEHOLDER.sub("", english[k]))]
    assert same == [], same


def test_python_made_interface_sentences_follow_the_language_and_the_story_stays_as_written():
    story = load_story(REPO / "data" / "story.yaml")
    spanish = citation(story, i18n.gettext_for("es"))
    assert "El texto no tiene titular ni fecha." in spanish and story.title in spanish
    assert i18n.gettext_for("es")(MENTION_RULE).startswith("Una oración nombra un lugar")
    assert i18n.gettext_for("xx")(MENTION_RULE) == MENTION_RULE  # an unknown language is English


def test_the_language_is_the_addresss_then_the_browsers_then_english():
    assert i18n.language("es") == "es"
    assert i18n.language(None, "es-MX,es;q=0.9,en;q=0.8") == "es"
    assert i18n.language("xx", "fr-FR,de") == "en"
    assert i18n.language("__proto__") == "en"
