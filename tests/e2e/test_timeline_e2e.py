"""The map page's timeline in real headless Chromium: the control beside the map moves the map on every input event
(drag, keys, play day by day, typed date) without a message to the server, and the page follows once per gesture
(URL, table, figures). Compare mode outlines per day from what Python published. Screenshots while dragging and
playing are saved for a person to look at (tests/e2e/shots/timeline_*.png)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from flankmap.view import model
from flankmap.view import symbology as sym
from tests.e2e.conftest import control_frame, map_frame, shot, wait_for

pytestmark = pytest.mark.e2e

DATE_JS = "document.body.getAttribute('data-flankmap-date')"
# Every day the map showed, in order (installed in the map frame).
TRACE_JS = """() => { window.__days = []; new MutationObserver(() => window.__days.push(
  document.body.getAttribute('data-flankmap-date'))).observe(document.body, {attributes: true,
  attributeFilter: ['data-flankmap-date']}); }"""
STROKES_JS = """Object.fromEntries([...document.querySelectorAll('path.flankmap-country')].map(p =>
  [p.getAttribute('class').match(/iso3-(\\w+)/)[1], p.getAttribute('stroke')]))"""


def long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%B} {d.year}"


def opened(server, page, query: str):
    """Open the map page with a websocket counter; (map frame, control frame, the list of sent-frame times)."""
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.append(time.time())))
    page.goto(f"{server}/{query}")
    frame = map_frame(page)
    wait_for(lambda: frame.evaluate(DATE_JS) is not None, what="map shows a day")
    ctl = control_frame(page)
    page.locator("table.flankmap-textalt caption").wait_for(timeout=30_000)
    time.sleep(0.5)  # the first run's trailing messages
    return frame, ctl, sent


def settled(page, day: str) -> None:
    """The page followed ``day``: address bar and the table under the map."""
    wait_for(lambda: f"date={day}" in page.evaluate("location.href"), timeout_s=30, what=f"URL shows {day}")
    caption = page.locator("table.flankmap-textalt caption")
    wait_for(lambda: long_date(day) in caption.inner_text(), timeout_s=30, what=f"table shows {day}")


def thumb(ctl) -> tuple[float, float]:
    slider = ctl.locator("#fm-slider")
    box = slider.bounding_box()
    share = slider.evaluate("s => s.value / s.max")
    return box["x"] + 8 + share * (box["width"] - 16), box["y"] + box["height"] / 2


def test_drag_moves_the_map_continuously_and_tells_the_server_once(server, page):
    frame, ctl, sent = opened(server, page, "?date=2024-06-01")
    slider = ctl.locator("#fm-slider")
    x, y = thumb(ctl)
    page.mouse.move(x, y)
    page.mouse.down()
    t0 = time.time()
    seen = []
    for i in range(1, 41):
        page.mouse.move(x + 2 * i, y)  # ~20 days a step on a 1400 px page
        shown = frame.evaluate(DATE_JS)
        assert shown == slider.get_attribute("aria-valuetext"), "the map follows the thumb while dragging"
        seen.append(shown)
        if i % 10 == 0:
            shot(page, f"timeline_drag_{i // 10}")
    during = [t for t in sent if t >= t0]
    assert len(set(seen)) >= 30, f"the map moved on only {len(set(seen))} of 40 mouse moves"
    assert seen == sorted(seen)
    assert during == [], f"{len(during)} websocket messages while dragging"
    t_release = time.time()
    page.mouse.up()
    day = frame.evaluate(DATE_JS)
    settled(page, day)
    time.sleep(0.5)
    assert len([t for t in sent if t >= t_release]) == 1, "one message when the drag ends"
    assert frame.evaluate(DATE_JS) == day  # the page's rerun did not move the map


def test_keyboard_steps_a_day_a_month_and_to_either_end(server, page):
    frame, ctl, sent = opened(server, page, "?date=2025-12-26")
    slider = ctl.locator("#fm-slider")
    slider.focus()
    t0 = time.time()
    last_day = ctl.evaluate("FlankmapRuntime.iso(FlankmapControlApp.control().last())")
    for key, want in (
        ("ArrowRight", "2025-12-27"),
        ("ArrowUp", "2025-12-28"),
        ("ArrowLeft", "2025-12-27"),
        ("ArrowDown", "2025-12-26"),
        ("PageUp", "2026-01-26"),
        ("PageDown", "2025-12-26"),
        ("Home", "1997-09-18"),
        ("End", last_day),
    ):
        page.keyboard.press(key)
        assert frame.evaluate(DATE_JS) == want, key  # at once, in the browser
        assert slider.get_attribute("aria-valuetext") == want, key
    last = frame.evaluate(DATE_JS)
    settled(page, last)
    time.sleep(0.5)
    assert len([t for t in sent if t >= t0]) < 8, "a run of key presses is not a message per press"
    # A held key (auto-repeat) moves the map day by day and sends nothing until it is released.
    page.keyboard.press("Home")
    settled(page, "1997-09-18")
    t_hold = time.time()
    page.keyboard.down("ArrowRight")
    for _ in range(29):
        page.wait_for_timeout(30)
        page.keyboard.down("ArrowRight")
    assert frame.evaluate(DATE_JS) == "1997-10-18"
    assert [t for t in sent if t >= t_hold] == [], "no websocket message while the key is held"
    page.keyboard.up("ArrowRight")
    settled(page, "1997-10-18")


def test_play_runs_day_by_day_and_settles_when_stopped(server, page):
    frame, ctl, sent = opened(server, page, "?date=2025-12-01")
    frame.evaluate(TRACE_JS)
    ctl.select_option("#fm-speed", "frame")
    t0 = time.time()
    ctl.click("#fm-play")
    assert ctl.locator("#fm-play").get_attribute("aria-pressed") == "true"
    assert "Playing day by day" in ctl.locator("#fm-control-status").inner_text()
    for i in range(3):
        time.sleep(0.4)
        shot(page, f"timeline_play_{i}")
    t_stop = time.time()
    ctl.click("#fm-play")  # Pause: the date reached settles
    days = frame.evaluate("window.__days")
    assert len(days) >= 20, days
    expected = [(dt.date(2025, 12, 2) + dt.timedelta(days=i)).isoformat() for i in range(len(days))]
    assert days == expected, "play shows every day, in order"
    assert [t for t in sent if t0 <= t < t_stop] == [], "no websocket message while playing"
    stopped = frame.evaluate(DATE_JS)
    settled(page, stopped)
    live = page.locator("#fm-live")
    wait_for(lambda: long_date(stopped) in live.inner_text(), what="the date reached is announced")
    assert "Changed since 1 December 2025" in live.inner_text() and "Estonia" in live.inner_text()
    assert len([t for t in sent if t >= t_stop]) == 1


def test_typed_date_moves_the_map_and_settles_on_enter(server, page):
    frame, ctl, _ = opened(server, page, "?date=2025-06-01")
    field = ctl.locator("#fm-date")
    field.fill("2026-02-20")  # what the browser's own date picker does
    assert frame.evaluate(DATE_JS) == "2026-02-20"
    field.press("Enter")
    settled(page, "2026-02-20")
    assert ctl.locator("#fm-slider").get_attribute("aria-valuetext") == "2026-02-20"
    live = page.locator("#fm-live")
    wait_for(lambda: "Map date 20 February 2026." in live.inner_text(), what="announcement")
    assert "Poland: State Party → Withdrawn (effective 2026-02-20)" in live.inner_text()


def test_a_late_page_rerun_never_jumps_the_map_back(server, page):
    """A settled date goes to the server; while its rerun is on its way the person moves on: the map keeps the
    person's day, and the page follows the newer date after."""
    frame, ctl, _ = opened(server, page, "?date=2025-06-01")
    slider = ctl.locator("#fm-slider")
    slider.focus()
    page.keyboard.press("ArrowRight")  # settles 2025-06-02 after the pause
    page.wait_for_timeout(150)
    page.keyboard.down("ArrowRight")  # and holds the key: a gesture under way
    held = ["2025-06-03"]
    wait_for(
        lambda: "date=2025-06-02" in page.evaluate("location.href"), timeout_s=30, what="the first settled date's rerun"
    )
    for _ in range(10):
        page.wait_for_timeout(40)
        page.keyboard.down("ArrowRight")
        held.append(frame.evaluate(DATE_JS))
    assert frame.evaluate(DATE_JS) == slider.get_attribute("aria-valuetext") == held[-1] > "2025-06-03"
    page.keyboard.up("ArrowRight")
    settled(page, held[-1])
    assert frame.evaluate(DATE_JS) == held[-1]


