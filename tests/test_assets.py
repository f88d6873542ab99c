"""geo.assets: npm files replace every CDN link, inline safely, and a missing install says what to run."""

from __future__ import annotations

import folium
import pytest
from folium.plugins import Fullscreen, MiniMap

from geo import assets


def test_localize_points_every_link_at_our_copies():
    fmap = folium.Map(tiles=None)
    Fullscreen().add_to(fmap)
    MiniMap(tile_layer=folium.TileLayer("OpenStreetMap")).add_to(fmap)
    assets.localize(fmap, assets.app_url)
    html = fmap.get_root().render()
    assert "cdn" not in html and "code.jquery.com" not in html and "bootstrapcdn" not in html
    for relative in (assets.JS["leaflet"], assets.JS["Control.Fullscreen.js"], assets.CSS["leaflet_css"]):
        assert f'"/app/static/vendor/{relative}"' in html
    # Bootstrap and awesome-markers are dropped: circle markers need neither.
    assert "bootstrap" not in html and "awesome" not in html


def test_every_local_asset_is_installed():
    for relative in [*assets.JS.values(), *assets.CSS.values(), "basemap/index.json"]:
        assert assets.vendor_path(relative).stat().st_size > 0, relative


def test_inline_css_embeds_its_images_as_data_uris():
    css = assets.inline_css(assets.CSS["Control.FullScreen.css"])
    assert "url(data:image/svg+xml;base64," in css
    assert "icon-fullscreen.svg)" not in css


def test_inline_js_cannot_close_its_script_element(tmp_path, monkeypatch):
    (tmp_path / "evil.js").write_text('var s = "</script><script>alert(1)</script>";', encoding="utf-8")
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path)
    assert "</script" not in assets.inline_js("evil.js")


def test_missing_assets_name_the_command_that_installs_them(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "nowhere")
    with pytest.raises(assets.MissingAssets, match="make assets"):
        assets.vendor_path(assets.JS["leaflet"])


def test_install_copies_what_the_maps_use(tmp_path):
    copied = assets.install(vendor=tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in copied}
    assert {*assets.JS.values(), *assets.CSS.values()} - set(assets.OWN) <= names
    # Our own script is never copied (a copy could go stale): pages read it from the repository.
    assert assets.JS["sm_basemap"] not in names
    assert assets.vendor_path(assets.JS["sm_basemap"]) == assets.OWN[assets.JS["sm_basemap"]]


def test_the_committed_cdn_hashes_are_those_of_the_pinned_npm_files():
    """A host without npm loads these files from jsDelivr; the browser refuses any that differ."""
    manifest = assets.cdn_integrity()
    assert set(manifest) == set(assets.cdn_files())
    for relative in assets.cdn_files():
        assert assets.sri(assets.REPO / "node_modules" / relative) == manifest[relative], (
            f"{relative} changed: run `python -m geo.assets --cdn-manifest`"
        )


def test_without_local_assets_pages_load_pinned_cdn_files_with_integrity_and_our_own_as_text(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path)  # no `make assets` here
    leaflet = assets.page_url(assets.JS["leaflet"])
    assert leaflet == "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
    loaded = assets.page_assets([leaflet, assets.page_url(assets.JS["sm_basemap"])], [])
    assert loaded["cdn"] is True
    first, own = loaded["scripts"]
    assert first == {"url": leaflet, "integrity": assets.cdn_integrity()[assets.JS["leaflet"]]}
    assert "url" not in own and "L.smBasemap" in own["text"]


def test_with_local_assets_pages_load_this_servers_copies():
    loaded = assets.page_assets([assets.app_url(assets.JS["leaflet"])], [assets.app_url(assets.CSS["leaflet_css"])])
    assert loaded["cdn"] is False
    assert loaded["scripts"][0]["url"].startswith("/app/static/vendor/") and not loaded["scripts"][0].get("integrity")
