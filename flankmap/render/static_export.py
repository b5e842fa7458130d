"""Static briefing images (PNG, SVG, PDF) of the map on one day.

Pure core (no Streamlit, no browser): matplotlib's Agg canvas draws the same content as the presentation
view, so a slide or a printed brief carries its own title, date, legend, sources, attribution, generation
date and permalink (every exported image is self-describing). This module is a matplotlib adapter over
:mod:`flankmap.view.symbology`: the colours, outlines, legend, title and credits are the interactive map's, with
widths and dashes converted by the one rule :func:`flankmap.view.symbology.px_to_pt`. The ``export`` command
that drives it lives in :mod:`flankmap.cli.commands`.

Speed: the geometry is read and reprojected to EPSG:3035 (ETRS89 LAEA Europe: equal-area, the EU's
statistical projection) once per data version and kept as ready-made matplotlib paths (:func:`_geometry`);
each image then only picks colours and draws. That keeps one PNG well under a second after warm-up.

Sizes: PNG 1920x1080 px (12.8 x 7.2 in at 150 dpi, 16:9 for slides); SVG the same 12.8 x 7.2 in with text
kept as text (``svg.fonttype = none``, so it is searchable and editable); PDF one A4 landscape page
(11.69 x 8.27 in = 842 x 595 pt) with TrueType fonts (text selectable).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import textwrap
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath

from flankmap.data import load, schemas
from flankmap.data.load import DATA_DIR
from flankmap.domain import borders
from flankmap.render.files import FORMATS, MIME_TYPES, output_name, write_atomic
from flankmap.view import model, urlstate
from flankmap.view import symbology as sym

FILLS = urlstate.FILLS
CRS = "EPSG:3035"
DPI = 150
# (width, height) in inches. PNG/SVG: 16:9 for slides, 1920x1080 px at 150 dpi. PDF: A4 landscape.
PAGE_SIZES = {"png": (12.8, 7.2), "svg": (12.8, 7.2), "pdf": (11.69, 8.27)}

STATUS_SOURCE = sym.STATUS_SOURCE
SPENDING_SOURCE = sym.SPENDING_SOURCE
BASE_URL_ENV = urlstate.BASE_URL_ENV

INK, MUTED = sym.INK, sym.MUTED
# A light box behind map labels, not a stroked halo: path effects would turn SVG/PDF text into outlines
# (no longer searchable or selectable).
LABEL_BOX = {"boxstyle": "round,pad=0.18", "facecolor": "white", "edgecolor": "none", "alpha": 0.78}

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
def _geometry_cached(data_dir: str, version: str) -> _Geometry:
    return _load_geometry(Path(data_dir))


def _geometry(data_dir: Path) -> _Geometry:
    return _geometry_cached(*load.cache_key(data_dir))


def warm_up(data_dir: Path = DATA_DIR) -> None:
    """Load and reproject the geometry now (first render otherwise pays for it)."""
    _geometry(data_dir)


def _extent(geo: _Geometry, area: str, box_w: float, box_h: float) -> tuple[float, float, float, float]:
    """x0, x1, y0, y1 in EPSG:3035 covering the area's lon/lat bounds, widened to the map box's aspect."""
    (lat0, lon0), (lat1, lon1) = urlstate.area(area).bounds
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
# What the image says: the symbology model, per country and for the legend
# --------------------------------------------------------------------------------------------------------------
def _clean(value):
    """None for pandas' missing values (NaN, NA, NaT), the value otherwise."""
    try:
        return None if value is None or value != value else value
    except (TypeError, ValueError):  # pd.NA compares ambiguously
        return None


@dataclass
class _Content:
    heading: sym.Heading
    styles: dict  # iso3 -> symbology.Style
    legend: list  # symbology.LegendEntry, in order
    changes: list[str]
    changes_title: str
    source: str
    flagged: dict  # iso3 -> flag text

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def subtitle(self) -> list[str]:
        """Every line under the title, the warning (e.g. data checked through an earlier day) last."""
        return [*self.heading.subtitles, *([self.heading.warning] if self.heading.warning else [])]


