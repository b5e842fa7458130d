"""Shareable view state in the URL: parse, validate and clamp query parameters, and write them back.

A link reproduces a view: ``?date=2025-12-27&layers=status,borders&fill=status&area=baltic``.
Bad values never raise: each falls back to a safe value and yields a one-line note for the page to show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from flankmap.data.dates import parse_iso_day
from flankmap.domain import treaties
from flankmap.domain.spending import SPEND_FILL_SERIES

LAYERS = ("borders", "labels")
# ottawa, ccm (flankmap.domain.treaties) and "both": the Ottawa status filled, states outside the CCM outlined
TREATIES = (*treaties.TREATIES, "both")
DEFAULT_TREATY = treaties.DEFAULT_TREATY
FILLS = ("status", "spending", "spending_nato")  # spending: SIPRI series; spending_nato: NATO series


@dataclass(frozen=True)
class Area:
    """A map framing a person can pick and share: its label and [[south, west], [north, east]] bounds."""

    label: str
    bounds: tuple[tuple[float, float], tuple[float, float]]


AREAS = {
    "baltic": Area("Baltic Sea region (default)", ((48.0, 5.5), (62.5, 36.0))),
    "suwalki": Area("Suwałki Gap", ((53.55, 21.9), (54.75, 24.3))),
    # Finland to below Bulgaria: Poland, Romania and Bulgaria whole
    "flank": Area("Eastern flank, Finland to the Black Sea", ((40.6, 14.1), (70.1, 41.6))),
    # the geodata clip box: Iceland to Azerbaijan, Cyprus and Crete to the North Cape
    "europe": Area("All of Europe", ((34.0, -24.6), (71.2, 50.9))),
}
DEFAULT_AREA = "baltic"


def area(name: str) -> Area:
    """The framing called ``name``; the default framing for an unknown name."""
    return AREAS.get(name, AREAS[DEFAULT_AREA])


VIEWS = ("map", "briefing")
DEFAULT_LAYERS = ("borders", "labels")
SPEND_YEARS = (2014, 2026)  # bounds; the page narrows to the years in data/defence_spending.csv
# Environment variable naming the app's public address, so exports and the CLI print full permalinks.
BASE_URL_ENV = "FLANKMAP_BASE_URL"
MAX_NOTE_VALUE = 40  # echo at most this many characters of a bad value back to the user


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link carries."""

    day: dt.date
    layers: tuple[str, ...] = DEFAULT_LAYERS
    fill: str = "status"
    spend_year: int | None = None
    area: str = "baltic"
    compare_day: dt.date | None = None
    view: str = "map"
    treaty: str = DEFAULT_TREATY  # whose status the map shows: ottawa | ccm
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_spending(self) -> bool:
        """True for a spending fill (one series each), False for the treaty status."""
        return self.fill in SPEND_FILL_SERIES

    @property
    def series(self) -> str | None:
        """The spending series a spending fill shows (None for the status fill)."""
        return SPEND_FILL_SERIES.get(self.fill)

    @property
    def chosen_year(self) -> int | None:
        """The spending year chosen for a spending fill (None: the year follows the date, or no spending fill)."""
        return self.spend_year if self.is_spending else None

    def normalised(self) -> ViewState:
        """The view as drawn: the compare outline is a treaty-status feature, so it is dropped on other fills."""
        return replace(self, compare_day=None) if self.is_spending and self.compare_day is not None else self


def parse_layers(raw: str) -> tuple[tuple[str, ...], list[str]]:
    """(known layers in canonical order, unknown names) of a comma list; ``none`` or blank means no layer."""
    asked = [p.strip() for p in raw.split(",") if p.strip() and p.strip() != "none"]
    return tuple(p for p in LAYERS if p in asked), [p for p in asked if p not in LAYERS]


def parse_year(raw: str | None) -> int | None:
    """A spending year within ``SPEND_YEARS`` written as four digits, or None."""
    if raw and re.fullmatch(r"\d{4}", raw) and SPEND_YEARS[0] <= int(raw) <= SPEND_YEARS[1]:
        return int(raw)
    return None


