"""Issue 11 in Debian's Chromium: axe-core finds no violation (of any impact) on the export, in reading
and presenter view, in English and Spanish, nor on the app's pages and their frames; a step change is
announced once, briefly; Tab gets past the map; phones get a map they can see; Spanish leaves no
English interface word in the player."""

from __future__ import annotations

import re

import pytest

from browser import (
    HANG,
    PLACES_COVERED,
    PLACES_INSIDE,
    REPO,
    axe_violations,
    browser_page,
    go_to,
    open_app,
    open_export,
    settle,
    shoot,
    step_count,
    violations_text,
)
from geo.player import catalogues
from geo.story import load_story

pytestmark = pytest.mark.browser
STORY = load_story(REPO / "data" / "story.yaml")
EN, ES = catalogues()["en"], catalogues()["es"]
PREDICT = next(n for n, step in enumerate(STORY.steps) if any(d for d in step.distances) and step.questions)


# --- axe-core ---------------------------------------------------------------------------------------


def everything_open(page) -> None:
    """Put on screen what a reader can open: a predict step revealed, every answer, the legend, the
    article and the credits, a place's sentences, the teacher note and, on a phone, the menus."""
    go_to(page, PREDICT)
    if page.locator("#sm-reveal-step").is_visible():
        page.locator("#sm-reveal-step").click()
    for button in page.locator(".sm-reveal").all():
        if button.is_visible() and button.get_attribute("aria-expanded") == "false":
            button.click()
    page.evaluate("() => document.querySelectorAll('#sm-app details').forEach(d => { d.open = true; })")
    page.evaluate("() => StoryMap.showProvenance(window.smPlayer.player, 'tijuana')")
    if page.locator("#sm-app[data-mode=present]").count():
        page.keyboard.press("n")
    for toggle in ("#sm-more-toggle", "#sm-steps-toggle"):
        if page.locator(toggle).is_visible():
            page.locator(toggle).click()
    settle(page)


EXPORT_VIEWS = {
    "reading": ("", 1280, 900),
    "present": ("#present", 1920, 1080),
    "reading-es": ("#lang=es", 1280, 900),
    "present-es": ("#present&lang=es&size=2", 1280, 720),
    "phone": ("", 390, 844),
}


@pytest.mark.parametrize("view", EXPORT_VIEWS)
def test_axe_finds_nothing_in_the_export(chromium, seed_export, view):
    fragment, width, height = EXPORT_VIEWS[view]
    with browser_page(chromium, width, height) as page:
        open_export(page, seed_export + fragment)
        assert axe_violations(page) == [], violations_text(axe_violations(page))
        everything_open(page)
        found = axe_violations(page)
        shoot(page, f"a11y-export-{view}-open.png")
        assert found == [], violations_text(found)


# The app's pages, each in English at 1280x900 (the Story and New story pages in Spanish too).
APP_PAGES = [
    pytest.param("/", id="story"),
    pytest.param("/?lang=es", id="story-es"),
    pytest.param("/places", id="places"),
    pytest.param("/counts", id="counts"),
    pytest.param("/present", id="present"),
    pytest.param("/new_story", id="new-story"),
    pytest.param("/new_story?lang=es", id="new-story-es"),
    pytest.param("/about", id="about"),
]


def open_app_page(page, server: str, path: str) -> None:
    """An app page, drawn: its player ready, or its map's frame loaded, and Streamlit idle."""
    if path.split("?")[0] in ("/", "/present"):
        open_app(page, server + path)
        return
    page.goto(server + path)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=120_000)
    if path == "/places":
        frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', state="attached", timeout=60_000)
        frame.content_frame().wait_for_function("() => window.map_div && window.map_div.getCenter", timeout=60_000)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    # The app's own CSS (readable captions) comes in an st.html, whose renderer Streamlit loads lazily.
    page.wait_for_selector("[data-testid='stHtml'] style", state="attached", timeout=30_000)
    page.wait_for_timeout(500)  # Streamlit's fade-in of the last elements


