"""The whole timeline as intervals: per drawn country, the days over which its status stays the same.

Everything here is derived from the one status function, :func:`flankmap.domain.treaty.status_of`. That function
depends on the day only through comparisons with the dates of the country's own events (and the day the
treaty opened for signature), so its answer is constant between two such dates. :func:`country_intervals`
evaluates it once at each of those dates and merges neighbours that say the same thing, so a browser can
show any day by looking up the interval that holds it, without deciding a status itself. A unit test checks
the intervals against :func:`treaty.status_at` on every day of the covered range.

The tooltip of each interval is a list of ``[kind, text]`` lines of plain text (never HTML): the browser
builds DOM text nodes from them. Two parts depend on the exact day and are filled in by the browser: the
"Status on <date>" heading and the countdown, whose place is marked by a ``["countdown", ""]`` line and
which is computed from the interval's ``effective`` date.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from functools import lru_cache
from pathlib import Path

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import spending, treaties, treaty, treaty_days

DAY = dt.timedelta(days=1)
# End of the timeline the app publishes once (static/geo/timeline_*.json): a lookup bound, not a datum. The
# last interval of each country simply runs on to it; the slider never goes past the data's last day.
APP_HORIZON = dt.date(2099, 12, 31)
# Tooltip line kinds the browser knows how to draw (bold, italic, small print, plain text, countdown).
LINE_KINDS = ("b", "i", "small", "text", "countdown")


@dataclasses.dataclass(frozen=True)
class Interval:
    """One country's status over ``start`` .. ``end`` (both inclusive)."""

    start: dt.date
    end: dt.date
    status_code: str
    withdrawal_stage: str | None
    flag: str | None
    effective_date: dt.date | None
    tooltip: tuple[tuple[str, str], ...]

    def to_json(self) -> dict:
        """The compact form sent to the browser (ISO dates, short keys)."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "code": self.status_code,
            "stage": self.withdrawal_stage,
            "flag": self.flag,
            "effective": self.effective_date.isoformat() if self.effective_date else None,
            "tip": [list(line) for line in self.tooltip],
        }


def _rows(timeline: treaty.Timeline) -> list[dict]:
    return [
        getattr(timeline, f.name)
        for f in dataclasses.fields(timeline)
        if isinstance(getattr(timeline, f.name), dict) and getattr(timeline, f.name).get("event_date")
    ]


def breakpoints(timeline: treaty.Timeline) -> list[dt.date]:
    """Days on which the country's status may change: its event dates and the opening for signature."""
    days = {row["event_date"] for row in _rows(timeline)} | {treaties.get(timeline.treaty).opened_for_signature}
    return sorted(days)


def _n(value) -> str:
    return "?" if value is None or value != value else str(value)


def tooltip_lines(timeline: treaty.Timeline, status: treaty.CountryStatus, note: str | None) -> list[list[str]]:
    """The plain-text tooltip lines of one status (the same content as the app's map tooltip)."""
    lines = []
    if status.flag:
        lines.append(["text", f"⚑ {status.flag} (contested: not a withdrawal)"])
    if status.entry_into_force_date:
        lines.append(["text", f"In force for it since {status.entry_into_force_date}"])
    if status.withdrawal_stage or status.status_code == "withdrawn":
        lines.extend(_withdrawal_lines(timeline, status))
    if note:
        lines.append(["i", note])
    if status.source_title:
        uncertain = " (date uncertain: sources differ)" if status.source_confidence == "uncertain" else ""
        lines.append(["small", f"Source of status: {status.source_title}{uncertain}"])
    return lines


def _withdrawal_lines(timeline: treaty.Timeline, status: treaty.CountryStatus) -> list[list[str]]:
    lines = []
    p = timeline.parliament
    if p and p["event_date"] <= status.day:
        tally = ""
        if p.get("vote_for") is not None and p.get("vote_for") == p.get("vote_for"):
            tally = f" ({p['vote_for']}–{_n(p.get('vote_against'))}–{_n(p.get('vote_abstain'))})"
        lines.append(["text", f"Parliament vote: {p['event_date']}{tally}"])
    if status.withdrawal_deposit_date:
        lines.append(["text", f"Withdrawal deposited with the UN: {status.withdrawal_deposit_date}"])
    if status.effective_date:
        lines.append(["text", f"Withdrawal effective: {status.effective_date}"])
    if status.days_until_effective is not None:
        lines.append(["countdown", ""])
    if status.withdrawal_stage:
        lines.append(["text", f"Stage: {treaty.STAGE_LABELS[status.withdrawal_stage]}"])
    return lines


