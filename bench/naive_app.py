"""Naive baseline for bench_map.py (never used by the product): the same status map with every layer
inside ``st_folium`` and unsimplified geometry, re-sent and re-mounted on every date change."""

import datetime as dt
import json
import os
import sys
from pathlib import Path

import folium
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

sys.path.insert(0, os.environ.get("PYTHONPATH", str(Path(__file__).resolve().parents[1])))
from flankmap.domain import treaty
from flankmap.render import leaflet


@st.cache_data
def full_geometry() -> str:
    import geopandas as gpd

    path = os.environ["FLANKMAP_BENCH_GEOMETRY"]
    gdf = gpd.read_file(path)
    return gdf.to_json()


class _Mark(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}document.body.setAttribute('data-naive-date', '{{ this.day }}');{% endmacro %}"
    )

    def __init__(self, day):
        super().__init__()
        self.day = day


day = st.slider(
    "Date", min_value=dt.date(1997, 9, 18), max_value=dt.date(2026, 11, 23), value=dt.date(2025, 12, 20), key="d"
)
status = treaty.status_table(day).set_index("iso3")["status_code"].to_dict()
m = folium.Map(location=[55.5, 22.0], zoom_start=5, tiles=None)
m.default_js = [("leaflet", leaflet.LEAFLET_JS)]
m.default_css = [("leaflet_css", leaflet.LEAFLET_CSS)]
features = json.loads(full_geometry())
folium.GeoJson(
    features,
    style_function=lambda f: {
        "fillColor": leaflet.STATUS_COLOURS.get(status.get(f["properties"].get("iso3")), "#eeeeee"),
        "color": "#fff",
        "weight": 0.8,
        "fillOpacity": 0.9,
        "className": "flankmap-country",
    },
).add_to(m)
_Mark(day.isoformat()).add_to(m)
st_folium(m, key="map", returned_objects=[], height=620, use_container_width=True)
