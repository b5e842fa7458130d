"""Defence spending: NATO and SIPRI actuals, national plans and NATO targets (pure core, no Streamlit).

Three rules hold everywhere in this module:

* NATO and SIPRI use different definitions (pensions, paramilitary forces, Poland's support fund...), so
  their figures are separate series and are never merged into one line. The map fill and the ``spending``
  command show one series at a time (:func:`figure`, :func:`figures_for_year`): a missing cell stays
  empty with its reason (:func:`missing_reason`, ``data/spending_gaps.csv``), never filled from the other
  series. Only the headline lookups (:func:`latest_pct_gdp`, :func:`pct_gdp_for_year`) prefer NATO and
  fall back to SIPRI, and they always return the series used alongside the value.
* Every row names its ``edition`` (NATO 2025 edition, SIPRI Milex 2026); :func:`legend_label` says which.
* National plans (``plan_pct_gdp``) are intentions in national definitions, never actual spending: they
  are never returned by :func:`latest_pct_gdp` or :func:`pct_gdp_for_year`, and are flagged ``is_plan``
  in :func:`chart_frame`.
* Every number comes from ``data/defence_spending.csv`` (built by ``scripts/build_spending.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR

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
# The map's spending fills: one series each, never a fallback from one to the other.
SPEND_FILL_SERIES: dict[str, str] = {"spending": SIPRI_PCT, "spending_nato": NATO_PCT}

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


# Presets of the spending page (ISO3 lists); "all allies" is every country of the NATO series.
PRESETS = {
    "Baltic states and Poland": ("EST", "LVA", "LTU", "POL"),
    "Eastern flank (Finland to the Black Sea)": ("FIN", "EST", "LVA", "LTU", "POL", "SVK", "HUN", "ROU", "BGR"),
}
EXTRA_NAMES = {"CAN": "Canada"}

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
    df["name"] = df["name"].fillna(df["iso3"].map(EXTRA_NAMES)).fillna(df["iso3"])
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


# --- one series at a time (map fill, CLI): never a fallback from one series to another ---------------------

FILL_SERIES: tuple[str, ...] = (NATO_PCT, SIPRI_PCT)
SHORT_LABELS = {NATO_PCT: "NATO", SIPRI_PCT: "SIPRI", SIPRI_USD: "SIPRI (US$)", PLAN_PCT: "national plan"}

FIGURE_COLUMNS = [
    "iso3", "year", "series", "value", "unit", "is_estimate", "edition", "source_name", "source_url", "notes",
]  # fmt: skip


def gaps_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The validated ``spending_gaps`` table: cells without a figure and why (one row per iso3, series, span)."""
    return load.table(schemas.SPENDING_GAPS, data_dir)


def _check_series(series: str) -> None:
    if series not in SERIES_LABELS:
        raise ValueError(f"unknown series {series!r}; known: {list(SERIES_LABELS)}")


