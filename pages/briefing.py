"""Briefing page: a deck of views with own titles, a handling marking and dated annotations; present it, and
export it as PowerPoint, PDF or an offline story (the editor is ``ui/deck_editor.py``, the model the core's)."""

import streamlit as st

from flankmap.view import briefing
from ui import cache, deck_editor, state

link_param = st.query_params.get("b")  # a shared slide: read before the page writes the view into the URL
view = state.page_setup("Briefing")
version = cache.data_version()
ss = st.session_state
if link_param and ss.get("fm_deck_link") != link_param:
    ss.fm_deck_link = link_param
    try:
        deck_editor.replace_doc(briefing.from_link_param(link_param).to_json())
    except briefing.BriefingError as exc:
        st.error("The link's briefing was refused: " + "; ".join(exc.lines()))

checked, problems = deck_editor.checked()
if ss.get("fm_deck_present") and checked is not None:
    deck_editor.present(checked, version)
    st.stop()

st.markdown("### Briefing: a deck of views")
st.caption(
    "Add views as slides, give them your own words and annotations, then present them or export PowerPoint, "
    "PDF or an offline story. Annotations show only while the map date is inside their range."
)
deck_editor.header()
deck_editor.slide_list(view)
slides = deck_editor.doc()["slides"]
if slides:
    i = min(ss.get("fm_deck_sel", 0), len(slides) - 1)
    st.markdown(f"#### Slide {i + 1}: {slides[i]['view']['date']}")
    left, right = st.columns(2)
    with left:
        deck_editor.slide_words(slides[i])
    with right:
        deck_editor.annotations(slides[i])
    checked, problems = deck_editor.checked()
    if checked is not None:
        st.markdown("#### As it will be exported")
        st.image(cache.deck_slide_png(checked.dumps(), i, version), width="stretch")
        deck_editor.link(checked, i)
if problems and slides:
    st.error(f"The briefing has {len(problems)} problem(s) to fix before it can be exported:")
    st.markdown("\n".join(f"- {deck_editor.md(line)}" for line in problems))
if checked is not None and slides:
    st.markdown("#### Present and export")
    if st.button("Present", icon=":material/slideshow:", key="fm_deck_present_btn", type="primary"):
        ss.fm_deck_present = True
        st.rerun()
    deck_editor.exports(checked, version)
deck_editor.upload_download(checked if slides else None)
