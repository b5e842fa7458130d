"""The interactive map as one self-contained HTML file that works offline (``export --format html``).

Everything is inline: the vendored Leaflet, the timeline runtime (``static/flankmap/runtime.js``, the lookups
the app's map uses too; ``static/flankmap/control.js``, the timeline control the app's map page runs too; and
``static/flankmap/timeline.js``, which wires them to the file's map), the
geometry, the whole timeline (:mod:`flankmap.domain.intervals`), the spending figures by year, the legend and
the styles (all from :mod:`flankmap.view.symbology`). The file opens from ``file://`` without a single network
request (a Content-Security-Policy in the file forbids them as well), and the browser only looks things up.

What is computed here, once, so the browser never decides anything:

- per country and interval: the style index, the status label and the flag label drawn on the map;
- the legend for every stretch of days over which it stays the same (its counts change with the statuses);
- the title templates, with ``{date}`` and ``{count}`` filled in by the browser;
- the spending style per country and year (spending fill), and the tooltip's spending line per year.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape
from pathlib import Path

from flankmap.view import control, publish
from flankmap.view import symbology as sym

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "static"
LEAFLET_DIR = STATIC / "vendor" / "leaflet-1.9.3"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "export.html"  # not under static/: never served
MAX_BYTES = 1_500_000  # the budget for the default view
MIME_TYPE = "text/html"

THEME = control.THEME  # the theme of the boxes and the control (symbology's colours)


def _script_safe(text: str) -> str:
    r"""Text that cannot close the ``<script>`` element it is placed in (``</`` becomes ``<\/``)."""
    return re.sub(r"</", r"<\\/", text)


def _json_for_script(data: dict) -> str:
    # JSON inside <script type="application/json">: escape < > & so no markup can end the element.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _leaflet_css() -> str:
    # Leaflet's CSS names a few images (layer switcher, default marker) this file never uses: drop the URLs,
    # so nothing could ever be requested.
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    return re.sub(r"url\((?!#)[^)]*\)", "none", css)


def _sha256_source(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def script_hashes(template: str, parts: dict[str, str]) -> list[str]:
    """CSP hash sources for every executable inline script of the page: each bare ``<script>`` element of the
    template, its body as it will be after the placeholders are filled (``<script type="application/json">``
    holds data and never runs, so it needs none). The browser runs a script only if its hash is listed, so
    ``script-src`` needs no ``'unsafe-inline'`` (which would also let inline event handlers run).
    """
    bodies = re.findall(r"<script>(.*?)</script>", template, flags=re.S)
    return [_sha256_source(parts.get(body, body)) for body in bodies]


def render_html(data: dict, extra: str = "") -> str:
    """The self-contained page for :func:`build_data`'s dict.

    ``extra`` (HTML, e.g. the story's data and script) goes at the end of the body, after the placeholders are
    filled (so nothing in it is ever taken for one); its inline scripts are hashed into the CSP too.
    """
    heading = data["heading"] if data["fill"] == "status" else data["heading"]["_default"]
    title = heading["title"].replace(" on {date}", "").replace("{date}", "")
    parts = {
        "{{TITLE}}": escape(f"{title} · Flankmap"),
        "{{LEAFLET_CSS}}": _leaflet_css(),
        "{{FLANKMAP_CSS}}": (STATIC / "flankmap" / "flankmap.css").read_text(encoding="utf-8"),
        "{{THEME_CSS}}": control.theme_css(),
        "{{CONTROL_CSS}}": (STATIC / "flankmap" / "control.css").read_text(encoding="utf-8"),
        "{{TIMELINE_CSS}}": (STATIC / "flankmap" / "timeline.css").read_text(encoding="utf-8"),
        "{{DATA}}": _json_for_script(data),
        "{{LEAFLET_JS}}": _script_safe((LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")),
        "{{RUNTIME_JS}}": _script_safe((STATIC / "flankmap" / "runtime.js").read_text(encoding="utf-8")),
        "{{CONTROL_JS}}": _script_safe((STATIC / "flankmap" / "control.js").read_text(encoding="utf-8")),
        "{{TIMELINE_JS}}": _script_safe((STATIC / "flankmap" / "timeline.js").read_text(encoding="utf-8")),
    }
    page = TEMPLATE.read_text(encoding="utf-8")
    parts["{{SCRIPT_HASHES}}"] = " ".join([*script_hashes(page, parts), *script_hashes(extra, {})])
    # One pass, so a placeholder-looking string inside the data or a script is never replaced.
    page = re.sub("|".join(re.escape(k) for k in parts), lambda m: parts[m.group(0)], page)
    if not extra:
        return page
    head, tail = page.rsplit("</body>", 1)
    return head + extra + "</body>" + tail


def export_html(day: dt.date, annotations=(), **kwargs) -> bytes:
    """The interactive map file as UTF-8 bytes (arguments as for :func:`flankmap.view.publish.build_data`), with a
    briefing slide's ``annotations`` drawn on each day inside their ranges (:func:`annotations_extra`).
    """
    return render_html(publish.build_data(day, **kwargs), annotations_extra(annotations)).encode("utf-8")


def annotations_extra(annotations) -> str:
    """The file's part that draws a slide's annotations (``static/flankmap/notes.js`` with ``R.drawAnnotations``,
    the story's drawing); empty without annotations. Texts are data, set as text in the browser.
    """
    if not annotations:
        return ""
    from flankmap.render import static_annotations

    notes = {"annotations": [a.to_json() for a in annotations], "highlight": static_annotations.leaflet_highlight()}
    return (
        '<script type="application/json" id="fm-notes-data">' + _json_for_script(notes) + "</script>\n"
        "<script>" + _script_safe((STATIC / "flankmap" / "notes.js").read_text(encoding="utf-8")) + "</script>\n"
    )


def output_name(fill: str = "status", treaty: str = "ottawa") -> str:
    """File name of the download button: ``flankmap-timeline.html`` (``-ccm`` for that treaty, ``-spending`` for
    that fill).
    """
    name = "flankmap-timeline" + ("" if treaty == "ottawa" else f"-{treaty}")
    return name + (f"-{fill.replace('_', '-')}" if fill in sym.SPEND_FILLS else "") + ".html"


__all__ = ["MAX_BYTES", "MIME_TYPE", "export_html", "output_name", "render_html"]
