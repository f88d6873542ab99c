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
