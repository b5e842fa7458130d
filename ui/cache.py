"""The app's only Streamlit cache: small ``st.cache_data`` wrappers over the core, keyed on hashable inputs.

Every wrapper takes ``version`` (:func:`data_version`, the same key the core's memos use) so a rebuilt or edited
``data/`` is served after the change, without a restart;
dates go in as `datetime.date` (the map payload) or ISO strings (both hash); no GeoDataFrame is ever an argument.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
import threading
from pathlib import Path

import streamlit as st

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import borders, spending, treaty, treaty_days
from flankmap.render import leaflet
from flankmap.view import model, tables, textalt
from flankmap.view.urlstate import ViewState

# --- Heavy renders: one at a time per process (review finding 1) -------------------------------------------------
# An export (animation, interactive HTML, briefing image) draws with matplotlib or builds a large page; several at
# once multiplied the peak memory of a replica. They queue on one lock; a session whose export waits sees a note in
# the export row (:func:`export_queue_note`) and the button's spinner. Date steps never take this lock.
CACHE_ROOT = Path(os.environ.get("FLANKMAP_CACHE_DIR") or Path(tempfile.gettempdir()) / "flankmap-cache")
MAX_CACHED_FILES = 32
EXPORT_WAIT_S = 150.0  # below the browser's 180 s limit for a download it is waiting for
_EXPORT_LOCK = threading.Lock()
_queue_lock = threading.Lock()
_queued = [0]  # exports waiting for or holding the lock


class ExportBusy(RuntimeError):
    """The export queue did not clear in :data:`EXPORT_WAIT_S` seconds."""


@contextlib.contextmanager
def heavy_render():
    """Hold the process's one export slot (wait for it, at most :data:`EXPORT_WAIT_S` seconds)."""
    with _queue_lock:
        _queued[0] += 1
    try:
        if not _EXPORT_LOCK.acquire(timeout=EXPORT_WAIT_S):
            raise ExportBusy("the server is busy making other exports: try again in a minute")
        try:
            yield
        finally:
            _EXPORT_LOCK.release()
    finally:
        with _queue_lock:
            _queued[0] -= 1


def exports_in_progress() -> int:
    """How many exports are being made or waiting in this process."""
    return _queued[0]


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
    treaty_key: str = "ottawa",
) -> dict:
    """What the map page shows beside the map: the text alternative, the summary, the frame title and compare
    mode's changes (:func:`flankmap.view.textalt.page` over :func:`flankmap.view.model.view_of`)."""
    view = ViewState(
        day=day, layers=layers, fill=fill, spend_year=spend_year, compare_day=compare_day, treaty=treaty_key
    )
    return textalt.page(model.view_of(view))


@st.cache_data(show_spinner=False, max_entries=256)
def changes_on_map(day_a_iso: str, day_b_iso: str, version: str, treaty_key: str = "ottawa") -> list[str]:
    from flankmap.view import textalt

    days = dt.date.fromisoformat(day_a_iso), dt.date.fromisoformat(day_b_iso)
    if treaty_key == "both":
        return [*textalt.changes_on_map(*days), *(f"CCM: {t}" for t in textalt.changes_on_map(*days, treaty_key="ccm"))]
    return textalt.changes_on_map(*days, treaty_key=_key(treaty_key))


def _key(treaty_key: str) -> str | None:
    """The core's treaty argument: None for the Ottawa Convention (its outputs exactly as before)."""
    return None if treaty_key == "ottawa" else treaty_key


@st.cache_data(show_spinner=False)
def key_dates(version: str, treaty_key: str = "ottawa") -> list[tuple[dt.date, str]]:
    if treaty_key == "both":  # either treaty's key dates, from the CCM's adoption (the both view's first day)
        days: dict[dt.date, list[str]] = {}
        for key in ("ottawa", "ccm"):
            for day, label in treaty_days.key_dates(treaty=_key(key)):
                days.setdefault(day, []).append(("CCM: " if key == "ccm" else "") + label)
        first = dt.date(2008, 5, 30)
        return [(d, "; ".join(labels)) for d, labels in sorted(days.items()) if d >= first]
    return treaty_days.key_dates(treaty=_key(treaty_key))


@st.cache_data(show_spinner=False, max_entries=16)
def control_key_dates(fill: str, last_iso: str, version: str, treaty_key: str = "ottawa") -> list[dict]:
    """The key dates the map page's timeline control marks: those of the treaty's published timeline, up to the
    last day."""
    return [k for k in model.published(fill, treaty_key=treaty_key).data["key_dates"] if k["date"] <= last_iso]


