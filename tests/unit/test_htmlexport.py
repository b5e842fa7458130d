"""The one-file interactive map: what Python decides for the browser, and the file's self-containment."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from flankmap.data import load
from flankmap.domain import intervals, treaty, treaty_days
from flankmap.render import html_file
from flankmap.view import publish
from flankmap.view import symbology as sym


@pytest.fixture(scope="module")
def data():
    return publish.build_data(dt.date(2025, 12, 27), permalink="?date=2025-12-27")


def _at(rows, day):
    return next(r for r in rows if r["from"] <= day.isoformat() <= r["to"])


def test_every_drawn_country_has_its_intervals_and_symbology_style(data):
    assert sorted(data["countries"]) == load.drawn_iso3s()
    for iso3, country in data["countries"].items():
        for iv in country["iv"]:
            style = sym.country_style("status", status_code=iv["code"], flagged=bool(iv["flag"]))
            assert data["styles"][iv["s"]] == publish.style_json(style), (iso3, iv["from"])
            assert iv["label"] == treaty.STATUS_LABELS[iv["code"]]


def test_legend_and_count_on_a_day_are_the_cores(data):
    day = dt.date(2026, 2, 20)
    rows = [data["legend_rows"][i] for i in _at(data["legend"], day)["rows"]]
    counts = {}
    for iso3 in load.drawn_iso3s():
        code = treaty.status_at(iso3, day).status_code
        counts[code] = counts.get(code, 0) + 1
    assert f"Withdrawn ({counts['withdrawn']})" in [r["label"] for r in rows]
    assert _at(data["counts"], day)["text"] == treaty_days.states_parties_text(day)
    assert data["heading"]["title"] == "Ottawa Convention status on {date}"
    assert data["heading"]["subs"][0].startswith("{count} States Parties")


def test_key_dates_and_checked_through(data):
    assert data["key_dates"] == intervals.key_dates()
    assert f"checked through {treaty.checked_through().isoformat()}" in data["credits"]["source"]
    assert data["credits"]["source"] == sym.source_line("status", treaty.checked_through())


def test_interactive_file_is_self_contained_and_within_budget():
    html = html_file.export_html(dt.date(2025, 12, 27), permalink="?date=2025-12-27").decode("utf-8")
    assert len(html.encode("utf-8")) <= html_file.MAX_BYTES
    markup = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", "", html, flags=re.S)
    assert not re.search(r"(?:src|href)\s*=", markup), "no external resource in the page's markup"
    assert re.search(r"default-src 'none'", html), "the page forbids every request itself"
    assert html.count("</script>") == html.count("<script"), "no data or code closes its script element early"
