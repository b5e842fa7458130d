"""The shared view state: sidebar widgets (date, layers, fill, area) mirrored in the URL.

Why it is done by hand: Streamlit's sidebar page navigation drops query parameters, and a widget's state
is dropped when a page without it runs. Every page calls :func:`page_setup` first: it seeds the widgets
from the URL on a session's first run (or from the saved copy after a page change), draws them, keeps a
saved copy under non-widget keys, and writes the view back to ``st.query_params``. So a link reproduces
a view and moving between pages keeps it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import streamlit as st

from flankmap.domain import treaty
from flankmap.view import urlstate
from flankmap.view.urlstate import ViewState
from ui import cache

PLAY_STEP_SECONDS = 1.6
FILL_LABELS = {
    "status": "Treaty status",
    "spending": "Defence spending (% of GDP), SIPRI",
    "spending_nato": "Defence spending (% of GDP), NATO (allies)",
}
AUTO_YEAR = 0  # the spending-year control's "follow the date" position
# The treaty switch: whose status the map, titles, legend, table and exports show (urlstate.TREATIES).
TREATY_LABELS = {
    "ottawa": "Ottawa Convention (anti-personnel mines)",
    "ccm": "Convention on Cluster Munitions",
    "both": "Both: Ottawa status, states outside the CCM outlined",
}
# (script path, label, icon): our own navigation, whose links carry the view in their query parameters.
PAGES = (
    ("app.py", "Map", ":material/map:"),
    ("pages/timeline.py", "Timeline", ":material/timeline:"),
    ("pages/spending.py", "Defence spending", ":material/bar_chart:"),
    ("pages/borders.py", "Borders", ":material/straighten:"),
    ("pages/sources.py", "Data and sources", ":material/menu_book:"),
    ("pages/briefing.py", "Briefing", ":material/slideshow:"),
)
# A local file: an emoji or material icon as page_icon makes the browser fetch it from a CDN.
FAVICON = str(Path(__file__).resolve().parents[1] / "static" / "flankmap" / "favicon.png")
PAGE_CSS = f"<style>\n{(Path(FAVICON).parent / 'page.css').read_text(encoding='utf-8')}</style>"


DEFAULT = ViewState(day=treaty.TREATY_ADOPTED)  # the defaults of every field (the day is always given)
COMPARE_DEFAULT = dt.date(2025, 6, 1)  # date A offered when compare is switched on: before the first deposit


def treaty_key() -> str:
    """The treaty the session shows (the sidebar's switch; ``ottawa`` before it is drawn)."""
    key = st.session_state.get("fm_treaty", urlstate.DEFAULT_TREATY)
    return key if key in urlstate.TREATIES else urlstate.DEFAULT_TREATY


def bounds() -> tuple[dt.date, dt.date]:
    """First and last day the slider offers: the treaty's adoption (the CCM's: 2008-05-30) and today (or a later
    scheduled effective date while a withdrawal is pending)."""
    first = urlstate.first_day(treaty_key())
    return first, cache.data_last_day(cache.data_version(), treaty.current_day().isoformat())


# The one table between a ViewState and the sidebar widgets: (widget key, value for the widget from a view,
# the widget's value as ViewState fields). Seeding, reading, saving and restoring all loop over it.
def _layer_field(name: str) -> tuple[str, Callable, Callable]:
    return (f"fm_{name}", lambda v: name in v.layers, lambda on: {"layers": (name,) if on else ()})


FIELDS: tuple[tuple[str, Callable[[ViewState], Any], Callable[[Any], dict]], ...] = (
    ("fm_date", lambda v: v.day, lambda day: {"day": day}),
    *(_layer_field(name) for name in urlstate.LAYERS),
    ("fm_fill", lambda v: v.fill, lambda fill: {"fill": fill}),
    ("fm_year", lambda v: v.spend_year or AUTO_YEAR, lambda year: {"spend_year": year or None}),
    ("fm_area", lambda v: v.area, lambda area: {"area": area}),
    ("fm_compare_on", lambda v: v.compare_day is not None, lambda on: {"compare_on": on}),
    ("fm_compare", lambda v: v.compare_day or COMPARE_DEFAULT, lambda day: {"compare_day": day}),
    ("fm_treaty", lambda v: v.treaty, lambda key: {"treaty": key}),
)
WIDGET_KEYS = tuple(key for key, _, _ in FIELDS)


def _seed_from_url() -> None:
    """On a session's first run, copy the URL's view into session state (with notes for bad values).

    The URL's date is parsed and clamped here, once (``urlstate.parse``); the slider then holds a valid day.
    """
    first, last = treaty.TREATY_ADOPTED, bounds()[1]  # parse narrows the first day to the URL's treaty
    view = urlstate.parse(st.query_params.to_dict(), first, last, treaty.current_day())
    ss = st.session_state
    for key, to_widget, _ in FIELDS:
        ss[key] = to_widget(view)
    ss.fm_view = view.view
    ss.fm_notes = list(view.notes)
    ss.fm_seeded = True


def init(page: str = "") -> None:
    """Seed once per session; restore widgets after a page change; apply a queued date (play, buttons).

    Each page's sidebar widgets are new widgets to Streamlit, so after a page change they would start
    from their defaults: re-seed them from the saved copy whenever the page differs from the last run's.
    """
    ss = st.session_state
    if not ss.get("fm_seeded"):
        _seed_from_url()
    changed = ss.get("fm_page") != page
    ss.fm_page = page
    for key in WIDGET_KEYS:
        if f"saved_{key}" in ss and (changed or key not in ss):
            ss[key] = ss[f"saved_{key}"]
    if "fm_pending_date" in ss:
        ss.fm_date = ss.pop("fm_pending_date")
    if "fm_pending_play" in ss:
        ss.fm_play = ss.pop("fm_pending_play")


def _save() -> None:
    """A copy of the widgets that outlives them when another page runs."""
    for key in WIDGET_KEYS:
        if key in st.session_state:
            st.session_state[f"saved_{key}"] = st.session_state[key]


def current() -> ViewState:
    """The view as it stands in session state (pages call this; ``app.py`` has drawn the widgets)."""
    ss = st.session_state
    fields: dict[str, Any] = {"layers": ()}
    for key, to_widget, from_widget in FIELDS:
        for name, value in from_widget(ss.get(key, to_widget(DEFAULT))).items():
            fields[name] = fields[name] + value if name == "layers" else value
    compare_on = fields.pop("compare_on")
    return ViewState(
        day=fields["day"],
        layers=tuple(name for name in urlstate.LAYERS if name in fields["layers"]),
        fill=fields["fill"],
        spend_year=fields["spend_year"] if fields["fill"].startswith("spending") else None,
        area=fields["area"],
        compare_day=fields["compare_day"] if compare_on else None,
        view=ss.get("fm_view", DEFAULT.view),
        treaty=fields["treaty"] if fields["treaty"] in urlstate.TREATIES else urlstate.DEFAULT_TREATY,
        notes=tuple(ss.get("fm_notes", ())),
    )


def _key_dates() -> list[tuple[dt.date, str]]:
    return cache.key_dates(cache.data_version(), treaty_key())


def _treaty_switched() -> None:
    """Switching to the CCM on a day before its adoption moves the date to its first day (the slider's start)."""
    first = urlstate.first_day(treaty_key())
    ss = st.session_state
    for key in ("fm_date", "fm_compare"):
        if key in ss and ss[key] < first:
            ss[key] = first
    ss.fm_notes = []


def _jump(direction: int) -> None:
    day = st.session_state.fm_date
    days = [d for d, _ in _key_dates()]
    target = [d for d in days if d > day][:1] if direction > 0 else [d for d in days if d < day][-1:]
    if target:
        st.session_state.fm_date = target[0]
        st.session_state.fm_notes = []


def _pick_key_date() -> None:
    label = st.session_state.get("fm_keydate")
    for day, text in _key_dates():
        if f"{day} · {text}" == label:
            st.session_state.fm_date = day
            st.session_state.fm_notes = []
    st.session_state.fm_keydate = None


def _date_moved() -> None:
    st.session_state.fm_notes = []


def set_date(day: dt.date) -> None:
    """A date chosen outside the date slider (the map page's timeline control): the view's date from now on."""
    ss = st.session_state
    ss.fm_date = day
    ss.saved_fm_date = day
    ss.fm_notes = []


def live_region(text: str) -> None:
    """A polite status region (read out by screen readers when its text changes, WCAG 4.1.3)."""
    st.markdown(
        "<div class='fm-sr-only' role='status' aria-live='polite' aria-atomic='true' id='fm-live'>"
        f"{escape(text)}</div>",
        unsafe_allow_html=True,
    )


def date_slider(label_visibility: str = "collapsed") -> dt.date:
    """The date slider (day steps) in the sidebar of every page but the map page, which has its own control
    beside the map (``ui/timeline_control.py``)."""
    first, last = bounds()
    day = st.slider(
        "Date",
        min_value=first,
        max_value=last,
        key="fm_date",
        format="YYYY-MM-DD",
        on_change=_date_moved,
        label_visibility=label_visibility,
        help=f"Day resolution from the treaty's adoption ({first}) to today.",
    )
    st.session_state.saved_fm_date = day
    return day


def sidebar(date_in_sidebar: bool = True) -> ViewState:
    """Draw the shared controls in the sidebar and return the view they describe."""
    first, last = bounds()
    with st.sidebar:
        name = "Ottawa Convention and CCM" if treaty_key() == "both" else TREATY_LABELS[treaty_key()].split(" (")[0]
        st.markdown(f"**Flankmap** · {name} on NATO's eastern flank")
        params = urlstate.to_params(current())
        for script, label, icon in PAGES:
            st.page_link(script, label=label, icon=icon, query_params=params)
        st.markdown("**Date**")
        if date_in_sidebar:  # the map page has the whole timeline control beside the map
            date_slider()
            back, fwd = st.columns(2)
            back.button(
                "◀ Key date",
                key="fm_prev",
                on_click=_jump,
                args=(-1,),
                width="stretch",
                help="Previous key date (joint statement, votes, deposits, effective dates)",
            )
            fwd.button("Key date ▶", key="fm_next", on_click=_jump, args=(1,), width="stretch", help="Next key date")
        st.selectbox(
            "Jump to a key date",
            [f"{d} · {t}" for d, t in _key_dates()],
            index=None,
            key="fm_keydate",
            on_change=_pick_key_date,
            placeholder="Key dates…",
        )
        if date_in_sidebar:
            st.toggle(
                "▶ Play through key dates",
                key="fm_play",
                help=f"Steps to the next key date every {PLAY_STEP_SECONDS:g} s; stops at the last one.",
            )
        st.markdown("**Map**")
        st.radio(
            "Treaty",
            list(urlstate.TREATIES),
            format_func=TREATY_LABELS.get,
            key="fm_treaty",
            on_change=_treaty_switched,
            help="Whose status the map, its legend, count, table and exports show. Spending figures are the same.",
        )
        st.radio("Fill countries by", list(FILL_LABELS), format_func=FILL_LABELS.get, key="fm_fill")
        if st.session_state.fm_fill.startswith("spending"):
            years = [AUTO_YEAR, *cache.spending_years(cache.data_version())]
            if st.session_state.get("fm_year") not in years:
                st.session_state.fm_year = AUTO_YEAR
            st.select_slider(
                "Spending year",
                options=years,
                key="fm_year",
                format_func=lambda y: "follow date" if y == AUTO_YEAR else str(y),
                help="By default the latest year with figures on or before the selected date; pick a year to fix it.",
            )
        st.checkbox("Border segments", key="fm_borders")
        st.checkbox("Labels (Belarus, Kaliningrad, Suwałki Gap)", key="fm_labels")
        st.selectbox(
            "Frame",
            list(urlstate.AREAS),
            format_func=lambda name: urlstate.AREAS[name].label,
            key="fm_area",
            help="Where the map opens; pan and zoom freely after.",
        )
        st.checkbox("Compare with another date", key="fm_compare_on")
        if st.session_state.fm_compare_on:
            st.date_input("Compare with (date A)", min_value=first, max_value=last, key="fm_compare")
    _save()
    return current()


def page_setup(title: str, date_in_sidebar: bool = True) -> ViewState:
    """First call of every page: page config, shared sidebar (or none in the briefing view), URL sync.

    ``date_in_sidebar=False`` (the map page): no date slider, key-date buttons or play toggle in the sidebar; the
    page draws its own timeline control beside the map (``ui/timeline_control.py``), which plays in the browser.
    """
    st.set_page_config(
        page_title=f"{title} · Flankmap",
        page_icon=FAVICON,
        layout="wide",
        # "auto": open on wide screens, folded on phones so the map comes first.
        initial_sidebar_state="collapsed" if _briefing() else "auto",
    )
    init(title)
    if not date_in_sidebar:
        st.session_state.fm_play = False  # the server's key-date play belongs to the pages with the sidebar slider
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    view = current() if _briefing() else sidebar(date_in_sidebar)
    sync_url(view)
    show_notes(view)
    playing = bool(st.session_state.get("fm_play"))
    st.fragment(run_every=PLAY_STEP_SECONDS if playing else None)(_play_step)()
    return view


def _briefing() -> bool:
    return st.session_state.get("fm_view") == "briefing" or st.query_params.get("view") == "briefing"


def sync_url(view: ViewState) -> None:
    """Write the view into the URL (only when it changed, to keep the browser history quiet)."""
    params = urlstate.to_params(view)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def show_notes(view: ViewState) -> None:
    """One visible line per URL parameter that was ignored or clamped (a toast in the presentation view,
    so the 16:9 frame stays intact)."""
    for note in view.notes:
        if view.view == "briefing":
            st.toast(note, icon="⚠️")
        else:
            st.warning(note, icon="⚠️")


def _play_step() -> None:
    """While playing, a timed fragment (every ``PLAY_STEP_SECONDS``): queue the next key date and rerun the
    page; stop at the last key date. No sleeping in the script thread: the page stays responsive.
    """
    ss = st.session_state
    if not ss.get("fm_play"):
        return
    later = [d for d, _ in _key_dates() if d > ss.fm_date]
    if not later:
        ss.fm_pending_play = False
        st.rerun()
    now = time.monotonic()
    if now - ss.get("fm_play_at", 0.0) < PLAY_STEP_SECONDS * 0.9:  # the run that drew this step: wait
        return
    ss.fm_play_at = now
    ss.fm_pending_date = later[0]
    st.rerun()
