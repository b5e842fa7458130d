"""A briefing as a deck: PowerPoint (one 16:9 slide per view), PDF (one vector page per slide) and an offline
story (one self-contained HTML file stepping through the slides, each map live).

Every frame is drawn by the static renderer from the view model (:func:`static_export.render_slide`) with the
slide's own title, the marking banners, the annotations valid on its date, sources, "checked through" and
attribution. In PowerPoint the title, subtitle and annotation texts are real text boxes over the picture
(the picture leaves their places empty), and the sources and speaker notes go in the slide's notes.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from flankmap.data.load import DATA_DIR
from flankmap.render import html_file, static_annotations, static_export
from flankmap.view import briefing, model, publish, urlstate

FORMATS = ("pptx", "pdf", "html")
MIME_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "html": "text/html",
}
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # PowerPoint's 16:9
STATIC = Path(__file__).resolve().parents[2] / "static" / "flankmap"


def _link(slide: briefing.Slide) -> str:
    return urlstate.permalink(slide.view.state(), os.environ.get(urlstate.BASE_URL_ENV, ""))


def slide_png(b: briefing.Briefing, slide: briefing.Slide, data_dir: Path = DATA_DIR, generated=None) -> bytes:
    """One slide as the PNG the deck shows (1920x1080): what the app's preview displays."""
    decor = static_annotations.decor_of(b, slide)

    def sink(fig):
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=static_export.DPI, facecolor="white")
        return out.getvalue()

    data, _ = static_export.render_slide(
        slide.view.state(), decor, sink, permalink=_link(slide), generated=generated, data_dir=data_dir
    )
    return data


def pdf(b: briefing.Briefing, data_dir: Path = DATA_DIR, generated=None) -> bytes:
    """The deck as a PDF, one vector page (16:9) per slide."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    meta = {"Title": b.title, "Author": b.byline or None, "Creator": "Flankmap", "CreationDate": None}
    # the fonts are embedded when the file closes: TrueType (selectable text) needs the renderer's settings then
    with matplotlib.rc_context(static_export._RC), PdfPages(out, metadata=meta) as pages:
        for slide in b.slides:
            static_export.render_slide(
                slide.view.state(),
                static_annotations.decor_of(b, slide),
                lambda fig: pages.savefig(fig, facecolor="white"),
                permalink=_link(slide),
                generated=generated,
                data_dir=data_dir,
            )
    return out.getvalue()


def _notes(b: briefing.Briefing, slide: briefing.Slide, source: str) -> str:
    parts = [slide.notes] if slide.notes else []
    parts += [f"Sources: {source}", f"App view: {_link(slide)}", f"Map: {model.sym.OSM_CREDIT}"]
    if b.byline:
        parts.append(f"Briefing: {b.title} · {b.byline}")
    return "\n\n".join(parts)


def pptx(b: briefing.Briefing, data_dir: Path = DATA_DIR, generated=None) -> bytes:
    """The deck as PowerPoint: per view one 16:9 slide, the map a picture, every word a text box or a note."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    prs.core_properties.title = b.title
    prs.core_properties.author = b.byline or "Flankmap"
    k = SLIDE_W_IN / static_export.PAGE_SIZES["png"][0]  # image inches -> slide inches
    band = static_annotations.BANNER_IN if briefing.marking(b.marking) else 0.0
    ink = RGBColor.from_string(model.sym.INK.lstrip("#"))
    for slide in b.slides:
        decor = static_annotations.decor_of(b, slide, editable=True)
        buf = io.BytesIO()
        _, content = static_export.render_slide(
            slide.view.state(),
            decor,
            lambda fig, buf=buf: fig.savefig(buf, format="png", dpi=static_export.DPI, facecolor="white"),
            permalink=_link(slide),
            generated=generated,
            data_dir=data_dir,
        )
        page = prs.slides.add_slide(prs.slide_layouts[6])  # blank
        buf.seek(0)
        page.shapes.add_picture(buf, 0, 0, prs.slide_width, prs.slide_height)

        def box(text, left, top, width, height, size, bold=False, framed=False, centred=False, page=page):
            shape = page.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
            frame = shape.text_frame
            frame.word_wrap = True
            for margin in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
                setattr(frame, margin, Emu(0) if not framed else Inches(0.05))
            para = frame.paragraphs[0]
            run = para.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, ink
            if centred:
                from pptx.enum.text import PP_ALIGN

                para.alignment = PP_ALIGN.CENTER
            if framed:
                shape.fill.solid()
                shape.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                shape.line.color.rgb = ink
            return shape

        title = slide.title or model.view_of(slide.view.state(), data_dir).heading.title
        box(title, 0.35 * k, (0.26 + band) * k, 8.5 * k, 0.45 * k, 24 * k, bold=True)
        if slide.subtitle:
            box(slide.subtitle, 0.35 * k, (0.70 + band) * k, 8.5 * k, 0.26 * k, 12.5 * k)
        for a, fx, fy in decor.anchors:
            w, h = min(3.2, 0.3 + 0.085 * len(a.text)), 0.34
            x, y = fx * SLIDE_W_IN - w / 2, (1 - fy) * SLIDE_H_IN - h / 2
            box(a.text, x, y, w, h, 10.5 * k, framed=True, centred=True)
        page.notes_slide.notes_text_frame.text = _notes(b, slide, content.source)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


