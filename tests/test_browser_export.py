"""The exported story in Debian's Chromium, opened from disk with every outside request blocked."""

from __future__ import annotations

import pytest

from browser import FITTED, OUTPUT, PLACES_INSIDE, READY, REPO, block_outside, position, printed, squash, streamlit_server
from geo.export import write_export
from geo.story import load_story

pytestmark = pytest.mark.browser
STORY = load_story(REPO / "data" / "story.yaml")
XSS = REPO / "tests" / "fixtures" / "xss" / "story.yaml"
HANG = 15_000  # ms: a guard against hanging, never a speed assertion

NOT_PWNED = "() => typeof window.__pwned === 'undefined'"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One export of the seed story and one of the hostile story, shared by the module."""
    folder = tmp_path_factory.mktemp("export")
    return {"seed": write_export(REPO / "data" / "story.yaml", folder / "story.html").as_uri(),
            "xss": write_export(XSS, folder / "xss.html").as_uri()}


@pytest.fixture
def page(chromium):  # noqa: F811 (fixture from browser.py)
    """A fresh page: outside requests aborted and counted, every request and dialog recorded."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    outside = block_outside(context)
    page = context.new_page()
    page.outside, page.requests, page.dialogs, page.errors = outside, [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def open_story(page, url: str):
    """Load the file and wait for the player."""
    page.goto(url)
    page.wait_for_selector(READY, timeout=HANG)
    return page


def on_step(page, index: int) -> dict:
    """The player's position, after checking it is on step `index`, fitted and showing its places."""
    state = position(page)
    assert state["index"] == index, state
    assert page.evaluate(FITTED), "the map was panned away from the step's view"
    assert page.evaluate(PLACES_INSIDE) == []
    return state


def test_the_file_draws_every_place_offline_with_no_outside_request(page, exported):
    open_story(page, exported["seed"])
    circles = page.evaluate("() => { let n = 0; window.smPlayer.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }")
    assert circles >= len(STORY.places)
    page.wait_for_function("() => document.querySelectorAll('#sm-mapbox canvas.sm-basemap-tile').length >= 4", timeout=HANG)  # the basemap
    assert page.locator("#sm-steps li").count() == len(STORY.steps)
    assert page.locator("#sm-counter").inner_text() == f"1 / {len(STORY.steps)}"
    assert page.errors == []
    assert page.outside == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "export.png"))


def test_arrow_keys_step_and_move_the_centre(page, exported):
    open_story(page, exported["seed"])
    first = on_step(page, 0)
    page.keyboard.press("ArrowRight")
    second = on_step(page, 1)
    assert (second["lat"], second["lng"]) != (first["lat"], first["lng"])
    assert page.locator("#sm-counter").inner_text().startswith("2 /")
    assert page.evaluate("() => location.hash") == "#step=2"
    page.keyboard.press("PageDown")  # a presenter's clicker
    on_step(page, 2)
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    back = on_step(page, 0)
    tolerance = 2 * 360 / (256 * 2 ** first["zoom"])  # 2 px: Leaflet rounds its pixel origin
    assert back["zoom"] == first["zoom"]
    assert abs(back["lat"] - first["lat"]) < tolerance and abs(back["lng"] - first["lng"]) < tolerance


def test_keys_step_even_with_the_focus_inside_the_map(page, exported):
    open_story(page, exported["seed"])
    box = page.locator("#sm-mapbox").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + 40)  # open sea/land, away from the markers
    assert page.evaluate("() => window.smPlayer.map.getContainer().contains(document.activeElement)")
    page.keyboard.press("ArrowRight")
    # The map shows step 2's view exactly: the story stepped and Leaflet did not pan as well.
    on_step(page, 1)


def test_a_hash_opens_its_step_and_home_and_end_jump(page, exported):
    open_story(page, exported["seed"] + "#step=3")
    on_step(page, 2)
    assert page.locator("#sm-step-title").inner_text() == STORY.steps[2].title
    page.keyboard.press("End")
    on_step(page, len(STORY.steps) - 1)
    assert page.evaluate("() => location.hash") == f"#step={len(STORY.steps)}"
    page.keyboard.press("Home")
    on_step(page, 0)


@pytest.mark.parametrize("fragment", ["#%", "#step=%E0%A4%A", "#order=__proto__", "#step=9999999999999",
                                      "#step=-3&order=constructor&size=NaN&lang=__proto__", "#" + "x=1&" * 2000])
def test_any_hash_opens_the_player_and_what_it_cannot_read_is_ignored(page, exported, fragment):
    open_story(page, exported["seed"] + fragment)
    assert page.errors == []
    on_step(page, 0)
    assert position(page)["order"] == "article"
    page.keyboard.press("ArrowRight")
    on_step(page, 1)


def test_autoplay_advances_and_pause_stops_it(page, exported):
    open_story(page, exported["seed"])
    page.fill("#sm-delay", "1")
    page.click("#sm-play")
    page.wait_for_function("() => window.smPlayer.current().index >= 2", timeout=HANG)
    page.click("#sm-play")  # pause
    stopped = position(page)["index"]
    assert page.locator("#sm-play").inner_text().endswith("Play")
    page.wait_for_timeout(2500)  # more than two delays: a running autoplay would have moved on
    assert position(page)["index"] == stopped


