"""The layout check on the static exports (issue 18): the SVG of every frame, day and fill, measured in Chromium.

Each label is an SVG group with an id starting ``flankmap-label-`` and each box one starting ``flankmap-box-``
(matplotlib's ``gid``); the map area is ``flankmap-map-area``. ``getBBox()`` gives each its box in the SVG's
units (points); the flank (the outline vertices of EST, LVA, LTU, POL, FIN and Belarus, Kaliningrad, the Suwałki
Gap) comes from the very figure the SVG was saved from. Asserted: no two labels intersect, no label intersects a
box, every label (and the scale bar) lies inside the map area, none covers a flank point in the map area.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flankmap.render import static_export
from flankmap.view import urlstate

AREAS = ["baltic", "suwalki", "flank", "europe"]
DAYS = [dt.date(2025, 12, 27), dt.date(2026, 2, 20)]

BBOX_JS = """() => {
  const out = {};
  for (const g of document.querySelectorAll('[id^="flankmap-label-"], [id^="flankmap-box-"], #flankmap-map-area')) {
    const b = g.getBBox();
    out[g.id] = [b.x, b.y, b.x + b.width, b.y + b.height];
  }
  return out;
}"""


def _over(a, b) -> bool:
    return a[0] < b[2] - 0.3 and a[2] > b[0] + 0.3 and a[1] < b[3] - 0.3 and a[3] > b[1] + 0.3


@pytest.fixture(scope="module")
def svgs():
    """Every combination rendered once: (SVG text, flank points in SVG units, the layout's placed/dropped)."""
    out = {}
    for area in AREAS:
        for day in DAYS:
            for fill in urlstate.FILLS:
                data, fig = static_export._render(
                    day,
                    "svg",
                    ("borders", "labels"),
                    fill,
                    None,
                    None,
                    None,
                    dt.date(2026, 12, 5),
                    area,
                    static_export.DATA_DIR,
                )
                height_pt = fig.get_figheight() * 72
                pts = [[x * 72 / fig.dpi, height_pt - y * 72 / fig.dpi] for x, y in fig.flankmap_points]
                out[(area, day.isoformat(), fill)] = (data.decode("utf-8"), pts, fig.flankmap_layout)
    return out


def test_static_exports_labels_and_boxes(svgs, browser):
    page = browser.new_page()
    bad, counts = [], {}
    for (area, day, fill), (svg, pts, layout) in svgs.items():
        key = f"{area} {day} {fill}"
        counts[key] = (len(layout["placed"]), len(layout["dropped"]))
        page.set_content(f"<!doctype html><html><body style='margin:0'>{svg[svg.index('<svg') :]}</body></html>")
        boxes = page.evaluate(BBOX_JS)
        area_box = boxes.pop("flankmap-map-area")
        labels = {k: v for k, v in boxes.items() if k.startswith("flankmap-label-")}
        others = {k: v for k, v in boxes.items() if k.startswith("flankmap-box-")}
        assert sorted(k.removeprefix("flankmap-label-") for k in labels) == sorted(layout["placed"]), key
        assert "flankmap-box-title" in others and "flankmap-box-legend" in others, key
        inside = [p for p in pts if area_box[0] <= p[0] <= area_box[2] and area_box[1] <= p[1] <= area_box[3]]
        names = sorted(labels)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if _over(labels[a], labels[b]):
                    bad.append(f"{key}: {a} x {b}")
            for b, rb in others.items():
                if _over(labels[a], rb):
                    bad.append(f"{key}: {a} under {b}")
        for name, r in [*labels.items(), ("flankmap-box-scale", others.get("flankmap-box-scale"))]:
            if r is None:
                continue
            if (
                r[0] < area_box[0] - 0.5
                or r[1] < area_box[1] - 0.5
                or r[2] > area_box[2] + 0.5
                or r[3] > area_box[3] + 0.5
            ):
                bad.append(f"{key}: {name} clipped {r} in {area_box}")
            n = sum(1 for p in inside if r[0] < p[0] < r[2] and r[1] < p[1] < r[3])
            if n:
                bad.append(f"{key}: {n} flank points under {name}")
    page.close()
    print("static", json.dumps(counts))
    assert bad == [], "\n".join(bad[:40])
