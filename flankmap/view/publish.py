"""The published timeline of a fill: every word and style a map view can show, for every day, as JSON.

Built once per fill and data version from the intervals (:mod:`flankmap.domain.intervals`, so from
:func:`flankmap.domain.treaty.status_of`) and the symbology: per country and interval the style index, the status
label, the tooltip lines and the flag label; the legend for every stretch of days over which it stays the same;
the title templates (``{date}``, ``{count}``); the spending style, figure and tooltip line per country and
year; compare mode's texts; the border hover texts and fixed labels. The app publishes it per fill
(``static/geo/timeline_<fill>.json``, :func:`published_intervals`); the offline file embeds it
(:func:`build_data`); :mod:`flankmap.view.model` and ``static/flankmap/runtime.js`` select a day's view from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import borders, intervals, spending, treaties, treaty, treaty_pair
from flankmap.view import control, labels, urlstate
from flankmap.view import symbology as sym

TEXTS = {
    "status_on": "Status on {date}: ",
    "countdown": "{n} days until effective",
    "countdown_one": "1 day until effective",
    "changed_since": "Changed since {compare}",
    "no_data": "No treaty data",
    "play": "Play",
    "pause": "Pause",
    "bad_date": "Ignored date '{value}': not a date (use YYYY-MM-DD); showing {shown}.",
    "out_of_range": "Date {value} is outside {first} to {last}, the days the data covers; showing {shown}.",
}


class _Styles:
    """The distinct styles of a file, each sent once; countries, borders and legend rows refer by index."""

    def __init__(self):
        self.items: list[dict] = []
        self._index: dict[str, int] = {}
        self.hatches: dict[str, dict] = {}

    def add(self, style: sym.Style) -> int:
        data = style_json(style)
        if style.hatch is not None:
            self.hatches[style.hatch.id] = dataclasses.asdict(style.hatch)
        key = json.dumps(data, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(data)
        return self._index[key]


def _style_kw(iv: intervals.Interval) -> dict:
    """The status style's arguments for an interval ("both": outlined when outside the CCM on those days)."""
    kw = {"status_code": iv.status_code, "flagged": bool(iv.flag)}
    if isinstance(iv, treaty_pair.PairInterval) and iv.ccm_code not in treaty_pair.INSIDE_CCM:
        kw["outside_ccm"] = True
    return kw


def _treaty_part(data_dir: Path, drawn: list[str], last: dt.date | None, treaty_key: str):
    """What depends on the treaty: (first, last, intervals per country, count intervals, key dates, checked-through
    day, the later days' warning). ``both``: the Ottawa intervals cut at every CCM change (:mod:`treaty_pair`),
    both counts, both treaties' key dates, the earlier checked-through day of the two.
    """
    if treaty_key != "both":
        key = treaties.get(treaty_key).key
        first, last = intervals.covered_range(data_dir, last, key)
        checked = checked_through(data_dir, key)
        return (
            first,
            last,
            intervals.all_intervals(data_dir, drawn, last, treaty_key=key),
            intervals.count_intervals(data_dir, last, key),
            intervals.key_dates(data_dir, last, key),
            checked,
            treaty.checked_through_note(checked + intervals.DAY, data_dir, key) or "",
        )
    last = last or max(intervals.covered_range(data_dir, None, k)[1] for k in treaty_pair.PAIR)
    first = treaty_pair.first_day()
    checks = {k: checked_through(data_dir, k) for k in treaty_pair.PAIR}
    key = min(treaty_pair.PAIR, key=lambda k: checks[k])  # the earlier check decides the warning
    days: dict[str, list[str]] = {}
    for k in treaty_pair.PAIR:
        for row in intervals.key_dates(data_dir, last, k):
            if row["date"] >= first.isoformat():
                days.setdefault(row["date"], []).append(("CCM: " if k == "ccm" else "") + row["label"])
    return (
        first,
        last,
        treaty_pair.pair_intervals(data_dir, drawn, last),
        treaty_pair.pair_counts(data_dir, last),
        [{"date": d, "label": "; ".join(labels)} for d, labels in sorted(days.items())],
        checks[key],
        treaty.checked_through_note(checks[key] + intervals.DAY, data_dir, key) or "",
    )


def style_json(style: sym.Style) -> dict:
    """A symbology style as JSON for the runtime (CSS px; the hatch by its SVG pattern id)."""
    return {
        "fill": style.fill,
        "edge": style.edge,
        "width": style.width,
        "dash": list(style.dash) if style.dash else None,
        "hatch": style.hatch.id if style.hatch else None,
        "fill_opacity": style.fill_opacity,
        "opacity": style.opacity,
    }


