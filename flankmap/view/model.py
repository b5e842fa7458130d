"""One view model: what a map view shows, resolved for one day from the published timeline.

Python builds the whole timeline of a fill once (:func:`flankmap.view.publish.build_data`, published for the app
as ``static/geo/timeline_<fill>.json``): per country the status intervals with their tooltip lines and style
index, the headings, legends, counts and spending figures by year, every word a person reads. A view of one
day is a *selection* from it, made by the same lookups in two places:

- in the browser, by ``static/flankmap/runtime.js`` (``R.view``: the app's map and the offline file);
- here, by :func:`resolve`, for every renderer that runs in Python: the text alternative under the map, the
  static exports (PNG, SVG, PDF, GIF, MP4) and the CLI.

Both return the same plain structure (heading, legend entries, per country the style index, status code,
tooltip lines as ``[kind, text]`` and flag label); ``tests/unit/test_view_agreement.py`` runs the JavaScript
under Node on every drawn country and key day of every fill and compares the two as equal objects. Renderers
only format a :class:`MapView`: none writes a sentence of its own.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from functools import lru_cache
from pathlib import Path

from flankmap.data import load
from flankmap.data.load import DATA_DIR
from flankmap.domain import treaties, treaty_days
from flankmap.view import briefing, publish, urlstate
from flankmap.view import symbology as sym

MONTHS = tuple(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))


@dataclasses.dataclass(frozen=True)
class CountryView:
    """One country on the view's day: style index, status, tooltip lines and the flag label drawn on the map."""

    iso3: str
    name: str
    style: int
    code: str | None
    lines: tuple[tuple[str, str], ...]
    flag: tuple[str, ...] | None
    interval: dict | None  # the published interval holding the day (label, stage, flag, effective)


@dataclasses.dataclass(frozen=True)
class MapView:
    """A view of one day: what every renderer formats."""

    day: dt.date
    fill: str
    year: int | None  # the spending year shown (spending fills), else None
    heading: sym.Heading
    legend: tuple[dict, ...]  # entries as published: {kind, key, label, style}
    countries: dict[str, CountryView]
    styles: tuple[dict, ...]  # the published styles; CountryView.style indexes them
    hatches: tuple[dict, ...]
    source: str
    count: str  # the States-Parties count text of the day ("163", "at least 131")
    compare_day: dt.date | None = None
    changed: frozenset[str] = frozenset()
    changes: tuple[str, ...] = ()  # compare mode: one sentence per change (the page lists them)
    treaty: str = treaties.DEFAULT_TREATY  # whose status the view shows (flankmap.domain.treaties)
    labels: tuple[dict, ...] = ()  # the labels drawn on the day, by priority (``R.labels``); renderers lay them out
    annotations: tuple = ()  # a briefing's annotations shown on the day (briefing.Annotation, R.annotationsOn)
    data: dict = dataclasses.field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        """The form ``R.view`` returns in the browser (the agreement test compares the two)."""
        return {
            "heading": {
                "title": self.heading.title,
                "subs": list(self.heading.subtitles),
                "warning": self.heading.warning,
            },
            "legend": list(self.legend),
            "countries": {
                iso3: {
                    "style": c.style,
                    "code": c.code,
                    "lines": [list(line) for line in c.lines],
                    "flag": list(c.flag) if c.flag else None,
                }
                for iso3, c in self.countries.items()
            },
            "labels": [dict(lab) for lab in self.labels],
        }

    def style_of(self, iso3: str) -> sym.Style:
        """The symbology style of a country (for renderers that draw with :class:`symbology.Style`)."""
        return style_from_json(self.styles[self.countries[iso3].style], self.hatches)

    def legend_entries(self) -> list[sym.LegendEntry]:
        """The legend as :class:`symbology.LegendEntry` objects."""
        return [
            sym.LegendEntry(
                e["kind"], e["key"], e["label"], style_from_json(e["style"], self.hatches) if e["style"] else None
            )
            for e in self.legend
        ]


def style_from_json(data: dict, hatches) -> sym.Style:
    """A published style back as a :class:`symbology.Style`."""
    hatch = next((sym.Hatch(**h) for h in hatches if h["id"] == data["hatch"]), None) if data["hatch"] else None
    return sym.Style(
        fill=data["fill"],
        edge=data["edge"],
        width=data["width"],
        dash=tuple(data["dash"]) if data["dash"] else None,
        hatch=hatch,
        fill_opacity=data["fill_opacity"],
        opacity=data["opacity"],
    )


