"""What every CLI command shares (kept apart from :mod:`flankmap.cli.commands`, so a command module such as
:mod:`flankmap.cli.spending` can use it without importing the CLI itself: no import cycle).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pandas as pd

FORMATS = ("table", "csv", "json")


class UsageError(Exception):
    """A bad argument: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (argparse prints the whole usage block and exits)."""

    def error(self, message: str) -> None:
        """Raise :class:`UsageError` instead of printing usage and exiting."""
        raise UsageError(message)


def emit(frame: pd.DataFrame, fmt: str, out=None) -> None:
    """Write a table as an aligned text table, CSV or JSON records (dates as ISO strings)."""
    out = out or sys.stdout
    frame = frame.copy()
    for col in frame.columns:
        frame[col] = frame[col].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    if fmt == "csv":
        frame.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        text = frame.astype(object).where(frame.notna(), "")
        out.write(text.to_string(index=False) + "\n")
