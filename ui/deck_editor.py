"""The Briefing page's editor (``pages/briefing.py`` stays thin): slides from the current view, their words and
annotations placed by clicking a map, the marking, reordering, a preview of each slide as exported, present,
download and upload of the JSON, the exports, and a link for one slide.

The document lives in session state as the JSON the file holds (``fm_deck``); the core checks it
(:func:`flankmap.view.briefing.validate`) before anything is shown as a slide, downloaded or exported.
"""

from __future__ import annotations

import json
import os
import re
from html import escape

import folium
import streamlit as st
from streamlit_folium import st_folium

from flankmap.render import deck, leaflet
from flankmap.view import briefing, urlstate
from flankmap.view.urlstate import ViewState
from ui import cache

KINDS = {"text": "Text box (click a point)", "arrow": "Arrow (click its start, then its end)",
         "country": "Country (click it)", "border": "Border segment (click it)"}  # fmt: skip
PRESET_OTHER = "Other (type it)"
CALLOUT_CSS = "background:#fff;border:1px solid #111;padding:1px 4px;white-space:nowrap"
PRESENT_CSS = """<style>
.st-key-fm_deck_show iframe { position: fixed; inset: 0; width: 100vw !important; height: 100vh !important;
  z-index: 1000010; border: 0; background: #fff; }
.st-key-fm_deck_exit { position: fixed; right: 12px; bottom: 36px; z-index: 1000020; }
</style>"""


def md(text: str) -> str:
    """Text shown literally in Markdown (st.markdown renders no HTML; this stops emphasis, links and lists)."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~])", r"\\\1", text)


def _ss():
    return st.session_state


def new_doc() -> dict:
    """An empty briefing (no slide yet)."""
    return {"flankmap_briefing": briefing.VERSION, "title": "Untitled briefing", "byline": "",
            "marking": briefing.DEFAULT_MARKING, "slides": []}  # fmt: skip


def doc() -> dict:
    """The working document."""
    if "fm_deck" not in _ss():
        _ss().fm_deck = new_doc()
    return _ss().fm_deck


def _set(sid: str | None, field: str, key: str) -> None:
    """A widget's new value into the document before the script reruns (so the slide list above it is current)."""
    target = doc() if sid is None else next((x for x in doc()["slides"] if x["id"] == sid), None)
    if target is not None and key in _ss():  # an upload may have replaced the document and its widgets
        target[field] = _ss()[key]


def _forget_widgets() -> None:
    for key in [k for k in _ss() if str(k).startswith("fm_deck_w_")]:
        del _ss()[key]


def replace_doc(new: dict) -> None:
    """Take a whole (valid) document, e.g. an upload or a link, dropping the widgets of the old one."""
    _forget_widgets()
    _ss().fm_deck = new
    _ss().fm_deck_sel = 0


def slide_of(view: ViewState, ids) -> dict:
    """A new slide showing ``view``."""
    n = 1
    while f"s{n}" in ids:
        n += 1
    v = view.normalised()
    out = {"date": v.day.isoformat(), "fill": v.fill, "frame": v.area, "layers": list(v.layers)}
    if v.spend_year is not None:
        out["year"] = v.spend_year
    if v.compare_day is not None:
        out["compare"] = v.compare_day.isoformat()
    if v.treaty != urlstate.DEFAULT_TREATY:
        out["treaty"] = v.treaty
    return {"id": f"s{n}", "view": out, "title": "", "subtitle": "", "notes": "", "annotations": []}


def _move(i: int, step: int) -> None:
    slides = doc()["slides"]
    j = i + step
    if 0 <= j < len(slides):
        slides[i], slides[j] = slides[j], slides[i]
        _ss().fm_deck_sel = j
        _forget_widgets()


def _delete(i: int) -> None:
    del doc()["slides"][i]
    _ss().fm_deck_sel = max(0, min(_ss().get("fm_deck_sel", 0), len(doc()["slides"]) - 1))
    _forget_widgets()


def _add(view: ViewState) -> None:
    slides = doc()["slides"]
    if len(slides) >= briefing.MAX_SLIDES:
        st.toast(f"A briefing holds at most {briefing.MAX_SLIDES} slides.")
        return
    slides.append(slide_of(view, {s["id"] for s in slides}))
    _ss().fm_deck_sel = len(slides) - 1