# --------------------------------------------------------------------------------------------------------------
# The published timeline, memoised per data version
# --------------------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Published:
    """A fill's published timeline with its lookup indexes (start days per country, count and legend stretches)."""

    data: dict
    starts: dict[str, list[dt.date]]
    count_starts: list[dt.date]
    legend_starts: list[dt.date]


def prepare(data: dict) -> Published:
    """Lookup indexes for :func:`resolve` (what ``R.prepare`` adds in the browser)."""
    day = dt.date.fromisoformat
    starts = {iso3: [day(iv["from"]) for iv in c["iv"]] for iso3, c in data["countries"].items()}
    legend = data["legend"] if data["fill"] == "status" else []
    return Published(data, starts, [day(c["from"]) for c in data["counts"]], [day(x["from"]) for x in legend])


@lru_cache(maxsize=8)
def _published(fill: str, where: str, version: str, treaty_key: str = treaties.DEFAULT_TREATY) -> Published:
    return prepare(publish.published_intervals(fill, Path(where), treaty_key))


def published(fill: str, data_dir: Path = DATA_DIR, treaty_key: str = treaties.DEFAULT_TREATY) -> Published:
    """The app's published timeline of ``fill`` under ``treaty_key`` (the content of
    ``static/geo/timeline_<fill>.json``, ``timeline_ccm_<fill>.json`` for the CCM).
    """
    if treaty_key not in urlstate.TREATIES:
        raise KeyError(f"unknown treaty {treaty_key!r}: accepted {', '.join(urlstate.TREATIES)}")
    return _published(fill, *load.cache_key(data_dir), treaty_key)


# --------------------------------------------------------------------------------------------------------------
# Lookups: the Python twin of static/flankmap/runtime.js (same names, same order of decisions)
# --------------------------------------------------------------------------------------------------------------
def long_date(day: dt.date) -> str:
    """'27 December 2025' (runtime.js ``R.longDate``; the same words as :func:`symbology.long_date`)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _find(starts: list[dt.date], rows: list[dict], day: dt.date) -> dict | None:
    i = bisect.bisect_right(starts, day) - 1
    if i < 0 or day > dt.date.fromisoformat(rows[i]["to"]):
        return None
    return rows[i]


def _fmt(template: str, **values) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", str(value))
    return out


def spend_year(D: dict, day: dt.date, chosen: int | None) -> int | None:
    """The spending fill's year: the chosen one, or the default for the calendar year (``R.spendYear``)."""
    return chosen or D["spend"]["year_for"].get(str(day.year))


def _spend_tip(D: dict, iso3: str, year: int | None) -> str | None:
    text = None
    for step_year, step_text in D["spend"]["tip"].get(iso3, []):
        if year is None or step_year > year:
            break
        text = step_text
    return text


def _style_index(D: dict, iso3: str, iv: dict | None, day: dt.date, chosen: int | None) -> int:
    if iv is None:
        return D["no_data_style"]
    if D["fill"] != "status":
        f = D["spend"]["fill"].get(iso3, {}).get(str(spend_year(D, day, chosen)))
        return D["spend"]["none"] if f is None else f
    return iv["s"]


def tooltip_lines(
    D: dict, iso3: str, iv: dict | None, day: dt.date, chosen: int | None = None, changed_since: str | None = None
) -> list[list[str]]:
    """The tooltip of a country on ``day`` as ``[kind, text]`` lines (``R.tooltipLines``)."""
    lines = [["b", D["countries"][iso3]["name"]]]
    if iv is None:
        return [*lines, ["text", D["texts"]["no_data"]]]
    lines.append(["status", _fmt(D["texts"]["status_on"], date=long_date(day)) + iv["label"]])
    spend = _spend_tip(D, iso3, day.year if D["fill"] == "status" else spend_year(D, day, chosen))
    for kind, text in iv["tip"]:
        if kind == "countdown":
            left = (dt.date.fromisoformat(iv["effective"]) - day).days
            lines.append(["b", _fmt(D["texts"]["countdown_one" if left == 1 else "countdown"], n=left)])
            continue
        if kind == "small" and spend:
            lines.append(["text", spend])
            spend = None
        lines.append([kind, text])
    if spend:
        lines.append(["text", spend])
    if changed_since:
        lines.append(["b", _fmt(D["compare"]["tip"], compare=changed_since)])
    return lines


