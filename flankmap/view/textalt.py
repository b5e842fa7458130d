"""The map's text alternative: one row per drawn country, a one-sentence summary, a change announcement.

A formatter of the view model (:class:`flankmap.view.model.MapView`): the rows come from the same resolved
view as the map's fills and tooltips, so the table under the map and the map say the same. This module
writes the rows out as a plain HTML table (every data field escaped) that screen readers read cell by cell;
each country's full details (the map's tooltip lines) sit in a native ``<details>`` disclosure in its row, so
they are reachable with the keyboard alone.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import spending, treaty, treaty_days
from flankmap.view import symbology as sym
from flankmap.view.model import MapView

# Order and wording of the classes in the summary sentence ("3 withdrawn, 2 withdrawal pending, …").
SUMMARY_ORDER = (
    "withdrawn",
    "withdrawal_pending",
    *(c for c in sym.STATUS_ORDER if c not in ("withdrawn", "withdrawal_pending")),
)
SUMMARY_WORDS = {
    "withdrawn": ("withdrawn", "withdrawn"),
    "withdrawal_pending": ("withdrawal pending", "withdrawal pending"),
    "state_party": ("State Party", "States Parties"),
    "joined_not_in_force": ("joined, not yet in force", "joined, not yet in force"),
    "signatory": ("signed, not ratified", "signed, not ratified"),
    "non_party": ("not a party", "not party"),
}


long_date = sym.long_date


def frame_title_template(fill: str, treaty: str = "ottawa") -> str:
    """The map frame's accessible name with ``{date}`` (and, for a spending fill, ``{year}``) left for the day:
    the app's map fills them in as a person scrubs (``static/flankmap/flankmap.js``), Python for a settled day.
    """
    if fill != "status":
        series = spending.SERIES_LABELS.get(sym.SPEND_FILLS.get(fill, ""), "% of GDP")
        return "Map: defence spending {year}, " + series + ", map date {date}"
    return "Map: " + sym.treaty_title(treaty) + " status on {date}, NATO's eastern flank and neighbours"


def frame_title(fill: str, day: dt.date, year: int, treaty: str = "ottawa") -> str:
    """The map frame's accessible name: what it shows and on which date."""
    return frame_title_template(fill, treaty).replace("{year}", str(year)).replace("{date}", long_date(day))


def details_html(lines) -> str:
    """A tooltip's ``[kind, text]`` lines as escaped HTML (the country's details in its row)."""
    tags = {"b": "b", "i": "i", "small": "small"}
    out = []
    for kind, text in lines[1:]:  # the first line is the name, which the row's header already says
        tag = tags.get(kind)
        out.append(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text))
    return "<br>".join(out)


def rows(mv: MapView) -> list[dict]:
    """One row per drawn country with treaty data: status, stage, flag, countdown, spending cells, details."""
    out = []
    spend = mv.data["spend"] if mv.fill != "status" else None
    series = spending.SERIES_LABELS.get(sym.SPEND_FILLS.get(mv.fill, ""), "")
    for iso3, c in mv.countries.items():
        iv = c.interval
        if iv is None:
            continue
        effective = dt.date.fromisoformat(iv["effective"]) if iv.get("effective") else None
        row = {
            "iso3": iso3,
            "name": c.name,
            "status": iv["label"],
            "stage": treaty.STAGE_LABELS[iv["stage"]] if iv.get("stage") else "",
            "flag": iv.get("flag") or "",
            "days_until_effective": (effective - mv.day).days if effective else None,
            "details_html": details_html(c.lines),
        }
        if spend is not None:
            figure = spend["value"].get(iso3, {}).get(str(mv.year))
            if figure:
                row["spending"] = f"{figure[0]:.2f}%" + (" (estimate)" if figure[1] else "")
                row["series"] = series
            else:
                row["spending"] = "no figure"
                row["series"] = spend["why"].get(iso3, {}).get(str(mv.year), "")
        out.append(row)
    return out


def page(mv: MapView) -> dict:
    """What the map page shows beside the map, from the view: the table rows, the summary sentence, the frame's
    accessible name, the spending year shown, and compare mode's outlined countries and change sentences.
    """
    table = rows(mv)
    return {
        "table": table,
        "summary": summary(mv, table),
        "frame_title": frame_title(mv.fill, mv.day, mv.year, mv.treaty),
        "spend_year": mv.year,
        "changed": sorted(mv.changed),
        "changes": list(mv.changes),
    }


