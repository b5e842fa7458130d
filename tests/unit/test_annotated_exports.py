"""Issue 19: the map page's single-view exports carry a briefing slide's annotations: the PNG/SVG/PDF buttons
through the static renderer's ``decor=`` hook (the day's annotations only), the offline HTML file embeds them all
and its runtime draws each in its range (tests/e2e/test_map_annotations_e2e.py runs it in Chromium)."""

from __future__ import annotations

import datetime as dt
import re

from flankmap.render import html_file
from flankmap.view import briefing
from ui import briefing_view, cache

EVIL = "</script><img src=x onerror=alert(1)> $x$ & co"
NOTES = (
    briefing.Annotation.model_validate({"id": "a", "kind": "text", "at": [56.0, 24.0], "text": EVIL}),
    briefing.Annotation.model_validate(
        {"id": "b", "kind": "text", "at": [55.0, 25.0], "text": "From the effective day", "from": "2025-12-27"}
    ),
    briefing.Annotation.model_validate({"id": "c", "kind": "country", "iso3": "POL", "text": "Poland here"}),
)


def _svg(day: str, notes_json: str) -> str:
    args = (day, ("borders",), "status", None, None, "baltic", "http://x/", "2026-12-05", "v-test")
    return cache.briefing_image("svg", *args, "ottawa", notes_json).decode("utf-8")


def test_the_image_buttons_draw_the_days_annotations_as_text():
    notes_json = briefing_view._notes_json(NOTES)
    on = _svg("2025-12-27", notes_json)
    assert "From the effective day" in on and "Poland here" in on
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in on and "<img" not in on
    before = _svg("2025-12-26", notes_json)
    assert "From the effective day" not in before and "Poland here" in before
    assert "Poland here" not in _svg("2025-12-27", "")  # no annotations: the image as before
    assert briefing_view._notes_json(()) == ""


def test_the_offline_file_embeds_the_annotations_and_runs_their_script_under_its_policy():
    page = html_file.export_html(dt.date(2025, 12, 27), annotations=NOTES).decode("utf-8")
    assert 'id="fm-notes-data"' in page and "R.drawAnnotations" in page
    assert EVIL not in page and "\\u003c/script\\u003e\\u003cimg" in page  # JSON in a script: < > & escaped
    policy = re.search(r"script-src ([^;]*);", page).group(1)
    scripts = html_file.TEMPLATE.read_text(encoding="utf-8").count("<script>")
    assert policy.count("'sha256-") == scripts + 1  # the file's own scripts and the notes' (JSON data needs none)
    plain = html_file.export_html(dt.date(2025, 12, 27)).decode("utf-8")
    assert "fm-notes-data" not in plain
