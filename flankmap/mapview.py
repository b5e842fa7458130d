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

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from flankmap import borders, load, schemas, spending, textalt, treaty
from flankmap.load import DATA_DIR

STATIC_PREFIX = "/app/static"
LEAFLET_JS = f"{STATIC_PREFIX}/vendor/leaflet-1.9.3/leaflet.js"
LEAFLET_CSS = f"{STATIC_PREFIX}/vendor/leaflet-1.9.3/leaflet.css"
FLANKMAP_JS = f"{STATIC_PREFIX}/flankmap/flankmap.js"
FLANKMAP_CSS = f"{STATIC_PREFIX}/flankmap/flankmap.css"
COUNTRIES_URL = f"{STATIC_PREFIX}/geo/countries.geojson"
BORDERS_URL = f"{STATIC_PREFIX}/geo/border_segments.geojson"
STATIC_CONFIG_URL = f"{STATIC_PREFIX}/geo/map_static.json"

ATTRIBUTION = "© OpenStreetMap contributors (ODbL) · treaty data: Landmine Monitor, ICBL, UN · Flankmap"
# Source lines shared by the interactive map and the static briefing exports.
OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"
STATUS_SOURCE = (
    "Sources: Landmine Monitor, ICBL, ISU, UN depositary notices via national sources; withdrawal "
    "effective six months after UN receipt (Art. 20(3))."
)
SPENDING_SOURCE = (
    "Sources: NATO, Defence Expenditure of NATO Countries (2014-2025); SIPRI Military Expenditure "
    "Database 2025 (non-commercial use with citation)."
)

# Colour-blind-safe (Okabe-Ito based) and ordered in lightness so the classes survive greyscale print;
# "withdrawal pending" also gets a hatch and a dashed outline, "withdrawn" a heavy outline.
STATUS_COLOURS = {
    "state_party": "#1f5f8b",
    "joined_not_in_force": "#56b4e9",
    "signatory": "#cfe8f3",
    "withdrawal_pending": "#e69f00",
    "withdrawn": "#d55e00",
    "non_party": "#bdbdbd",
}
HATCH_PENDING = {"id": "flankmap-hatch-pending", "background": "#f6d48a", "stripe": "#b36b00"}
NO_DATA_COLOUR = "#e8e8e8"
# Spending classes break at the NATO marks: 2% (Wales 2014), 3.5% core and 5% total (The Hague 2025).
SPEND_BREAKS = (1.0, 2.0, 3.5, 5.0)
SPEND_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#2c7fb8", "#253494")
SPEND_LABELS = ("under 1%", "1–2%", "2–3.5%", "3.5–5%", "5% and more")

AREA_BOUNDS = {
    "baltic": [[48.0, 5.5], [62.5, 36.0]],
    "suwalki": [[53.55, 21.9], [54.75, 24.3]],
    "flank": [[44.0, 5.0], [71.5, 45.0]],
    "europe": [[44.0, 5.0], [72.0, 45.0]],
}
FOCUS_STYLES = {
    "suwalki": {"color": "#7a0177", "weight": 6, "opacity": 0.95},
    "belarus": {"color": "#111111", "weight": 3.5, "opacity": 0.9},
    "kaliningrad": {"color": "#111111", "weight": 3.5, "opacity": 0.9, "dashArray": "8 5"},
    "russia": {"color": "#333333", "weight": 2.5, "opacity": 0.85},
    "other": {"color": "#555555", "weight": 1.5, "opacity": 0.7},
}
BASE_COUNTRY_STYLE = {"color": "#ffffff", "weight": 0.8, "fillColor": NO_DATA_COLOUR, "fillOpacity": 0.9}


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
    facts = borders.suwalki_facts(data_dir).set_index("fact_code")
    labels = [
        {"lat": 52.75, "lon": 26.9, "html": "BELARUS"},
        {"lat": 54.95, "lon": 20.35, "html": "KALININGRAD<br><span style='font-weight:400'>(Russia)</span>"},
    ]
    along = _fact_value(facts, "border_length_sourced")
    straight = _fact_value(facts, "straight_distance_sourced")
    parts = [
        p
        for p in (
            f"{along:g} km along the border" if along else None,
            f"~{straight:g} km straight" if straight else None,
        )
        if p
    ]
    labels.append(
        {
            "lat": 53.75,
            "lon": 19.7,
            "cls": "gap",
            "html": "Suwałki Gap" + (f"<br><span style='font-weight:400'>{', '.join(parts)}</span>" if parts else ""),
        }
    )
    return labels


def _fact_value(facts, code: str) -> float | None:
    if code not in facts.index or _missing(facts.at[code, "value"]):
        return None
    return float(facts.at[code, "value"])


