"""The Leaflet map: a stable base map and a small per-date payload.

The base map (:func:`base_map`) carries no geometry and no date: it loads the vendored Leaflet and
``static/flankmap/flankmap.js``, which fetch the country and border GeoJSON once from the app's own
static route. Everything that depends on the date, the fill or the layers is in :func:`map_payload`,
a few kilobytes that :func:`payload_group` wraps in a ``folium.FeatureGroup`` for streamlit-folium's
``feature_group_to_add``: the component keeps its identity (same script), so pan/zoom survive, nothing
blanks, and a step sends kilobytes. Tooltip and legend text is HTML-escaped here.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import NamedTuple

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Environment, FileSystemLoader, Template

from flankmap import borders, load, schemas, spending, textalt, treaty, urlstate
from flankmap import symbology as sym
from flankmap.load import DATA_DIR

STATIC_PREFIX = "/app/static"
LEAFLET_JS = f"{STATIC_PREFIX}/vendor/leaflet-1.9.3/leaflet.js"
LEAFLET_CSS = f"{STATIC_PREFIX}/vendor/leaflet-1.9.3/leaflet.css"
FLANKMAP_JS = f"{STATIC_PREFIX}/flankmap/flankmap.js"
FLANKMAP_CSS = f"{STATIC_PREFIX}/flankmap/flankmap.css"
COUNTRIES_URL = f"{STATIC_PREFIX}/geo/countries.geojson"
BORDERS_URL = f"{STATIC_PREFIX}/geo/border_segments.geojson"
STATIC_CONFIG_URL = f"{STATIC_PREFIX}/geo/map_static.json"
RUNTIME_JS = f"{STATIC_PREFIX}/flankmap/runtime.js"  # the lookups shared with the one-file export


def timeline_file(fill: str) -> str:
    """Name of the published whole-timeline file of a fill under static/geo/ (scripts/publish_static.py)."""
    return f"timeline_{fill}.json"


ATTRIBUTION = sym.ATTRIBUTION
OSM_CREDIT = sym.OSM_CREDIT
STATUS_SOURCE = sym.STATUS_SOURCE
SPENDING_SOURCE = sym.SPENDING_SOURCE
long_date = sym.long_date

# Names kept for callers; the values live in flankmap.symbology.
STATUS_COLOURS = sym.STATUS_COLOURS
NO_DATA_COLOUR = sym.NO_DATA_COLOUR
SPEND_BREAKS = sym.SPEND_BREAKS
SPEND_COLOURS = sym.SPEND_COLOURS
SPEND_LABELS = sym.SPEND_LABELS
NO_FORCES_COLOUR = sym.NO_FORCES_COLOUR
SPEND_FILLS = sym.SPEND_FILLS
AREA_BOUNDS = {name: area.bounds for name, area in urlstate.AREAS.items()}

# Templates are part of the code, not data: loaded once (no per-render stat of the file).
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True, auto_reload=False
)


# --------------------------------------------------------------------------------------------------------------
# Leaflet adapter over flankmap.symbology: CSS px are Leaflet's unit, so widths pass through unchanged.
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


def swatch_css(entry: sym.LegendEntry) -> str:
    """Inline CSS of a legend swatch (``patch``) or line sample (``line``), from the entry's style."""
    s = entry.style
    kind = "dashed" if s.dash else "solid"
    if entry.kind == "line":
        return f"border-top:{s.width:g}px {kind} {s.edge}"
    if s.hatch:
        background = f"repeating-linear-gradient(45deg,{s.hatch.background} 0 4px,{s.hatch.stripe} 4px 6px)"
    else:
        background = s.fill
    return f"background:{background};border:{min(s.width, 3):g}px {kind} {s.edge}"


_TOOLTIP = _TEMPLATES.get_template("tooltip.html").module.tooltip


def legend_html(entries: list[sym.LegendEntry]) -> str:
    """The legend model as HTML (Jinja template, autoescaped)."""
    return _TEMPLATES.get_template("legend.html").render(entries=entries, css=swatch_css)


def title_html(heading: sym.Heading) -> str:
    """A title and its subtitle lines as HTML (autoescaped)."""
    return _TEMPLATES.get_template("title.html").render(heading=heading)


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


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def _km(value) -> str:
    return "n/a" if _missing(value) else f"{value:,.1f} km"


