"""AppTest smoke and interaction tests of every page (the map page is app.py itself)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

APP = "../../app.py"  # relative to this file
DAY = "2025-10-01"
# Every page and the text its heading must contain; tests/test_architecture.py checks this list is complete.
PAGES = {
    "app.py": "Ottawa Convention",
    "pages/timeline.py": "Timeline: the Ottawa Convention on",
    "pages/spending.py": "Defence spending (% of GDP)",
    "pages/borders.py": "Borders: how long, computed and official",
    "pages/sources.py": "Data and sources",
    "pages/briefing.py": "Briefing: a deck of views",
}


def open_page(page: str, day: str = DAY) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["date"] = day
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def chart_data(at: AppTest, index: int | None = None) -> list[pd.DataFrame]:
    """The inline data tables Streamlit sends with the charts (Arrow), of one chart or of all."""
    charts = at.get("vega_lite_chart")
    charts = charts if index is None else [charts[index]]
    return [convert_arrow_bytes_to_pandas_df(d.data.data) for el in charts for d in el.proto.datasets]


def marker_labels(at: AppTest) -> set[str]:
    return {str(v) for frame in chart_data(at) if "label" in frame for v in frame["label"]}


def chart_titles(at: AppTest) -> list[str]:
    return [spec["title"]["text"] for spec in chart_specs(at)]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "app.py"])
def test_page_runs_and_keeps_the_date(page):
    at = open_page(page)
    assert PAGES[page] in texts(at)
    assert at.slider(key="fm_date").value == dt.date(2025, 10, 1)
    assert at.query_params["date"] == DAY


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("app.py", "pages/sources.py", "pages/briefing.py")])
def test_every_chart_has_title_units_and_a_source_line(page):
    specs = chart_specs(open_page(page))
    assert specs
    for spec in specs:
        assert spec["title"]["text"]
        assert any(line.startswith("Source") for line in spec["title"]["subtitle"]), spec["title"]


def test_timeline_marker_and_countdown_follow_the_date():
    at = open_page("pages/timeline.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["States Parties"] == "166"
    assert metrics["Finland leaves in"] == "101 days"
    assert "Ottawa Convention: each changing country's path (2025-01-01 to 2026-03-31)" in chart_titles(at)
    assert "selected 2025-10-01" in marker_labels(at)

    at.slider(key="fm_date").set_value(dt.date(2026, 1, 5)).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["States Parties"] == "163"
    assert metrics["Finland leaves in"] == "5 days"
    assert "Estonia leaves in" not in metrics
    assert "selected 2026-01-05" in marker_labels(at) and "2026-01-05: 163" in marker_labels(at)
    assert at.query_params["date"] == "2026-01-05"

    at.slider(key="fm_date").set_value(dt.date(2026, 3, 1)).run()
    assert {m.label: m.value for m in at.metric}["States Parties"] == "161"
    assert any("No withdrawal is pending on 2026-03-01" in c.value for c in at.caption)


def test_timeline_event_filters():
    at = open_page("pages/timeline.py")
    events = at.dataframe[0].value
    assert set(events["country"]) == {
        "Estonia",
        "Finland",
        "Latvia",
        "Lithuania",
        "Marshall Islands",
        "Poland",
        "Tonga",
        "Ukraine",
    }
    assert events["source_url"].str.startswith("http").sum() > 0
    at.multiselect(key="tl_countries").set_value(["UKR"]).run()
    at.multiselect(key="tl_kinds").set_value(["suspension"]).run()
    events = at.dataframe[0].value
    assert set(events["country"]) == {"Ukraine"} and set(events["kind"]) == {"suspension"}
    assert "suspension_notification" in set(events["event"])
    assert "2025-07-18" in set(events["date"])


def test_spending_country_selector_changes_the_chart_data():
    at = open_page("pages/spending.py")
    select = at.multiselect(key="sp_countries")
    assert select.value == ["EST", "LVA", "LTU", "POL", "FIN"]

    def countries() -> set[str]:
        return {iso3 for frame in chart_data(at, 0) if "iso3" in frame for iso3 in frame["iso3"]}

    assert countries() == {"EST", "LVA", "LTU", "POL", "FIN"}
    select.set_value(["DEU", "EST"]).run()
    assert not at.exception
    assert countries() == {"DEU", "EST"}
    table = at.dataframe[0].value
    assert set(table["country"]) == {"Germany", "Estonia"} and table["source_url"].notna().all()


def test_borders_segment_selector_changes_the_map():
    at = open_page("pages/borders.py")
    segments = at.dataframe[0].value
    assert len(segments) >= 10 and {"length_km", "official_length_km", "diff_km"} <= set(segments.columns)
    names = dict(zip(segments["segment_id"], segments["name"], strict=True))
    assert "tripoint" in " ".join(at.dataframe[1].value["label"]).lower()
    box = at.selectbox(key="bd_segment")
    first, title = box.value, chart_titles(at)[0]
    assert f"{names[first]} border" in title
    other = next(seg for seg in segments["segment_id"] if seg != first)
    box.set_value(other).run()
    assert not at.exception
    assert chart_titles(at)[0].startswith(f"{names[other]} border")


def test_sources_page_lists_catalog_downloads_citation_and_corrections():
    at = open_page("pages/sources.py")
    catalog = at.dataframe[0].value
    assert {"treaty_events.csv", "press_corrections.csv", "geo/countries.geojson"} <= set(catalog["File"])
    assert {"Licence", "Accessed", "SHA-256", "Rows"} <= set(catalog.columns)
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Status on {DAY} (CSV)" in labels and f"Status on {DAY} (GeoJSON)" in labels
    assert any("Flankmap" in c.value and "view of 2025-10-01" in c.value for c in at.code)
    body = texts(at)
    assert "8 May 2025 was the Seimas vote" in body and "27 June 2025" in body
    assert "1 Mar 1999" in body


def test_sources_download_follows_the_date():
    at = open_page("pages/sources.py")
    at.slider(key="fm_date").set_value(dt.date(2026, 2, 20)).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Status on 2026-02-20 (CSV)" in labels


def test_bad_date_in_url_shows_a_note_not_an_exception():
    at = open_page("pages/timeline.py", day="not-a-date")
    assert not at.exception
    fallback = at.session_state["fm_date"]
    assert fallback == min(dt.date.today(), fallback)  # today, clamped to the last day of the data
    notes = [w.value for w in at.warning]
    assert notes == [f"Ignored date='not-a-date': not a date (use YYYY-MM-DD); showing {fallback}."]


def test_spending_table_matches_the_file():
    at = open_page("pages/spending.py")
    table = at.dataframe[0].value
    raw = pd.read_csv(_data("defence_spending.csv"))
    raw = raw[raw["iso3"].isin(["EST", "LVA", "LTU", "POL", "FIN"]) & raw["unit"].eq("pct_gdp")]
    assert sorted(table["value"]) == sorted(f"{v:.2f}" for v in raw["value"])  # shown to two decimals


def _data(name: str):
    from flankmap.data.load import DATA_DIR

    return DATA_DIR / name


@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_shows_none_or_nan(page):
    """A missing value reads as an em dash with its reason, never None or nan, in any table or text."""
    import re

    at = open_page(page)
    bad = re.compile(r"\b(None|nan|NaN|NaT|<NA>)\b")
    for i, frame in enumerate(at.dataframe):
        table = frame.value
        assert not table.isna().any().any(), (page, i, [c for c in table.columns if table[c].isna().any()])
        cells = [str(v) for col in table.columns for v in table[col]]
        assert not [c for c in cells if bad.search(c)], (page, i)
    shown = texts(at) + "\n".join(str(m.value) for m in at.metric)
    assert not bad.search(shown), bad.search(shown)
    if page == "pages/borders.py":
        segments = at.dataframe[0].value
        assert (segments["official_length_km"] == "— (no official figure in the sources)").any()
