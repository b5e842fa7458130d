"""Data is text, never markup: a hostile field shows as text in the view model, the table, the payload and exports."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from flankmap.data import load
from flankmap.render import leaflet, static_export
from flankmap.view import model, textalt, urlstate

DATA = Path(__file__).resolve().parents[2] / "data"
EVIL = "</script><script>alert(1)</script>"
DAY = dt.date(2025, 12, 27)


@pytest.fixture(scope="module")
def evil_data(tmp_path_factory):
    target = tmp_path_factory.mktemp("evil") / "data"
    shutil.copytree(DATA, target)
    path = target / "countries.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nUKR,Ukraine,", f"\nUKR,{EVIL},"), encoding="utf-8")
    assert load.table(load.schemas.COUNTRIES, target).set_index("iso3").at["UKR", "name"] == EVIL
    return target


def _view(data_dir):
    return model.view_of(urlstate.ViewState(day=DAY), data_dir=data_dir)


def test_the_view_model_holds_plain_text_and_the_table_escapes_it(evil_data):
    mv = _view(evil_data)
    ukr = mv.countries["UKR"]
    assert ukr.lines[0] == ("b", EVIL)  # data, not markup: the runtime writes it with textContent
    assert ukr.flag[0].endswith(f"{EVIL}: purported suspension")
    assert any(EVIL in e["label"] for e in mv.legend)  # the flag row names the country
    html = textalt.table_html(textalt.rows(mv), DAY, "status")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "</script" not in html


def test_script_json_cannot_close_the_script_element(evil_data):
    p = _view(evil_data).to_json()
    p["query"] = f"date={EVIL}"  # even an unescaped string field cannot end the element
    script = leaflet.script_json(p)
    assert "</" not in script and "<script" not in script
    assert json.loads(script)["query"] == f"date={EVIL}"  # still the same data once parsed


def test_rendered_map_page_holds_one_script_end_per_script():
    import folium

    p = {**leaflet.step_payload(urlstate.ViewState(day=DAY)), "query": f"date={EVIL}"}
    m = folium.Map(tiles=None)
    leaflet.payload_group(p).add_to(m)
    html = m.get_root().render()
    assert html.count("<script") == html.count("</script>")
    assert "alert(1)</script>" not in html


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_exports_show_the_text_as_text(evil_data, fmt):
    data = static_export.render(DAY, fmt, data_dir=evil_data, generated=dt.date(2026, 1, 1))
    if fmt == "svg":
        svg = data.decode()
        assert "&lt;/script&gt;&lt;script&gt;alert(1)" in svg
        assert "<script" not in svg
    else:
        import io

        from pypdf import PdfReader

        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert "</script><script>alert(1)" in text.replace("\n", "")


# --------------------------------------------------------------------------------------------------------------
# Issue 19: a briefing's words (titles, marking, notes, annotation text) are a stranger's data in every renderer
# --------------------------------------------------------------------------------------------------------------
def _evil_briefing():
    from flankmap.view import briefing, briefing_example

    doc = briefing_example.example().to_json()
    doc["title"] = doc["byline"] = EVIL
    doc["marking"] = EVIL[:60]
    for s in doc["slides"]:
        s["title"] = s["subtitle"] = s["notes"] = EVIL
        s["annotations"] = [
            {"id": "t", "kind": "text", "at": [56.0, 24.0], "text": EVIL + " $x^2$"},
            {"id": "c", "kind": "country", "iso3": "POL", "text": EVIL},
        ]
    return briefing.Briefing.model_validate(doc)  # structure only: parse() would refuse the markup first


def test_parse_refuses_markup_in_every_text_field():
    from flankmap.view import briefing

    with pytest.raises(briefing.BriefingError) as caught:
        briefing.validate(_evil_briefing().to_json())
    paths = {p for p, what in caught.value.problems if "markup" in what}
    assert {"title", "byline", "marking", "slides[0].title", "slides[0].subtitle", "slides[0].notes"} <= paths
    assert "slides[4].annotations[1].text" in paths


def test_briefing_text_is_escaped_in_the_svg_the_story_the_powerpoint_and_the_table():
    import zipfile

    from flankmap.render import deck, static_annotations
    from flankmap.view import briefing

    b = _evil_briefing()
    slide = b.slides[0]
    svg = static_export.render(DAY, "svg", decor=static_annotations.decor_of(b, slide)).decode("utf-8")
    assert "<script" not in svg and "&lt;/script&gt;&lt;script&gt;alert(1)" in svg
    story = deck.export(b, "html").decode("utf-8")
    assert story.count("<script") == story.count("</script>")
    assert "alert(1)</script>" not in story
    with zipfile.ZipFile(__import__("io").BytesIO(deck.export(b, "pptx"))) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "<script" not in xml and "&lt;/script&gt;&lt;script&gt;alert(1)" in xml
    mv = model.view_of(slide.view.state(), annotations=slide.annotations)
    html = textalt.annotations_html(mv)
    assert "<script" not in html and "&lt;/script&gt;" in html
    assert briefing.describe(slide.annotations[0], {}).startswith("Note at 56.00° N, 24.00° E: </script>")