def count_text(P: Published, day: dt.date) -> str:
    """The States-Parties count shown on ``day`` ("?" outside the covered days)."""
    row = _find(P.count_starts, P.data["counts"], day)
    return "?" if row is None else row["text"]


def heading(P: Published, day: dt.date, chosen: int | None = None, compare: str | None = None) -> sym.Heading:
    """The heading of ``day`` (``R.heading``): title, subtitle lines, the checked-through warning."""
    D = P.data
    values = {"date": long_date(day)}
    if D["fill"] != "status":
        key = str(chosen or day.year)
        table = D["heading_chosen"] if chosen and D.get("heading_chosen") else D["heading"]
        h = table.get(key) or D["heading"]["_default"]
    else:
        h = D["heading"]
        values["count"] = count_text(P, day)
    subs = [_fmt(s, **values) for s in h["subs"]]
    if compare and D.get("compare"):
        subs.append(_fmt(D["compare"]["sub"], compare=long_date(dt.date.fromisoformat(compare))))
    stale = D["stale"]
    warning = stale["text"] if stale["text"] and day >= dt.date.fromisoformat(stale["from"]) else None
    return sym.Heading(_fmt(h["title"], **values), tuple(subs), warning)


def legend(P: Published, day: dt.date, layers, chosen: int | None = None, compare: str | None = None) -> list[dict]:
    """The legend entries shown on ``day`` (``R.legendShown``)."""
    D = P.data
    if D["fill"] != "status":
        if D.get("legend_by_year") is not None:
            entries = list(D["legend_by_year"].get(str(spend_year(D, day, chosen)), []))
        else:
            entries = list(D["legend"].get(str(chosen or day.year)) or D["legend"]["_default"])
    else:
        row = _find(P.legend_starts, D["legend"], day)
        entries = [] if row is None else [D["legend_rows"][i] for i in row["rows"]]
    if compare and D.get("compare"):
        entries.append({**D["compare"]["legend"], "label": _fmt(D["compare"]["legend"]["label"], compare=compare)})
    if "borders" in layers and D.get("border_legend"):
        entries.extend(D["border_legend"])
    return entries


def resolve(
    P: Published,
    day: dt.date,
    *,
    layers=urlstate.DEFAULT_LAYERS,
    chosen_year: int | None = None,
    compare_day: dt.date | None = None,
    changed=frozenset(),
    changes: tuple[str, ...] = (),
) -> MapView:
    """The view of ``day`` (``R.view``): ``chosen_year`` is a chosen spending year (None follows the date),
    ``compare_day`` and ``changed`` (the ISO3 whose status changed since then) draw compare mode's outlines.
    """
    D = P.data
    compare = compare_day.isoformat() if compare_day and D.get("compare") else None
    countries = {}
    for iso3, c in D["countries"].items():
        iv = _find(P.starts[iso3], c["iv"], day)
        si = _style_index(D, iso3, iv, day, chosen_year)
        is_changed = bool(compare) and iso3 in changed
        if is_changed:
            si = D["compare"]["outlined"].get(str(si), si)
        countries[iso3] = CountryView(
            iso3=iso3,
            name=c["name"],
            style=si,
            code=iv["code"] if iv else None,
            lines=tuple(
                tuple(x) for x in tooltip_lines(D, iso3, iv, day, chosen_year, compare if is_changed else None)
            ),
            flag=tuple(iv["flag_label"]) if iv and iv.get("flag_label") and D["fill"] == "status" else None,
            interval=iv,
        )
    return MapView(
        labels=tuple(day_labels(D, {i: c.flag for i, c in countries.items()}, layers)),
        day=day,
        fill=D["fill"],
        year=spend_year(D, day, chosen_year) if D["fill"] != "status" else None,
        heading=heading(P, day, chosen_year, compare),
        legend=tuple(legend(P, day, layers, chosen_year, compare)),
        countries=countries,
        styles=tuple(D["styles"]),
        hatches=tuple(D["hatches"]),
        source=D["credits"]["source"],
        count=count_text(P, day),
        compare_day=compare_day if compare else None,
        changed=frozenset(changed) if compare else frozenset(),
        changes=tuple(changes) if compare else (),
        treaty=D.get("treaty", treaties.DEFAULT_TREATY),
        data=D,
    )


def day_labels(D: dict, flags: dict, layers) -> list[dict]:
    """The labels drawn on a day (``R.labels``): with the labels layer on, every flagged country's flag label (its
    lines the day's) and the fixed labels, by priority (ties keep the published order).
    """
    if "labels" not in layers:
        return []
    out = [{**lab, "lines": list(flags[iso3])} for iso3, lab in D["flag_labels"].items() if flags.get(iso3)]
    return sorted(out + [dict(lab) for lab in D["labels"]], key=lambda lab: lab["priority"])