def _same(a: Interval, b: Interval) -> bool:
    return dataclasses.replace(a, start=b.start, end=b.end) == b


def country_intervals(
    timeline: treaty.Timeline, first: dt.date, last: dt.date, note: str | None = None
) -> list[Interval]:
    """Consecutive intervals covering ``first`` .. ``last`` for one country, from :func:`treaty.status_of`."""
    starts = [first] + [d for d in breakpoints(timeline) if first < d <= last]
    out: list[Interval] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - DAY if i + 1 < len(starts) else last
        st = treaty.status_of(timeline, start)
        iv = Interval(
            start=start,
            end=end,
            status_code=st.status_code,
            withdrawal_stage=st.withdrawal_stage,
            flag=st.flag,
            effective_date=st.effective_date if st.days_until_effective is not None else None,
            tooltip=tuple(tuple(line) for line in tooltip_lines(timeline, st, note)),
        )
        if out and _same(out[-1], iv):
            out[-1] = dataclasses.replace(out[-1], end=end)
        else:
            out.append(iv)
    return out


def covered_range(
    data_dir: Path = DATA_DIR, last: dt.date | None = None, treaty_key: str | None = None
) -> tuple[dt.date, dt.date]:
    """First and last day the timeline of ``treaty_key`` (default Ottawa) covers: its adoption to the last day
    the data speaks for.

    ``last`` overrides the end (the app's published timeline runs to :data:`APP_HORIZON`, so the file does
    not depend on today; the server still clamps the day it asks for to the data's last day).
    """
    return treaties.get(treaty_key).adopted, last or treaty.data_last_day(data_dir, treaty=treaty_key)


def _notes(data_dir: Path, treaty_key: str | None = None) -> dict[str, str]:
    return treaty.country_notes(data_dir, treaty_key)


def all_intervals(
    data_dir: Path = DATA_DIR,
    iso3s: list[str] | None = None,
    last: dt.date | None = None,
    treaty_key: str | None = None,
) -> dict[str, list[Interval]]:
    """Intervals of every drawn country (or of ``iso3s``) under ``treaty_key`` (default Ottawa). A drawn country
    without events has none: the browser then shows it as "no treaty data", never as a status.
    """
    first, last = covered_range(data_dir, last, treaty_key)
    timelines = treaty.timelines(data_dir, treaty_key)
    notes = _notes(data_dir, treaty_key)
    codes = iso3s if iso3s is not None else load.drawn_iso3s(data_dir)
    return {
        iso3: country_intervals(timelines[iso3], first, last, notes.get(iso3)) for iso3 in codes if iso3 in timelines
    }


@lru_cache(maxsize=4)
def _app_intervals(
    where: str, version: str, treaty_key: str = treaties.DEFAULT_TREATY
) -> dict[str, tuple[list[dt.date], list[Interval]]]:
    ivs = all_intervals(Path(where), last=APP_HORIZON, treaty_key=treaty_key)
    return {iso3: ([iv.start for iv in rows], rows) for iso3, rows in ivs.items()}


def intervals_on(day: dt.date, data_dir: Path = DATA_DIR, treaty_key: str | None = None) -> dict[str, Interval]:
    """The interval holding ``day`` for every drawn country with treaty data: the very intervals the app's
    map looks the day up in (published to ``static/geo/timeline_*.json``), memoised on the data version.
    For server-side views of the same day (the text alternative), so they never compute a status apart.
    """
    out = {}
    for iso3, (starts, rows) in _app_intervals(*load.cache_key(data_dir), treaties.get(treaty_key).key).items():
        i = bisect.bisect_right(starts, day) - 1
        if i >= 0 and day <= rows[i].end:
            out[iso3] = rows[i]
    return out


def count_intervals(
    data_dir: Path = DATA_DIR, last: dt.date | None = None, treaty_key: str | None = None
) -> list[dict]:
    """The States-Parties count as shown to people (:func:`treaty_days.states_parties_text`), as intervals.

    The count changes only on a published figure's day (and the day after, when the exact figure becomes a
    lower bound again) and on a deposit or a withdrawal taking effect.
    """
    first, last = covered_range(data_dir, last, treaty_key)
    days = {first}
    for d in treaty_days.count_change_days(data_dir, treaty_key):
        days |= {d, d + DAY}
    starts = sorted(d for d in days if first <= d <= last)
    out: list[dict] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - DAY if i + 1 < len(starts) else last
        text = treaty_days.states_parties_text(start, data_dir, treaty_key)
        if out and out[-1]["text"] == text:
            out[-1]["to"] = end.isoformat()
        else:
            out.append({"from": start.isoformat(), "to": end.isoformat(), "text": text})
    return out