def test_presenter_view_reveals_the_answer_only_on_request(page, exported):
    number = [s.id for s in STORY.steps].index("waiting") + 1
    open_story(page, exported["seed"] + f"#step={number}&present")
    assert page.locator("#sm-app").get_attribute("data-mode") == "present"
    question = page.locator(".sm-question", has_text="How far is Mexicali from Tijuana?")
    answer = question.locator(".sm-answer")
    assert answer.is_hidden()
    question.get_by_role("button", name="Reveal the answer").click()
    assert answer.is_visible() and "146 km" in answer.inner_text()
    question.get_by_role("button", name="Hide the answer").click()
    assert answer.is_hidden()
    # Teacher notes stay hidden from the audience until asked for.
    open_story(page, exported["seed"] + "#step=1&present")
    assert page.locator("#sm-note").is_hidden()
    page.keyboard.press("n")
    assert page.locator("#sm-note").is_visible() and STORY.steps[0].note[:30] in page.locator("#sm-note").inner_text()
    font = "() => parseFloat(getComputedStyle(document.getElementById('sm-app')).fontSize)"
    size = page.evaluate(font)
    page.click("#sm-larger")
    assert page.evaluate(font) > size
    assert "size=" in page.evaluate("() => location.hash")
    page.screenshot(path=str(OUTPUT / "export-present.png"))


def test_the_student_sheet_has_the_questions_first_then_the_story_and_no_answers(page, exported):
    open_story(page, exported["seed"])
    pages = printed(page, "student")
    text = "".join(pages)
    assert squash(STORY.title) in pages[0]
    questions = [q for s in STORY.steps for q in s.questions]
    first_quote = text.find(squash(STORY.steps[1].quotes[0]))
    for question in questions:
        assert -1 < text.find(squash(question.prompt)) < first_quote, question.prompt
    for step in STORY.steps:
        assert squash(step.title) in text
        for quote in step.quotes:
            assert squash(quote) in text, quote
    for question in questions:
        if squash(question.answer) not in "".join(squash(q) for s in STORY.steps for q in s.quotes):
            assert squash(question.answer) not in text, question.answer
    assert "Answerkey" not in text


def test_the_teacher_sheet_has_every_answer_and_every_note(page, exported):
    open_story(page, exported["seed"] + "#step=4&present&size=2")
    pages = printed(page, "teacher")
    text = "".join(pages)
    assert text.count("Answerkey") == 1
    for question in (q for s in STORY.steps for q in s.questions):
        assert squash(question.answer) in text and squash(question.prompt) in text
    for step in STORY.steps:
        if step.note:
            assert squash(step.note) in text
    # Printing from presenter view at a large size does not change the printed sizes: as many
    # pages as the same sheet printed from the reading view.
    on_step(page, 3)
    open_story(page, exported["seed"] + "#step=4")
    assert len(printed(page, "teacher")) == len(pages) <= 4


def test_html_in_the_story_is_shown_as_text_and_never_runs_in_the_export(page, exported):
    open_story(page, exported["xss"])
    for _ in range(2):
        page.evaluate("""() => { window.smPlayer.map.eachLayer(layer => {
            if (layer.getPopup && layer.getPopup()) layer.openPopup();
            if (layer.getTooltip && layer.getTooltip()) layer.openTooltip();
        }); }""")
        page.keyboard.press("n")
        for button in page.locator(".sm-reveal").all():
            button.click()
        page.locator("#sm-article-box summary").click()
        page.locator("#sm-credits-box summary").click()
        page.keyboard.press("ArrowRight")
    page.click("#sm-present-toggle")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.dialogs == []
    assert all(frame.evaluate(NOT_PWNED) for frame in page.frames)
    assert "<script>window.__pwned=7;alert('title')</script>" in page.locator("#sm-title").inner_text()
    assert page.get_by_text("Officials said </script><script>window.__pwned=5</script>").first.is_visible()
    assert page.locator("#sm-mapbox img[src='x'], #sm-mapbox svg[onload], img[onerror]").count() == 0


def test_html_in_the_story_is_shown_as_text_and_never_runs_in_the_app(page, tmp_path_factory):
    env = {"STORY_MAP_STORY": str(XSS), "STORY_MAP_CACHE_DIR": str(tmp_path_factory.mktemp("xss-cache"))}
    with streamlit_server(env) as url:
        # Story text and the address's own text are Markdown-escaped: no image, link or icon
        # from a story or a link is rendered (each would be an outside request, or a phishing link).
        phish = "/?order=%5BSign%20in%20again%5D(http://evil.test/phish)%20!%5Bx%5D(http://evil.test/px.png)"
        for path in ("/", "/?step=2", "/present", "/about", "/counts", "/places", phish):
            page.goto(url + path)
            page.wait_for_selector("[data-testid='stMain']", timeout=60_000)
            page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
            page.wait_for_timeout(1500)  # let the iframes run whatever they would run
            assert page.dialogs == [], path
            assert all(frame.evaluate(NOT_PWNED) for frame in page.frames), path
            assert page.locator("a[href^='http://evil.test']").count() == 0, path
        assert page.get_by_text("Payloads <script>", exact=False).first.is_visible()
    assert page.outside == [], page.outside
