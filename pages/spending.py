"""Defence spending page ('how much'): % of GDP by country and year, NATO and SIPRI kept apart, plans marked."""

import streamlit as st

from flankmap.domain import spending
from flankmap.render import charts
from flankmap.view import symbology
from ui import cache, state

view = state.page_setup("Defence spending")
version = cache.data_version()

st.markdown("### Defence spending (% of GDP)")
st.caption(
    f"The map shows the {symbology.treaty_title(view.treaty)} (treaty switch in the sidebar); "
    "this page is the same for both conventions."
)
names = {**spending.EXTRA_NAMES, **cache.country_names(version)}
options = cache.spending_countries(version)
presets = {**spending.PRESETS, "All allies": tuple(cache.spending_allies(version))}


def _apply_preset() -> None:
    choice = st.session_state.get("sp_preset")
    if choice in presets:
        st.session_state.sp_countries = [c for c in presets[choice] if c in options]


if "sp_countries" not in st.session_state:
    st.session_state.sp_countries = [c for c in charts.FLANK_ISO3 if c in options]
st.selectbox(
    "Preset",
    list(presets),
    index=None,
    placeholder="Pick a group, or any countries below",
    key="sp_preset",
    on_change=_apply_preset,
)
picked = st.multiselect(
    "Countries",
    options,
    format_func=lambda c: names.get(c, c),
    key="sp_countries",
    help="Any country with a figure; first shown: the five states leaving the Ottawa Convention.",
)
if not picked:
    st.info("Pick at least one country to draw the chart.")
else:
    chart_tab, table_tab = st.tabs(["Chart", "Table with sources"])
    with chart_tab:
        st.vega_lite_chart(cache.spending_chart(tuple(picked), version), width="stretch")
        st.caption(
            "NATO and SIPRI figures use different definitions: each is its own line, never joined. "
            "Diamonds are national plans (intentions in national definitions), not spending. "
            f"Selected date {view.day}: actual figures run to the last published year."
        )
    with table_tab:
        st.dataframe(
            cache.spending_rows(tuple(picked), version),
            hide_index=True,
            width="stretch",
            key="sp_table",
            column_config={
                "source_url": st.column_config.LinkColumn("Source link", display_text="open source"),
                "value": "% of GDP",
            },
        )

st.markdown("#### NATO targets (reference lines)")
for t in cache.spending_targets(version):
    deadline = f", deadline {t['deadline_year']}" if t["deadline_year"] else ""
    st.markdown(f"- **{t['spend_pct_gdp']:g}%**: {t['label']}{deadline}. [{t['source_name']}]({t['source_url']})")
