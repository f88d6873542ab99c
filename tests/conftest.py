"""Shared test fixtures: keep every test away from the user's real cache folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _gazetteer_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One GeoNames index per test session, built lazily in a temp dir (never in ~/.cache)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORY_MAP_INDEX_DIR", str(tmp_path_factory.mktemp("geonames-index")))
        patch.setenv("STORY_MAP_CACHE_DIR", str(tmp_path_factory.mktemp("story-map-cache")))
        yield


# One Chromium for the whole session: Playwright's sync API allows one instance at a time, so the
# fixture lives here rather than being imported into each browser test module.
from browser import app_server, chromium, seed_export  # noqa: E402,F401
