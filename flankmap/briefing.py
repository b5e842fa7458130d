"""Static briefing images (PNG, SVG, PDF) of the map on one day, and the ``export`` CLI command.

Pure core (no Streamlit, no browser): matplotlib's Agg canvas draws the same content as the presentation
view, so a slide or a printed brief carries its own title, date, legend, sources, attribution, generation
date and permalink (every exported image is self-describing).

Speed: the geometry is read and reprojected to EPSG:3035 (ETRS89 LAEA Europe: equal-area, the EU's
statistical projection) once per process and kept as ready-made matplotlib paths (:func:`_geometry`);
each image then only picks colours and draws. That keeps one PNG well under a second after warm-up.

Sizes: PNG 1920x1080 px (12.8 x 7.2 in at 150 dpi, 16:9 for slides); SVG the same 12.8 x 7.2 in with text
kept as text (``svg.fonttype = none``, so it is searchable and editable); PDF one A4 landscape page
(11.69 x 8.27 in = 842 x 595 pt) with TrueType fonts (text selectable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import tempfile
import textwrap
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: never look for a display (harmless when another backend is already in use)

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from flankmap import borders, load, schemas, spending, treaty, urlstate  # noqa: E402
from flankmap.load import DATA_DIR  # noqa: E402
from flankmap.mapview import (  # noqa: E402
    AREA_BOUNDS,
    CHANGED_OUTLINE,
    FOCUS_STYLES,
    HATCH_PENDING,
    NO_DATA_COLOUR,
    OSM_CREDIT,
    SPEND_BREAKS,
    SPEND_COLOURS,
    SPEND_LABELS,
    STATUS_COLOURS,
    STATUS_SOURCE,
    long_date,
)
from flankmap.mapview import SPENDING_SOURCE as _MAP_SPENDING_SOURCE  # noqa: E402

FORMATS = ("png", "svg", "pdf")
FILLS = ("status", "spending", "spending_nato")  # as urlstate.FILLS: spending = SIPRI, spending_nato = NATO
CRS = "EPSG:3035"
DPI = 150
# (width, height) in inches. PNG/SVG: 16:9 for slides, 1920x1080 px at 150 dpi. PDF: A4 landscape.
PAGE_SIZES = {"png": (12.8, 7.2), "svg": (12.8, 7.2), "pdf": (11.69, 8.27)}
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

SPENDING_SOURCE = f"{_MAP_SPENDING_SOURCE} NATO and SIPRI definitions differ."
# Environment variable naming the app's public address, so the CLI can print full permalinks.
BASE_URL_ENV = "FLANKMAP_BASE_URL"

INK = "#111111"
MUTED = "#333333"
SEA = "#eef3f7"  # same as the Leaflet container background (static/flankmap/flankmap.css)
PENDING_EDGE = "#7a4a00"
FLAG_EDGE = "#5a3e00"
# A light box behind map labels, not a stroked halo: path effects would turn SVG/PDF text into outlines
# (no longer searchable or selectable).
LABEL_BOX = {"boxstyle": "round,pad=0.18", "facecolor": "white", "edgecolor": "none", "alpha": 0.78}
ALWAYS_IN_LEGEND = ("state_party", "withdrawal_pending", "withdrawn", "non_party")
STATUS_ORDER = ("state_party", "joined_not_in_force", "signatory", "withdrawal_pending", "withdrawn", "non_party")
# Candidate label anchors (lon, lat); the first one inside the frame is used.
BELARUS_ANCHORS = ((27.9, 53.6), (24.0, 53.75))
KALININGRAD_TEXT_AT = (18.3, 55.85)  # in the Baltic Sea west of the oblast, with a leader line
SUWALKI_TEXT_AT = (20.6, 52.5)  # in Poland, south-west of the gap, with an arrow
COUNTRY_LABELS = {  # smaller name labels that help a reader find the flank states
    "EST": (25.7, 58.75),
    "LVA": (25.6, 56.85),
    "LTU": (24.5, 55.5),
    "POL": (17.3, 51.15),
    "FIN": (26.5, 61.9),
    "SWE": (15.2, 60.3),
    "RUS": (33.5, 57.2),
    "UKR": (30.5, 49.3),
    "DEU": (10.4, 51.1),
    "NOR": (9.5, 61.5),
}

_RENDER_LOCK = threading.Lock()  # rcParams are process-global; renders from Streamlit threads take turns


# --------------------------------------------------------------------------------------------------------------
# Geometry, once per process
# --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Geometry:
    country_paths: dict  # iso3 -> matplotlib Path (EPSG:3035 metres)
    names: dict  # iso3 -> display name
    border_lines: dict  # focus -> list of (n, 2) arrays
    suwalki_mid: tuple[float, float]  # a point on the Suwałki Gap segment
    kaliningrad_label: tuple[float, float]  # lon, lat
    transformer: object  # pyproj Transformer lon/lat -> EPSG:3035


def _rings_path(geom) -> MplPath:
    """One compound path for a (Multi)Polygon: exteriors and holes (even-odd filling handles the holes)."""
    verts, codes = [], []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(ring_codes)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _line_arrays(geom) -> list[np.ndarray]:
    return [np.asarray(part.coords)[:, :2] for part in getattr(geom, "geoms", [geom])]


def _load_geometry(data_dir: Path) -> _Geometry:
    """Read the GeoJSON, reproject to EPSG:3035 and build matplotlib paths (the slow part, done once)."""
    from pyproj import Transformer

    countries = load.countries_geo(data_dir).to_crs(CRS)
    lines = load.borders_geo(data_dir).to_crs(CRS)
    focus = load.table(schemas.BORDER_SEGMENTS, data_dir).set_index("segment_id")["focus"]
    border_lines: dict[str, list] = {}
    suwalki_mid = None
    for row in lines.itertuples():
        key = focus.get(row.segment_id, "other")
        border_lines.setdefault(key, []).extend(_line_arrays(row.geometry))
        if key == "suwalki":
            point = row.geometry.interpolate(0.5, normalized=True)
            suwalki_mid = (point.x, point.y)
    transformer = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    kaliningrad = (21.41, 54.81)
    kal_path = Path(data_dir) / load.GEO_DIR_NAME / "kaliningrad.geojson"
    if kal_path.exists():
        import geopandas as gpd

        kal = gpd.read_file(kal_path)
        if {"label_lon", "label_lat"} <= set(kal.columns) and len(kal):
            kaliningrad = (float(kal["label_lon"].iloc[0]), float(kal["label_lat"].iloc[0]))
    if suwalki_mid is None:  # no suwalki segment in the data: fall back to the middle of the two tripoints
        suwalki_mid = transformer.transform(23.15, 54.15)
    return _Geometry(
        country_paths={row.iso3: _rings_path(row.geometry) for row in countries.itertuples()},
        names=dict(zip(countries["iso3"], countries["name"], strict=True)),
        border_lines=border_lines,
        suwalki_mid=suwalki_mid,
        kaliningrad_label=kaliningrad,
        transformer=transformer,
    )


@lru_cache(maxsize=4)
def _geometry_cached(data_dir: str) -> _Geometry:
    return _load_geometry(Path(data_dir))


def _geometry(data_dir: Path) -> _Geometry:
    return _geometry_cached(str(Path(data_dir).resolve()))


def warm_up(data_dir: Path = DATA_DIR) -> None:
    """Load and reproject the geometry now (first render otherwise pays for it)."""
    _geometry(data_dir)


def _extent(geo: _Geometry, area: str, box_w: float, box_h: float) -> tuple[float, float, float, float]:
    """x0, x1, y0, y1 in EPSG:3035 covering the area's lon/lat bounds, widened to the map box's aspect."""
    (lat0, lon0), (lat1, lon1) = AREA_BOUNDS.get(area, AREA_BOUNDS["baltic"])
    lons = np.r_[np.linspace(lon0, lon1, 25), np.full(25, lon1), np.linspace(lon1, lon0, 25), np.full(25, lon0)]
    lats = np.r_[np.full(25, lat0), np.linspace(lat0, lat1, 25), np.full(25, lat1), np.linspace(lat1, lat0, 25)]
    xs, ys = geo.transformer.transform(lons, lats)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    if w / h < box_w / box_h:
        w = h * box_w / box_h
    else:
        h = w * box_h / box_w
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


# --------------------------------------------------------------------------------------------------------------
# What the image says
# --------------------------------------------------------------------------------------------------------------
def _clean(value):
    """None for pandas' missing values (NaN, NA, NaT), the value otherwise."""
    try:
        return None if value is None or value != value else value
    except (TypeError, ValueError):  # pd.NA compares ambiguously
        return None


