"""Data and sources page ('says who'): the catalog, downloads, a citation and the press errors corrected."""

import streamlit as st

from flankmap.render import downloads
from ui import cache, state

view = state.page_setup("Data and sources")
version = cache.data_version()
day_iso = view.day.isoformat()

st.markdown("### Data and sources")
checked = cache.checked_through(version).isoformat()
st.info(
    f"Treaty data checked through **{checked}**: the latest day its sources were checked. "
    f"For a later day, events after {checked} may be missing.",
    icon=":material/event_available:",
)
ccm_checked = cache.checked_through(version, "ccm").isoformat()
st.info(
    f"Convention on Cluster Munitions data (ccm_events.csv, ccm_states_parties_counts.csv, ccm_checks.csv, from the UN "
    f"depositary record XXVI-6) checked through **{ccm_checked}**; events after {ccm_checked} may be missing."
    + (" The map shows this convention now (treaty switch in the sidebar)." if view.treaty == "ccm" else ""),
    icon=":material/event_available:",
)
st.dataframe(
    cache.catalog_view(version),
    hide_index=True,
    width="stretch",
    key="src_catalog",
    column_config={
        "Source URL": st.column_config.LinkColumn("Source URL"),
        "What it is": st.column_config.TextColumn("What it is", width="large"),
    },
)
st.caption("From data/catalog.csv: the checksum and row count of every file are checked by the test suite.")

st.markdown(f"#### Download the status of every country on {day_iso}")
left, right = st.columns(2)
left.download_button(
    f"Status on {day_iso} (CSV)",
    cache.status_export(day_iso, "csv", version),
    file_name=f"flankmap_status_{day_iso}.csv",
    mime="text/csv",
    key="dl_status_csv",
    icon=":material/download:",
)
right.download_button(
    f"Status on {day_iso} (GeoJSON)",
    cache.status_export(day_iso, "geojson", version),
    file_name=f"flankmap_status_{day_iso}.geojson",
    mime="application/geo+json",
    key="dl_status_geojson",
    icon=":material/download:",
)

st.markdown("#### Download a whole dataset")
files = cache.dataset_files(version)
pick, button = st.columns([3, 1], vertical_alignment="bottom")
file = pick.selectbox("Dataset", files, index=files.index("treaty_events.csv"), key="src_file")
button.download_button(
    "Download file",
    cache.dataset_bytes(file, version),
    file_name=file.replace("/", "_"),
    mime=downloads.mime_of(file),
    key="dl_dataset",
    icon=":material/download:",
)

st.markdown("#### How to cite")
st.code(cache.citation(day_iso, version), language=None, wrap_lines=True)

st.markdown("#### What Flankmap corrects: errors in the 2025 press coverage")
for row in cache.press_errors(version).itertuples():
    st.markdown(
        f"- ~~{row.claim}~~  \n  **Correct:** {row.correction} ([source]({row.source_url}), "
        f"accessed {row.accessed_date})"
    )
