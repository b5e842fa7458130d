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


def test_csp_lists_a_hash_for_every_inline_script_and_nothing_unsafe():
    """Review finding 15: script-src has the sha256 of each executable inline script, no 'unsafe-inline'."""
    import base64
    import hashlib
    import re

    html = html_file.export_html(dt.date(2025, 12, 27), permalink="?date=2025-12-27").decode("utf-8")
    (csp,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-hashes'" not in directives["script-src"]
    assert directives["form-action"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["default-src"] == "'none'"
    bodies = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(bodies) == 5  # Leaflet, runtime, the timeline control, timeline, start
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode("utf-8")).digest()).decode() + "'" for b in bodies}
    assert hashes == set(directives["script-src"].split())
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html.split('<script type="application/json"')[0])  # no handlers


def test_the_template_is_not_served_by_the_app():
    """Review finding 23: the export template lives beside the code, not under static/ (served at /app/static)."""
    from pathlib import Path

    repo = Path(html_file.__file__).resolve().parents[2]
    assert html_file.TEMPLATE.is_file() and not html_file.TEMPLATE.is_relative_to(repo / "static")
    assert not list((repo / "static").rglob("export.html"))