TREATY_NAMES = {"ottawa": "the Ottawa Convention", "ccm": "the CCM", "both": "both treaties"}


def story_problem(b: briefing.Briefing) -> str | None:
    """Why the deck cannot be a story, or None: the story embeds one treaty's published timeline, so its slides
    must all show the same treaty (the PDF and PowerPoint draw each slide's own).
    """
    treaties = [s.view.treaty for s in b.slides]
    if len(set(treaties)) <= 1:
        return None
    first = treaties[0]
    other = next(i for i, t in enumerate(treaties) if t != first)
    return (
        f"The offline story shows one treaty: slide 1 shows {TREATY_NAMES[first]}, slide {other + 1} "
        f"{TREATY_NAMES[treaties[other]]}. Export the PDF or PowerPoint (each slide its own treaty), "
        "or make one story per treaty."
    )


def story(b: briefing.Briefing, data_dir: Path = DATA_DIR, generated=None) -> bytes:
    """The offline story: the offline map file's runtime, stepping through the slides (``static/flankmap/story.js``).

    The map carries the first slide's treaty, fill, frame and layers; every slide sets its date (animated from the
    previous one), its words, and its annotations, selected on each day by ``R.annotationsOn``. Slides of
    different treaties are refused (:func:`story_problem`, ``ValueError``).
    """
    problem = story_problem(b)
    if problem:
        raise ValueError(problem)
    first = b.slides[0].view
    data = publish.build_data(
        first.date,
        fill=first.fill,
        area=first.frame,
        layers=tuple(first.layers),
        spend_year=first.year,
        permalink=_link(b.slides[0]),
        generated=generated,
        data_dir=data_dir,
        treaty_key=first.treaty,
    )
    m = briefing.marking(b.marking)
    deck = {
        "title": b.title,
        "byline": b.byline,
        "marking": None if m is None else {"text": m.text, "ink": m.ink, "ground": m.ground},
        "highlight": static_annotations.leaflet_highlight(),
        "slides": [
            {
                "id": s.id,
                "date": s.view.date.isoformat(),
                "title": s.title or "",
                "subtitle": s.subtitle,
                "bounds": urlstate.area(s.view.frame).bounds,
                "annotations": [a.to_json() for a in s.annotations],
                "differs": s.view.fill != first.fill,
            }
            for s in b.slides
        ],
        "words": {"slide": "Slide {n} of {total}", "other_fill": "This slide's fill is shown in the deck's PDF"},
    }
    extra = (
        "<style>" + (STATIC / "story.css").read_text(encoding="utf-8") + "</style>\n"
        '<script type="application/json" id="fm-story-data">' + html_file._json_for_script(deck) + "</script>\n"
        "<script>" + html_file._script_safe((STATIC / "story.js").read_text(encoding="utf-8")) + "</script>\n"
    )
    return html_file.render_html(data, extra).encode("utf-8")


def export(b: briefing.Briefing, fmt: str, data_dir: Path = DATA_DIR, generated=None) -> bytes:
    """The deck in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown deck format {fmt!r}: use one of {', '.join(FORMATS)}")
    return {"pptx": pptx, "pdf": pdf, "html": story}[fmt](b, data_dir, generated)