def summary(mv: MapView, table: list[dict]) -> str:
    """One sentence for the date: class counts among the drawn countries, flags, the worldwide count.

    "On 27 December 2025, of 40 countries drawn: 3 withdrawn, 2 withdrawal pending, 34 States Parties,
    1 not a party; flagged: Ukraine (purported suspension since 2025-07-18); 163 States Parties worldwide."
    """
    day, states_parties = mv.day, mv.count
    counts: dict[str, int] = {}
    for c in mv.countries.values():
        if c.code:
            counts[c.code] = counts.get(c.code, 0) + 1
    parts = []
    for code in SUMMARY_ORDER:
        n = counts.get(code, 0)
        if n:
            one, many = SUMMARY_WORDS[code]
            parts.append(f"{n} {one if n == 1 else many}")
    flagged = [f"{r['name']} ({r['flag']})" for r in table if r["flag"]]
    text = f"On {long_date(day)}, of {len(table)} countries drawn: {', '.join(parts) or 'none'}"
    if mv.treaty != "ottawa":  # the Ottawa sentence as it was; another treaty is named
        text = f"{sym.treaty_title(mv.treaty)}: {text[0].lower()}{text[1:]}"
    if flagged:
        text += f"; flagged: {', '.join(flagged)}"
    return f"{text}; {states_parties} States Parties worldwide."


def announcement(day: dt.date, previous: dt.date | None, changes: list[str], states_parties: str) -> str:
    """What the polite live region says after a date change: the new date and what changed since the last one."""
    head = f"Map date {long_date(day)}."
    if previous is None or previous == day:
        return f"{head} {states_parties} States Parties worldwide."
    since = f"since {long_date(previous)}"
    what = f"Changed {since}: {'; '.join(changes)}." if changes else f"No status change on the map {since}."
    return f"{head} {what} {states_parties} States Parties worldwide."


def changes_on_map(
    day_a: dt.date, day_b: dt.date, data_dir: Path = DATA_DIR, treaty_key: str | None = None
) -> list[str]:
    """Sentences for the drawn countries whose status or flag differs between two days (for announcements)."""
    table = treaty_days.changes_between(
        day_a, day_b, iso3s=load.drawn_iso3s(data_dir), data_dir=data_dir, treaty=treaty_key
    )
    return table["text"].tolist()


def table_html(rows: list[dict], day: dt.date, fill: str, spend_year: int | None = None, treaty: str = "ottawa") -> str:
    """The rows as an accessible HTML table (caption, column and row headers, details per country)."""
    spend = fill != "status"
    heads = ["Country", "Status", "Withdrawal stage", "Flag", "Days until withdrawal is effective"]
    if spend:
        heads += [f"Defence spending {spend_year}, % of GDP", "Series"]
    caption = f"Every country drawn on the map on {long_date(day)}. Open a country's name for its details."
    if treaty != "ottawa":  # the Ottawa caption as it was; another treaty is named
        caption = f"{sym.treaty_title(treaty)} status: {caption[0].lower()}{caption[1:]}"
    # A data table may scroll sideways on a phone (WCAG 1.4.10 exempts tables); the page itself never does. The
    # scrolling region is focusable so keyboard users can scroll it too.
    out = [
        "<div class='flankmap-textalt-wrap' role='region' tabindex='0' aria-label='The map as a table'>",
        "<table class='flankmap-textalt'>",
        f"<caption>{escape(caption)}</caption>",
        "<thead><tr>" + "".join(f"<th scope='col'>{escape(h)}</th>" for h in heads) + "</tr></thead><tbody>",
    ]
    for row in sorted(rows, key=lambda r: r["name"]):
        days = "" if row["days_until_effective"] is None else str(row["days_until_effective"])
        cells = [row["status"], row["stage"], row["flag"], days]
        if spend:
            cells += [row.get("spending", ""), row.get("series", "")]
        out.append(
            f"<tr data-iso3='{escape(row['iso3'])}'><th scope='row'><details><summary>{escape(row['name'])}</summary>"
            f"<div class='flankmap-details'>{row['details_html']}</div></details></th>"
            + "".join(f"<td>{escape(str(c))}</td>" for c in cells)
            + "</tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


def annotations_html(mv: MapView, data_dir: Path = DATA_DIR) -> str:
    """The view's annotations (a briefing's, those shown on the day) as a list under the table; empty if none."""
    if not mv.annotations:
        return ""
    from flankmap.view import briefing

    segments = load.table(load.schemas.BORDER_SEGMENTS, data_dir).set_index("segment_id")["name"].to_dict()
    names = {**{i: c.name for i, c in mv.countries.items()}, **segments}
    items = "".join(f"<li>{escape(briefing.describe(a, names))}</li>" for a in mv.annotations)
    heading = escape(briefing.ANNOTATION_WORDS["heading"])
    return f"<section class='flankmap-annotations' aria-label='{heading}'><h4>{heading}</h4><ul>{items}</ul></section>"
