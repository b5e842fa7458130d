"""The app's only Streamlit cache: small ``st.cache_data`` wrappers over the core, keyed on hashable inputs.

Every wrapper takes ``version`` (:func:`data_version`, the same key the core's memos use) so a rebuilt or edited
``data/`` is served after the change, without a restart;
dates go in as `datetime.date` (the map payload) or ISO strings (both hash); no GeoDataFrame is ever an argument.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import borders, spending, treaty, treaty_days
from flankmap.render import leaflet
from flankmap.view import model, textalt
from flankmap.view.urlstate import ViewState


def data_version() -> str:
    """The data version (:func:`flankmap.data.load.data_version`: every file's path, size and mtime under data/).

    The same key as the core's memos, so a rebuilt or edited data/ is served at once, by both layers.
    """
    return load.data_version(DATA_DIR)


@st.cache_data(show_spinner=False, max_entries=8)
def base_config(area: str, version: str) -> dict:
    return leaflet.base_config(area, version)


@st.cache_data(show_spinner=False, max_entries=512)
def map_page(
    day: dt.date,
    layers: tuple[str, ...],
    fill: str,
    spend_year: int | None,
    version: str,
    compare_day: dt.date | None = None,
) -> dict:
    """What the map page shows beside the map: the text alternative, the summary, the frame title and compare
    mode's changes (:func:`flankmap.view.textalt.page` over :func:`flankmap.view.model.view_of`)."""
    view = ViewState(day=day, layers=layers, fill=fill, spend_year=spend_year, compare_day=compare_day)
    return textalt.page(model.view_of(view))


@st.cache_data(show_spinner=False, max_entries=256)
def changes_on_map(day_a_iso: str, day_b_iso: str, version: str) -> list[str]:
    from flankmap.view import textalt

    return textalt.changes_on_map(dt.date.fromisoformat(day_a_iso), dt.date.fromisoformat(day_b_iso))


@st.cache_data(show_spinner=False)
def key_dates(version: str) -> list[tuple[dt.date, str]]:
    return treaty_days.key_dates()


@st.cache_data(show_spinner=False, max_entries=16)
def control_key_dates(fill: str, last_iso: str, version: str) -> list[dict]:
    """The key dates the map page's timeline control marks: those of the published timeline, up to the last day."""
    return [k for k in model.published(fill).data["key_dates"] if k["date"] <= last_iso]


@st.cache_data(show_spinner=False, max_entries=64)
def compare_runs(compare_iso: str, version: str) -> dict[str, list[list[str]]]:
    """Compare mode's outlines for every day (:func:`flankmap.view.model.changed_runs`)."""
    return model.changed_runs(dt.date.fromisoformat(compare_iso))


@st.cache_data(show_spinner=False, max_entries=8)
def data_last_day(version: str, today_iso: str | None = None) -> dt.date:
    """Last day the slider offers; pass today's ISO date so the cache moves on at midnight."""
    return treaty.data_last_day(today=dt.date.fromisoformat(today_iso) if today_iso else None)


@st.cache_data(show_spinner=False)
def checked_through(version: str) -> dt.date:
    return treaty.checked_through()


@st.cache_data(show_spinner=False)
def spending_years(version: str) -> list[int]:
    table = spending.spending_table()
    return sorted({int(y) for y in table.loc[table["series"].isin(spending.FILL_SERIES), "year"]})


@st.cache_data(show_spinner=False)
def segments_table(version: str):
    return borders.segments_table()


@st.cache_data(show_spinner=False, max_entries=256)
def states_parties_text(day_iso: str, version: str) -> str:
    return treaty_days.states_parties_text(dt.date.fromisoformat(day_iso))


# --- pages: timeline, defence spending, borders, data and sources ------------------------------------------
# Charts are cached as Vega-Lite dicts (plain JSON, cheap to pickle); pages draw them with st.vega_lite_chart.


@st.cache_data(show_spinner=False, max_entries=256)
def timeline_chart(day_iso: str, version: str, start_iso: str | None = None, end_iso: str | None = None) -> dict:
    from flankmap.render import charts

    start = dt.date.fromisoformat(start_iso) if start_iso else None
    end = dt.date.fromisoformat(end_iso) if end_iso else None
    return charts.country_timelines(dt.date.fromisoformat(day_iso), start=start, end=end).to_dict()


@st.cache_data(show_spinner=False, max_entries=256)
def states_parties_chart(day_iso: str, version: str) -> dict:
    from flankmap.render import charts

    return charts.states_parties_chart(dt.date.fromisoformat(day_iso)).to_dict()


@st.cache_data(show_spinner=False, max_entries=256)
def pending_countdown(day_iso: str, version: str):
    from flankmap.domain import treaty_paths

    return treaty_paths.pending_countdown(dt.date.fromisoformat(day_iso))


@st.cache_data(show_spinner=False)
def count_summary(version: str) -> str:
    from flankmap.domain import treaty_paths

    return treaty_paths.count_summary()


@st.cache_data(show_spinner=False)
def recent_window(version: str) -> tuple[dt.date, dt.date]:
    from flankmap.domain import treaty_paths

    return treaty_paths.recent_window()


@st.cache_data(show_spinner=False, max_entries=256)
def contested_flags(day: dt.date, version: str) -> list[str]:
    from flankmap.domain import treaty_paths

    return treaty_paths.contested_flags(day)


@st.cache_data(show_spinner=False)
def changing_countries(version: str) -> list[str]:
    from flankmap.domain import treaty_paths

    return treaty_paths.changing_countries()


@st.cache_data(show_spinner=False, max_entries=64)
def event_rows(iso3s: tuple[str, ...], kinds: tuple[str, ...], version: str):
    from flankmap.domain import treaty_paths

    return treaty_paths.event_display(treaty_paths.filter_events(treaty_paths.event_list(), iso3s, kinds))


@st.cache_data(show_spinner=False)
def country_names(version: str) -> dict[str, str]:
    from flankmap.data import load, schemas

    table = load.table(schemas.COUNTRIES)
    return dict(zip(table["iso3"], table["name"], strict=True))


@st.cache_data(show_spinner=False)
def spending_countries(version: str) -> list[str]:
    return sorted(set(spending.chart_frame(spending.spending_table()["iso3"].unique())["iso3"]))


@st.cache_data(show_spinner=False)
def spending_allies(version: str) -> list[str]:
    """Every country with a NATO figure (the allies with armed forces)."""
    table = spending.spending_table()
    return sorted(set(table.loc[table["series"] == spending.NATO_PCT, "iso3"]))


@st.cache_data(show_spinner=False, max_entries=64)
def spending_chart(iso3s: tuple[str, ...], version: str) -> dict:
    from flankmap.render import charts

    return charts.spending_chart(iso3s).to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def spending_rows(iso3s: tuple[str, ...], version: str):
    from flankmap.render import charts

    return charts.spending_table_view(iso3s)


@st.cache_data(show_spinner=False)
def suwalki_facts(version: str):
    return borders.suwalki_facts()


@st.cache_data(show_spinner=False, max_entries=32)
def segment_map(segment_id: str, version: str) -> dict:
    from flankmap.render import charts

    return charts.segment_map(segment_id).to_dict()


@st.cache_data(show_spinner=False)
def catalog_view(version: str):
    from flankmap.render import downloads

    return downloads.catalog_view()


@st.cache_data(show_spinner=False)
def press_errors(version: str):
    from flankmap.render import downloads

    return downloads.press_errors()


@st.cache_data(show_spinner=False, max_entries=32)
def dataset_bytes(file: str, version: str) -> bytes:
    from flankmap.render import downloads

    return downloads.dataset_bytes(file)


@st.cache_data(show_spinner=False, max_entries=64)
def status_export(day_iso: str, fmt: str, version: str) -> bytes:
    from flankmap.render import downloads

    day = dt.date.fromisoformat(day_iso)
    return downloads.status_geojson(day) if fmt == "geojson" else downloads.status_csv(day)


@st.cache_data(show_spinner=False)
def spending_targets(version: str) -> list[dict]:
    from flankmap.render import charts

    return charts.target_notes()


@st.cache_data(show_spinner=False, max_entries=64)
def citation(day_iso: str, version: str) -> str:
    from flankmap.render import downloads

    return downloads.citation(dt.date.fromisoformat(day_iso), version)


@st.cache_data(show_spinner=False)
def dataset_files(version: str) -> list[str]:
    from flankmap.render import downloads

    return downloads.dataset_files()


# --- Static export (flankmap.render.static_export): bytes of a PNG/SVG/PDF, keyed on ISO strings and plain values.
@st.cache_data(show_spinner=False, max_entries=48)
def briefing_image(
    fmt: str,
    day_iso: str,
    layers: tuple[str, ...],
    fill: str,
    spend_year: int | None,
    compare_iso: str | None,
    area: str,
    permalink: str,
    generated_iso: str,
    version: str,
) -> bytes:
    from flankmap.render import (
        static_export,  # matplotlib is only imported once someone exports (export_buttons does not)
    )

    return static_export.render(
        dt.date.fromisoformat(day_iso),
        fmt,
        layers=layers,
        fill=fill,
        spend_year=spend_year,
        compare_day=dt.date.fromisoformat(compare_iso) if compare_iso else None,
        permalink=permalink,
        generated=dt.date.fromisoformat(generated_iso),
        area=area,
    )


# --- Timeline exports: the one-file interactive map and the withdrawal-year animation (bytes, plain keys). ---
@st.cache_data(show_spinner=False, max_entries=8)
def interactive_html(
    day_iso: str,
    layers: tuple[str, ...],
    fill: str,
    spend_year: int | None,
    area: str,
    permalink: str,
    generated_iso: str,
    version: str,
) -> bytes:
    from flankmap.render import html_file

    return html_file.export_html(
        dt.date.fromisoformat(day_iso),
        fill=fill,
        area=area,
        layers=layers,
        spend_year=spend_year,
        permalink=permalink,
        generated=dt.date.fromisoformat(generated_iso),
    )


@st.cache_data(show_spinner=False, max_entries=4)
def animation_bytes(
    fmt: str,
    start_iso: str,
    end_iso: str,
    layers: tuple[str, ...],
    fill: str,
    spend_year: int | None,
    area: str,
    base_url: str,
    generated_iso: str,
    version: str,
) -> bytes:
    """An animation of the view (GIF or MP4); each frame's permalink is the view on that frame's day."""
    from dataclasses import replace

    from flankmap.render import animation
    from flankmap.view import urlstate

    view = urlstate.ViewState(
        day=dt.date.fromisoformat(start_iso), layers=layers, fill=fill, spend_year=spend_year, area=area
    ).normalised()
    data, _ = animation.render(
        dt.date.fromisoformat(start_iso),
        dt.date.fromisoformat(end_iso),
        fmt,
        layers=view.layers,
        fill=view.fill,
        spend_year=view.spend_year,
        area=view.area,
        permalink_for=lambda d: urlstate.permalink(replace(view, day=d), base_url),
        generated=dt.date.fromisoformat(generated_iso),
    )
    return data


@st.cache_data(show_spinner=False)
def withdrawal_year(version: str) -> tuple[str, str]:
    from flankmap.render import animation

    start, end = animation.withdrawal_year()
    return start.isoformat(), end.isoformat()
