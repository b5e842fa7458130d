"""What the static renderer draws on the map (countries, borders, outlines, labels, scale bar), and from what."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Rectangle

from flankmap.render.static_geometry import _Geometry
from flankmap.view import symbology as sym

INK, MUTED = sym.INK, sym.MUTED


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
    labels: tuple = ()  # the view model's labels of the day, by priority
    flank: dict | None = None  # the model's flank points (lat, lon) by place
    flank_countries: tuple = ()

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


# Label styles (the model's style key) as matplotlib text: size (pt), weight, colour, box.
LABEL_STYLES = {
    key: {"fontsize": size, "fontweight": weight, **sym.LABEL_TEXT[key]}
    for key, size, weight in (
        ("region", 13, "bold"),
        ("name", 9.5, "normal"),
        ("gap", 11, "bold"),
        ("flag", 10.5, "bold"),
    )
}
PAD_PT = 2.5  # the text box's padding


def _place_box(ax_, ay, w, h, place, scale):
    """R.placeBox in display pixels (y up): the box of a w x h label at ``place`` around the anchor."""
    dirs = {"c": (0, 0), "n": (0, 1), "s": (0, -1), "e": (1, 0), "w": (-1, 0)}
    dirs.update({"ne": (1, 1), "nw": (-1, 1), "se": (1, -1), "sw": (-1, -1)})
    dx, dy = dirs.get(place[0], (0, 0))
    g = place[1] * scale * (0.71 if dx and dy else 1)
    cx, cy = ax_ + dx * (g + w / 2), ay + dy * (g + h / 2)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _over(a, b, pad=0.0) -> bool:
    return a[0] < b[2] + pad and a[2] > b[0] - pad and a[1] < b[3] + pad and a[3] > b[1] - pad


def flank_display_points(ax, geo: _Geometry, flank: dict, countries) -> np.ndarray:
    """The flank in display pixels: the outline vertices of ``countries`` and the model's flank points."""
    pts = [geo.country_paths[i].vertices for i in countries if i in geo.country_paths]
    pts += [np.array([_xy(geo, lon, lat) for lat, lon in flank[k]]) for k in flank if flank[k]]
    return ax.transData.transform(np.vstack(pts)) if pts else np.zeros((0, 2))


