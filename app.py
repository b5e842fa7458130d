"""Flankmap: the map page and entry point (``streamlit run app.py``).

Treaty status (or defence spending) on the chosen day, border segments and the Suwałki Gap. Other pages
live in ``pages/``; every page starts with ``state.page_setup`` (shared sidebar mirrored in the URL).
"""

import streamlit as st
from streamlit_folium import st_folium

from flankmap import mapview, symbology, urlstate
from ui import briefing_view, cache, state

view = state.page_setup("Map", date_in_sidebar=False)
version = cache.data_version()


def payload_for(v) -> dict:
    v = v.normalised()
    return cache.map_payload(v.day, v.layers, v.fill, v.spend_year, version, v.compare_day)


if view.view == "briefing":
    briefing_view.render(view, payload_for(view))  # presentation view: the whole 16:9 frame and nothing else
    st.stop()


@st.fragment
def dated_map() -> None:
    """Date slider, map and figures: a date step reruns only this part (a few messages, not the page)."""
    state.date_slider(label_visibility="visible")
    v = state.current()
    state.sync_url(v)
    # The canonical query string goes with the payload: the map runtime puts it in the address bar and in the
    # sidebar page links, which a date step inside this fragment would otherwise leave behind.
    payload = {**payload_for(v), "query": urlstate.to_query(v)}
    # The base map never changes with the date: only the small payload group does (see flankmap.mapview).
    base = mapview.base_map(cache.base_config(v.area, version))
    st_folium(
        base,
        key="map",
        feature_group_to_add=mapview.payload_group(payload),
        returned_objects=[],
        height=680,
        use_container_width=True,
    )
    pending = cache.pending_countdown(v.day.isoformat(), version)  # the timeline page's countdown too
    cols = st.columns(len(pending) + 1)
    cols[0].metric(
        "States Parties worldwide",
        cache.states_parties_text(v.day.isoformat(), version),
        help="Counting deposits (ICBL / Landmine Monitor convention); a withdrawal counts when effective.",
    )
    for col, row in zip(cols[1:], pending.itertuples(), strict=True):
        col.metric(f"{row.name}: withdrawal effective {row.date}", f"{row.days_remaining} days")
    if payload["changes"]:
        st.markdown(f"**Changed between {v.compare_day} and {v.day}**")
        st.markdown("\n".join(f"- {text}" for text in payload["changes"]))
    briefing_view.export_buttons(v)  # inside the fragment: exports follow the date as it moves


dated_map()
st.caption(
    " ".join(
        [
            f"Hover a country or border for details. Map: {symbology.OSM_CREDIT}.",
            *cache.contested_flags(view.day, version),
        ]
    )
)
