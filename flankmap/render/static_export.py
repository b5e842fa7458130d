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
from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.render import static_annotations
from flankmap.render.files import FORMATS, MIME_TYPES, output_name, write_atomic
from flankmap.render.static_geometry import _extent, _Geometry, _geometry, warm_up
from flankmap.render.static_layers import (
    Content,
    _draw_borders,
    _draw_countries,
    _draw_outlines,
    _labels,
    _scale_bar,
    flank_display_points,
)
from flankmap.render.static_panel import _side_panel
from flankmap.view import model, urlstate
from flankmap.view import symbology as sym

FILLS = urlstate.FILLS
DPI = 150
# (width, height) in inches. PNG/SVG: 16:9 for slides, 1920x1080 px at 150 dpi. PDF: A4 landscape.
PAGE_SIZES = {"png": (12.8, 7.2), "svg": (12.8, 7.2), "pdf": (11.69, 8.27)}

STATUS_SOURCE = sym.STATUS_SOURCE
SPENDING_SOURCE = sym.SPENDING_SOURCE
BASE_URL_ENV = urlstate.BASE_URL_ENV

INK, MUTED = sym.INK, sym.MUTED
_RENDER_LOCK = threading.Lock()  # rcParams are process-global; renders from Streamlit threads take turns


def _content(view: urlstate.ViewState, iso3s: list[str], data_dir: Path) -> Content:
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
    return Content(
        heading=mv.heading,
        styles={i: mv.style_of(i) for i in shown},
        legend=mv.legend_entries(),
        changes=list(mv.changes),
        changes_title=changes_title,
        source=mv.source,
        flagged=flagged,
        labels=mv.labels,
        flank=mv.data.get("flank_points", {}),
        flank_countries=tuple(mv.data.get("flank_countries", ())),
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
    treaty: str = urlstate.DEFAULT_TREATY,
) -> str:
    """The short link that reproduces this view in the app (base from ``$FLANKMAP_BASE_URL`` if set)."""
    state = urlstate.ViewState(
        day=day,
        layers=tuple(layers),
        fill=fill,
        spend_year=spend_year,
        area=area,
        compare_day=compare_day,
        treaty=treaty,
    ).normalised()
    return urlstate.permalink(state, base if base is not None else os.environ.get(BASE_URL_ENV, ""))


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
    treaty: str = urlstate.DEFAULT_TREATY,
    decor: static_annotations.Decor | None = None,
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
        treaty: whose status the map shows, one of ``urlstate.TREATIES`` (default ``ottawa``).
        decor: a briefing's additions (own title, marking banners, annotations valid on the day).

    Returns:
        The encoded file.

    Raises:
        ValueError: for an unknown format, fill, layer or area.
    """
    args = (day, fmt, layers, fill, spend_year, compare_day, permalink, generated, area, data_dir, treaty, decor)
    return _render(*args)[0]


def _render(
    day, fmt, layers, fill, spend_year, compare_day, permalink, generated, area, data_dir, treaty="ottawa", decor=None
):
    """(the encoded file, the figure): the layout check measures the figure's label layout and flank."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    geo, content, permalink = _prepare(
        day, layers, fill, spend_year, compare_day, permalink, area, data_dir, treaty, decor
    )
    generated = generated or dt.date.today()
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        fig = _draw(geo, content, fmt, layers, area, permalink, generated, data_dir, decor)
        fig.flankmap_points = flank_display_points(fig.axes[0], geo, content.flank or {}, content.flank_countries)
        out = io.BytesIO()
        meta = _metadata(fmt, content.title, permalink)
        extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}  # zlib 6 costs ~0.1 s more
        fig.savefig(out, format=fmt, dpi=DPI, facecolor="white", metadata=meta, **extra)
    return out.getvalue(), fig


def render_slide(state: urlstate.ViewState, decor, sink, *, permalink=None, generated=None, data_dir=DATA_DIR):
    """Draw one briefing slide (the 16:9 PNG page) and hand the figure to ``sink(fig)`` under the render lock
    (the deck writes it to a PDF page, a PNG or a PowerPoint picture).
    """
    v = state.normalised()
    args = (v.day, v.layers, v.fill, v.spend_year, v.compare_day, permalink, v.area, data_dir, v.treaty, decor)
    geo, content, permalink = _prepare(*args)
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        fig = _draw(geo, content, "png", v.layers, v.area, permalink, generated or dt.date.today(), data_dir, decor)
        return sink(fig), content


