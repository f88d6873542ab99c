"""What every page shares: the chosen and loaded story, geocoded places, the URL-backed step, safe HTML."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import streamlit as st
from geopy.location import Location

from geo.geocoding import locate_places, make_chain, make_provider
from geo.i18n import LANGUAGES, translate
from geo.mapping import REDUCED_MOTION_CSS
from geo.model import ORDERS, Order, Step, Story
from geo.article import load_article
from geo.pins import overlay_path, story_gazetteer
from geo.stories import SavedStory, saved_stories, stories_root, story_file, story_title
from geo.story import StoryError, load_story
from pages._language import page_language, translator

REPO = Path(__file__).resolve().parent.parent


def _app_navigation() -> None:
    """Let app.py's st.navigation own the pages, even when a link opens one first.

    Streamlit treats a folder named pages/ beside the main script as the old multipage app until
    some run calls st.navigation: a server's first visitor to /present would get that page alone,
    without app.py's sidebar and settings. Rerunning through app.py fixes it for the whole process.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_app_navigation()
DEFAULT_STORY = REPO / "data" / "story.yaml"


def seed_path() -> Path:
    """The seed story, first in the picker: STORY_MAP_STORY if set (tests), else data/story.yaml."""
    return Path(os.environ.get("STORY_MAP_STORY", DEFAULT_STORY))


def chosen_slug() -> str | None:
    """The saved story the address names (?story=<slug>), or None for the seed story."""
    slug = st.query_params.get("story", "")
    return slug if slug and story_file(slug) is not None else None


def story_path() -> Path:
    """The story file this app shows: the saved story the address names, else the seed story."""
    slug = chosen_slug()
    return story_file(slug) if slug else seed_path()  # type: ignore[return-value]


def story_link_note() -> str | None:
    """A note when the address names a story that is not saved here (the seed story is shown)."""
    slug = st.query_params.get("story", "")
    if slug and chosen_slug() is None:
        t = translator()
        return t("The link asked for story “{story}”, which is not saved here; showing the first story.").format(
            story=_echo(slug))
    return None


def story_query() -> dict[str, str]:
    """The address's part that names the story, for links to other pages (empty for the seed story)."""
    slug = chosen_slug()
    return {"story": slug} if slug else {}


@st.cache_data(show_spinner=False)
def _choices(root: str, seed: str, stamp: tuple) -> list[SavedStory]:
    """The picker's stories, read again only when a story file changes (`stamp`)."""
    first = SavedStory("", story_title(Path(seed)) or "The first story", Path(seed))
    return [first, *saved_stories(Path(root))]


def story_choices() -> list[SavedStory]:
    """The seed story (slug "") first, then every saved story by title."""
    root, seed = stories_root(), seed_path()
    files = [seed, *sorted(root.glob("*/story.yaml"))] if root.is_dir() else [seed]
    stamp = tuple((str(f), _mtime(f)) for f in files)
    return _choices(str(root), str(seed), stamp)


def _mtime(path: Path) -> int:
    """A file's modification time in ns, or -1 if it cannot be read."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@dataclass(frozen=True)
class Loaded:
    """A story file as read: the story and its article, or the problems that stop it loading."""

    story: Story | None
    article: str
    problems: list[str] = field(default_factory=list)


@st.cache_data(show_spinner=False)
def _load(path: str, mtime_ns: int) -> Loaded:
    """Read and validate a story file; keyed on its mtime so an edit shows on the next run."""
    try:
        story = load_story(Path(path))
        return Loaded(story, load_article(Path(path), story))
    except StoryError as error:
        return Loaded(None, "", [str(problem) for problem in error.problems])
    except OSError as error:
        return Loaded(None, "", [f"{path}: cannot be read ({error.strerror or error})"])


def loaded() -> Loaded:
    """The current story, read at most once per file change."""
    path = story_path()
    return _load(str(path), _mtime(path))


def require_story() -> tuple[Story, str]:
    """The story and article, or the list of problems on the page and a stop (the app keeps running)."""
    result = loaded()
    if result.story is None:
        # The problems themselves are for the story's author and stay in English, as `geo check` prints them.
        t = translator()
        st.error(t("The story file {path} has {count} problem(s); fix them and reload.").format(
            path=story_path(), count=len(result.problems)))
        st.code("\n".join(result.problems), language=None)
        st.stop()
    return result.story, result.article


@dataclass(frozen=True)
class Geocoding:
    """Which geocoder the reader chose in the sidebar."""

    provider: str = "offline"
    domain: str | None = None
    scheme: str = "https"


def geocoding_choice() -> Geocoding:
    """The sidebar's geocoder choice (offline unless the reader opted in)."""
    return st.session_state.get("geocoding", Geocoding())


@st.cache_data(show_spinner=False)
def _positions(_story: Story, story_key: str, choice: Geocoding, path: str,
               overlay_mtime: int) -> tuple[dict[str, Location], list[str]]:
    """Every place geocoded through the chosen provider chain, the story's own points first (geo.pins)."""
    provider = make_provider(choice.provider, domain=choice.domain, scheme=choice.scheme)
    return locate_places(_story, chain=make_chain(provider, offline=story_gazetteer(path)))


def positions(story: Story) -> tuple[dict[str, Location], list[str]]:
    """Geocoded places for the story with the reader's geocoder choice, cached per choice and file; the
    notes in the reader's language."""
    t = translator()
    path = story_path()
    # st.spinner shows only after half a second: a cached answer shows nothing.
    with st.spinner(t("Finding the places…")):
        where, notes = _positions(story, story.model_dump_json(), geocoding_choice(), str(path),
                                  _mtime(overlay_path(path)))
    return where, [translate(note, t) for note in notes]


