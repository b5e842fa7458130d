"""Defence spending: NATO and SIPRI actuals, national plans and NATO targets (pure core, no Streamlit).

Three rules hold everywhere in this module:

* NATO and SIPRI use different definitions (pensions, paramilitary forces, Poland's support fund...), so
  their figures are separate series and are never merged into one line. Where one figure per country is
  needed (a map fill, a headline number), NATO is preferred and SIPRI is the fallback, and the series used
  is always returned alongside the value.
* National plans (``plan_pct_gdp``) are intentions in national definitions, never actual spending: they
  are never returned by :func:`latest_pct_gdp` or :func:`pct_gdp_for_year`, and are flagged ``is_plan``
  in :func:`chart_frame`.
* Every number comes from ``data/defence_spending.csv`` (built by ``scripts/build_spending.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from flankmap import load, schemas
from flankmap.load import DATA_DIR

NATO_PCT = "nato_pct_gdp"
SIPRI_PCT = "sipri_pct_gdp"
SIPRI_USD = "sipri_usd_m_current"
PLAN_PCT = "plan_pct_gdp"

SERIES_LABELS: dict[str, str] = {
    NATO_PCT: "NATO (% of GDP, NATO definition)",
    SIPRI_PCT: "SIPRI (% of GDP)",
    SIPRI_USD: "SIPRI (US$ m, current prices)",
    PLAN_PCT: "National plan (% of GDP)",
}

# Actual (non-plan) % of GDP series, in order of preference.
ACTUAL_PCT_SERIES: tuple[str, ...] = (NATO_PCT, SIPRI_PCT)
PCT_SERIES: tuple[str, ...] = (NATO_PCT, SIPRI_PCT, PLAN_PCT)
PLAN_SERIES: tuple[str, ...] = (PLAN_PCT,)

_SERIES_ORDER = {s: i for i, s in enumerate(schemas.SPENDING_SERIES)}


def spending_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The validated, typed ``defence_spending`` table (one row per iso3, year, series).

    Args:
        data_dir: folder holding ``defence_spending.csv`` and ``countries.csv``.

    Returns:
        A copy of the table (``year`` Int64, ``value``/``value_min``/``value_max`` Float64,
        ``is_estimate`` bool, ``accessed_date`` as ``datetime.date``).

    Raises:
        DataError: the file breaks its schema (every problem listed with file, line and column).
    """
    return load.table(schemas.DEFENCE_SPENDING, data_dir)


def targets_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The validated, typed ``defence_targets`` table (NATO spending targets, one row per target_code).

    Raises:
        DataError: the file breaks its schema.
    """
    return load.table(schemas.DEFENCE_TARGETS, data_dir)


def _actual_pct(data_dir: Path) -> pd.DataFrame:
    """Actual % of GDP rows only (NATO and SIPRI; never plans), with a preference rank (0 = NATO)."""
    df = spending_table(data_dir)
    df = df[df["series"].isin(ACTUAL_PCT_SERIES)].copy()
    df["_rank"] = df["series"].map({s: i for i, s in enumerate(ACTUAL_PCT_SERIES)})
    return df


def latest_pct_gdp(iso3: str, on_or_before_year: int | None = None, data_dir: Path = DATA_DIR) -> dict | None:
    """The latest actual defence spending of one country as a share of GDP.

    The preference is by series, not by year: if the country has any NATO figure up to the cut-off, the
    latest NATO figure is returned, even when SIPRI has a later year, so that allies are compared on one
    definition. Otherwise the latest SIPRI figure. National plans are never returned.

    Args:
        iso3: ISO 3166-1 alpha-3 code.
        on_or_before_year: ignore years after this one (None = no cut-off).
        data_dir: folder holding the data files.

    Returns:
        ``{"iso3", "year", "value", "series", "series_label", "is_estimate", "source_name",
        "source_url", "accessed_date", "notes"}``, or None when the country has no actual % of GDP figure.

    Raises:
        DataError: the data files break their schema.
    """
    return latest_pct_gdp_all(on_or_before_year, data_dir).get(iso3)


def latest_pct_gdp_all(on_or_before_year: int | None = None, data_dir: Path = DATA_DIR) -> dict[str, dict]:
    """:func:`latest_pct_gdp` for every country at once: ISO3 -> the same dict (countries without data absent)."""
    df = _actual_pct(data_dir)
    if on_or_before_year is not None:
        df = df[df["year"] <= int(on_or_before_year)]
    # Best series first (NATO), then the latest year within it.
    df = df.sort_values(["iso3", "_rank", "year"], ascending=[True, True, False]).drop_duplicates("iso3")
    return {
        row["iso3"]: {
            "iso3": row["iso3"],
            "year": int(row["year"]),
            "value": float(row["value"]),
            "series": row["series"],
            "series_label": SERIES_LABELS[row["series"]],
            "is_estimate": bool(row["is_estimate"]),
            "source_name": row["source_name"],
            "source_url": row["source_url"],
            "accessed_date": row["accessed_date"],
            "notes": row["notes"],
        }
        for row in df.to_dict("records")
    }


PCT_FOR_YEAR_COLUMNS = ["iso3", "year", "value", "series", "series_label", "is_estimate", "source_name", "source_url"]


def pct_gdp_for_year(year: int, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One actual % of GDP figure per country for one year (for the map's spending fill).

    NATO where it has the year, else SIPRI; plans are never used. Countries with neither are absent.

    Args:
        year: the calendar year.
        data_dir: folder holding the data files.

    Returns:
        Columns ``iso3, year, value, series, series_label, is_estimate, source_name, source_url``, one row
        per iso3, sorted by iso3 (``value`` float, ``year`` int).

    Raises:
        DataError: the data files break their schema.
    """
    df = _actual_pct(data_dir)
    df = df[df["year"] == int(year)]
    df = df.sort_values(["iso3", "_rank"]).drop_duplicates("iso3", keep="first")
    df = df.assign(series_label=df["series"].map(SERIES_LABELS))
    out = df[PCT_FOR_YEAR_COLUMNS].reset_index(drop=True)
    return out.astype({"year": "int64", "value": "float64", "is_estimate": bool})