def _labels(ax, geo: _Geometry, labels, flank: dict, countries, avoid=()) -> dict:
    """The day's labels (the view model's, by priority), laid out greedily in the exact page extent: each at its
    first place (in display pixels) that stays inside the map, touches no placed label and no box in ``avoid``
    and covers no flank point; a label that fits nowhere is dropped. Each label is an SVG group with id
    ``flankmap-label-<id>``. Returns {"placed": [ids], "dropped": [ids]}.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    scale = fig.dpi / 72
    frame = ax.get_window_extent(renderer)
    frame = (frame.x0 + 3, frame.y0 + 3, frame.x1 - 3, frame.y1 - 3)
    pts = flank_display_points(ax, geo, flank, countries)
    inside = (pts[:, 0] >= frame[0]) & (pts[:, 0] <= frame[2]) & (pts[:, 1] >= frame[1]) & (pts[:, 1] <= frame[3])
    pts = pts[inside]
    placed, out = [], {"placed": [], "dropped": []}
    for lab in labels:
        st = LABEL_STYLES.get(lab["style"], LABEL_STYLES["name"])
        lat, lon = lab["at"]
        anchor = ax.transData.transform(_xy(geo, lon, lat))
        if not (frame[0] <= anchor[0] <= frame[2] and frame[1] <= anchor[1] <= frame[3]):
            continue  # its feature is not in the frame
        text = "\n".join(lab["lines"])
        kw = {"fontsize": st["fontsize"], "fontweight": st["fontweight"], "color": st["color"], "ha": "center"}
        kw.update({"va": "center", "multialignment": "center", "linespacing": 1.1, "zorder": 8})
        t = ax.text(0, 0, text, **kw)
        ext = t.get_window_extent(renderer)
        t.remove()
        pad = (PAD_PT + 1) * scale
        w, h = ext.width + 2 * pad, ext.height + 2 * pad
        hit = None
        for place in lab["places"]:
            r = _place_box(anchor[0], anchor[1], w, h, place, scale)
            if r[0] < frame[0] or r[1] < frame[1] or r[2] > frame[2] or r[3] > frame[3]:
                continue
            if any(_over(r, b, 3 * scale) for b in avoid) or any(_over(r, b, 2 * scale) for b in placed):
                continue
            if len(pts) and bool(
                ((pts[:, 0] >= r[0]) & (pts[:, 0] <= r[2]) & (pts[:, 1] >= r[1]) & (pts[:, 1] <= r[3])).any()
            ):
                continue
            hit = (r, place)
            break
        if hit is None:
            out["dropped"].append(lab["id"])
            continue
        r, place = hit
        placed.append(r)
        out["placed"].append(lab["id"])
        at = ax.transData.inverted().transform(((r[0] + r[2]) / 2, (r[1] + r[3]) / 2))
        box = {"boxstyle": f"round,pad={PAD_PT / st['fontsize']:.3f}", "facecolor": st["box"], "alpha": 0.9}
        box.update({"edgecolor": st["edge"] or "none", "linewidth": 1.0})
        tip = ax.transData.inverted().transform(anchor)
        if lab.get("leader") and place[1] >= 20:
            arrow = {"arrowstyle": "-", "color": st["color"], "lw": 1.2, "shrinkA": 0, "shrinkB": 0}
            t = ax.annotate(text, xy=tip, xytext=at, bbox=box, arrowprops=arrow, annotation_clip=False, **kw)
        else:
            t = ax.text(*at, text, bbox=box, **kw)
        t.set_gid("flankmap-label-" + lab["id"])
    return out


def _scale_bar(ax, extent, flank_pts=None):
    """A km scale bar in the first corner (lower left, lower right, upper left, upper right) where its box covers
    no flank point (display pixels). EPSG:3035 is equal-area; linear scale error here is a few percent. Its box is
    the group ``flankmap-box-scale``; returns the box in display pixels.
    """
    x0, x1, y0, y1 = extent
    target = (x1 - x0) / 5 / 1000
    km = max(k for k in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if k <= max(target, 10))
    length, tick = km * 1000, (y1 - y0) * 0.012
    box_w, box_h = length + (x1 - x0) * 0.06, (y1 - y0) * 0.09
    corners = []
    for right in (False, True):
        for top in (False, True):
            bx = x1 - (x1 - x0) * 0.03 - length - (x1 - x0) * 0.036 if right else x0 + (x1 - x0) * 0.03
            by = y1 - (y1 - y0) * 0.045 - box_h + (y1 - y0) * 0.03 if top else y0 + (y1 - y0) * 0.045
            corners.append((bx, by))
    corners = [corners[0], corners[2], corners[1], corners[3]]  # lower left, lower right, upper left, upper right
    pick = corners[0]
    for bx, by in corners:
        lo = (bx - (x1 - x0) * 0.012, by - (y1 - y0) * 0.03)
        (r0, r1), (r2, r3) = ax.transData.transform([lo, (lo[0] + box_w, lo[1] + box_h)])
        if flank_pts is None or not len(flank_pts):
            pick = (bx, by)
            break
        p = flank_pts
        if not ((p[:, 0] >= r0) & (p[:, 0] <= r2) & (p[:, 1] >= r1) & (p[:, 1] <= r3)).any():
            pick = (bx, by)
            break
    bx, by = pick
    rect = Rectangle(
        (bx - (x1 - x0) * 0.012, by - (y1 - y0) * 0.03),
        box_w,
        box_h,
        facecolor="white",
        alpha=0.85,
        edgecolor=sym.FRAME,
        lw=0.6,
        zorder=9,
    )
    rect.set_gid("flankmap-box-scale")
    ax.add_patch(rect)
    ax.plot([bx, bx + length / 2], [by, by], color=INK, lw=4, solid_capstyle="butt", zorder=10)
    ax.plot([bx + length / 2, bx + length], [by, by], color="white", lw=4, solid_capstyle="butt", zorder=10)
    ax.plot([bx, bx + length], [by, by], color=INK, lw=0.8, zorder=10)
    for x in (bx, bx + length / 2, bx + length):
        ax.plot([x, x], [by - tick, by + tick], color=INK, lw=1, zorder=10)
    for x, text in ((bx, "0"), (bx + length, f"{km} km")):
        ax.text(x, by + tick * 1.6, text, fontsize=9.5, ha="center", va="bottom", color=INK, zorder=10)
    (a0, a1), (a2, a3) = ax.transData.transform([rect.get_xy(), (rect.get_x() + box_w, rect.get_y() + box_h)])
    return (a0, a1, a2, a3)
