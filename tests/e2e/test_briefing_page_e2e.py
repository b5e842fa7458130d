"""Issue 19, done when: a five-slide briefing made in the app (headless Chromium): views added, one annotation
of each kind placed by clicking the map, a marking, a reorder, presented with the arrow keys; the JSON
downloads, uploads again unchanged, and exports to PowerPoint, PDF and the story; a bad file is refused with
every problem listed and nothing loaded. No request leaves the machine (the ``page`` fixture's guard).
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.e2e.conftest import shot, wait_for

pytestmark = pytest.mark.e2e
TEXT_BOX = "Its text (optional for a country or border)"
ANNOTATION_ROW = re.compile(r"^(text|arrow|country|border): ")
BORDER_MIDDLE = """(() => { const m = window.map, found = [];
  m.eachLayer(l => { if (l.feature && l.feature.properties.segment_id === 'suwalki-gap') found.push(l); });
  const path = found[0]._path, q = path.getPointAtLength(path.getTotalLength() / 2);
  const r = path.ownerSVGElement.createSVGPoint(); r.x = q.x; r.y = q.y;
  const s = r.matrixTransform(path.getScreenCTM()); return [s.x, s.y]; })()"""


def settle(page, quiet_s: float = 0.6, timeout_s: float = 60) -> None:
    """Wait until Streamlit has finished its rerun (no running indicator for ``quiet_s``)."""
    deadline, calm_since = time.time() + timeout_s, None
    while time.time() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        calm_since = None if running else (calm_since or time.time())
        if calm_since and time.time() - calm_since >= quiet_s:
            return
        time.sleep(0.1)
    raise AssertionError("Streamlit kept running")


def click_map(page, point_js: str) -> None:
    """Click the annotation map at the container point ``point_js`` evaluates to inside its frame."""
    el = page.locator("iframe[title='streamlit_folium.st_folium']").first
    el.scroll_into_view_if_needed()
    frame = el.element_handle().content_frame()
    ready = "!!window.map && document.querySelectorAll('path.leaflet-interactive').length > 30"
    wait_for(lambda: frame.evaluate(ready), what="the annotation map")
    x, y = frame.evaluate(point_js)
    box = el.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def at(lat: float, lon: float) -> str:
    return f"(() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()"


def rows(page) -> list[str]:
    return page.locator("[data-testid='stMarkdownContainer'] p").filter(has_text=ANNOTATION_ROW).all_inner_texts()


def download(page, name: str, path) -> bytes:
    settle(page, quiet_s=2.0)  # a rerun replaces the button's file: click only once the page is quiet
    button = page.get_by_role("button", name=name).first
    try:
        button.wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path="/tmp/e2e_fail.png", full_page=True)
        raise
    with page.expect_download(timeout=180_000) as d:
        button.click()
    d.value.save_as(path)
    return path.read_bytes()


def test_a_five_slide_briefing_made_in_the_app(server, page, tmp_path):
    page.goto(f"{server}/briefing?date=2025-06-26")
    page.get_by_text("Briefing: a deck of views").first.wait_for(timeout=60_000)
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    for n in range(5):
        settle(page)
        page.locator(".st-key-fm_deck_add button").first.click()
        page.get_by_text(f"Slide {n + 1}: ").first.wait_for(timeout=60_000)
        if n < 4:
            before = slider.get_attribute("aria-valuetext")
            settle(page)
            page.get_by_role("button", name="Key date ▶").first.click()
            wait_for(lambda before=before: slider.get_attribute("aria-valuetext") != before, what="next key date")
    settle(page)
    page.get_by_label("Slide title (empty: the view's own title)").fill("Poland deposits its withdrawal")
    page.get_by_label("Speaker notes").fill("The Sejm voted on 25 June 2025.")
    page.get_by_label("Speaker notes").press("Tab")
    page.get_by_text("5. Poland deposits its withdrawal").first.wait_for(timeout=60_000)
    settle(page)
    page.locator(".st-key-fm_deck_w_preset").click()
    page.get_by_role("option", name="TLP:CLEAR").click()
    settle(page)
    # one annotation of each kind, placed by clicking the map
    page.get_by_label(TEXT_BOX).fill("Sejm vote")
    page.get_by_label(TEXT_BOX).press("Enter")
    settle(page)
    click_map(page, at(52.2, 19.0))
    wait_for(lambda: len(rows(page)) == 1, what="the text box")
    settle(page)
    page.get_by_text("Arrow (click its start, then its end)").click()
    settle(page)
    page.get_by_label(TEXT_BOX).fill("Kaliningrad")
    page.get_by_label(TEXT_BOX).press("Enter")
    settle(page)
    click_map(page, at(55.6, 18.5))
    page.get_by_text("Arrow starts at").first.wait_for(timeout=60_000)
    settle(page)
    click_map(page, at(54.7, 20.6))
    wait_for(lambda: len(rows(page)) == 2, what="the arrow")
    settle(page)
    page.get_by_text("Country (click it)").click()
    settle(page)
    click_map(page, at(61.5, 25.5))
    wait_for(lambda: len(rows(page)) == 3, what="the country")
    settle(page)
    page.get_by_text("Border segment (click it)").click()
    settle(page)
    click_map(page, BORDER_MIDDLE)
    wait_for(lambda: len(rows(page)) == 4, what="the border")
    got = rows(page)
    assert got[0].startswith("text: Sejm vote") and got[1].startswith("arrow: Kaliningrad")
    assert got[2].endswith("(FIN)") and got[3].endswith("(suwalki-gap)")
    settle(page)
    page.locator(".st-key-fm_deck_up_4 button").first.click()  # reorder: the last slide one up
    page.get_by_text("Slide 4: 2025-08-20").first.wait_for(timeout=60_000)
    page.get_by_text("As it will be exported").first.wait_for(timeout=120_000)
    settle(page)
    shot(page, "briefing_page_editor")

    first = download(page, "Download briefing (JSON)", tmp_path / "b1.json")
    doc = json.loads(first)
    assert doc["marking"] == "TLP:CLEAR" and len(doc["slides"]) == 5
    assert [s["view"]["date"] for s in doc["slides"]][3:] == ["2025-08-20", "2025-07-18"]
    assert {a["kind"] for a in doc["slides"][3]["annotations"]} == {"text", "arrow", "country", "border"}
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp_path / "b1.json"))
    settle(page)
    assert download(page, "Download briefing (JSON)", tmp_path / "b2.json") == first  # uploads again unchanged
    assert download(page, "PowerPoint (.pptx)", tmp_path / "d.pptx")[:2] == b"PK"
    assert download(page, "PDF, a page per slide", tmp_path / "d.pdf").startswith(b"%PDF")
    assert b"fm-story-data" in download(page, "Offline story (.html)", tmp_path / "d.html")

    settle(page)
    page.get_by_role("button", name="Present").first.click()
    story = {}

    def find_story():
        for fr in page.frames:
            try:
                if fr.evaluate("window.__flankmapStoryReady === true"):
                    story["frame"] = fr
                    return True
            except Exception:  # noqa: BLE001 - frames come and go while Streamlit renders
                continue
        return False

    wait_for(find_story, timeout_s=60, what="the presentation")
    frame = story["frame"]
    frame.locator("#fm-story").click()
    for n in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        wait_for(lambda n=n: frame.evaluate("document.body.getAttribute('data-flankmap-slide')") == str(n))
    wait_for(lambda: frame.evaluate("document.body.getAttribute('data-flankmap-date')") == "2025-08-20",
             what="the map animated to slide 4's date")  # fmt: skip
    assert frame.locator(".fm-callout", has_text="Sejm vote").count() == 1
    shot(page, "briefing_page_present")
    page.keyboard.press("ArrowLeft")
    wait_for(lambda: frame.evaluate("document.body.getAttribute('data-flankmap-slide')") == "3")
    page.get_by_role("button", name="Exit presentation").first.click()
    page.get_by_text("Briefing: a deck of views").first.wait_for(timeout=60_000)

    bad = json.loads(first)
    bad["flankmap_briefing"] = 7
    bad["slides"][0]["title"] = "<script>alert(1)</script>"
    bad["slides"][1]["view"]["fill"] = "nukes"
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp_path / "bad.json"))
    page.get_by_text("bad.json was refused, nothing loaded: 3 problem(s).").first.wait_for(timeout=60_000)
    text = page.locator("[data-testid='stMain']").inner_text()
    for expected in ("flankmap_briefing: this is version 1", "slides[1].view.fill", "slides[0].title: markup"):
        assert expected in text, expected
    assert download(page, "Download briefing (JSON)", tmp_path / "b3.json") == first  # nothing loaded
