"""Issue 10 in Debian's Chromium: the export's presenter view fits a projector at 1920×1080, 1280×720
and 1024×768 at every step; a predict step gives nothing away before Reveal; the presenter notes
window and the player follow each other; the handouts print the same from any view."""

from __future__ import annotations

import json
import re

import pytest

from browser import (
    FITTED,
    HANG,
    OUTPUT,
    PLACES_COVERED,
    PLACES_INSIDE,
    REPO,
    browser_page,
    go_to,
    open_export,
    overlapping,
    pdf_pages,
    pdf_to_png,
    print_pdf,
    settle,
    shoot,
    squash,
    step_count,
)
from geo.player import catalogues
from geo.story import load_story

pytestmark = pytest.mark.browser
STORY = load_story(REPO / "data" / "story.yaml")
CATALOGUE = catalogues()["en"]
PREDICT = [n for n, step in enumerate(STORY.steps) if any(q.kind == "predict" for q in step.questions)]

# The screen at one step: does the document scroll, which visible controls leave the window, is
# Reveal there when the step asks to predict, and do the map's labels collide.
SCREEN = """() => {
    const page = document.scrollingElement, w = innerWidth, h = innerHeight, p = window.smPlayer.player;
    const off = el => { const r = el.getBoundingClientRect(); return r.left < 0 || r.top < 0 || r.right > w || r.bottom > h; };
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const controls = [...document.querySelectorAll('#sm-stepper button, #sm-controls button, #sm-controls input, #sm-controls label')].filter(shown);
    const reveal = document.getElementById('sm-reveal-step');
    return {
        scrolls: page.scrollHeight > h || page.scrollWidth > w,
        controls: controls.length,
        controlsOff: controls.filter(off).map(el => el.id || el.textContent.trim()),
        reveal: shown(reveal) ? (off(reveal) ? 'off screen' : 'on screen') : 'none',
        mapOff: off(document.getElementById('sm-mapbox')),
        labels: (p.placedLabels || []).concat(p.outline.labels()).map(l => ({text: l.text, box: l.box})),
    };
}"""

VIEWS = [(1920, 1080, 1), (1280, 720, 1), (1024, 768, 1), (1280, 720, 2)]


@pytest.mark.parametrize("width,height,size", VIEWS, ids=lambda v: str(v))
def test_presenter_view_fits_the_screen_at_every_step(chromium, seed_export, width, height, size):
    with browser_page(chromium, width, height) as page:
        open_export(page, seed_export + "#present" + (f"&size={size}" if size != 1 else ""))
        problems = {}
        for index in range(step_count(page)):
            go_to(page, index)
            screen = page.evaluate(SCREEN)
            outside = page.evaluate(PLACES_INSIDE) + page.evaluate(PLACES_COVERED)
            shoot(page, f"present-{width}x{height}-size{size}-step{index + 1:02d}.png")
            found = []
            if screen["scrolls"]:
                found.append("the document scrolls")
            if screen["controlsOff"] or screen["mapOff"] or screen["controls"] < 8:
                found.append(f"controls off screen: {screen['controlsOff']}, map off screen: {screen['mapOff']}")
            if screen["reveal"] != ("on screen" if index in PREDICT else "none"):
                found.append(f"Reveal: {screen['reveal']}")
            if outside:
                found.append(f"places outside the map or under its controls: {outside}")
            if overlapping(screen["labels"]):
                found.append(f"labels collide: {overlapping(screen['labels'])}")
            if found:
                problems[index + 1] = found
        assert problems == {}
        assert page.errors == [] and page.outside == []


def visible_text(page) -> str:
    """What the room can read: the page's rendered text (the map's labels included), without the
    map's scale bar, whose round figures ("500 km") are not the story's."""
    text = page.evaluate("""() => { const scale = document.querySelector('.leaflet-control-scale');
        return document.body.innerText.replace(scale ? scale.innerText : '', ''); }""")
    return " ".join(text.split())


