"""flankmap.domain.spending on tiny hand-made tables, and the DEFENCE_SPENDING schema's error paths."""

from __future__ import annotations

import math

import pytest

from flankmap.data import load, schemas
from flankmap.data.validate import DataError
from flankmap.domain import spending

COUNTRIES_CSV = """\
iso3,name,treaty_note,source_url,accessed_date
AAA,Aland,,https://example.org/a,2026-01-01
BBB,Bertia,,https://example.org/b,2026-01-01
CCC,Cedonia,,https://example.org/c,2026-01-01
"""

HEADER = (
    "iso3,year,series,value,value_min,value_max,unit,is_estimate,edition,source_name,source_url,accessed_date,notes\n"
)
N = "NATO 2025 ed,NATO,https://example.org/nato,2026-01-01"
S = "SIPRI 2026 ed,SIPRI,https://example.org/sipri,2026-01-01"
P = "plan,Plan,https://example.org/plan,2026-01-01"

# AAA: NATO and SIPRI for 2023-2024, SIPRI only in 2022, NATO 2025e, a plan for 2026 (above everything).
# BBB: SIPRI only (not tabulated by NATO), plus US$ figures; a plan for 2025.
# CCC: only a plan: no actual figure at all.
SPENDING_CSV = (
    HEADER
    + "\n".join(
        [
            f"AAA,2022,sipri_pct_gdp,1.50,,,pct_gdp,false,{S},",
            f"AAA,2023,nato_pct_gdp,2.10,,,pct_gdp,false,{N},",
            f"AAA,2023,sipri_pct_gdp,2.30,,,pct_gdp,false,{S},",
            f"AAA,2024,nato_pct_gdp,2.50,,,pct_gdp,true,{N},",
            f"AAA,2024,sipri_pct_gdp,2.70,,,pct_gdp,false,{S},",
            f"AAA,2025,nato_pct_gdp,3.00,,,pct_gdp,true,{N},2025e",
            f"AAA,2026,plan_pct_gdp,5.40,5.0,6.0,pct_gdp,true,{P},national plan",
            f"BBB,2023,sipri_pct_gdp,4.00,,,pct_gdp,true,{S},",
            f"BBB,2024,sipri_pct_gdp,4.50,,,pct_gdp,false,{S},",
            f"BBB,2024,sipri_usd_m_current,1234.5,,,usd_m_current,false,{S},",
            f"BBB,2025,plan_pct_gdp,9.90,,,pct_gdp,true,{P},",
            f"CCC,2024,plan_pct_gdp,3.00,,,pct_gdp,true,{P},",
        ]
    )
    + "\n"
)

# AAA's NATO 2022 is withheld; BBB has no armed forces in NATO's table (a made-up case for the tests).
GAPS_CSV = """\
iso3,series,year_from,year_to,reason_code,reason,source_name,source_url,accessed_date,notes
AAA,nato_pct_gdp,2022,2022,withheld,NATO withheld it,NATO,https://example.org/gap,2026-01-01,
CCC,nato_pct_gdp,2014,2025,no_armed_forces,no armed forces,NATO,https://example.org/gap,2026-01-01,
"""

TARGETS_CSV = """\
target_code,label,spend_pct_gdp,agreed_year,deadline_year,detail,source_name,source_url,accessed_date
t_min,At least 2%,2.0,2023,,a minimum,NATO,https://example.org/t,2026-01-01
t_core,Core 3.5%,3.5,2025,2035,by 2035,NATO,https://example.org/t,2026-01-01
"""


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "countries.csv").write_text(COUNTRIES_CSV, encoding="utf-8")
    (tmp_path / "defence_spending.csv").write_text(SPENDING_CSV, encoding="utf-8")
    (tmp_path / "defence_targets.csv").write_text(TARGETS_CSV, encoding="utf-8")
    (tmp_path / "spending_gaps.csv").write_text(GAPS_CSV, encoding="utf-8")
    return tmp_path


# --- tables ---------------------------------------------------------------------------------------


def test_tables_load_typed(data_dir):
    df = spending.spending_table(data_dir)
    assert len(df) == 12
    assert str(df["year"].dtype) == "Int64"
    assert df.loc[df["series"] == "plan_pct_gdp", "value_max"].dropna().tolist() == [6.0]
    targets = spending.targets_table(data_dir)
    assert targets["target_code"].tolist() == ["t_min", "t_core"]
    assert targets["deadline_year"].isna().tolist() == [True, False]


