"""`python -m geo`: every command, its --help, its output and its exit status."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from geo.__main__ import COMMANDS, main
from geo.story import load_story
from stub_geocoder import StubGeocoder, closed_port

REPO = Path(__file__).resolve().parent.parent
SEED = load_story(REPO / "data" / "story.yaml")
ARTICLE_NAMES = ["Tijuana", "Mexicali", "San Ysidro", "San Diego", "El Chaparral", "Honduras",
                 "Guatemala", "El Salvador", "Central America", "US", "Mexico"]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on any socket connection: offline commands must make none."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main(argv) in this process: (status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str | None) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"] if command else ["--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_geocode_the_article_names_offline(capsys, no_network) -> None:
    status, out, err = run(capsys, "geocode", *ARTICLE_NAMES, "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and err == ""
    assert [record["query"] for record in records] == ARTICLE_NAMES
    by_name = {record["query"]: record for record in records}
    assert by_name["US"]["matched"] == "United States" and by_name["Mexico"]["kind"] == "country"
    assert by_name["San Ysidro"]["lat"] == pytest.approx(32.54, abs=0.01)
    assert {"lat", "lon", "source", "matched", "kind"} <= set(by_name["Tijuana"])


def test_geocode_plain_lines(capsys, no_network) -> None:
    status, out, _ = run(capsys, "geocode", "San Diego")
    assert status == 0
    assert out.startswith("San Diego: 32.71571, -117.16472") and "gazetteer" in out


def test_an_unknown_name_is_named_on_stderr_after_the_others(capsys, no_network) -> None:
    status, out, err = run(capsys, "geocode", "Tiju", "Tijuana")
    assert status == 1
    assert "Tiju" in err and out.startswith("Tijuana:")


def test_geocode_online_through_the_stub(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path))
    with StubGeocoder("ok") as stub:
        status, out, _ = run(capsys, "geocode", "Mexicali", "--provider", "photon",
                             "--domain", stub.domain, "--scheme", "http", "--json")
    record = json.loads(out)
    assert status == 0 and record["source"] == "photon" and "OpenStreetMap" in record["citation"]


def test_geocode_online_failure_falls_back_and_says_so(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path))
    status, out, err = run(capsys, "geocode", "Mexicali", "--provider", "nominatim",
                           "--domain", f"127.0.0.1:{closed_port()}", "--scheme", "http", "--json")
    record = json.loads(out)
    assert status == 0 and record["source"] == "gazetteer"
    assert "could not be reached" in record["fallback"] and "could not be reached" in err


def test_distance_km_and_miles(capsys, no_network) -> None:
    status, out, _ = run(capsys, "distance", "Tijuana", "Mexicali", "--json")
    result = json.loads(out)
    assert status == 0
    assert result["km"] == pytest.approx(146, abs=2)
    assert result["miles"] == pytest.approx(result["km"] / 1.609344, rel=1e-4)
    status, out, _ = run(capsys, "distance", "Tijuana", "Mexicali")
    assert "km" in out and "miles" in out


def test_distance_to_an_unknown_place_fails(capsys, no_network) -> None:
    status, out, err = run(capsys, "distance", "Tijuana", "Nowhereville")
    assert status == 1 and out == "" and "Nowhereville" in err


def test_check_passes_on_the_seed_story(capsys) -> None:
    status, out, _ = run(capsys, "check")
    assert status == 0 and "OK" in out


def test_check_lists_problems_and_fails(capsys, tmp_path) -> None:
    broken = tmp_path / "story.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    status, out, err = run(capsys, "check", str(broken))
    assert status == 1
    assert str(broken) in out and "problem" in err


def test_places_as_csv_with_sentences(capsys, no_network) -> None:
    status, out, _ = run(capsys, "places", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and len(rows) == len(SEED.places)
    tijuana = next(row for row in rows if row["id"] == "tijuana")
    assert "Tijuana" in tijuana["sentence"] and float(tijuana["lat"]) == pytest.approx(32.5, abs=0.05)


def test_places_as_geojson(capsys, no_network) -> None:
    status, out, _ = run(capsys, "places", str(REPO / "data" / "story.yaml"), "--format", "geojson")
    collection = json.loads(out)
    assert status == 0 and collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(SEED.places)  # every place of the seed is found offline
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert (round(lat), round(lon)) == (33, -117)


def test_the_module_entry_point_and_bad_usage() -> None:
    ok = subprocess.run([sys.executable, "-m", "geo", "geocode", "Tijuana"], cwd=REPO,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout.startswith("Tijuana:")
    bad = subprocess.run([sys.executable, "-m", "geo"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "usage:" in bad.stderr
