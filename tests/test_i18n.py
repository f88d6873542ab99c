"""The interface in English and Spanish: complete catalogues on both sides, the story left as written."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

from babel.messages.pofile import read_po

from geo import i18n, player
from geo.article import MENTION_RULE
from geo.distance import check_claim
from geo.geocoding import describe_failure, locate_places
from geo.i18n import Message, translate
from geo.confirm import review_reason
from geo.draft import AMBIGUOUS, NO_PLACE
from geo.model import Count, Distance, Place
from geo.quantities import describe, rule_reading
from geo.tables import citation
from geo.story import load_story

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_the_code_marks_has_a_spanish_translation():
    with (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    # A fuzzy entry is not used (the catalogue is compiled without them): it counts as missing.
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    marked = i18n.extract(i18n.source_files())
    assert marked, "the extractor found no marked message"
    missing = [m for m in marked if not translated.get(m)]
    assert missing == [], f"untranslated (run `python -m geo.i18n update`, then translate): {missing}"
    for message in marked:
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(translated[message])), message
    # Nothing is left over either: a sentence the code no longer marks is dropped, not kept stale.
    assert set(translated) - set(marked) == set(), "run `python -m geo.i18n update` to drop them"


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


SPANISH = i18n.gettext_for("es")


def test_a_message_is_its_english_text_and_translates_where_it_is_shown():
    inner = Message("{first} or {second}", first="Mexico (MX)", second="United States (US)")
    note = Message("{place}: {note}", place="Tijuana", note=inner)
    assert note == "Tijuana: Mexico (MX) or United States (US)"  # a str, in English, for CSV and the CLI
    assert translate(note, SPANISH) == "Tijuana: Mexico (MX) o United States (US)"  # nested values too
    assert translate("Tijuana", SPANISH) == "Tijuana"  # a plain str is story text: never translated
    # st.cache_data pickles what it keeps: a message comes back still translatable.
    again = pickle.loads(pickle.dumps(note))
    assert again == note and translate(again, SPANISH) == translate(note, SPANISH)


def test_sentences_geo_builds_reach_the_page_in_spanish_with_the_articles_words_as_written():
    claim = check_claim(Distance(start="a", end="b", stated_km=180, quote="180km"), 146.2)
    assert claim.text.startswith("The article says 180 km; the straight line is 146 km.")
    assert translate(claim.text, SPANISH).startswith("El artículo dice «180 km»; la línea recta mide 146 km. La cifra")
    at_least = Count(quote="at least 500 migrants", value=500, qualifier="at least", what="migrants", place="x")
    assert translate(describe(at_least), SPANISH) == "at least 500 migrants (500 o más)"
    assert translate(rule_reading("almost"), SPANISH) == "del 90% de la cifra hasta justo por debajo de ella"
    assert translate(describe_failure(OSError("refused")), SPANISH) == "no se pudo contactar o no respondió a tiempo"


def test_a_geocoding_note_is_translated_on_the_page(tmp_path):
    story = load_story(REPO / "data" / "story.yaml")
    lost = story.model_copy(update={"places": [story.places[0].model_copy(update={"query": "Nowhereville"})]})
    _, [note] = locate_places(lost)
    assert note.startswith(f"{lost.places[0].name}: no position found for 'Nowhereville'")
    assert translate(note, SPANISH) == f"{lost.places[0].name}: no se encontró posición para 'Nowhereville'; queda fuera del mapa."


def test_a_review_reason_kept_as_a_plain_str_in_the_story_is_recognised_and_translated():
    made = Message(AMBIGUOUS, address="Springfield, Missouri, United States", confidence="16%",
                   others="Springfield, Illinois, United States (12%); Springfield, Ohio, United States (8%)")
    # The story's pydantic model keeps only the English str (and so does its YAML file).
    place = Place(id="springfield", name="Springfield", query="Springfield", kind="city", mentions=["Springfield"],
                  review=True, review_reason=made)
    assert type(place.review_reason) is str and place.review_reason == made
    assert translate(review_reason(place.review_reason), SPANISH) == (
        "ambiguo: se eligió Springfield, Missouri, United States (16%); también Springfield, Illinois, United States "
        "(12%); Springfield, Ohio, United States (8%)")
    assert translate(review_reason(str(Message(NO_PLACE))), SPANISH).startswith("su oración no nombra ningún lugar")
    # Text no message made (a person's own words, a geocoder's note) stays as it is; so does nothing.
    assert review_reason("checked by the desk") == "checked by the desk" and review_reason(None) is None
    # A placeholder used twice must hold the same words both times.
    assert i18n.recognise("a and b", ["{x} and {x}"]) == "a and b" and not isinstance(
        i18n.recognise("a and b", ["{x} and {x}"]), Message)
    assert i18n.recognise("a and a", ["{x} and {x}"]).values == {"x": "a"}


def test_update_adds_new_messages_empty_keeps_translations_and_drops_unmarked(tmp_path):
    po = tmp_path / "messages.po"
    po.write_bytes(i18n.po_path("es").read_bytes())
    marked = i18n.extract(i18n.source_files())
    added, dropped = i18n.update("es", [*marked[1:], "A brand new {thing}."], path=po)
    assert added == ["A brand new {thing}."] and dropped == [marked[0]]
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    assert catalog.get("A brand new {thing}.").string == "" and "python-brace-format" in catalog.get("A brand new {thing}.").flags
    assert catalog.get(marked[1]).string == SPANISH(marked[1]) != ""
    assert catalog.get(marked[0]) is None


# t() inside an f-string, or a translate function called on the spot (translator()("…")), is
# invisible to Babel's extractor: the words would never reach the catalogue, and stay English.
HIDDEN = [
    re.compile(r"""\bf(["']).*?\{[^}]*\bt\(\s*["']"""),
    re.compile(r"""(translator\(\)|gettext_for\([^)]*\))\(\s*["']"""),
]


def test_no_message_is_hidden_from_the_extractor():
    hidden = [
        f"{path.name}:{number}: {line.strip()}"
        for path in i18n.source_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(pattern.search(line) for pattern in HIDDEN)
    ]
    assert hidden == []
