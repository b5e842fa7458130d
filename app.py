"""Flankmap: the map page and entry point (``streamlit run app.py``).

Treaty status (or defence spending) on the chosen day, border segments and the Suwałki Gap. Other pages
live in ``pages/``; every page starts with ``state.page_setup`` (shared sidebar mirrored in the URL).
"""

import streamlit as st
from streamlit_folium import st_folium

from flankmap import mapview
from ui import briefing_view, cache, state

view = state.page_setup("Map")
version = cache.data_version()
payload = cache.map_payload(view.day.isoformat(), view.layers, view.fill, view.spend_year, version,
                            view.compare_day.isoformat() if view.compare_day else None)
if view.view == "briefing":
    briefing_view.render(view, payload)  # presentation view: the whole 16:9 frame and nothing else
    st.stop()

# The base map never changes with the date: only the small payload group does (see flankmap.mapview).
base = mapview.base_map(cache.base_config(view.area, version))
st_folium(base, key="map", feature_group_to_add=mapview.payload_group(payload), returned_objects=[],
          height=700, use_container_width=True)

table = cache.status_table(view.day.isoformat(), version)
pending = table[table["status_code"] == "withdrawal_pending"]
cols = st.columns(max(len(pending), 1) + 1)
cols[0].metric("States Parties worldwide", cache.states_parties_count(view.day.isoformat(), version),
               help="Counting deposits (ICBL / Landmine Monitor convention); a withdrawal counts when effective.")
for col, row in zip(cols[1:], pending.itertuples(), strict=False):
    col.metric(f"{row.name}: withdrawal effective {row.effective_date}", f"{int(row.days_until_effective)} days")
if payload["changes"]:
    st.markdown(f"**Changed between {view.compare_day} and {view.day}**")
    st.markdown("\n".join(f"- {text}" for text in payload["changes"]))
st.caption("Hover a country or border for details. Map: © OpenStreetMap contributors (ODbL). "
           "Ukraine remains a State Party: its 2025 'suspension' is contested and is not a withdrawal.")
briefing_view.export_buttons(view)

state.play_tick()
