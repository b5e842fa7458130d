"""The map's text alternative: one row per drawn country, a one-sentence summary, a change announcement.

The rows are built inside :func:`flankmap.mapview.map_payload`, in the same loop that gives each country its
fill and tooltip, so the table under the map and the map itself come from one computation. This module
only shapes a row and writes it out as a plain HTML table (every data field escaped) that screen readers
read cell by cell; each country's full details (the same text as the map's tooltip) sit in a native
``<details>`` disclosure in its row, so they are reachable with the keyboard alone.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from flankmap import load, spending, treaty
from flankmap import symbology as sym
from flankmap.load import DATA_DIR

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


def frame_title(fill: str, day: dt.date, year: int) -> str:
    """The map frame's accessible name: what it shows and on which date."""
    if fill != "status":
        series = spending.SERIES_LABELS.get(sym.SPEND_FILLS.get(fill, ""), "% of GDP")
        return f"Map: defence spending {year}, {series}, map date {long_date(day)}"
    return f"Map: Ottawa Convention status on {long_date(day)}, NATO's eastern flank and neighbours"


def _blank(value) -> bool:
    return value is None or value != value  # None or NaN


def table_row(
    record: dict, spend: dict | None, fill: str, details_html: str, missing_reason: str | None = None
) -> dict:
    """One country's row of the text alternative, from the status record the map styles it with.

    ``spend`` is the spending record behind the fill (only used when ``fill == "spending"``);
    ``details_html`` is the country's tooltip (already escaped by :mod:`flankmap.mapview`);
    ``missing_reason`` says why the fill's series has no figure for the country, when it has none.
    """
    stage = record.get("withdrawal_stage")
    days = record.get("days_until_effective")
    row = {
        "iso3": record["iso3"],
        "name": record["name"],
        "status": record["status_label"],
        "stage": "" if _blank(stage) else treaty.STAGE_LABELS[stage],
        "flag": "" if _blank(record.get("flag")) else record["flag"],
        "days_until_effective": None if _blank(days) else int(days),
        "details_html": details_html,
    }
    if fill != "status":  # a spending fill (one series or another)
        if spend:
            est = " (estimate)" if spend.get("is_estimate") else ""
            row["spending"] = f"{float(spend['value']):.2f}%{est}"
            row["series"] = spending.SERIES_LABELS.get(spend["series"], spend["series"])
        else:
            row["spending"], row["series"] = "no figure", missing_reason or ""
    return row


def summary(day: dt.date, rows: list[dict], counts: dict[str, int], states_parties: str) -> str:
    """One sentence for the date: class counts among the drawn countries, flags, the worldwide count.

    "On 27 December 2025, of 40 countries drawn: 3 withdrawn, 2 withdrawal pending, 34 States Parties,
    1 not a party; flagged: Ukraine (purported suspension since 2025-07-18); 163 States Parties worldwide."
    """
    parts = []
    for code in SUMMARY_ORDER:
        n = counts.get(code, 0)
        if n:
            one, many = SUMMARY_WORDS[code]
            parts.append(f"{n} {one if n == 1 else many}")
    flagged = [f"{r['name']} ({r['flag']})" for r in rows if r["flag"]]
    text = f"On {long_date(day)}, of {len(rows)} countries drawn: {', '.join(parts) or 'none'}"
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


def changes_on_map(day_a: dt.date, day_b: dt.date, data_dir: Path = DATA_DIR) -> list[str]:
    """Sentences for the drawn countries whose status or flag differs between two days (for announcements)."""
    return treaty.changes_between(day_a, day_b, iso3s=load.drawn_iso3s(data_dir), data_dir=data_dir)["text"].tolist()


def table_html(rows: list[dict], day: dt.date, fill: str, spend_year: int | None = None) -> str:
    """The rows as an accessible HTML table (caption, column and row headers, details per country)."""
    spend = fill != "status"
    heads = ["Country", "Status", "Withdrawal stage", "Flag", "Days until withdrawal is effective"]
    if spend:
        heads += [f"Defence spending {spend_year}, % of GDP", "Series"]
    caption = f"Every country drawn on the map on {long_date(day)}. Open a country's name for its details."
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
