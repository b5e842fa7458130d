"""Timeline page ('when'): each changing country's path, the dated events with sources, States Parties over time."""

import streamlit as st

from flankmap.domain import treaty_paths
from flankmap.render import charts
from flankmap.view import symbology
from ui import cache, state

view = state.page_setup("Timeline")
version = cache.data_version()
day_iso = view.day.isoformat()

TREATY_NAME = symbology.treaty_title(view.treaty)
st.markdown(f"### Timeline: the {TREATY_NAME} on {day_iso}")
pending = cache.pending_countdown(day_iso, version, view.treaty)
cols = st.columns(len(pending) + 1)
cols[0].metric(
    "States Parties" if view.treaty == "ottawa" else f"States Parties ({TREATY_NAME})",
    cache.states_parties_text(day_iso, version, view.treaty),
    help=charts.COUNT_CONVENTION,
)
for col, row in zip(cols[1:], pending.itertuples(), strict=False):
    col.metric(
        f"{row.name} leaves in",
        f"{row.days_remaining} days",
        help=f"Withdrawal deposited; effective {row.date} (Art. 20(3)).",
    )
if pending.empty:
    st.caption(f"No withdrawal is pending on {day_iso} (pending = instrument deposited, not yet effective).")

# Both conventions' counts and key dates on one time axis (the treaty switch picks the rest of the page).
st.vega_lite_chart(cache.both_treaties_chart(day_iso, state.bounds()[1].isoformat(), version), width="stretch")
if view.treaty != "ottawa":
    st.markdown(f"#### Dated events: {TREATY_NAME}, countries drawn on the map")
    st.dataframe(
        cache.ccm_event_rows(version),
        hide_index=True,
        width="stretch",
        key="tl_ccm_events",
        column_config={"source_url": st.column_config.LinkColumn("Source link", display_text="open source")},
    )
    st.caption(
        f"From data/ccm_events.csv (UN Treaty Collection XXVI-6), checked through "
        f"{cache.checked_through(version, 'ccm')}. "
        "The rest of this page shows the Ottawa Convention's paths and events."
    )

start, end = cache.recent_window(version)
st.vega_lite_chart(cache.timeline_chart(day_iso, version, start.isoformat(), end.isoformat()), width="stretch")
with st.expander("Whole paths, from joining to leaving", expanded=False):
    st.vega_lite_chart(cache.timeline_chart(day_iso, version), width="stretch")
st.caption(
    " ".join(
        [
            "Art. 20(3): a withdrawal takes effect six months after the UN Secretary-General receives the "
            "instrument, not six months after a parliament's vote.",
            *cache.contested_flags(view.day, version),
        ]
    )
)

st.markdown("#### Dated events")
names = cache.country_names(version)
left, right = st.columns(2)
iso3s = left.multiselect(
    "Countries",
    sorted(names, key=names.get),
    default=cache.changing_countries(version),
    format_func=names.get,
    key="tl_countries",
    placeholder="All countries",
)
kinds = right.multiselect("Event kinds", list(treaty_paths.EVENT_KINDS), key="tl_kinds", placeholder="All kinds")
rows = cache.event_rows(tuple(iso3s), tuple(kinds), version)
st.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    key="tl_events",
    column_config={
        "source_url": st.column_config.LinkColumn("Source link", display_text="open source"),
        "source_title": st.column_config.TextColumn("Source"),
        "detail": st.column_config.TextColumn("Detail", width="large"),
    },
)
st.caption(
    f"{len(rows)} events. Undated rows are status notes. Confidence 'uncertain' or 'unconfirmed' "
    "means the date is not pinned down in the sources."
)

st.markdown("#### States Parties over time")
st.vega_lite_chart(cache.states_parties_chart(day_iso, version), width="stretch")
st.caption(f"Convention: {charts.COUNT_CONVENTION}. {cache.count_summary(version)}.")