def test_compare_mode_outlines_follow_the_scrubbed_day(server, page):
    frame, ctl, sent = opened(server, page, "?date=2025-06-10&compare=2025-06-01")
    compare = dt.date(2025, 6, 1)
    outline = sym.CHANGED_OUTLINE.edge

    def outlined() -> set[str]:
        return {iso3 for iso3, stroke in frame.evaluate(STROKES_JS).items() if stroke == outline}

    assert outlined() == set(model.changes(compare, dt.date(2025, 6, 10))[0])
    slider = ctl.locator("#fm-slider")
    slider.focus()
    t0 = time.time()
    for _ in range(8):  # month by month through the withdrawals, the outlines looked up in the browser
        page.keyboard.press("PageUp")
        day = dt.date.fromisoformat(frame.evaluate(DATE_JS))
        assert outlined() == set(model.changes(compare, day)[0]), day
    assert {"EST", "LVA", "LTU", "FIN"} <= outlined()
    assert "changed since 2025-06-01" in frame.locator(".flankmap-legend").inner_text()
    settled(page, day.isoformat())
    assert len([t for t in sent if t >= t0]) < 8
    changes = page.get_by_text(f"Changed between 2025-06-01 and {day.isoformat()}")
    changes.wait_for(timeout=30_000)
    shot(page, "timeline_compare")


def test_a_key_date_from_the_sidebar_moves_the_control_and_the_map(server, page):
    frame, ctl, _ = opened(server, page, "?date=2025-06-01")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="2025-12-27").first.click()
    wait_for(lambda: frame.evaluate(DATE_JS) == "2025-12-27", what="the map follows the server's date")
    assert ctl.locator("#fm-slider").get_attribute("aria-valuetext") == "2025-12-27"
    settled(page, "2025-12-27")