def _entry_json(entry: sym.LegendEntry) -> dict:
    return {
        "kind": entry.kind,
        "key": entry.key,
        "label": entry.label,
        "style": style_json(entry.style) if entry.style is not None else None,
    }


def _template(text: str, day: dt.date, values: dict[str, str]) -> str:
    """A heading line with its date (and count) replaced by ``{date}`` (``{count}``) for the browser."""
    text = text.replace(sym.long_date(day), "{date}")
    for name, value in values.items():
        text = text.replace(value, "{" + name + "}")
    return text


def _names(data_dir: Path) -> dict[str, str]:
    table = load.table(load.schemas.COUNTRIES, data_dir)
    return dict(zip(table["iso3"], table["name"], strict=True))


def checked_through(data_dir: Path = DATA_DIR, treaty_key: str | None = None) -> dt.date:
    """The day the treaty data's sources were last checked (:func:`treaty.checked_through`)."""
    return treaty.checked_through(data_dir, treaty_key)


def _flag_label(name: str, flag: str) -> list[str]:
    """The map label of a flagged country as lines of plain text (as on the app's map)."""
    head, _, since = flag.partition(" since ")
    lines = [f"{sym.FLAG_SYMBOL} {name}: {head}"]
    if since:
        lines.append(f"since {since}")
    lines.append("(contested: still a State Party)")
    return lines


def _spend_data(steps: dict, styles: _Styles) -> dict:
    """The spending part of the data: style index per country and year, tooltip lines, default years, and each
    figure as ``[value, is_estimate]`` (the text alternative's cells).
    """
    none = styles.add(sym.spending_style(None))
    forces = styles.add(sym.spending_style(None, "no_armed_forces"))
    fill = {
        iso3: {year: styles.add(sym.spending_style(value)) for year, (value, _, _) in by_year.items()}
        for iso3, by_year in steps["fill"].items()
    }
    for iso3, years in steps["no_forces"].items():
        fill.setdefault(iso3, {}).update({str(y): forces for y in years})
    value = {iso3: {year: [v, est] for year, (v, _, est) in by_year.items()} for iso3, by_year in steps["fill"].items()}
    return {
        "years": steps["years"],
        "tip": steps["tip"],
        "fill": fill,
        "value": value,
        "why": steps["why"],
        "none": none,
        "year_for": steps["year_for"],
    }


# A day no view shows, standing in for the compare day while the compare texts are made into templates.
_MARK_DAY = dt.date(1900, 1, 1)


def _compare_data(per_country: dict, styles: _Styles, treaty_key: str) -> dict:
    """Compare mode (status fill): its heading line, legend row and tooltip line as templates (``{compare}``),
    and for each status style the index of the same style outlined as changed.
    """
    outlined = {}
    for ivs in per_country.values():
        for iv in ivs:
            kw = _style_kw(iv)
            outlined[styles.add(sym.country_style("status", **kw))] = styles.add(
                sym.country_style("status", changed=True, **kw)
            )
    sub = sym.heading("status", _MARK_DAY, compare_day=_MARK_DAY, treaty=treaty_key).subtitles[-1]
    entry = sym.legend(sym.LegendView(fill="status", layers=(), compare_day=_MARK_DAY, treaty=treaty_key))[-1]
    row = _entry_json(entry)
    row["label"] = row["label"].replace(_MARK_DAY.isoformat(), "{compare}")
    return {
        "sub": sub.replace(sym.long_date(_MARK_DAY), "{compare}"),
        "legend": row,
        "tip": TEXTS["changed_since"],
        "outlined": {str(k): v for k, v in sorted(outlined.items())},
    }


def _spending_heading_and_legend(day, fill, series, spend, spend_year, layers, data_dir) -> tuple[dict, dict]:
    """Title and legend of a spending fill for each calendar year (or the one chosen year)."""
    keys = [str(spend_year)] if spend_year else list(spend["year_for"])
    heading, legend = {}, {}
    for key in keys:
        year = spend_year or spend["year_for"][key]
        h = sym.heading(fill, day, year=year, year_chosen=bool(spend_year))
        heading[key] = {"title": _template(h.title, day, {}), "subs": [_template(x, day, {}) for x in h.subtitles]}
        view = sym.LegendView(
            fill=fill, layers=layers, year=year, series_note=spending.legend_label(series, year, data_dir)
        )
        legend[key] = [_entry_json(e) for e in sym.legend(view)]
    heading["_default"], legend["_default"] = heading[keys[-1]], legend[keys[-1]]
    return heading, legend


