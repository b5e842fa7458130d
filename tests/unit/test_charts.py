"""flankmap.render.charts: every chart has a title, a source line, axis units and tooltips; NATO, SIPRI apart."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from flankmap.data.load import DATA_DIR
from flankmap.domain import spending
from flankmap.render import charts

DAY = dt.date(2025, 10, 1)
FLANK = list(charts.FLANK_ISO3)


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _axis_titles(spec: dict) -> list[str]:
    return [
        enc[ch]["title"]
        for layer in _layers(spec)
        for enc in [layer.get("encoding", {})]
        for ch in ("x", "y")
        if ch in enc and "title" in enc[ch]
    ]


BUILDERS = {
    "timeline": lambda: charts.country_timelines(DAY),
    "timeline_zoom": lambda: charts.country_timelines(DAY, start=dt.date(2025, 1, 1), end=dt.date(2026, 3, 31)),
    "states_parties": lambda: charts.states_parties_chart(DAY),
    "spending": lambda: charts.spending_chart(FLANK),
    "segment_map": lambda: charts.segment_map("BLR-RUS"),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_chart_is_self_describing(name):
    spec = BUILDERS[name]().to_dict()
    assert spec["title"]["text"]
    assert any(line.startswith("Source:") for line in spec["title"]["subtitle"])
    assert any("tooltip" in layer.get("encoding", {}) for layer in _layers(spec))
    if name != "segment_map":
        titles = _axis_titles(spec)
        assert any("(" in t for t in titles), titles  # a unit in brackets: (day), (% of GDP), (number of states)
    # nothing fetched: data inline (no {"url": ...} data source); $schema is an identifier, never loaded
    assert '"url"' not in json.dumps({k: v for k, v in spec.items() if k not in ("datasets", "$schema")})


def test_states_parties_chart_states_the_convention_and_steps():
    spec = charts.states_parties_chart(DAY).to_dict()
    assert charts.COUNT_CONVENTION in spec["title"]["subtitle"]
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"
    series = next(rows for rows in spec["datasets"].values() if rows and "count_date" in rows[0] and len(rows[0]) == 2)
    by_day = {r["count_date"]: r["states_parties"] for r in series}
    assert by_day["2025-06-25"] == 166 and by_day["2026-02-20"] == 161 and by_day["2017-12-29"] == 164


def test_timeline_marker_and_countdown_text():
    frames = charts.chart_data(charts.country_timelines(DAY))
    labels = {v for f in frames for col in ("label", "text") if col in f for v in f[col]}
    assert "selected 2025-10-01" in labels
    assert "87 days left" in labels and "142 days left" in labels  # Baltic states, Poland


def test_spending_chart_never_joins_nato_and_sipri():
    spec = charts.spending_chart(FLANK).to_dict()
    lines = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    assert len(lines) == 1
    enc = lines[0]["encoding"]
    # one line per (country, series): colour splits countries, detail and strokeDash split the series
    assert enc["color"]["field"] == "name" and enc["detail"]["field"] == "series"
    assert enc["strokeDash"]["field"] == "kind"
    data = pd.DataFrame(spec["datasets"][lines[0]["data"]["name"]])
    assert not data["is_plan"].any()
    assert set(data["series"]) == {spending.NATO_PCT, spending.SIPRI_PCT}


def test_spending_plans_are_marked_as_plans_and_targets_are_drawn():
    spec = charts.spending_chart(FLANK).to_dict()
    plan_layer = next(layer for layer in spec["layer"] if layer["mark"].get("shape") == "diamond")
    plans = pd.DataFrame(spec["datasets"][plan_layer["data"]["name"]])
    assert plans["is_plan"].all() and set(plans["kind"]) == {charts.PLAN_LEGEND}
    assert plan_layer["encoding"]["shape"]["scale"]["domain"] == ["national plan"]
    assert plan_layer["encoding"]["shape"]["field"] != "kind"  # its own legend, not merged with the series
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    targets = pd.DataFrame(spec["datasets"][rule["data"]["name"]])
    assert sorted(targets["spend_pct_gdp"]) == [2.0, 3.5, 5.0]


def test_spending_chart_data_equals_the_file_exactly():
    """Every % of GDP figure drawn is the one in data/defence_spending.csv, and every one is drawn."""
    raw = pd.read_csv(DATA_DIR / "defence_spending.csv", dtype=str, keep_default_na=False)
    raw = raw[raw["iso3"].isin(FLANK) & (raw["unit"] == "pct_gdp")]
    expected = {(r.iso3, int(r.year), r.series): float(r.value) for r in raw.itertuples()}
    frames = charts.chart_data(charts.spending_chart(FLANK))
    drawn = pd.concat([f for f in frames if "series" in f and "iso3" in f])
    got = {(r.iso3, int(r.year), r.series): r.value for r in drawn.itertuples()}
    assert got == expected


def test_spending_table_view_matches_the_file():
    raw = pd.read_csv(DATA_DIR / "defence_spending.csv", dtype=str, keep_default_na=False)
    raw = raw[raw["iso3"].isin(["POL"]) & (raw["unit"] == "pct_gdp")]
    view = charts.spending_table_view(["POL"])
    assert sorted(view["value"].astype(float)) == sorted(raw["value"].astype(float))
    assert view["source_url"].str.startswith("http").all()


def test_segment_map_unknown_segment():
    with pytest.raises(KeyError):
        charts.segment_map("XXX-YYY")


def test_target_notes():
    notes = charts.target_notes()
    assert [n["spend_pct_gdp"] for n in notes] == [2.0, 2.0, 3.5, 5.0]
    assert notes[-1]["deadline_year"] == 2035 and notes[1]["deadline_year"] is None
