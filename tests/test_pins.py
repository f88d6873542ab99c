"""geo.pins: a story's own points, kept beside its file, read first by the gazetteer, the export and the CLI."""

from __future__ import annotations

import json
import shutil
import socket
from datetime import date
from pathlib import Path

import pytest

from geo.__main__ import main
from geo.export import offline_positions
from geo.gazetteer import STORY_OVERLAY, Gazetteer
from geo.geocoding import GeocodingChain, locate_places, make_chain
from geo.pins import (OVERLAY_NAME, Pin, map_source, overlay_path, pins_table, read_pins, reading_source,
                      story_gazetteer, to_csv, write_pins)
from geo.story import load_story, validate

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "story.yaml"
DAY = date(2025, 3, 4)
# A point on the Tijuana river, 4 km from GeoNames' Tijuana: where a person put it on the map.
RIVER = Pin("Tijuana", 32.53, -117.04, "city", "MX", map_source(32.53, -117.04, DAY))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """The seed story and article in a folder of their own."""
    for name in ("story.yaml", "article.txt"):
        shutil.copy(REPO / "data" / name, tmp_path / name)
    return tmp_path / "story.yaml"


def test_pins_round_trip_in_the_overlays_format(tmp_path: Path) -> None:
    path = write_pins(tmp_path, [RIVER])
    assert path == tmp_path / OVERLAY_NAME
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == (REPO / "data" / "gazetteer_overlay.csv").read_text(encoding="utf-8").splitlines()[0]
    pins, problems = read_pins(path)
    assert problems == [] and pins == [Pin("Tijuana", 32.53, -117.04, "city", "MX", RIVER.source)]
    assert "Chosen on the map in Story Map on 2025-03-04" in RIVER.source
    assert write_pins(tmp_path, []) is None and not path.exists(), "no pins, no file"


def test_a_pin_outranks_every_other_entry_of_its_name_and_says_so() -> None:
    plain = Gazetteer().geocode("Tijuana")
    pinned = Gazetteer(story_overlay=pins_table([RIVER])).geocode("Tijuana")
    assert (plain.latitude, plain.longitude) != (32.53, -117.04)
    assert (pinned.latitude, pinned.longitude) == (32.53, -117.04)
    assert pinned.raw["source"] == STORY_OVERLAY and pinned.raw["citation"] == RIVER.source
    assert "chosen for this story" in pinned.raw["reason"]
    assert all(a["why"] == "the point chosen for this story takes precedence" for a in pinned.raw["alternatives"])
    # Even a curated overlay row (Mexico is one) gives way to the story's own point.
    country = Pin("Mexico", 19.43, -99.13, "country", "MX", "test")
    assert Gazetteer(story_overlay=pins_table([country])).geocode("Mexico").latitude == 19.43


def test_an_online_provider_is_never_asked_for_a_pinned_name() -> None:
    class Refuses:
        def geocode(self, *args, **kwargs):
            raise AssertionError("the online provider was asked")

    chain = GeocodingChain(Gazetteer(story_overlay=pins_table([RIVER])), Refuses())  # type: ignore[arg-type]
    assert chain.geocode("Tijuana").latitude == 32.53


def test_a_story_folders_pins_move_its_places_in_the_app_the_export_and_the_cli(seed_copy: Path, capsys) -> None:
    story = load_story(seed_copy)
    write_pins(seed_copy.parent, [RIVER])
    where, _ = locate_places(story, chain=make_chain(offline=story_gazetteer(seed_copy)))
    assert (where["tijuana"].latitude, where["tijuana"].longitude) == (32.53, -117.04)
    assert offline_positions(story, seed_copy)["tijuana"].latitude == 32.53
    assert offline_positions(story)["tijuana"].latitude != 32.53, "without the file, no pins"
    assert main(["places", str(seed_copy), "--format", "geojson"]) == 0
    features = json.loads(capsys.readouterr().out)["features"]
    tijuana = next(f for f in features if f["properties"]["id"] == "tijuana")
    assert tijuana["geometry"]["coordinates"] == [-117.04, 32.53]
    assert main(["export", str(seed_copy), "-o", str(seed_copy.parent / "x.html")]) == 0
    assert "32.53" in (seed_copy.parent / "x.html").read_text(encoding="utf-8")