def checked() -> tuple[briefing.Briefing | None, list[str]]:
    """The document checked by the core: (briefing, []) or (None, one line per problem)."""
    try:
        return briefing.validate(doc()), []
    except briefing.BriefingError as exc:
        return None, exc.lines()


# --------------------------------------------------------------------------------------------------------------
def header() -> None:
    """Title, byline, marking."""
    d = doc()
    c1, c2, c3 = st.columns([3, 2, 2])
    d["title"] = c1.text_input("Briefing title", d["title"], max_chars=120, key="fm_deck_w_title",
                               on_change=_set, args=(None, "title", "fm_deck_w_title"))  # fmt: skip
    d["byline"] = c2.text_input("Byline (optional)", d.get("byline", ""), max_chars=120, key="fm_deck_w_byline",
                                on_change=_set, args=(None, "byline", "fm_deck_w_byline"))  # fmt: skip
    presets = [*briefing.PRESETS, "", PRESET_OTHER]
    now = d.get("marking", "")
    pick = c3.selectbox(
        "Handling marking (banner on every slide)",
        presets,
        index=presets.index(now) if now in presets else len(presets) - 1,
        format_func=lambda p: p or "(no banner)",
        key="fm_deck_w_preset",
    )
    if pick == PRESET_OTHER:
        d["marking"] = c3.text_input("Marking text", now if now not in presets else "", max_chars=60,
                                     key="fm_deck_w_marking")  # fmt: skip
    else:
        d["marking"] = pick
    st.caption("A marking is a label you type for documents that sit inside marked decks; Flankmap is not "
               "accredited for classified work.")  # fmt: skip


def slide_list(view: ViewState) -> None:
    """The slides in order: select, move, delete; the add button."""
    d = doc()
    st.button("Add this view as a slide", icon=":material/add:", on_click=_add, args=(view,), key="fm_deck_add",
              type="primary")  # fmt: skip
    if not d["slides"]:
        st.info("No slide yet: pick a date and layers in the sidebar, then add the view as a slide.")
        return
    sel = _ss().get("fm_deck_sel", 0)
    for i, s in enumerate(d["slides"]):
        row = st.columns([8, 1, 1, 1, 1], vertical_alignment="center")
        label = f"{i + 1}. {s.get('title') or '(no own title)'} · {s['view']['date']}"
        row[0].markdown(("**▶ " + md(label) + "**") if i == sel else md(label))
        if row[1].button("Edit", key=f"fm_deck_sel_{i}", disabled=i == sel):
            _ss().fm_deck_sel = i
            st.rerun()
        row[2].button("↑", key=f"fm_deck_up_{i}", on_click=_move, args=(i, -1), disabled=i == 0,
                      help="Move up")  # fmt: skip
        row[3].button("↓", key=f"fm_deck_dn_{i}", on_click=_move, args=(i, 1), disabled=i == len(d["slides"]) - 1,
                      help="Move down")  # fmt: skip
        row[4].button("✕", key=f"fm_deck_del_{i}", on_click=_delete, args=(i,), help="Delete this slide")


def slide_words(s: dict) -> None:
    """The selected slide's own title, subtitle and speaker notes."""
    sid = s["id"]
    keys = {f: f"fm_deck_w_{f}_{sid}" for f in ("title", "subtitle", "notes")}
    s["title"] = st.text_input("Slide title (empty: the view's own title)", s.get("title", ""), max_chars=120,
                               key=keys["title"], on_change=_set, args=(sid, "title", keys["title"]))  # fmt: skip
    s["subtitle"] = st.text_input("Subtitle", s.get("subtitle", ""), max_chars=200, key=keys["subtitle"],
                                  on_change=_set, args=(sid, "subtitle", keys["subtitle"]))  # fmt: skip
    s["notes"] = st.text_area("Speaker notes", s.get("notes", ""), max_chars=4000, key=keys["notes"],
                              on_change=_set, args=(sid, "notes", keys["notes"]))  # fmt: skip


