"""Flankmap: the map page and entry point (``streamlit run app.py``).

Treaty status (or defence spending) on the chosen day, border segments and the Suwałki Gap. Other pages
live in ``pages/``; every page starts with ``state.page_setup`` (shared sidebar mirrored in the URL).
"""

import streamlit as st
from streamlit_folium import st_folium

from flankmap.render import leaflet
from flankmap.view import symbology, textalt, urlstate
from ui import briefing_view, cache, map_annotations, state, timeline_control

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


def map_payload(v, page: dict) -> dict:
    """The view the map shows: the browser looks each day up in the timeline it fetched once per session
    (leaflet.step_payload; in compare mode the outlines of this day and, for every other day, the runs of days
    on which a country differs from the compare day). The frame's name is a template the map fills per day. The
    canonical query string goes along: the map runtime keeps the address bar on the settled view."""
    v = v.normalised()
    runs = cache.compare_runs(v.compare_day.isoformat(), version, v.treaty) if v.compare_day else None
    payload = leaflet.step_payload(v, tuple(page["changed"]), runs)
    payload["frame_title"] = textalt.frame_title_template(v.fill, v.treaty)
    if v.view != "briefing":  # the presentation view's address keeps view=briefing
        payload["query"] = urlstate.to_query(v)
    return payload


if view.view == "briefing":
    # presentation view: the whole 16:9 frame and nothing else
    page = page_for(view)
    briefing_view.render(view, map_payload(view, page))
    st.stop()


def announce(v, states_parties: str) -> None:
    """A polite live region (WCAG 4.1.3): the settled date and what changed since the last announced date.

    Steps in the browser (dragging, keys, play) are not announced one by one (the control's slider says its
    value; play says once that it plays); when the date settles, this says the date reached and every change
    since the date announced before (for play: since the date play started from).
    """
    ss = st.session_state
    if ss.get("fm_announced_day") != v.day:
        prev = ss.get("fm_announced_day")
        changes = cache.changes_on_map(prev.isoformat(), v.day.isoformat(), version, v.treaty) if prev else []
        text = textalt.announcement(v.day, prev, changes, states_parties)
        ss.fm_announced_day, ss.fm_live_text = v.day, text
    else:
        text = ss.get("fm_live_text", "")
    state.live_region(text)


def dated_map(v) -> None:
    """Timeline control, map and what follows the settled date (figures, changes, exports, the text table).

    The control moves the map in the browser on every step; this runs when the date has settled (one message per
    gesture) or another part of the view changed, and the map keeps the day the control shows (static/flankmap/).
    """
    timeline_control.draw(v)
    full = page_for(v)
    payload = map_annotations.add_to_payload(map_payload(v, full))  # a briefing slide's annotations, if any
    payload["frame_title"] += "; the table below the map has the same data"
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


dated_map(view)
st.caption(
    " ".join(
        [
            "Hover or click a country or border for details; the table above lists every country.",
            f"Map: {symbology.OSM_CREDIT}.",
            *(cache.contested_flags(view.day, version) if view.treaty == urlstate.DEFAULT_TREATY else []),
        ]
    )
)