def held_back(step) -> list[str]:
    """What answers a step's predict questions: their answer, the answer's sentence as quoted, the
    title's figures that sentence gives, and the labels of counts and distances it quotes."""
    from geo.article import load_article, sentence_of

    article = load_article(REPO / "data" / "story.yaml", STORY)
    found = []
    for question in (q for q in step.questions if q.kind == "predict"):
        answer = sentence_of(article, question.answer_quote)
        found.append(question.answer)
        found += [quote for quote in step.quotes if quote in answer]
        found += [figure.rstrip(".,") for figure in re.findall(r"\d[\d,.]*", step.title) if figure.rstrip(".,") in answer]
        found += [count.quote for count in step.counts if count.quote in answer]
    return found


@pytest.mark.parametrize("index", PREDICT, ids=[STORY.steps[n].id for n in PREDICT])
def test_a_predict_step_gives_nothing_away_before_reveal(chromium, seed_export, index):
    step = STORY.steps[index]
    with browser_page(chromium, 1920, 1080) as page:
        open_export(page, seed_export + f"#step={index + 1}&present")
        secrets = held_back(step)
        labels = "() => window.smPlayer.player.placedLabels.map(l => l.text)"
        distances = page.evaluate("""() => { const p = window.smPlayer.player, s = p.current();
            return s.distances.filter((d, n) => s.holds.some(h => h.distances.indexOf(n) >= 0)).map(d => StoryMap.distanceLabel(p, d)); }""")
        before, shown_labels = visible_text(page), page.evaluate(labels)
        assert [s for s in secrets + distances if " ".join(s.split()) in before] == []
        assert [s for s in distances if s in shown_labels] == []
        reveal = page.locator("#sm-reveal-step")
        assert reveal.inner_text() == CATALOGUE["reveal"]
        reveal.click()
        settle(page)
        after, revealed_labels = visible_text(page), page.evaluate(labels)
        assert [s for s in secrets + distances if " ".join(s.split()) not in after] == []
        assert all(s in revealed_labels for s in distances)
        held_counts = [c.quote for c in step.counts if c.quote in " ".join(secrets)]
        assert len(revealed_labels) >= len(shown_labels) + len(distances) + len(held_counts)
        # The focus stays on Reveal, which now hides the answer again.
        assert page.evaluate("() => document.activeElement.id") == "sm-reveal-step"
        assert reveal.inner_text() == CATALOGUE["hide_answer"]
        shoot(page, f"present-revealed-step{index + 1:02d}.png")


def notes_heading(notes) -> str:
    """The step title the notes window shows."""
    return notes.locator("#sm-notes-step").inner_text()


def test_the_notes_window_and_the_player_follow_each_other(chromium, seed_export):
    with browser_page(chromium, 1280, 720) as page:
        open_export(page, seed_export + "#step=2&present")
        with page.context.expect_page(timeout=HANG) as opened:
            page.locator("#sm-notes-window").click()
        notes = opened.value
        notes.locator("#sm-notes-step").wait_for(timeout=HANG)
        assert notes_heading(notes) == STORY.steps[1].title
        assert STORY.steps[1].note[:40] in notes.locator("body").inner_text()
        # The player's keys (a clicker) move the notes.
        page.keyboard.press("PageDown")
        notes.wait_for_function(f"() => document.getElementById('sm-notes-step').textContent === {json.dumps(STORY.steps[2].title)}", timeout=HANG)
        page.keyboard.press("ArrowLeft")
        notes.wait_for_function(f"() => document.getElementById('sm-notes-step').textContent === {json.dumps(STORY.steps[1].title)}", timeout=HANG)
        # The notes' keys and buttons move the player.
        notes.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.smPlayer.current().index === 2", timeout=HANG)
        notes.locator("#sm-notes-next").click()
        page.wait_for_function("() => window.smPlayer.current().index === 3", timeout=HANG)
        assert notes_heading(notes) == STORY.steps[3].title
        notes.keyboard.press("Home")
        page.wait_for_function("() => window.smPlayer.current().index === 0", timeout=HANG)
        # Reveal from the notes: the projector shows the answer; the notes offer to hide it.
        go_to(page, PREDICT[0])
        notes.locator("#sm-notes-reveal").click()
        page.wait_for_function("() => window.smPlayer.player.state.revealed[window.smPlayer.current().id] === true", timeout=HANG)
        step = STORY.steps[PREDICT[0]]
        assert page.locator(".sm-answer", has_text=step.questions[0].answer).first.is_visible()
        assert notes.locator("#sm-notes-reveal").inner_text() == CATALOGUE["notes_hide_answer"]
        # The projector never showed a teacher note.
        assert page.locator("#sm-note").is_hidden()
        notes.screenshot(path=str(OUTPUT / "present-notes-window.png"))
        shoot(page, "present-with-notes-open.png")
        assert page.errors == []