def _status_legend(
    per_country: dict, layers: tuple[str, ...], names: dict, first: dt.date, last: dt.date, treaty_key: str
):
    """The status legend for every stretch of days over which it stays the same.

    Returns (entries, stretches): each distinct legend row once, and ``{"from", "to", "rows"}`` stretches
    listing the rows shown by index.
    """
    pool: list[dict] = []
    index: dict[str, int] = {}

    def ref(entry: dict) -> int:
        key = json.dumps(entry, sort_keys=True)
        if key not in index:
            index[key] = len(pool)
            pool.append(entry)
        return index[key]

    starts = sorted({iv.start for ivs in per_country.values() for iv in ivs} | {first})
    out: list[dict] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - intervals.DAY if i + 1 < len(starts) else last
        counts: dict[str, int] = {}
        flags = []
        for iso3, ivs in sorted(per_country.items()):
            iv = next(x for x in ivs if x.start <= start <= x.end)
            counts[iv.status_code] = counts.get(iv.status_code, 0) + 1
            if _style_kw(iv).get("outside_ccm"):
                counts["outside_ccm"] = counts.get("outside_ccm", 0) + 1
            if iv.flag:
                flags.append((names.get(iso3, iso3), iv.flag))
        view = sym.LegendView(fill="status", layers=layers, counts=counts, flags=tuple(flags), treaty=treaty_key)
        rows = [ref(_entry_json(e)) for e in sym.legend(view)]
        if out and out[-1]["rows"] == rows:
            out[-1]["to"] = end.isoformat()
        else:
            out.append({"from": start.isoformat(), "to": end.isoformat(), "rows": rows})
    return pool, out


def build_data(
    day: dt.date,
    *,
    fill: str = "status",
    area: str = "baltic",
    layers: tuple[str, ...] = urlstate.DEFAULT_LAYERS,
    spend_year: int | None = None,
    permalink: str = "",
    generated: dt.date | None = None,
    data_dir: Path = DATA_DIR,
    last: dt.date | None = None,
    spend_through: int | None = None,
    treaty_key: str = treaties.DEFAULT_TREATY,
) -> dict:
    """Everything the file's runtime needs, as one JSON-ready dict (see the module docstring).

    ``last`` ends the timeline on another day than the data's last day and ``spend_through`` adds spending
    years without figures up to that year (both for :func:`app_timeline`). ``treaty_key`` picks the convention
    whose status, counts, key dates, headings and legend are published (the spending figures are the same for
    both; their tooltips' status lines follow the treaty).
    """
    if fill not in urlstate.FILLS:
        raise ValueError(f"unknown fill {fill!r}")
    drawn = load.drawn_iso3s(data_dir)
    names = _names(data_dir)
    first, last, per_country, counts, key_dates, checked, stale = _treaty_part(data_dir, drawn, last, treaty_key)
    styles = _Styles()
    no_data = styles.add(sym.NO_DATA_STYLE)
    countries = {}
    for iso3 in drawn:
        rows = []
        for iv in per_country.get(iso3, []):
            row = iv.to_json()
            row["label"] = treaty.STATUS_LABELS[iv.status_code]
            row["s"] = styles.add(sym.country_style("status", **_style_kw(iv)))
            row["flag_label"] = _flag_label(names.get(iso3, iso3), iv.flag) if iv.flag else None
            rows.append(row)
        countries[iso3] = {"name": names.get(iso3, iso3), "iv": rows}

    series = sym.SPEND_FILLS.get(fill)
    spend = _spend_data(intervals.spending_steps(data_dir, drawn, series, last, spend_through), styles)
    legend_rows: list[dict] = []
    if series:
        heading, legend = _spending_heading_and_legend(day, fill, series, spend, spend_year, layers, data_dir)
    else:
        marker = "\u2063COUNT\u2063"  # an invisible separator: never part of a real heading
        h = sym.heading("status", day, count_text=marker, treaty=treaty_key)
        heading = {
            "title": _template(h.title, day, {"count": marker}),
            "subs": [_template(s, day, {"count": marker}) for s in h.subtitles],
        }
        legend_rows, legend = _status_legend(per_country, layers, names, first, last, treaty_key)
    compare = None if series else _compare_data(per_country, styles, treaty_key)

    segments = borders.segments_table(data_dir)
    border_styles = {row.segment_id: styles.add(sym.border_style(row.focus)) for row in segments.itertuples()}
    geo = {
        "countries": json.loads((Path(data_dir) / load.COUNTRIES_GEOJSON).read_text(encoding="utf-8")),
        "borders": json.loads((Path(data_dir) / load.BORDERS_GEOJSON).read_text(encoding="utf-8")),
    }
    generated = generated or dt.date.today()
    return {
        "version": 1,
        "treaty": treaty_key,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "day": min(max(day, first), last).isoformat(),
        "fill": fill,
        "spend_year": spend_year,
        "layers": {name: name in layers for name in urlstate.LAYERS},
        "bounds": urlstate.area(area).bounds,
        "styles": styles.items,
        "hatches": list(styles.hatches.values()),
        "no_data_style": no_data,
        "countries": countries,
        # The flag label of a flagged country, its lines being the day's (``flag_label`` of the interval).
        "flag_labels": {iso3: labels.flag_label(iso3, []) for iso3 in labels.FLAG_LABEL_AT},
        "spend": spend,
        "counts": counts,
        "key_dates": key_dates,
        "legend": legend,
        "legend_rows": legend_rows,
        "compare": compare,
        # A day after the check date gets the core's warning under the title (events may be missing).
        "stale": {
            "from": (checked + intervals.DAY).isoformat(),
            "text": stale,
        },
        "heading": heading,
        "borders": border_styles,
        "border_default": styles.add(sym.border_style(None)),
        "border_tips": labels.border_tooltips(data_dir),  # HTML, every field escaped in Python
        "labels": labels.map_labels(names, data_dir),  # fixed labels: plain text lines, style key, priority, places
        "flank_points": labels.flank_points(data_dir),  # no label (but its own) and no box covers these
        "flank_countries": list(labels.FLANK_COUNTRIES),
        "geo": geo,
        "months": [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)],
        "texts": TEXTS,
        "control": control.settings(),  # the timeline control's words, speeds and settle pause
        "credits": {
            "attribution": sym.ATTRIBUTION,
            "source": sym.source_line(fill, checked, treaty_key),
            "generated": f"File made {generated.isoformat()} by Flankmap",
            "permalink": permalink,
        },
    }


