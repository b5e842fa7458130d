"""Command line: ``python -m flankmap status|events|borders|spending|export ...``.

Bad arguments exit with status 2 and one line on stderr saying what was wrong and what is accepted.
Data errors exit with status 1 and the full list of problems.
"""

from __future__ import annotations

import argparse
import os
import sys

from flankmap.cli.base import FORMATS, Parser, UsageError, add_treaty, emit, parse_day
from flankmap.cli.export import add_export_command
from flankmap.data.validate import DataError
from flankmap.domain import treaties, treaty

__all__ = ["FORMATS", "UsageError", "build_parser", "emit", "main", "parse_day"]


def cmd_status(args: argparse.Namespace) -> int:
    """Run ``status``: every country's status on ``--date`` (default: today) under ``--treaty`` (default: the
    Ottawa Convention), with ``drawn`` per row.
    """
    key = None if args.treaty == treaties.DEFAULT_TREATY else args.treaty  # Ottawa: exactly the output of before
    day = parse_day(args.date, key) if args.date is not None else treaty.current_day()
    from flankmap.data import load

    # Every country in the treaty data, drawn on the map or not (``drawn`` says which).
    table = treaty.status_table(day, treaty=key)
    if key is None:
        notes = load.table(treaty.schemas.COUNTRIES).set_index("iso3")["treaty_note"]
    else:
        notes = treaty.country_notes(treaty=key)
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
    checked = treaty.checked_through(treaty=key)
    later = "; events after that date may be missing" if day > checked else ""
    print(f"treaty data checked through {checked.isoformat()}{later}", file=sys.stderr)
    return 0


def _drawn_iso3s() -> list[str]:
    """ISO3 of the countries the map draws (those with geometry); none when the geometry is missing."""
    from flankmap.data import load

    try:
        return load.drawn_iso3s()
    except FileNotFoundError:  # geometry is optional for the text commands
        return []


def cmd_events(args: argparse.Namespace) -> int:
    """Run ``events``: dated treaty events with sources (of one country with ``--iso3``)."""
    iso3 = args.iso3.upper() if args.iso3 else None
    events = treaty.events_table(iso3, treaty=args.treaty)
    if iso3 and events.empty:
        known = ", ".join(sorted(treaty.timelines(treaty=args.treaty)))
        raise UsageError(f"unknown --iso3 {args.iso3!r}: accepted {known}")
    cols = ["event_date", "iso3", "name", "event_code", "detail", "confidence", "source_url"]
    frame = events[cols]
    if args.format == "table":
        frame = frame.assign(detail=frame["detail"].str.slice(0, 70))[cols[:-1]]
    emit(frame, args.format)
    return 0


def cmd_borders(args: argparse.Namespace) -> int:
    """Run ``borders``: border segments with computed and official lengths."""
    from flankmap.domain import borders

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


def build_parser() -> Parser:
    """The ``python -m flankmap`` argument parser with every command."""
    parser = Parser(prog="python -m flankmap", description="Flankmap: Ottawa Convention status on NATO's flank.")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    sub.required = True
    status = sub.add_parser("status", help="every country's status on a date (default: today)")
    status.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    status.add_argument("--format", choices=FORMATS, default="table")
    add_treaty(status)
    status.set_defaults(func=cmd_status)
    events = sub.add_parser("events", help="dated treaty events with sources")
    events.add_argument("--iso3", help="only this country (ISO 3166-1 alpha-3)")
    events.add_argument("--format", choices=FORMATS, default="table")
    add_treaty(events)
    events.set_defaults(func=cmd_events)
    bords = sub.add_parser("borders", help="border segments with computed and official lengths")
    bords.add_argument("--format", choices=FORMATS, default="table")
    bords.set_defaults(func=cmd_borders)
    _add_spending(sub)
    add_export_command(sub)
    from flankmap.cli.deck import add_deck_command  # its own module

    add_deck_command(sub)
    return parser


def _add_spending(sub) -> None:
    from flankmap.cli.spending import add_spending_command  # its own module: cli.py stays small

    add_spending_command(sub)


# --- export: briefing images. matplotlib is imported only when the command runs (text commands stay fast) --
def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 fine, 1 data error, 2 bad argument or unwritable file)."""
    parser = build_parser()
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
