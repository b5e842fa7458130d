"""The treaty status classes stay apart for colour-blind readers, and "withdrawal pending" keeps its hatch.

colorspacious simulates protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 100) on the
colour each class shows on the map (fill blended at its opacity over the sea; the hatch as its stripe/background
mix), and measures the difference in CAM02-UCS. 10 delta-E units is a clear step between neighbouring areas
(a just-noticeable difference is about 1-2); today's smallest pair is about 13.
"""

import datetime as dt
import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from flankmap.render import leaflet
from flankmap.view import model, urlstate
from flankmap.view import symbology as sym

MIN_DELTA_E = 10.0
STRIPE_SHARE = 3 / 8  # flankmap.js draws a 3 px stripe in every 8 px tile


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)]) / 255


def shown(code: str) -> np.ndarray:
    """The colour a status class shows on the map, as sRGB in 0..1."""
    style = sym.STATUS_STYLE[code].style
    colour = _rgb(style.fill)
    if style.hatch:
        colour = (1 - STRIPE_SHARE) * _rgb(style.hatch.background) + STRIPE_SHARE * _rgb(style.hatch.stripe)
    return style.fill_opacity * colour + (1 - style.fill_opacity) * _rgb(sym.SEA)


def simulate(rgb: np.ndarray, cvd: str | None) -> np.ndarray:
    if cvd is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)


@pytest.mark.parametrize("cvd", [None, "protanomaly", "deuteranomaly", "tritanomaly"])
def test_status_classes_stay_distinguishable(cvd):
    seen = {code: simulate(shown(code), cvd) for code in sym.STATUS_ORDER}
    too_close = [
        (a, b, round(float(d), 1))
        for a, b in itertools.combinations(seen, 2)
        if (d := deltaE(seen[a], seen[b], input_space="sRGB1", uniform_space="CAM02-UCS")) < MIN_DELTA_E
    ]
    assert not too_close, f"{cvd or 'normal vision'}: classes closer than {MIN_DELTA_E} delta E: {too_close}"


def test_the_check_can_fail():
    # Red and olive: 39 delta E apart for normal vision, under 10 for a deuteranope (they would fail).
    red, olive = _rgb("#c0392b"), _rgb("#6b8e23")
    assert deltaE(red, olive, input_space="sRGB1", uniform_space="CAM02-UCS") > 3 * MIN_DELTA_E
    a, b = simulate(red, "deuteranomaly"), simulate(olive, "deuteranomaly")
    assert deltaE(a, b, input_space="sRGB1", uniform_space="CAM02-UCS") < MIN_DELTA_E


def test_withdrawal_pending_is_hatched_in_the_map_legend_and_runtime_patterns():
    hatch = sym.STATUS_STYLE["withdrawal_pending"].style.hatch
    assert hatch is not None
    mv = model.view_of(urlstate.ViewState(day=dt.date(2025, 12, 27)))
    assert all(mv.styles[mv.countries[i].style]["hatch"] == hatch.id for i in ("FIN", "POL"))  # the SVG pattern
    swatch = next(e for e in mv.legend if e["key"] == "status:withdrawal_pending")
    assert swatch["style"]["hatch"] == hatch.id  # the legend swatch shows the stripes too (runtime.js swatchCss)
    assert any(pat["id"] == hatch.id for pat in leaflet.static_config()["patterns"])  # the runtime defines it
    # The offline HTML file (flankmap.render.html_file, runtime static/flankmap/timeline.js) carries the hatch too.
    from flankmap.view import publish

    data = publish.build_data(dt.date(2025, 12, 27))
    assert any(h["id"] == hatch.id for h in data["hatches"])
    # The static export (PNG/SVG/PDF) draws the same hatch: tests/unit/test_briefing.py::test_pending_is_hatched...