def _one(value) -> str | None:
    """Streamlit gives a str; other callers may pass lists. Take the last value, like a browser would."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return str(value[-1]) if value else None
    return str(value)


def _shown(value: str) -> str:
    """A bad value as it may be echoed in a note: shortened, printable, markup characters removed."""
    clean = re.sub(r"[^\w\-.:, ]", "?", value)[:MAX_NOTE_VALUE]
    return clean + ("…" if len(value) > MAX_NOTE_VALUE else "")


def parse_date(raw: str | None, first: dt.date, last: dt.date, default: dt.date | None, name: str = "date"):
    """(date, note or None): a valid ISO date clamped into [first, last]; otherwise ``default`` with a note."""
    if raw is None or raw == "":
        return default, None
    try:
        day = parse_iso_day(raw)
    except ValueError:
        fallback = f"showing {default}" if default else "comparison off"
        return default, f"Ignored {name}={_shown(raw)!r}: not a date (use YYYY-MM-DD); {fallback}."
    if day < first:
        return first, f"{name}={raw} is before {first}, the first day covered; showing {first}."
    if day > last:
        return last, f"{name}={raw} is after {last}, the last day covered; showing {last}."
    return day, None


def first_day(treaty: str) -> dt.date:
    """The first day a treaty's view covers: its adoption; "both": the later adoption (the CCM's)."""
    if treaty == "both":
        return max(t.adopted for t in treaties.TREATIES.values())
    return treaties.get(treaty).adopted


def parse_treaty(raw: str | None) -> tuple[str, str | None]:
    """(treaty key, note or None): a known treaty (``ottawa``, ``ccm``), else the Ottawa Convention with a note."""
    treaty = raw or DEFAULT_TREATY
    if treaty in TREATIES:
        return treaty, None
    return (
        DEFAULT_TREATY,
        f"Ignored treaty={_shown(treaty)!r}; known: {', '.join(TREATIES)}. Showing the Ottawa Convention.",
    )


def parse(params: Mapping, first: dt.date, last: dt.date, today: dt.date) -> ViewState:
    """Read a view from query parameters. Never raises; ``notes`` says what was ignored or clamped."""
    notes = []
    treaty, note = parse_treaty(_one(params.get("treaty")))
    notes.append(note)
    first = max(first, first_day(treaty))  # the CCM's timeline (and "both") starts at its adoption (2008-05-30)
    default_day = min(max(today, first), last)
    day, note = parse_date(_one(params.get("date")), first, last, default_day)
    notes.append(note)
    compare_day, note = (None, None)
    if _one(params.get("compare")):
        compare_day, note = parse_date(_one(params.get("compare")), first, last, None, "compare")
    notes.append(note)

    layers = DEFAULT_LAYERS
    raw_layers = _one(params.get("layers"))
    if raw_layers is not None:
        layers, unknown = parse_layers(raw_layers)
        if unknown:
            if not layers and raw_layers.strip() != "none":
                layers = DEFAULT_LAYERS  # nothing usable was asked for: keep the default layers, not none
            notes.append(f"Ignored unknown layer(s) {_shown(','.join(unknown))!r}; known: {', '.join(LAYERS)}.")

    fill = _one(params.get("fill")) or "status"
    if fill not in FILLS:
        notes.append(f"Ignored fill={_shown(fill)!r}; known: {', '.join(FILLS)}. Showing treaty status.")
        fill = "status"

    spend_year = None
    raw_year = _one(params.get("year"))
    if raw_year:
        spend_year = parse_year(raw_year)
        if spend_year is None:
            notes.append(f"Ignored year={_shown(raw_year)!r}: use a year {SPEND_YEARS[0]}-{SPEND_YEARS[1]}.")

    area_name = _one(params.get("area")) or DEFAULT_AREA
    if area_name not in AREAS:
        notes.append(f"Ignored area={_shown(area_name)!r}; known: {', '.join(AREAS)}.")
        area_name = DEFAULT_AREA

    view = _one(params.get("view")) or "map"
    if view not in VIEWS:
        notes.append(f"Ignored view={_shown(view)!r}; known: {', '.join(VIEWS)}.")
        view = "map"

    return ViewState(
        day=day,
        layers=layers,
        fill=fill,
        spend_year=spend_year,
        area=area_name,
        compare_day=compare_day,
        view=view,
        treaty=treaty,
        notes=tuple(n for n in notes if n),
    )


def to_params(state: ViewState) -> dict[str, str]:
    """Query parameters for a view: defaults are left out so links stay short."""
    params = {"date": state.day.isoformat()}
    if state.layers != DEFAULT_LAYERS:
        params["layers"] = ",".join(state.layers) if state.layers else "none"
    if state.fill != "status":
        params["fill"] = state.fill
    if state.spend_year is not None:
        params["year"] = str(state.spend_year)
    if state.area != "baltic":
        params["area"] = state.area
    if state.compare_day is not None:
        params["compare"] = state.compare_day.isoformat()
    if state.view != "map":
        params["view"] = state.view
    if state.treaty != DEFAULT_TREATY:
        params["treaty"] = state.treaty
    return params


def to_query(state: ViewState) -> str:
    """The query string (without ``?``) of a view, e.g. ``date=2025-12-27&fill=spending``."""
    from urllib.parse import urlencode

    return urlencode(to_params(state), safe=",")


def permalink(state: ViewState, base: str = "") -> str:
    """A link reproducing the view: ``base`` (e.g. ``http://host:8501/``) plus its query string."""
    return f"{base}?{to_query(state)}"
