"""What is written on the map besides the countries' fills: fixed labels, the flag label's place, border hover texts.

Part of the view: every renderer that draws the map takes these (the app's map and the offline file through
:mod:`flankmap.view.publish` and :func:`flankmap.render.leaflet.static_config`). The HTML here is written in Python with
every data field escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from flankmap.data.load import DATA_DIR
from flankmap.domain import borders
from flankmap.view import symbology as sym


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def _km(value) -> str:
    return "n/a" if _missing(value) else f"{value:,.1f} km"


def border_tooltips(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Hover text per segment id: name, computed and official length with its source (escaped HTML)."""
    table = borders.segments_table(data_dir)
    tips = {}
    for row in table.itertuples():
        official = "no official figure in the sources"
        if not _missing(row.official_length_km):
            official = f"{row.official_length_km:,.1f} km ({escape(str(row.official_source or ''))})"
        tips[row.segment_id] = (
            f"<b>{escape(row.name)}</b><br>computed along the line: {_km(row.length_km)}"
            f"<br>official: {official}"
            + (f"<br><i>{escape(str(row.official_note))}</i>" if not _missing(row.official_note) else "")
        )
    return tips


# Label styles (a key each renderer formats: size, weight, colour, box) and what every label needs to be laid out:
# a priority (1 first: placed first, dropped last), an anchor inside its feature (lat, lon) and the candidate
# places around it, in order. A place is [compass, gap]: "c" centres the label on the anchor; "n", "ne", ... put it
# that side of the anchor, ``gap`` CSS px (points in the static renderer) away, joined to it by a leader line
# when ``leader`` is set and the gap is 20 or more. Inside the feature first, outside after. No label may cover a
# flank point or a flank state's (or Belarus's) outline vertex: labels of small places go beside them.
AROUND = [["c", 0], ["s", 4], ["n", 4], ["e", 4], ["w", 4], ["se", 4], ["ne", 4], ["sw", 4], ["nw", 4]]
OUTSIDE = [[p, g] for g in (28, 60, 100, 150) for p in ("w", "nw", "sw", "n", "s", "e", "ne", "se")]
COUNTRY_NAMES = {  # smaller name labels that help a reader find the flank states: anchor inside the country
    "FIN": (62.2, 26.0),
    "EST": (58.75, 25.7),
    "LVA": (56.85, 25.6),
    "LTU": (55.45, 24.3),
    "POL": (51.9, 19.2),
    "SWE": (60.3, 15.2),
    "DEU": (51.1, 10.4),
    "UKR": (49.3, 31.5),
    "RUS": (57.2, 33.5),
    "NOR": (61.5, 9.5),
}
GAP_PLACES = [[p, g] for g in (40, 80, 130, 190) for p in ("sw", "s", "se", "w", "nw", "e", "ne", "n")]
KALININGRAD_AT = (54.72, 21.2)  # the oblast's middle: the label goes beside it, never on it
SUWALKI_AT = (54.15, 23.15)  # the gap, between the two tripoints
BELARUS_AT = (53.6, 27.9)
# The flank states whose outline vertices no box (and no label but their own name) may cover.
FLANK_COUNTRIES = ("EST", "LVA", "LTU", "POL", "FIN", "BLR")


def flank_points(data_dir: Path = DATA_DIR) -> dict[str, list[list[float]]]:
    """Points (lat, lon) no label or box may cover, besides the flank states' outlines: Kaliningrad's outline and
    middle, the Suwałki Gap's line. Outlines simplified to about 0.1° (a few km).
    """
    import geopandas as gpd  # only here: the view layer's one geometry read

    geo = Path(data_dir) / "geo"
    out = {"kaliningrad": [list(KALININGRAD_AT)], "suwalki": [list(SUWALKI_AT)]}
    kal = geo / "kaliningrad.geojson"
    if kal.exists():
        shape = gpd.read_file(kal).geometry.union_all().simplify(0.08)
        for poly in getattr(shape, "geoms", [shape]):
            out["kaliningrad"] += [[round(y, 3), round(x, 3)] for x, y in poly.exterior.coords[:-1]]
    lines = geo / "border_segments.geojson"
    if lines.exists():
        segs = gpd.read_file(lines)
        gap = segs[segs["segment_id"] == "suwalki-gap"].geometry
        if len(gap):
            line = gap.union_all().simplify(0.05)
            for part in getattr(line, "geoms", [line]):
                out["suwalki"] += [[round(y, 3), round(x, 3)] for x, y in part.coords]
    return out


def _label(id_: str, lines: list[str], style: str, priority: int, at, feature: str, places, leader: bool) -> dict:
    return {
        "id": id_,
        "lines": lines,
        "style": style,
        "priority": priority,
        "at": [at[0], at[1]],
        "feature": feature,
        "places": [list(p) for p in places],
        "leader": leader,
    }


def map_labels(names: dict[str, str] | None = None, data_dir: Path = DATA_DIR) -> list[dict]:
    """The fixed labels, as plain text lines with a style key (renderers format them): the Suwałki Gap callout
    (with its two distances), Kaliningrad, Belarus and the flank states' names. The flag label is the day's
    (:func:`flag_label`).
    """
    names = names or {}
    title, parts = sym.suwalki_label(*borders.suwalki_lengths(data_dir))
    out = [
        _label("kaliningrad", ["KALININGRAD", "(Russia)"], "region", 2, KALININGRAD_AT, "KAL", OUTSIDE, True),
        _label("suwalki", [title, *parts], "gap", 3, SUWALKI_AT, "GAP", GAP_PLACES, True),
        _label("belarus", ["BELARUS"], "region", 4, BELARUS_AT, "BLR", AROUND, False),
    ]
    for i, (iso3, at) in enumerate(COUNTRY_NAMES.items()):
        out.append(_label("name-" + iso3, [names.get(iso3, iso3)], "name", 10 + i, at, iso3, AROUND, False))
    return out


# The flag label: on its anchor first, then ever further out with a leader line (the south of a frame is often
# under the boxes).
FLAG_PLACES = AROUND + [[p, g] for g in (40, 90, 150) for p in ("n", "ne", "nw", "e", "w", "s")]


def flag_label(iso3: str, lines: list[str]) -> dict:
    """The flag label of a flagged country on the day (priority 1: the contested status is never dropped first)."""
    lat, lon = FLAG_LABEL_AT[iso3]
    return _label("flag-" + iso3, list(lines), "flag", 1, (lat, lon), iso3, FLAG_PLACES, True)


# Where a country's flag note is written on the map (lat, lon): inside the country, clear of other labels.
FLAG_LABEL_AT = {"UKR": (50.6, 25.0)}
