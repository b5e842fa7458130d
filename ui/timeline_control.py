"""The map page's timeline control: a small bidirectional Streamlit component beside the map.

The control is the offline file's (``static/flankmap/control.js`` over ``runtime.js``; words and settings from
:mod:`flankmap.view.control`), declared here from a local path (``static/flankmap/timeline_control/``; no network).
In the browser it moves the map on every input event (drag, arrow keys, Page Up/Down, Home/End, play day by day,
typed date) by calling the map frame's runtime: no server round trip. When a gesture ends it sends the settled
date once, as the component's value ``{date, seq, how}``; :func:`settled` then puts that date into the view
state and the page's rerun brings the URL, table, figures, exports and sidebar along.

``seq`` counts the settled dates a control has sent; the server hands back the last one it took, with its date,
so the control knows whether a rerun is answering its newest date (and may move it) or an older one (it keeps
its own day). The date a browser sends is parsed and clamped here like a URL's: a browser is not trusted.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from flankmap.data.dates import parse_iso_day
from flankmap.view import control
from flankmap.view.urlstate import ViewState
from ui import cache, state

PATH = Path(__file__).resolve().parents[1] / "static" / "flankmap" / "timeline_control"
KEY = "fm_timeline"
_component = components.declare_component("flankmap_timeline", path=str(PATH))


def _settled() -> None:
    """The component's on_change: a settled date from the browser becomes the view's date."""
    value = st.session_state.get(KEY)
    if not isinstance(value, dict):
        return
    seq = value.get("seq")
    try:
        day = parse_iso_day(value.get("date"))
    except ValueError:
        return  # not what the control sends: ignored, the page keeps its date
    if not isinstance(seq, int) or isinstance(seq, bool):
        return
    first, last = state.bounds()
    state.set_date(min(max(day, first), last))
    st.session_state.fm_seq = seq


def draw(view: ViewState) -> None:
    """The control, above the map: the view's date, the slider's range, the key dates and the control's words."""
    first, last = state.bounds()
    key_dates = cache.control_key_dates(view.fill, last.isoformat(), cache.data_version(), view.treaty)
    _component(
        key=KEY,
        default=None,
        on_change=_settled,
        date=view.day.isoformat(),
        seq=int(st.session_state.get("fm_seq", 0)),
        first=first.isoformat(),
        last=last.isoformat(),
        key_dates=key_dates,
        **control.settings(stopped=""),  # the page's live region says where play stopped
    )
