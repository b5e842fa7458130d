"""The Leaflet map: a stable base map and a small view payload.

The base map (:func:`base_map`) carries no geometry and no date: it loads the vendored Leaflet and
``static/flankmap/flankmap.js``, which fetch the country and border GeoJSON once from the app's own
static route, and the fill's whole timeline (the view model, :mod:`flankmap.view.model`) once per session.
A page run sends only the view (:func:`step_payload`, well under 1 KB), which :func:`payload_group` wraps
in a ``folium.FeatureGroup`` for streamlit-folium's ``feature_group_to_add``: the component keeps its
identity (same script), so pan/zoom survive and nothing blanks. On the map page the day itself moves in the
browser (the timeline control beside the map calls the runtime directly); the server sends a view when the
date has settled or another part of the view changed. The border hover texts and fixed labels sent
once per session (:func:`static_config`) are HTML-escaped here.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import folium
from branca.element import MacroElement
from jinja2 import Template

from flankmap.data.load import DATA_DIR
from flankmap.domain import borders
from flankmap.view import labels, urlstate
from flankmap.view import symbology as sym

STATIC_PREFIX = "/app/static"
LEAFLET_JS = f"{STATIC_PREFIX}/vendor/leaflet-1.9.3/leaflet.js"
LEAFLET_CSS = f"{STATIC_PREFIX}/vendor/leaflet-1.9.3/leaflet.css"
FLANKMAP_JS = f"{STATIC_PREFIX}/flankmap/flankmap.js"
FLANKMAP_CSS = f"{STATIC_PREFIX}/flankmap/flankmap.css"
COUNTRIES_URL = f"{STATIC_PREFIX}/geo/countries.geojson"
BORDERS_URL = f"{STATIC_PREFIX}/geo/border_segments.geojson"
STATIC_CONFIG_URL = f"{STATIC_PREFIX}/geo/map_static.json"
RUNTIME_JS = f"{STATIC_PREFIX}/flankmap/runtime.js"  # the lookups shared with the one-file export


def timeline_key(fill: str, treaty: str = urlstate.DEFAULT_TREATY) -> str:
    """The key of a (treaty, fill) timeline in the map's config and step payload: the fill for the Ottawa
    Convention (as before), ``<treaty>_<fill>`` for another treaty (``ccm_status``).
    """
    return fill if treaty == urlstate.DEFAULT_TREATY else f"{treaty}_{fill}"


def timeline_file(fill: str, treaty: str = urlstate.DEFAULT_TREATY) -> str:
    """Name of the published whole-timeline file of a treaty's fill under static/geo/ (scripts/publish_static.py):
    ``timeline_<fill>.json`` (Ottawa), ``timeline_ccm_<fill>.json`` (the CCM).
    """
    return f"timeline_{timeline_key(fill, treaty)}.json"


ATTRIBUTION = sym.ATTRIBUTION
OSM_CREDIT = sym.OSM_CREDIT
STATUS_SOURCE = sym.STATUS_SOURCE
SPENDING_SOURCE = sym.SPENDING_SOURCE
long_date = sym.long_date

AREA_BOUNDS = {name: area.bounds for name, area in urlstate.AREAS.items()}


# --------------------------------------------------------------------------------------------------------------
# Leaflet adapter over flankmap.view.symbology: CSS px are Leaflet's unit, so widths pass through unchanged.
# --------------------------------------------------------------------------------------------------------------
def _dash(dash: tuple[float, ...] | None) -> str | None:
    return " ".join(f"{d:g}" for d in dash) if dash else None


def leaflet_path(style: sym.Style, status: str | None = None) -> dict:
    """Leaflet path options of a country style (``dashArray`` always set, so a step clears an old dash)."""
    out = {
        "fillColor": f"url(#{style.hatch.id})" if style.hatch else style.fill,
        "color": style.edge,
        "weight": style.width,
        "dashArray": _dash(style.dash),
        "fillOpacity": style.fill_opacity,
    }
    if status is not None:
        out["status"] = status
    return out


def leaflet_line(style: sym.Style) -> dict:
    """Leaflet path options of a line style (border segments)."""
    out = {"color": style.edge, "weight": style.width, "opacity": style.opacity}
    if style.dash:
        out["dashArray"] = _dash(style.dash)
    return out


FOCUS_STYLES = {focus: leaflet_line(style) for focus, style in sym.BORDER_STYLE.items()}
HATCH_PENDING = {
    "id": sym.PENDING_HATCH.id,
    "background": sym.PENDING_HATCH.background,
    "stripe": sym.PENDING_HATCH.stripe,
}
CHANGED_OUTLINE = {"color": sym.CHANGED_OUTLINE.edge, "weight": sym.CHANGED_OUTLINE.width, "dashArray": None}
BASE_COUNTRY_STYLE = {
    k: v for k, v in leaflet_path(sym.NO_DATA_STYLE).items() if k != "dashArray"
}  # as in static/geo/map_static.json


class _Script(MacroElement):
    """A bit of JavaScript placed in the map script (no external assets)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str):
        super().__init__()
        self._name = "FlankmapScript"
        self.code = code


