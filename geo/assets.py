"""Leaflet and its plugins from npm, served by the app or inlined in an export.

A CDN is used only by a server where `make assets` never ran (no npm there): then the pinned
files come from jsDelivr, checked against their committed integrity hashes.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import branca.element
import folium

REPO = Path(__file__).resolve().parent.parent
# `make assets` copies these from node_modules (pinned in package-lock.json) into static/vendor,
# which Streamlit serves at app/static/vendor. The env var lets a deployment put them elsewhere.
VENDOR_DIR = Path(os.environ.get("STORY_MAP_VENDOR", REPO / "static" / "vendor"))
APP_URL_PREFIX = "app/static/vendor/"

# folium's own asset names -> the npm file that replaces its CDN link. Only what our maps use:
# folium's Bootstrap and awesome-markers are dropped, since CircleMarkers need neither; jQuery
# stays because folium's Popup template builds its content with $(...).
JS = {
    "leaflet": "leaflet/dist/leaflet.js",
    "jquery": "jquery/dist/jquery.min.js",
    "Control.Fullscreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control_MiniMap_js": "leaflet-minimap/dist/Control.MiniMap.min.js",
    "sm_basemap": "story-map/basemap.js",  # ours (geo/web), copied beside the npm files
    "sm_frame_map": "story-map/frame_map.js",
}
CSS = {
    "leaflet_css": "leaflet/dist/leaflet.css",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "Control_MiniMap_css": "leaflet-minimap/dist/Control.MiniMap.min.css",
}
# Whole folders copied by `make assets`: CSS files refer to images beside them.
PACKAGES = ("leaflet/dist", "jquery/dist", "leaflet.fullscreen", "leaflet-minimap/dist")
# Our own browser code, served and inlined like the npm files.
WEB = Path(__file__).resolve().parent / "web"
OWN = {f"story-map/{name}": WEB / name for name in ("basemap.js", "frame_map.js")}


class MissingAssets(RuntimeError):
    """The npm assets are not installed; says which command installs them."""


def vendor_path(relative: str) -> Path:
    """The installed file for an asset (our own from the source tree), or MissingAssets naming the fix."""
    if relative in OWN:
        return OWN[relative]  # never a stale copy: the page gets what the repository holds
    path = VENDOR_DIR / relative
    if not path.is_file():
        raise MissingAssets(f"{path} is missing: run `make assets` (npm ci + copy into static/vendor).")
    return path


def walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    """Every element of a folium tree, the root first."""
    yield element
    for child in element._children.values():
        yield from walk(child)


def localize(root: folium.Element, url_for: Callable[[str], str]) -> None:
    """Point every JS/CSS link in the tree at our own copy; links we do not ship are dropped."""
    for element in walk(root):
        if hasattr(element, "default_js"):
            element.default_js = [(name, url_for(JS[name])) for name, _ in element.default_js if name in JS]
        if hasattr(element, "default_css"):
            element.default_css = [(name, url_for(CSS[name])) for name, _ in element.default_css if name in CSS]


def app_url(relative: str) -> str:
    """The URL Streamlit's static serving gives an asset (relative to the app's root)."""
    return "/" + APP_URL_PREFIX + relative


# --- where there is no npm (e.g. Streamlit Community Cloud): the same pinned files from a CDN ----
# jsDelivr serves every npm package file at npm/NAME@VERSION/PATH. The versions are the lock
# file's, and each file's SRI hash is committed (CDN_MANIFEST), checked against node_modules by
# the tests: the browser refuses a file that differs from the one we test.
CDN_PREFIX = "https://cdn.jsdelivr.net/npm/"
LOCK_FILE = REPO / "package-lock.json"
CDN_MANIFEST = Path(__file__).resolve().parent / "cdn_integrity.json"


def local_assets() -> bool:
    """Whether `make assets` installed the files this server serves itself."""
    return (VENDOR_DIR / ".installed").is_file()


def _package(relative: str) -> tuple[str, str]:
    """(package name, path inside it) of an asset path: "@scope/pkg/x.js" or "pkg/x.js"."""
    parts = relative.split("/")
    cut = 2 if parts[0].startswith("@") else 1
    return "/".join(parts[:cut]), "/".join(parts[cut:])


@lru_cache(maxsize=1)
def _locked_versions() -> dict[str, str]:
    """npm package name -> the version package-lock.json pins."""
    packages = json.loads(LOCK_FILE.read_text(encoding="utf-8"))["packages"]
    return {key.removeprefix("node_modules/"): value["version"] for key, value in packages.items() if key}


def cdn_url(relative: str) -> str:
    """The jsDelivr URL of an asset at the locked version (our own files keep their path)."""
    if relative in OWN:
        return relative
    name, inside = _package(relative)
    return f"{CDN_PREFIX}{name}@{_locked_versions()[name]}/{inside}"


@lru_cache(maxsize=1)
def cdn_integrity() -> dict[str, str]:
    """Asset path -> its committed SRI hash ("sha384-…")."""
    return json.loads(CDN_MANIFEST.read_text(encoding="utf-8"))


def sri(path: Path) -> str:
    """A file's Subresource Integrity value."""
    import hashlib

    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode("ascii")


