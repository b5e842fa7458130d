"""The map's view model (flankmap.view.model) on the real data: styles, words, spending, the stable base map."""

import datetime as dt
import json
import re

from flankmap.data import load
from flankmap.domain import spending, treaty_days
from flankmap.render import leaflet
from flankmap.view import model, textalt, urlstate
from flankmap.view import symbology as sym

D = dt.date


def view(day, **kw) -> model.MapView:
    return model.view_of(urlstate.ViewState(day=day, **kw))


def fill(mv, iso3) -> str:
    s = mv.styles[mv.countries[iso3].style]
    return f"url(#{s['hatch']})" if s["hatch"] else s["fill"]


def tip(mv, iso3) -> str:
    return "\n".join(text for _, text in mv.countries[iso3].lines)


def legend_text(mv) -> str:
    return "\n".join(e["label"] for e in mv.legend)


def test_details_html_escapes_every_data_field():
    lines = [
        ["b", "<script>alert(1)</script>"],
        ["status", "Status on 1 January 2010: State Party"],
        ["text", "⚑ <b>flag</b>"],
        ["i", "a & b"],
        ["small", "<img src=x onerror=alert(1)>"],
    ]
    html = textalt.details_html(lines)
    assert "<script>" not in html and "<img" not in html and "&lt;img" in html
    assert "&lt;b&gt;flag&lt;/b&gt;" in html and "<i>a &amp; b</i>" in html


def test_styles_follow_status_and_are_shared():
    mv = view(D(2025, 12, 27))
    assert mv.countries["EST"].code == "withdrawn" and fill(mv, "EST") == sym.STATUS_COLOURS["withdrawn"]
    assert fill(mv, "FIN").startswith("url(#")  # hatched while pending
    assert mv.countries["RUS"].code == "non_party"
    assert len(set(c.style for c in mv.countries.values())) < len(mv.countries) / 4
    assert mv.heading.title == "Ottawa Convention status on 27 December 2025"
    assert mv.countries["UKR"].flag == (
        "⚑ Ukraine: purported suspension",
        "since 2025-07-18",
        "(contested: still a State Party)",
    )


def test_the_step_payload_is_small_and_keeps_the_page_parts_out():
    v = urlstate.ViewState(day=D(2025, 12, 27))
    page = textalt.page(model.view_of(v))
    assert set(page["table"][0]) >= {"iso3", "status", "details_html"}
    assert {r["iso3"] for r in page["table"]} == set(load.drawn_iso3s()) & load.known_iso3()
    script = next(iter(leaflet.payload_group(leaflet.step_payload(v))._children.values())).code
    assert len(script.encode()) < 400
    assert "details_html" not in script and page["summary"] not in script


def test_spending_fill_shows_one_series_and_says_which():
    mv = view(D(2024, 6, 1), fill="spending", spend_year=2024)
    pol = spending.figure("POL", 2024, "sipri_pct_gdp")["value"]  # 3.75 (SIPRI), not NATO's 3.79
    assert fill(mv, "POL") == sym.SPEND_COLOURS[sym.spend_class(pol)]
    assert sym.SPEND_BREAKS[1:] == (2.0, 3.5, 5.0)
    assert "SIPRI Milex 2026" in legend_text(mv) and "2%" in legend_text(mv)
    assert "SIPRI series" in mv.heading.title
    assert "Defence spending: 3.75% of GDP (2024, SIPRI)" in tip(mv, "POL")


def test_nato_fill_never_falls_back_to_sipri():
    mv = view(D(2025, 12, 31), fill="spending_nato", spend_year=2025)
    # Germany: NATO withheld 2025e; SIPRI has 2.27, which must not be used.
    assert fill(mv, "DEU") == sym.NO_DATA_COLOUR
    assert "no figure" in tip(mv, "DEU") and "Bundestag" in tip(mv, "DEU")
    assert fill(mv, "POL") == sym.SPEND_COLOURS[3]  # 4.48
    assert "NATO 2025 edition" in legend_text(mv)
    assert fill(mv, "AUT") == sym.NO_DATA_COLOUR and "not a NATO ally" in tip(mv, "AUT")