def _click_map(s: dict) -> folium.Map:
    countries, borders = cache.click_map_geo(cache.data_version())
    bounds = urlstate.area(s["view"].get("frame", urlstate.DEFAULT_AREA)).bounds
    m = folium.Map(tiles=None, zoom_control=True, attribution_control=False, double_click_zoom=False)
    m.fit_bounds([list(bounds[0]), list(bounds[1])])
    m.default_js = [("leaflet", leaflet.LEAFLET_JS)]  # only local assets (a CDN script would blank it offline)
    m.default_css = [("leaflet_css", leaflet.LEAFLET_CSS)]
    folium.GeoJson(countries, name="countries", style_function=lambda f: {"color": "#ffffff", "weight": 0.8,
                   "fillColor": "#c9d3dc", "fillOpacity": 1}, tooltip=folium.GeoJsonTooltip(["name"], labels=False),
                   highlight_function=lambda f: {"fillColor": "#9fb2c4"}).add_to(m)  # fmt: skip
    folium.GeoJson(borders, name="borders", style_function=lambda f: {"color": "#111111", "weight": 3},
                   tooltip=folium.GeoJsonTooltip(["segment_id"], labels=False)).add_to(m)  # fmt: skip
    for a in s.get("annotations", []):
        text = escape(a.get("text", ""))
        if a["kind"] in ("text", "arrow") and a.get("at"):
            if a["kind"] == "arrow" and a.get("head"):
                folium.PolyLine([a["at"], a["head"]], color="#111111", weight=3).add_to(m)
                folium.CircleMarker(a["head"], radius=5, color="#111111", fill=True).add_to(m)
            if text:
                html = f"<span style='{CALLOUT_CSS}'>{text}</span>"
                folium.Marker(a["at"], icon=folium.DivIcon(html=html)).add_to(m)
        elif a["kind"] == "country":
            feats = [f for f in countries["features"] if f["properties"]["iso3"] == a.get("iso3")]
            folium.GeoJson({"type": "FeatureCollection", "features": feats}, style_function=lambda f: {
                "color": "#111111", "weight": 3, "dashArray": "6 3", "fill": False}).add_to(m)  # fmt: skip
        elif a["kind"] == "border":
            feats = [f for f in borders["features"] if f["properties"]["segment_id"] == a.get("segment")]
            folium.GeoJson({"type": "FeatureCollection", "features": feats}, style_function=lambda f: {
                "color": "#111111", "weight": 6, "dashArray": "6 3"}).add_to(m)  # fmt: skip
    return m


def _new_id(s: dict) -> str:
    ids = {a["id"] for a in s.get("annotations", [])}
    n = 1
    while f"a{n}" in ids:
        n += 1
    return f"a{n}"


def annotations(s: dict) -> None:
    """Place annotations by clicking the map; list and delete them."""
    sid = s["id"]
    c1, c2 = st.columns(2)
    kind = c1.radio("Add an annotation", list(KINDS), format_func=KINDS.get, key=f"fm_deck_w_kind_{sid}")
    text = c2.text_input("Its text (optional for a country or border)", max_chars=280, key=f"fm_deck_w_atext_{sid}")
    start = c2.date_input("Shown from (optional)", value=None, key=f"fm_deck_w_from_{sid}")
    end = c2.date_input("Shown until (optional)", value=None, key=f"fm_deck_w_to_{sid}")
    tail = _ss().get("fm_deck_tail")
    if kind == "arrow" and tail:
        st.caption(f"Arrow starts at {tail[0]:.2f}, {tail[1]:.2f}: click where it points to.")
    out = st_folium(_click_map(s), key=f"fm_deck_map_{sid}", height=460, use_container_width=True,
                    returned_objects=["last_clicked", "last_active_drawing"])  # fmt: skip
    click = (out or {}).get("last_clicked")
    sig = json.dumps([click, ((out or {}).get("last_active_drawing") or {}).get("properties")], sort_keys=True)
    if click and sig != _ss().get("fm_deck_click"):
        _ss().fm_deck_click = sig
        point = [round(click["lat"], 4), round(click["lng"], 4)]
        props = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
        ann = {"id": _new_id(s), "kind": kind, "text": text}
        if kind == "text":
            ann["at"] = point
        elif kind == "arrow" and not tail:
            _ss().fm_deck_tail = point
            st.rerun()
        elif kind == "arrow":
            ann |= {"at": tail, "head": point}
            _ss().fm_deck_tail = None
        elif kind == "country" and props.get("iso3"):
            ann["iso3"] = props["iso3"]
        elif kind == "border" and props.get("segment_id"):
            ann["segment"] = props["segment_id"]
        else:
            st.warning(f"Click on a {kind} to highlight it.")
            ann = None
        if ann is not None:
            if start:
                ann["from"] = start.isoformat()
            if end:
                ann["to"] = end.isoformat()
            s.setdefault("annotations", []).append(ann)
            st.rerun()
    for j, a in enumerate(s.get("annotations", [])):
        row = st.columns([8, 1], vertical_alignment="center")
        where = a.get("iso3") or a.get("segment") or ", ".join(f"{x:.2f}" for x in a.get("at", []))
        rng = f" · {a.get('from', '…')} to {a.get('to', '…')}" if a.get("from") or a.get("to") else ""
        row[0].markdown(md(f"{a['kind']}: {a.get('text', '')} ({where}){rng}"))
        if row[1].button("✕", key=f"fm_deck_adel_{sid}_{j}", help="Delete this annotation"):
            del s["annotations"][j]
            st.rerun()


