"""Flankmap: the map page and entry point (``streamlit run app.py``).

Treaty status (or defence spending) on the chosen day, border segments and the Suwałki Gap. Other pages
live in ``pages/``; every page starts with ``state.page_setup`` (shared sidebar mirrored in the URL).
"""

import streamlit as st
from streamlit_folium import st_folium

from flankmap.render import leaflet
from flankmap.view import symbology, textalt, urlstate
from ui import briefing_view, cache, map_annotations, state

map_annotations.take_link()  # a briefing slide's link (b=1.…): read before the page rewrites the URL
view = state.page_setup("Map", date_in_sidebar=False)
map_annotations.note()
version = cache.data_version()


def page_for(v) -> dict:
    """The view resolved (flankmap.view.model) for what the page shows beside the map; memoised per view."""
    v = v.normalised()
    if v.treaty == urlstate.DEFAULT_TREATY:
        return cache.map_page(v.day, v.layers, v.fill, v.spend_year, version, v.compare_day)
    return cache.map_page(v.day, v.layers, v.fill, v.spend_year, version, v.compare_day, v.treaty)


if view.view == "briefing":
    # presentation view: the whole 16:9 frame and nothing else
    page = page_for(view)
    briefing_view.render(
        view, {**leaflet.step_payload(view, tuple(page["changed"])), "frame_title": page["frame_title"]}
    )
    st.stop()


def announce(v, states_parties: str) -> None:
    """A polite live region (WCAG 4.1.3): the new date and what changed since the last announced date.

    While playing it says so once and then stays quiet (no announcement per step); when play stops it
    announces the date reached and every change since the date play started from.
    """
    ss = st.session_state
    if ss.get("fm_play"):
        text = "Playing through key dates. The date reached is announced when play stops."
    elif ss.get("fm_announced_day") != v.day:
        prev = ss.get("fm_announced_day")
        changes = cache.changes_on_map(prev.isoformat(), v.day.isoformat(), version, v.treaty) if prev else []
        text = textalt.announcement(v.day, prev, changes, states_parties)
        ss.fm_announced_day, ss.fm_live_text = v.day, text
    else:
        text = ss.get("fm_live_text", "")
    state.live_region(text)


@st.fragment
def dated_map() -> None:
    """Date slider, map and figures: a date step reruns only this part (a few messages, not the page)."""
    state.date_slider(label_visibility="visible", typed=True)
    v = state.current()
    state.sync_url(v)
    # A date step sends only the view: the browser looks the day up in the timeline it fetched once per session
    # (leaflet.step_payload; in compare mode also the ISO3 codes to outline). The text alternative, summary and
    # frame title come from the same view resolved in Python (flankmap.view.model, memoised per view).
    # The canonical query string goes with the payload: the map runtime puts it in the sidebar page links, which a
    # date step inside this fragment would otherwise leave behind.
    full = page_for(v)
    payload = {**leaflet.step_payload(v, tuple(full["changed"])), "query": urlstate.to_query(v)}
    payload["frame_title"] = full["frame_title"] + "; the table below the map has the same data"
    payload = map_annotations.add_to_payload(payload)  # a briefing slide's annotations, if any
    count = cache.states_parties_text(v.day.isoformat(), version, v.treaty)
    announce(v, count)
    # The base map never changes with the date: only the small payload group does (see flankmap.render.leaflet).
    base = leaflet.base_map(cache.base_config(v.area, version))
    with st.container(key="fm_map"):
        st_folium(
            base,
            key="map",
            feature_group_to_add=leaflet.payload_group(payload),
            returned_objects=[],
            height=680,
            use_container_width=True,
        )
    st.markdown(full["summary"])
    pending = cache.pending_countdown(v.day.isoformat(), version, v.treaty)  # the timeline page's countdown too
    cols = st.columns(len(pending) + 1)
    cols[0].metric(
        {"ottawa": "States Parties worldwide", "ccm": "CCM States Parties worldwide"}.get(v.treaty, "States Parties"),
        count,
        help="Counting deposits (ICBL / Landmine Monitor convention); a withdrawal counts when effective."
        + ("" if v.treaty == urlstate.DEFAULT_TREATY else " From the UN depositary record (XXVI-6)."),
    )
    for col, row in zip(cols[1:], pending.itertuples(), strict=True):
        col.metric(f"{row.name}: withdrawal effective {row.date}", f"{row.days_remaining} days")
    if full["changes"]:
        st.markdown(f"**Changed between {v.compare_day} and {v.day}**")
        st.markdown("\n".join(f"- {text}" for text in full["changes"]))
    briefing_view.export_buttons(v, map_annotations.annotations())  # in the fragment: exports follow the date
    # The text alternative: rows from the view model, the same statuses and tooltip lines as the map's
    # (tests/unit/test_view_agreement.py ties them on every key day).
    st.subheader("The map as a table")
    st.html(textalt.table_html(full["table"], v.day, v.fill, full["spend_year"], v.treaty))
    map_annotations.listing(v)


dated_map()
st.caption(
    " ".join(
        [
            "Hover or click a country or border for details; the table above lists every country.",
            f"Map: {symbology.OSM_CREDIT}.",
            *(cache.contested_flags(view.day, version) if view.treaty == urlstate.DEFAULT_TREATY else []),
        ]
    )
)
