"""The map page's annotations: a briefing slide's, brought by a link's ``b`` parameter (the compact versioned
one-slide briefing the Briefing page makes, :func:`flankmap.view.briefing.to_link_param`) or by the Briefing
page's "Show on the map". The slide's view becomes the map's view; its annotations go to the browser with each
step payload (plain data, drawn by ``R.drawAnnotations`` for the map date) and are listed under the table.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from flankmap.render import static_annotations
from flankmap.view import briefing, model, textalt
from flankmap.view.urlstate import ViewState
from ui import state

NOTE_KEY = "fm_map_link_note"


def take_link() -> None:
    """Before ``page_setup``: a new ``b`` parameter becomes the map's annotations and its slide's view the view;
    a bad or oversized one leaves the view as it is, with a one-line note (:func:`note`)."""
    param = st.query_params.get("b")
    ss = st.session_state
    if not param or ss.get("fm_map_link") == param:
        return
    ss.fm_map_link = param
    try:
        b = briefing.from_link_param(param)
    except briefing.BriefingError as exc:
        ss[NOTE_KEY] = f"The link's annotations were ignored: {exc.lines()[0]}"
        return
    show(b, 0)


def show(b: briefing.Briefing, index: int) -> None:
    """Show a slide on the map page: its view (restored into the sidebar's saved copy) and its annotations."""
    slide = b.slides[index]
    ss = st.session_state
    ss.fm_map_slide = {"title": b.title, "annotations": tuple(slide.annotations)}
    view = slide.view.state()
    for key, to_widget, _ in state.FIELDS:
        ss[f"saved_{key}"] = to_widget(view)
    ss.fm_page = None  # the map page restores the widgets from the saved copy on its next run


def note() -> None:
    """The one-line note of a refused link parameter (once)."""
    text = st.session_state.pop(NOTE_KEY, None)
    if text:
        st.warning(text, icon="⚠️")


def annotations() -> tuple:
    """The annotations the map shows (all of them; the browser and :func:`listing` select the day's)."""
    slide = st.session_state.get("fm_map_slide")
    return slide["annotations"] if slide else ()


def add_to_payload(payload: dict) -> dict:
    """The step payload with the annotations (plain data; texts are set as text in the browser)."""
    notes = annotations()
    if notes:
        payload = {
            **payload,
            "annotations": [a.to_json() for a in notes],
            "highlight": static_annotations.leaflet_highlight(),
        }
    return payload


def listing(v: ViewState) -> None:
    """Under the table: the annotations shown on the map date (the text alternative), and a button to remove them."""
    notes = annotations()
    if not notes:
        return
    mv = dataclasses.replace(model.view_of(v), annotations=briefing.annotations_on(notes, v.day))
    if mv.annotations:
        st.html(textalt.annotations_html(mv))
    else:
        st.caption(f"The briefing's {len(notes)} annotation(s) are not shown on this date (outside their dates).")
    if st.button("Remove the briefing's annotations", key="fm_map_notes_clear", icon=":material/close:"):
        st.session_state.pop("fm_map_slide", None)
        st.rerun()
