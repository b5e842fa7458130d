"""Issue 19: the app's map page draws a briefing slide's annotations from a link's ``b`` parameter, only on days
inside their ranges, and a stranger's text shows as text."""

from __future__ import annotations

import pytest

from flankmap.view import briefing, briefing_example
from tests.e2e.conftest import control_frame, map_frame, shot, wait_for
from tests.e2e.test_html_export_e2e import fpage  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.e2e
ODD = "\"Q\" < 'x' & y > z; $1 {{b}}"


def _param() -> str:
    doc = briefing_example.example().to_json()
    slide = doc["slides"][2]  # 2025-12-27: a callout (from that day) and an arrow (always)
    slide["annotations"][0]["text"] = ODD
    slide["annotations"].append(
        {"id": "pol", "kind": "country", "iso3": "POL", "from": "2025-12-27", "to": "2025-12-27"}
    )
    return briefing.to_link_param(briefing.validate({**doc, "slides": [slide]}), 0)


def _callouts(frame) -> list[str]:
    return frame.evaluate("[...document.querySelectorAll('.fm-callout')].map(n => n.textContent)")


def test_the_map_shows_a_links_annotations_in_their_date_range_as_text(server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/?date=2025-12-27&b={_param()}")
    frame = map_frame(page)
    wait_for(lambda: frame.evaluate("document.body.getAttribute('data-flankmap-date')") == "2025-12-27", what="day")
    wait_for(lambda: ODD in _callouts(frame), what="the callout")
    assert sorted(_callouts(frame)) == sorted([ODD, "Belarus"])
    assert frame.locator("path.fm-annotation.arrow").count() == 2  # the shaft and the head
    assert frame.locator("path.fm-annotation.country").count() >= 1  # Poland, on 2025-12-27 only
    assert frame.locator(".fm-callout img, .fm-callout b").count() == 0 and dialogs == []
    assert page.locator("section.flankmap-annotations li").count() == 3  # the text alternative
    shot(page, "map_annotations_2025-12-27")
    ctl = control_frame(page)  # the map page's date control, beside the map (issue 20)
    ctl.locator("#fm-slider").focus()
    page.keyboard.press("ArrowLeft")
    wait_for(lambda: frame.evaluate("document.body.getAttribute('data-flankmap-date')") == "2025-12-26", what="step")
    wait_for(lambda: _callouts(frame) == ["Belarus"], what="only the arrow's label on 2025-12-26")
    assert frame.locator("path.fm-annotation.country").count() == 0
    assert frame.locator("path.fm-annotation.arrow").count() == 2
    shot(page, "map_annotations_2025-12-26")


def test_the_offline_file_with_annotations_draws_them_in_their_range(fpage, tmp_path):  # noqa: F811
    import datetime as dt

    from flankmap.render import html_file
    from tests.e2e.test_html_export_e2e import wait_js

    slide = briefing.from_link_param(_param()).slides[0]
    path = tmp_path / "annotated.html"
    path.write_bytes(html_file.export_html(dt.date(2025, 12, 27), annotations=slide.annotations))
    fpage.goto(path.as_uri())
    wait_js(fpage, "document.body.getAttribute('data-flankmap-annotations') !== null", 20)
    assert fpage.requests == [path.as_uri()]
    assert sorted(_callouts(fpage)) == sorted([ODD, "Belarus"])
    assert fpage.locator("path.fm-annotation.country").count() >= 1
    shot(fpage, "offline_annotations_2025-12-27")
    fpage.evaluate("FlankmapTimeline.setDay('2025-12-26')")
    wait_js(fpage, "document.body.getAttribute('data-flankmap-date') === '2025-12-26'")
    assert _callouts(fpage) == ["Belarus"] and fpage.locator("path.fm-annotation.country").count() == 0