CHART_COLUMNS = [
    "iso3", "name", "year", "series", "series_label", "unit",
    "value", "value_min", "value_max", "is_estimate", "is_plan",
]  # fmt: skip


def chart_frame(
    iso3_list: Iterable[str] | str, series: Iterable[str] | str | None = None, data_dir: Path = DATA_DIR
) -> pd.DataFrame:
    """Long-format spending rows for charts: one row per country, year and series.

    Args:
        iso3_list: the countries (ISO3 codes; a single code is accepted). Codes without data give no rows.
        series: the series to include; None means every % of GDP series (NATO, SIPRI, national plan).
            All requested series must share one unit, so a chart never mixes % of GDP and US$.
        data_dir: folder holding the data files (``countries.csv`` supplies ``name``).

    Returns:
        Columns ``iso3, name, year, series, series_label, unit, value, value_min, value_max, is_estimate,
        is_plan`` with plain dtypes (int, float with NaN, bool), sorted by iso3, series, year.

    Raises:
        ValueError: an unknown series, or series with different units.
        DataError: the data files break their schema.
    """
    codes = [iso3_list] if isinstance(iso3_list, str) else list(iso3_list)
    if series is None:
        wanted = list(PCT_SERIES)
    else:
        wanted = [series] if isinstance(series, str) else list(series)
    unknown = [s for s in wanted if s not in SERIES_LABELS]
    if unknown:
        raise ValueError(f"unknown series {unknown}; known: {list(SERIES_LABELS)}")
    units = {"usd_m_current" if s == SIPRI_USD else "pct_gdp" for s in wanted}
    if len(units) > 1:
        raise ValueError(f"series {wanted} mix units {sorted(units)}; chart one unit at a time")

    df = spending_table(data_dir)
    df = df[df["iso3"].isin(codes) & df["series"].isin(wanted)]
    names = load.table(schemas.COUNTRIES, data_dir)[["iso3", "name"]]
    df = df.merge(names, on="iso3", how="left", validate="many_to_one")
    df["series_label"] = df["series"].map(SERIES_LABELS)
    df["is_plan"] = df["series"].isin(PLAN_SERIES)
    df["_order"] = df["series"].map(_SERIES_ORDER)
    df = df.sort_values(["iso3", "_order", "year"])
    out = df[CHART_COLUMNS].reset_index(drop=True)
    # Plain dtypes: chart libraries handle NaN better than pandas' NA.
    return out.astype(
        {
            "year": "int64",
            "value": "float64",
            "value_min": "float64",
            "value_max": "float64",
            "is_estimate": bool,
            "is_plan": bool,
        }
    )


def last_year(data_dir: Path = DATA_DIR) -> int:
    """The last year with an actual (non-plan) % of GDP figure for any country."""
    return int(_actual_pct(data_dir)["year"].max())
