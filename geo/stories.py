"""The stories folder: one folder per saved story (story.yaml, article.txt, story_overlay.csv).

$STORY_MAP_STORIES names the folder (default data/stories). A story's folder name is its slug,
the name links use (?story=<slug>): lower-case letters, digits and hyphens only, so no address
can reach outside the folder. A story is validated in a staging folder before it is saved, and
a new story's folder appears whole, by one rename.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from geo.draft import write_story_folder
from geo.i18n import Message
from geo.model import Story
from geo.pins import OVERLAY_NAME, Pin, write_pins
from geo.story import Problem, validate
from geo.yamlfile import YamlFileError, read_yaml

STORIES_ENV = "STORY_MAP_STORIES"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "data" / "stories"
STORY_FILE = "story.yaml"
MAX_SLUG = 48
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,%d}[a-z0-9])?" % (MAX_SLUG - 2))


@dataclass(frozen=True)
class SavedStory:
    """A story in the stories folder: its slug, its title and its file."""

    slug: str
    title: str
    path: Path


def stories_root() -> Path:
    """The stories folder: $STORY_MAP_STORIES, else data/stories."""
    return Path(os.environ.get(STORIES_ENV) or DEFAULT_ROOT)


def is_slug(text: str) -> bool:
    """Whether the text is a well-formed slug (and so names no path outside the folder)."""
    return len(text) <= MAX_SLUG and _SLUG.fullmatch(text) is not None


def slugify(title: str) -> str:
    """A slug from a title: ASCII words joined by hyphens, cut at a word, "story" if nothing is left."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", plain)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_SLUG:
            break
        slug = longer
    return slug or (words[0][:MAX_SLUG] if words else "story")


def story_file(slug: str, root: Path | None = None) -> Path | None:
    """The story file of a saved story, or None for a malformed slug or a story that is not there."""
    if not is_slug(slug):
        return None
    path = (root or stories_root()) / slug / STORY_FILE
    return path if path.is_file() else None


def saved_stories(root: Path | None = None) -> list[SavedStory]:
    """Every saved story, by title; a story whose file cannot be read is listed under its slug."""
    root = root or stories_root()
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        path = story_file(folder.name, root)
        if path is not None:
            found.append(SavedStory(folder.name, story_title(path) or folder.name, path))
    return sorted(found, key=lambda s: (s.title.casefold(), s.slug))


def story_title(path: Path) -> str | None:
    """A story file's title, read safely (the file may be broken; the app then lists its problems)."""
    try:
        data, _ = read_yaml(path)
    except YamlFileError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else None


def _taken(root: Path, slug: str) -> bool:
    """Whether a folder of that name exists."""
    return (root / slug).exists()


def free_slug(base: str, root: Path | None = None) -> str:
    """`base`, or `base-2`, `base-3`... : the first slug no folder uses yet."""
    root = root or stories_root()
    base = base if is_slug(base) else slugify(base)
    slug, n = base, 2
    while _taken(root, slug):
        suffix = f"-{n}"
        slug, n = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


def check_story(story: Story, article: str, pins: Iterable[Pin] = (), *, name: str = STORY_FILE,
                root: Path | None = None) -> list[Problem]:
    """Every problem the saved story would have (geo.story's validation), each with its field."""
    root = root or stories_root()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".checking-", dir=root))
    try:
        return _staged(staging, story, article, pins, name)[1]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staged(folder: Path, story: Story, article: str, pins: Iterable[Pin], name: str) -> tuple[Path, list[Problem]]:
    """Write the story's files into `folder` and validate them; problems name `name`, not the folder."""
    path = write_story_folder(folder, story, article, story_name=STORY_FILE)
    write_pins(folder, pins)
    _, problems = validate(path)
    shown = {str(path): name, str(folder / OVERLAY_NAME): str(Path(name).parent / OVERLAY_NAME)}
    return path, [*_untitled(story, name), *(replace(p, file=shown.get(p.file, p.file)) for p in problems)]


def _untitled(story: Story, name: str) -> list[Problem]:
    """A blank story or step title: valid YAML, but the picker and the player would show nothing."""
    problems = [Problem(name, "title", None, Message("the story needs a title"))] if not story.title.strip() else []
    return problems + [Problem(name, f"steps[{i}].title", None, Message("the step needs a title"))
                       for i, step in enumerate(story.steps) if not step.title.strip()]


def save_story(story: Story, article: str, pins: Iterable[Pin], slug: str, *, replace_existing: bool = False,
               root: Path | None = None) -> tuple[Path | None, list[Problem]]:
    """Validate, then save into root/<slug> (a free slug unless `replace_existing`): its story file, or the problems.

    A new story is written into a staging folder and renamed into place, so its folder appears
    whole or not at all; replacing one writes the article, then the points, then the story file,
    each atomically.
    """
    root = root or stories_root()
    if not is_slug(slug):
        raise ValueError(f"{slug!r} is not a slug")
    root.mkdir(parents=True, exist_ok=True)
    pins = list(pins)
    staging = Path(tempfile.mkdtemp(prefix=".saving-", dir=root))
    staging.chmod(0o755)  # mkdtemp's folder is private; a story folder is shared like the files in it
    try:
        _, problems = _staged(staging, story, article, pins, f"{slug}/{STORY_FILE}")
        if problems:
            return None, problems
        if replace_existing and (root / slug).is_dir():
            path = write_story_folder(root / slug, story, article, story_name=STORY_FILE)
            write_pins(root / slug, pins)
            return path, []
        while True:
            target = root / free_slug(slug, root)
            try:
                os.rename(staging, target)  # fails if another save took the name meanwhile
            except OSError:
                if not target.exists():
                    raise
                continue
            staging = None
            return target / STORY_FILE, []
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