def published_intervals(
    fill: str = "status", data_dir: Path = DATA_DIR, treaty_key: str = treaties.DEFAULT_TREATY
) -> dict:
    """The whole timeline for the app's map, fetched once per session (``static/geo/timeline_<fill>.json``).

    The same data as the file's (:func:`build_data`), without the geometry (the app fetches that already),
    running to :data:`intervals.APP_HORIZON` so the published file does not depend on today (one file per treaty
    and fill: ``timeline_<fill>.json`` for Ottawa, ``timeline_ccm_<fill>.json`` for the CCM). What changes
    with a date step's view is chosen by the browser from tables made here: the legend's border rows
    (``border_legend``, shown with the borders layer) and, for a spending fill, the heading and legend of
    every spending year a person can choose (``heading_chosen``, ``legend_by_year``).
    """
    data = build_data(
        urlstate.first_day(treaty_key),
        fill=fill,
        treaty_key=treaty_key,
        layers=(),
        data_dir=data_dir,
        last=intervals.APP_HORIZON,
        spend_through=urlstate.SPEND_YEARS[1],  # a URL may choose a year after the last figure
        generated=dt.date(2000, 1, 1),
    )
    for key in ("geo", "bounds", "day", "spend_year", "layers", "control"):  # the app sends the control's own
        data.pop(key)
    data["credits"] = {"source": data["credits"]["source"]}
    plain = sym.legend(sym.LegendView(fill=fill, layers=()))
    data["border_legend"] = [_entry_json(e) for e in sym.legend(sym.LegendView(fill=fill, layers=("borders",)))][
        len(plain) :
    ]
    series = sym.SPEND_FILLS.get(fill)
    if series:
        lo, hi = data["spend"]["years"]
        chosen, by_year = {}, {}
        for year in range(min(lo, urlstate.SPEND_YEARS[0]), max(hi, urlstate.SPEND_YEARS[1]) + 1):
            heading, legend = _spending_heading_and_legend(
                urlstate.first_day(treaty_key), fill, series, data["spend"], year, (), data_dir
            )
            chosen[str(year)], by_year[str(year)] = heading[str(year)], legend[str(year)]
        data["heading_chosen"], data["legend_by_year"] = chosen, by_year
        data["legend"] = {}  # the default year's legend is legend_by_year[year_for[calendar year]]
    return data
