"""One symbology for every renderer: the Leaflet payload and the static export draw the same legend and colours."""

import datetime as dt
import html
import re
import subprocess
from pathlib import Path

import pytest

from flankmap import briefing, load, mapview, urlstate
from flankmap import symbology as sym

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
VIEWS = {
    "status": urlstate.ViewState(day=D(2025, 12, 27)),
    "spending": urlstate.ViewState(day=D(2024, 6, 1), fill="spending", spend_year=2024),
    "compare": urlstate.ViewState(day=D(2025, 12, 27), compare_day=D(2025, 6, 1)),
    "borders_off": urlstate.ViewState(day=D(2025, 12, 27), layers=("labels",)),
}


def _map(view):
    return mapview.map_payload(
        view.day, layers=view.layers, fill=view.fill, spend_year=view.spend_year, compare_day=view.compare_day
    )


def _map_legend_labels(payload) -> list[str]:
    rows = re.findall(r"<div[^>]*>(?:<span[^>]*></span>)?(.*?)</div>", payload["legend_html"])
    return [html.unescape(r) for r in rows]


def _map_colours(payload) -> dict[str, tuple]:
    out = {}
    hatch = f"url(#{sym.PENDING_HATCH.id})"
    for iso3, i in payload["styles"].items():
        s = payload["style_list"][i]
        fill = sym.PENDING_HATCH.background if s["fillColor"] == hatch else s["fillColor"]
        out[iso3] = (fill, s["color"], s["weight"], s["dashArray"])
    return out


@pytest.mark.parametrize("name", list(VIEWS))
def test_map_and_export_draw_the_same_legend_and_colours(name):
    view = VIEWS[name]
    payload = _map(view)
    content = briefing._content(view.normalised(), load.drawn_iso3s(), load.DATA_DIR)
    assert _map_legend_labels(payload) == [e.label for e in content.legend]
    export = {
        iso3: (s.fill, s.edge, s.width, " ".join(f"{d:g}" for d in s.dash) if s.dash else None)
        for iso3, s in content.styles.items()
    }
    drawn = {k: v for k, v in _map_colours(payload).items() if k != "_default"}
    assert drawn == export
    assert len(set(v[0] for v in drawn.values())) >= 4  # not all one colour


def test_border_rows_follow_the_borders_layer():
    on = _map_legend_labels(_map(VIEWS["status"]))
    off = _map_legend_labels(_map(VIEWS["borders_off"]))
    assert "Borders" in on and "Belarus borders" in on
    assert "Borders" not in off and not any("borders" in label for label in off)
    svg = briefing.render(D(2025, 12, 27), "svg", layers=("labels",), generated=D(2026, 1, 1)).decode()
    assert "Belarus borders" not in svg and "Withdrawn (3)" in svg


def test_export_draws_each_legend_label_and_the_map_colours():
    view = VIEWS["compare"]
    svg = briefing.render(view.day, "svg", compare_day=view.compare_day, generated=D(2026, 1, 1)).decode()
    for entry in briefing._content(view, load.drawn_iso3s(), load.DATA_DIR).legend:
        if entry.kind == "patch":  # long labels wrap: their first words are one text element
            assert html.escape(entry.label[:24], quote=False) in svg, entry.label
    for code in ("state_party", "withdrawn", "non_party"):
        assert sym.STATUS_STYLE[code].style.fill in svg
    assert sym.CHANGED_OUTLINE.edge in svg and sym.PENDING_HATCH.stripe in svg


def test_one_unit_rule_for_widths_and_dashes():
    style = sym.STATUS_STYLE["withdrawal_pending"].style
    assert briefing.mpl_width(style) == pytest.approx(style.width * 0.75)
    assert briefing.mpl_dash(style) == (0, (4.5, 3.0))
    assert mapview.leaflet_path(style)["weight"] == style.width
    assert sym.pt_to_px(sym.px_to_pt(3.5)) == pytest.approx(3.5)


@pytest.mark.parametrize(("value", "cls"), [(0.5, 0), (1.0, 1), (1.99, 1), (2.0, 2), (3.5, 3), (4.99, 3), (5.0, 4)])
def test_spending_class_breaks_belong_to_the_upper_class(value, cls):
    assert sym.spend_class(value) == cls


def test_hex_colours_live_in_one_core_module():
    found = subprocess.run(
        ["grep", "-rlE", "#[0-9a-fA-F]{6}\\b", "--include=*.py", "flankmap"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert found == ["flankmap/symbology.py"]