def _content(view: urlstate.ViewState, iso3s: list[str], data_dir: Path) -> _Content:
    """What the image says, from the view model (:func:`flankmap.view.model.view_of`): the same heading, legend,
    styles and source line as the interactive map and the text table (a test compares them on the key days).
    """
    mv = model.view_of(view, data_dir)
    shown = [i for i in iso3s if i in mv.countries]
    changes_title = ""
    if mv.compare_day is not None:
        since = mv.compare_day.isoformat()
        changes_title = f"Changed since {since}" if mv.changes else f"No change since {since}"
    flagged = {i: mv.countries[i].interval["flag"] for i in shown if mv.countries[i].flag}
    return _Content(
        heading=mv.heading,
        styles={i: mv.style_of(i) for i in shown},
        legend=mv.legend_entries(),
        changes=list(mv.changes),
        changes_title=changes_title,
        source=mv.source,
        flagged=flagged,
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
    ).normalised()
    return urlstate.permalink(state, base if base is not None else os.environ.get(BASE_URL_ENV, ""))


# --------------------------------------------------------------------------------------------------------------
# matplotlib adapter: CSS px -> pt by the one rule, dashes in absolute points (lines.scale_dashes off)
# --------------------------------------------------------------------------------------------------------------
def mpl_width(style: sym.Style) -> float:
    """The style's line width in points."""
    return sym.px_to_pt(style.width)


def mpl_dash(style: sym.Style):
    """A matplotlib line style: ``solid`` or ``(0, (on, off, ...))`` in points."""
    return (0, tuple(sym.px_to_pt(d) for d in style.dash)) if style.dash else "solid"


# The hatch pattern drawn for a symbology Hatch (matplotlib has no pattern ids).
MPL_HATCH = "////"


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
    geo, content, permalink = _prepare(day, layers, fill, spend_year, compare_day, permalink, area, data_dir)
    generated = generated or dt.date.today()
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        fig = _draw(geo, content, fmt, layers, area, permalink, generated, data_dir)
        out = io.BytesIO()
        meta = _metadata(fmt, content.title, permalink)
        extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}  # zlib 6 costs ~0.1 s more
        fig.savefig(out, format=fmt, dpi=DPI, facecolor="white", metadata=meta, **extra)
    return out.getvalue()


def _prepare(day, layers, fill, spend_year, compare_day, permalink, area, data_dir):
    """Check the view and work out what the image says (shared by :func:`render` and :func:`render_frame`)."""
    if fill not in FILLS:
        raise ValueError(f"unknown fill {fill!r}: use one of {', '.join(FILLS)}")
    unknown = [layer for layer in layers if layer not in urlstate.LAYERS]
    if unknown or area not in urlstate.AREAS:
        raise ValueError(f"unknown layer(s) {unknown} or area {area!r}")
    geo = _geometry(data_dir)
    view = urlstate.ViewState(
        day=day, layers=tuple(layers), fill=fill, spend_year=spend_year, area=area, compare_day=compare_day
    ).normalised()  # the compare outline is a treaty-status feature (as on the interactive map)
    compare_day = view.compare_day
    known = load.known_iso3(data_dir)  # a drawn country without treaty rows keeps the no-data fill
    content = _content(view, sorted(i for i in geo.country_paths if i in known), data_dir)
    if permalink is None:
        permalink = default_permalink(
            day, layers=layers, fill=fill, spend_year=spend_year, compare_day=compare_day, area=area
        )
    return geo, content, permalink


def render_frame(day: dt.date, **kwargs) -> np.ndarray:
    """One 16:9 briefing frame as RGB pixels (arguments as for :func:`render_frames`)."""
    return next(render_frames([day], **kwargs))