def test_series_labels_cover_schema():
    assert set(spending.SERIES_LABELS) == set(schemas.SPENDING_SERIES)
    assert spending.SERIES_LABELS["nato_pct_gdp"] == "NATO (% of GDP, NATO definition)"


# --- latest_pct_gdp -------------------------------------------------------------------------------


def test_latest_prefers_nato_and_takes_latest_year(data_dir):
    got = spending.latest_pct_gdp("AAA", data_dir=data_dir)
    assert got["series"] == "nato_pct_gdp"
    assert (got["year"], got["value"], got["is_estimate"]) == (2025, 3.0, True)
    assert got["source_name"] == "NATO"
    assert got["source_url"] == "https://example.org/nato"


def test_latest_never_returns_a_plan(data_dir):
    # AAA's 2026 plan (5.4) is later and higher than any actual figure; it must not be picked.
    assert spending.latest_pct_gdp("AAA", data_dir=data_dir)["series"] != "plan_pct_gdp"
    assert spending.latest_pct_gdp("BBB", 2030, data_dir=data_dir)["year"] == 2024
    # A country with only a plan has no actual spending.
    assert spending.latest_pct_gdp("CCC", data_dir=data_dir) is None


def test_latest_respects_cutoff(data_dir):
    got = spending.latest_pct_gdp("AAA", on_or_before_year=2024, data_dir=data_dir)
    assert (got["series"], got["year"], got["value"]) == ("nato_pct_gdp", 2024, 2.5)


def test_latest_falls_back_to_sipri(data_dir):
    # Before NATO's first AAA year only SIPRI exists.
    got = spending.latest_pct_gdp("AAA", on_or_before_year=2022, data_dir=data_dir)
    assert (got["series"], got["year"], got["value"]) == ("sipri_pct_gdp", 2022, 1.5)
    # A country NATO does not tabulate.
    got = spending.latest_pct_gdp("BBB", data_dir=data_dir)
    assert (got["series"], got["year"], got["value"]) == ("sipri_pct_gdp", 2024, 4.5)
    assert got["series_label"] == "SIPRI (% of GDP)"


def test_latest_unknown_or_too_early(data_dir):
    assert spending.latest_pct_gdp("ZZZ", data_dir=data_dir) is None
    assert spending.latest_pct_gdp("AAA", on_or_before_year=2010, data_dir=data_dir) is None


# --- pct_gdp_for_year -----------------------------------------------------------------------------


def test_pct_gdp_for_year_one_row_per_country_nato_first(data_dir):
    df = spending.pct_gdp_for_year(2024, data_dir=data_dir)
    assert df["iso3"].tolist() == ["AAA", "BBB"]  # CCC has only a plan
    assert df["iso3"].is_unique
    rows = df.set_index("iso3")
    assert (rows.at["AAA", "series"], rows.at["AAA", "value"]) == ("nato_pct_gdp", 2.5)
    assert (rows.at["BBB", "series"], rows.at["BBB", "value"]) == ("sipri_pct_gdp", 4.5)
    assert bool(rows.at["AAA", "is_estimate"]) is True
    assert list(df.columns) == spending.PCT_FOR_YEAR_COLUMNS


def test_pct_gdp_for_year_excludes_plans_and_usd(data_dir):
    assert spending.pct_gdp_for_year(2026, data_dir=data_dir).empty  # only AAA's plan
    df = spending.pct_gdp_for_year(2025, data_dir=data_dir)
    assert df["iso3"].tolist() == ["AAA"]  # BBB's 2025 plan is not actual spending
    assert set(spending.pct_gdp_for_year(2024, data_dir=data_dir)["series"]) <= {"nato_pct_gdp", "sipri_pct_gdp"}


def test_pct_gdp_for_year_sipri_fallback_when_nato_lacks_year(data_dir):
    df = spending.pct_gdp_for_year(2022, data_dir=data_dir)
    assert df[["iso3", "series", "value"]].values.tolist() == [["AAA", "sipri_pct_gdp", 1.5]]


# --- chart_frame ----------------------------------------------------------------------------------


