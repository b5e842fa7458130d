"""Readable on a projector (issue 18): every label and box text passes WCAG AA (4.5:1) over whatever is drawn behind.

Computed from the symbology's colours with the WCAG 2.x relative-luminance formula (a few lines, below): each label
style's text on its light box (at the least opacity any renderer gives it) composited over every fill a map can
show (status colours, the pending hatch's two colours, the spending ramp, no data, no forces, the sea); each box
text on the boxes' white. The browser's CSS must use the same text colours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flankmap.view import symbology as sym

ROOT = Path(__file__).resolve().parents[2]


def _rgb(hex_: str) -> tuple[float, float, float]:
    h = hex_.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(rgb) -> float:
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _over(top: str, alpha: float, under: str):
    return tuple(alpha * t + (1 - alpha) * u for t, u in zip(_rgb(top), _rgb(under), strict=True))


FILLS = sorted(
    {
        *sym.STATUS_COLOURS.values(),
        sym.PENDING_HATCH.background,
        sym.PENDING_HATCH.stripe,
        *sym.SPEND_COLOURS,
        sym.NO_DATA_COLOUR,
        sym.NO_FORCES_COLOUR,
        sym.SEA,
    }
)


def test_the_formula():
    assert contrast(_rgb("#000000"), _rgb("#ffffff")) == pytest.approx(21.0)
    assert contrast(_rgb("#767676"), _rgb("#ffffff")) == pytest.approx(4.54, abs=0.01)  # the classic AA grey


@pytest.mark.parametrize("style", sorted(sym.LABEL_TEXT))
def test_every_label_passes_aa_over_every_fill(style):
    s = sym.LABEL_TEXT[style]
    worst = min((contrast(_rgb(s["color"]), _over(s["box"], sym.LABEL_BOX_ALPHA, fill)), fill) for fill in FILLS)
    assert worst[0] >= 4.5, f"{style} text {s['color']} on its box over {worst[1]}: {worst[0]:.2f}"


@pytest.mark.parametrize("kind", sorted(sym.BOX_TEXT))
def test_box_text_passes_aa(kind):
    worst = min(contrast(_rgb(sym.BOX_TEXT[kind]), _over("#ffffff", sym.BOX_ALPHA, fill)) for fill in FILLS)
    assert worst >= 4.5, (kind, worst)


def test_the_browser_labels_use_the_symbology_colours():
    css = (ROOT / "static" / "flankmap" / "flankmap.css").read_text(encoding="utf-8")
    for style, s in sym.LABEL_TEXT.items():
        rule = ".flankmap-label" if style == "region" else f".flankmap-label.style-{style}"
        found = re.search(re.escape(rule) + r" \{[^}]*?color: (#[0-9a-fA-F]{3,6})", css)
        assert found and found.group(1).lower() == s["color"].lower(), (style, found and found.group(1))
    # the least opacity of a label's box in the CSS is the one the test assumes
    alphas = [float(a) for a in re.findall(r"\.flankmap-label[^{]*\{[^}]*rgba\(255, 255, 255, ([0-9.]+)\)", css)]
    assert alphas and min(alphas) >= sym.LABEL_BOX_ALPHA