@pytest.mark.parametrize("path", APP_PAGES)
def test_axe_finds_nothing_on_the_apps_pages_and_their_frames(chromium, app_server, path):
    with browser_page(chromium, 1280, 900) as page:
        open_app_page(page, app_server, path)
        found = axe_violations(page)
        shoot(page, f"a11y-app-{path.strip('/?').replace('=', '-') or 'story'}.png")
        assert found == [], violations_text(found)


@pytest.mark.parametrize("path", ["/", "/present", "/?lang=es"])
def test_axe_finds_nothing_in_the_apps_player(chromium, app_server, path):
    with browser_page(chromium, 1280, 900) as page:
        open_app(page, app_server + path)
        assert axe_violations(page, "#sm-app") == [], violations_text(axe_violations(page, "#sm-app"))
        everything_open(page)
        found = axe_violations(page, "#sm-app")
        assert found == [], violations_text(found)


VIEWPORT = "() => [...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)"


@pytest.mark.parametrize("path", ["/", "/places"])
def test_no_page_or_frame_forbids_pinch_zoom(chromium, app_server, seed_export, path):
    with browser_page(chromium, 390, 844) as page:
        open_export(page, seed_export)
        assert page.evaluate(VIEWPORT) == ["width=device-width, initial-scale=1"]
        open_app_page(page, app_server, path)
        contents = [content for frame in page.frames for content in frame.evaluate(VIEWPORT)]
        assert contents and not [c for c in contents if re.search(r"user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0)?\b", c)]


# --- the live region --------------------------------------------------------------------------------
# Every live region of the page, and every text the player's own got (one entry per change).
LIVE_REGIONS = """() => [...document.querySelectorAll('[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log], [role=marquee], [role=timer], output')]
    .map(e => e.id || e.outerHTML.slice(0, 80))"""
LISTEN = """() => { window.__said = []; if (window.__listening) return; window.__listening = true;
    new MutationObserver(() => window.__said.push(document.getElementById('sm-live').textContent))
    .observe(document.getElementById('sm-live'), {childList: true, characterData: true, subtree: true}); }"""


def announcements(page, keys: list[str]) -> list[str]:
    """What the live region said while these keys were pressed, one entry per change."""
    page.evaluate(LISTEN)
    for key in keys:
        page.keyboard.press(key)
        page.evaluate("() => new Promise(r => setTimeout(r, 0))")
    return page.evaluate("() => window.__said")


def announce(n: int) -> str:
    """The line a step change says: "Step 3 of 11: <title>"."""
    return EN["announce"].format(n=n, total=len(STORY.steps), title=STORY.steps[n - 1].title)


def check_live_region(page) -> None:
    """Stepping says one short line per step, the rest of the reader's actions say nothing, and the
    player's region is the page's only live region."""
    assert page.evaluate(LIVE_REGIONS) == ["sm-live"]
    page.locator("#sm-next").focus()
    said = announcements(page, ["ArrowRight", "ArrowRight", "PageDown", "ArrowLeft"])
    assert said == [announce(2), announce(3), announce(4), announce(3)]
    assert all("\n" not in line and len(line) < 120 for line in said)
    assert page.locator("#sm-live").inner_text() == announce(3)
    # A click on Next keeps the focus there; a Reveal keeps it on its button; neither is announced twice.
    page.evaluate(LISTEN)
    page.locator("#sm-next").click()
    assert page.evaluate("() => document.activeElement.id") == "sm-next"
    reveal = page.locator(".sm-reveal").first
    reveal.click()
    assert page.evaluate("() => document.activeElement.className") == "sm-reveal"
    page.locator(".sm-legend summary").click()
    assert page.evaluate("() => window.__said") == [announce(4)]
    assert page.evaluate(LIVE_REGIONS) == ["sm-live"]


def test_stepping_the_export_announces_one_short_line_and_nothing_else_is_live(chromium, seed_export):
    with browser_page(chromium, 1280, 900) as page:
        open_export(page, seed_export)
        check_live_region(page)


def test_stepping_the_app_announces_one_short_line_and_nothing_else_is_live(chromium, app_server):
    with browser_page(chromium, 1280, 900) as page:
        open_app(page, app_server + "/")
        check_live_region(page)