def cdn_files() -> list[str]:
    """Every npm asset a page may load from the CDN (our own files are not on it)."""
    return sorted({*JS.values(), *CSS.values()} - set(OWN))


def write_cdn_manifest(node_modules: Path = REPO / "node_modules") -> Path:
    """Hash each CDN file from node_modules into CDN_MANIFEST (run after changing package versions)."""
    manifest = {relative: sri(node_modules / relative) for relative in cdn_files()}
    CDN_MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return CDN_MANIFEST


def page_url(relative: str) -> str:
    """An asset's URL for the app's pages: served here if installed, else the pinned CDN file."""
    return app_url(relative) if local_assets() else cdn_url(relative)


def page_assets(scripts: list[str], styles: list[str]) -> dict[str, object]:
    """Scripts and styles as the player loads them: our own server's copies, or the pinned CDN files
    with their SRI hashes. Our own scripts come as text in the page's data, from the source tree."""
    on_cdn = {} if local_assets() else {cdn_url(relative): relative for relative in cdn_files()}
    own = {url for url in scripts if _own(url)}

    def entry(url: str) -> dict[str, str | None]:
        """One asset: a URL (with its integrity on the CDN), or one of ours as text."""
        if url in own:
            return {"text": script_safe(OWN[_own(url)].read_text(encoding="utf-8"))}
        return {"url": url, "integrity": cdn_integrity()[on_cdn[url]] if url in on_cdn else None}

    return {"scripts": [entry(u) for u in scripts], "styles": [entry(u) for u in styles], "cdn": bool(on_cdn)}


def _own(url: str) -> str | None:
    """Which of our own files a URL names, if any."""
    return next((relative for relative in OWN if url.endswith(relative)), None)


def _data_uri(path: Path) -> str:
    """A file as a base64 data: URI, for CSS images in a single-file export."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def inline_css(relative: str) -> str:
    """A stylesheet with its relative url(...) images turned into data URIs."""
    path = vendor_path(relative)

    def embed(match: re.Match) -> str:
        """One url(...) as a data URI when it names a file beside the stylesheet."""
        target = match.group(2)
        if target.startswith(("data:", "http:", "https:", "#")):
            return match.group(0)
        image = (path.parent / target).resolve()
        return f"url({_data_uri(image)})" if image.is_file() else match.group(0)

    return re.sub(r"""url\((['"]?)([^'")]+)\1\)""", embed, path.read_text(encoding="utf-8"))


def script_safe(code: str) -> str:
    """JavaScript made safe to put inside a <script> element."""
    # "</script" inside the code would end the element early.
    return code.replace("</script", "<\\/script")


def inline_js(relative: str) -> str:
    """An npm script's text, safe to put inside a <script> element."""
    return script_safe(vendor_path(relative).read_text(encoding="utf-8"))


def install(node_modules: Path = REPO / "node_modules", vendor: Path = VENDOR_DIR) -> list[Path]:
    """Copy what the maps use from node_modules into the vendor folder; returns the files copied."""
    import shutil

    copied = []
    for relative in PACKAGES:
        source = node_modules / relative
        if not source.is_dir():
            raise MissingAssets(f"{source} is missing: run `npm ci` first.")
        shutil.copytree(source, vendor / relative, dirs_exist_ok=True)
        copied.extend(p for p in (vendor / relative).rglob("*") if p.is_file())
    copied.extend(install_own(vendor))
    return copied


def install_own(vendor: Path = VENDOR_DIR) -> list[Path]:
    """Copy our own browser files beside the npm ones: st_folium's maps load scripts by URL."""
    import shutil

    copied = []
    for relative, source in OWN.items():
        (vendor / relative).parent.mkdir(parents=True, exist_ok=True)
        copied.append(Path(shutil.copyfile(source, vendor / relative)))
    return copied


def main() -> None:
    """`python -m geo.assets`: copy the browser files, then build the basemap store from npm data."""
    import shutil
    import time

    from geo import basemap, basemap_build

    print(f"{len(install())} asset files in {VENDOR_DIR}")
    started = time.perf_counter()
    store = VENDOR_DIR / basemap.STORE_DIR
    # Built aside and swapped in whole: no tile of an older build survives, and a failed build
    # leaves the previous store as it was.
    building = store.with_name(store.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    built = basemap_build.build(REPO / "node_modules", building)
    shutil.rmtree(store, ignore_errors=True)
    building.rename(store)
    tiles = sum(len(band["tiles"]) for band in built["bands"])
    size = sum(band["bytes"] for band in built["bands"])
    print(f"basemap: {tiles} tiles, {size / 1e6:.1f} MB in {store} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--cdn-manifest"]:
        print(f"wrote {write_cdn_manifest()}")
    elif sys.argv[1:] == ["--own"]:
        print(f"{len(install_own())} own files in {VENDOR_DIR}")
    else:
        main()