# The printed map, as the sheet holds it: its size, the overview step's places outside it, its legend.
PRINTED_MAP = """() => { const p = window.smPlayer.player, map = p.map, step = p.data.steps[p.data.overviewStep];
    const bounds = map.getBounds(), size = map.getSize(), legend = map.getContainer().querySelector('.sm-legend details');
    return {inSheet: !!map.getContainer().closest('.sm-h-map'), size: [size.x, size.y], named: step.named,
            outside: step.framed.filter(id => !bounds.contains([p.data.places[id].lat, p.data.places[id].lon])),
            legendOpen: !!legend && legend.open, legend: legend ? legend.innerText : '',
            labels: p.placedLabels.map(l => l.id)}; }"""


def printed_map_is_the_overview(page) -> None:
    """The sheet's map has its printed size, frames the overview with its labels, legend open."""
    printed = page.evaluate(PRINTED_MAP)
    assert printed["inSheet"] and printed["size"][0] > 600 and printed["size"][1] > 400, printed
    assert printed["outside"] == [] and printed["legendOpen"], printed
    assert set(printed["named"]) <= set(printed["labels"]), str(printed)
    assert CATALOGUE["legend_other_places"] in printed["legend"]


ANSWERS_NOT_QUOTED = [q.answer for s in STORY.steps for q in s.questions
                      if squash(q.answer) not in "".join(squash(quote) for st in STORY.steps for quote in st.quotes)]


def test_the_handouts_print_alike_from_any_view_students_without_answers_teachers_with_all(chromium, seed_export):
    counts = {}
    with browser_page(chromium, 1280, 900) as page:
        for view, fragment in (("read", "#step=1"), ("present-size2", "#step=4&present&size=2")):
            open_export(page, seed_export + fragment)
            for kind in ("student", "teacher"):
                name = f"handout-{kind}-{view}.pdf"
                pages = pdf_pages(print_pdf(page, kind, name, check=printed_map_is_the_overview if kind == "student" else None))
                counts[kind, view] = len(pages)
                assert all(len(text) > 40 for text in pages), f"{name} has a blank page"
                text = "".join(pages)
                if kind == "student":
                    assert [a for a in ANSWERS_NOT_QUOTED if squash(a) in text] == []
                    assert squash(CATALOGUE["answer_key"]) not in text
                    assert squash(CATALOGUE["the_map"]) in text and squash(CATALOGUE["legend"]) in text
                else:
                    assert [q.answer for s in STORY.steps for q in s.questions if squash(q.answer) not in text] == []
                    assert [s.note for s in STORY.steps if s.note and squash(s.note) not in text] == []
                # Pictures of every page, to look at (poppler's pdftoppm, when installed).
                images = pdf_to_png(OUTPUT / name)
                assert images == [] or len(images) == len(pages)
            # Printing leaves the reader where they were, with the step's own view.
            assert page.evaluate("() => window.smPlayer.current().index") == int(fragment.split("=")[1][0]) - 1
            assert page.evaluate(FITTED) and page.evaluate(PLACES_INSIDE) == []
    assert counts["student", "read"] == counts["student", "present-size2"]
    assert counts["teacher", "read"] == counts["teacher", "present-size2"]
    assert counts["teacher", "read"] < counts["student", "read"] <= 8
