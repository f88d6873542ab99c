"""Hostile input: every bad story, article or output path gets one located message, never a hang or a traceback.

Each case is written into a fresh folder beside a small article of its own and checked through
`python -m geo check` in this process (pytest-timeout bounds each, so a hang fails instead of
stalling the suite). The property tests feed the loader random YAML and random bytes.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.__main__ import main
from geo.story import validate
from geo.yamlfile import YamlFileError, parse

REPO = Path(__file__).resolve().parent.parent
TIME_BOUND = 10  # seconds per case: generous, to catch a hang and nothing finer
ARTICLE = "On Sunday, hundreds walked to the border. Tijuana is a city.\nMexicali is another city.\n"
STORY = """\
title: A small hostile-input story
source: {publisher: Test}
places:
  - {id: tijuana, name: Tijuana, query: Tijuana, kind: city, mentions: ["Tijuana"]}
  - {id: mexicali, name: Mexicali, query: Mexicali, kind: city, mentions: ["Mexicali"]}
steps:
  - {id: one, title: One, chrono: 1, quotes: ["Tijuana is a city."], places: [tijuana]}
"""
Setup = Callable[[Path], None]


def without(field: str) -> str:
    """The base story without one top-level field (and its block)."""
    lines, keep, skipping = STORY.splitlines(keepends=True), [], False
    for line in lines:
        if not line.startswith(" "):
            skipping = line.startswith(f"{field}:")
        if not skipping:
            keep.append(line)
    return "".join(keep)


def with_article(reference: str) -> str:
    """The base story naming its article explicitly."""
    return STORY + f"article: {reference}\n"


def symlink(name: str, target: str) -> Setup:
    """A setup step: a symlink in the story's folder."""
    return lambda folder: (folder / name).symlink_to(target)


def fifo(name: str) -> Setup:
    """A setup step: a FIFO in the story's folder."""
    return lambda folder: os.mkfifo(folder / name)


def big_article(size: int) -> Setup:
    """A setup step: an article.txt of `size` bytes that still contains the quotes."""
    return lambda folder: (folder / "article.txt").write_text(ARTICLE + "x" * (size - len(ARTICLE.encode())))


def no_article(folder: Path) -> None:
    """A setup step: no article.txt beside the story."""
    (folder / "article.txt").unlink()


# name -> (story text, extra setup, field path, line, words in the one message)
CASES: dict[str, tuple[str, Setup | None, str, int | None, str]] = {
    "missing title": (without("title"), None, "title", 1, "required field 'title' is missing"),
    "missing source": (without("source"), None, "source", 1, "required field 'source' is missing"),
    "missing places": (without("places"), None, "places", 1, "required field 'places' is missing"),
    "missing steps": (without("steps"), None, "steps", 1, "required field 'steps' is missing"),
    "no article and no article.txt": (STORY, no_article, "article", 1, "cannot read the article"),
    "article is /dev/zero": (with_article("/dev/zero"), None, "article", 8, "must be a relative path"),
    "article is ../../etc/passwd": (with_article("../../etc/passwd"), None, "article", 8, "leads out of"),
    "article symlinked to /dev/zero": (STORY, lambda f: (no_article(f), symlink("article.txt", "/dev/zero")(f)),
                                       "article", 1, "leads out of"),
    "article symlinked out of the folder": (with_article("passwd.txt"), symlink("passwd.txt", "/etc/passwd"),
                                            "article", 8, "leads out of"),
    "article is a FIFO": (with_article("pipe.txt"), fifo("pipe.txt"), "article", 8, "is a FIFO"),
    "article is a folder": (with_article("sub"), lambda f: (f / "sub").mkdir(), "article", 8, "is a folder"),
    "article over 200 kB": (STORY, big_article(200_001), "article", 1, "the limit is 200,000"),
    "article with a NUL": (with_article('"a\\0b"'), None, "article", 8, "contains a NUL character"),
    "article name of 5,000 characters": (with_article("a" * 5000), None, "article", 8, "File name too long"),
    "1,000-deep flow nesting": ("title: " + "[" * 1000 + "]" * 1000 + "\n", None, "", 1, "nested more than 20"),
    "1,000-deep block nesting": ("".join(" " * i + f"k{i}:\n" for i in range(1000)), None, "", 20, "nested more than 20"),
    "complex key": ("? [a, b]\n: 1\n", None, "", 1, "a key must be plain text"),
    "complex key in a place": (STORY.replace("- {id: mexicali", "- {? [x]: y, id: mexicali"), None,
                               "places[1]", 5, "a key must be plain text"),
    "5,000-digit integer": (STORY.replace("chrono: 1", "chrono: " + "9" * 5000), None, "", 7, "more than 30 characters"),
    "huge hex integer": (STORY.replace("chrono: 1", "chrono: 0x" + "f" * 5000), None, "", 7, "more than 30 characters"),
    "python tag": ("title: !!python/object/apply:os.system [echo hi]\n", None, "", 1, "tags"),
    "binary tag": ("title: !!binary aGk=\n", None, "", 1, "tags"),
    "duplicate place names": (STORY.replace("name: Mexicali", "name: TIJUANA"), None, "places[1].name", 5,
                              "duplicate place name 'TIJUANA'"),
    "key with dots and brackets": (STORY + "a.b[: 1\n", None, "a.b[", 8, "unknown field 'a.b['"),
    "merge key": (STORY + "<<: {title: x}\n", None, "<<", 8, "unknown field '<<'"),
    "a list, not a mapping": ("- 1\n- 2\n", None, "", 1, "valid dictionary"),
    "control characters": ("title: a\n\x00b\n", None, "", 2, "character #x0000 is not allowed"),
    "empty file": ("", None, "", None, "the file is empty"),
}


