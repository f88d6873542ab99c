"""`python -m geo`: check a story, geocode names, measure distances, list a story's places.

Each command imports what it needs when it runs (geopy ~110 ms, pydantic ~90 ms, folium more),
so `geocode` never loads pydantic and `check` never loads geopy (bench/cli_startup.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.servers import PROVIDERS

if TYPE_CHECKING:
    from geopy.location import Location

    from geo.geocoding import GeocodingChain

DEFAULT_STORY = Path(__file__).resolve().parent.parent / "data" / "story.yaml"

Run = Callable[[argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]


def _provider_options(parser: argparse.ArgumentParser) -> None:
    """--provider/--domain/--scheme, shared by every command that geocodes."""
    parser.add_argument("--provider", choices=PROVIDERS, default="offline",
                        help="geocoder: the offline gazetteer (default) or an opt-in online provider")
    parser.add_argument("--domain", metavar="HOST:PORT", help="online provider's host (default: its public one)")
    parser.add_argument("--scheme", choices=("http", "https"), default="https", help="online provider's scheme")


def _chain(args: argparse.Namespace, story: Path | None = None) -> GeocodingChain:
    """The provider chain the options ask for; for a story file, its own points come first (geo.pins)."""
    from geo.geocoding import make_chain, make_provider
    from geo.pins import story_gazetteer

    offline = story_gazetteer(story) if story is not None else None
    return make_chain(make_provider(args.provider, domain=args.domain, scheme=args.scheme), offline=offline)


def _story_argument(parser: argparse.ArgumentParser) -> None:
    """The optional STORY path."""
    parser.add_argument("story", nargs="?", type=Path, default=DEFAULT_STORY, metavar="STORY",
                        help="story file (default: the seed story, data/story.yaml)")


def _locate(chain: GeocodingChain, name: str, codes: Sequence[str] = ()) -> Location | None:
    """Geocode one name; say on stderr when it is unknown or an online provider fell back."""
    location = chain.geocode(name, country_codes=codes)
    if location is None:
        print(f"unknown place: {name!r}", file=sys.stderr)
    elif location.raw["fallback"]:
        print(f"note: {name}: {location.raw['fallback']}", file=sys.stderr)
    return location


def _record(query: str, location: Location) -> dict[str, Any]:
    """What the CLI reports about one geocoded name."""
    raw = location.raw
    return {"query": query, "lat": location.latitude, "lon": location.longitude,
            "source": raw["source"], "matched": raw["matched"], "kind": raw["kind"],
            "country_code": raw["country_code"], "citation": raw["citation"],
            "reason": raw["reason"], "fallback": raw["fallback"]}


# --- check -----------------------------------------------------------------------------------

def _configure_check(parser: argparse.ArgumentParser) -> None:
    """Arguments of `check [STORY]`."""
    _story_argument(parser)


def run_check(args: argparse.Namespace) -> int:
    """Validate a story file; print every problem; 1 if there are any."""
    from geo.story import StoryError, load_story

    try:
        story = load_story(args.story)
    except StoryError as error:
        for problem in error.problems:
            print(problem)
        print(f"{args.story}: {len(error.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{args.story}: OK ({len(story.places)} places, {len(story.steps)} steps)")
    return 0


# --- geocode ---------------------------------------------------------------------------------

def _configure_geocode(parser: argparse.ArgumentParser) -> None:
    """Arguments of `geocode NAME... [--json]` plus the provider options."""
    parser.add_argument("names", nargs="+", metavar="NAME", help="place names to look up")
    parser.add_argument("--country-codes", metavar="CC,CC", default="",
                        help="context countries that rank first, e.g. MX,US (ISO alpha-2)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    _provider_options(parser)


def run_geocode(args: argparse.Namespace) -> int:
    """Geocode each name; unknown names are reported on stderr and make the exit status 1."""
    chain = _chain(args)
    codes = [code.strip() for code in args.country_codes.split(",") if code.strip()]
    status = 0
    for name in args.names:
        location = _locate(chain, name, codes)
        if location is None:
            status = 1
            continue
        record = _record(name, location)
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            where = ", ".join(filter(None, (record["kind"], record["country_code"])))
            position = f"{record['lat']:.5f}, {record['lon']:.5f}"
            print(f"{name}: {position}  {record['matched']} ({where}; {record['source']})")
    return status


# --- distance --------------------------------------------------------------------------------

def _configure_distance(parser: argparse.ArgumentParser) -> None:
    """Arguments of `distance A B [--json]` plus the provider options."""
    parser.add_argument("a", metavar="A", help="first place name")
    parser.add_argument("b", metavar="B", help="second place name")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    _provider_options(parser)


def run_distance(args: argparse.Namespace) -> int:
    """The geodesic between two named places, in km and miles."""
    from geo.distance import leg

    chain = _chain(args)
    found = {name: _locate(chain, name) for name in (args.a, args.b)}
    if None in found.values():
        return 1
    a, b = found[args.a], found[args.b]
    line = leg((a.latitude, a.longitude), (b.latitude, b.longitude))
    if args.json:
        print(json.dumps({"a": _record(args.a, a), "b": _record(args.b, b),
                          "km": round(line.km, 3), "miles": round(line.miles, 3)}, ensure_ascii=False))
    else:
        print(f"{args.a} - {args.b}: {line.km:,.1f} km ({line.miles:,.1f} miles), geodesic (straight line)")
    return 0


# --- places ----------------------------------------------------------------------------------

def _configure_places(parser: argparse.ArgumentParser) -> None:
    """Arguments of `places [STORY] --format csv|geojson` plus the provider options."""
    _story_argument(parser)
    parser.add_argument("--format", choices=("csv", "geojson"), default="csv", help="output format")
    _provider_options(parser)


def run_places(args: argparse.Namespace) -> int:
    """The story's places, geocoded, with the sentences naming them; 1 if any has no position."""
    from geo.article import load_article
    from geo.geocoding import locate_places
    from geo.story import StoryError, load_story
    from geo.tables import places_csv, places_geojson

    try:
        story = load_story(args.story)
    except StoryError as error:
        print(error, file=sys.stderr)
        return 1
    positions, notes = locate_places(story, chain=_chain(args, args.story))
    article = load_article(args.story, story)
    if args.format == "geojson":
        print(json.dumps(places_geojson(story, article, positions), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(places_csv(story, article, positions))
    for note in notes:
        print(note, file=sys.stderr)
    return 0 if len(positions) == len(story.places) else 1


# --- export ----------------------------------------------------------------------------------

def _configure_export(parser: argparse.ArgumentParser) -> None:
    """Arguments of `export [STORY] -o FILE [--present]` plus the provider options."""
    _story_argument(parser)
    parser.add_argument("-o", "--output", type=Path, default=Path("story.html"), metavar="FILE",
                        help="the HTML file to write (default: story.html)")
    parser.add_argument("--present", action="store_true", help="open the file in presenter view")
    _provider_options(parser)


def run_export(args: argparse.Namespace) -> int:
    """Write the story as one self-contained HTML file; 1, and no file, if the story is invalid."""
    from geo.export import write_export
    from geo.geocoding import locate_places
    from geo.story import StoryError, load_story

    try:
        story = load_story(args.story)
        positions, notes = locate_places(story, chain=_chain(args, args.story))
        out = write_export(args.story, args.output, positions, present=args.present)
    except StoryError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{args.story}: {len(error.problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    for note in notes:
        print(note, file=sys.stderr)
    print(f"{out}: {out.stat().st_size:,} bytes; open it in any browser, no network needed")
    return 0


# --- parse -----------------------------------------------------------------------------------

def _configure_parse(parser: argparse.ArgumentParser) -> None:
    """Arguments of `parse FILE` or `parse --batch`."""
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="a UTF-8 text file to read")
    parser.add_argument("--batch", action="store_true",
                        help="JSON lines on stdin, one answer line each on stdout (the geoparse_eval protocol)")


def run_parse(args: argparse.Namespace) -> int:
    """Print the place names of a text as JSON, or answer JSON-lines requests until EOF."""
    from geo.parse import Parser

    if args.batch == (args.file is not None):
        print("error: give a FILE or --batch (not both)", file=sys.stderr)
        return 2
    if args.batch:
        from geo.parse.batch import serve

        # Line-buffered UTF-8 both ways, whatever the locale says.
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
        sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)
        serve(Parser(), sys.stdin, sys.stdout, sys.stderr)
        return 0
    text = _read_text(args.file)
    if text is None:
        return 1
    toponyms = Parser().parse(text)
    print(json.dumps({"file": str(args.file), "toponyms": [t.as_json() for t in toponyms]},
                     ensure_ascii=False, indent=1))
    return 0


def _read_text(path: Path) -> str | None:
    """A UTF-8 text file's content, or None after saying on stderr why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        print(f"error: {path}: not UTF-8 text (byte offset {error.start}); save it as UTF-8", file=sys.stderr)
    except OSError as error:
        print(f"error: {path}: {error.strerror or error}", file=sys.stderr)
    return None


# --- draft -----------------------------------------------------------------------------------

def _configure_draft(parser: argparse.ArgumentParser) -> None:
    """Arguments of `draft ARTICLE -o STORY`."""
    parser.add_argument("article", type=Path, metavar="ARTICLE", help="the article, a UTF-8 text file")
    parser.add_argument("-o", "--output", type=Path, default=Path("story.yaml"), metavar="STORY",
                        help="the story file to write; the article is copied beside it as article.txt")
    parser.add_argument("--force", action="store_true", help="replace a different article.txt beside STORY")


def run_draft(args: argparse.Namespace) -> int:
    """Draft a story from an article, write it with the article beside it, and check it."""
    from datetime import date

    from geo.confirm import Workbench
    from geo.draft import ARTICLE_NAME, DraftError, review_items, write_story_folder
    from geo.parse import Parser
    from geo.pins import OVERLAY_NAME, write_pins
    from geo.story import validate

    text = _read_text(args.article)
    if text is None:
        return 1
    beside = args.output.parent / ARTICLE_NAME
    if beside.exists() and not args.force and beside.read_bytes() != text.encode("utf-8"):
        print(f"error: {beside} exists and holds another text; use --force to replace it", file=sys.stderr)
        return 1
    try:
        # The workbench pins each reading the gazetteer would not give for the name alone (geo.pins).
        bench = Workbench.start(text, Parser(), date.today())
    except DraftError as error:
        print(f"error: {args.article}: {error}", file=sys.stderr)
        return 1
    story, review = bench.story, review_items(bench.story)
    path = write_story_folder(args.output.parent, story, text, story_name=args.output.name)
    write_pins(args.output.parent, bench.pins.values())
    _, problems = validate(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{path}: {len(story.places)} places, {len(story.steps)} steps, {len(review)} item(s) to review")
    if bench.pins:
        print(f"  {len(bench.pins)} reading(s) kept in {OVERLAY_NAME}: the name alone would give another place")
    for item in review:
        print(f"  review {item.where} ({item.what}): {item.reason}")
    return 1 if problems else 0


# Subcommand → (configure its parser, run it, one-line help). Add a command by adding a row.
COMMANDS: dict[str, tuple[Configure, Run, str]] = {
    "check": (_configure_check, run_check, "validate a story file; exit 1 on any problem"),
    "geocode": (_configure_geocode, run_geocode, "geocode place names (offline unless told otherwise)"),
    "distance": (_configure_distance, run_distance, "geodesic distance between two places"),
    "places": (_configure_places, run_places, "a story's places, geocoded, as CSV or GeoJSON"),
    "export": (_configure_export, run_export, "the story as one HTML file that works offline"),
    "parse": (_configure_parse, run_parse, "an article's place names, found and resolved offline, as JSON"),
    "draft": (_configure_draft, run_draft, "draft a story file from an article, uncertain items marked"),
}


# Commands that load geopy; they import it the cheap way first (see _geopy_without_requests).
GEOPY_COMMANDS = {"geocode", "distance", "places", "export"}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per COMMANDS row."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (configure, run, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        configure(sub)
        sub.set_defaults(run=run)
    return parser


def _geopy_without_requests() -> None:
    """Import geopy with `requests` hidden, unless either is loaded already.

    geopy imports requests (~50-75 ms with urllib3 and friends) only to offer an adapter this
    process never uses: online providers get geo.bounded_http's, the gazetteer one that makes no
    request. A None in sys.modules makes that import fail, which geopy handles; removing it right
    after lets anything else (folium, for export) import requests as usual.
    """
    if "geopy" in sys.modules or "requests" in sys.modules:
        return
    sys.modules["requests"] = None  # type: ignore[assignment]
    try:
        import geopy  # noqa: F401
    finally:
        del sys.modules["requests"]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the command; its return value is the exit status."""
    args = build_parser().parse_args(argv)
    if args.command in GEOPY_COMMANDS:
        _geopy_without_requests()
    # The commands print every fallback themselves; this stops logging's last-resort duplicate.
    logging.getLogger("geo").addHandler(logging.NullHandler())
    try:
        return args.run(args)
    except OSError as error:  # e.g. an unreadable story or article file
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
