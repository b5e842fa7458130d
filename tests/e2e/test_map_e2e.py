"""The map page in real headless Chromium: paints, steps by day, keeps zoom, stays on localhost."""

import time

import pytest

from flankmap.data import load
from tests.e2e.conftest import control_frame, map_frame, shot, wait_for

pytestmark = pytest.mark.e2e
CLASSES_JS = "[...document.querySelectorAll('%s')].map(p => p.getAttribute('class'))"


def fill_of(frame, iso3: str) -> str:
    return frame.evaluate(f"document.querySelector('path.iso3-{iso3}').getAttribute('fill')")


def applied_date(frame) -> str | None:
    return frame.evaluate("document.body.getAttribute('data-flankmap-date')")


def test_map_paints_with_classes_and_attribution(server, page):
    page.goto(f"{server}/?date=2025-12-27")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2025-12-27", what="payload applied")
    countries = frame.evaluate(CLASSES_JS % "path.flankmap-country")
    assert len(countries) >= 25
    assert any("iso3-EST" in c for c in countries) and any("iso3-BLR" in c for c in countries)
    segments = frame.evaluate(CLASSES_JS % "path.flankmap-border")
    assert any("segment-suwalki-gap" in c for c in segments)
    assert any("segment-LTU-BLR" in c for c in segments)
    text = frame.evaluate("document.body.innerText")
    assert "Ottawa Convention status on 27 December 2025" in text
    assert "OpenStreetMap contributors" in text
    assert "Withdrawal pending" in text  # the legend
    assert frame.evaluate("document.querySelector('path.iso3-EST').getAttribute('data-status')") == "withdrawn"
    assert fill_of(frame, "FIN").startswith("url(#")  # hatched: a second cue for "withdrawal pending"
    path = shot(page, "map_2025-12-27")
    assert path.stat().st_size > 20_000


def test_slider_key_press_changes_estonia_and_url_and_keeps_zoom(server, page):
    page.goto(f"{server}/?date=2025-12-26")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2025-12-26", what="payload applied")
    before = fill_of(frame, "EST")
    frame.evaluate("window.__marker = 'same-document'")
    frame.click(".leaflet-control-zoom-in")
    wait_for(lambda: frame.evaluate("Flankmap.map.getZoom()") > 0, what="zoom")
    time.sleep(0.6)  # zoom animation
    zoom, center = frame.evaluate("Flankmap.map.getZoom()"), frame.evaluate("Flankmap.map.getCenter()")
    slider = control_frame(page).locator("#fm-slider")
    slider.focus()
    slider.press("ArrowRight")
    # The map moves at once, in the browser; the page follows once the date has settled.
    assert applied_date(frame) == "2025-12-27"
    assert slider.get_attribute("aria-valuetext") == "2025-12-27"
    assert fill_of(frame, "EST") != before
    page.wait_for_url("**date=2025-12-27**", timeout=20_000)
    # Updated in place: same document (marker survives) and the user's zoom and centre are kept.
    assert frame.evaluate("window.__marker") == "same-document"
    assert frame.evaluate("Flankmap.map.getZoom()") == zoom and frame.evaluate("Flankmap.map.getCenter()") == center
    # The export row moved with the settled date.
    links = page.locator("a:has-text('Presentation view')")
    wait_for(
        lambda: all("date=2025-12-27" in links.nth(i).get_attribute("href") for i in range(links.count())),
        what="presentation link for 2025-12-27",
    )
    assert applied_date(frame) == "2025-12-27" and frame.evaluate("Flankmap.map.getZoom()") == zoom
    shot(page, "map_2025-12-27_after_step")


def test_hostile_url_shows_a_note_and_a_map(server, page):
    page.goto(f"{server}/?date=%3Cscript%3Ealert(1)%3C/script%3E")
    map_frame(page)
    assert page.get_by_text("not a date (use YYYY-MM-DD)").count() >= 1
    assert page.locator("script:has-text('alert(1)')").count() == 0


def test_tooltip_text_on_hover(server, page):
    page.goto(f"{server}/?date=2025-12-27")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2025-12-27", what="payload applied")
    frame.evaluate("Flankmap.countries.FIN.openTooltip()")
    tip = frame.evaluate("document.querySelector('.flankmap-tip').innerText")
    assert "Finland" in tip and "14 days until effective" in tip


def test_legend_folds_on_click(server, page):
    page.goto(f"{server}/?date=2025-12-27")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2025-12-27", what="payload applied")
    assert frame.locator(".flankmap-legend-toggle").get_attribute("aria-expanded") == "true"  # open on a wide map
    frame.click(".flankmap-legend-toggle")
    assert frame.evaluate("document.querySelector('.flankmap-legend').classList.contains('flankmap-folded')")
    assert frame.locator(".flankmap-legend-toggle").get_attribute("aria-expanded") == "false"
    assert not frame.locator(".flankmap-legend >> text=Withdrawn (3)").is_visible()


def test_address_and_page_links_follow_the_view(server, page):
    page.goto(f"{server}/?date=2025-02-30&layers=foo")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) is not None, what="payload applied")
    shown = applied_date(frame)
    wait_for(lambda: f"date={shown}" in page.url and "layers" not in page.url, what="address bar corrected")
    slider = control_frame(page).locator("#fm-slider")
    slider.focus()
    slider.press("ArrowLeft")
    wait_for(lambda: applied_date(frame) != shown, what="step")
    day = applied_date(frame)
    timeline = page.locator('[data-testid="stSidebar"] a[href*="timeline"]').first
    wait_for(lambda: f"date={day}" in timeline.get_attribute("href"), what="sidebar link carries the new date")
    wait_for(lambda: f"date={day}" in page.url, what="address bar follows the settled date")