def test_spending_year_follows_the_date_unless_chosen():
    assert "Defence spending 2025" in view(D(2026, 12, 1), fill="spending").heading.title
    assert "Defence spending 2016" in view(D(2016, 3, 1), fill="spending").heading.title
    assert "Defence spending 2014" in view(D(2010, 3, 1), fill="spending").heading.title
    chosen = view(D(2026, 12, 1), fill="spending", spend_year=2019).heading
    assert "Defence spending 2019" in chosen.title and "chosen year" in chosen.subtitles[0]


def test_no_armed_forces_is_not_no_figure():
    mv = view(D(2024, 6, 1), fill="spending", spend_year=2024)
    assert fill(mv, "LIE") == sym.NO_FORCES_COLOUR
    assert "no armed forces" in tip(mv, "LIE")
    assert fill(mv, "AUT") in sym.SPEND_COLOURS


def test_compare_outlines_the_changed_countries_and_says_so():
    mv = view(D(2025, 12, 27), compare_day=D(2025, 6, 1))
    outlined = sym.CHANGED_OUTLINE.edge
    assert {"EST", "LVA", "LTU", "FIN", "POL"} <= mv.changed
    for iso3 in mv.changed:
        assert mv.styles[mv.countries[iso3].style]["edge"] == outlined, iso3
        assert mv.countries[iso3].lines[-1] == ("b", "Changed since 2025-06-01")
    assert mv.styles[mv.countries["DEU"].style]["edge"] != outlined
    assert "Outlined in magenta: status changed since 1 June 2025" in mv.heading.subtitles
    assert "changed since 2025-06-01" in legend_text(mv)
    assert any("Lithuania" in text for text in mv.changes)


def test_a_date_step_changes_only_the_payload_script():
    """What streamlit-folium compares to keep the component: the base map's script. Two dates (and two fills)
    render the same base script; only the payload group's script differs, and it carries the date."""

    def render(day, fill="status"):
        m = leaflet.base_map(leaflet.base_config("baltic"))
        base = re.sub(r"_[0-9a-f]{32}", "", m.get_root().render())  # folium's random ids
        group = leaflet.payload_group(leaflet.step_payload(urlstate.ViewState(day=day, fill=fill)))
        return base, group._children[next(iter(group._children))].code

    base_a, payload_a = render(D(2025, 6, 1))
    base_b, payload_b = render(D(2025, 12, 27), fill="spending")
    assert base_a == base_b
    assert "2025-06-01" not in base_a and "2025-12-27" not in base_a
    assert '"date": "2025-06-01"' in payload_a and '"fill": "status"' in payload_a
    assert '"date": "2025-12-27"' in payload_b and '"fill": "spending"' in payload_b and "Flankmap.apply(" in payload_b


def test_key_dates_include_every_withdrawal_step():
    days = {d for d, _ in treaty_days.key_dates()}
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

    data = tmp_path / "data"
    shutil.copytree(load.DATA_DIR, data)
    for name in ("countries.csv", "treaty_events.csv"):  # the Holy See is drawn but, here, has no treaty rows
        path = data / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("VAT,")), encoding="utf-8")
    assert "VAT" in load.drawn_iso3s(data) and "VAT" not in load.known_iso3(data)
    mv = model.view_of(urlstate.ViewState(day=D(2026, 2, 20)), data_dir=data)
    vat = mv.countries["VAT"]
    assert vat.code is None and vat.lines == (("b", "VAT"), ("text", "No treaty data"))
    assert fill(mv, "VAT") == sym.NO_DATA_COLOUR
    assert "VAT" not in {r["iso3"] for r in textalt.rows(mv)}
    assert json.dumps(mv.to_json())  # plain data all the way down
