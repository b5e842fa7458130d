"""What the static renderer draws on the map (countries, borders, outlines, labels, scale bar), and from what."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Rectangle

from flankmap.domain import borders
from flankmap.render.static_geometry import _Geometry
from flankmap.view import symbology as sym

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
class Content:
    """What the image says: the view's heading, styles, legend, changes, source and flagged countries."""

    heading: sym.Heading
    styles: dict  # iso3 -> symbology.Style
    legend: list  # symbology.LegendEntry, in order
    changes: list[str]
    changes_title: str
    source: str
    flagged: dict  # iso3 -> flag text

    @property
    def title(self) -> str:
        """The title line."""
        return self.heading.title

    @property
    def subtitle(self) -> list[str]:
        """Every line under the title, the warning (e.g. data checked through an earlier day) last."""
        return [*self.heading.subtitles, *([self.heading.warning] if self.heading.warning else [])]


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


def _draw_countries(ax, geo: _Geometry, c: Content) -> None:
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


def _draw_outlines(ax, geo: _Geometry, c: Content) -> None:
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


def _labels(ax, geo: _Geometry, c: Content, data_dir: Path, extent) -> None:
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
