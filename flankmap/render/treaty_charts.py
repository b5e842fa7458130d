"""Both conventions on one time axis (issue 21): the States-Parties count of each and their key dates.

The Ottawa Convention (from 1997-09-18) and the Convention on Cluster Munitions (from 2008-05-30) share the x
axis; each count is a step line from :func:`flankmap.domain.treaty_days.states_parties_series` and each treaty's key
dates (:func:`treaty_days.key_dates`: adoption, entry into force, every withdrawal step) are points on its line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import altair as alt
import pandas as pd

from flankmap.data.load import DATA_DIR
from flankmap.domain import treaties, treaty_days
from flankmap.view import symbology as sym

COLOURS = {"ottawa": sym.CHART["count"], "ccm": sym.CHART["count_alt"]}
CONVENTION = "Counting deposits; a withdrawal counts when effective."
SOURCE = (
    "Sources: Ottawa: data/states_parties_counts.csv and treaty_events.csv (Landmine Monitor, ICBL); "
    "CCM: data/ccm_states_parties_counts.csv (UN Treaty Collection XXVI-6)"
)


def frames(end: dt.date, data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, events): the count of each treaty as steps up to ``end`` and each treaty's key dates with the
    count on that day, both with a ``treaty`` column holding the name readers see.
    """
    counts, events = [], []
    for t in treaties.TREATIES.values():
        key = None if t.key == treaties.DEFAULT_TREATY else t.key
        if end < t.adopted:
            continue
        series = treaty_days.states_parties_series(t.adopted, end, data_dir, key)
        counts.append(series.assign(treaty=sym.treaty_title(t.key)))
        for day, label in treaty_days.key_dates(data_dir, key):
            if day <= end:
                n = treaty_days.states_parties_text(day, data_dir, key)
                events.append({"date": day, "label": label, "treaty": sym.treaty_title(t.key), "count": n})
    count_frame = pd.concat(counts, ignore_index=True)
    event_frame = pd.DataFrame(events, columns=["date", "label", "treaty", "count"])
    event_frame["states_parties"] = [
        int(str(c).split()[-1]) if str(c).split()[-1].isdigit() else None for c in event_frame["count"]
    ]
    return count_frame, event_frame


def both_treaties_chart(day: dt.date, end: dt.date, data_dir: Path = DATA_DIR) -> alt.LayerChart:
    """States Parties of both conventions over time on one axis, their key dates as points, ``day`` marked."""
    counts, events = frames(end, data_dir)
    counts = counts.assign(count_date=lambda f: pd.to_datetime(f["count_date"]).dt.strftime("%Y-%m-%d"))
    events = events.assign(date=lambda f: pd.to_datetime(f["date"]).dt.strftime("%Y-%m-%d"))
    names = [sym.treaty_title(k) for k in treaties.TREATIES]
    colour = alt.Color(
        "treaty:N",
        title="Convention",
        scale=alt.Scale(domain=names, range=[COLOURS[k] for k in treaties.TREATIES]),
        legend=alt.Legend(orient="bottom"),
    )
    x = alt.X("count_date:T", title="Date")
    line = (
        alt.Chart(counts)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("states_parties:Q", title="States Parties"),
            color=colour,
            tooltip=[
                alt.Tooltip("treaty:N", title="Convention"),
                alt.Tooltip("count_date:T", title="From", format="%Y-%m-%d"),
                alt.Tooltip("states_parties:Q", title="States Parties"),
            ],
        )
    )
    dots = (
        alt.Chart(events.dropna(subset=["states_parties"]))
        .mark_point(filled=True, size=70, stroke=sym.INK, strokeWidth=0.6)
        .encode(
            x=alt.X("date:T"),
            y=alt.Y("states_parties:Q"),
            color=colour,
            tooltip=[
                alt.Tooltip("treaty:N", title="Convention"),
                alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("label:N", title="Event"),
                alt.Tooltip("count:N", title="States Parties that day"),
            ],
        )
    )
    marker = pd.DataFrame({"date": [day.isoformat()], "label": [day.isoformat()]})
    rule = alt.Chart(marker).mark_rule(color=sym.CHART["marker"], strokeWidth=2).encode(x="date:T")
    return alt.layer(line, dots, rule).properties(
        title=alt.TitleParams(
            "Both conventions on one axis: States Parties and key dates", subtitle=[CONVENTION, SOURCE], anchor="start"
        ),
        height=300,
        width="container",
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
