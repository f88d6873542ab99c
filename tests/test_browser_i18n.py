"""The app in Spanish in Debian's Chromium: the sidebar's language switch and the player's follow
each other through the address, the browser's language is the default, every page in Spanish at
desktop and phone sizes (screenshots in test-output/), and no motion for a reader who asks for none."""

from __future__ import annotations

import re

import pytest

from browser import MAP_FRAME, OUTPUT, block_outside, streamlit_server, wait_ready
from geo import i18n

pytestmark = pytest.mark.browser
SPANISH = i18n.gettext_for("es")
PAGES = {"story": "", "places": "places", "counts": "counts", "present": "present", "about": "about",
         "new_story": "new_story"}
ARTICLE = """Storms hit Tijuana on Sunday, forcing dozens of families from their homes.
On Monday, about 300 residents fled to Mexicali, 180km to the east.
Rescue teams from Springfield had arrived earlier this week, officials said."""
# Words the New story page shows once a story is drafted, which must all be Spanish then.
DRAFTED = ["2. The draft", "To review", "**Marked for review** — the draft is unsure of these:", "3. Confirm the places",
           "Where is it?", "Confirm this place", "4. Steps, counts and distances", "5. Save", "Check and save the story"]
SIZES = [(1280, 900), (390, 844)]
SIDEBAR = "[data-testid='stSidebar']"
# Every element whose computed transition or animation lasts longer than 0 s (an animation only
# counts when it has a name: a duration alone moves nothing).
MOVING = """() => {
  const long = value => value.split(',').some(part => parseFloat(part) > 0);
  return [...document.querySelectorAll('*')].filter(node => {
    const style = getComputedStyle(node);
    return long(style.transitionDuration) || (style.animationName !== 'none' && long(style.animationDuration));
  }).map(node => node.getAttribute('data-testid') || node.id || node.tagName);
}"""
# Records the transition of every element Streamlit marks stale during a rerun (its fade).
WATCH_STALE = """() => { window.smStale = [];
  new MutationObserver(changes => changes.forEach(change => {
    if (change.target.getAttribute('data-stale') === 'true') window.smStale.push(getComputedStyle(change.target).transitionDuration);
  })).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-stale']}); }"""


# How long a Leaflet popup would take to fade in, in the map frame.
POPUP_FADE = """() => { const probe = document.createElement('div'); probe.className = 'leaflet-popup';
  document.querySelector('.leaflet-map-pane').appendChild(probe);
  const duration = getComputedStyle(probe).transitionDuration; probe.remove(); return duration; }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a loopback port, with its own geocoder cache."""
    with streamlit_server({"STORY_MAP_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}) as url:
        yield url


@pytest.fixture
def browse(chromium):
    """Pages in new browser contexts (size, motion, locale), outside requests blocked and counted."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900, **options):
        context = chromium.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.outside = block_outside(context)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def idle(page) -> None:
    """Wait until Streamlit has no script run in flight (its status widget is gone)."""
    page.wait_for_timeout(400)  # a report is sent 250 ms after the reader rests
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=30_000)


def screens(page, stem: str, height: int, most: int = 6) -> None:
    """The rest of a long page, one screen at a time, for a person to look at (stem-2.png, -3 …)."""
    main = "document.querySelector('[data-testid=stMain]')"
    total = page.evaluate(f"{main}.scrollHeight")
    for part in range(1, min(most, -(-total // height))):
        page.evaluate(f"{main}.scrollTo(0, {part * (height - 80)})")  # 80 px of overlap between screens
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUTPUT / f"{stem}-{part + 1}.png"))
    page.evaluate(f"{main}.scrollTo(0, 0)")


def sidebar_language(page) -> str:
    """The language the sidebar's switch has checked."""
    return page.evaluate(
        "() => [...document.querySelectorAll(\"[data-testid=stSidebar] input[type=radio]\")]"
        ".find(r => r.checked && ['English', 'Español'].includes(r.closest('label').innerText.trim()))"
        ".closest('label').innerText.trim()"
    )


def player_language(page) -> str:
    """The language the player shows."""
    return page.evaluate("() => window.smPlayer.state.lang")


def test_the_sidebar_and_the_player_switch_language_together_without_rebuilding_the_map(browse, server):
    page = browse()
    page.goto(server + "/?step=2")
    wait_ready(page)
    idle(page)
    page.evaluate("() => { window.smPlayer.map.__probe = 'mounted-once'; }")
    assert player_language(page) == "en" and page.evaluate("document.documentElement.lang") == "en"
    # The sidebar's switch: the address, the page, the document and the player follow.
    page.locator(SIDEBAR).get_by_text("Español", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]lang=es(&|$)"), timeout=20_000)
    page.wait_for_function("() => window.smPlayer.state.lang === 'es'", timeout=20_000)
    page.locator(SIDEBAR).get_by_text(SPANISH("Story order")).wait_for(timeout=20_000)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.locator("#sm-app").get_attribute("lang") == "es"
    assert page.evaluate("() => window.smPlayer.current().index") == 1, "the reader stays on the step"
    idle(page)
    # The player's switch: the address, the sidebar and the page follow.
    page.locator("#sm-lang button[lang=en]").click()
    page.wait_for_url(re.compile(r"[?&]lang=en(&|$)"), timeout=20_000)
    page.locator(SIDEBAR).get_by_text("Story order").wait_for(timeout=20_000)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=20_000)
    assert sidebar_language(page) == "English" and player_language(page) == "en"
    assert "step=2" in page.url
    assert page.evaluate("() => window.smPlayer.map.__probe") == "mounted-once", "the map was rebuilt"
    assert page.outside == [] and page.errors == []


def test_the_browsers_language_is_the_default_and_stays_out_of_the_address(browse, server):
    page = browse(locale="es-ES")  # Accept-Language: es-ES and navigator.language alike
    page.goto(server + "/")
    wait_ready(page)
    page.locator(SIDEBAR).get_by_text(SPANISH("Story order")).wait_for(timeout=20_000)
    assert sidebar_language(page) == "Español" and player_language(page) == "es"
    assert page.evaluate("document.documentElement.lang") == "es"
    page.locator("#sm-next").click()
    page.wait_for_url(re.compile(r"[?&]step=2(&|$)"), timeout=20_000)
    idle(page)
    assert "lang=" not in page.url, "a language nobody chose is not written into links"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_page_in_spanish_at_desktop_and_phone_size(browse, server, width, height):
    page = browse(width, height, reduced_motion="reduce")  # no fades: the screenshots show the page at rest
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}?lang=es")
        if name in ("story", "present"):
            wait_ready(page)
        else:
            page.locator("h1").first.wait_for(timeout=60_000)
        idle(page)
        # The component that sets <html lang> loads its script after the page's first elements.
        page.wait_for_function("() => document.documentElement.lang === 'es'", timeout=20_000)
        if name == "counts":
            # The chart keeps its width on a phone: the bars have the column, the labels sit above them.
            chart = page.locator("[data-testid='stVegaLiteChart'] :is(svg, canvas)").first
            chart.wait_for(timeout=30_000)
            drawn = chart.bounding_box()["width"]
            column = page.evaluate("""() => { const box = document.querySelector("[data-testid='stMainBlockContainer']"),
                style = getComputedStyle(box); return box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight); }""")
            assert drawn >= column - 10 and drawn > 300, (drawn, column)
        # Markdown with HTML and some components load their renderer lazily, behind a skeleton.
        page.wait_for_selector("[data-testid^='stSkeleton']", state="detached", timeout=20_000)
        page.screenshot(path=str(OUTPUT / f"i18n-es-{name}-{width}x{height}.png"))
        screens(page, f"i18n-es-{name}-{width}x{height}", height)
        if name == "new_story":
            draft_in_spanish(page, width, height)
    if width < 700:  # on a phone the sidebar, and its language switch, open over the page
        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.locator(SIDEBAR).get_by_text("Español", exact=True).wait_for()
        page.screenshot(path=str(OUTPUT / f"i18n-es-sidebar-{width}x{height}.png"))
    assert page.outside == [] and page.errors == []