# --- the step, backed by the URL (?step=3&order=chrono) so that links open exactly there ----


ECHO_CHARS = 12  # a notice repeats at most this much of what an address asked for


def _echo(value: str) -> str:
    """A value from the address, cut short before it is repeated to the reader."""
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"


# Where the reader last was in each story, for the pages Streamlit opens without the address's
# step and order (its page links drop them): the address, when it names them, comes first.
WHERE_KEY = "where_in_story"


def _remembered(name: str, default: str) -> str:
    """A reading position from the address, else from this session's last one in this story."""
    if name in st.query_params:
        return st.query_params[name]
    return st.session_state.get(WHERE_KEY, {}).get(chosen_slug() or "", {}).get(name, default)


def current(story: Story) -> tuple[Order, int, list[str]]:
    """The order and 0-based step index from the URL (or where this session last was), corrected,
    with notes on what was corrected."""
    notes = []
    t = translator()
    order = _remembered("order", "article")
    if order not in ORDERS:
        notes.append(t("The link asked for order “{order}”, which does not exist; showing article order.").format(
            order=_echo(order)))
        order = "article"
    raw = _remembered("step", "1")
    total = len(story.steps)
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else None
    if number is None:
        notes.append(t("The link asked for step “{step}”, which is not a step number; showing step 1.").format(
            step=_echo(raw)))
        number = 1
    if not 1 <= number <= total:
        notes.append(t("The link asked for step {step}, but this story has steps 1 to {total}; showing step 1.").format(
            step=_echo(raw), total=total))
        number = 1
    return order, number - 1, notes


def go(order: Order, index: int, *, size: float | None = None, lang: str | None = None) -> None:
    """Move to a step: the URL is the single source of truth for where the reader is."""
    now = st.query_params.to_dict()
    wanted = {**now, "step": str(index + 1), "order": order}
    if isinstance(size, (int, float)) and size != 1 and 0.5 <= size <= 3:
        wanted["size"] = f"{size:g}"
    elif size is not None:
        wanted.pop("size", None)
    # A language the player reports goes into the address only when it is not already the page's
    # (with no lang= there, the browser's language is the default and stays unwritten).
    if isinstance(lang, str) and lang in LANGUAGES and lang != page_language():
        wanted["lang"] = lang
    # A page opened from the sidebar keeps the reader's text size and language of this story.
    memory = st.session_state.get(WHERE_KEY, {}).get(chosen_slug() or "", {})
    for key, given in (("size", size), ("lang", lang)):
        if given is None and key not in wanted and key in memory:
            wanted[key] = memory[key]
    # One change, one history entry: Back then returns to the previous step, not half of it.
    if wanted != now:
        st.query_params.from_dict(wanted)
    remembered = st.session_state.setdefault(WHERE_KEY, {})
    remembered[chosen_slug() or ""] = {key: wanted[key] for key in ("step", "order", "size", "lang") if key in wanted}


def switch_order(story: Story, old: Order, index: int, new: Order) -> None:
    """Change the order but stay on the same step."""
    step_id = story.ordered(old)[index].id
    go(new, [s.id for s in story.ordered(new)].index(step_id))


def go_to_step(story: Story, order: Order, step: Step) -> None:
    """Jump to a given step in the current order."""
    go(order, story.ordered(order).index(step))


# --- safe HTML: every story string is escaped before it reaches the page ----------------------

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(\\?[:.])")


def plain(text: str) -> str:
    """Text for a Markdown-rendering element (st.warning, st.info…): shown as written, never as a
    link, an image, an icon or HTML."""
    escaped = _MARKDOWN.sub(r"\\\1", text)
    # GitHub-style Markdown links bare URLs even when their punctuation is escaped: an invisible
    # word joiner after the scheme keeps "http://…" from a story or a link plain text.
    return _AUTOLINK.sub("\\1\u2060\\2", escaped)


def page_style(css: str) -> None:
    """Page-level CSS of our own (never story text), e.g. to give the player the page's width."""
    st.html(f"<style>{css}</style>")


# Streamlit draws captions at 60% opacity, 3.8:1 on its backgrounds; ours are opaque and 4.5:1 or more (#595959: 7:1 on
# white, 6.4:1 on the sidebar's grey). Sections are h2 under the page's h1 (heading order), at the
# size Streamlit gives an h3. Quoted sentences are as dark as the text (Streamlit greys blockquotes).
READABLE_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #595959 !important; opacity: 1 !important; }
[data-testid="stMain"] h2 { font-size: 1.75rem; }
[data-testid="stMarkdownContainer"] blockquote { color: inherit !important; opacity: 1 !important; }
"""


def app_style() -> None:
    """CSS every page shares, injected once per run by app.py: readable captions and headings, and no
    motion for a reader who asks for none."""
    page_style(READABLE_CSS + REDUCED_MOTION_CSS)


def html_block(inner: str) -> None:
    """Render a block of HTML whose every interpolated story string was escaped by the caller."""
    # One line, no blank lines: markdown leaves an HTML block alone only until a blank line.
    st.markdown("<div>" + inner.replace("\n", " ") + "</div>", unsafe_allow_html=True)


def quote_html(sentence: str, highlight: str | None = None) -> str:
    """An article sentence as an escaped blockquote, optionally with a phrase marked."""
    text = escape(sentence)
    if highlight and highlight in sentence:
        text = text.replace(escape(highlight), f"<mark>{escape(highlight)}</mark>", 1)
    return f'<blockquote style="border-left:4px solid #c0392b;margin:.4em 0;padding:.2em .8em">“{text}”</blockquote>'