def test_the_seed_story_has_no_pins() -> None:
    assert overlay_path(SEED) == REPO / "data" / OVERLAY_NAME and not overlay_path(SEED).exists()
    assert story_gazetteer(SEED).story_overlay == {}


BAD_ROWS = """name,aliases,kind,country_code,lat,lon,population,source
Tijuana,,city,MX,32.53,-117.04,,picked
,,city,MX,32.5,-117.0,,picked
Lima,,city,peru,-12.05,-77.04,many,
Quito,,city,EC,-95.0,abc,,picked
Cusco,,city,PE,-13.5,-72.0,,picked,extra
"""


def test_a_broken_overlay_is_reported_by_check_with_its_line_and_column(seed_copy: Path, capsys) -> None:
    overlay = seed_copy.parent / OVERLAY_NAME
    overlay.write_text(BAD_ROWS, encoding="utf-8")
    pins, findings = read_pins(overlay)
    assert [p.name for p in pins] == ["Tijuana"], "good rows are kept, bad ones skipped"
    assert {(line, column) for line, column, _ in findings} == {
        (3, "name"), (4, "country_code"), (4, "population"), (4, "source"), (5, "lat"), (5, "lon"), (6, "")}
    _, problems = validate(seed_copy)
    assert any(p.file == str(overlay) and p.line == 5 and p.path == "lon" and "'abc' is not a number" in p.message
               for p in problems)
    assert main(["check", str(seed_copy)]) == 1
    assert f"{overlay}:4: country_code:" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"\xff\xfe\x00bad", b"name,lat\nTijuana,32\n"])
def test_an_unreadable_overlay_says_why(tmp_path: Path, content: bytes) -> None:
    (tmp_path / OVERLAY_NAME).write_bytes(content)
    pins, findings = read_pins(tmp_path / OVERLAY_NAME)
    assert pins == [] and len(findings) == 1
    assert "not UTF-8" in findings[0][2] or "the header lacks" in findings[0][2]


def test_sources_cite_the_reading_and_the_day() -> None:
    assert reading_source("GeoNames", "Springfield, Illinois, United States", DAY) == (
        "GeoNames: Springfield, Illinois, United States; chosen for this story among the name's readings on 2025-03-04")
    assert to_csv([RIVER]).count("\n") == 2


def test_the_draft_command_keeps_readings_the_name_alone_would_lose(tmp_path: Path, capsys) -> None:
    article = tmp_path / "in.txt"
    article.write_text("Police in Portland said on Friday that 30 people were arrested near the Maine border.",
                       encoding="utf-8")
    out = tmp_path / "story" / "story.yaml"
    assert main(["draft", str(article), "-o", str(out)]) == 0
    assert f"reading(s) kept in {OVERLAY_NAME}" in capsys.readouterr().out
    assert main(["places", str(out), "--format", "geojson"]) == 0
    features = {f["properties"]["id"]: f for f in json.loads(capsys.readouterr().out)["features"]}
    lon, lat = features["portland"]["geometry"]["coordinates"]
    assert (round(lat, 1), round(lon, 1)) == (43.7, -70.3), "Portland, Maine, not Oregon"


def test_a_story_gazetteer_can_share_an_open_index_without_changing_it() -> None:
    base = Gazetteer()
    twin = story_gazetteer(pins=[RIVER], base=base)
    assert twin.connection is base.connection and base.story_overlay == {}
    assert twin.geocode("Tijuana").latitude == 32.53 and base.geocode("Tijuana").latitude != 32.53
