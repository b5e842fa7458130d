"""Rules on the real data/defence_spending.csv and data/defence_targets.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from flankmap import load, schemas, spending

REFERENCE = Path(__file__).resolve().parents[3] / "shared/reference/defence_spending.csv"

METRIC_TO_SERIES = {
    "defence_exp_pct_gdp": "nato_pct_gdp",
    "milex_pct_gdp": "sipri_pct_gdp",
    "milex_usd_m_current": "sipri_usd_m_current",
    "planned_pct_gdp": "plan_pct_gdp",
}
RANGE_METRICS = {"planned_pct_gdp_min": "value_min", "planned_pct_gdp_max": "value_max"}


@pytest.fixture(scope="module")
def df():
    return load.read_table(schemas.DEFENCE_SPENDING)


@pytest.fixture(scope="module")
def raw():
    return load.read_raw(load.DATA_DIR / schemas.DEFENCE_SPENDING.file)


def test_loads_clean_with_schema_columns(df, raw):
    assert list(raw.columns) == schemas.DEFENCE_SPENDING.column_names
    assert len(df) > 0
    load.read_table(schemas.DEFENCE_TARGETS)


def test_every_row_has_source_and_access_date(raw):
    for column in ("source_name", "source_url", "accessed_date"):
        assert (raw[column] != "").all(), column
    targets = load.read_raw(load.DATA_DIR / schemas.DEFENCE_TARGETS.file)
    assert (targets["source_url"] != "").all()
    assert (targets["accessed_date"] != "").all()


def test_one_row_per_iso3_year_series(df):
    assert not df.duplicated(["iso3", "year", "series"]).any()


def test_sources_never_mixed_within_a_series(df):
    # NATO and SIPRI are different definitions: a series never draws on the other body's source.
    nato = df[df["series"] == "nato_pct_gdp"]
    sipri = df[df["series"].str.startswith("sipri_")]
    assert nato["source_url"].str.contains("nato.int").all()
    assert sipri["source_url"].str.contains("sipri.org").all()
    assert not nato["source_name"].str.contains("SIPRI").any()
    assert not sipri["source_name"].str.contains("NATO").any()


def test_units_fit_series(df):
    units = df.groupby("series")["unit"].unique().map(list).to_dict()
    assert units["sipri_usd_m_current"] == ["usd_m_current"]
    for series in ("nato_pct_gdp", "sipri_pct_gdp", "plan_pct_gdp"):
        assert units[series] == ["pct_gdp"], series


def test_pct_gdp_values_plausible(df):
    pct = df[df["unit"] == "pct_gdp"]
    for column in ("value", "value_min", "value_max"):
        values = pct[column].dropna()
        assert ((values >= 0) & (values <= 40)).all(), column
    ranged = pct.dropna(subset=["value_min", "value_max"])
    assert (ranged["value_min"] <= ranged["value_max"]).all()


def test_plans_are_estimates_and_never_actual(df):
    plans = df[df["series"] == "plan_pct_gdp"]
    assert plans["is_estimate"].all()
    for year in sorted(plans["year"].unique()):
        assert "plan_pct_gdp" not in set(spending.pct_gdp_for_year(int(year))["series"])
    for iso3 in plans["iso3"].unique():
        assert spending.latest_pct_gdp(iso3)["series"] != "plan_pct_gdp"


def test_sorted_deterministically(raw):
    keys = list(zip(raw["iso3"], raw["series"], raw["year"].astype(int), strict=True))
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("iso3", "year", "series", "value"),
    [
        ("POL", 2025, "nato_pct_gdp", 4.48),
        ("POL", 2024, "nato_pct_gdp", 3.79),
        ("POL", 2024, "sipri_pct_gdp", 4.15),
        ("DEU", 2024, "nato_pct_gdp", 2.00),
        ("DEU", 2024, "sipri_pct_gdp", 1.89),
        ("RUS", 2024, "sipri_pct_gdp", 7.05),
        ("RUS", 2024, "sipri_usd_m_current", 148967.3),
        ("UKR", 2024, "sipri_pct_gdp", 34.48),
        ("UKR", 2024, "sipri_usd_m_current", 64705.0),
        ("LTU", 2025, "nato_pct_gdp", 4.00),
        ("LTU", 2026, "plan_pct_gdp", 5.38),
        ("FIN", 2026, "plan_pct_gdp", 2.5),
    ],
)
def test_spot_values(df, iso3, year, series, value):
    row = df[(df["iso3"] == iso3) & (df["year"] == year) & (df["series"] == series)]
    assert len(row) == 1
    assert float(row["value"].iloc[0]) == pytest.approx(value)


def test_lithuania_plan_range(df):
    row = df[(df["iso3"] == "LTU") & (df["year"] == 2026) & (df["series"] == "plan_pct_gdp")].iloc[0]
    assert (float(row["value_min"]), float(row["value_max"])) == (5.0, 6.0)
    assert "delfi.lt" in row["notes"]  # the range's own source is kept


def test_headline_lookups(df):
    pol = spending.latest_pct_gdp("POL")
    assert (pol["year"], pol["value"], pol["series"]) == (2025, 4.48, "nato_pct_gdp")
    assert spending.latest_pct_gdp("UKR")["series"] == "sipri_pct_gdp"
    fill = spending.pct_gdp_for_year(2024)
    assert fill["iso3"].is_unique
    assert set(fill["iso3"]) == set(df.loc[df["series"] != "plan_pct_gdp", "iso3"])


def test_targets_have_sane_years():
    targets = load.read_table(schemas.DEFENCE_TARGETS)
    assert targets["target_code"].is_unique
    with_deadline = targets.dropna(subset=["deadline_year"])
    assert (with_deadline["deadline_year"] > with_deadline["agreed_year"]).all()


def _reference_rows() -> list[dict[str, str]]:
    if not REFERENCE.exists():
        pytest.skip(f"reference CSV not found at {REFERENCE} (shared/ must sit beside the repo)")
    with open(REFERENCE, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_numbers_equal_reference_row_by_row(df):
    expected: dict[tuple[str, int, str], dict[str, float | None]] = {}
    provenance: dict[tuple[str, int, str], tuple[str, str, str]] = {}
    ref_rows = _reference_rows()
    for ref in ref_rows:
        if ref["metric"] in METRIC_TO_SERIES:
            key = (ref["iso3"], int(ref["year"]), METRIC_TO_SERIES[ref["metric"]])
            assert key not in expected, f"reference duplicate {key}"
            expected[key] = {"value": float(ref["value"]), "value_min": None, "value_max": None}
            provenance[key] = (ref["source_url"], ref["accessed_date"], ref["is_estimate"])
    for ref in ref_rows:
        if ref["metric"] in RANGE_METRICS:
            key = (ref["iso3"], int(ref["year"]), "plan_pct_gdp")
            expected[key][RANGE_METRICS[ref["metric"]]] = float(ref["value"])
    unknown = {r["metric"] for r in ref_rows} - set(METRIC_TO_SERIES) - set(RANGE_METRICS)
    assert not unknown, f"reference metrics this test does not map: {unknown}"

    got: dict[tuple[str, int, str], dict[str, float | None]] = {}
    for row in df.itertuples(index=False):
        key = (row.iso3, int(row.year), row.series)
        got[key] = {
            "value": float(row.value),
            "value_min": None if pd.isna(row.value_min) else float(row.value_min),
            "value_max": None if pd.isna(row.value_max) else float(row.value_max),
        }
        url, accessed, estimate = provenance[key]
        assert row.source_url == url, key
        assert str(row.accessed_date) == accessed, key
        assert str(row.is_estimate).lower() == estimate, key
    assert set(got) == set(expected)
    for key, values in expected.items():
        assert got[key] == values, key