def draft_in_spanish(page, width: int, height: int) -> None:
    """Paste an article on the New story page (in Spanish) and draft it: the draft's sections are Spanish too."""
    page.get_by_label(SPANISH("…or paste its text")).fill(ARTICLE)
    page.get_by_role("button", name=SPANISH("Draft the story")).click()
    page.get_by_text(SPANISH("2. The draft"), exact=True).wait_for(timeout=60_000)
    idle(page)
    page.wait_for_selector("[data-testid^='stSkeleton']", state="detached", timeout=20_000)
    page.wait_for_timeout(800)  # the tables and the confirm map draw after the rerun
    shown = page.locator("[data-testid='stMain']").inner_text()
    for message in DRAFTED:
        assert SPANISH(message).replace("**", "") in shown, message
        assert message.replace("**", "") not in shown, message
    page.screenshot(path=str(OUTPUT / f"i18n-es-new_story-drafted-{width}x{height}.png"))
    screens(page, f"i18n-es-new_story-drafted-{width}x{height}", height, most=8)


def test_reduced_motion_stops_every_transition_and_animation_streamlits_fade_included(browse, server):
    for motion, still in (("no-preference", False), ("reduce", True)):
        page = browse(reduced_motion=motion)
        page.goto(server + "/counts")
        page.locator("[data-testid='stVegaLiteChart']").wait_for(timeout=60_000)
        page.goto(server + "/?step=2")
        wait_ready(page)
        idle(page)
        moving = page.evaluate(MOVING)
        # A rerun marks the page's elements stale: Streamlit fades them (1 s) unless motion is off.
        page.evaluate(WATCH_STALE)
        page.locator(SIDEBAR).get_by_text("Chronological order").click()
        page.wait_for_url(re.compile(r"order=chrono"), timeout=20_000)
        idle(page)
        fades = page.evaluate("window.smStale")
        assert fades, "no element went stale during the rerun"
        # The Places page's map is in a frame of its own, which the page's CSS does not reach:
        # Leaflet fades its popups (0.2 s) there unless the frame's own CSS stops it.
        page.goto(server + "/places")
        frame = page.wait_for_selector(MAP_FRAME, timeout=60_000).content_frame()
        frame.wait_for_selector(".leaflet-container.leaflet-fade-anim", timeout=30_000)
        popup = frame.evaluate(POPUP_FADE)
        if still:
            assert moving == [] and set(fades) == {"0s"} and popup == "0s", (moving, fades, popup)
            assert frame.evaluate(MOVING) == []
        else:  # the checks can fail: without the preference, Streamlit's sidebar and fade and Leaflet move
            assert "stSidebar" in moving and "1s" in fades and popup != "0s", (moving, fades, popup)
