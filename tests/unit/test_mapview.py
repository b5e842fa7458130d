"""Map payload pieces: escaping, styles, the stable base map."""

import datetime as dt
import json

from flankmap import mapview, treaty

D = dt.date


def test_tooltip_escapes_every_data_field():
    row = {
        "iso3": "EST",
        "name": "<script>alert(1)</script>",
        "status_code": "state_party",
        "status_label": "State Party",
        "withdrawal_stage": None,
        "flag": "<b>flag</b>",
        "entry_into_force_date": D(2004, 11, 1),
        "withdrawal_deposit_date": None,
        "effective_date": None,
        "days_until_effective": None,
        "source_title": "<img src=x onerror=alert(1)>",
        "note": "a & b",
    }
    html = mapview._country_tooltip(row, None, None, D(2010, 1, 1))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html
    assert "&lt;b&gt;flag&lt;/b&gt;" in html and "a &amp; b" in html


def test_payload_styles_follow_status_and_are_deduplicated():
    p = mapview.map_payload(D(2025, 12, 27))
    style = {iso3: p["style_list"][i] for iso3, i in p["styles"].items()}
    assert style["EST"]["status"] == "withdrawn" and style["EST"]["fillColor"] == mapview.STATUS_COLOURS["withdrawn"]
    assert style["FIN"]["fillColor"].startswith("url(#")  # hatched while pending
    assert style["RUS"]["status"] == "non_party"
    assert len(p["style_list"]) < len(p["styles"])
    assert "27 December 2025" in p["title_html"]
    assert p["flags"] and "purported suspension<br>since 2025-07-18" in p["flags"][0]["html"]


def test_payload_is_small_and_only_for_drawn_countries():
    p = mapview.map_payload(D(2025, 12, 27))
    # drawn countries with treaty rows; any other drawn country takes "_default" (no treaty data)
    assert set(p["styles"]) - {"_default"} == set(mapview.load.drawn_iso3s()) & mapview.load.known_iso3()
    # ~340 B of tooltip per drawn country: 51 countries since all of Europe is drawn (was 16 KB for 30)
    sent = {k: v for k, v in p.items() if k not in mapview.PAGE_ONLY_KEYS}  # the text alternative stays on the page
    assert len(json.dumps(sent).encode()) < 20_000
    script = next(iter(mapview.payload_group(p)._children.values())).code
    assert "details_html" not in script and p["summary"] not in script


def _styles(p):
    return {iso3: p["style_list"][i] for iso3, i in p["styles"].items()}


def test_spending_fill_shows_one_series_and_says_which():
    p = mapview.map_payload(D(2024, 6, 1), fill="spending", spend_year=2024)
    style = _styles(p)
    pol = mapview.spending.figure("POL", 2024, "sipri_pct_gdp")["value"]  # 3.75 (SIPRI), not NATO's 3.79
    assert style["POL"]["fillColor"] == mapview.SPEND_COLOURS[mapview._spend_class(pol)]
    assert mapview.SPEND_BREAKS[1:] == (2.0, 3.5, 5.0)
    assert "SIPRI Milex 2026" in p["legend_html"] and "2%" in p["legend_html"]
    assert "SIPRI series" in p["title_html"]


def test_nato_fill_never_falls_back_to_sipri():
    p = mapview.map_payload(D(2025, 12, 31), fill="spending_nato", spend_year=2025)
    style = _styles(p)
    # Germany: NATO withheld 2025e; SIPRI has 2.27, which must not be used.
    assert style["DEU"]["fillColor"] == mapview.NO_DATA_COLOUR
    assert "no figure" in p["tooltips"]["DEU"] and "Bundestag" in p["tooltips"]["DEU"]
    assert style["POL"]["fillColor"] == mapview.SPEND_COLOURS[3]  # 4.48
    assert "NATO 2025 edition" in p["legend_html"]
    if "AUT" in style:  # a non-ally
        assert style["AUT"]["fillColor"] == mapview.NO_DATA_COLOUR
        assert "not a NATO ally" in p["tooltips"]["AUT"]


def test_spending_year_follows_the_date_unless_chosen():
    assert "Defence spending 2025" in mapview.map_payload(D(2026, 12, 1), fill="spending")["title_html"]
    assert "Defence spending 2016" in mapview.map_payload(D(2016, 3, 1), fill="spending")["title_html"]
    assert "Defence spending 2014" in mapview.map_payload(D(2010, 3, 1), fill="spending")["title_html"]
    chosen = mapview.map_payload(D(2026, 12, 1), fill="spending", spend_year=2019)["title_html"]
    assert "Defence spending 2019" in chosen and "chosen year" in chosen


def test_no_armed_forces_is_not_no_figure():
    p = mapview.map_payload(D(2024, 6, 1), fill="spending", spend_year=2024, iso3s=["LIE", "AUT"])
    style = _styles(p)
    assert style["LIE"]["fillColor"] == mapview.NO_FORCES_COLOUR
    assert "no armed forces" in p["tooltips"]["LIE"]
    assert style["AUT"]["fillColor"] in mapview.SPEND_COLOURS


def test_a_date_step_changes_only_the_payload_script():
    """What streamlit-folium compares to keep the component: the base map's script. Two dates (and two fills)
    render the same base script; only the payload group's script differs, and it carries the date."""
    import re

    def render(day, fill="status"):
        m = mapview.base_map(mapview.base_config("baltic"))
        base = re.sub(r"_[0-9a-f]{32}", "", m.get_root().render())  # folium's random ids
        group = mapview.payload_group(mapview.map_payload(day, fill=fill))
        return base, group._children[next(iter(group._children))].code

    base_a, payload_a = render(D(2025, 6, 1))
    base_b, payload_b = render(D(2025, 12, 27), fill="spending")
    assert base_a == base_b
    assert "2025-06-01" not in base_a and "2025-12-27" not in base_a
    assert payload_a != payload_b and '"date": "2025-12-27"' in payload_b and "Flankmap.apply(" in payload_b


def test_key_dates_include_every_withdrawal_step():
    days = {d for d, _ in treaty.key_dates()}
    for d in (
        D(2025, 3, 18),
        D(2025, 6, 27),
        D(2025, 7, 10),
        D(2025, 8, 20),
        D(2025, 12, 27),
        D(2026, 1, 10),
        D(2026, 2, 20),
    ):
        assert d in days


def test_a_drawn_country_without_treaty_rows_gets_the_no_data_style_not_a_status(tmp_path):
    import shutil

    from flankmap import load

    data = tmp_path / "data"
    shutil.copytree(load.DATA_DIR, data)
    for name in ("countries.csv", "treaty_events.csv"):  # the Holy See is drawn but, here, has no treaty rows
        path = data / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("VAT,")), encoding="utf-8")
    assert "VAT" in load.drawn_iso3s(data) and "VAT" not in load.known_iso3(data)
    payload = mapview.map_payload(dt.date(2026, 2, 20), data_dir=data)
    assert "VAT" not in payload["styles"] and "VAT" not in payload["tooltips"]
    default = payload["style_list"][payload["styles"]["_default"]]
    assert default["fillColor"] == mapview.NO_DATA_COLOUR
    assert payload["tooltips"]["_default"] == "No treaty data"