def render_frames(
    days: list[dt.date],
    *,
    width_px: int = 1280,
    layers=("borders", "labels"),
    fill: str = "status",
    spend_year: int | None = None,
    permalink_for=None,
    generated: dt.date | None = None,
    area: str = "baltic",
    data_dir: Path = DATA_DIR,
):
    """Briefing frames for animations: for each day, the PNG's layout drawn ``width_px`` wide, as pixels.

    Every frame is the full briefing image of its day (title with the date, legend, sources, attribution,
    permalink), drawn like :func:`render` but not encoded. Consecutive days whose image differs only in the
    title and the permalink (the map, legend and subtitle are the same) reuse the drawn frame: those two
    lines are blanked, the rest is drawn once, and each day only draws its own two lines over it.

    Args:
        days: the days, in order.
        width_px: frame width in pixels (height 9/16 of it).
        layers: as for :func:`render`.
        fill: as for :func:`render`.
        spend_year: as for :func:`render`.
        permalink_for: ``day -> link`` printed on each frame (default: the app's query string).
        generated: as for :func:`render`.
        area: as for :func:`render`.
        data_dir: as for :func:`render`.

    Yields:
        ``(height, width, 3)`` uint8 arrays (1280 wide: 1280x720).
    """
    generated = generated or dt.date.today()
    base_key = fig = background = None
    for day in days:
        link = permalink_for(day) if permalink_for else None
        geo, content, link = _prepare(day, layers, fill, spend_year, None, link, area, data_dir)
        key = repr(replace(content, heading=replace(content.heading, title="")))
        with _RENDER_LOCK, matplotlib.rc_context(_RC):
            if key != base_key:
                fig = _draw(geo, content, "png", layers, area, link, generated, data_dir)
                fig.set_dpi(width_px / PAGE_SIZES["png"][0])
                fig.set_facecolor("white")
                title = next(t for t in fig.texts if t.get_text() == content.title)
                footer = next(t for t in fig.texts if t.get_text().endswith(f"Permalink: {link}"))
                footer_text = footer.get_text()
                title.set_text("")
                footer.set_text("")
                fig.canvas.draw()
                background = fig.canvas.copy_from_bbox(fig.bbox)
                base_key, base_link = key, link
            fig.canvas.restore_region(background)
            title.set_text(content.title)
            footer.set_text(footer_text[: -len(base_link)] + link)
            fig.draw_artist(title)
            fig.draw_artist(footer)
            pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
        yield pixels  # outside the lock: the caller may render something else in between


_RC = {
    "font.family": "DejaVu Sans",  # bundled with matplotlib: the same glyphs everywhere (ł, →, ⚑)
    "svg.fonttype": "none",  # SVG text stays text: searchable, and editable in slide software
    "svg.hashsalt": "flankmap",  # stable ids, so the same input gives the same SVG
    "pdf.fonttype": 42,  # TrueType in the PDF: text can be selected and searched
    "hatch.linewidth": 1.6,
    "lines.scale_dashes": False,  # dash lengths in points, converted from the map's px (symbology.px_to_pt)
}