def upload_download(b: briefing.Briefing | None) -> None:
    """Download the JSON (when valid); upload one (every problem listed, nothing loaded when refused)."""
    c1, c2 = st.columns(2)
    if b is not None:
        c1.download_button("Download briefing (JSON)", b.dumps(), file_name="flankmap-briefing.json",
                           mime="application/json", key="fm_deck_dl_json", icon=":material/download:")  # fmt: skip
    up = c2.file_uploader("Open a briefing file (JSON)", type=["json"], key="fm_deck_up")
    if up is not None and up.file_id != _ss().get("fm_deck_up_id"):
        _ss().fm_deck_up_id = up.file_id
        try:
            loaded = briefing.parse(up.getvalue()[: briefing.MAX_BYTES * 64])
        except briefing.BriefingError as exc:
            _ss().fm_deck_refused = (up.name, exc.lines())
        else:
            _ss().fm_deck_refused = None
            replace_doc(loaded.to_json())
            st.rerun()
    refused = _ss().get("fm_deck_refused")
    if refused:
        name, lines = refused
        st.error(f"{name} was refused, nothing loaded: {len(lines)} problem(s).")
        st.markdown("\n".join(f"- {md(line)}" for line in lines))


def exports(b: briefing.Briefing, version: str) -> None:
    """The deck's three exports (made when clicked) and a link for the selected slide."""
    text = b.dumps()
    cols = st.columns(3)
    names = {"pptx": "PowerPoint (.pptx)", "pdf": "PDF, a page per slide", "html": "Offline story (.html)"}
    for col, fmt in zip(cols, deck.FORMATS, strict=True):
        if fmt == "html" and deck.story_problem(b):
            col.info(md(deck.story_problem(b)))
            continue
        col.download_button(names[fmt], lambda fmt=fmt: cache.deck_export(text, fmt, version),
                            file_name=f"flankmap-briefing.{fmt}", mime=deck.MIME_TYPES[fmt], key=f"fm_deck_x_{fmt}",
                            icon=":material/download:", on_click="ignore")  # fmt: skip


def link(b: briefing.Briefing, i: int) -> None:
    """A link carrying the selected slide with its annotations, or why there is none."""
    param = briefing.to_link_param(b, i)
    if param is None:
        st.info("This slide is too long for a link: download the briefing file instead.")
        return
    base = os.environ.get(urlstate.BASE_URL_ENV, "").rstrip("/")
    query = urlstate.to_query(b.slides[i].view.state())
    st.markdown("Link to this slide with its annotations (opens on this page, or on the map page):")
    st.code(f"{base}/briefing?{query}&b={param}", language=None, wrap_lines=True)
    st.code(f"{base}/?{query}&b={param}", language=None, wrap_lines=True)
    if st.button("Show this slide on the map", key="fm_deck_to_map", icon=":material/map:"):
        from ui import map_annotations

        map_annotations.show(b, i)
        st.switch_page("app.py")


def present(b: briefing.Briefing, version: str) -> None:
    """The offline story in a full-window frame: arrow keys and the buttons step; Exit returns."""
    import streamlit.components.v1 as components

    if deck.story_problem(b):
        st.warning(md(deck.story_problem(b)))
        if st.button("Back to the briefing", key="fm_deck_exit", icon=":material/close:"):
            _ss().fm_deck_present = False
            st.rerun()
        return
    st.html(PRESENT_CSS)
    with st.container(key="fm_deck_show"):
        components.html(cache.deck_export(b.dumps(), "html", version).decode("utf-8"), height=800)
    if st.button("Exit presentation", key="fm_deck_exit", icon=":material/close:"):
        _ss().fm_deck_present = False
        st.rerun()