def static_config(data_dir: Path = DATA_DIR) -> dict:
    """What the map needs once per session besides geometry: border styles and hover text, labels,
    patterns, attribution. ``scripts/publish_static.py`` writes it to ``static/geo/map_static.json`` (a data
    test keeps the file equal to this function), so it is fetched once instead of sent with every step.
    """
    table = borders.segments_table(data_dir)
    border_styles = {row.segment_id: FOCUS_STYLES.get(row.focus, FOCUS_STYLES["other"]) for row in table.itertuples()}
    border_styles["_default"] = FOCUS_STYLES["other"]
    return {
        "attribution": escape(ATTRIBUTION),
        "base_country_style": BASE_COUNTRY_STYLE,
        "border_styles": border_styles,
        "border_tooltips": border_tooltips(data_dir),
        "labels": map_labels(data_dir),
        "patterns": [HATCH_PENDING],
    }


def base_config(area: str = "baltic") -> dict:
    """The per-map config sent with the script: where the static config lives and the framing."""
    return {
        "static_url": STATIC_CONFIG_URL,
        "countries_url": COUNTRIES_URL,
        "borders_url": BORDERS_URL,
        "bounds": AREA_BOUNDS.get(area, AREA_BOUNDS["baltic"]),
    }


def base_map(config: dict) -> folium.Map:
    """The stable part of the map, built from :func:`base_config`. No geometry and no dated content.

    Build a fresh one per render: streamlit-folium adds the payload group to the map it is given, so a
    reused map would carry the previous payload in its script and be re-mounted.
    """
    m = folium.Map(
        location=[55.5, 22.0], zoom_start=5, tiles=None, min_zoom=3, max_zoom=12, control_scale=False, zoom_control=True
    )
    # Only local assets: one failed CDN script would blank the whole map offline.
    m.default_js = [("leaflet", LEAFLET_JS), ("flankmap", FLANKMAP_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS), ("flankmap_css", FLANKMAP_CSS)]
    _Script(f"Flankmap.init({m.get_name()}, {json.dumps(config, ensure_ascii=False, sort_keys=True)});").add_to(m)
    return m


long_date = textalt.long_date


def _country_tooltip(row: dict, spend: dict | None, timeline: treaty.Timeline | None, day: dt.date) -> str:
    """Tooltip HTML for one country on one day; every data field escaped."""
    lines = [f"<b>{escape(row['name'])}</b>", f"Status on {long_date(day)}: <b>{escape(row['status_label'])}</b>"]
    if not _missing(row["flag"]):
        lines.append(f"⚑ {escape(row['flag'])} (contested: not a withdrawal)")
    if not _missing(row["entry_into_force_date"]):
        lines.append(f"In force for it since {row['entry_into_force_date']}")
    stage = row["withdrawal_stage"]
    if _missing(stage):
        stage = None
    if timeline is not None and (stage or row["status_code"] == "withdrawn"):
        if timeline.parliament and timeline.parliament["event_date"] <= day:
            p = timeline.parliament
            tally = ""
            if not _missing(p.get("vote_for")):
                tally = f" ({p['vote_for']}–{_n(p.get('vote_against'))}–{_n(p.get('vote_abstain'))})"
            lines.append(f"Parliament vote: {p['event_date']}{escape(tally)}")
        if not _missing(row["withdrawal_deposit_date"]):
            lines.append(f"Withdrawal deposited with the UN: {row['withdrawal_deposit_date']}")
        if not _missing(row["effective_date"]):
            lines.append(f"Withdrawal effective: {row['effective_date']}")
        if not _missing(row["days_until_effective"]):
            lines.append(f"<b>{int(row['days_until_effective'])} days until effective</b>")
        if stage:
            lines.append(f"Stage: {escape(treaty.STAGE_LABELS[stage])}")
    if not _missing(row.get("note")):
        lines.append(f"<i>{escape(row['note'])}</i>")
    if spend:
        est = ", estimate" if spend.get("is_estimate") else ""
        lines.append(
            f"Defence spending: {spend['value']:.2f}% of GDP ({spend['year']}, "
            f"{escape(spending.SERIES_LABELS.get(spend['series'], spend['series']))}{est})"
        )
    if not _missing(row["source_title"]):
        lines.append(f"<small>Source of status: {escape(str(row['source_title']))}</small>")
    return "<br>".join(lines)


@lru_cache(maxsize=8)
def _notes(data_dir: str) -> dict[str, str]:
    table = load.table(schemas.COUNTRIES, Path(data_dir))
    return {iso3: note for iso3, note in zip(table["iso3"], table["treaty_note"], strict=True) if note}


@lru_cache(maxsize=8)
def _last_spend_year(data_dir: str) -> int:
    return spending.last_year(Path(data_dir))


