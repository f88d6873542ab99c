"""A story's own points: positions a person confirmed, kept beside its story.yaml in story_overlay.csv.

A story names places and the geocoder finds where they are; the story file holds no coordinates.
When a person confirms a point that the gazetteer would not give for the place's name (one
reading chosen among several, or a point picked on the map), the point is kept here, in the
curated overlay's CSV format (data/gazetteer_overlay.csv), with a source saying who chose it,
how and when. The offline gazetteer reads these rows first for that story
(geo.gazetteer.STORY_OVERLAY), so the app, the export and the command line all agree.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.atomic import write_atomically
from geo.gazetteer import STORY_OVERLAY, Entry, Gazetteer, overlay_table
from geo.safefile import FileRefused, read_bounded

OVERLAY_NAME = "story_overlay.csv"
COLUMNS = ("name", "aliases", "kind", "country_code", "lat", "lon", "population", "source")
MAX_BYTES = 1_000_000  # a story's points are a few rows; a larger file is a mistake
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Pin:
    """One confirmed point: the name the story's geocoder asks for, where it is, and who says so."""

    name: str  # a place's `query`: the gazetteer finds the point under this name
    lat: float
    lon: float
    kind: str
    country_code: str | None
    source: str

    def row(self) -> dict[str, str]:
        """The pin as a row of the overlay CSV."""
        return {"name": self.name, "aliases": "", "kind": self.kind, "country_code": self.country_code or "",
                "lat": f"{self.lat:.6f}", "lon": f"{self.lon:.6f}", "population": "", "source": self.source}


def map_source(lat: float, lon: float, day: date) -> str:
    """The source of a point picked on the map: a person's click, not a gazetteer's entry."""
    return (f"Chosen on the map in Story Map on {day.isoformat()}: a point a person clicked "
            f"({lat:.5f}, {lon:.5f}), not a gazetteer entry")


def reading_source(citation: str, address: str, day: date) -> str:
    """The source of a gazetteer reading a person (or the draft, in the article's context) chose."""
    return f"{citation}: {address}; chosen for this story among the name's readings on {day.isoformat()}"


def overlay_path(story_path: str | Path) -> Path:
    """Where a story file's own points live: story_overlay.csv in the same folder."""
    return Path(story_path).parent / OVERLAY_NAME


def to_csv(pins: Iterable[Pin]) -> str:
    """Pins as the overlay CSV's text, header first, one row each in name order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for pin in sorted(pins, key=lambda p: p.name.casefold()):
        writer.writerow(pin.row())
    return out.getvalue()


def write_pins(folder: str | Path, pins: Iterable[Pin]) -> Path | None:
    """Write the folder's story_overlay.csv atomically; with no pins, remove it. Its path, if written."""
    path = Path(folder) / OVERLAY_NAME
    pins = list(pins)
    if not pins:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return None
    write_atomically(path, to_csv(pins).encode("utf-8"))
    return path


# (line, column, message): where a row of a story_overlay.csv is wrong. geo.story names the file.
Finding = tuple[int | None, str, str]


def read_pins(path: str | Path) -> tuple[list[Pin], list[Finding]]:
    """The pins of an overlay file (none if it is missing) and every problem found; bad rows are skipped."""
    path = Path(path)
    try:
        raw = read_bounded(path, MAX_BYTES)  # a FIFO or a device is refused, never read
    except FileNotFoundError:
        return [], []
    except FileRefused as error:
        return [], [(None, "", f"cannot use the file: {error}")]
    except OSError as error:
        return [], [(None, "", f"cannot read the file: {error.strerror or error}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [(raw.count(b"\n", 0, error.start) + 1, "", f"not UTF-8 at byte offset {error.start}")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [(1, "", f"the header lacks {', '.join(missing)} (columns: {','.join(COLUMNS)})")]
    pins, findings = [], []
    for row in reader:
        line = reader.line_num
        problems = _row_problems(row)
        findings += [(line, column, message) for column, message in problems]
        if not problems:
            pins.append(Pin(row["name"].strip(), float(row["lat"]), float(row["lon"]), row["kind"].strip(),
                            row["country_code"].strip() or None, row["source"].strip()))
    return pins, findings


def _row_problems(row: dict[str, str | None]) -> list[tuple[str, str]]:
    """(column, message) for each value of an overlay row that cannot be used."""
    problems = []
    for column in ("name", "kind", "source"):
        if not (row.get(column) or "").strip():
            problems.append((column, "must not be empty" + ("; every point cites who chose it" if column == "source" else "")))
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        value = (row.get(column) or "").strip()
        try:
            number = float(value)
        except ValueError:
            problems.append((column, f"{value!r} is not a number"))
            continue
        if not math.isfinite(number) or abs(number) > limit:
            problems.append((column, f"{value} is outside -{limit:g}..{limit:g}"))
    code = (row.get("country_code") or "").strip()
    if code and not _COUNTRY.fullmatch(code):
        problems.append(("country_code", f"{code!r} is not a two-letter ISO code like MX"))
    population = (row.get("population") or "").strip()
    if population and not population.isdigit():
        problems.append(("population", f"{population!r} is not a whole number"))
    if None in row:  # csv puts a row's extra fields under the key None
        problems.append(("", "the row has more fields than the header"))
    return problems


def pins_table(pins: Iterable[Pin]) -> dict[str, list[Entry]]:
    """Pins as the gazetteer's story overlay: name → entries that outrank every other."""
    return overlay_table((pin.row() for pin in pins), origin=STORY_OVERLAY)


def story_gazetteer(story_path: str | Path | None = None, pins: Iterable[Pin] = (),
                    base: Gazetteer | None = None) -> Gazetteer:
    """The offline gazetteer for one story: its story_overlay.csv (if any) and `pins` read first.

    `base` (a Gazetteer already open) is shared rather than a new one built.
    """
    found = read_pins(overlay_path(story_path))[0] if story_path is not None else []
    table = pins_table([*found, *pins])
    return base.for_story(table) if base is not None else Gazetteer(story_overlay=table)
