"""Borders page ('how long'): border segments computed vs official, the Suwałki Gap, a map of one segment."""

import streamlit as st

from flankmap.view import symbology
from ui import cache, state

view = state.page_setup("Borders")
version = cache.data_version()

st.markdown("### Borders: how long, computed and official")
st.caption(
    f"The map shows the {symbology.treaty_title(view.treaty)} (treaty switch in the sidebar); "
    "this page is the same for both conventions."
)
segments = cache.segments_table(version)
st.dataframe(
    segments,
    hide_index=True,
    width="stretch",
    key="bd_segments",
    column_order=[
        "name",
        "iso3_a",
        "iso3_b",
        "length_km",
        "official_length_km",
        "diff_km",
        "diff_pct",
        "official_source",
        "source_url",
        "official_note",
    ],
    column_config={
        "name": "Segment",
        "iso3_a": "Country A",
        "iso3_b": "Country B",
        "length_km": "Computed length (km)",
        "official_length_km": "Official length (km)",
        "diff_km": "Difference (km)",
        "diff_pct": "Difference (%)",
        "official_source": "Official source",
        "source_url": st.column_config.LinkColumn("Source link", display_text="open source"),
        "official_note": st.column_config.TextColumn("Note", width="large"),
    },
)
st.caption(
    "Computed: geodesic length (WGS84) of the full-resolution OpenStreetMap-derived line. Difference = "
    "computed − official. Lake and river sections and survey detail make official figures differ."
)

st.markdown("#### The Suwałki Gap")
st.dataframe(
    cache.suwalki_facts(version),
    hide_index=True,
    width="stretch",
    key="bd_suwalki",
    column_order=["label", "value", "unit", "lon", "lat", "method", "source_title", "source_url"],
    column_config={
        "label": st.column_config.TextColumn("Fact", width="large"),
        "value": "Value",
        "unit": "Unit",
        "lon": "Longitude (°E)",
        "lat": "Latitude (°N)",
        "method": st.column_config.TextColumn("Method", width="large"),
        "source_title": "Source",
        "source_url": st.column_config.LinkColumn("Source link", display_text="open source"),
    },
)

st.markdown("#### Map of one segment")
labels = dict(zip(segments["segment_id"], segments["name"], strict=True))
segment = st.selectbox("Segment", list(labels), format_func=labels.get, key="bd_segment")
st.vega_lite_chart(cache.segment_map(segment, version), width="stretch")
