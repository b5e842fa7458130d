"""One symbology for every renderer: the view model, the map and the static export draw the same legend and colours."""

import datetime as dt
import html
import subprocess
from pathlib import Path

import pytest

from flankmap.data import load
from flankmap.render import leaflet, static_export, static_layers
from flankmap.view import model, urlstate
from flankmap.view import symbology as sym
from tests import oracle

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
VIEWS = {
    "status": urlstate.ViewState(day=D(2025, 12, 27)),
    "spending": urlstate.ViewState(day=D(2024, 6, 1), fill="spending", spend_year=2024),
    "compare": urlstate.ViewState(day=D(2025, 12, 27), compare_day=D(2025, 6, 1)),
    "borders_off": urlstate.ViewState(day=D(2025, 12, 27), layers=("labels",)),
}


def _oracle(view):
    """Legend and styles computed the long way, from treaty.status_records and spending.fill_view (not from the
    published intervals the view model selects from): an independent check of what the model says."""
    from flankmap.domain import spending, treaty, treaty_days

    view = view.normalised()
    iso3s = sorted(set(load.drawn_iso3s()) & load.known_iso3())
    records = treaty.status_records(view.day, iso3s=iso3s)
    series, year, figures, reasons = oracle.fill_view(view.fill, view.day, view.spend_year, iso3s)
    changed = set()
    if view.compare_day:
        changed = set(treaty_days.changes_between(view.compare_day, view.day, iso3s=iso3s)["iso3"])
    counts, styles, flags = {}, {}, []
    for r in records:
        flag = r["flag"] if isinstance(r["flag"], str) else None
        counts[r["status_code"]] = counts.get(r["status_code"], 0) + 1
        if flag:
            flags.append((r["name"], flag))
        rec = figures.get(r["iso3"])
        styles[r["iso3"]] = sym.country_style(
            view.fill,
            status_code=r["status_code"],
            flagged=bool(flag),
            changed=r["iso3"] in changed,
            spend_value=float(rec["value"]) if rec else None,
            spend_reason=reasons.get(r["iso3"], {}).get("reason_code"),
        )
    legend = sym.legend(
        sym.LegendView(
            fill=view.fill,
            layers=view.layers,
            counts=counts,
            year=year,
            compare_day=view.compare_day,
            flags=tuple(flags) if view.fill == "status" else (),
            series_note=spending.legend_label(series, year) if view.fill in sym.SPEND_FILLS else None,
        )
    )
    return legend, styles


@pytest.mark.parametrize("name", list(VIEWS))
def test_the_view_model_draws_the_legend_and_colours_the_core_computes(name):
    view = VIEWS[name]
    legend, styles = _oracle(view)
    mv = model.view_of(view)
    assert [e.label for e in mv.legend_entries()] == [e.label for e in legend]
    assert [e.style for e in mv.legend_entries()] == [e.style for e in legend]
    assert {iso3: mv.style_of(iso3) for iso3 in styles} == styles
    content = static_export._content(view.normalised(), load.drawn_iso3s(), load.DATA_DIR)  # what the export draws
    assert content.legend == mv.legend_entries() and content.styles == {i: mv.style_of(i) for i in content.styles}
    assert len({s.fill for s in styles.values()}) >= 4  # not all one colour


def test_border_rows_follow_the_borders_layer():
    on = [e["label"] for e in model.view_of(VIEWS["status"]).legend]
    off = [e["label"] for e in model.view_of(VIEWS["borders_off"]).legend]
    assert "Borders" in on and "Belarus borders" in on
    assert "Borders" not in off and not any("borders" in label for label in off)
    svg = static_export.render(D(2025, 12, 27), "svg", layers=("labels",), generated=D(2026, 1, 1)).decode()
    assert "Belarus borders" not in svg and "Withdrawn (3)" in svg


def test_export_draws_each_legend_label_and_the_map_colours():
    view = VIEWS["compare"]
    svg = static_export.render(view.day, "svg", compare_day=view.compare_day, generated=D(2026, 1, 1)).decode()
    for entry in static_export._content(view, load.drawn_iso3s(), load.DATA_DIR).legend:
        if entry.kind == "patch":  # long labels wrap: their first words are one text element
            assert html.escape(entry.label[:24], quote=False) in svg, entry.label
    for code in ("state_party", "withdrawn", "non_party"):
        assert sym.STATUS_STYLE[code].style.fill in svg
    assert sym.CHANGED_OUTLINE.edge in svg and sym.PENDING_HATCH.stripe in svg


def test_one_unit_rule_for_widths_and_dashes():
    style = sym.STATUS_STYLE["withdrawal_pending"].style
    assert static_layers.mpl_width(style) == pytest.approx(style.width * 0.75)
    assert static_layers.mpl_dash(style) == (0, (4.5, 3.0))
    assert leaflet.leaflet_path(style)["weight"] == style.width
    assert sym.pt_to_px(sym.px_to_pt(3.5)) == pytest.approx(3.5)


@pytest.mark.parametrize(("value", "cls"), [(0.5, 0), (1.0, 1), (1.99, 1), (2.0, 2), (3.5, 3), (4.99, 3), (5.0, 4)])
def test_spending_class_breaks_belong_to_the_upper_class(value, cls):
    assert sym.spend_class(value) == cls


def test_hex_colours_live_in_one_core_module():
    found = subprocess.run(
        ["grep", "-rlE", "#[0-9a-fA-F]{6}\\b", "--include=*.py", "flankmap"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert found == ["flankmap/view/symbology.py"]
