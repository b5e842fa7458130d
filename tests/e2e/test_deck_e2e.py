"""Issue 19: the offline story (``deck --format html``) in headless Chromium, from file://, zero requests:
arrow keys step through the slides, the map date moves to each slide's, the annotations follow their ranges,
and a stranger's text shows as text.
"""

from __future__ import annotations

import pytest

from flankmap.render import deck
from flankmap.view import briefing, briefing_example
from tests.e2e.conftest import shot
from tests.e2e.test_html_export_e2e import fpage, wait_js  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.e2e
EVIL = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def story_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("story") / "story.html"
    path.write_bytes(deck.export(briefing_example.example(), "html"))
    return path


def _state(page):
    return page.evaluate(
        "[document.body.getAttribute('data-flankmap-slide'), document.body.getAttribute('data-flankmap-date'),"
        " document.body.getAttribute('data-flankmap-annotations')]"
    )


def test_the_story_steps_with_arrow_keys_and_shows_each_slides_annotations(fpage, story_file):  # noqa: F811
    fpage.goto(story_file.as_uri())
    wait_js(fpage, "window.__flankmapStoryReady === true", 20)
    assert fpage.requests == [story_file.as_uri()], "the story loads nothing but itself"
    assert _state(fpage)[:2] == ["1", "2025-06-26"]
    text = fpage.evaluate("document.body.innerText")
    assert "Before the notifications" in text and "PUBLIC" in text and "Slide 1 of 5" in text
    want = {"2": ("2025-06-27", 1), "3": ("2025-12-27", 4), "4": ("2026-01-10", 1), "5": ("2026-02-20", 3)}
    for n in ("2", "3", "4", "5"):
        fpage.keyboard.press("ArrowRight")
        day, _ = want[n]
        wait_js(fpage, f"document.body.getAttribute('data-flankmap-date') === '{day}'")
        assert _state(fpage)[0] == n
    assert fpage.locator(".fm-callout", has_text="Kaliningrad (Russia)").count() == 1
    assert fpage.locator("path.fm-annotation.country").count() >= 1  # Poland, from 2026-02-20
    fpage.keyboard.press("ArrowLeft")
    wait_js(fpage, "document.body.getAttribute('data-flankmap-date') === '2026-01-10'")
    assert fpage.locator(".fm-callout", has_text="Finland").count() == 1
    shot(fpage, "deck_story_slide4")
    fpage.keyboard.press("ArrowLeft")
    wait_js(fpage, "document.body.getAttribute('data-flankmap-date') === '2025-12-27'")
    assert fpage.locator(".fm-callout", has_text="Withdrawal effective for EST, LVA, LTU").count() == 1
    assert fpage.requests == [story_file.as_uri()]


def test_a_strangers_text_in_the_story_is_text(fpage, tmp_path):  # noqa: F811
    doc = briefing_example.example().to_json()
    doc["title"] = EVIL
    doc["marking"] = EVIL[:60]
    doc["slides"][0]["title"] = EVIL
    doc["slides"][0]["annotations"] = [{"id": "x", "kind": "text", "at": [56, 24], "text": EVIL}]
    b = briefing.Briefing.model_validate(doc)  # the structure only: the renderers must hold even without parse()
    path = tmp_path / "evil.html"
    path.write_bytes(deck.export(b, "html"))
    dialogs = []
    fpage.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fpage.goto(path.as_uri())
    wait_js(fpage, "window.__flankmapStoryReady === true", 20)
    assert fpage.locator(".fm-callout", has_text=EVIL).count() == 1
    assert fpage.locator("#fm-story h2").inner_text() == EVIL
    assert fpage.locator("img").count() == 0 and dialogs == []