def border_tooltips(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Hover text per segment id: name, computed and official length with its source (escaped HTML)."""
    table = borders.segments_table(data_dir)
    tips = {}
    for row in table.itertuples():
        official = "no official figure in the sources"
        if not _missing(row.official_length_km):
            official = f"{row.official_length_km:,.1f} km ({escape(str(row.official_source or ''))})"
        tips[row.segment_id] = (
            f"<b>{escape(row.name)}</b><br>computed along the line: {_km(row.length_km)}"
            f"<br>official: {official}"
            + (f"<br><i>{escape(str(row.official_note))}</i>" if not _missing(row.official_note) else "")
        )
    return tips


def map_labels(data_dir: Path = DATA_DIR) -> list[dict]:
    """Permanent labels: Belarus, Kaliningrad, the Suwałki Gap (with its two distances), Ukraine's flag."""
    title, parts = sym.suwalki_label(*borders.suwalki_lengths(data_dir))
    detail = f"<br><span style='font-weight:400'>{escape(', '.join(parts))}</span>" if parts else ""
    return [
        {"lat": 52.75, "lon": 26.9, "html": "BELARUS"},
        # In the sea north-west of the oblast, ending at the point (class "kal"): written on the oblast it sat
        # across the Lithuanian and Polish border lines at the default zoom.
        {
            "lat": 55.3,
            "lon": 19.85,
            "cls": "kal",
            "html": "<span class='at'>KALININGRAD<br><span style='font-weight:400'>(Russia)</span></span>",
        },
        {"lat": 53.75, "lon": 19.7, "cls": "gap", "html": escape(title) + detail},
    ]


def static_config(data_dir: Path = DATA_DIR) -> dict:
    """What the map needs once per session besides geometry: border styles and hover text, labels,
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
        "border_tooltips": border_tooltips(data_dir),
        "labels": map_labels(data_dir),
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
        "timeline_urls": {fill: f"{STATIC_PREFIX}/geo/{timeline_file(fill)}{tag}" for fill in urlstate.FILLS},
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


class _Line(NamedTuple):
    """One tooltip line: ``kind`` picks the markup (b, i, small, status, plain); ``text`` is plain text."""

    kind: str
    text: str
    day: str = ""


def _tooltip_lines(row: dict, timeline: treaty.Timeline | None, day: dt.date) -> list[_Line]:
    """The treaty part of a tooltip as (kind, text) lines; text is plain (the template escapes)."""
    lines = [_Line("b", row["name"]), _Line("status", row["status_label"], long_date(day))]
    if not _missing(row["flag"]):
        lines.append(_Line("", f"{sym.FLAG_SYMBOL} {row['flag']} (contested: not a withdrawal)"))
    if not _missing(row["entry_into_force_date"]):
        lines.append(_Line("", f"In force for it since {row['entry_into_force_date']}"))
    stage = None if _missing(row["withdrawal_stage"]) else row["withdrawal_stage"]
    if timeline is not None and (stage or row["status_code"] == "withdrawn"):
        lines.extend(_withdrawal_lines(row, timeline, day, stage))
    if not _missing(row.get("note")):
        lines.append(_Line("i", row["note"]))
    return lines


def _withdrawal_lines(row: dict, timeline: treaty.Timeline, day: dt.date, stage: str | None) -> list[_Line]:
    lines = []
    p = timeline.parliament
    if p and p["event_date"] <= day:
        tally = f" ({timeline_tally(p)})" if not _missing(p.get("vote_for")) else ""
        lines.append(_Line("", f"Parliament vote: {p['event_date']}{tally}"))
    for column, text in (
        ("withdrawal_deposit_date", "Withdrawal deposited with the UN: {}"),
        ("effective_date", "Withdrawal effective: {}"),
    ):
        if not _missing(row[column]):
            lines.append(_Line("", text.format(row[column])))
    if not _missing(row["days_until_effective"]):
        lines.append(_Line("b", f"{int(row['days_until_effective'])} days until effective"))
    if stage:
        lines.append(_Line("", f"Stage: {treaty.STAGE_LABELS[stage]}"))
    return lines


def timeline_tally(vote: dict) -> str:
    """'for–against–abstain' of a parliament vote, '?' for a missing figure."""
    return "–".join(_n(vote.get(k)) for k in ("vote_for", "vote_against", "vote_abstain"))


def _country_tooltip(row: dict, spend: dict | None, timeline: treaty.Timeline | None, day: dt.date) -> str:
    """Tooltip HTML for one country on one day; every data field escaped by the template."""
    lines = _tooltip_lines(row, timeline, day)
    if spend and spend.get("reason"):
        lines.append(_Line("", f"Defence spending {spend['year']} ({spend['label']}): no figure, {spend['reason']}"))
    elif spend:
        est = ", estimate" if spend.get("is_estimate") else ""
        # the short series name: "% of GDP" is already said (keeps a step's payload under 20 KB)
        series = spending.SHORT_LABELS.get(spend["series"], spend["series"])
        lines.append(_Line("", f"Defence spending: {spend['value']:.2f}% of GDP ({spend['year']}, {series}{est})"))
    if not _missing(row["source_title"]):
        uncertain = " (date uncertain: sources differ)" if row.get("source_confidence") == "uncertain" else ""
        lines.append(_Line("small", f"Source of status: {row['source_title']}{uncertain}"))
    return str(_TOOLTIP(lines))


@lru_cache(maxsize=8)
def _notes(data_dir: str, version: str) -> dict[str, str]:
    table = load.table(schemas.COUNTRIES, Path(data_dir))
    return {iso3: note for iso3, note in zip(table["iso3"], table["treaty_note"], strict=True) if note}


@lru_cache(maxsize=64)
def _latest_spending(data_dir: str, year: int, version: str) -> dict[str, dict | None]:
    """Latest actual spending per ISO3 up to ``year``; memoised because every date step needs it."""
    return spending.latest_pct_gdp_all(on_or_before_year=year, data_dir=Path(data_dir))


def _spend_class(value: float) -> int:
    return sym.spend_class(value)


def _n(value) -> str:
    return "?" if _missing(value) else str(value)


# Where a country's flag note is written on the map (lat, lon): inside the country, clear of other labels.
FLAG_LABEL_AT = {"UKR": (50.25, 25.0)}


def _flag_markers(records: list[dict], fill: str) -> list[dict]:
    if fill != "status":
        return []
    template = _TEMPLATES.get_template("flag.html")
    return [
        {
            "lat": FLAG_LABEL_AT[row["iso3"]][0],
            "lon": FLAG_LABEL_AT[row["iso3"]][1],
            "html": template.render(symbol=sym.FLAG_SYMBOL, name=row["name"], parts=str(row["flag"]).split(" since ")),
        }
        for row in records
        if not _missing(row["flag"]) and row["iso3"] in FLAG_LABEL_AT
    ]


def country_styles(
    records: list[dict], fill: str, figures: dict[str, dict], reasons: dict[str, dict], changed: set[str]
) -> dict[str, sym.Style]:
    """The symbology style of every country record on this view (the export builds the same)."""
    out = {}
    for row in records:
        rec = figures.get(row["iso3"])
        out[row["iso3"]] = sym.country_style(
            fill,
            status_code=row["status_code"],
            flagged=not _missing(row["flag"]),
            changed=row["iso3"] in changed,
            spend_value=float(rec["value"]) if rec else None,
            spend_reason=reasons.get(row["iso3"], {}).get("reason_code"),
        )
    return out


def _dedupe(styles: dict[str, dict]) -> tuple[list[dict], dict[str, int]]:
    """Many countries share a style: each distinct style once, and an index per country."""
    style_list, index, out = [], {}, {}
    for iso3, style in styles.items():
        key = json.dumps(style, sort_keys=True)
        if key not in index:
            index[key] = len(style_list)
            style_list.append(style)
        out[iso3] = index[key]
    return style_list, out


def map_payload(
    day: dt.date,
    layers: tuple[str, ...] = ("borders", "labels"),
    fill: str = "status",
    spend_year: int | None = None,
    data_dir: Path = DATA_DIR,
    iso3s: list[str] | None = None,
    compare_day: dt.date | None = None,
) -> dict:
    """Everything that depends on the date and the chosen layers, for :func:`payload_group`.

    Returns a JSON-ready dict: ``styles`` and ``tooltips`` per ISO3 (the drawn countries unless ``iso3s`` is
    given), title/legend/source HTML, layer switches, and the list of changes when ``compare_day`` is set.
    """
    view = urlstate.ViewState(day=day, layers=tuple(layers), fill=fill, spend_year=spend_year, compare_day=compare_day)
    view = view.normalised()
    # Only what is drawn (keeps a step's payload small), and only countries the treaty data has: a drawn country
    # without rows (the Holy See for now) gets the "_default" no-data style, never a made-up "not a party".
    if not iso3s:
        known = load.known_iso3(data_dir)
        iso3s = [iso3 for iso3 in load.drawn_iso3s(data_dir) if iso3 in known]
    where, version = load.cache_key(data_dir)
    records = treaty.status_records(day, iso3s=iso3s, data_dir=data_dir)
    notes = _notes(where, version)
    tl = treaty.timelines(data_dir)
    series, year, figures, reasons = spending.fill_view(fill, day, view.spend_year, iso3s, data_dir)
    latest_by_iso3 = _latest_spending(where, day.year, version)
    if fill in sym.SPEND_FILLS:  # the tooltip names the figure (or the reason for none) of the fill's series
        label = spending.SHORT_LABELS[series]
        latest_by_iso3 = {
            **{i: {**rec, "year": year} for i, rec in figures.items()},
            **{i: {"year": year, "label": label, "reason": why["reason"]} for i, why in reasons.items()},
        }
    changes, changed = [], set()
    if view.compare_day is not None:
        table = treaty.changes_between(view.compare_day, day, iso3s=iso3s, data_dir=data_dir)
        changes, changed = table["text"].tolist(), set(table["iso3"])
    styles = country_styles(records, fill, figures, reasons, changed)
    counts, tooltips, text_rows = {}, {}, []
    for row in records:
        row["note"] = notes.get(row["iso3"])
        counts[row["status_code"]] = counts.get(row["status_code"], 0) + 1
        tooltips[row["iso3"]] = _country_tooltip(row, latest_by_iso3.get(row["iso3"]), tl.get(row["iso3"]), day)
        if row["iso3"] in changed:
            tooltips[row["iso3"]] += f"<br><b>Changed since {view.compare_day}</b>"
        # The text alternative's row comes from the same record, spending figure and tooltip as the fill.
        text_rows.append(
            textalt.table_row(
                row,
                figures.get(row["iso3"]),
                fill,
                tooltips[row["iso3"]],
                (reasons.get(row["iso3"]) or {}).get("reason"),
            )
        )
    leaflet = {r["iso3"]: leaflet_path(styles[r["iso3"]], status=r["status_code"]) for r in records}
    leaflet["_default"] = leaflet_path(sym.NO_DATA_STYLE)
    tooltips["_default"] = "No treaty data"
    style_list, index = _dedupe(leaflet)
    series_note = spending.fill_legend_label(series, year, data_dir) if fill in sym.SPEND_FILLS else None
    legend_view = legend_view_for(view, records, counts, year, series_note)
    count = treaty.states_parties_text(day, data_dir)
    head = sym.heading(
        fill,
        day,
        count_text=count,
        year=year,
        compare_day=view.compare_day,
        year_chosen=bool(view.spend_year),
        warning=treaty.checked_through_note(day, data_dir),
    )
    return {
        "date": day.isoformat(),
        "fill": fill,
        "style_list": style_list,
        "styles": index,
        "tooltips": tooltips,
        "flags": _flag_markers(records, fill),
        "show_borders": "borders" in layers,
        "show_labels": "labels" in layers,
        "title_html": title_html(head),
        "legend_html": legend_html(sym.legend(legend_view)),
        "source_html": escape(sym.source_line(fill, treaty.checked_through(data_dir))),
        "changes": changes,
        "frame_title": textalt.frame_title(fill, day, year),
        # The text alternative (not sent to the browser, see payload_group): the rows styled above.
        "table": text_rows,
        "summary": textalt.summary(day, text_rows, counts, count),
        "spend_year": year if fill in sym.SPEND_FILLS else None,
    }


def step_payload(view: urlstate.ViewState) -> dict:
    """A date step of the app's map without compare mode: only the view (well under 1 KB): date, fill,
    ``year`` (the chosen spending year; None follows the date) and layers.

    The browser looks the day up in the session's timeline (``static/geo/timeline_<fill>.json``, made by
    :func:`flankmap.htmlexport.app_timeline` from the same status function as :func:`map_payload`).
    """
    view = view.normalised()
    return {
        "date": view.day.isoformat(),
        "fill": view.fill,
        "year": view.spend_year if view.fill in sym.SPEND_FILLS else None,  # the chosen spending year, if any
        "layers": {name: name in view.layers for name in urlstate.LAYERS},
    }


def legend_view_for(
    view: urlstate.ViewState, records: list[dict], counts: dict, year: int, series_note: str | None = None
) -> sym.LegendView:
    """The legend inputs of a view: fill, layers, status counts, spending year and series, compare day, flags."""
    flags = tuple((r["name"], str(r["flag"])) for r in records if not _missing(r["flag"]))
    return sym.LegendView(
        fill=view.fill,
        layers=view.layers,
        counts=counts,
        year=year,
        compare_day=view.compare_day,
        flags=flags if view.fill == "status" else (),
        series_note=series_note,
    )


# Payload parts the page shows beside the map (the text alternative); the map runtime does not need them.
PAGE_ONLY_KEYS = ("table", "summary", "spend_year")


def payload_group(payload: dict) -> folium.FeatureGroup:
    """Wrap a payload for ``st_folium(feature_group_to_add=...)``: an empty group whose script restyles."""
    group = folium.FeatureGroup(name="flankmap-date", control=False)
    sent = {k: v for k, v in payload.items() if k not in PAGE_ONLY_KEYS}
    _Script(f"Flankmap.apply({script_json(sent)});").add_to(group)
    return group
