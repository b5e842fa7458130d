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