@lru_cache(maxsize=64)
def _spend_for_year(year: int, data_dir: Path) -> dict[str, dict]:
    table = spending.pct_gdp_for_year(year, data_dir=data_dir)
    return {row["iso3"]: row for row in table.to_dict("records")}


@lru_cache(maxsize=64)
def _latest_spending(data_dir: str, year: int) -> dict[str, dict | None]:
    """Latest actual spending per ISO3 up to ``year``; memoised because every date step needs it."""
    return spending.latest_pct_gdp_all(on_or_before_year=year, data_dir=Path(data_dir))


def _n(value) -> str:
    return "?" if _missing(value) else str(value)


def _spend_class(value: float) -> int:
    return sum(value >= b for b in SPEND_BREAKS)


def status_legend_html(counts: dict[str, int] | None = None) -> str:
    items = []
    for code in ("state_party", "joined_not_in_force", "signatory", "withdrawal_pending", "withdrawn", "non_party"):
        colour = STATUS_COLOURS[code]
        style = f"background:{colour}"
        if code == "withdrawal_pending":
            style = (
                f"background: repeating-linear-gradient(45deg,{HATCH_PENDING['background']} 0 4px,"
                f"{HATCH_PENDING['stripe']} 4px 6px); border:2px dashed #7a4a00"
            )
        if code == "withdrawn":
            style += "; border:2px solid #000"
        n = f" ({counts[code]})" if counts and counts.get(code) else ""
        items.append(f"<div><span class='sw' style='{style}'></span>{treaty.STATUS_LABELS[code]}{n}</div>")
    items.append("<div>⚑ Ukraine: purported suspension (contested)</div>")
    items.append(
        "<div class='hd'>Borders</div>"
        "<div><span class='ln' style='border-top:5px solid #7a0177'></span>Suwałki Gap</div>"
        "<div><span class='ln' style='border-top:3px solid #111'></span>Belarus borders</div>"
        "<div><span class='ln' style='border-top:3px dashed #111'></span>Kaliningrad borders</div>"
        "<div><span class='ln' style='border-top:2px solid #333'></span>Russia borders</div>"
    )
    return "<div class='hd'>Ottawa Convention status</div>" + "".join(items)


def spending_legend_html(year: int) -> str:
    items = [f"<div class='hd'>Defence spending {year}, % of GDP</div>"]
    for colour, label in zip(SPEND_COLOURS, SPEND_LABELS, strict=True):
        items.append(f"<div><span class='sw' style='background:{colour}'></span>{label}</div>")
    items.append(f"<div><span class='sw' style='background:{NO_DATA_COLOUR}'></span>no figure for {year}</div>")
    items.append("<div>Class breaks at NATO marks: 2% (Wales 2014), 3.5% core and 5% total (The Hague 2025)</div>")
    items.append(
        "<div><span class='sw' style='background:#fff;border:2px dashed #000'></span>"
        "SIPRI definition (Russia, Belarus, Ukraine); solid: NATO definition</div>"
    )
    return "".join(items)


# Where a country's flag note is written on the map (lat, lon): inside the country, clear of other labels.
FLAG_LABEL_AT = {"UKR": (50.25, 25.0)}


def _flags(records: list[dict]):
    names = {r["iso3"]: r["name"] for r in records}
    for row in records:
        if not _missing(row["flag"]):
            yield row["iso3"], row["flag"], names


