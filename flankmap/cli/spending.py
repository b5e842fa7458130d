"""``python -m flankmap spending --year YYYY [--iso3 XXX] [--series S] [--format F]`` (kept apart from cli.py).

One row per country and series for the year: the figure with its edition and source, or an empty value and
the reason (e.g. "no armed forces", "NATO published no 2025 estimate for Germany ..."). NATO and SIPRI stay
on separate rows; a missing NATO figure is never filled from SIPRI.
"""

from __future__ import annotations

import argparse
import re

from flankmap.cli import base as cli
from flankmap.domain import spending


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text or ""):
        raise cli.UsageError(f"invalid --year {text!r}: use YYYY")
    return int(text)


def cmd_spending(args: argparse.Namespace) -> int:
    """Run ``spending``: the % of GDP figures of one year (NATO and SIPRI series, never mixed)."""
    year = _year(args.year)
    series = (args.series,) if args.series else spending.FILL_SERIES
    years = sorted({y for s in series for y in spending.years_with_figures(s)})
    if not years[0] <= year <= years[-1]:
        raise cli.UsageError(f"year {year} is out of range: accepted {years[0]} to {years[-1]}")
    iso3 = args.iso3.upper() if args.iso3 else None
    if iso3 is not None:
        known = set().union(*(spending.series_members(s) for s in series))
        if iso3 not in known:
            raise cli.UsageError(f"unknown --iso3 {args.iso3!r}: accepted {', '.join(sorted(known))}")
    table = spending.year_table(year, series, iso3)
    table["value"] = table["value"].astype("Float64")
    table["is_estimate"] = table["is_estimate"].astype("boolean")
    if args.format == "table":
        table = table.drop(columns=["source_url"])
        table["edition"] = table["edition"].str.slice(0, 24)
    cli.emit(table, args.format)
    return 0


def add_spending_command(sub) -> None:
    """Register ``spending`` on the CLI's subparsers."""
    p = sub.add_parser("spending", help="defence spending (%% of GDP) per country for one year, by series")
    p.add_argument("--year", required=True, help="YYYY")
    p.add_argument("--iso3", help="only this country (ISO 3166-1 alpha-3)")
    p.add_argument("--series", choices=spending.FILL_SERIES, help="one series (default: NATO and SIPRI)")
    p.add_argument("--format", choices=cli.FORMATS, default="table")
    p.set_defaults(func=cmd_spending)