@st.cache_data(show_spinner=False, max_entries=64)
def compare_runs(compare_iso: str, version: str, treaty_key: str = "ottawa") -> dict[str, list[list[str]]]:
    """Compare mode's outlines for every day under the treaty (:func:`flankmap.view.model.changed_runs`)."""
    return model.changed_runs(dt.date.fromisoformat(compare_iso), treaty_key=treaty_key)


@st.cache_data(show_spinner=False, max_entries=8)
def data_last_day(version: str, today_iso: str | None = None) -> dt.date:
    """Last day the slider offers; pass today's ISO date so the cache moves on at midnight."""
    return treaty.data_last_day(today=dt.date.fromisoformat(today_iso) if today_iso else None)


@st.cache_data(show_spinner=False)
def checked_through(version: str, treaty_key: str = "ottawa") -> dt.date:
    return treaty.checked_through(treaty=_key(treaty_key))


@st.cache_data(show_spinner=False)
def spending_years(version: str) -> list[int]:
    table = spending.spending_table()
    return sorted({int(y) for y in table.loc[table["series"].isin(spending.FILL_SERIES), "year"]})


@st.cache_data(show_spinner=False)
def segments_table(version: str):
    return tables.segments(borders.segments_table())


@st.cache_data(show_spinner=False, max_entries=256)
def states_parties_text(day_iso: str, version: str, treaty_key: str = "ottawa") -> str:
    if treaty_key == "both":
        day = dt.date.fromisoformat(day_iso)
        return (
            f"{treaty_days.states_parties_text(day)} Ottawa, {treaty_days.states_parties_text(day, treaty='ccm')} CCM"
        )
    return treaty_days.states_parties_text(dt.date.fromisoformat(day_iso), treaty=_key(treaty_key))


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


@st.cache_data(show_spinner=False, max_entries=64)
def both_treaties_chart(day_iso: str, end_iso: str, version: str) -> dict:
    from flankmap.render import treaty_charts

    return treaty_charts.both_treaties_chart(dt.date.fromisoformat(day_iso), dt.date.fromisoformat(end_iso)).to_dict()


@st.cache_data(show_spinner=False, max_entries=8)
def ccm_event_rows(version: str):
    """The CCM's dated events of the drawn countries that joined or left it (name, date, event, detail, source)."""
    events = treaty.events_table(treaty="ccm")
    drawn = set(load.drawn_iso3s())
    rows = events[events["iso3"].isin(drawn)]
    return rows[["name", "event_date", "event_code", "detail", "source_title", "source_url", "confidence"]]


@st.cache_data(show_spinner=False, max_entries=256)
def pending_countdown(day_iso: str, version: str, treaty_key: str = "ottawa"):
    from flankmap.domain import treaty_paths

    day = dt.date.fromisoformat(day_iso)
    if treaty_key == "ccm":  # the CCM: from its status records (the Ottawa paths also carry votes and flags)
        import pandas as pd

        rows = [
            {
                "iso3": r["iso3"],
                "name": r["name"],
                "date": r["effective_date"],
                "days_remaining": r["days_until_effective"],
            }
            for r in treaty.pending_withdrawals(day, treaty=treaty_key)
        ]
        return pd.DataFrame(rows, columns=["iso3", "name", "date", "days_remaining"])
    return treaty_paths.pending_countdown(day)


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

    return tables.events(
        treaty_paths.event_display(treaty_paths.filter_events(treaty_paths.event_list(), iso3s, kinds))
    )


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

    return tables.spending(charts.spending_table_view(iso3s))


@st.cache_data(show_spinner=False)
def suwalki_facts(version: str):
    return tables.suwalki(borders.suwalki_facts())


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
    treaty_key: str = "ottawa",
    notes_json: str = "",
) -> bytes:
    from flankmap.render import (
        static_annotations,
        static_export,  # matplotlib is only imported once someone exports (export_buttons does not)
    )

    day = dt.date.fromisoformat(day_iso)
    notes = _annotations(notes_json)
    decor = static_annotations.Decor(annotations=static_annotations.shown(notes, day)) if notes else None
    with heavy_render():
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
            treaty=treaty_key,
            decor=decor,
        )


def _annotations(notes_json: str) -> tuple:
    """A briefing slide's annotations from their JSON text (the export buttons' cache key)."""
    import json

    from flankmap.view import briefing

    return tuple(briefing.Annotation.model_validate(a) for a in json.loads(notes_json)) if notes_json else ()


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
    treaty_key: str = "ottawa",
    notes_json: str = "",
) -> bytes:
    from flankmap.render import html_file

    with heavy_render():
        return html_file.export_html(
            dt.date.fromisoformat(day_iso),
            fill=fill,
            area=area,
            layers=layers,
            spend_year=spend_year,
            permalink=permalink,
            generated=dt.date.fromisoformat(generated_iso),
            treaty_key=treaty_key,
            annotations=_annotations(notes_json),
        )