CHANGED_OUTLINE = {"color": "#c51b7d", "weight": 4.0, "dashArray": None}


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
    iso3s = iso3s or load.drawn_iso3s(data_dir)  # only what is drawn: keeps a step's payload small
    records = treaty.status_records(day, iso3s=iso3s, data_dir=data_dir)
    notes = _notes(str(Path(data_dir).resolve()))
    tl = treaty.timelines(data_dir)
    year = spend_year or min(day.year, _last_spend_year(str(Path(data_dir).resolve())))
    spend_for_year = _spend_for_year(year, Path(data_dir).resolve())
    latest_by_iso3 = _latest_spending(str(Path(data_dir).resolve()), day.year)
    styles, tooltips, counts, text_rows = {}, {}, {}, []
    for row in records:
        row["note"] = notes.get(row["iso3"])
        code = row["status_code"]
        counts[code] = counts.get(code, 0) + 1
        latest = latest_by_iso3.get(row["iso3"])
        if fill == "spending":
            style = {"status": code, "color": "#ffffff", "weight": 0.8, "dashArray": None, "fillOpacity": 0.92}
            if row["iso3"] in spend_for_year:
                rec = spend_for_year[row["iso3"]]
                style["fillColor"] = SPEND_COLOURS[_spend_class(float(rec["value"]))]
                if rec["series"] != "nato_pct_gdp":
                    style.update({"color": "#000000", "weight": 1.6, "dashArray": "5 4"})
            else:
                style["fillColor"] = NO_DATA_COLOUR
        else:
            style = {
                "status": code,
                "fillColor": STATUS_COLOURS[code],
                "color": "#ffffff",
                "weight": 0.8,
                "dashArray": None,
                "fillOpacity": 0.9,
            }
            if code == "withdrawal_pending":
                style.update(
                    {
                        "fillColor": f"url(#{HATCH_PENDING['id']})",
                        "color": "#7a4a00",
                        "weight": 2.2,
                        "dashArray": "6 4",
                        "fillOpacity": 1,
                    }
                )
            elif code == "withdrawn":
                style.update({"color": "#000000", "weight": 2.0})
            if not _missing(row["flag"]):
                style.update({"color": "#5a3e00", "weight": 2.0, "dashArray": "2 4"})
        styles[row["iso3"]] = style
        tooltips[row["iso3"]] = _country_tooltip(row, latest, tl.get(row["iso3"]), day)
        text_rows.append(textalt.table_row(row, spend_for_year.get(row["iso3"]), fill, tooltips[row["iso3"]]))
    changes = []
    if compare_day is not None and fill == "status":
        table = treaty.changes_between(compare_day, day, iso3s=iso3s, data_dir=data_dir)
        changes = table["text"].tolist()
        for iso3 in table["iso3"]:
            styles[iso3].update(CHANGED_OUTLINE)
            tooltips[iso3] += f"<br><b>Changed since {compare_day}</b>"
    styles["_default"] = {"fillColor": NO_DATA_COLOUR, "color": "#ffffff", "weight": 0.8, "fillOpacity": 0.9}
    tooltips["_default"] = "No treaty data"
    count = treaty.states_parties_text(day, data_dir)
    if fill == "spending":
        title = (
            f"Defence spending {year} (% of GDP)<br><span class='sub'>map date {long_date(day)}; "
            f"NATO and SIPRI series differ in definition</span>"
        )
        legend = spending_legend_html(year)
        source = f"{SPENDING_SOURCE} Borders: {OSM_CREDIT}."
    else:
        title = (
            f"Ottawa Convention status on {long_date(day)}<br><span class='sub'>{count} States Parties "
            f"worldwide (counting deposits; withdrawals when effective)</span>"
        )
        legend = status_legend_html(counts)
        if compare_day is not None:
            title += f"<br><span class='sub'>Outlined in magenta: changed since {long_date(compare_day)}</span>"
            legend += (
                "<div><span class='sw' style='background:#fff;border:3px solid #c51b7d'></span>"
                f"changed since {compare_day}</div>"
            )
        source = f"{STATUS_SOURCE} Borders: {OSM_CREDIT}."
    frame_title = (
        f"Map: defence spending {year} (% of GDP), map date {long_date(day)}"
        if fill == "spending"
        else f"Map: Ottawa Convention status on {long_date(day)}, NATO's eastern flank and neighbours"
    )
    # Many countries share a style: send each distinct style once and an index per country.
    style_list, index = [], {}
    for iso3, style in styles.items():
        key = json.dumps(style, sort_keys=True)
        if key not in index:
            index[key] = len(style_list)
            style_list.append(style)
        styles[iso3] = index[key]
    return {
        "date": day.isoformat(),
        "fill": fill,
        "style_list": style_list,
        "styles": styles,
        "tooltips": tooltips,
        "flags": [
            {
                "lat": FLAG_LABEL_AT[iso3][0],
                "lon": FLAG_LABEL_AT[iso3][1],
                "html": f"⚑ {escape(names[iso3])}: {escape(flag).replace(' since ', '<br>since ')}"
                "<br>(contested: still a State Party)",
            }
            for iso3, flag, names in _flags(records)
            if iso3 in FLAG_LABEL_AT and fill == "status"
        ],
        "show_borders": "borders" in layers,
        "show_labels": "labels" in layers,
        "title_html": title,
        "legend_html": legend,
        "source_html": source,
        "changes": changes,
        # The text alternative (not sent to the browser, see payload_group): same rows as the fills above.
        "table": text_rows,
        "summary": textalt.summary(day, text_rows, counts, count),
        "frame_title": frame_title,
        "spend_year": year if fill == "spending" else None,
    }


# Payload parts the page shows beside the map (the text alternative); the map runtime does not need them.
PAGE_ONLY_KEYS = ("table", "summary", "spend_year")


def payload_group(payload: dict) -> folium.FeatureGroup:
    """Wrap a payload for ``st_folium(feature_group_to_add=...)``: an empty group whose script restyles."""
    group = folium.FeatureGroup(name="flankmap-date", control=False)
    sent = {k: v for k, v in payload.items() if k not in PAGE_ONLY_KEYS}
    _Script(f"Flankmap.apply({json.dumps(sent, ensure_ascii=False, sort_keys=True)});").add_to(group)
    return group