def test_chart_frame_default_is_pct_series_with_names(data_dir):
    df = spending.chart_frame(["AAA", "BBB"], data_dir=data_dir)
    assert list(df.columns) == spending.CHART_COLUMNS
    assert set(df["series"]) == {"nato_pct_gdp", "sipri_pct_gdp", "plan_pct_gdp"}
    assert set(df["unit"]) == {"pct_gdp"}
    assert df.loc[df["iso3"] == "AAA", "name"].unique().tolist() == ["Aland"]
    assert df.loc[df["iso3"] == "BBB", "name"].unique().tolist() == ["Bertia"]
    # NATO and SIPRI stay separate rows for the same country-year.
    aaa_2024 = df[(df["iso3"] == "AAA") & (df["year"] == 2024)]
    assert sorted(aaa_2024["series"]) == ["nato_pct_gdp", "sipri_pct_gdp"]


def test_chart_frame_flags_plans(data_dir):
    df = spending.chart_frame("AAA", data_dir=data_dir)
    plans = df[df["is_plan"]]
    assert plans["series"].tolist() == ["plan_pct_gdp"]
    assert plans["series_label"].tolist() == ["National plan (% of GDP)"]
    assert (plans["value"].tolist(), plans["value_min"].tolist(), plans["value_max"].tolist()) == (
        [5.4],
        [5.0],
        [6.0],
    )
    assert not df.loc[~df["is_plan"], "series"].eq("plan_pct_gdp").any()
    assert math.isnan(df.loc[~df["is_plan"], "value_min"].iloc[0])


def test_chart_frame_sorted_and_plain_dtypes(data_dir):
    df = spending.chart_frame(["BBB", "AAA"], data_dir=data_dir)
    order = {s: i for i, s in enumerate(schemas.SPENDING_SERIES)}
    keys = list(zip(df["iso3"], df["series"].map(order), df["year"], strict=True))
    assert keys == sorted(keys)
    assert str(df["year"].dtype) == "int64"
    assert str(df["value"].dtype) == "float64"
    assert str(df["is_plan"].dtype) == "bool"


def test_chart_frame_series_selection(data_dir):
    df = spending.chart_frame(["AAA", "BBB"], series="sipri_usd_m_current", data_dir=data_dir)
    assert df[["iso3", "year", "value", "unit"]].values.tolist() == [["BBB", 2024, 1234.5, "usd_m_current"]]
    assert spending.chart_frame(["CCC"], series=["nato_pct_gdp"], data_dir=data_dir).empty


def test_chart_frame_rejects_unknown_series_and_mixed_units(data_dir):
    with pytest.raises(ValueError, match="unknown series"):
        spending.chart_frame(["AAA"], series=["gdp_growth"], data_dir=data_dir)
    with pytest.raises(ValueError, match="mix units"):
        spending.chart_frame(["AAA"], series=["nato_pct_gdp", "sipri_usd_m_current"], data_dir=data_dir)


# --- schema error paths ---------------------------------------------------------------------------


def _write_spending(data_dir, *rows: str) -> None:
    (data_dir / "defence_spending.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")


def test_negative_percentage_names_file_line_column(data_dir):
    _write_spending(
        data_dir,
        f"AAA,2023,nato_pct_gdp,2.10,,,pct_gdp,false,{N},",
        f"AAA,2024,nato_pct_gdp,-2.5,,,pct_gdp,false,{N},",
    )
    with pytest.raises(DataError) as exc:
        load.read_table(schemas.DEFENCE_SPENDING, data_dir=data_dir)
    msg = str(exc.value)
    assert "defence_spending.csv line 3, column value" in msg
    assert "below the minimum" in msg
    assert len(exc.value.problems) == 1


def test_missing_source_url_names_file_line_column(data_dir):
    _write_spending(
        data_dir,
        f"AAA,2023,nato_pct_gdp,2.10,,,pct_gdp,false,{N},",
        f"AAA,2024,sipri_pct_gdp,2.70,,,pct_gdp,false,{S},",
        "AAA,2025,nato_pct_gdp,3.00,,,pct_gdp,true,NATO 2025 ed,NATO,,2026-01-01,",
    )
    with pytest.raises(DataError) as exc:
        load.read_table(schemas.DEFENCE_SPENDING, data_dir=data_dir)
    assert "defence_spending.csv line 4, column source_url: is empty but required" in str(exc.value)


