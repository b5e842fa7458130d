"""Presentation view (``?view=briefing``) and the PNG/SVG/PDF download buttons of the map page.

The presentation view is a fixed 16:9 frame designed for 1920x1080 (a projector or a full-screen browser):
no Streamlit header, toolbar, sidebar or widgets; the map fills the frame with its in-map title, date,
legend, labels, scale bar, source line and attribution (see ``static/flankmap/flankmap.js``), enlarged for
a room; a footer carries the short permalink and the generation date. Exports come from the core
(``flankmap.render.static_export``) through ``ui.cache.briefing_image``, so they match the current state exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape
from pathlib import Path

import folium
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

from flankmap.render import files, leaflet
from flankmap.view import urlstate
from flankmap.view.urlstate import ViewState
from ui import cache

STATIC = Path(__file__).resolve().parents[1] / "static" / "flankmap"


def _css(name: str) -> str:
    """A stylesheet from static/flankmap/ as a <style> block (front-end code lives in static/, not in Python)."""
    return f"<style>\n{(STATIC / name).read_text(encoding='utf-8')}</style>"


FRAME_W, FRAME_H = 1920, 1080
FOOTER_PX = 46
MAP_HEIGHT = FRAME_H - FOOTER_PX - 14  # st_folium adds a few pixels around its iframe

CHROME_CSS = _css("presentation.css")  # every piece of Streamlit chrome hidden: only the frame is left

MAP_CSS = _css("presentation_map.css")  # inside the map's iframe: text sized for a room


class _FitFrame(MacroElement):
    """After ``Flankmap.init``: fractional zoom, so the framed area fills the 16:9 frame (not a whole zoom step
    smaller), with room kept for the title box at the top left."""

    _template = Template(
        "{% macro script(this, kwargs) %}Flankmap.fitFrame({{ this._parent.get_name() }}, {{ this.bounds }});"
        "{% endmacro %}"
    )

    def __init__(self, bounds):
        super().__init__()
        self._name = "FlankmapFitFrame"
        self.bounds = leaflet.script_json(bounds)


def permalink(view: ViewState, mode: str = "map") -> str:
    """A link reproducing ``view`` on this server (``mode`` 'map' for the interactive map, 'briefing')."""
    base = ""
    try:
        base = (st.context.url or "").split("?")[0]
        if base and "/" not in base.split("://", 1)[-1]:
            base += "/"
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode): a relative link still works
        base = ""
    return urlstate.permalink(dataclasses.replace(view, view=mode, notes=()), base)


def _short(link: str) -> str:
    """The link as printed: scheme dropped, so it fits a footer and can be typed."""
    return link.split("://", 1)[-1]


def render(view: ViewState, payload: dict) -> None:
    """Draw the presentation view: chrome hidden, the map filling a 16:9 frame, permalink in the footer."""
    st.markdown(CHROME_CSS, unsafe_allow_html=True)
    base = leaflet.base_map(cache.base_config(view.area, cache.data_version()))
    base.get_root().header.add_child(folium.Element(MAP_CSS))
    _FitFrame(urlstate.area(view.area).bounds).add_to(base)
    st_folium(
        base,
        key="map",
        feature_group_to_add=leaflet.payload_group(payload),
        returned_objects=[],
        height=MAP_HEIGHT,
        use_container_width=True,
    )
    link = permalink(view)
    exit_link = urlstate.permalink(dataclasses.replace(view, view="map", notes=()))
    changes = ""
    if payload.get("compare"):
        n = len(payload["compare"]["changed"])
        changes = f"<span>Changed since {escape(str(view.compare_day))}: {n}</span>"
    st.markdown(
        f"<div class='flankmap-briefing-footer' data-testid='flankmap-briefing-footer'>"
        f"<span class='link'>Permalink: {escape(_short(link))}</span>{changes}"
        f"<span>Generated {dt.date.today().isoformat()} · Flankmap</span>"
        f"<a href='{escape(exit_link)}' target='_self'>Exit presentation</a></div>",
        unsafe_allow_html=True,
    )


def _file_name(view: ViewState, fmt: str) -> str:
    return files.output_name(view.day, fmt, view.fill, view.normalised().compare_day, view.treaty)


def export_buttons(view: ViewState, annotations: tuple = ()) -> None:
    """PNG, SVG and PDF of exactly the current state (date, layers, fill, year, compare date, frame), with a
    briefing slide's ``annotations`` valid on the day (the offline HTML carries them all, shown in their ranges).

    The image is made when a button is clicked (deferred callable), from a cached core render.
    """
    version = cache.data_version()
    link = permalink(view)
    today = dt.date.today().isoformat()
    compare = view.normalised().compare_day
    compare_iso = compare.isoformat() if compare else None
    args = (
        view.day.isoformat(),
        tuple(view.layers),
        view.fill,
        view.spend_year,
        compare_iso,
        view.area,
        link,
        today,
        version,
        view.treaty,
        _notes_json(annotations),
    )
    labels = {"png": "PNG 1920×1080 (slides)", "svg": "SVG (editable)", "pdf": "PDF (A4 landscape)"}
    st.markdown("**Export this view** · title, legend, sources, attribution and permalink included")
    cols = st.columns(len(files.FORMATS) + 1)
    for col, fmt in zip(cols, files.FORMATS, strict=False):
        col.download_button(
            labels[fmt],
            data=lambda fmt=fmt: cache.briefing_image(fmt, *args),
            file_name=_file_name(view, fmt),
            mime=files.MIME_TYPES[fmt],
            key=f"fm_export_{fmt}",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
    _html_button(
        view, cols[-1], link, today, version, _notes_json(annotations)
    )  # beside the images: the same view, every day
    if cache.exports_in_progress():
        st.caption(
            "Exports are being made on this server right now: a download you ask for waits its turn "
            "(its button shows a spinner); one export is made at a time.",
            help="Exports are made one at a time per server process, so they cannot exhaust its memory.",
        )
    cols = st.columns(len(files.FORMATS) + 1)
    _animation_button(view, cols[0], today, version)
    cols[1].link_button(
        "Presentation view",
        permalink(view, "briefing"),
        icon=":material/slideshow:",
        width="stretch",
        help="Full-screen 16:9 frame without controls, for a projector",
    )


def _notes_json(annotations) -> str:
    """Annotations as a cache key (JSON text; empty for none)."""
    import json

    return json.dumps([a.to_json() for a in annotations], sort_keys=True) if annotations else ""


def _html_button(view: ViewState, col, link: str, today: str, version: str, notes_json: str = "") -> None:
    """The one-file interactive map of this view: every day, offline (``flankmap.render.html_file``)."""
    from flankmap.render import html_file

    col.download_button(
        "Interactive map (HTML, works offline)",
        data=lambda: cache.interactive_html(
            view.day.isoformat(),
            tuple(view.layers),
            view.fill,
            view.spend_year,
            view.area,
            link,
            today,
            version,
            view.treaty,
            notes_json,
        ),
        file_name=html_file.output_name(view.fill, view.treaty),
        mime=html_file.MIME_TYPE,
        key="fm_export_html",
        on_click="ignore",
        icon=":material/download:",
        use_container_width=True,
        help="One file with the whole timeline: slider, key dates, play. Opens in a browser without a network.",
    )


def _animation_button(view: ViewState, col, today: str, version: str) -> None:
    """The withdrawal year (2025-03 to 2026-03 in the data) of this view as a GIF, a briefing frame a step."""
    from flankmap.render import animation

    start, end = cache.withdrawal_year(version)
    base = permalink(view).split("?")[0]
    col.download_button(
        f"Withdrawal year (GIF, {start[:7]} to {end[:7]})",
        data=lambda: cache.animation_file(
            "gif",
            start,
            end,
            tuple(view.layers),
            view.fill,
            view.spend_year,
            view.area,
            base,
            today,
            version,
            view.treaty,
        ).read_bytes(),
        file_name=animation.output_name(
            dt.date.fromisoformat(start), dt.date.fromisoformat(end), "gif", view.fill, view.treaty
        ),
        mime=animation.MIME_TYPES["gif"],
        key="fm_export_gif",
        on_click="ignore",
        icon=":material/animation:",
        use_container_width=True,
        help="1280×720, a frame a week and one for each key date (held longer); made on the first click for this "
        "view (under a minute, one export at a time on this server), then served at once",
    )