def key_dates(data_dir: Path = DATA_DIR, last: dt.date | None = None, treaty_key: str | None = None) -> list[dict]:
    """The timeline's key dates with their labels (:func:`treaty_days.key_dates`), within the covered range."""
    first, last = covered_range(data_dir, last, treaty_key)
    return [
        {"date": d.isoformat(), "label": label}
        for d, label in treaty_days.key_dates(data_dir, treaty_key)
        if first <= d <= last
    ]


def spending_steps(
    data_dir: Path = DATA_DIR,
    iso3s: list[str] | None = None,
    series: str | None = None,
    last: dt.date | None = None,
    through_year: int | None = None,
) -> dict:
    """Defence spending for the browser, by year: what the map fill and the tooltip show.

    Without ``series`` (the status fill), ``tip`` is the latest actual figure up to a year
    (:func:`spending.latest_pct_gdp_all`) as a step list ``[[from_year, text], ...]``. With a ``series``
    (a spending fill, one series only; ``through_year`` extends the years to a later choosable one),
    ``fill`` holds each year's figure ``[value, series, is_estimate]``,
    ``no_forces`` the years a country has no armed forces, ``tip`` one line per year (the figure, or why
    there is none), ``why`` the reason alone for each year without a figure (the text table's cell), and
    ``year_for`` the spending year each calendar year shows by default
    (:func:`spending.default_year`).

    Returns:
        ``{"years": [first, last], "fill", "tip", "why", "no_forces", "year_for"}``.
    """
    codes = sorted(set(iso3s if iso3s is not None else load.drawn_iso3s(data_dir)))
    if series is None:
        return _latest_steps(codes, data_dir)
    years = spending.years_with_figures(series, data_dir)
    first, last = covered_range(data_dir, last)
    year_for = {
        str(y): spending.default_year(dt.date(y, 12, 31), series, data_dir) for y in range(first.year, last.year + 1)
    }
    fill: dict[str, dict[str, list]] = {}
    tips: dict[str, list] = {}
    why_none: dict[str, dict[str, str]] = {}
    no_forces: dict[str, list[int]] = {}
    label = spending.SHORT_LABELS[series]
    # ``through_year``: also the years after the last figure a person can choose (each says why there is none).
    for year in range(min(years), max(max(years), through_year or 0) + 1):
        figures = {r["iso3"]: r for r in spending.figures_for_year(year, series, data_dir).to_dict("records")}
        for iso3 in codes:
            rec = figures.get(iso3)
            if rec is not None:
                fill.setdefault(iso3, {})[str(year)] = [round(float(rec["value"]), 4), series, bool(rec["is_estimate"])]
                text = _spend_text(float(rec["value"]), year, series, bool(rec["is_estimate"]))
            else:
                why = spending.missing_reason(iso3, year, series, data_dir) or {"reason_code": "", "reason": ""}
                if why["reason_code"] == "no_armed_forces":
                    no_forces.setdefault(iso3, []).append(year)
                why_none.setdefault(iso3, {})[str(year)] = why["reason"]
                text = f"Defence spending {year} ({label}): no figure, {why['reason']}"
            tips.setdefault(iso3, []).append([year, text])
    return {
        "years": [min(years), max(years)],
        "fill": fill,
        "tip": tips,
        "why": why_none,
        "no_forces": no_forces,
        "year_for": year_for,
    }


def _spend_text(value: float, year: int, series: str, estimate: bool) -> str:
    # The short series name: "% of GDP" is already said. The one home of this sentence (every renderer shows it).
    est = ", estimate" if estimate else ""
    return f"Defence spending: {value:.2f}% of GDP ({year}, {spending.SHORT_LABELS.get(series, series)}{est})"


def _latest_steps(codes: list[str], data_dir: Path) -> dict:
    table = spending.spending_table(data_dir)
    years = sorted(int(y) for y in table["year"].dropna().unique())
    last = spending.last_year(data_dir)
    tips: dict[str, list] = {}
    for year in range(years[0], last + 1):
        for iso3, rec in spending.latest_pct_gdp_all(on_or_before_year=year, data_dir=data_dir).items():
            if iso3 not in codes:
                continue
            text = _spend_text(rec["value"], rec["year"], rec["series"], bool(rec.get("is_estimate")))
            steps = tips.setdefault(iso3, [])
            if not steps or steps[-1][1] != text:
                steps.append([year, text])
    return {"years": [years[0], last], "fill": {}, "tip": tips, "why": {}, "no_forces": {}, "year_for": {}}
