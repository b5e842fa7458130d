"""Presentation view (``?view=briefing``) and the PNG/SVG/PDF download buttons of the map page.

The presentation view is a fixed 16:9 frame designed for 1920x1080 (a projector or a full-screen browser):
no Streamlit header, toolbar, sidebar or widgets; the map fills the frame with its in-map title, date,
legend, labels, scale bar, source line and attribution (see ``static/flankmap/flankmap.js``), enlarged for
a room; a footer carries the short permalink and the generation date. Exports come from the core
(``flankmap.briefing``) through ``ui.cache.briefing_image``, so they match the current state exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape

import folium
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

from flankmap import files, mapview, urlstate
from flankmap.urlstate import ViewState
from ui import cache

FRAME_W, FRAME_H = 1920, 1080
FOOTER_PX = 46
MAP_HEIGHT = FRAME_H - FOOTER_PX - 14  # st_folium adds a few pixels around its iframe

# Hide every piece of Streamlit chrome and padding: only the frame is left.
CHROME_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="collapsedControl"], [data-testid="stSidebarNav"], footer, #MainMenu { display: none !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"], .stApp { background: #ffffff; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0 !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0 !important; }
.element-container:has(> .stMarkdown style), [data-testid="stElementContainer"]:has(style) { display: none; }
.flankmap-briefing-footer { height: 46px; box-sizing: border-box; padding: 8px 18px; display: flex;
  gap: 28px; align-items: center; font: 17px/1.3 "DejaVu Sans", Arial, sans-serif; color: #111;
  background: #ffffff; border-top: 1px solid #8a8a8a; white-space: nowrap; overflow: hidden; }
.flankmap-briefing-footer .link { font-weight: 700; }
.flankmap-briefing-footer a { color: #0b4f7c; }
</style>
"""

# Inside the map's iframe (its header is written once, when the iframe is created): text sized for a room.
MAP_CSS = """
<style>
.flankmap-title { font-size: 30px !important; padding: 10px 14px !important; }
.flankmap-title .sub { font-size: 18px !important; }
.flankmap-legend { font-size: 17px !important; line-height: 1.55 !important; max-width: 420px !important; }
.flankmap-legend .sw { width: 26px !important; height: 16px !important; }
.flankmap-legend .ln { width: 30px !important; }
.flankmap-source { font-size: 14px !important; max-width: 560px !important; }
.flankmap-label { font-size: 19px !important; }
.flankmap-label.gap { font-size: 17px !important; background: rgba(255,255,255,0.9); border: 2px solid #7a0177;
  border-radius: 4px; padding: 3px 8px; text-shadow: none;
  margin-left: -170px !important; margin-top: 44px !important; }
.flankmap-label.gap span { font-weight: 600 !important; }
.flankmap-label.flag { font-size: 14px !important; }
.leaflet-control-attribution { font-size: 14px !important; background: rgba(255,255,255,0.92) !important; }
.leaflet-control-scale-line { font-size: 15px !important; border-width: 3px !important;
  display: flex; justify-content: flex-end; white-space: nowrap; }  /* a label wider than the bar overflows left */
</style>
"""


class _FitFrame(MacroElement):
    """After ``Flankmap.init``: fractional zoom, so the framed area fills the 16:9 frame (not a whole zoom step
    smaller), with room kept for the title box at the top left."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.options.zoomSnap = 0.1;"
        "{{ this._parent.get_name() }}.fitBounds({{ this.bounds }}, {paddingTopLeft: [20, 110], "
        "paddingBottomRight: [20, 80]});"
        "{% endmacro %}"
    )

    def __init__(self, bounds):
        super().__init__()
        self._name = "FlankmapFitFrame"
        self.bounds = mapview.script_json(bounds)


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
    base = mapview.base_map(cache.base_config(view.area, cache.data_version()))
    base.get_root().header.add_child(folium.Element(MAP_CSS))
    _FitFrame(urlstate.area(view.area).bounds).add_to(base)
    st_folium(
        base,
        key="map",
        feature_group_to_add=mapview.payload_group(payload),
        returned_objects=[],
        height=MAP_HEIGHT,
        use_container_width=True,
    )
    link = permalink(view)
    exit_link = urlstate.permalink(dataclasses.replace(view, view="map", notes=()))
    changes = ""
    if payload.get("changes"):
        changes = f"<span>Changed since {escape(str(view.compare_day))}: {len(payload['changes'])}</span>"
    st.markdown(
        f"<div class='flankmap-briefing-footer' data-testid='flankmap-briefing-footer'>"
        f"<span class='link'>Permalink: {escape(_short(link))}</span>{changes}"
        f"<span>Generated {dt.date.today().isoformat()} · Flankmap</span>"
        f"<a href='{escape(exit_link)}' target='_self'>Exit presentation</a></div>",
        unsafe_allow_html=True,
    )


def _file_name(view: ViewState, fmt: str) -> str:
    return files.output_name(view.day, fmt, view.fill, view.compare_day if view.fill == "status" else None)


def export_buttons(view: ViewState) -> None:
    """PNG, SVG and PDF of exactly the current state (date, layers, fill, year, compare date, frame).

    The image is made when a button is clicked (deferred callable), from a cached core render.
    """
    version = cache.data_version()
    link = permalink(view)
    today = dt.date.today().isoformat()
    compare_iso = view.compare_day.isoformat() if view.compare_day and view.fill == "status" else None
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
            use_container_width=True,
        )
    cols[-1].link_button(
        "Presentation view",
        permalink(view, "briefing"),
        icon=":material/slideshow:",
        use_container_width=True,
        help="Full-screen 16:9 frame without controls, for a projector",
    )
