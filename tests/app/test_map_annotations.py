"""Issue 19: the map page draws a briefing slide's annotations (from a link's ``b`` parameter): they go with the
step payload as plain data, the slide's view becomes the map's, the text alternative lists the day's annotations,
and a bad or oversized parameter falls back with a one-line note."""

from __future__ import annotations

import datetime as dt

import pytest

from flankmap.view import briefing, briefing_example
from tests.app.test_map_page import page_table, payload, run_app, settle_on, shown_day

ODD = "\"Q\" < 'x' & y > z; $1 {{b}}"  # text a parser could mistake; plain text to a briefing


def _slide_param(text: str = ODD) -> tuple[briefing.Briefing, str]:
    doc = briefing_example.example().to_json()
    slide = doc["slides"][2]  # 2025-12-27, a text callout from that day and an arrow
    slide["annotations"][0]["text"] = text
    slide["annotations"][0]["from"] = "2025-12-27"
    b = briefing.validate({**doc, "slides": [slide]})
    return b, briefing.to_link_param(b, 0)


def test_a_links_annotations_go_with_the_step_and_are_listed_under_the_table():
    b, param = _slide_param()
    at = run_app(date="2025-06-01", b=param)
    assert shown_day(at) == dt.date(2025, 12, 27)  # the slide's view
    p = payload(at)
    assert p["annotations"] == [a.to_json() for a in b.slides[0].annotations]
    assert p["highlight"]["color"]
    listing = [h.proto.body for h in at.get("html") if "flankmap-annotations" in h.proto.body]
    assert len(listing) == 1 and "&quot;Q&quot; &lt; &#x27;x&#x27; &amp; y &gt; z" in listing[0]
    assert "flankmap-textalt" in page_table(at)
    # the day before the callout's range: still sent (the browser selects by day), not listed
    settle_on(at, dt.date(2025, 12, 26))
    listing = [h.proto.body for h in at.get("html") if "flankmap-annotations" in h.proto.body]
    assert "Belarus" in listing[0] and "&lt;" not in listing[0]
    assert payload(at)["date"] == "2025-12-26" and len(payload(at)["annotations"]) == 2
    at.button(key="fm_map_notes_clear").click().run()
    assert "annotations" not in payload(at)


@pytest.mark.parametrize(
    "param",
    [
        "garbage",
        "1.",
        "2.eJwrSS0uUSguKcrMSwcAHfQEuQ",
        "1.!!!notbase64",
        "1." + "A" * 5000,
        "1.eJwrSS0uUSguKcrMSwcAHfQEuQ",
    ],
)
def test_a_bad_or_oversized_parameter_falls_back_with_a_note(param):
    at = run_app(date="2025-12-27", b=param)
    notes = [w.value for w in at.warning]
    assert len([n for n in notes if "annotations were ignored" in n]) == 1, notes
    assert all("\n" not in n for n in notes)
    assert "annotations" not in payload(at)
    assert shown_day(at) == dt.date(2025, 12, 27)


def test_markup_in_a_link_is_refused_with_a_note():
    b, _ = _slide_param()
    doc = b.to_json()
    doc["slides"][0]["annotations"][0]["text"] = "<img src=x onerror=alert(1)>"
    forged = briefing.Briefing.model_validate(doc)  # the structure only: parse() must refuse it on the way in
    at = run_app(date="2025-12-27", b=briefing.to_link_param(forged, 0))
    notes = [w.value for w in at.warning]
    assert any("annotations were ignored" in n and "<img" not in n for n in notes), notes
    assert "annotations" not in payload(at)


def test_a_ccm_slides_link_opens_the_ccm_map_with_its_annotation():
    from tests.unit.test_slide_treaty import CCM_SLIDE, _doc

    b = briefing.validate(_doc(CCM_SLIDE))
    at = run_app(b=briefing.to_link_param(b, 0))
    assert at.radio(key="fm_treaty").value == "ccm"
    assert shown_day(at) == dt.date(2025, 3, 6)
    p = payload(at)
    assert p["timeline"] == "ccm_status" and p["annotations"][0]["iso3"] == "LTU"
    listing = [h.proto.body for h in at.get("html") if "flankmap-annotations" in h.proto.body]
    assert "Highlighted country: Lithuania: Withdrawn" in listing[0]
