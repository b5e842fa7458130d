"""Independent oracles for tests: what a view should show, computed the long way from the domain functions.

The view model (flankmap.view.model) selects from the published intervals; these helpers compute the same facts
straight from treaty and spending tables, so a test can compare the two.
"""

from __future__ import annotations

import datetime as dt

from flankmap.domain import spending


def fill_view(fill: str, day: dt.date, spend_year: int | None, iso3s: list[str]):
    """(series, year, {iso3: figure row}, {iso3: missing reason}) of a spending fill; empty for the status fill."""
    series = spending.SPEND_FILL_SERIES.get(fill, spending.SIPRI_PCT)
    year = spend_year or spending.default_year(dt.date(day.year, 12, 31), series)
    if fill not in spending.SPEND_FILL_SERIES:
        return series, year, {}, {}
    figures = {row["iso3"]: row for row in spending.figures_for_year(year, series).to_dict("records")}
    reasons = {
        iso3: spending.missing_reason(iso3, year, series) or {"reason_code": "", "reason": ""}
        for iso3 in iso3s
        if iso3 not in figures
    }
    return series, year, figures, reasons
