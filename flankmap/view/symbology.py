"""The one symbology of every Flankmap renderer: colours, outlines, hatches, legend, titles, credits.

Pure data and small functions (no I/O, no folium, no matplotlib). The Leaflet payload
(:mod:`flankmap.render.leaflet`), the static export (:mod:`flankmap.render.static_export`) and any later
renderer are thin adapters over this module; hex colours appear in no other module of ``flankmap/`` (a test checks).

Units: every width and dash length here is in CSS pixels, as Leaflet draws them. A print renderer
converts with :func:`px_to_pt` (1 px = 1/96 in, 1 pt = 1/72 in, so 1 px = 0.75 pt), and draws dashes in
absolute points (matplotlib: ``lines.scale_dashes = False``). That is the only unit rule.

Public names (stable; other renderers build on them):

- :class:`Style` (``fill``, ``edge``, ``width``, ``dash``, ``hatch``, ``fill_opacity``, ``opacity``),
  :class:`Hatch`, :class:`StatusStyle` (``style``, ``label``, ``legend_order``, ``always_in_legend``),
  :class:`LegendEntry` (``kind``, ``key``, ``label``, ``style``), :class:`LegendView`, :class:`Heading`.
- ``STATUS_STYLE`` (status code -> :class:`StatusStyle`), ``STATUS_ORDER``, ``STATUS_COLOURS``,
  ``PENDING_HATCH``, ``NO_DATA_STYLE``, ``NO_DATA_COLOUR``, ``COUNTRY_EDGE``, ``LEGEND_SWATCH_EDGE``.
- Spending: ``SPEND_FILLS`` (fill -> series), ``SPEND_BREAKS``, ``SPEND_COLOURS``, ``SPEND_LABELS``,
  ``SPEND_NOTE``, ``NO_FORCES_COLOUR``, ``NO_FORCES_STYLE``, :func:`spend_class`, :func:`spending_style`,
  (each fill shows one series).
- Borders: ``BORDER_STYLE`` (focus -> :class:`Style`), ``BORDER_LEGEND`` ((focus, label) in legend order),
  :func:`border_style`.
- Outlines: ``CHANGED_OUTLINE`` (compare view), ``FLAG_OUTLINE``, ``FLAG_SYMBOL``, :func:`flag_label`.
- :func:`country_style` (one country's :class:`Style` for a fill), :func:`legend`, :func:`heading`,
  :func:`suwalki_label`, :func:`long_date`, :func:`px_to_pt`, :func:`pt_to_px`.
- Credits: ``OSM_CREDIT``, ``ATTRIBUTION``, ``STATUS_SOURCE``, ``SPENDING_SOURCE``, :func:`source_line`.
- Other renderers' colours: ``INK``, ``MUTED``, ``SEA``, ``FRAME``, ``LABEL_INK``, ``CHART``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from flankmap.domain.spending import NATO_PCT, SIPRI_PCT, SPEND_FILL_SERIES
from flankmap.domain.treaty import STATUS_LABELS

PT_PER_PX = 0.75


def px_to_pt(px: float) -> float:
    """CSS pixels (the map's unit) to typographic points (the print unit)."""
    return px * PT_PER_PX


def pt_to_px(pt: float) -> float:
    """Typographic points to CSS pixels."""
    return pt / PT_PER_PX


@dataclass(frozen=True)
class Hatch:
    """Stripes over a background: a second cue besides colour that survives greyscale print."""

    id: str  # SVG pattern id on the map
    background: str
    stripe: str


@dataclass(frozen=True)
class Style:
    """How one area or line is drawn. Widths and dashes in CSS px; ``fill=None`` draws no fill."""

    fill: str | None
    edge: str
    width: float
    dash: tuple[float, ...] | None = None
    hatch: Hatch | None = None
    fill_opacity: float = 0.9
    opacity: float = 1.0

    def outlined(self, outline: Style) -> Style:
        """This style with the edge (colour, width, dash) of ``outline``."""
        return replace(self, edge=outline.edge, width=outline.width, dash=outline.dash)


# --- colours ---------------------------------------------------------------------------------------------------
INK = "#111111"
MUTED = "#333333"
LABEL_INK = "#222222"
SEA = "#eef3f7"  # the Leaflet container background too (static/flankmap/flankmap.css)
FRAME = "#8a8a8a"
COUNTRY_EDGE = "#ffffff"
LEGEND_SWATCH_EDGE = "#444444"  # a white country edge is invisible on a white legend
NO_DATA_COLOUR = "#e8e8e8"
NO_FORCES_COLOUR = "#f7f4ee"  # "no armed forces" (Iceland, Liechtenstein): a fact, not a missing figure
COUNTRY_WIDTH = 0.8

# Map labels, by the view model's style key: text colour, box fill (and its least opacity in any renderer), box
# edge. A light box under every label, so each passes WCAG AA (4.5:1) over any fill (tests/unit/test_contrast.py);
# the browser's CSS (static/flankmap/flankmap.css, loaded by the app and the offline file) uses the same colours.
LABEL_BOX_ALPHA = 0.8
LABEL_TEXT = {
    "region": {"color": INK, "box": "#ffffff", "edge": None},
    "name": {"color": LABEL_INK, "box": "#ffffff", "edge": None},
    "gap": {"color": "#7a0177", "box": "#ffffff", "edge": "#7a0177"},
    "flag": {"color": "#3d2900", "box": "#ffffff", "edge": "#5a3e00"},
}
# Text in the boxes (title, legend, sources; static/flankmap/flankmap.css): colours on a white box of at least this
# opacity.
BOX_ALPHA = 0.92
BOX_TEXT = {"title": INK, "sub": MUTED, "stale": "#8a3b00", "source": LABEL_INK}

NO_DATA_STYLE = Style(fill=NO_DATA_COLOUR, edge=COUNTRY_EDGE, width=COUNTRY_WIDTH)
PENDING_HATCH = Hatch(id="flankmap-hatch-pending", background="#f6d48a", stripe="#b36b00")


@dataclass(frozen=True)
class StatusStyle:
    """A treaty status as drawn: the style, the legend label and position."""

    style: Style
    label: str
    legend_order: int
    always_in_legend: bool  # listed even when no drawn country has it


def _plain(fill: str) -> Style:
    return Style(fill=fill, edge=COUNTRY_EDGE, width=COUNTRY_WIDTH)


# Colour-blind-safe (Okabe-Ito based) and ordered in lightness so the classes survive greyscale print;
# "withdrawal pending" also gets a hatch and a dashed outline, "withdrawn" a heavy outline.
_STATUS = (
    ("state_party", _plain("#1f5f8b"), True),
    ("joined_not_in_force", _plain("#56b4e9"), False),
    ("signatory", _plain("#cfe8f3"), False),
    (
        "withdrawal_pending",
        Style(
            fill=PENDING_HATCH.background, edge="#7a4a00", width=2.2, dash=(6, 4), hatch=PENDING_HATCH, fill_opacity=1
        ),
        True,
    ),
    ("withdrawn", Style(fill="#d55e00", edge="#000000", width=2.0), True),
    ("non_party", _plain("#bdbdbd"), True),
)
STATUS_STYLE = {
    code: StatusStyle(style=style, label=STATUS_LABELS[code], legend_order=i, always_in_legend=always)
    for i, (code, style, always) in enumerate(_STATUS)
}
STATUS_ORDER = tuple(code for code, _, _ in _STATUS)
# The plain colour of each status (pending: its hatch background), e.g. for charts.
STATUS_COLOURS = {code: s.style.fill for code, s in STATUS_STYLE.items()}

# --- flags and outlines ----------------------------------------------------------------------------------------
FLAG_SYMBOL = "⚑"
FLAG_OUTLINE = Style(fill=None, edge="#5a3e00", width=2.0, dash=(2, 4))
CHANGED_OUTLINE = Style(fill=None, edge="#c51b7d", width=4.0)
# The "both" view: the fill is the Ottawa status, a dark teal dotted outline marks a state outside the Convention on
# Cluster Munitions (not a State Party to it on that day). Teal: apart from the flag (brown), compare (magenta),
# the Suwałki Gap (purple) and the withdrawn outline (black).
OUTSIDE_CCM_OUTLINE = Style(fill=None, edge="#00695c", width=3.0, dash=(1.5, 3.0))

# --- spending --------------------------------------------------------------------------------------------------
# Spending classes break at the NATO marks: 2% (Wales 2014), 3.5% core and 5% total (The Hague 2025).
SPEND_BREAKS = (1.0, 2.0, 3.5, 5.0)
SPEND_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#2c7fb8", "#253494")
SPEND_LABELS = ("under 1%", "1–2%", "2–3.5%", "3.5–5%", "5% and more")
SPEND_NOTE = "Class breaks at NATO marks: 2% (Wales 2014), 3.5% core and 5% total (The Hague 2025)"
SPEND_FILL_OPACITY = 0.92
NATO_SERIES = NATO_PCT
SIPRI_SERIES = SIPRI_PCT
SPEND_FILLS = SPEND_FILL_SERIES  # the spending fills and their one series each (declared in the domain)
NO_FORCES_STYLE = Style(fill=NO_FORCES_COLOUR, edge=COUNTRY_EDGE, width=COUNTRY_WIDTH, fill_opacity=0.92)


def spend_class(value: float) -> int:
    """Index into ``SPEND_COLOURS`` of a % of GDP figure (a value on a break belongs to the upper class)."""
    return bisect.bisect_right(SPEND_BREAKS, value)


def spending_style(value: float | None, reason_code: str | None = None) -> Style:
    """A country's style on a spending fill: its class colour; without a figure, "no armed forces" or no data."""
    if value is None:
        if reason_code == "no_armed_forces":
            return NO_FORCES_STYLE
        return replace(NO_DATA_STYLE, fill_opacity=SPEND_FILL_OPACITY)
    return Style(
        fill=SPEND_COLOURS[spend_class(float(value))],
        edge=COUNTRY_EDGE,
        width=COUNTRY_WIDTH,
        fill_opacity=SPEND_FILL_OPACITY,
    )


# --- borders ---------------------------------------------------------------------------------------------------
BORDER_STYLE = {
    "suwalki": Style(fill=None, edge="#7a0177", width=6, opacity=0.95),
    "belarus": Style(fill=None, edge=INK, width=3.5, opacity=0.9),
    "kaliningrad": Style(fill=None, edge=INK, width=3.5, dash=(8, 5), opacity=0.9),
    "russia": Style(fill=None, edge=MUTED, width=2.5, opacity=0.85),
    "other": Style(fill=None, edge="#555555", width=1.5, opacity=0.7),
}
BORDER_LEGEND = (
    ("suwalki", "Suwałki Gap (Poland–Lithuania)"),
    ("belarus", "Belarus borders"),
    ("kaliningrad", "Kaliningrad borders"),
    ("russia", "Russia borders"),
)
BORDER_DRAW_ORDER = ("other", "russia", "belarus", "kaliningrad", "suwalki")  # the gap on top


def border_style(focus: str | None) -> Style:
    """The line style of a border segment by its ``focus`` (unknown: ``other``)."""
    return BORDER_STYLE.get(focus or "other", BORDER_STYLE["other"])


# --- colours of the charts (Vega-Lite) --------------------------------------------------------------------------
CHART = {
    "marker": "#d7191c",
    "milestones": ("#4575b4", "#1a9641", "#fdae61", "#f46d43", "#984ea3", "#d73027", "#7f0000"),
    "period": "#bbbbbb",
    "count": "#2c7bb6",
    "count_alt": "#fdae61",
    "guide": "#555555",
    "land": "#eeeeee",
    "land_edge": "#999999",
    "link": "#0b4f7c",
}

# --- credits and sources ---------------------------------------------------------------------------------------
OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"
ATTRIBUTION = f"{OSM_CREDIT} · treaty data: Landmine Monitor, ICBL, UN · Flankmap"
STATUS_SOURCE = (
    "Sources: Landmine Monitor, ICBL, ISU, UN depositary notices via national sources; withdrawal "
    "effective six months after UN receipt (Art. 20(3))."
)
SPENDING_SOURCE = (
    "Sources: NATO, Defence Expenditure of NATO Countries (2014-2025); SIPRI Military Expenditure "
    "Database 2026, https://www.sipri.org/databases/milex (non-commercial use with citation). "
    "NATO and SIPRI definitions differ."
)


# The Convention on Cluster Munitions' status sources (flankmap.domain.treaties.CCM; data/ccm_events.csv).
CCM_STATUS_SOURCE = (
    "Sources: UN Treaty Collection, depositary status of the Convention on Cluster Munitions (XXVI-6), "
    "CCM Implementation Support Unit; withdrawal effective six months after UN receipt (Art. 20(3))."
)
# The names readers see per treaty key (flankmap.domain.treaties): map titles, legend headings, table captions.
TREATY_TITLES = {
    "ottawa": "Ottawa Convention",
    "ccm": "Convention on Cluster Munitions",
    "both": "Ottawa Convention and CCM",  # CCM: the Convention on Cluster Munitions (the legend spells it out)
}
BOTH_STATUS_SOURCE = (
    "Sources: Ottawa: Landmine Monitor, ICBL, ISU, UN depositary notices; CCM: UN Treaty Collection XXVI-6, CCM ISU; "
    "withdrawal effective six months after UN receipt (Art. 20(3) of each)."
)
STATUS_SOURCES = {"ottawa": STATUS_SOURCE, "ccm": CCM_STATUS_SOURCE, "both": BOTH_STATUS_SOURCE}


def treaty_title(treaty: str = "ottawa") -> str:
    """The treaty's name as a map title says it: 'Ottawa Convention', 'Convention on Cluster Munitions'."""
    return TREATY_TITLES[treaty]


def source_line(fill: str, checked_through: dt.date | None = None, treaty: str = "ottawa") -> str:
    """The source line under a map with this fill, borders credit and the treaty data's checked-through day."""
    line = f"{SPENDING_SOURCE if fill in SPEND_FILLS else STATUS_SOURCES[treaty]} Borders: {OSM_CREDIT}."
    return line + (f" Treaty data checked through {checked_through.isoformat()}." if checked_through else "")


# --- text ------------------------------------------------------------------------------------------------------
def long_date(day: dt.date) -> str:
    """27 December 2025 (no locale dependence)."""
    return f"{day.day} {day:%B %Y}"


def flag_label(name: str, flag: str) -> str:
    """The legend text of a flagged country, e.g. ``⚑ Ukraine: purported suspension ... (contested)``."""
    return f"{FLAG_SYMBOL} {name}: {flag} (contested)"


def suwalki_label(along_km: float | None, straight_km: float | None) -> tuple[str, list[str]]:
    """('Suwałki Gap', its sourced distances as phrases); a missing figure is left out, never invented."""
    parts = []
    if along_km:
        parts.append(f"{along_km:g} km along the border")
    if straight_km:
        parts.append(f"~{straight_km:g} km straight")
    return "Suwałki Gap", parts


@dataclass(frozen=True)
class Heading:
    """A map's title and subtitle lines (plain text; renderers escape); ``warning``: a subtitle to stress."""

    title: str
    subtitles: tuple[str, ...]
    warning: str | None = None


SERIES_SHORT = {NATO_SERIES: "NATO", SIPRI_SERIES: "SIPRI"}


def heading(
    fill: str,
    day: dt.date,
    *,
    count_text: str = "",
    year: int | None = None,
    compare_day: dt.date | None = None,
    year_chosen: bool = False,
    warning: str | None = None,
    treaty: str = "ottawa",
) -> Heading:
    """The title of a view: status (with the States Parties count) or spending (series and year).

    ``warning`` (e.g. "Treaty data checked through ...") is shown under the subtitles by every renderer.
    """
    if fill in SPEND_FILLS:
        chosen = "chosen year" if year_chosen else "latest year with figures by then"
        return Heading(
            f"Defence spending {year} (% of GDP), {SERIES_SHORT[SPEND_FILLS[fill]]} series",
            (f"Map date {long_date(day)} ({chosen}); NATO and SIPRI differ in definition",),
            warning,
        )
    subs = [f"{count_text} States Parties worldwide (counting deposits; a withdrawal counts when effective)"]
    if treaty == "both":
        subs = [f"States Parties worldwide: {count_text} (counting deposits; a withdrawal counts when effective)"]
    if compare_day is not None:
        subs.append(f"Outlined in magenta: status changed since {long_date(compare_day)}")
    title = f"{treaty_title(treaty)} status on {long_date(day)}"
    if treaty == "both":
        title = f"Ottawa (fill) and CCM (outline) status on {long_date(day)}"
    return Heading(title, tuple(subs), warning)


# --- per country -----------------------------------------------------------------------------------------------
def country_style(
    fill: str,
    *,
    status_code: str | None = None,
    flagged: bool = False,
    changed: bool = False,
    spend_value: float | None = None,
    spend_reason: str | None = None,
    outside_ccm: bool = False,
) -> Style:
    """The style of one country. Status fill: by status, flag outline, the "both" view's outside-the-CCM outline,
    then the compare outline on top.
    """
    if fill in SPEND_FILLS:
        return spending_style(spend_value, spend_reason)
    if status_code is None:
        return NO_DATA_STYLE
    style = STATUS_STYLE[status_code].style
    if flagged:
        style = style.outlined(FLAG_OUTLINE)
    if outside_ccm:
        style = style.outlined(OUTSIDE_CCM_OUTLINE)
    if changed:
        style = style.outlined(CHANGED_OUTLINE)
    return style


# --- legend ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LegendEntry:
    """One legend row. ``kind``: ``heading``, ``patch`` (a swatch), ``line`` (a border) or ``note`` (text)."""

    kind: str
    key: str  # stable id, e.g. ``status:withdrawn``, ``border:suwalki``, ``spend:2``
    label: str
    style: Style | None = None


@dataclass(frozen=True)
class LegendView:
    """What a legend depends on. ``flags``: (name, flag text) of flagged countries drawn."""

    fill: str = "status"
    layers: tuple[str, ...] = ("borders", "labels")
    counts: Mapping[str, int] = field(default_factory=dict)
    year: int | None = None
    compare_day: dt.date | None = None
    flags: tuple[tuple[str, str], ...] = ()
    series_note: str | None = None  # the spending series and edition shown, e.g. "SIPRI Milex 2026 ..."
    treaty: str = "ottawa"  # whose status the status fill shows (flankmap.domain.treaties)


def _swatch(style: Style) -> Style:
    return replace(style, edge=LEGEND_SWATCH_EDGE) if style.edge == COUNTRY_EDGE else style


def _status_entries(view: LegendView) -> Iterable[LegendEntry]:
    heading = "Ottawa status (fill), CCM (outline)" if view.treaty == "both" else f"{treaty_title(view.treaty)} status"
    yield LegendEntry("heading", "heading:status", heading)
    for code in STATUS_ORDER:
        s = STATUS_STYLE[code]
        n = view.counts.get(code, 0)
        if not n and not s.always_in_legend:
            continue  # a class nobody on the map has only takes room
        yield LegendEntry("patch", f"status:{code}", f"{s.label} ({n})" if n else s.label, _swatch(s.style))
    for name, flag in view.flags:
        style = STATUS_STYLE["state_party"].style.outlined(FLAG_OUTLINE)
        yield LegendEntry("patch", f"flag:{name}", flag_label(name, flag), style)
    if view.treaty == "both":
        n = view.counts.get("outside_ccm", 0)
        label = "outlined: outside the Convention on Cluster Munitions (signed only, withdrawn or never joined)"
        outline = Style(fill="#ffffff", edge=OUTSIDE_CCM_OUTLINE.edge, width=2.0, dash=OUTSIDE_CCM_OUTLINE.dash)
        yield LegendEntry("patch", "outside_ccm", f"{label} ({n})" if n else label, outline)
    if view.compare_day is not None:
        changed = Style(fill="#ffffff", edge=CHANGED_OUTLINE.edge, width=CHANGED_OUTLINE.width)
        yield LegendEntry("patch", "changed", f"changed since {view.compare_day.isoformat()}", changed)


def _spending_entries(view: LegendView) -> Iterable[LegendEntry]:
    yield LegendEntry("heading", "heading:spending", f"Defence spending {view.year}, % of GDP")
    if view.series_note:
        yield LegendEntry("note", "spend:series", view.series_note)
    for i, (colour, label) in enumerate(zip(SPEND_COLOURS, SPEND_LABELS, strict=True)):
        yield LegendEntry("patch", f"spend:{i}", label, _swatch(Style(fill=colour, edge=COUNTRY_EDGE, width=0.8)))
    yield LegendEntry("patch", "spend:no_forces", "no armed forces", _swatch(NO_FORCES_STYLE))
    yield LegendEntry("patch", "spend:none", f"no figure for {view.year} (reason in tooltip)", _swatch(NO_DATA_STYLE))
    yield LegendEntry("note", "spend:breaks", SPEND_NOTE)
    series = SPEND_FILLS.get(view.fill, SIPRI_SERIES)
    other = "NATO" if series == SIPRI_SERIES else "SIPRI"
    yield LegendEntry("note", "spend:one_series", f"One series only: a missing figure is never filled from {other}'s.")


def legend(view: LegendView) -> list[LegendEntry]:
    """The legend of a view, in order; border rows only when the borders layer is shown."""
    entries = list(_spending_entries(view) if view.fill in SPEND_FILLS else _status_entries(view))
    if "borders" in view.layers:
        entries.append(LegendEntry("heading", "heading:borders", "Borders"))
        for focus, label in BORDER_LEGEND:
            entries.append(LegendEntry("line", f"border:{focus}", label, BORDER_STYLE[focus]))
    return entries


# Handling-marking banners (briefings, issue 19): (ink, ground) per preset. UNCLASSIFIED: white on green, the US
# banner-line colour convention (CAPCO / DoD markings, as in the classification-banner requests cited in
# USER_RESEARCH.md #2). TLP:CLEAR: FIRST's TLP 2.0 colours, white on black. PUBLIC and typed text have no
# colour convention: a neutral dark banner (Flankmap never suggests accreditation for classified work).
MARKING_NEUTRAL = ("#FFFFFF", "#333333")
MARKING_COLOURS = {
    "PUBLIC": MARKING_NEUTRAL,
    "UNCLASSIFIED": ("#FFFFFF", "#007A33"),
    "NATO UNCLASSIFIED": ("#FFFFFF", "#007A33"),
    "TLP:CLEAR": ("#FFFFFF", "#000000"),
}
