"""Tables as a person reads them on the pages: every cell text, a missing value one em dash with its reason.

A missing value has one rendering everywhere a table is shown: ``—``, followed by the reason in brackets where
the data says why (e.g. "— (no official figure in the sources)"), never ``None`` or ``nan``. Link columns keep
an empty cell (the page draws no link). Numbers are formatted here, so every page shows them alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

DASH = "—"


def missing(reason: str | None = None) -> str:
    """The text of a missing value: an em dash, with its reason where one is known."""
    return f"{DASH} ({reason})" if reason else DASH


def is_missing(value) -> bool:
    """True for None, NaN, pandas' NA and NaT, and an empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell(value, fmt: str = "{}", reason: str | None = None) -> str:
    """One cell as text: ``fmt`` applied to a value, :func:`missing` for none."""
    return missing(reason) if is_missing(value) else fmt.format(value)


def for_display(
    table: pd.DataFrame,
    formats: Mapping[str, str] | None = None,
    reasons: Mapping[str, str] | None = None,
    links: Iterable[str] = ("source_url",),
) -> pd.DataFrame:
    """A copy of ``table`` with every cell as text (``formats`` per column, ``reasons`` for missing cells)."""
    formats, reasons, links = formats or {}, reasons or {}, set(links)
    out = table.copy()
    for col in out.columns:
        if col in links:
            out[col] = ["" if is_missing(v) else str(v) for v in out[col]]
        else:
            out[col] = [cell(v, formats.get(col, "{}"), reasons.get(col)) for v in out[col]]
    return out


NO_OFFICIAL = "no official figure in the sources"


def segments(table: pd.DataFrame) -> pd.DataFrame:
    """The border segments table of the Borders page."""
    km = "{:,.1f}"
    return for_display(
        table,
        formats={"length_km": km, "official_length_km": km, "diff_km": "{:+,.1f}", "diff_pct": "{:+.1f}"},
        reasons={"official_length_km": NO_OFFICIAL, "diff_km": NO_OFFICIAL, "diff_pct": NO_OFFICIAL},
    )


def suwalki(table: pd.DataFrame) -> pd.DataFrame:
    """The Suwałki Gap facts (a length has no point; a point has no length)."""
    return for_display(table, formats={"lon": "{:.5f}", "lat": "{:.5f}", "value": "{:g}"})


def events(table: pd.DataFrame) -> pd.DataFrame:
    """The dated events table of the timeline page."""
    return for_display(table)


def spending(table: pd.DataFrame) -> pd.DataFrame:
    """The spending table of the spending page."""
    return for_display(table, formats={"value": "{:.2f}", "value_min": "{:.2f}", "value_max": "{:.2f}"})
