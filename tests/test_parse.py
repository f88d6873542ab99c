"""geo.parse: place names found with offsets, resolved in the article's context, and the batch protocol."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.parse import Parser
from geo.parse.batch import answer, serve

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def parser() -> Parser:
    """One parser for the module (the index is built once per session)."""
    return Parser()


def names(parser: Parser, text: str) -> list[str]:
    """The place names found, as written."""
    return [t.text for t in parser.parse(text)]


def best(parser: Parser, text: str, name: str):
    """The chosen reading of the first toponym written `name`."""
    return next(t for t in parser.parse(text) if t.text == name).best


def test_offsets_point_at_the_names(parser: Parser) -> None:
    text = "Flooding hit Houston and San Antonio, Texas officials said."
    found = parser.parse(text)
    assert [t.text for t in found] == ["Houston", "San Antonio", "Texas"]
    assert all(text[t.start:t.end] == t.text for t in found)


def test_longest_name_wins_and_county_names_the_county(parser: Parser) -> None:
    assert names(parser, "She moved to New York City last year.") == ["New York City"]
    county = best(parser, "Deputies in Metcalfe County found the car.", "Metcalfe County")
    assert county.kind == "admin2" and county.admin1 == "US.KY"


def test_people_months_and_common_words_are_not_places(parser: Parser) -> None:
    text = ("President Vladimir Putin met Paris Hilton in March. Georgia Stevens, 9, skates. "
            "Georgia said she loves it. Reading is fun, Murphy said.")
    assert names(parser, text) == []


def test_initialisms_abbreviations_and_possessives(parser: Parser) -> None:
    found = parser.parse("The U.S. envoy flew from Paris, Ky., to Russia’s capital.")
    assert [t.text for t in found] == ["U.S.", "Paris", "Ky.", "Russia"]


def test_a_place_inside_a_longer_name_is_skipped(parser: Parser) -> None:
    assert names(parser, "It said so to Agence France-Presse and the Southern Poverty Law Center.") == []


def test_context_the_state_named_elsewhere_decides(parser: Parser) -> None:
    alone = best(parser, "Paris is lovely in spring.", "Paris")
    assert alone.country_code == "FR"
    in_texas = best(parser, "The fair in Paris drew crowds. Texas officials praised it.", "Paris")
    assert in_texas.admin1 == "US.TX"
    in_kentucky = best(parser, "He lived in London. Kentucky police said he had moved.", "London")
    assert in_kentucky.admin1 == "US.KY"


def test_context_nearby_places_decide(parser: Parser) -> None:
    text = "Police in Tottenham and Walthamstow searched homes, and a man was held in Edmonton."
    assert best(parser, text, "Edmonton").country_code == "GB"
    assert best(parser, "Edmonton and Calgary saw snow.", "Edmonton").country_code == "CA"


def test_countries_and_states_are_areas_not_towns(parser: Parser) -> None:
    assert best(parser, "Trade with Mexico grew.", "Mexico").kind == "country"
    assert best(parser, "Snow fell across Alberta.", "Alberta").kind == "admin1"


def test_demonyms_are_mentions_of_their_country(parser: Parser) -> None:
    found = {t.text: t for t in parser.parse("Honduran migrants met Canadian officials in Mexico.")}
    assert found["Honduran"].demonym and found["Honduran"].best.country_code == "HN"
    assert found["Canadian"].demonym and found["Canadian"].best.kind == "country"
    assert not found["Mexico"].demonym
    assert "American" not in names(parser, "Central American migrants walked north.")
    assert names(parser, "She speaks fluent French.") == []


def test_candidates_carry_a_confidence(parser: Parser) -> None:
    toponym = parser.parse("Springfield voted on Tuesday.")[0] if names(parser, "Springfield voted on Tuesday.") else None
    found = parser.parse("Flights from Springfield, Ill., resumed.")[0]
    assert len(found.candidates) > 1 and found.best.admin1 == "US.IL"
    assert sum(c.confidence for c in found.candidates) <= 1.0 + 1e-6
    assert found.candidates[0].confidence >= found.candidates[1].confidence
    assert toponym is None or toponym.confidence < 1


def test_given_spans_are_resolved_even_when_recognition_would_skip_them(parser: Parser) -> None:
    text = "Reading is a town. Monroe County grew."
    found = parser.parse(text, spans=[(0, 7), (19, 32)])
    assert [t.text for t in found] == ["Reading", "Monroe County"]
    assert all(t.best is not None for t in found)


def test_batch_answers_bad_and_empty_lines_in_step(parser: Parser) -> None:
    assert answer(parser, '{"id": "a", "text": ""}') == {"id": "a", "toponyms": []}
    assert answer(parser, "not json")["error"].startswith("not JSON")
    assert "spans" in answer(parser, '{"id": "b", "text": "x", "spans": [[0, 9]]}')["error"]
    out, log = __import__("io").StringIO(), __import__("io").StringIO()
    assert serve(parser, ['{"id": "1", "text": "Tijuana"}\n', "\n", '{"id": "2", "text": "Mexico"}\n'], out, log) == 3
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["1", None, "2"]
    assert "line 2" in log.getvalue()


def test_the_batch_process_answers_every_line_in_order() -> None:
    requests = [{"id": "empty", "text": ""},
                {"id": "one", "text": "Migrants reached Tijuana on Sunday."},
                {"id": "spans", "text": "From Mexicali to San Diego.", "spans": [[5, 13], [17, 26]]},
                {"id": "none", "text": "Nothing here."}]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    result = subprocess.run([sys.executable, "-m", "geo", "parse", "--batch"], input=stdin, capture_output=True,
                            text=True, encoding="utf-8", cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["empty", "one", "spans", "none"]
    assert answers[0]["toponyms"] == [] and answers[3]["toponyms"] == []
    assert [(t["start"], t["end"], t["name"]) for t in answers[1]["toponyms"]] == [(17, 24, "Tijuana")]
    assert answers[1]["toponyms"][0]["lat"] == pytest.approx(32.5, abs=0.1)
    assert [t["name"] for t in answers[2]["toponyms"]] == ["Mexicali", "San Diego"]


def test_parse_a_file_prints_json_with_candidates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.__main__ import main

    article = tmp_path / "a.txt"
    article.write_text("Aid reached Aleppo, Syria.", encoding="utf-8")
    assert main(["parse", str(article)]) == 0
    toponyms = json.loads(capsys.readouterr().out)["toponyms"]
    assert [t["name"] for t in toponyms] == ["Aleppo", "Syria"]
    assert toponyms[0]["candidates"][0]["country_code"] == "SY" and "confidence" in toponyms[0]


def test_parse_refuses_bad_input_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.__main__ import main

    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert main(["parse", str(binary)]) == 1
    assert "not UTF-8" in capsys.readouterr().err
    assert main(["parse"]) == 2
    assert "FILE or --batch" in capsys.readouterr().err


# --- news rules for recognition: each on a short text written for it ---

def test_country_acronyms_and_states_after_their_town(parser: Parser) -> None:
    assert names(parser, "Strikes hit UK airports, and the UAE cancelled flights.") == ["UK", "UAE"]
    found = parser.parse("She was born in Churchill, Man. and moved to LOUISVILLE, KY last year.")
    assert [(t.text, t.best.admin1) for t in found] == [
        ("Churchill", "CA.03"), ("Man.", "CA.03"), ("LOUISVILLE", "US.KY"), ("KY", "US.KY")]
    assert names(parser, "AP and CNN reported it.") == []  # other acronyms stay out


def test_a_state_after_a_comma_makes_a_common_word_a_town(parser: Parser) -> None:
    text = "A man from Bath, Maine, met one from Mobile, Ala., with police, fire crews and Smith, Jones."
    assert names(parser, text) == ["Bath", "Maine", "Mobile", "Ala."]
    assert names(parser, "Charles W. Murphy, M.D., has joined the clinic.") == []  # a degree, no state


def test_streets_buildings_and_compound_names_are_not_their_towns(parser: Parser) -> None:
    assert names(parser, "Police closed Hertford Road in Edmonton and King Edward Street in Hamilton.") \
        == ["Edmonton", "Hamilton"]
    assert names(parser, "The White House said the plant in College Station, Texas, would close.") \
        == ["College Station", "Texas"]
    assert names(parser, "Shoppers at Wal-Mart walked the Champs-Elysees; flights from Dallas-Fort Worth landed.") \
        == ["Dallas", "Fort Worth"]
    assert names(parser, "Growth in Latin America slowed, as in Real Madrid's accounts.") == []


def test_people_and_families_are_not_places(parser: Parser) -> None:
    assert names(parser, "Arlene Boon says the Boons will stay on the farm.") == []
    text = '"It is sad," said Montreal Mayor Denis Coderre. Jobs fell, he said.\nVancouver has seen losses.'
    assert names(parser, text) == ["Montreal", "Vancouver"]  # a city before a title, a new sentence


def test_hometowns_and_lists_cue_small_towns(parser: Parser) -> None:
    assert names(parser, "Kimberly Hacker, 43, of McKee was arrested.") == ["McKee"]
    assert names(parser, "Kimberly Hacker of McKee was arrested.") == []  # no cue: too small alone
    assert names(parser, "Fans drove from Peoria, Pekin and Morton to the game.") == ["Peoria", "Pekin", "Morton"]


def test_the_inside_a_run_and_a_state_inside_a_small_town_name(parser: Parser) -> None:
    found = parser.parse("DETROIT The U.S. Transportation Department issued rules.")
    assert [t.text for t in found] == ["DETROIT", "U.S."]
    assert names(parser, "the University of Michigan Center for Computer Security said") == ["Michigan"]


def test_plural_demonyms_are_people_not_mentions(parser: Parser) -> None:
    found = parser.parse("Canadians and Americans watched as Canadian and American officials met.")
    assert [(t.text, t.demonym) for t in found] == [("Canadian", True), ("American", True)]


# --- resolution: the words around a name, its neighbours, its own name ---

def test_a_qualifier_beats_the_article_context(parser: Parser) -> None:
    assert best(parser, "She flew from Paris, Texas, to France.", "Paris").admin1 == "US.TX"


def test_a_dateline_names_a_city_known_alone(parser: Parser) -> None:
    assert best(parser, "WASHINGTON (AP) — Iowa farmers met officials on Monday.", "WASHINGTON").admin1 == "US.DC"
    world = ("GENEVA — Cholera spread in Malawi, Mozambique, Zambia, Haiti, Syria and the United States, "
             "officials in Geneva said.")
    assert best(parser, world, "GENEVA").country_code == "CH"


def test_neighbours_agree_on_small_towns(parser: Parser) -> None:
    assert best(parser, "Fans drove from Peoria, Pekin and Morton to the game.", "Pekin").admin1 == "US.IL"


def test_a_county_written_without_county_is_not_lifted_by_context(parser: Parser) -> None:
    found = best(parser, "Sales in Delaware fell, while Indiana and Indianapolis grew.", "Delaware")
    assert (found.kind, found.admin1) == ("admin1", "US.DE")


def test_an_alternate_name_needs_a_much_bigger_town(parser: Parser) -> None:
    # "Venice" is an old name of Dayton, Ohio (135,000 people) and the own name of Venice, Italy.
    assert best(parser, "The Venice Biennale opened with artists from Berlin and Rome.", "Venice").country_code == "IT"


def test_demonyms_and_america_stand_at_the_country_point(parser: Parser) -> None:
    found = {t.text: t for t in parser.parse("American officials met Mexican officials in America.")}
    us = best(parser, "Trade with the United States grew.", "United States")
    assert (found["American"].best.lat, found["American"].best.lon) == (us.lat, us.lon)
    assert found["America"].best.name == "United States" and not found["America"].demonym


def test_a_state_named_like_its_big_city_gives_way_to_the_city(parser: Parser) -> None:
    assert best(parser, "Fighting in Chongqing and Sichuan left many homeless.", "Chongqing").kind == "city"
    assert best(parser, "Snow fell across Alberta.", "Alberta").kind == "admin1"  # no city of that name
    assert best(parser, "Protesters in Washington marched to the Capitol.", "Washington").admin1 == "US.DC"
    state = best(parser, "Rain fell in Seattle, Spokane and across Washington.", "Washington")
    assert (state.kind, state.admin1) == ("admin1", "US.WA")  # its towns bring the state back


def test_names_before_counties_are_counties(parser: Parser) -> None:
    found = parser.parse("Officers in Tippecanoe and Clinton counties searched the area.")
    assert [(t.text, t.best.kind, t.best.admin1) for t in found] == [
        ("Tippecanoe", "admin2", "US.IN"), ("Clinton", "admin2", "US.IN")]
