"""What a briefing adds to a static image: the marking banners, the slide's own title, and the annotations valid
on the map date (text callouts, arrows, highlighted countries and border segments).

Annotation text is a stranger's data: matplotlib draws it as text (``usetex`` off, ``$`` escaped so mathtext
never reads it), SVG and PDF writers escape it, and PowerPoint gets it as text runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from matplotlib.patches import FancyArrowPatch, PathPatch, Rectangle

from flankmap.data import load
from flankmap.render.static_geometry import _Geometry, _line_arrays
from flankmap.view import briefing
from flankmap.view import symbology as sym

INK = sym.INK
HIGHLIGHT = sym.Style(fill=None, edge=sym.INK, width=3.0, dash=(6, 3))  # black dashes: no new colour, any fill
CALLOUT_BOX = {"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": sym.INK, "linewidth": 0.8}
BANNER_IN = 0.26  # banner height, inches


def leaflet_highlight() -> dict:
    """The highlight as Leaflet path options (the browser's annotations: app map, offline file, story)."""
    return {"color": HIGHLIGHT.edge, "weight": HIGHLIGHT.width + 1, "dashArray": " ".join(map(str, HIGHLIGHT.dash))}


@dataclass(frozen=True)
class Decor:
    """A briefing slide's additions to a view's image."""

    title: str = ""
    subtitle: str = ""
    marking: briefing.Marking | None = None
    annotations: tuple = ()  # briefing.Annotation shown on the day
    editable: bool = False  # PowerPoint: leave the title and annotation texts out (real text boxes go there)
    anchors: list = field(default_factory=list, compare=False)  # filled while drawing: (annotation, fx, fy)


def decor_of(b: briefing.Briefing, slide: briefing.Slide, editable: bool = False) -> Decor:
    """The decor of one slide: its words, the briefing's marking, the annotations valid on its date."""
    return Decor(
        title=slide.title,
        subtitle=slide.subtitle,
        marking=briefing.marking(b.marking),
        annotations=briefing.annotations_on(slide.annotations, slide.view.date),
        editable=editable,
    )


def heading(h: sym.Heading, d: Decor) -> sym.Heading:
    """The slide's heading: its own title (the view's title, with the date, becomes the first subtitle line)."""
    if not d.title and not d.subtitle and not d.editable:
        return h
    own_sub = "" if d.editable else d.subtitle  # PowerPoint: the slot stays, a text box fills it
    subs = ([own_sub] if d.subtitle else []) + ([h.title] if d.title else []) + list(h.subtitles)
    title = "" if d.editable else (d.title or h.title)
    return replace(h, title=title, subtitles=tuple(subs))


def plain(text: str) -> str:
    """Text matplotlib draws verbatim (a ``$`` would start mathtext)."""
    return text.replace("$", r"\$")


def banners(fig, m: briefing.Marking | None, width: float, height: float) -> None:
    """The marking as a banner across the top and the bottom of the page."""
    if m is None:
        return
    for y in (height - BANNER_IN, 0.0):
        fig.add_artist(
            Rectangle((0, y / height), 1, BANNER_IN / height, transform=fig.transFigure, color=m.ground, zorder=10)
        )
        fig.text(0.5, (y + BANNER_IN / 2) / height, plain(m.text), ha="center", va="center", color=m.ink,
                 fontsize=11, fontweight="bold", zorder=11)  # fmt: skip


@lru_cache(maxsize=4)
def _segments(data_dir: str, version: str) -> dict:
    from flankmap.render.static_geometry import CRS

    lines = load.borders_geo(Path(data_dir)).to_crs(CRS)
    return {row.segment_id: _line_arrays(row.geometry) for row in lines.itertuples()}


def draw(ax, fig, geo: _Geometry, d: Decor, data_dir: Path) -> None:
    """The annotations on the map axes; with ``d.editable`` the texts are left out and their places recorded."""
    to_xy = geo.transformer.transform
    for a in d.annotations:
        anchor = None
        if a.kind == "country" and a.iso3 in geo.country_paths:
            ax.add_patch(PathPatch(geo.country_paths[a.iso3], fill=False, edgecolor=HIGHLIGHT.edge,
                                   linewidth=HIGHLIGHT.width, linestyle=(0, HIGHLIGHT.dash), zorder=6))  # fmt: skip
            ext = geo.country_paths[a.iso3].get_extents()
            anchor = ((ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2)
        elif a.kind == "border":
            arrays = _segments(*load.cache_key(data_dir)).get(a.segment, [])
            for xy in arrays:
                ax.plot(xy[:, 0], xy[:, 1], color=HIGHLIGHT.edge, linewidth=HIGHLIGHT.width + 1,
                        linestyle=(0, HIGHLIGHT.dash), zorder=6, solid_capstyle="round")  # fmt: skip
            if arrays:
                mid = arrays[0][len(arrays[0]) // 2]
                anchor = (mid[0], mid[1])
        elif a.kind == "arrow":
            tail, head = to_xy(a.at[1], a.at[0]), to_xy(a.head[1], a.head[0])
            ax.add_patch(FancyArrowPatch(tail, head, arrowstyle="-|>", mutation_scale=22, color=INK,
                                         linewidth=2.2, zorder=7))  # fmt: skip
            anchor = tail
        elif a.kind == "text":
            anchor = to_xy(a.at[1], a.at[0])
        if anchor is None or not a.text:
            continue
        if d.editable:
            fx, fy = fig.transFigure.inverted().transform(ax.transData.transform(anchor))
            d.anchors.append((a, float(fx), float(fy)))
        else:
            ax.text(*anchor, plain(a.text), fontsize=10.5, color=INK, ha="center", va="center", zorder=8,
                    bbox=CALLOUT_BOX, clip_on=True)  # fmt: skip


def shown(annotations, day: dt.date) -> tuple:
    """The annotations valid on ``day`` (the model's selection, :func:`briefing.annotations_on`)."""
    return briefing.annotations_on(annotations, day)