# --- the keyboard -----------------------------------------------------------------------------------
# Where the focus is: inside the map, past it (after it in the page), and whether it shows.
FOCUS = """() => { const a = document.activeElement, map = document.getElementById('sm-mapbox'), s = getComputedStyle(a);
    return {inMap: map.contains(a), past: !map.contains(a) && !!(map.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING),
            shows: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
            what: a.tagName + (a.id ? '#' + a.id : '') + ' ' + (a.getAttribute('aria-label') || a.title || a.textContent || '').trim().slice(0, 30)}; }"""


def tabs_past_the_map(page) -> list[dict]:
    """Tab from Next until the focus is past the map (8 presses at most); each stop as FOCUS reads it."""
    page.locator("#sm-next").focus()
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS))
        if stops[-1]["past"]:
            break
    return stops


@pytest.mark.parametrize("host,address,width,height", [
    ("export", "", 1280, 900), ("export", "#present", 1920, 1080), ("app", "/", 1280, 900)])
def test_tab_gets_from_next_past_the_map_in_eight_presses_with_the_focus_in_sight(
        chromium, seed_export, app_server, host, address, width, height):
    with browser_page(chromium, width, height) as page:
        if host == "export":
            open_export(page, seed_export + address)
        else:
            open_app(page, app_server + address)
        stops = tabs_past_the_map(page)
        assert stops[-1]["past"], [s["what"] for s in stops]
        assert [s["what"] for s in stops if not s["shows"]] == []
        # The delay box and the order buttons do not swallow the arrows.
        page.locator("#sm-delay").focus() if page.locator("#sm-delay").is_visible() else page.locator("#sm-play").focus()
        before = page.evaluate("() => window.smPlayer.current().index")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("() => window.smPlayer.current().index") == before + 1


# --- phones -----------------------------------------------------------------------------------------
# The map as a phone shows it: its box against the window.
PHONE_MAP = """() => { const r = document.getElementById('sm-mapbox').getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width,
            vw: innerWidth, vh: innerHeight}; }"""


@pytest.mark.parametrize("host", ["export", "app"])
@pytest.mark.parametrize("width,height", [(390, 844), (360, 640)])
def test_a_phone_shows_a_big_enough_map_with_the_steps_places_in_it(chromium, seed_export, app_server, host, width, height):
    with browser_page(chromium, width, height) as page:
        if host == "export":
            open_export(page, seed_export)
        else:
            open_app(page, app_server + "/")
        problems = {}
        for index in range(step_count(page)):
            go_to(page, index)
            box, outside = page.evaluate(PHONE_MAP), page.evaluate(PLACES_INSIDE) + page.evaluate(PLACES_COVERED)
            shoot(page, f"phone-{host}-{width}x{height}-step{index + 1:02d}.png")
            found = []
            if box["height"] < 0.4 * box["vh"] or box["width"] < 0.85 * box["vw"]:
                found.append(f"map {box['width']:.0f}×{box['height']:.0f} px")
            if box["top"] < 0 or box["bottom"] > box["vh"] or box["left"] < 0 or box["right"] > box["vw"]:
                found.append(f"map off screen: {box}")
            if outside:
                found.append(f"places outside the map or under its controls: {outside}")
            if found:
                problems[index + 1] = found
        assert problems == {}
        # The step list folds into a menu; choosing a step closes it.
        steps = page.locator("#sm-steplist")
        assert steps.is_hidden()
        page.locator("#sm-steps-toggle").click()
        assert steps.is_visible()
        steps.get_by_role("button").nth(2).click()
        page.wait_for_function("() => window.smPlayer.current().index === 2", timeout=HANG)
        assert steps.is_hidden()
        assert page.errors == []