def _metadata(fmt: str, title: str, permalink: str) -> dict:
    if fmt == "png":
        return {"Title": title, "Source": permalink, "Copyright": sym.OSM_CREDIT, "Software": "Flankmap"}
    if fmt == "svg":
        return {"Title": title, "Source": permalink, "Rights": sym.OSM_CREDIT, "Date": None, "Creator": "Flankmap"}
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
    subtitles = c.subtitle
    header = 0.82 + 0.24 * len(subtitles)
    # Map box in inches, then as figure fractions.
    map_x0, map_y0 = margin, footer
    map_w, map_h = width - 2 * margin - panel - gap, height - header - footer - 0.08
    ax = fig.add_axes((map_x0 / width, map_y0 / height, map_w / width, map_h / height))
    x0, x1, y0, y1 = _extent(geo, area, map_w, map_h)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_facecolor(sym.SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(sym.FRAME)
    _draw_countries(ax, geo, c)
    if "borders" in layers:
        _draw_borders(ax, geo)
    _draw_outlines(ax, geo, c)
    if "labels" in layers:
        _labels(ax, geo, c, data_dir, (x0, x1, y0, y1))
    _scale_bar(ax, (x0, x1, y0, y1))

    # Header.
    fig.text(margin / width, 1 - 0.3 / height, c.title, fontsize=24, fontweight="bold", color=INK, va="top")
    for i, line in enumerate(subtitles):
        fig.text(margin / width, 1 - (0.72 + i * 0.24) / height, line, fontsize=12.5, color=MUTED, va="top")
    # Side panel: legend, then the change list.
    panel_x = (width - margin - panel) / width
    _side_panel(fig, c, panel_x, width, height, panel, top=height - header, bottom=footer)
    # Footer: sources, attribution, generation date and permalink.
    wrap = int((width - 2 * margin) * 72 / (9.5 * 0.56))
    lines = textwrap.wrap(c.source, wrap)[:2]
    lines.append(
        f"Map: {sym.OSM_CREDIT} · ETRS89-LAEA (EPSG:3035) · Generated {generated.isoformat()} by Flankmap"
        f" · Permalink: {permalink}"
    )
    for i, line in enumerate(lines):
        size = footer_font_size(line, wrap)
        fig.text(margin / width, (footer - 0.2 - i * 0.17) / height, line, fontsize=size, color=MUTED, va="top")
    return fig


def footer_font_size(line: str, chars: int, size: float = 9.5) -> float:
    """The footer's font size, made smaller for a line longer than ``chars`` (a long permalink) so it fits."""
    return size * min(1.0, chars / max(len(line), 1))


def _draw_countries(ax, geo: _Geometry, c: _Content) -> None:
    """Fills with the plain country edge; hatched styles get their stripes as a second layer."""
    iso3s = list(geo.country_paths)
    styles = [c.styles.get(i, sym.NO_DATA_STYLE) for i in iso3s]
    ax.add_collection(
        PathCollection(
            [geo.country_paths[i] for i in iso3s],
            facecolors=[s.fill for s in styles],
            edgecolors=sym.COUNTRY_EDGE,
            linewidths=mpl_width(sym.NO_DATA_STYLE),
            zorder=1,
        )
    )
    hatched = [(i, s.hatch) for i, s in zip(iso3s, styles, strict=True) if s.hatch]
    for hatch in dict.fromkeys(h for _, h in hatched):
        # Second cue for "withdrawal pending" besides the colour: a hatch that survives greyscale print.
        ax.add_collection(
            PathCollection(
                [geo.country_paths[i] for i, h in hatched if h == hatch],
                facecolors=hatch.background,
                edgecolors=hatch.stripe,
                linewidths=0,
                hatch=MPL_HATCH,
                zorder=1.5,
            )
        )


def _draw_borders(ax, geo: _Geometry) -> None:
    for key in sym.BORDER_DRAW_ORDER:
        lines = geo.border_lines.get(key)
        if not lines:
            continue
        style = sym.border_style(key)
        ax.add_collection(
            LineCollection(
                lines,
                colors=style.edge,
                linewidths=mpl_width(style),
                linestyles=mpl_dash(style),
                alpha=style.opacity,
                capstyle="round",
                zorder=4.5 if key == "suwalki" else 2.5,
            )
        )


def _draw_outlines(ax, geo: _Geometry, c: _Content) -> None:
    """Status outlines over the borders so "withdrawn", "pending" and "changed" stay visible (changed on top)."""
    outlined = [(i, s) for i, s in c.styles.items() if s.edge != sym.COUNTRY_EDGE and i in geo.country_paths]
    for iso3, style in sorted(outlined, key=lambda kv: kv[1].edge == sym.CHANGED_OUTLINE.edge):
        ax.add_collection(
            PathCollection(
                [geo.country_paths[iso3]],
                facecolors="none",
                edgecolors=style.edge,
                linewidths=mpl_width(style),
                linestyles=mpl_dash(style),
                zorder=4,
            )
        )


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
            *xy,
            text,
            fontsize=10.5,
            color=sym.LABEL_INK,
            ha="center",
            va="center",
            bbox=LABEL_BOX,
            zorder=6,
            clip_on=True,
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
        purple = sym.border_style("suwalki").edge
        title, parts = sym.suwalki_label(*borders.suwalki_lengths(data_dir))
        at = _xy(geo, *SUWALKI_TEXT_AT)
        if not _inside(at, extent, pad=0.15):  # a close-up frame: put the text below the gap instead
            at = (gap[0], gap[1] - 0.2 * (extent[3] - extent[2]))
        text = "\n".join([title, *parts])
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
            edgecolor=sym.FRAME,
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


def _swatch(pax, y: float, style: sym.Style) -> None:
    """A legend swatch drawn from a symbology style: fill, optional hatch, then the edge on top."""
    box = ((0.02, y - 0.2), 0.34, 0.19)
    pax.add_patch(Rectangle(*box, facecolor=style.fill, edgecolor="none", lw=0))
    if style.hatch:  # hatch lines take the edge colour: draw them alone, then the outline in its own colour
        pax.add_patch(Rectangle(*box, facecolor="none", edgecolor=style.hatch.stripe, lw=0, hatch=MPL_HATCH))
    pax.add_patch(Rectangle(*box, facecolor="none", edgecolor=style.edge, lw=mpl_width(style), ls=mpl_dash(style)))


class _Panel:
    """The side panel, laid out line by line in inches (no draw-time measuring: it stays fast)."""

    FS = 12
    LINE = 12 * 1.45 / 72
    HEADING = 13 * 1.6 / 72

    def __init__(self, pax, panel_w: float, y: float):
        self.pax, self.panel_w, self.y = pax, panel_w, y
        self.chars = int((panel_w - 0.5) * 72 / (self.FS * 0.56))

    def heading(self, text: str, colour: str = INK) -> None:
        self.pax.text(0, self.y, text, fontsize=13, fontweight="bold", color=colour, va="top")
        self.y -= self.HEADING

    def entry(self, e: sym.LegendEntry) -> None:
        if e.kind == "heading":
            self.y -= 0.08 if e.key == "heading:borders" else 0
            self.heading(e.label)
            return
        if e.kind == "note":  # smaller text over the whole panel width
            wrapped = textwrap.wrap(e.label, int(self.chars * 1.3))
            step = 10 * 1.4 / 72
            for i, text in enumerate(wrapped):
                self.pax.text(0, self.y - i * step, text, fontsize=10, color=MUTED, va="top")
            self.y -= len(wrapped) * step + 0.08
            return
        if e.kind == "line":
            s = e.style
            self.pax.plot(
                [0.02, 0.36], [self.y - 0.1] * 2, color=s.edge, lw=mpl_width(s), ls=mpl_dash(s), alpha=s.opacity
            )
        else:
            _swatch(self.pax, self.y, e.style)
        wrapped = textwrap.wrap(e.label, self.chars) or [""]
        for i, text in enumerate(wrapped):
            self.pax.text(0.48, self.y - i * self.LINE, text, fontsize=self.FS, color=INK, va="top")
        self.y -= max(len(wrapped) * self.LINE, 0.25) + 0.04

    def changes(self, title: str, changes: list[str]) -> None:
        """The change list, cut with '… and N more' when it does not fit."""
        self.y -= 0.08
        self.heading(title, colour=sym.CHANGED_OUTLINE.edge)
        fs_c = 10.5
        step = fs_c * 1.4 / 72
        width = int((self.panel_w - 0.1) * 72 / (fs_c * 0.56))
        wrapped = [textwrap.wrap(t, width, subsequent_indent="  ") for t in changes]
        room = int((self.y - 0.05) / step)
        shown = used = 0
        for lines in wrapped:
            if used + len(lines) > room - (1 if shown < len(wrapped) - 1 else 0):
                break
            for text in lines:
                self.pax.text(0, self.y, text, fontsize=fs_c, color=INK, va="top")
                self.y -= step
            shown, used = shown + 1, used + len(lines)
        if shown < len(wrapped):
            self.pax.text(0, self.y, f"… and {len(wrapped) - shown} more", fontsize=fs_c, color=MUTED, va="top")
            self.y -= step


def _side_panel(fig, c: _Content, panel_x, width, height, panel_w, top, bottom) -> None:
    """The legend model, then the change list, then the border rows if they still fit."""
    pax = fig.add_axes((panel_x, bottom / height, panel_w / width, (top - bottom) / height))
    pax.set_xlim(0, panel_w)
    pax.set_ylim(0, top - bottom)
    pax.axis("off")
    panel = _Panel(pax, panel_w, top - bottom - 0.05)
    split = next((i for i, e in enumerate(c.legend) if e.key == "heading:borders"), len(c.legend))
    for e in c.legend[:split]:
        panel.entry(e)
    if c.changes_title:  # the change list comes before the borders: it is what a compare view is for
        panel.changes(c.changes_title, c.changes)
    border_rows = c.legend[split:]
    if border_rows and panel.y - 0.08 - panel.HEADING - (len(border_rows) - 1) * 0.31 > 0:
        for e in border_rows:
            panel.entry(e)


__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "PAGE_SIZES",
    "default_permalink",
    "output_name",
    "render",
    "warm_up",
    "write_atomic",
]