def animation_file(
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
    treaty_key: str = "ottawa",
) -> Path:
    """An animation of the view (GIF or MP4) as a file, made once per data version and view, then served.

    The file lives in :data:`CACHE_ROOT` ``/<data version>/`` (never in ``data/``): the first request renders
    it (frames streamed to disk, under :func:`heavy_render`), every later one, in any session, reads it.
    Each frame's permalink is the view on that frame's day.
    """
    from dataclasses import replace

    from flankmap.render import animation, files
    from flankmap.view import urlstate

    key = repr((fmt, start_iso, end_iso, layers, fill, spend_year, area, base_url, generated_iso, treaty_key))
    folder = _version_folder(version)
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.{fmt}"
    if path.exists():
        return path
    with heavy_render():
        if path.exists():  # made by the session this one waited for
            return path
        view = urlstate.ViewState(
            day=dt.date.fromisoformat(start_iso),
            layers=layers,
            fill=fill,
            spend_year=spend_year,
            area=area,
            treaty=treaty_key,
        ).normalised()
        files.write_atomic_with(
            path,
            lambda fh: animation.render_to(
                fh,
                dt.date.fromisoformat(start_iso),
                dt.date.fromisoformat(end_iso),
                fmt,
                layers=view.layers,
                fill=view.fill,
                spend_year=view.spend_year,
                area=view.area,
                permalink_for=lambda d: urlstate.permalink(replace(view, day=d), base_url),
                generated=dt.date.fromisoformat(generated_iso),
                treaty=treaty_key,
            ),
            force=True,
        )
        _prune(folder)
    return path


def _version_folder(version: str) -> Path:
    """This data version's folder under :data:`CACHE_ROOT`; other versions' folders are removed."""
    import shutil

    root = _cache_root()
    name = hashlib.sha256(version.encode()).hexdigest()[:16]
    folder = root / name
    if not folder.is_dir():
        folder.mkdir(exist_ok=True, mode=0o700)
        for old in root.iterdir():
            if old.is_dir() and old.name != name:
                shutil.rmtree(old, ignore_errors=True)
    return folder


def _cache_root() -> Path:
    """:data:`CACHE_ROOT`, made private (0700) to this user; a folder someone else made or a symlink there is
    never used (a shared /tmp): a fresh private temp folder is used instead."""
    global CACHE_ROOT
    try:
        CACHE_ROOT.mkdir(parents=True, exist_ok=True, mode=0o700)
        st_ = CACHE_ROOT.lstat()
        if CACHE_ROOT.is_symlink() or st_.st_uid != os.getuid() or st_.st_mode & 0o077:
            raise PermissionError(str(CACHE_ROOT))
    except OSError:
        CACHE_ROOT = Path(tempfile.mkdtemp(prefix="flankmap-cache-"))
    return CACHE_ROOT


def _prune(folder: Path) -> None:
    """Keep the newest :data:`MAX_CACHED_FILES` files: a bounded disk whatever views readers ask for."""
    made = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in made[MAX_CACHED_FILES:]:
        old.unlink(missing_ok=True)


@st.cache_data(show_spinner=False)
def withdrawal_year(version: str) -> tuple[str, str]:
    from flankmap.render import animation

    start, end = animation.withdrawal_year()
    return start.isoformat(), end.isoformat()


# --- Briefings (issue 19): a slide's preview and the deck exports, keyed on the document's JSON text. ---
@st.cache_data(show_spinner=False, max_entries=64)
def deck_slide_png(doc_json: str, index: int, version: str) -> bytes:
    from flankmap.render import deck
    from flankmap.view import briefing

    b = briefing.parse(doc_json)
    return deck.slide_png(b, b.slides[index])


@st.cache_data(show_spinner=False, max_entries=6)
def deck_export(doc_json: str, fmt: str, version: str) -> bytes:
    from flankmap.render import deck
    from flankmap.view import briefing

    return deck.export(briefing.parse(doc_json), fmt)


@st.cache_resource(show_spinner=False)
def click_map_geo(version: str) -> tuple[dict, dict]:
    """The countries and border segments GeoJSON for the Briefing page's click map (read once, not copied)."""
    import json

    geo = DATA_DIR / load.GEO_DIR_NAME
    return (
        json.loads((geo / "countries.geojson").read_text(encoding="utf-8")),
        json.loads((geo / "border_segments.geojson").read_text(encoding="utf-8")),
    )
