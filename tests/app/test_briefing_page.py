"""Issue 19: the Briefing page (AppTest): add views as slides, words and marking, reorder, delete, the preview,
the link of a slide, and a shared link opening the slide with its annotations."""

import json

from flankmap.view import briefing, briefing_example
from tests.app.test_pages import open_page, texts


def _doc(at):
    return at.session_state["fm_deck"]


def test_add_views_reorder_delete_and_words():
    at = open_page("pages/briefing.py", "2025-12-27")
    assert "Briefing: a deck of views" in texts(at)
    at.button(key="fm_deck_add").click().run()
    at.slider(key="fm_date").set_value(__import__("datetime").date(2026, 2, 20)).run()
    at.button(key="fm_deck_add").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s["view"]["date"] for s in _doc(at)["slides"]] == ["2025-12-27", "2026-02-20"]
    at.text_input(key="fm_deck_w_title_s2").set_value("Poland leaves").run()
    at.selectbox(key="fm_deck_w_preset").set_value("TLP:CLEAR").run()
    assert _doc(at)["marking"] == "TLP:CLEAR" and _doc(at)["slides"][1]["title"] == "Poland leaves"
    at.button(key="fm_deck_up_1").click().run()
    assert [s["id"] for s in _doc(at)["slides"]] == ["s2", "s1"]
    assert len(at.get("image")) == 1  # the slide as it will be exported
    assert any("/briefing?date=" in c.value and "&b=1." in c.value for c in at.code)
    at.button(key="fm_deck_del_1").click().run()
    assert [s["id"] for s in _doc(at)["slides"]] == ["s2"]
    b = briefing.validate(_doc(at))
    assert b.slides[0].title == "Poland leaves" and not at.exception


def test_markup_typed_in_a_title_is_refused_with_the_problem_listed():
    at = open_page("pages/briefing.py", "2025-12-27")
    at.button(key="fm_deck_add").click().run()
    at.text_input(key="fm_deck_w_title_s1").set_value("<script>alert(1)</script>").run()
    assert "slides[0].title: markup" in texts(at).replace("\\", "")  # Markdown-escaped on the page
    assert not at.get("image")  # nothing is drawn or exported from an invalid document


def test_a_link_opens_the_slide_with_its_annotations():
    b = briefing_example.example()
    at = open_page("pages/briefing.py", "2025-12-27")
    at.query_params["b"] = briefing.to_link_param(b, 2)
    at.run()
    assert not at.exception
    loaded = _doc(at)
    assert loaded["slides"] == [json.loads(b.dumps())["slides"][2]]


def test_show_this_slide_on_the_map_brings_its_view_and_annotations_to_the_map_page():
    import datetime as dt

    b = briefing_example.example()
    at = open_page("pages/briefing.py", "2025-12-27")
    at.query_params["b"] = briefing.to_link_param(b, 4)  # 2026-02-20: Poland (from that day), Kaliningrad
    at.run()
    assert any(c.value.startswith("/?date=") and "&b=1." in c.value for c in at.code)  # the map page's link
    at.button(key="fm_deck_to_map").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [a.id for a in at.session_state["fm_map_slide"]["annotations"]] == [a.id for a in b.slides[4].annotations]
    assert at.session_state["saved_fm_date"] == dt.date(2026, 2, 20)
    comps = [c for c in at.get("component_instance") if c.proto.component_name == "streamlit_folium.st_folium"]
    group = json.loads(comps[0].proto.json_args)["feature_group"] if comps else ""
    assert '"annotations"' in group  # the map page ran, with the slide's annotations
    assert '"date": "2026-02-20"' in group  # and the slide's date (the map page's date lives in its control)
