"""Static briefing export (flankmap.render.static_export): sizes, searchable text, one A4 page, compare mode."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flankmap.domain import treaty_days
from flankmap.render import static_export

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"
DAY = dt.date(2025, 12, 27)
GENERATED = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def png() -> bytes:
    return static_export.render(DAY, "png", generated=GENERATED, permalink="?date=2025-12-27")


@pytest.fixture(scope="module")
def svg() -> str:
    return static_export.render(DAY, "svg", generated=GENERATED, permalink="?date=2025-12-27").decode("utf-8")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return static_export.render(DAY, "pdf", generated=GENERATED, permalink="?date=2025-12-27")


def _save(name: str, data: bytes) -> Path | None:
    """Keep a sample in build/ (gitignored) for a person to look at."""
    if not BUILD.is_dir():
        return None
    path = BUILD / name
    path.write_bytes(data)
    return path


def test_png_is_1920x1080_at_150_dpi(png):
    from PIL import Image

    _save("test-brief-2025-12-27.png", png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1920, 1080)
        dpi = img.info.get("dpi")
        assert dpi and round(dpi[0]) >= 150
        assert "Ottawa Convention status on 27 December 2025" in img.info.get("Title", "")


def test_svg_text_is_searchable(svg):
    _save("test-brief-2025-12-27.svg", svg.encode())
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("width") == "921.6pt" and root.get("height") == "518.4pt"  # 12.8 x 7.2 in
    for text in (
        "Ottawa Convention status on 27 December 2025",
        "State Party",
        "Withdrawal pending",
        "Withdrawn",
        "© OpenStreetMap contributors (ODbL)",
        "Generated 2026-01-05",
        "Permalink: ?date=2025-12-27",
        "BELARUS",
        "KALININGRAD",
        "Suwałki Gap",
        "104 km along the border",
        "~65 km straight",
        "States Parties worldwide",
        "Landmine Monitor",
        "500 km",
    ):
        assert text in svg, text


def test_pdf_is_one_a4_landscape_page(pdf):
    from pypdf import PdfReader

    _save("test-brief-2025-12-27.pdf", pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(842, abs=1.5) and float(box.height) == pytest.approx(595, abs=1.5)
    text = reader.pages[0].extract_text()
    assert "Ottawa Convention status on 27 December 2025" in text
    assert "OpenStreetMap" in text
    assert reader.metadata.title.startswith("Ottawa Convention status on")


def test_pdf_page_renders_to_png(pdf, tmp_path):
    """Rasterise the page with poppler's pdftoppm (the image is kept in build/ for a person to look at)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (Debian package poppler-utils): the PDF was checked with pypdf only")
    from PIL import Image

    src = tmp_path / "brief.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(src), str(tmp_path / "page")], check=True)
    page = tmp_path / "page.png"
    with Image.open(page) as img:
        assert img.size == (1169, 827)  # A4 landscape at 100 dpi
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours and len(colours) > 50  # a drawn map, not a blank page
    if BUILD.is_dir():
        shutil.copy(page, BUILD / "test-brief-2025-12-27-pdf-page.png")


def test_compare_mode_lists_changes():
    svg = static_export.render(
        dt.date(2026, 2, 20), "svg", compare_day=dt.date(2025, 6, 26), generated=GENERATED
    ).decode("utf-8")
    _save("test-brief-compare.svg", svg.encode())
    assert "Changed since 2025-06-26" in svg
    assert "Outlined in magenta: status changed since 26 June 2025" in svg
    assert "Estonia: State Party → Withdrawn" in svg
    assert "Poland: State Party → Withdrawn" in svg
    assert "#c51b7d" in svg  # the magenta outline


def test_compare_list_is_the_cores():
    """The side list is treaty_days.changes_between's text, every line of it, not a second computation."""
    drawn = static_export.load.drawn_iso3s()
    expected = treaty_days.changes_between(dt.date(2025, 6, 26), dt.date(2026, 1, 10), iso3s=drawn)["text"].tolist()
    assert len(expected) >= 4
    content = static_export._content(
        static_export.urlstate.ViewState(day=dt.date(2026, 1, 10), compare_day=dt.date(2025, 6, 26)),
        drawn,
        static_export.DATA_DIR,
    )
    assert content.changes == expected
    svg = static_export.render(dt.date(2026, 1, 10), "svg", compare_day=dt.date(2025, 6, 26)).decode("utf-8")
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    listed = texts[texts.index("Changed since 2025-06-26") + 1 :]
    starts = [t for t in listed if not t.startswith("  ")]  # wrapped lines are indented
    shown = [t for t in expected if any(s and t.startswith(s) for s in starts[: len(expected)])]
    assert shown == expected[: len(shown)] and len(shown) >= 3  # in order, from the top
    if len(shown) < len(expected):  # the rest is announced, not dropped
        assert f"… and {len(expected) - len(shown)} more" in svg


def test_spending_fill_names_nato_and_sipri():
    svg = static_export.render(DAY, "svg", fill="spending", spend_year=2024).decode("utf-8")
    assert "Defence spending 2024 (% of GDP)" in svg
    assert "NATO" in svg and "SIPRI" in svg
    assert "© OpenStreetMap contributors (ODbL)" in svg


def test_pending_is_hatched_and_legend_explains_it(svg):
    assert "Withdrawal pending (2)" in svg  # Finland and Poland on 2025-12-27
    assert "Withdrawn (3)" in svg  # Estonia, Latvia, Lithuania
    assert 'id="h' in svg  # matplotlib writes hatches as SVG patterns


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="format"):
        static_export.render(DAY, "gif")
    with pytest.raises(ValueError, match="fill"):
        static_export.render(DAY, "png", fill="colour")


def test_default_permalink_is_short():
    link = static_export.default_permalink(DAY, compare_day=dt.date(2025, 6, 27), base="")
    assert link == "?date=2025-12-27&compare=2025-06-27"


def test_write_atomic_keeps_existing_file(tmp_path):
    target = tmp_path / "a.png"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        static_export.write_atomic(target, b"new", force=False)
    assert target.read_bytes() == b"old"
    static_export.write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]  # no temporary file left behind


def test_a_long_permalink_line_is_set_smaller_to_fit_the_page():
    """Fixed defect: the spending view's footer ran off the right edge of the PNG."""
    assert static_export.footer_font_size("x" * 100, 163) == 9.5
    assert static_export.footer_font_size("x" * 326, 163) == pytest.approx(4.75)
    svg = static_export.render(
        dt.date(2024, 6, 1), "svg", fill="spending", spend_year=2024, layers=("labels",), generated=GENERATED
    ).decode()
    assert "Permalink: ?date=2024-06-01&amp;layers=labels&amp;fill=spending&amp;year=2024" in svg
    size = float(re.search(r"font-size: ([\d.]+)px[^>]*>Map: ", svg).group(1))
    assert size < 9.5  # set smaller than the other footer lines
