"""Guards: geo never imports streamlit, and the article is the seed byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"

# Imports geo and every submodule that exists, in a fresh interpreter. geo.__main__ is left
# out because importing it may run the command line; its imports live in the modules it uses.
PROBE = """
import importlib, pkgutil, sys
import geo
for module in pkgutil.iter_modules(geo.__path__):
    if module.name != "__main__":
        importlib.import_module(f"geo.{module.name}")
print(sorted(name for name in sys.modules if name == "streamlit" or name.startswith("streamlit.")))
"""


def test_geo_does_not_import_streamlit() -> None:
    """The library stays usable from pytest, notebooks and the CLI without streamlit."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_article_is_the_seed_byte_for_byte() -> None:
    """data/article.txt is never edited: every quote depends on it."""
    if not SEED_ARTICLE.exists():
        pytest.skip(f"no shared seed at {SEED_ARTICLE}")
    assert (REPO / "data" / "article.txt").read_bytes() == SEED_ARTICLE.read_bytes()