def changes(
    compare_day: dt.date, day: dt.date, data_dir: Path = DATA_DIR, treaty_key: str | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Compare mode: the drawn countries whose status or flag differs between the two days (outlined) and one
    sentence per change (:func:`treaty_days.changes_between`) under ``treaty_key`` (default Ottawa; ``both``: the
    changes under either, the CCM's sentences marked "CCM:").
    """
    if treaty_key == "both":
        ottawa, ccm = changes(compare_day, day, data_dir), changes(compare_day, day, data_dir, "ccm")
        return tuple(sorted({*ottawa[0], *ccm[0]})), (*ottawa[1], *(f"CCM: {t}" for t in ccm[1]))
    table = treaty_days.changes_between(
        compare_day, day, iso3s=load.drawn_iso3s(data_dir), data_dir=data_dir, treaty=treaty_key
    )
    return tuple(sorted(set(table["iso3"]))), tuple(table["text"].tolist())


def _merge_runs(runs: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for start, end in sorted(runs):
        if out and dt.date.fromisoformat(out[-1][1]) + dt.timedelta(days=1) >= dt.date.fromisoformat(start):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


@lru_cache(maxsize=64)
def _changed_runs(
    compare_iso: str, where: str, version: str, treaty_key: str = treaties.DEFAULT_TREATY
) -> dict[str, list[list[str]]]:
    if treaty_key == "both":  # as changes(): a country differs when it differs under either treaty
        ottawa, ccm = (_changed_runs(compare_iso, where, version, k) for k in ("ottawa", "ccm"))
        return {iso3: _merge_runs(ottawa.get(iso3, []) + ccm.get(iso3, [])) for iso3 in sorted({*ottawa, *ccm})}
    P = _published("status", where, version, treaty_key)
    compare_day = dt.date.fromisoformat(compare_iso)
    out = {}
    for iso3, c in P.data["countries"].items():
        at = _find(P.starts[iso3], c["iv"], compare_day)
        ref = (at["code"], at["flag"]) if at else (None, None)
        runs: list[list[str]] = []
        for iv in c["iv"]:
            if (iv["code"], iv["flag"]) == ref:
                continue
            if runs and dt.date.fromisoformat(runs[-1][1]) + dt.timedelta(days=1) == dt.date.fromisoformat(iv["from"]):
                runs[-1][1] = iv["to"]
            else:
                runs.append([iv["from"], iv["to"]])
        if runs:
            out[iso3] = runs
    return out


def changed_runs(
    compare_day: dt.date, data_dir: Path = DATA_DIR, treaty_key: str = treaties.DEFAULT_TREATY
) -> dict[str, list[list[str]]]:
    """Compare mode for every day at once: per drawn country, the runs of days (``[from, to]``, ISO, inclusive) on
    which its status or flag differs from ``compare_day`` under ``treaty_key`` (``both``: under either): the
    countries :func:`changes` outlines on a day are those whose runs hold it. The app's map looks the day up in them
    while a person scrubs (``R.changedOn``), so the browser never compares two statuses. Read from the published
    intervals, whose status and flag are :func:`flankmap.domain.treaty.status_of`'s (a unit test checks the runs
    against :func:`changes` day by day).
    """
    return _changed_runs(compare_day.isoformat(), *load.cache_key(data_dir), treaty_key or treaties.DEFAULT_TREATY)


def view_of(state: urlstate.ViewState, data_dir: Path = DATA_DIR, annotations=()) -> MapView:
    """The :class:`MapView` of a URL view state (normalised here): the one entry point for Python renderers.
    ``annotations`` (a briefing slide's) are selected for the day (:func:`briefing.annotations_on`).
    """
    v = state.normalised()
    key = None if v.treaty == treaties.DEFAULT_TREATY else v.treaty
    changed, texts = changes(v.compare_day, v.day, data_dir, key) if v.compare_day else ((), ())
    mv = resolve(
        published(v.fill, data_dir, v.treaty),
        v.day,
        layers=v.layers,
        chosen_year=v.chosen_year,
        compare_day=v.compare_day,
        changed=changed,
        changes=texts,
    )
    return dataclasses.replace(mv, annotations=briefing.annotations_on(annotations, v.day)) if annotations else mv