OUTSIDE_VIEW_JS = "(codes) => codes.filter(c => !Flankmap.map.getBounds().contains(Flankmap.countries[c].getBounds()))"
FRAMES = (
    ("flank", ["FIN", "EST", "LVA", "LTU", "POL", "ROU", "BGR", "MDA"]),
    ("europe", ["ISL", "IRL", "GBR", "PRT", "ESP", "MLT", "CYP", "GRC", "TUR", "GEO", "ARM", "AZE", "FIN"]),
)


@pytest.mark.parametrize("width", [1400, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize(("area", "codes"), FRAMES, ids=[a for a, _ in FRAMES])
def test_frame_shows_its_countries_whole(server, browser, area, codes, width):
    ctx = browser.new_context(viewport={"width": width, "height": 1000 if width > 500 else 844})
    try:
        page = ctx.new_page()
        page.goto(f"{server}/?date=2026-02-20&area={area}")
        frame = map_frame(page)
        wait_for(lambda: applied_date(frame) == "2026-02-20", what="payload applied")
        drawn = len(load.drawn_iso3s())
        assert drawn >= 51  # every European state and Kazakhstan
        assert frame.evaluate("document.querySelectorAll('path.flankmap-country').length") == drawn
        assert frame.evaluate(OUTSIDE_VIEW_JS, codes) == []
        folded = frame.evaluate("document.querySelector('.flankmap-legend').classList.contains('flankmap-folded')")
        assert folded == (width < 500), "the legend starts folded on a phone-width map only"
        shot(page, f"frame_{area}_{width}")
    finally:
        ctx.close()


def _core_fills(day: str) -> dict[str, str]:
    """The fill attribute the core's status and symbology give every drawn country on ``day``."""
    import datetime as dt

    from flankmap.data import load
    from flankmap.domain import treaty
    from flankmap.view import symbology as sym

    out = {}
    for row in treaty.status_records(dt.date.fromisoformat(day), iso3s=None):
        style = sym.country_style("status", status_code=row["status_code"], flagged=bool(row["flag"]))
        out[row["iso3"]] = f"url(#{style.hatch.id})" if style.hatch else style.fill
    drawn = set(load.drawn_iso3s())
    return {iso3: fill for iso3, fill in out.items() if iso3 in drawn}


FILLS_JS = "Object.fromEntries([...document.querySelectorAll('path.flankmap-country')].map(p => [p.getAttribute('class').match(/iso3-(\\w+)/)[1], p.getAttribute('fill')]))"  # noqa: E501


@pytest.mark.parametrize(("first", "second"), [("2025-12-26", "2025-12-27"), ("2026-02-19", "2026-02-20")])
def test_browser_lookup_agrees_with_the_core_on_key_days(server, page, first, second):
    """The browser looks each day up in the session's timeline: every fill equals the core's, on a page load
    and after a slider step (which sends only the view), and the timeline was fetched once."""
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/geo/timeline_" in r.url else None)
    page.goto(f"{server}/?date={first}")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == first, what="payload applied")
    assert frame.evaluate(FILLS_JS) == _core_fills(first)
    slider = control_frame(page).locator("#fm-slider")
    slider.focus()
    slider.press("ArrowRight")
    wait_for(lambda: applied_date(frame) == second, what="step applied")
    assert frame.evaluate(FILLS_JS) == _core_fills(second)
    assert len(fetched) == 1 and "timeline_status.json?v=" in fetched[0], fetched


def test_the_ccm_map_shows_lithuania_pending_then_withdrawn_and_both_outlines_poland(server, page):
    """treaty=ccm: the browser fetches the CCM's timeline; Lithuania's CCM withdrawal takes effect on 2025-03-06.
    treaty=both: the Ottawa fill with the outside-the-CCM outline (Poland on 2026-02-20)."""
    page.goto(f"{server}/?date=2025-03-05&treaty=ccm")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2025-03-05", what="payload applied")
    status = "document.querySelector('path.iso3-LTU').getAttribute('data-status')"
    assert frame.evaluate(status) == "withdrawal_pending"
    text = frame.evaluate("document.body.innerText")
    assert "Convention on Cluster Munitions status on 5 March 2025" in text
    assert "112 States Parties worldwide" in text
    shot(page, "map_ccm_2025-03-05")
    page.goto(f"{server}/?date=2025-03-06&treaty=ccm")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2025-03-06", what="payload applied")
    assert frame.evaluate(status) == "withdrawn"
    assert "111 States Parties worldwide" in frame.evaluate("document.body.innerText")
    shot(page, "map_ccm_2025-03-06")
    page.goto(f"{server}/?date=2026-02-20&treaty=both")
    frame = map_frame(page)
    wait_for(lambda: applied_date(frame) == "2026-02-20", what="payload applied")
    assert frame.evaluate("document.querySelector('path.iso3-POL').getAttribute('stroke')") == "#00695c"
    assert "161 Ottawa, 112 CCM" in frame.evaluate("document.body.innerText")
    shot(page, "map_both_2026-02-20")
