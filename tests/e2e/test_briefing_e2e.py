"""Presentation view (?view=briefing) at 1920x1080 in real headless Chromium: no chrome or widgets; title,
legend and attribution inside the viewport; a screenshot is saved for a person to look at."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import Guard, map_frame, shot

pytestmark = pytest.mark.e2e

W, H = 1920, 1080


@pytest.fixture
def big_page(browser):
    guard = Guard()
    ctx = browser.new_context(viewport={"width": W, "height": H}, accept_downloads=True)
    ctx.route("**/*", guard)
    pg = ctx.new_page()
    yield pg
    ctx.close()
    assert guard.external == [], f"requests left localhost: {guard.external}"


def _inside_viewport(box) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= W + 1
        and box["y"] + box["height"] <= H + 1
        and box["width"] > 0
        and box["height"] > 0
    )


def _wait_applied(frame, day: str, timeout_s: float = 30) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if frame.evaluate("document.body.getAttribute('data-flankmap-date')") == day:
                return
        except Exception:  # noqa: BLE001 - the frame may detach while Streamlit re-renders
            pass
        time.sleep(0.1)
    raise AssertionError(f"the map did not apply date {day}")


def test_presentation_view_fills_the_frame(server, big_page):
    page = big_page
    page.goto(f"{server}/?view=briefing&date=2025-12-27")
    frame = map_frame(page)
    _wait_applied(frame, "2025-12-27")
    page.wait_for_selector(".flankmap-briefing-footer", timeout=20_000)
    time.sleep(1.0)  # let fonts and the fitted bounds settle before the screenshot

    # No Streamlit chrome and no widgets.
    for selector in (
        '[data-testid="stSidebar"]',
        'header[data-testid="stHeader"]',
        '[data-testid="stToolbar"]',
        '[data-testid="stSlider"]',
        '[data-testid="stCheckbox"]',
        '[data-testid="stSelectbox"]',
        '[data-testid="stDownloadButton"]',
        '[data-testid="stSidebarCollapsedControl"]',
    ):
        loc = page.locator(selector)
        assert loc.count() == 0 or not loc.first.is_visible(), f"{selector} is visible"

    # Title with the date, legend and attribution are inside the 1920x1080 viewport.
    title = frame.locator(".flankmap-title")
    assert "Ottawa Convention status on 27 December 2025" in title.inner_text()
    legend = frame.locator(".flankmap-legend")
    assert "Withdrawn" in legend.inner_text() and "Withdrawal pending" in legend.inner_text()
    attribution = frame.locator(".leaflet-control-attribution")
    assert "OpenStreetMap" in attribution.inner_text()
    for name, loc in (
        ("title", title),
        ("legend", legend),
        ("attribution", attribution),
        ("scale bar", frame.locator(".leaflet-control-scale")),
        ("footer", page.locator(".flankmap-briefing-footer")),
    ):
        assert _inside_viewport(loc.bounding_box()), f"{name} is not inside the viewport: {loc.bounding_box()}"

    # Text sized for a room, and the short permalink in the footer.
    size = title.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 26
    footer = page.locator(".flankmap-briefing-footer").inner_text()
    assert "Permalink:" in footer and "date=2025-12-27" in footer and "view=briefing" not in footer
    # The map fills the frame: its iframe spans the width and nearly all of the height.
    box = page.locator('iframe[title^="Map:"]').bounding_box()  # the runtime names the frame (issue 13)
    assert box["width"] >= W - 4 and box["height"] >= H - 80
    # No scrolling needed: the page is no taller than the frame.
    assert page.evaluate("document.scrollingElement.scrollHeight") <= H + 2

    shot(page, "briefing_1920x1080")