def test_every_problem_reported_at_once(data_dir):
    _write_spending(
        data_dir,
        f"AAA,2024,nato_pct_gdp,-1,,,pct_gdp,false,{N},",
        f"ZZZ,2024,gdp_growth,2.0,,,pct_gdp,maybe,{N},",
        f"AAA,2024,nato_pct_gdp,2.0,,,pct_gdp,false,{N},",
    )
    with pytest.raises(DataError) as exc:
        load.read_table(schemas.DEFENCE_SPENDING, data_dir=data_dir)
    msg = str(exc.value)
    assert "line 2, column value" in msg
    assert "line 3, column iso3: 'ZZZ' is not in data/countries.csv" in msg
    assert "line 3, column series" in msg
    assert "line 3, column is_estimate" in msg
    assert "line 4, column iso3: duplicate key" in msg


def test_core_functions_surface_schema_errors(data_dir):
    _write_spending(data_dir, f"AAA,2024,nato_pct_gdp,-1,,,pct_gdp,false,{N},")
    with pytest.raises(DataError, match="column value"):
        spending.latest_pct_gdp("AAA", data_dir=data_dir)


# --- one series at a time: figure, missing_reason, default_year, legend_label ---------------------------------


def test_figure_never_falls_back_between_series(data_dir):
    assert spending.figure("AAA", 2022, "nato_pct_gdp", data_dir) is None  # SIPRI has 1.50 for that year
    assert spending.figure("AAA", 2022, "sipri_pct_gdp", data_dir)["value"] == 1.5
    got = spending.figure("AAA", 2024, "nato_pct_gdp", data_dir)
    assert (got["value"], got["edition"], got["is_estimate"]) == (2.5, "NATO 2025 ed", True)
    df = spending.figures_for_year(2024, "sipri_pct_gdp", data_dir)
    assert df["iso3"].tolist() == ["AAA", "BBB"] and set(df["series"]) == {"sipri_pct_gdp"}
    with pytest.raises(ValueError, match="unknown series"):
        spending.figures_for_year(2024, "gdp_growth", data_dir)


def test_missing_reason(data_dir):
    assert spending.missing_reason("AAA", 2024, "nato_pct_gdp", data_dir) is None
    assert spending.missing_reason("AAA", 2022, "nato_pct_gdp", data_dir)["reason"] == "NATO withheld it"
    assert spending.missing_reason("CCC", 2023, "nato_pct_gdp", data_dir)["reason_code"] == "no_armed_forces"
    assert spending.missing_reason("BBB", 2024, "nato_pct_gdp", data_dir)["reason_code"] == "not_an_ally"
    assert spending.missing_reason("BBB", 2022, "sipri_pct_gdp", data_dir) == {
        "reason_code": "no_figure",
        "reason": "no SIPRI figure for 2022",
        "source_url": "",
    }


def test_default_year_is_latest_year_with_a_figure_on_or_before_the_date(data_dir):
    import datetime as dt

    assert spending.default_year(dt.date(2030, 1, 1), "nato_pct_gdp", data_dir) == 2025
    assert spending.default_year(dt.date(2024, 12, 31), "nato_pct_gdp", data_dir) == 2024
    assert spending.default_year(dt.date(2025, 6, 1), "sipri_pct_gdp", data_dir) == 2024  # no SIPRI 2025
    assert spending.default_year(dt.date(2000, 1, 1), "sipri_pct_gdp", data_dir) == 2022  # the first year


def test_legend_label_names_series_and_edition(data_dir):
    assert spending.legend_label("nato_pct_gdp", 2025, data_dir) == (
        "NATO (% of GDP, NATO definition), 2025 · NATO 2025 ed · 2025 figures are estimates"
    )
    assert spending.legend_label("sipri_pct_gdp", 2023, data_dir).endswith("SIPRI 2026 ed · some figures are estimates")


def test_year_table_lists_figures_and_reasons(data_dir):
    t = spending.year_table(2022, data_dir=data_dir)
    rows = {(r.iso3, r.series): r for r in t.itertuples(index=False)}
    assert rows[("AAA", "nato_pct_gdp")].reason == "NATO withheld it"
    assert rows[("AAA", "sipri_pct_gdp")].value == 1.5
    assert rows[("CCC", "nato_pct_gdp")].reason == "no armed forces"
    assert list(t.columns) == spending.CLI_COLUMNS