def static_config(data_dir: Path = DATA_DIR) -> dict:
    """What the map needs once per session besides geometry: border styles and hover text,
    patterns, attribution. ``scripts/publish_static.py`` writes it to ``static/geo/map_static.json`` (a data
    test keeps the file equal to this function), so it is fetched once instead of sent with every step.
    """
    table = borders.segments_table(data_dir)
    border_styles = {row.segment_id: leaflet_line(sym.border_style(row.focus)) for row in table.itertuples()}
    border_styles["_default"] = FOCUS_STYLES["other"]
    return {
        "attribution": escape(ATTRIBUTION),
        "base_country_style": BASE_COUNTRY_STYLE,
        "border_styles": border_styles,
        "border_tooltips": labels.border_tooltips(data_dir),
        "patterns": [HATCH_PENDING],
    }


def base_config(area: str = "baltic", version: str = "") -> dict:
    """The per-map config sent with the script: where the static config and the timelines live, the framing.

    ``version`` (the data version) goes into the timeline URLs, so a browser never keeps an old timeline.
    """
    tag = f"?v={version}" if version else ""
    return {
        "static_url": STATIC_CONFIG_URL,
        "countries_url": COUNTRIES_URL,
        "borders_url": BORDERS_URL,
        "timeline_urls": {
            timeline_key(fill, t): f"{STATIC_PREFIX}/geo/{timeline_file(fill, t)}{tag}"
            for t in urlstate.TREATIES
            for fill in urlstate.FILLS
        },
        "bounds": urlstate.area(area).bounds,
    }


def base_map(config: dict) -> folium.Map:
    """The stable part of the map, built from :func:`base_config`. No geometry and no dated content.

    Build a fresh one per render: streamlit-folium adds the payload group to the map it is given, so a
    reused map would carry the previous payload in its script and be re-mounted.
    """
    m = folium.Map(
        location=[55.5, 22.0],
        zoom_start=5,
        tiles=None,
        min_zoom=2,
        max_zoom=12,
        control_scale=False,
        zoom_control=True,
        zoom_snap=0.25,  # fitBounds fills the frame (a whole zoom step leaves up to half of it empty)
    )
    # Only local assets: one failed CDN script would blank the whole map offline.
    m.default_js = [("leaflet", LEAFLET_JS), ("flankmap_runtime", RUNTIME_JS), ("flankmap", FLANKMAP_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS), ("flankmap_css", FLANKMAP_CSS)]
    _Script(f"Flankmap.init({m.get_name()}, {script_json(config)});").add_to(m)
    return m


def script_json(value) -> str:
    """JSON that is safe inside an HTML ``<script>``: ``<``, ``>`` and ``&`` become unicode escapes.

    ``json.dumps`` leaves ``</script>`` as is, which would end the script element early (a data field
    could then inject markup). The escapes are still valid JSON and JavaScript string syntax.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def step_payload(view: urlstate.ViewState, changed: tuple[str, ...] = (), runs: dict | None = None) -> dict:
    """The view the app's map shows (well under 1 KB without compare mode): date, fill, ``year`` (the chosen
    spending year; None follows the date), layers and, in compare mode, ``compare``: the day compared with, the
    ISO3 codes whose status changed since on this date (outlined) and ``runs``, the days on which each country's
    status differs from the compare day (:func:`flankmap.view.model.changed_runs`), so the map outlines the right
    countries on every day a person scrubs to without asking the server.

    The browser looks the day up in the session's timeline (``static/geo/timeline_<fill>.json``, made by
    :func:`flankmap.view.publish.published_intervals`); :func:`flankmap.view.model.resolve` makes the same selection in
    Python for the text alternative and the static exports.
    """
    view = view.normalised()
    out = {
        "date": view.day.isoformat(),
        "fill": view.fill,
        "year": view.chosen_year,  # the chosen spending year, if any (None: the year follows the date)
        "layers": {name: name in view.layers for name in urlstate.LAYERS},
    }
    if view.treaty != urlstate.DEFAULT_TREATY:
        out["timeline"] = timeline_key(view.fill, view.treaty)  # Ottawa: the fill's timeline (as before)
    if view.compare_day is not None:
        out["compare"] = {"date": view.compare_day.isoformat(), "changed": list(changed)}
        if runs is not None:
            out["compare"]["runs"] = runs
    return out


def payload_group(payload: dict) -> folium.FeatureGroup:
    """Wrap a payload for ``st_folium(feature_group_to_add=...)``: an empty group whose script restyles."""
    group = folium.FeatureGroup(name="flankmap-date", control=False)
    _Script(f"Flankmap.apply({script_json(payload)});").add_to(group)
    return group