# --- Spanish ----------------------------------------------------------------------------------------
# Everything the player says in its interface: the text it shows (hidden text for screen readers
# included), and the names and tooltips of its controls.
INTERFACE_TEXT = """(selector) => {
    const root = document.querySelector(selector), out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement, text = node.textContent.trim();
        if (text && parent && parent.getClientRects().length && getComputedStyle(parent).visibility !== 'hidden') out.push(text);
    }
    root.querySelectorAll('[title], [aria-label], [alt], [placeholder], [aria-valuetext]').forEach(el =>
        ['title', 'aria-label', 'alt', 'placeholder', 'aria-valuetext'].forEach(a => { if (el.getAttribute(a)) out.push(el.getAttribute(a)); }));
    return out;
}"""
# Every string of the story as the player holds it (titles, quotes, places, the article...), which
# stays as written in any language; the interface sentences Python made are left out.
STORY_TEXT = """() => { const out = [];
    const walk = v => { if (typeof v === 'string') { if (v.trim().length > 1) out.push(v.trim()); }
                        else if (Array.isArray(v)) v.forEach(walk);
                        else if (v && typeof v === 'object') Object.keys(v).forEach(k => { if (k !== 'localized') walk(v[k]); }); };
    walk(window.smPlayer.data);
    return out; }"""
# Leaflet's and its plugins' own English words.
LEAFLET_ENGLISH = ["Zoom in", "Zoom out", "Full Screen", "Exit Full Screen", "Hide MiniMap", "Show MiniMap", "contributors"]


def english_patterns() -> dict[str, re.Pattern]:
    """A pattern for each English interface string that Spanish says otherwise ({n} matches anything)."""
    patterns = {}
    for key, english in EN.items():
        if key.startswith("_") or english == ES[key]:
            continue
        parts = re.split(r"\{\w+\}", english)
        if not any(re.search(r"[A-Za-z]{2}", part) for part in parts):
            continue
        body = ".+?".join(re.escape(part) for part in parts)
        patterns[key] = re.compile((r"\b" if english[0].isalnum() else "") + body + (r"\b" if english[-1].isalnum() else ""))
    for words in LEAFLET_ENGLISH:
        patterns[f"leaflet: {words}"] = re.compile(r"\b" + re.escape(words) + r"\b")
    return patterns


PATTERNS = english_patterns()


def english_left(page, selector: str) -> list[str]:
    """English interface strings the player still shows or says, with where they were found."""
    story = sorted(set(page.evaluate(STORY_TEXT)) | {"Story Map"}, key=len, reverse=True)  # and the app's name
    found = []
    for text in page.evaluate(INTERFACE_TEXT, selector):
        rest = text
        for written in story:
            if written in rest:
                rest = rest.replace(written, " ")
        for key, pattern in PATTERNS.items():
            if pattern.search(rest):
                found.append(f"{key}: {text[:80]!r}")
    return found


def check_spanish(page, selector: str) -> None:
    """Every step, in reading and presenter view, things opened: Spanish only, the catalogue's words."""
    assert page.locator("#sm-app").get_attribute("lang") == "es"
    for node in page.locator("#sm-app [data-i18n]").all():
        key = node.get_attribute("data-i18n")
        if key:  # filled from the catalogue: exactly its Spanish
            assert node.text_content() == ES[key], key
    for node in page.locator("#sm-app [data-i18n-label]").all():
        assert node.get_attribute("aria-label") == ES[node.get_attribute("data-i18n-label")]
    left = set()
    for present in (False, True):
        if present:
            page.locator("#sm-present-toggle").click()
        for index in range(step_count(page)):
            go_to(page, index)
            left.update(english_left(page, selector))
        everything_open(page)
        left.update(english_left(page, selector))
    assert sorted(left) == [], sorted(left)
    assert page.get_by_text(ES["on_this_map"]).count() + page.get_by_text(ES["legend"]).count() >= 1


def test_spanish_export_shows_no_english_interface_string(chromium, seed_export):
    with browser_page(chromium, 1280, 900) as page:
        open_export(page, seed_export + "#lang=es")
        assert page.evaluate("() => document.documentElement.lang") == "es"
        check_spanish(page, "body")
        shoot(page, "a11y-export-es.png")


def test_spanish_in_the_apps_player_shows_no_english_interface_string(chromium, app_server):
    with browser_page(chromium, 1280, 900) as page:
        open_app(page, app_server + "/?lang=es")
        check_spanish(page, "#sm-app")
        shoot(page, "a11y-app-es.png")
