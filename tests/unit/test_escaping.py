"""Data is text, never markup: a hostile field shows as text in the map payload, legend, title and exports."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from flankmap import briefing, load, mapview

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


def test_payload_fields_hold_the_text_escaped(evil_data):
    p = mapview.map_payload(DAY, data_dir=evil_data)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in p["tooltips"]["UKR"]
    assert "&lt;/script&gt;" in p["legend_html"]  # the flag row names the country
    assert any("&lt;/script&gt;" in f["html"] for f in p["flags"])
    for html in (p["legend_html"], p["title_html"], p["source_html"], *p["tooltips"].values()):
        assert "<script" not in html and "</script" not in html


def test_script_json_cannot_close_the_script_element(evil_data):
    p = mapview.map_payload(DAY, data_dir=evil_data)
    p["query"] = f"date={EVIL}"  # even an unescaped string field cannot end the element
    script = mapview.script_json(p)
    assert "</" not in script and "<script" not in script
    assert json.loads(script)["query"] == f"date={EVIL}"  # still the same data once parsed


def test_rendered_map_page_holds_one_script_end_per_script(evil_data):
    import folium

    p = mapview.map_payload(DAY, data_dir=evil_data)
    m = folium.Map(tiles=None)
    mapview.payload_group(p).add_to(m)
    html = m.get_root().render()
    assert html.count("<script") == html.count("</script>")
    assert "alert(1)</script>" not in html


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_exports_show_the_text_as_text(evil_data, fmt):
    data = briefing.render(DAY, fmt, data_dir=evil_data, generated=dt.date(2026, 1, 1))
    if fmt == "svg":
        svg = data.decode()
        assert "&lt;/script&gt;&lt;script&gt;alert(1)" in svg
        assert "<script" not in svg
    else:
        import io

        from pypdf import PdfReader

        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert "</script><script>alert(1)" in text.replace("\n", "")
