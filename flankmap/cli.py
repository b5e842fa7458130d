"""Command line: ``python -m flankmap status|events|borders|spending|export ...``.

Bad arguments exit with status 2 and one line on stderr saying what was wrong and what is accepted.
Data errors exit with status 1 and the full list of problems.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable

import pandas as pd

from flankmap import treaty
from flankmap.schemas import DataError

FORMATS = ("table", "csv", "json")


class UsageError(Exception):
    """A bad argument: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    # argparse prints the whole usage block and exits; a one-line message is what a person can act on.
    def error(self, message: str) -> None:
        raise UsageError(message)


def parse_day(text: str) -> dt.date:
    """Parse a YYYY-MM-DD date within the data's range, or raise UsageError saying what is accepted."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # fromisoformat also takes week dates (2025-W52-6)
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"invalid date {text!r}: use YYYY-MM-DD") from None
    first, last = treaty.TREATY_ADOPTED, treaty.data_last_day()
    if not first <= day <= last:
        raise UsageError(f"date {day} is out of range: accepted {first} to {last}")
    return day


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


def cmd_status(args: argparse.Namespace) -> int:
    day = parse_day(args.date) if args.date else treaty.current_day()
    from flankmap import load

    # Every country in the treaty data, drawn on the map or not (``drawn`` says which).
    table = treaty.status_table(day)
    notes = load.table(treaty.schemas.COUNTRIES).set_index("iso3")["treaty_note"]
    table["note"] = table["iso3"].map(notes)
    table["drawn"] = table["iso3"].isin(_drawn_iso3s()).map({True: "yes", False: "no"})
    table["days_until_effective"] = table["days_until_effective"].astype("Int64")
    cols = [
        "iso3",
        "name",
        "drawn",
        "status_code",
        "withdrawal_stage",
        "flag",
        "effective_date",
        "days_until_effective",
        "note",
        "source_url",
    ]
    if args.format == "table":
        cols = [c for c in cols if c != "source_url"]
    emit(table[cols], args.format)
    checked = treaty.checked_through()
    later = "; events after that date may be missing" if day > checked else ""
    print(f"treaty data checked through {checked.isoformat()}{later}", file=sys.stderr)
    return 0


def _drawn_iso3s() -> list[str]:
    """ISO3 of the countries the map draws (those with geometry); none when the geometry is missing."""
    from flankmap import load

    try:
        return load.drawn_iso3s()
    except FileNotFoundError:  # geometry is optional for the text commands
        return []


def cmd_events(args: argparse.Namespace) -> int:
    iso3 = args.iso3.upper() if args.iso3 else None
    events = treaty.events_table(iso3)
    if iso3 and events.empty:
        known = ", ".join(sorted(treaty.timelines()))
        raise UsageError(f"unknown --iso3 {args.iso3!r}: accepted {known}")
    cols = ["event_date", "iso3", "name", "event_code", "detail", "confidence", "source_url"]
    frame = events[cols]
    if args.format == "table":
        frame = frame.assign(detail=frame["detail"].str.slice(0, 70))[cols[:-1]]
    emit(frame, args.format)
    return 0


def cmd_borders(args: argparse.Namespace) -> int:
    from flankmap import borders

    table = borders.segments_table()
    cols = [
        "segment_id",
        "iso3_a",
        "iso3_b",
        "name",
        "length_km",
        "official_length_km",
        "diff_km",
        "official_source",
        "source_url",
    ]
    if args.format == "table":
        cols = cols[:-1]
    emit(table[cols], args.format)
    return 0


def build_parser(export_hook: Callable[[argparse._SubParsersAction], None] | None = None) -> _Parser:
    parser = _Parser(prog="python -m flankmap", description="Flankmap: Ottawa Convention status on NATO's flank.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True
    status = sub.add_parser("status", help="every country's status on a date (default: today)")
    status.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    status.add_argument("--format", choices=FORMATS, default="table")
    status.set_defaults(func=cmd_status)
    events = sub.add_parser("events", help="dated treaty events with sources")
    events.add_argument("--iso3", help="only this country (ISO 3166-1 alpha-3)")
    events.add_argument("--format", choices=FORMATS, default="table")
    events.set_defaults(func=cmd_events)
    bords = sub.add_parser("borders", help="border segments with computed and official lengths")
    bords.add_argument("--format", choices=FORMATS, default="table")
    bords.set_defaults(func=cmd_borders)
    _add_spending(sub)
    if export_hook:
        export_hook(sub)
    return parser


def _add_spending(sub) -> None:
    from flankmap.spending_cli import add_spending_command  # its own module: cli.py stays small

    add_spending_command(sub)


def _export_hook():
    try:
        from flankmap import briefing
    except ImportError:
        return None
    return getattr(briefing, "add_export_command", None)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(_export_hook())
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except UsageError as exc:
        print(f"flankmap: error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"flankmap: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"flankmap: error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