def _suwalki_text(data_dir: Path) -> str:
    """'Suwałki Gap' plus its sourced lengths from data/suwalki_facts.csv (what is there, nothing invented)."""
    facts = borders.suwalki_facts(data_dir).set_index("fact_code")

    def value(*codes):
        for code in codes:
            if code in facts.index and _clean(facts.at[code, "value"]) is not None:
                return float(facts.at[code, "value"])
        return None

    along = value("border_length_sourced", "along_border_km_sourced")
    straight = value("straight_distance_sourced", "straight_km_sourced")
    parts = [f"{along:g} km along the border" if along else None, f"~{straight:g} km straight" if straight else None]
    parts = [p for p in parts if p]
    return "Suwałki Gap" + ("\n" + ", ".join(parts) if parts else "")


@dataclass
class _Content:
    title: str
    subtitle: list[str]
    fills: dict  # iso3 -> colour
    edges: dict  # iso3 -> (colour, linewidth, linestyle)
    hatched: list  # iso3 drawn with the pending hatch
    legend: list  # (kind, label, style dict)
    legend_title: str
    changes: list[str]
    changes_title: str
    source: str
    flagged: dict  # iso3 -> flag text


def _status_content(day, compare_day, iso3s, data_dir) -> _Content:
    table = treaty.status_table(day, iso3s=iso3s, data_dir=data_dir)
    fills, edges, hatched, counts, flagged = {}, {}, [], {}, {}
    for row in table.to_dict("records"):
        code, iso3 = row["status_code"], row["iso3"]
        counts[code] = counts.get(code, 0) + 1
        fills[iso3] = STATUS_COLOURS[code]
        if code == "withdrawal_pending":
            fills[iso3] = HATCH_PENDING["background"]
            hatched.append(iso3)
            edges[iso3] = (PENDING_EDGE, 1.8, (0, (4, 2.5)))
        elif code == "withdrawn":
            edges[iso3] = ("#000000", 2.2, "solid")
        flag = _clean(row["flag"])
        if flag:
            flagged[iso3] = flag
            edges[iso3] = (FLAG_EDGE, 1.8, (0, (1.5, 2)))
    legend = []
    for code in STATUS_ORDER:
        n = counts.get(code, 0)
        if not n and code not in ALWAYS_IN_LEGEND:
            continue  # a class nobody on the map has only takes room (the change list needs it)
        label = f"{treaty.STATUS_LABELS[code]} ({n})" if n else treaty.STATUS_LABELS[code]
        style = {"face": STATUS_COLOURS[code], "edge": "#444444", "lw": 0.8}
        if code == "withdrawal_pending":
            style = {
                "face": HATCH_PENDING["background"],
                "hatch": "////",
                "edge": PENDING_EDGE,
                "lw": 1.5,
                "ls": (0, (3, 2)),
                "hatch_colour": HATCH_PENDING["stripe"],
            }
        elif code == "withdrawn":
            style = {"face": STATUS_COLOURS[code], "edge": "#000000", "lw": 2.2}
        legend.append(("patch", label, style))
    for iso3, flag in flagged.items():
        name = _name(table, iso3)
        legend.append(
            (
                "patch",
                f"⚑ {name}: {flag} (contested)",
                {"face": STATUS_COLOURS["state_party"], "edge": FLAG_EDGE, "lw": 1.8, "ls": (0, (1.5, 2))},
            )
        )
    changes, changes_title = [], ""
    subtitle = [
        f"{treaty.states_parties_text(day, data_dir)} States Parties worldwide "
        "(counting deposits; a withdrawal counts when effective)"
    ]
    if compare_day is not None:
        diff = treaty.changes_between(compare_day, day, iso3s=iso3s, data_dir=data_dir)
        changes = diff["text"].tolist()
        for iso3 in diff["iso3"]:
            edges[iso3] = (CHANGED_OUTLINE["color"], 3.0, "solid")
        changes_title = f"Changed since {compare_day}" if changes else f"No change since {compare_day}"
        subtitle.append(f"Outlined in magenta: status changed since {long_date(compare_day)}")
    return _Content(
        title=f"Ottawa Convention status on {long_date(day)}",
        subtitle=subtitle,
        fills=fills,
        edges=edges,
        hatched=hatched,
        legend=legend,
        legend_title="Ottawa Convention status",
        changes=changes,
        changes_title=changes_title,
        source=STATUS_SOURCE,
        flagged=flagged,
    )


