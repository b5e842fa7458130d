"""Browser tier for the pages: map → each page via the sidebar nav → map keeps the date; downloads parse and
match the core; every chart paints; no request leaves localhost (the ``page`` fixture asserts it)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pandas as pd
import pytest

from flankmap.render import downloads
from tests.e2e.conftest import control_frame, map_frame, shot

pytestmark = pytest.mark.e2e

DAY = "2025-10-01"
PAGES = [  # nav link label, URL path, a heading on the page
    ("Timeline", "timeline", "Timeline: the Ottawa Convention on"),
    ("Defence spending", "spending", "Defence spending (% of GDP)"),
    ("Borders", "borders", "Borders: how long, computed and official"),
    ("Data and sources", "sources", "Data and sources"),
]


SLIDER = '[data-testid="stSlider"] input[type="range"]'


def slider_date(page) -> str:
    return page.locator(SLIDER).first.get_attribute("aria-valuetext")


def map_date(page) -> str:
    """The date of the map page's own timeline control (the map page has no sidebar slider)."""
    return control_frame(page).locator("#fm-slider").get_attribute("aria-valuetext")


def wait_heading(page, text: str) -> None:
    page.get_by_role("heading", name=re.compile(re.escape(text))).first.wait_for(timeout=30_000)


def wait_charts(page, minimum: int = 1) -> None:
    page.wait_for_function(
        f'document.querySelectorAll(\'[data-testid="stVegaLiteChart"] svg, '
        f'[data-testid="stVegaLiteChart"] canvas\').length >= {minimum}',
        timeout=30_000,
    )


def nav(page, label: str) -> None:
    # The sidebar's own navigation (st.page_link), whose links carry the view in their query parameters.
    page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]').filter(has_text=label).first.click()


def test_date_survives_map_to_each_page_and_back(server, page):
    page.goto(f"{server}/?date={DAY}")
    map_frame(page)
    assert map_date(page) == DAY
    for label, path, heading in PAGES:
        nav(page, label)
        page.wait_for_url(re.compile(rf"/{path}\?.*date={DAY}"), timeout=30_000)
        wait_heading(page, heading)
        assert slider_date(page) == DAY, label
        if path != "sources":
            wait_charts(page)
        page.wait_for_timeout(800)  # let Vega finish laying out before the screenshot
        shot(page, f"page-{path}")
    nav(page, "Map")
    page.wait_for_url(re.compile(rf"/\?.*date={DAY}"), timeout=30_000)
    map_frame(page)
    assert map_date(page) == DAY


def test_deep_link_to_a_page_shows_that_date(server, page):
    page.goto(f"{server}/timeline?date=2026-01-05")
    wait_heading(page, "Timeline: the Ottawa Convention on 2026-01-05")
    assert slider_date(page) == "2026-01-05"
    # Finland (effective 2026-01-10) and Poland (2026-02-20) are still pending on that day.
    page.locator('[data-testid="stMetric"]').filter(has_text="Finland leaves in").wait_for(timeout=30_000)
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("Finland" in m and "5 days" in m for m in metrics), metrics
    wait_charts(page, 2)


def test_moving_the_slider_on_a_page_updates_it_and_the_url(server, page):
    page.goto(f"{server}/timeline?date={DAY}")
    wait_heading(page, f"Timeline: the Ottawa Convention on {DAY}")
    slider = page.locator(SLIDER).first
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_url(re.compile(r"date=2025-10-02"), timeout=30_000)
    wait_heading(page, "Timeline: the Ottawa Convention on 2025-10-02")


def _download(page, key: str):
    with page.expect_download(timeout=30_000) as info:
        page.locator(f".st-key-{key} button").click()
    return info.value


def test_downloads_parse_and_match_the_core(server, page, tmp_path):
    page.goto(f"{server}/sources?date={DAY}")
    wait_heading(page, "Data and sources")
    day = dt.date.fromisoformat(DAY)

    got = _download(page, "dl_status_csv")
    assert got.suggested_filename == f"flankmap_status_{DAY}.csv"
    frame = pd.read_csv(got.path(), dtype=str, keep_default_na=False)
    expected = pd.read_csv(io.BytesIO(downloads.status_csv(day)), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.set_index("iso3").at["EST", "status_code"] == "withdrawal_pending"

    got = _download(page, "dl_status_geojson")
    geo = json.loads(open(got.path(), encoding="utf-8").read())
    assert geo == json.loads(downloads.status_geojson(day))
    props = {f["properties"]["iso3"]: f["properties"] for f in geo["features"]}
    assert props["UKR"]["status_code"] == "state_party" and props["UKR"]["flag"].startswith("purported suspension")

    got = _download(page, "dl_dataset")
    assert got.suggested_filename == "treaty_events.csv"
    assert open(got.path(), "rb").read() == downloads.dataset_bytes("treaty_events.csv")
    shot(page, "page-sources-downloads")