def figures_for_year(year: int, series: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every figure of one series for one year, one row per country (no other series is ever mixed in).

    Returns:
        Columns :data:`FIGURE_COLUMNS`, sorted by iso3 (``value`` float, ``year`` int, ``is_estimate`` bool).

    Raises:
        ValueError: an unknown series.
        DataError: the data files break their schema.
    """
    _check_series(series)
    df = spending_table(data_dir)
    df = df[(df["series"] == series) & (df["year"] == int(year))].sort_values("iso3")
    out = df[FIGURE_COLUMNS].reset_index(drop=True)
    return out.astype({"year": "int64", "value": "float64", "is_estimate": bool})


@lru_cache(maxsize=8)
def _index(data_dir: str, version: str) -> tuple[dict, dict, dict]:
    """Lookups built once per data folder: figures by (iso3, year, series), gaps by (iso3, series), members."""
    df = spending_table(Path(data_dir))
    figures = {}
    for rec in df[FIGURE_COLUMNS].to_dict("records"):
        rec["year"], rec["value"], rec["is_estimate"] = int(rec["year"]), float(rec["value"]), bool(rec["is_estimate"])
        figures[(rec["iso3"], rec["year"], rec["series"])] = rec
    gaps: dict[tuple[str, str], list[dict]] = {}
    for rec in gaps_table(Path(data_dir)).to_dict("records"):
        gaps.setdefault((rec["iso3"], rec["series"]), []).append(rec)
    members: dict[str, set[str]] = {}
    for iso3, _, series in figures:
        members.setdefault(series, set()).add(iso3)
    for iso3, series in gaps:
        members.setdefault(series, set()).add(iso3)
    return figures, gaps, members


def figure(iso3: str, year: int, series: str, data_dir: Path = DATA_DIR) -> dict | None:
    """The figure of one country for one year in one series, or None (see :func:`missing_reason`).

    A missing NATO figure is never replaced by SIPRI's, or the other way round.

    Returns:
        A dict with the keys :data:`FIGURE_COLUMNS` (a copy), or None.
    """
    _check_series(series)
    rec = _index(*load.cache_key(data_dir))[0].get((iso3, int(year), series))
    return None if rec is None else dict(rec)


def series_members(series: str, data_dir: Path = DATA_DIR) -> set[str]:
    """The countries a series covers: those with a figure in any year, or a gap row saying why not."""
    _check_series(series)
    return set(_index(*load.cache_key(data_dir))[2].get(series, set()))


def missing_reason(iso3: str, year: int, series: str, data_dir: Path = DATA_DIR) -> dict | None:
    """Why a country has no figure for a year in a series; None when it has one.

    Returns:
        ``{"reason_code", "reason", "source_url"}``. Codes: those of ``spending_gaps.csv``
        (``no_armed_forces``, ``withheld``, ``not_read``, ``not_covered``), ``not_an_ally`` (NATO tables
        cover allies only) and ``no_figure`` (nothing recorded for that year).
    """
    if figure(iso3, year, series, data_dir) is not None:
        return None
    for row in _index(*load.cache_key(data_dir))[1].get((iso3, series), []):
        if row["year_from"] <= int(year) <= row["year_to"]:
            return {"reason_code": row["reason_code"], "reason": row["reason"], "source_url": row["source_url"]}
    if series == NATO_PCT and iso3 not in series_members(series, data_dir):
        return {
            "reason_code": "not_an_ally",
            "reason": "not a NATO ally (NATO tabulates allies only)",
            "source_url": "",
        }
    label = SHORT_LABELS.get(series, series)
    return {"reason_code": "no_figure", "reason": f"no {label} figure for {year}", "source_url": ""}


def years_with_figures(series: str, data_dir: Path = DATA_DIR) -> list[int]:
    """The years for which the series has at least one figure, ascending."""
    _check_series(series)
    df = spending_table(data_dir)
    return sorted(int(y) for y in df.loc[df["series"] == series, "year"].unique())


def default_year(day, series: str, data_dir: Path = DATA_DIR) -> int:
    """The spending year a date shows by default: the latest year with a figure on or before the date's year.

    Before the first year with a figure, that first year.
    """
    years = years_with_figures(series, data_dir)
    if not years:
        raise ValueError(f"series {series!r} has no figures")
    earlier = [y for y in years if y <= day.year]
    return earlier[-1] if earlier else years[0]


def edition_of(series: str, year: int | None = None, data_dir: Path = DATA_DIR) -> str:
    """The edition(s) a series draws on (for one year, or all years), joined with " + " if ever more than one."""
    _check_series(series)
    df = spending_table(data_dir)
    df = df[df["series"] == series]
    if year is not None:
        df = df[df["year"] == int(year)]
    return " + ".join(sorted(df["edition"].unique()))


def legend_label(series: str, year: int, data_dir: Path = DATA_DIR) -> str:
    """'NATO (% of GDP, NATO definition), 2025 · NATO 2025 edition (...) · estimates' for a map legend."""
    df = figures_for_year(year, series, data_dir)
    parts = [f"{SERIES_LABELS[series]}, {year}", edition_of(series, year, data_dir) or "no figures"]
    if not df.empty and df["is_estimate"].all():
        parts.append(f"{year} figures are estimates")
    elif not df.empty and df["is_estimate"].any():
        parts.append("some figures are estimates")
    return " · ".join(parts)


def country_names(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """ISO3 -> display name for every country a spending series may name (countries.csv plus Canada)."""
    names = load.table(schemas.COUNTRIES, data_dir)
    return {**EXTRA_NAMES, **dict(zip(names["iso3"], names["name"], strict=True))}


CLI_COLUMNS = [
    "iso3", "name", "year", "series", "value", "unit", "is_estimate", "edition", "reason", "source_url",
]  # fmt: skip


def year_table(year: int, series: tuple[str, ...] = FILL_SERIES, iso3: str | None = None, data_dir: Path = DATA_DIR):
    """One row per country the series covers and year: its figure, or an empty value and the reason.

    Used by the ``spending`` command: each series is listed on its own rows, never merged.
    """
    names = country_names(data_dir)
    rows = []
    for s in series:
        figs = figures_for_year(year, s, data_dir).set_index("iso3")
        members = sorted(series_members(s, data_dir))
        for code in members if iso3 is None else [iso3]:
            if code in figs.index:
                rec = figs.loc[code]
                rows.append(
                    {"iso3": code, "name": names.get(code, code), "year": int(year), "series": s,
                     "value": float(rec["value"]), "unit": rec["unit"], "is_estimate": bool(rec["is_estimate"]),
                     "edition": rec["edition"], "reason": "", "source_url": rec["source_url"]}
                )  # fmt: skip
            else:
                why = missing_reason(code, year, s, data_dir)
                rows.append(
                    {"iso3": code, "name": names.get(code, code), "year": int(year), "series": s, "value": None,
                     "unit": "pct_gdp" if s != SIPRI_USD else "usd_m_current", "is_estimate": None,
                     "edition": edition_of(s, None, data_dir), "reason": why["reason"],
                     "source_url": why["source_url"]}
                )  # fmt: skip
    return pd.DataFrame(rows, columns=CLI_COLUMNS)
