"""The static renderer's side panel: the legend from the view, then the change list, then the border rows."""

from __future__ import annotations

import textwrap

from matplotlib.patches import Rectangle

from flankmap.render.static_layers import INK, MPL_HATCH, MUTED, Content, mpl_dash, mpl_width
from flankmap.view import symbology as sym


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


def _side_panel(fig, c: Content, panel_x, width, height, panel_w, top, bottom) -> None:
    """The legend model, then the change list, then the border rows if they still fit."""
    pax = fig.add_axes((panel_x, bottom / height, panel_w / width, (top - bottom) / height))
    pax.set_xlim(0, panel_w)
    pax.set_ylim(0, top - bottom)
    pax.axis("off")
    pax.set_gid("flankmap-box-legend")
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