def make_case(folder: Path, text: str, setup: Setup | None) -> Path:
    """Write the story and the small article into `folder`, then apply the case's setup."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    story = folder / "story.yaml"
    story.write_text(text, encoding="utf-8")
    if setup is not None:
        setup(folder)
    return story


def test_the_base_story_is_valid(tmp_path: Path) -> None:
    """The cases differ from a valid story by their one fault."""
    story, problems = validate(make_case(tmp_path, STORY, None))
    assert problems == [] and story is not None


@pytest.mark.timeout(TIME_BOUND)
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_file_gets_one_located_message(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, setup, path, line, words = CASES[case]
    story = make_case(tmp_path / "story", text, setup)
    assert main(["check", str(story)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    where = f"{story}:{line}" if line is not None else str(story)
    assert out[0].startswith(f"{where}: {path + ': ' if path else ''}"), out[0]
    assert words in out[0], out[0]
    assert "root:" not in out[0]  # nothing of /etc/passwd is ever echoed
    assert len(out[0]) < 600  # a long name is cut, not echoed whole


@pytest.mark.timeout(TIME_BOUND)
@pytest.mark.parametrize(("make", "words"), [
    (lambda folder: os.mkfifo(folder / "story.yaml"), "is a FIFO"),
    (lambda folder: (folder / "story.yaml").symlink_to("/dev/zero"), "is a device"),
    (lambda folder: (folder / "story.yaml").write_bytes(b"#" * 1_000_001), "the limit is 1,000,000"),
])
def test_a_story_that_is_a_fifo_device_or_huge_is_refused_without_blocking(
        make: Setup, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make(tmp_path)
    assert main(["check", str(tmp_path / "story.yaml")]) == 1
    [message] = capsys.readouterr().out.strip().splitlines()
    assert message.startswith(f"{tmp_path / 'story.yaml'}: cannot read the file") and words in message


# --- export targets ------------------------------------------------------------------------------

def export(story: Path, target: Path) -> subprocess.CompletedProcess[str]:
    """`python -m geo export STORY -o TARGET` in a fresh process."""
    return subprocess.run([sys.executable, "-m", "geo", "export", str(story), "-o", str(target)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("make", "words"), [
    (lambda target: target.symlink_to(target.parent / "elsewhere.html"), "is a symbolic link"),
    (lambda target: None, "there is no folder"),
])
def test_export_refuses_a_symlink_target_and_names_a_missing_folder(make: Callable[[Path], None], words: str,
                                                                    tmp_path: Path) -> None:
    story = make_case(tmp_path / "story", STORY, None)
    target = tmp_path / ("missing" if "folder" in words else "") / "out.html"
    make(target)
    done = export(story, target)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert words in done.stderr and ".tmp" not in done.stderr, done.stderr
    assert not (tmp_path / "elsewhere.html").exists()


def test_export_refuses_a_device_target() -> None:
    done = export(REPO / "data" / "story.yaml", Path("/dev/null"))
    assert done.returncode == 1 and "is a device" in done.stderr and "Traceback" not in done.stderr
    assert Path("/dev/null").is_char_device()


def test_killed_exports_leave_no_temp_file(tmp_path: Path) -> None:
    """SIGKILL a writer again and again, mid-write; the next export leaves one whole file and no temp."""
    target = tmp_path / "story.html"
    # Each child writes the export over and over, so every kill lands in some write.
    writer = ("import sys\nfrom geo.atomic import write_atomically\nfrom pathlib import Path\n"
              "data = b'<html>' + b'x' * 20_000_000 + b'</html>'\n"
              "while True: write_atomically(Path(sys.argv[1]), data)\n")
    for delay in (0.3, 0.5, 0.7, 0.9, 1.1):
        child = subprocess.Popen([sys.executable, "-c", writer, str(target)], cwd=REPO)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if target.exists():
            data = target.read_bytes()
            assert data.startswith(b"<html>") and data.endswith(b"</html>")  # never half a file
    assert export(REPO / "data" / "story.yaml", target).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.html"]
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")


# --- property tests: the loader only ever raises its own error, and quickly -----------------------

# Text built from what makes YAML interesting: indicators, brackets, quotes, anchors, tags, digits.
YAML_ALPHABET = st.sampled_from(list("-?:,[]{}#&*!|>'\"%@` \n\t0123456789abcxyzé.+_<=~\\") + ["\u2028", "\x00", "\ufeff"])
yaml_like = st.text(YAML_ALPHABET, max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
PROPERTY = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(yaml_like)
def test_random_yaml_text_raises_only_the_loaders_error(text: str) -> None:
    try:
        parse(text)
    except YamlFileError as error:
        assert error.findings and all(isinstance(message, str) for _, _, message in error.findings)


@PROPERTY
@given(json_values)
def test_random_structures_dumped_as_yaml_load_or_fail_cleanly(value: object) -> None:
    try:
        parse(yaml.safe_dump(value))
    except YamlFileError:
        pass


@PROPERTY
@given(st.binary(max_size=400) | yaml_like.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_random_bytes_as_a_story_file_give_problems_never_exceptions(tmp_path_factory: pytest.TempPathFactory,
                                                                     data: bytes) -> None:
    """The whole of validate(): reading, YAML, schema, cross-checks and the article lookup."""
    folder = tmp_path_factory.mktemp("random")
    (folder / "story.yaml").write_bytes(data)
    story, problems = validate(folder / "story.yaml")
    assert story is None and problems and all(problem.message for problem in problems)


def _leaves(value: object, path: tuple = ()) -> list[tuple]:
    """Every path (keys and indices) in a parsed story, containers included."""
    found = [path] if path else []
    if isinstance(value, dict):
        found += [leaf for key, child in value.items() for leaf in _leaves(child, (*path, key))]
    elif isinstance(value, list):
        found += [leaf for index, child in enumerate(value) for leaf in _leaves(child, (*path, index))]
    return found


BASE = {**yaml.safe_load(STORY), "article": "article.txt"}  # the article's name is fuzzed too
PATHS = _leaves(BASE)


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=1, max_size=4))
def test_a_valid_story_with_random_values_gives_problems_never_exceptions(
        tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[tuple, object]]) -> None:
    """Schema and cross-checks meet wrong types, NaN, huge numbers and odd shapes in every field."""
    data = copy.deepcopy(BASE)
    for path, value in changes:
        parent = data
        for key in path[:-1]:
            parent = parent[key] if isinstance(parent, (dict, list)) and _has(parent, key) else None
            if parent is None:
                break
        if isinstance(parent, (dict, list)) and _has(parent, path[-1]):
            parent[path[-1]] = value
    folder = make_case(tmp_path_factory.mktemp("mutated"), yaml.safe_dump(data, allow_unicode=True), None)
    story, problems = validate(folder)
    assert (story is None) == bool(problems)


def _has(container: dict | list, key: object) -> bool:
    """Whether container[key] exists."""
    return key in container if isinstance(container, dict) else isinstance(key, int) and key < len(container)