def _name(table, iso3: str) -> str:
    match = table.loc[table["iso3"] == iso3, "name"]
    return str(match.iloc[0]) if len(match) else iso3


def _spending_content(day, spend_year, iso3s, data_dir, series: str = spending.SIPRI_PCT) -> _Content:
    year = spend_year or spending.default_year(day, series, data_dir)
    figures = spending.figures_for_year(year, series, data_dir).set_index("iso3")
    fills, edges = {}, {}
    for iso3 in iso3s:
        if iso3 in figures.index:
            value = float(figures.at[iso3, "value"])
            fills[iso3] = SPEND_COLOURS[sum(value >= b for b in SPEND_BREAKS)]
        else:
            fills[iso3] = NO_DATA_COLOUR
    legend = [
        ("patch", label, {"face": colour, "edge": "#444444", "lw": 0.8})
        for colour, label in zip(SPEND_COLOURS, SPEND_LABELS, strict=True)
    ]
    legend.append(("patch", f"no figure for {year}", {"face": NO_DATA_COLOUR, "edge": "#444444", "lw": 0.8}))
    legend.append(("note", spending.legend_label(series, year, data_dir), {}))
    legend.append(("note", "Class breaks at NATO marks: 2% (Wales 2014), 3.5% core and 5% total (The Hague 2025)", {}))
    return _Content(
        title=f"Defence spending {year} (% of GDP)",
        subtitle=[
            f"Map date {long_date(day)}. {spending.SHORT_LABELS[series]} series only "
            "(NATO and SIPRI differ in definition; one never fills the other's gaps)"
        ],
        fills=fills,
        edges=edges,
        hatched=[],
        legend=legend,
        legend_title=f"Defence spending {year}",
        changes=[],
        changes_title="",
        source=SPENDING_SOURCE,
        flagged={},
    )


