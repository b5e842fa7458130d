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


def map_labels(data_dir: Path = DATA_DIR) -> list[dict]:
    """Permanent labels: Belarus, Kaliningrad, the Suwałki Gap (with its two distances), Ukraine's flag."""
    title, parts = sym.suwalki_label(*borders.suwalki_lengths(data_dir))
    detail = f"<br><span style='font-weight:400'>{escape(', '.join(parts))}</span>" if parts else ""
    return [
        {"lat": 52.75, "lon": 26.9, "html": "BELARUS"},
        # In the sea north-west of the oblast, ending at the point (class "kal"): written on the oblast it sat
        # across the Lithuanian and Polish border lines at the default zoom.
        {
            "lat": 55.3,
            "lon": 19.85,
            "cls": "kal",
            "html": "<span class='at'>KALININGRAD<br><span style='font-weight:400'>(Russia)</span></span>",
        },
        {"lat": 53.75, "lon": 19.7, "cls": "gap", "html": escape(title) + detail},
    ]


# Where a country's flag note is written on the map (lat, lon): inside the country, clear of other labels.
FLAG_LABEL_AT = {"UKR": (50.6, 25.0)}
