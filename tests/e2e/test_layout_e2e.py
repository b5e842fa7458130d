"""The layout check (issue 18): labels never collide, boxes never cover a label or the flank, nothing is clipped.

In headless Chromium, for the app's map (frames x window sizes x days x fills), the presentation view and the
offline file, it collects the box of every visible label (class ``flankmap-label``) and overlay (class
``flankmap-box``, Leaflet's scale, zoom and attribution controls) and asserts: no two labels intersect, no label
intersects an overlay, no label or overlay is clipped by the map's container, none covers an eastern-flank vertex
(the outline vertices of EST, LVA, LTU, POL, FIN and Belarus, Kaliningrad's outline, the Suwałki Gap line; the
same points the runtime lays out around, ``R.flankPoints``). The static exports: ``test_static_layout_e2e.py``.

Fast: one page per window size; the frame, day and fill are switched by calling the runtime
(``Flankmap.fitArea``/``Flankmap.apply``, ``FlankmapTimeline.fit``/``setDay``), never by reloading.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from flankmap.render import html_file
from flankmap.view import urlstate
from tests.e2e.conftest import map_frame, shot, wait_for

WINDOWS = [(1920, 1080), (1400, 1000), (1280, 720), (390, 844)]
AREAS = ["baltic", "suwalki", "flank", "europe"]
DAYS = ["2025-12-27", "2026-02-20"]
FILLS = list(urlstate.FILLS)

MEASURE_JS = (Path(__file__).parent / "layout_check.js").read_text(encoding="utf-8")


SETTLED_JS = """() => {
  const map = (window.Flankmap && Flankmap.map) || FlankmapTimeline.map;
  return !map._animatingZoom && !map._panAnim?._inProgress;
}"""


def _check(found, results: dict, key: str) -> list[str]:
    results[key] = (len(found["placed"]), len(found["dropped"]))
    return [f"{key}: {item}" for kind in ("collisions", "clipped", "covered") for item in found[kind]]


def _bounds(area: str) -> list:
    return [list(p) for p in urlstate.area(area).bounds]


def _app_step(frame, area: str, day: str, fill: str, applied: int) -> None:
    payload = {"date": day, "fill": fill, "year": None, "layers": {"borders": True, "labels": True}}
    frame.evaluate(
        "([b, p]) => { Flankmap.fitArea(b); Flankmap.apply(p); }",
        [_bounds(area), payload],
    )
    wait_for(lambda: frame.evaluate("window.__flankmapApplied") > applied, what=f"{area} {day} {fill} applied")
    wait_for(lambda: frame.evaluate(SETTLED_JS), what="map settled")


# The presentation view is a projector's 16:9 frame: checked at the desktop sizes (a phone gets the map view).
CASES = [("map", w) for w in WINDOWS] + [("briefing", w) for w in WINDOWS if w[0] >= 600]


@pytest.mark.parametrize(("view", "window"), CASES, ids=[f"{v}-{w}x{h}" for v, (w, h) in CASES])
def test_app_map_labels_and_boxes(server, context_for, window, view, record_property):
    page = context_for(*window, mobile=window[0] < 600)
    page.goto(f"{server}/?date=2025-12-27" + ("&view=briefing" if view == "briefing" else ""))
    frame = map_frame(page)
    wait_for(lambda: frame.evaluate("document.body.getAttribute('data-flankmap-date')") == "2025-12-27", what="map")
    bad, results = [], {}
    fills = FILLS if view == "map" else ["status"]
    for area in AREAS:
        for day in DAYS:
            for fill in fills:
                _app_step(frame, area, day, fill, frame.evaluate("window.__flankmapApplied"))
                bad += _check(frame.evaluate(MEASURE_JS), results, f"{area} {day} {fill}")
    # The presentation frame is letterboxed into the window, never cut.
    if view == "briefing":
        box = page.locator("iframe[title^='Map:']").bounding_box()
        footer = page.locator("[data-testid='flankmap-briefing-footer']").bounding_box()
        assert box["y"] >= 0 and footer["y"] + footer["height"] <= window[1] + 1, (box, footer)
        assert abs(box["width"] / (box["height"] + footer["height"]) - 16 / 9) < 0.05, (box, footer)
    record_property("placed_dropped", json.dumps(results))
    print(view, window, json.dumps(results))
    shot(page, f"layout_{view}_{window[0]}x{window[1]}")
    assert bad == [], "\n".join(bad[:40])


@pytest.fixture(scope="module")
def offline_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout")
    files = {}
    for fill in FILLS:
        path = out / f"flank_{fill}.html"
        path.write_bytes(html_file.export_html(dt.date(2025, 12, 27), fill=fill))
        files[fill] = path
    return files


@pytest.mark.parametrize("window", WINDOWS, ids=[f"{w}x{h}" for w, h in WINDOWS])
def test_offline_file_labels_and_boxes(offline_files, browser, window):
    mobile = window[0] < 600
    ctx = browser.new_context(
        viewport={"width": window[0], "height": window[1]}, is_mobile=mobile, has_touch=mobile, device_scale_factor=1
    )
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    bad, results = [], {}
    for fill, path in offline_files.items():
        page.goto(path.as_uri())
        wait_for(lambda: page.evaluate("window.__flankmapReady === true"), what="offline file")
        for area in AREAS:
            page.evaluate("(b) => FlankmapTimeline.fit(b)", _bounds(area))
            for day in DAYS:
                page.evaluate("(d) => FlankmapTimeline.setDay(d)", day)
                wait_for(lambda d=day: page.evaluate("document.body.getAttribute('data-flankmap-date')") == d, what=day)
                wait_for(lambda: page.evaluate(SETTLED_JS), what="map settled")
                bad += _check(page.evaluate(MEASURE_JS), results, f"{area} {day} {fill}")
    print("offline", window, json.dumps(results))
    shot(page, f"layout_offline_{window[0]}x{window[1]}")
    ctx.close()
    assert {r for r in requests if not r.startswith(("file:", "data:"))} == set()
    assert bad == [], "\n".join(bad[:40])