def _prepare(
    day, layers, fill, spend_year, compare_day, permalink, area, data_dir, treaty=urlstate.DEFAULT_TREATY, decor=None
):
    """Check the view and work out what the image says (shared by :func:`render` and :func:`render_frame`)."""
    if fill not in FILLS:
        raise ValueError(f"unknown fill {fill!r}: use one of {', '.join(FILLS)}")
    unknown = [layer for layer in layers if layer not in urlstate.LAYERS]
    if unknown or area not in urlstate.AREAS or treaty not in urlstate.TREATIES:
        raise ValueError(f"unknown layer(s) {unknown}, area {area!r} or treaty {treaty!r}")
    geo = _geometry(data_dir)
    view = urlstate.ViewState(
        day=day,
        layers=tuple(layers),
        fill=fill,
        spend_year=spend_year,
        area=area,
        compare_day=compare_day,
        treaty=treaty,
    ).normalised()  # the compare outline is a treaty-status feature (as on the interactive map)
    compare_day = view.compare_day
    known = load.known_iso3(data_dir)  # a drawn country without treaty rows keeps the no-data fill
    content = _content(view, sorted(i for i in geo.country_paths if i in known), data_dir)
    if decor is not None:
        content = replace(content, heading=static_annotations.heading(content.heading, decor))
    if permalink is None:
        permalink = default_permalink(
            day, layers=layers, fill=fill, spend_year=spend_year, compare_day=compare_day, area=area, treaty=treaty
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
    treaty: str = urlstate.DEFAULT_TREATY,
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
        treaty: as for :func:`render`.

    Yields:
        ``(height, width, 3)`` uint8 arrays (1280 wide: 1280x720).
    """
    generated = generated or dt.date.today()
    base_key = fig = background = None
    for day in days:
        link = permalink_for(day) if permalink_for else None
        geo, content, link = _prepare(day, layers, fill, spend_year, None, link, area, data_dir, treaty)
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


def _draw(geo: _Geometry, c: Content, fmt, layers, area, permalink, generated, data_dir, decor=None) -> Figure:
    width, height = PAGE_SIZES[fmt]
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    margin, footer, panel, gap = 0.35, 0.72, 3.75, 0.25
    band = static_annotations.BANNER_IN if decor and decor.marking else 0.0  # the marking banners
    footer += band
    subtitles = c.subtitle
    header = 0.82 + 0.24 * len(subtitles) + band
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
    fig.canvas.get_renderer()  # the layout measures text in the exact page extent
    pts = flank_display_points(ax, geo, c.flank or {}, c.flank_countries)
    ax.patch.set_gid("flankmap-map-area")
    scale = _scale_bar(ax, (x0, x1, y0, y1), pts)
    fig.flankmap_layout = {"placed": [], "dropped": []}
    if "labels" in layers:
        fig.flankmap_layout = _labels(ax, geo, c.labels, c.flank or {}, c.flank_countries, avoid=[scale])
    if decor is not None:
        static_annotations.draw(ax, fig, geo, decor, data_dir)
        static_annotations.banners(fig, decor.marking, width, height)

    # Header.
    t = fig.text(
        margin / width, 1 - (0.3 + band) / height, c.title, fontsize=24, fontweight="bold", color=INK, va="top"
    )
    t.set_gid("flankmap-box-title")
    for i, line in enumerate(subtitles):
        y = 1 - (0.72 + band + i * 0.24) / height
        t = fig.text(margin / width, y, line, fontsize=12.5, color=MUTED, va="top")
        t.set_gid(f"flankmap-box-subtitle-{i}")
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
        t = fig.text(margin / width, (footer - 0.2 - i * 0.17) / height, line, fontsize=size, color=MUTED, va="top")
        t.set_gid(f"flankmap-box-footer-{i}")
    return fig


def footer_font_size(line: str, chars: int, size: float = 9.5) -> float:
    """The footer's font size, made smaller for a line longer than ``chars`` (a long permalink) so it fits."""
    return size * min(1.0, chars / max(len(line), 1))


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