def default_permalink(
    day,
    *,
    layers=urlstate.DEFAULT_LAYERS,
    fill="status",
    spend_year=None,
    compare_day=None,
    area="baltic",
    base: str | None = None,
) -> str:
    """The short link that reproduces this view in the app (base from ``$FLANKMAP_BASE_URL`` if set)."""
    state = urlstate.ViewState(
        day=day, layers=tuple(layers), fill=fill, spend_year=spend_year, area=area, compare_day=compare_day
    )
    return urlstate.permalink(state, base if base is not None else os.environ.get(BASE_URL_ENV, ""))


# --------------------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------------------
def render(
    day: dt.date,
    fmt: str,
    *,
    layers=("borders", "labels"),
    fill: str = "status",
    spend_year: int | None = None,
    compare_day: dt.date | None = None,
    permalink: str | None = None,
    generated: dt.date | None = None,
    area: str = "baltic",
    data_dir: Path = DATA_DIR,
) -> bytes:
    """The briefing image of one day as bytes.

    Args:
        day: the map date.
        fmt: ``png`` (1920x1080 px, 150 dpi), ``svg`` (12.8 x 7.2 in, text as text) or ``pdf`` (A4 landscape).
        layers: any of ``borders`` (border segments, Suwałki Gap highlighted) and ``labels``.
        fill: ``status`` (treaty status) or ``spending`` (defence spending, % of GDP).
        spend_year: year of the spending fill (default: the map date's year, capped at the last year with data).
        compare_day: draw what changed between this day and ``day`` (magenta outlines and a side list).
        permalink: link text printed on the image (default: the app's query string, see :func:`default_permalink`).
        generated: the generation date printed on the image (default: today).
        area: framing, one of ``urlstate.AREAS``.
        data_dir: folder holding the data files.

    Returns:
        The encoded file.

    Raises:
        ValueError: for an unknown format, fill, layer or area.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fill not in FILLS:
        raise ValueError(f"unknown fill {fill!r}: use one of {', '.join(FILLS)}")
    unknown = [layer for layer in layers if layer not in urlstate.LAYERS]
    if unknown or area not in AREA_BOUNDS:
        raise ValueError(f"unknown layer(s) {unknown} or area {area!r}")
    geo = _geometry(data_dir)
    known = load.known_iso3(data_dir)  # a drawn country without treaty rows keeps the no-data fill
    iso3s = sorted(i for i in geo.country_paths if i in known)
    if fill in ("spending", "spending_nato"):
        series = spending.NATO_PCT if fill == "spending_nato" else spending.SIPRI_PCT
        content = _spending_content(day, spend_year, iso3s, data_dir, series)
        compare_day = None  # the compare outline is a treaty-status feature (as on the interactive map)
    else:
        content = _status_content(day, compare_day, iso3s, data_dir)
    # Every export says through which day the treaty sources were checked, and warns for a later day.
    content.source += f" Treaty data checked through {treaty.checked_through(data_dir).isoformat()}."
    stale = treaty.checked_through_note(day, data_dir)
    if stale:
        content.subtitle.append(stale)
    if permalink is None:
        permalink = default_permalink(
            day, layers=layers, fill=fill, spend_year=spend_year, compare_day=compare_day, area=area
        )
    generated = generated or dt.date.today()
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        fig = _draw(geo, content, fmt, layers, area, permalink, generated, data_dir)
        out = io.BytesIO()
        meta = _metadata(fmt, content.title, permalink)
        extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}  # zlib 6 costs ~0.1 s more
        fig.savefig(out, format=fmt, dpi=DPI, facecolor="white", metadata=meta, **extra)
    return out.getvalue()


_RC = {
    "font.family": "DejaVu Sans",  # bundled with matplotlib: the same glyphs everywhere (ł, →, ⚑)
    "svg.fonttype": "none",  # SVG text stays text: searchable, and editable in slide software
    "svg.hashsalt": "flankmap",  # stable ids, so the same input gives the same SVG
    "pdf.fonttype": 42,  # TrueType in the PDF: text can be selected and searched
    "hatch.linewidth": 1.6,
}


def _metadata(fmt: str, title: str, permalink: str) -> dict:
    if fmt == "png":
        return {"Title": title, "Source": permalink, "Copyright": OSM_CREDIT, "Software": "Flankmap"}
    if fmt == "svg":
        return {"Title": title, "Source": permalink, "Rights": OSM_CREDIT, "Date": None, "Creator": "Flankmap"}
    return {
        "Title": title,
        "Subject": permalink,
        "Creator": "Flankmap",
        "Producer": "Flankmap (matplotlib)",
        "CreationDate": None,
    }


def _draw(geo: _Geometry, c: _Content, fmt, layers, area, permalink, generated, data_dir) -> Figure:
    width, height = PAGE_SIZES[fmt]
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    margin, footer, panel, gap = 0.35, 0.72, 3.75, 0.25
    header = 0.82 + 0.24 * len(c.subtitle)
    # Map box in inches, then as figure fractions.
    map_x0, map_y0 = margin, footer
    map_w, map_h = width - 2 * margin - panel - gap, height - header - footer - 0.08
    ax = fig.add_axes((map_x0 / width, map_y0 / height, map_w / width, map_h / height))
    x0, x1, y0, y1 = _extent(geo, area, map_w, map_h)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#8a8a8a")

    iso3s = list(geo.country_paths)
    plain = [i for i in iso3s if i not in c.hatched]
    ax.add_collection(
        PathCollection(
            [geo.country_paths[i] for i in plain],
            facecolors=[c.fills.get(i, NO_DATA_COLOUR) for i in plain],
            edgecolors="white",
            linewidths=0.7,
            zorder=1,
        )
    )
    if c.hatched:
        # Second cue for "withdrawal pending" besides the colour: a hatch that survives greyscale print.
        ax.add_collection(
            PathCollection(
                [geo.country_paths[i] for i in c.hatched],
                facecolors=HATCH_PENDING["background"],
                edgecolors=HATCH_PENDING["stripe"],
                linewidths=0,
                hatch="////",
                zorder=1.5,
            )
        )
    if "borders" in layers:
        for key in ("other", "russia", "belarus", "kaliningrad", "suwalki"):
            lines = geo.border_lines.get(key)
            if not lines:
                continue
            style = FOCUS_STYLES.get(key, FOCUS_STYLES["other"])
            ls = (0, (5, 3)) if style.get("dashArray") else "solid"
            ax.add_collection(
                LineCollection(
                    lines,
                    colors=style["color"],
                    linewidths=style["weight"] * 0.75,
                    linestyles=ls,
                    alpha=style.get("opacity", 1),
                    capstyle="round",
                    zorder=4.5 if key == "suwalki" else 2.5,
                )
            )
    # Status outlines over the borders so "withdrawn", "pending" and "changed" stay visible.
    for iso3, (colour, lw, ls) in sorted(c.edges.items(), key=lambda kv: kv[1][0] == CHANGED_OUTLINE["color"]):
        if iso3 in geo.country_paths:
            ax.add_collection(
                PathCollection(
                    [geo.country_paths[iso3]],
                    facecolors="none",
                    edgecolors=colour,
                    linewidths=lw,
                    linestyles=ls,
                    zorder=4,
                )
            )
    if "labels" in layers:
        _labels(ax, geo, c, data_dir, (x0, x1, y0, y1))
    _scale_bar(ax, (x0, x1, y0, y1))

    # Header.
    fig.text(margin / width, 1 - 0.3 / height, c.title, fontsize=24, fontweight="bold", color=INK, va="top")
    for i, line in enumerate(c.subtitle):
        fig.text(margin / width, 1 - (0.72 + i * 0.24) / height, line, fontsize=12.5, color=MUTED, va="top")
    # Side panel: legend, then the change list.
    panel_x = (width - margin - panel) / width
    _side_panel(fig, c, layers, panel_x, width, height, panel, top=height - header, bottom=footer)
    # Footer: sources, attribution, generation date and permalink.
    wrap = int((width - 2 * margin) * 72 / (9.5 * 0.56))
    lines = textwrap.wrap(c.source, wrap)[:2]
    lines.append(
        f"Map: {OSM_CREDIT} · ETRS89-LAEA (EPSG:3035) · Generated {generated.isoformat()} by Flankmap"
        f" · Permalink: {permalink}"
    )
    for i, line in enumerate(lines):
        fig.text(margin / width, (footer - 0.2 - i * 0.17) / height, line, fontsize=9.5, color=MUTED, va="top")
    return fig


def _xy(geo: _Geometry, lon: float, lat: float) -> tuple[float, float]:
    x, y = geo.transformer.transform(lon, lat)
    return float(x), float(y)


def _inside(xy, extent, pad=0.04) -> bool:
    x0, x1, y0, y1 = extent
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    return x0 + dx <= xy[0] <= x1 - dx and y0 + dy <= xy[1] <= y1 - dy


def _labels(ax, geo: _Geometry, c: _Content, data_dir: Path, extent) -> None:
    """Belarus, Kaliningrad and the Suwałki Gap (bold), the flank states' names (smaller), Ukraine's flag."""
    for iso3, (lon, lat) in COUNTRY_LABELS.items():
        xy = _xy(geo, lon, lat)
        if iso3 not in geo.names or not _inside(xy, extent):
            continue
        text = geo.names[iso3] + (" ⚑" if iso3 in c.flagged else "")
        ax.text(
            *xy, text, fontsize=10.5, color="#222222", ha="center", va="center", bbox=LABEL_BOX, zorder=6, clip_on=True
        )
    for lon, lat in BELARUS_ANCHORS:
        xy = _xy(geo, lon, lat)
        if _inside(xy, extent):
            ax.text(
                *xy,
                "BELARUS",
                fontsize=15,
                fontweight="bold",
                color=INK,
                ha="center",
                va="center",
                bbox=LABEL_BOX,
                zorder=7,
            )
            break
    kal = _xy(geo, *geo.kaliningrad_label)
    if _inside(kal, extent, pad=0.0):
        at = _xy(geo, *KALININGRAD_TEXT_AT)
        style = {
            "fontsize": 12.5,
            "fontweight": "bold",
            "color": INK,
            "ha": "center",
            "va": "center",
            "linespacing": 1.0,
            "bbox": LABEL_BOX,
            "zorder": 7,
            "multialignment": "center",
        }
        if _inside(at, extent):
            ax.annotate(
                "KALININGRAD\n(Russia)",
                xy=kal,
                xytext=at,
                **style,
                arrowprops={"arrowstyle": "-", "color": INK, "lw": 1.2, "shrinkA": 4, "shrinkB": 2},
            )
        else:  # close-up: keep the whole label inside the frame
            x0, x1, y0, y1 = extent
            inset_x, inset_y = 0.12 * (x1 - x0), 0.1 * (y1 - y0)
            xy = (min(max(kal[0], x0 + inset_x), x1 - inset_x), min(max(kal[1], y0 + inset_y), y1 - inset_y))
            ax.text(*xy, "KALININGRAD\n(Russia)", **style)
    gap = geo.suwalki_mid
    if _inside(gap, extent, pad=0.0):
        purple = FOCUS_STYLES["suwalki"]["color"]
        title, _, detail = _suwalki_text(data_dir).partition("\n")
        at = _xy(geo, *SUWALKI_TEXT_AT)
        if not _inside(at, extent, pad=0.15):  # a close-up frame: put the text below the gap instead
            at = (gap[0], gap[1] - 0.2 * (extent[3] - extent[2]))
        text = title + ("\n" + detail.replace(", ", "\n") if detail else "")
        ax.annotate(
            text,
            xy=gap,
            xytext=at,
            fontsize=12,
            fontweight="bold",
            color=purple,
            ha="center",
            va="center",
            zorder=8,
            multialignment="center",
            linespacing=1.15,
            bbox={
                "boxstyle": "round,pad=0.35",
                "facecolor": "white",
                "edgecolor": purple,
                "alpha": 0.92,
                "linewidth": 1.2,
            },
            arrowprops={
                "arrowstyle": "-|>",
                "color": purple,
                "lw": 2,
                "shrinkA": 0,
                "shrinkB": 4,
                "mutation_scale": 16,
            },
        )


def _scale_bar(ax, extent) -> None:
    """A km scale bar in the lower left. EPSG:3035 is equal-area; linear scale error here is a few percent."""
    x0, x1, y0, y1 = extent
    target = (x1 - x0) / 5 / 1000
    km = max(k for k in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if k <= max(target, 10))
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.045
    length, tick = km * 1000, (y1 - y0) * 0.012
    ax.add_patch(
        Rectangle(
            (bx - (x1 - x0) * 0.012, by - (y1 - y0) * 0.03),
            length + (x1 - x0) * 0.06,
            (y1 - y0) * 0.09,
            facecolor="white",
            alpha=0.85,
            edgecolor="#8a8a8a",
            lw=0.6,
            zorder=9,
        )
    )
    ax.plot([bx, bx + length / 2], [by, by], color=INK, lw=4, solid_capstyle="butt", zorder=10)
    ax.plot([bx + length / 2, bx + length], [by, by], color="white", lw=4, solid_capstyle="butt", zorder=10)
    ax.plot([bx, bx + length], [by, by], color=INK, lw=0.8, zorder=10)
    for x in (bx, bx + length / 2, bx + length):
        ax.plot([x, x], [by - tick, by + tick], color=INK, lw=1, zorder=10)
    for x, text in ((bx, "0"), (bx + length, f"{km} km")):
        ax.text(x, by + tick * 1.6, text, fontsize=9.5, ha="center", va="bottom", color=INK, zorder=10)


def _side_panel(fig, c: _Content, layers, panel_x, width, height, panel_w, top, bottom) -> None:
    """Legend and change list, laid out line by line in inches (no draw-time measuring: it stays fast)."""
    pax = fig.add_axes((panel_x, bottom / height, panel_w / width, (top - bottom) / height))
    pax.set_xlim(0, panel_w)
    pax.set_ylim(0, top - bottom)
    pax.axis("off")
    y = top - bottom - 0.05
    fs, line = 12, 12 * 1.45 / 72
    chars = int((panel_w - 0.5) * 72 / (fs * 0.56))

    def heading(text, colour=INK):
        nonlocal y
        pax.text(0, y, text, fontsize=13, fontweight="bold", color=colour, va="top")
        y -= 13 * 1.6 / 72

    def entry(label, style, kind="patch"):
        nonlocal y
        wrapped = textwrap.wrap(label, chars) or [""]
        if kind == "patch":
            pax.add_patch(
                Rectangle(
                    (0.02, y - 0.2),
                    0.34,
                    0.19,
                    facecolor=style["face"],
                    edgecolor=style["edge"],
                    lw=style["lw"],
                    ls=style.get("ls", "solid"),
                    hatch=style.get("hatch"),
                )
            )
            if style.get("hatch"):  # hatch lines take the edge colour: redraw the outline on top in its own colour
                pax.add_patch(
                    Rectangle(
                        (0.02, y - 0.2),
                        0.34,
                        0.19,
                        facecolor=style["face"],
                        edgecolor=style["hatch_colour"],
                        lw=0,
                        hatch="////",
                    )
                )
                pax.add_patch(
                    Rectangle(
                        (0.02, y - 0.2),
                        0.34,
                        0.19,
                        facecolor="none",
                        edgecolor=style["edge"],
                        lw=style["lw"],
                        ls=style.get("ls", "solid"),
                    )
                )
        elif kind == "line":
            pax.plot([0.02, 0.36], [y - 0.1, y - 0.1], color=style["color"], lw=style["lw"], ls=style.get("ls", "-"))
        size = fs if kind != "note" else 10
        x = 0.48 if kind != "note" else 0
        for i, text in enumerate(wrapped if kind != "note" else textwrap.wrap(label, int(chars * 1.3))):
            pax.text(x, y - i * line, text, fontsize=size, color=INK if kind != "note" else MUTED, va="top")
        y -= max(len(wrapped) * line, 0.25) + 0.04

    heading(c.legend_title)
    for kind, label, style in c.legend:
        entry(label, style, kind)
    if c.changes_title:  # the change list comes first: it is what a compare view is for
        y -= 0.08
        heading(c.changes_title, colour=CHANGED_OUTLINE["color"])
        fs_c = 10.5
        step = fs_c * 1.4 / 72
        wrapped = [
            textwrap.wrap(t, int((panel_w - 0.1) * 72 / (fs_c * 0.56)), subsequent_indent="  ") for t in c.changes
        ]
        room = int((y - 0.05) / step)
        shown = used = 0
        for lines in wrapped:
            if used + len(lines) > room - (1 if shown < len(wrapped) - 1 else 0):
                break
            for text in lines:
                pax.text(0, y, text, fontsize=fs_c, color=INK, va="top")
                y -= step
            shown, used = shown + 1, used + len(lines)
        if shown < len(wrapped):
            pax.text(0, y, f"… and {len(wrapped) - shown} more", fontsize=fs_c, color=MUTED, va="top")
            y -= step
    border_rows = (
        ("suwalki", "Suwałki Gap (Poland–Lithuania)"),
        ("belarus", "Belarus borders"),
        ("kaliningrad", "Kaliningrad borders"),
        ("russia", "Russia borders"),
    )
    if "borders" in layers and y - 0.08 - 13 * 1.6 / 72 - len(border_rows) * 0.31 > 0:
        y -= 0.08
        heading("Borders")
        for key, label in border_rows:
            s = FOCUS_STYLES[key]
            entry(
                label,
                {"color": s["color"], "lw": s["weight"] * 0.75, "ls": (0, (5, 3)) if s.get("dashArray") else "-"},
                "line",
            )


# --------------------------------------------------------------------------------------------------------------
# Command line: python -m flankmap export ...
# --------------------------------------------------------------------------------------------------------------
def output_name(day: dt.date, fmt: str, fill: str = "status", compare_day: dt.date | None = None) -> str:
    """File name used with ``--out-dir``: ``flankmap-2025-12-27.png`` (plus ``-vs-<date>``, ``-spending``)."""
    name = f"flankmap-{day.isoformat()}"
    if compare_day is not None:
        name += f"-vs-{compare_day.isoformat()}"
    if fill in ("spending", "spending_nato"):
        name += "-" + fill.replace("_", "-")
    return f"{name}.{fmt}"


def write_atomic(target: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename it into place.

    A failure never leaves a half-written file, and never destroys an existing one. Without ``force`` an
    existing target is left untouched (checked again at the last moment: the link fails if it exists).

    Raises:
        FileExistsError: ``target`` exists and ``force`` is false.
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written image gets the usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # atomic "create if absent"
            except OSError as exc:
                if isinstance(exc, FileExistsError) or target.exists():
                    raise FileExistsError(str(target)) from None
                os.rename(tmp, target)  # file system without hard links
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _split_dates(text: str) -> list[str]:
    items = [t.strip() for t in text.split(",")]
    if not items or any(not t for t in items):
        from flankmap.cli import UsageError

        raise UsageError(f"invalid --dates {text!r}: give a comma-separated list of YYYY-MM-DD dates")
    return list(dict.fromkeys(items))  # keep order, drop repeats


def cmd_export(args: argparse.Namespace) -> int:
    """Run ``python -m flankmap export``: check every argument and target first, then render and write."""
    import sys

    from flankmap.cli import UsageError, parse_day

    fmt = args.format
    if fmt is None:
        suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
        fmt = suffix if suffix in FORMATS else "png"
    if args.dates is not None:
        if args.out:
            raise UsageError("--out names one file: use --out-dir DIR with --dates")
        days = [parse_day(t) for t in _split_dates(args.dates)]
    else:
        days = [parse_day(args.date)]
    compare_day = parse_day(args.compare) if args.compare else None
    layers = urlstate.DEFAULT_LAYERS
    if args.layers is not None:
        asked = [p.strip() for p in args.layers.split(",") if p.strip() and p.strip() != "none"]
        bad = [p for p in asked if p not in urlstate.LAYERS]
        if bad:
            raise UsageError(f"unknown layer(s) {','.join(bad)!r}: accepted {', '.join(urlstate.LAYERS)} or none")
        layers = tuple(p for p in urlstate.LAYERS if p in asked)
    if args.year is not None and not args.fill.startswith("spending"):
        raise UsageError("--year applies only with --fill spending")
    if args.out:
        out_suffix = Path(args.out).suffix.lower().lstrip(".")
        if out_suffix != fmt:
            raise UsageError(f"--out {args.out!r} does not end in .{fmt} (the --format): rename it or change --format")
        targets = [Path(args.out)]
        parent = targets[0].parent
        if not parent.is_dir():
            raise UsageError(f"folder {str(parent)!r} of --out does not exist")
    else:
        out_dir = Path(args.out_dir or ".")
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out-dir {str(out_dir)!r} is not a folder")
        targets = [out_dir / output_name(d, fmt, args.fill, compare_day) for d in days]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not args.force:
        raise UsageError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}: use --force to overwrite"
        )
    if any(t.is_dir() for t in targets):
        raise UsageError(f"{next(str(t) for t in targets if t.is_dir())} is a folder")
    if not args.out:
        targets[0].parent.mkdir(parents=True, exist_ok=True)
    base = os.environ.get(BASE_URL_ENV, "")
    for day, target in zip(days, targets, strict=True):
        link = default_permalink(
            day,
            layers=layers,
            fill=args.fill,
            spend_year=args.year,
            compare_day=compare_day if args.fill == "status" else None,
            area=args.area,
            base=base,
        )
        data = render(
            day,
            fmt,
            layers=layers,
            fill=args.fill,
            spend_year=args.year,
            compare_day=compare_day,
            permalink=link,
            area=args.area,
        )
        try:
            write_atomic(target, data, force=args.force)
        except FileExistsError:
            raise UsageError(f"{target} already exists: use --force to overwrite") from None
        print(f"wrote {target} ({len(data) / 1024:,.0f} kB)", file=sys.stdout)
    return 0


def _year(text: str) -> int:
    from flankmap.cli import UsageError

    lo, hi = urlstate.SPEND_YEARS
    if not re.fullmatch(r"\d{4}", text or "") or not lo <= int(text) <= hi:
        raise UsageError(f"invalid --year {text!r}: use a year {lo}-{hi}")
    return int(text)


def add_export_command(subparsers) -> None:
    """Register ``export`` on the CLI (called by ``flankmap.cli.build_parser``)."""
    p = subparsers.add_parser(
        "export",
        help="briefing image(s) of the map: PNG, SVG or PDF",
        description="Write the map on one or more dates as self-describing briefing images.",
    )
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--date", help="one date, YYYY-MM-DD")
    when.add_argument("--dates", help="several dates, comma-separated (one file each, with --out-dir)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="png (1920x1080, 150 dpi), svg or pdf (A4 landscape); default: from --out's suffix, else png",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", help="output file (one date)")
    where.add_argument("--out-dir", help="output folder, files named flankmap-<date>.<format> (default: .)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--compare", help="also show what changed since this date (YYYY-MM-DD)")
    p.add_argument("--fill", choices=FILLS, default="status", help="fill countries by treaty status or spending")
    p.add_argument("--year", type=_year, help="spending year (with --fill spending)")
    p.add_argument("--layers", help=f"comma list of {', '.join(urlstate.LAYERS)}, or none (default: both)")
    p.add_argument("--area", choices=tuple(urlstate.AREAS), default="baltic", help="map framing")
    p.set_defaults(func=cmd_export)


__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "PAGE_SIZES",
    "add_export_command",
    "default_permalink",
    "output_name",
    "render",
    "warm_up",
    "write_atomic",
]
