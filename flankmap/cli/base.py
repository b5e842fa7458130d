"""What every CLI command shares (kept apart from :mod:`flankmap.cli.commands`, so a command module such as
:mod:`flankmap.cli.spending` can use it without importing the CLI itself: no import cycle).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pandas as pd

from flankmap.data.dates import parse_iso_day
from flankmap.domain import treaties, treaty
from flankmap.view import urlstate

FORMATS = ("table", "csv", "json")
STEP_ACCEPTED = "use key-dates or a number of days from 1d to 9999d, such as 7d"


class UsageError(Exception):
    """A bad argument: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (argparse prints the whole usage block and exits)."""

    def error(self, message: str) -> None:
        """Raise :class:`UsageError` instead of printing usage and exiting."""
        if message == "argument --step: expected one argument":
            # argparse reads "--step -7d" as a missing value followed by an option "-7d".
            message = f"--step needs a value: {STEP_ACCEPTED}"
        raise UsageError(message)


# A spreadsheet opening the CSV runs a cell that starts with one of these as a formula (review finding 17,
# OWASP "CSV injection"): such a text cell gets a leading apostrophe, which spreadsheets show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_safe(value):
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def emit(frame: pd.DataFrame, fmt: str, out=None) -> None:
    """Write a table as an aligned text table, CSV or JSON records (dates as ISO strings)."""
    out = out or sys.stdout
    frame = frame.copy()
    for col in frame.columns:
        frame[col] = frame[col].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    if fmt == "csv":
        for col in frame.columns:
            frame[col] = frame[col].map(_formula_safe)
        frame.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        text = frame.astype(object).where(frame.notna(), "")
        out.write(text.to_string(index=False) + "\n")


def parse_day(text: str, treaty_key: str | None = None) -> dt.date:
    """Parse a YYYY-MM-DD date within the data's range (of ``treaty_key``, default Ottawa: from its adoption),
    or raise UsageError saying what is accepted.
    """
    if not text:
        raise UsageError("empty date: use YYYY-MM-DD (or leave the option out for today)")
    try:
        day = parse_iso_day(text)
    except ValueError:
        raise UsageError(f"invalid date {text!r}: use YYYY-MM-DD") from None
    first, last = treaties.get(treaty_key).adopted, treaty.data_last_day(treaty=treaty_key)
    if not first <= day <= last:
        raise UsageError(f"date {day} is out of range: accepted {first} to {last}")
    return day


def add_treaty(command, both: bool = False) -> None:
    """Add ``--treaty`` to a command (``both``: also the map exports' Ottawa-and-CCM view)."""
    names = "; ".join(f"{t.key}: {t.name}" for t in treaties.TREATIES.values())
    if both:  # the map exports: the Ottawa status filled, states outside the CCM outlined
        names += "; both: the Ottawa status with states outside the CCM outlined"
    command.add_argument(
        "--treaty",
        choices=urlstate.TREATIES if both else tuple(treaties.TREATIES),
        default=None,
        help=f"which convention ({names}); default ottawa",
    )


def range_key(key: str | None) -> str | None:
    """The treaty whose days an export may show: "both" covers the CCM's days (from its adoption)."""
    return "ccm" if key == "both" else key
