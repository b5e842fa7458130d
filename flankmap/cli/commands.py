"""Command line: ``python -m flankmap status|events|borders|spending|export ...``.

Bad arguments exit with status 2 and one line on stderr saying what was wrong and what is accepted.
Data errors exit with status 1 and the full list of problems.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from flankmap.cli.base import FORMATS, Parser, UsageError, emit
from flankmap.data.dates import parse_iso_day
from flankmap.data.validate import DataError
from flankmap.domain import treaties, treaty
from flankmap.render import files
from flankmap.view import urlstate

__all__ = ["FORMATS", "UsageError", "build_parser", "emit", "main", "parse_day"]


def parse_day(text: str, treaty_key: str | None = None) -> dt.date:
    """Parse a YYYY-MM-DD date within the data's range (of ``treaty_key``, default Ottawa: from its adoption),
    or raise UsageError saying what is accepted.
    """
    try:
        day = parse_iso_day(text)
    except ValueError:
        raise UsageError(f"invalid date {text!r}: use YYYY-MM-DD") from None
    first, last = treaties.get(treaty_key).adopted, treaty.data_last_day(treaty=treaty_key)
    if not first <= day <= last:
        raise UsageError(f"date {day} is out of range: accepted {first} to {last}")
    return day


def cmd_status(args: argparse.Namespace) -> int:
    """Run ``status``: every country's status on ``--date`` (default: today) under ``--treaty`` (default: the
    Ottawa Convention), with ``drawn`` per row.
    """
    key = None if args.treaty == treaties.DEFAULT_TREATY else args.treaty  # Ottawa: exactly the output of before
    day = parse_day(args.date, key) if args.date else treaty.current_day()
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
    _add_treaty(status)
    status.set_defaults(func=cmd_status)
    events = sub.add_parser("events", help="dated treaty events with sources")
    events.add_argument("--iso3", help="only this country (ISO 3166-1 alpha-3)")
    events.add_argument("--format", choices=FORMATS, default="table")
    _add_treaty(events)
    events.set_defaults(func=cmd_events)
    bords = sub.add_parser("borders", help="border segments with computed and official lengths")
    bords.add_argument("--format", choices=FORMATS, default="table")
    bords.set_defaults(func=cmd_borders)
    _add_spending(sub)
    _add_export_command(sub)
    from flankmap.cli.deck import add_deck_command  # its own module

    add_deck_command(sub)
    return parser


def _add_treaty(command) -> None:
    names = "; ".join(f"{t.key}: {t.name}" for t in treaties.TREATIES.values())
    command.add_argument(
        "--treaty", choices=tuple(treaties.TREATIES), default=None, help=f"which convention ({names}); default ottawa"
    )


def _add_spending(sub) -> None:
    from flankmap.cli.spending import add_spending_command  # its own module: cli.py stays small

    add_spending_command(sub)


# --- export: briefing images. matplotlib is imported only when the command runs (text commands stay fast) --
def _split_dates(text: str) -> list[str]:
    items = [t.strip() for t in text.split(",")]
    if not items or any(not t for t in items):
        raise UsageError(f"invalid --dates {text!r}: give a comma-separated list of YYYY-MM-DD dates")
    return list(dict.fromkeys(items))  # keep order, drop repeats


def _year(text: str) -> int:
    year = urlstate.parse_year(text)
    if year is None:
        lo, hi = urlstate.SPEND_YEARS
        raise UsageError(f"invalid --year {text!r}: use a year {lo}-{hi}")
    return year


def _layers(text: str | None) -> tuple[str, ...]:
    if text is None:
        return urlstate.DEFAULT_LAYERS
    layers, unknown = urlstate.parse_layers(text)
    if unknown:
        raise UsageError(f"unknown layer(s) {','.join(unknown)!r}: accepted {', '.join(urlstate.LAYERS)} or none")
    return layers


# Beyond the briefing images: the one-file interactive map and the animations (flankmap.render.html_file, .animation).
TIMELINE_FORMATS = ("html", "gif", "mp4")
EXPORT_FORMATS = (*files.FORMATS, *TIMELINE_FORMATS)


def _export_format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    return suffix if suffix in EXPORT_FORMATS else "png"


def _export_targets(args: argparse.Namespace, fmt: str, days: list[dt.date], compare_day) -> list[Path]:
    """Where each image goes; refuses (before anything is written) a bad suffix, folder or existing file."""
    if args.out:
        if Path(args.out).suffix.lower().lstrip(".") != fmt:
            raise UsageError(f"--out {args.out!r} does not end in .{fmt} (the --format): rename it or change --format")
        targets = [Path(args.out)]
        if not targets[0].parent.is_dir():
            raise UsageError(f"folder {str(targets[0].parent)!r} of --out does not exist")
    else:
        out_dir = Path(args.out_dir or ".")
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out-dir {str(out_dir)!r} is not a folder")
        targets = [out_dir / files.output_name(d, fmt, args.fill, compare_day) for d in days]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not args.force:
        raise UsageError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}: use --force to overwrite"
        )
    if any(t.is_dir() for t in targets):
        raise UsageError(f"{next(str(t) for t in targets if t.is_dir())} is a folder")
    return targets


def _write(target: Path, data: bytes, force: bool, note: str = "") -> None:
    try:
        files.write_atomic(target, data, force=force)
    except FileExistsError:
        raise UsageError(f"{target} already exists: use --force to overwrite") from None
    print(f"wrote {target} ({len(data) / 1024:,.0f} kB){note}", file=sys.stdout)


def _timeline_view(args: argparse.Namespace, fmt: str, day: dt.date) -> urlstate.ViewState:
    """The checks the interactive file and the animations share: no --dates, no --compare, --year rules."""
    if args.dates is not None:
        raise UsageError(f"--dates does not apply to --format {fmt}: " + _TIMELINE_USAGE[fmt])
    if args.compare:
        raise UsageError(f"--compare does not apply to --format {fmt} (it shows one date against another)")
    if args.year is not None and not args.fill.startswith("spending"):
        raise UsageError("--year applies only with --fill spending")
    return urlstate.ViewState(
        day=day, layers=_layers(args.layers), fill=args.fill, spend_year=args.year, area=args.area
    ).normalised()


_TIMELINE_USAGE = {
    "html": "use --date D (the day it opens on) and --out FILE.html",
    "gif": "use --from D1 --to D2 [--step key-dates|Nd] --out FILE.gif",
    "mp4": "use --from D1 --to D2 [--step key-dates|Nd] --out FILE.mp4",
}


def _export_html(args: argparse.Namespace) -> int:
    if args.start or args.end or args.step:
        raise UsageError("--from, --to and --step apply to gif and mp4: the html file holds every day")
    first, last = treaty.TREATY_ADOPTED, treaty.data_last_day()
    day = parse_day(args.date) if args.date else min(max(dt.date.today(), first), last)
    view = _timeline_view(args, "html", day)
    (target,) = _export_targets(args, "html", [day], None)
    from flankmap.render import html_file

    link = urlstate.permalink(view, os.environ.get(urlstate.BASE_URL_ENV, ""))
    data = html_file.export_html(
        day, fill=view.fill, area=view.area, layers=view.layers, spend_year=view.spend_year, permalink=link
    )
    if not args.out:
        target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, data, args.force)
    return 0


def _export_animation(args: argparse.Namespace, fmt: str) -> int:
    if args.date:
        raise UsageError(f"--date does not apply to --format {fmt}: " + _TIMELINE_USAGE[fmt])
    if not args.start or not args.end:
        raise UsageError(f"--from and --to are required with --format {fmt}: " + _TIMELINE_USAGE[fmt])
    start, end = parse_day(args.start), parse_day(args.end)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    from flankmap.render import animation

    step = args.step or animation.DEFAULT_STEP
    try:
        animation.parse_step(step)
    except ValueError as exc:
        raise UsageError(f"invalid --step {step!r}: use key-dates or a number of days such as 7d") from exc
    view = _timeline_view(args, fmt, start)
    if args.out_dir is not None or not args.out:
        out_dir = Path(args.out_dir or ".")
        args.out = str(out_dir / animation.output_name(start, end, fmt, view.fill))
        if not out_dir.is_dir():
            raise UsageError(f"--out-dir {str(out_dir)!r} is not a folder")
    (target,) = _export_targets(args, fmt, [start], None)
    if fmt == "mp4":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise UsageError(
                "--format mp4 needs the imageio-ffmpeg package (pip install -r requirements.txt)"
            ) from None
    base = os.environ.get(urlstate.BASE_URL_ENV, "")
    t0, c0 = time.perf_counter(), time.process_time()
    data, plan = animation.render(
        start,
        end,
        fmt,
        step=step,
        layers=view.layers,
        fill=view.fill,
        spend_year=view.spend_year,
        area=view.area,
        permalink_for=lambda d: urlstate.permalink(replace(view, day=d), base),
    )
    took = f", {len(plan)} frames in {time.perf_counter() - t0:.1f} s ({time.process_time() - c0:.1f} s CPU)"
    _write(target, data, args.force, took)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Run ``python -m flankmap export``: check every argument and target first, then render and write."""
    fmt = _export_format(args)
    if fmt == "html":
        return _export_html(args)
    if fmt in ("gif", "mp4"):
        return _export_animation(args, fmt)
    if args.start or args.end or args.step:
        raise UsageError(f"--from, --to and --step apply to gif and mp4, not {fmt}: use --date or --dates")
    if args.date is None and args.dates is None:
        raise UsageError(f"one of the arguments --date --dates is required with --format {fmt}")
    if args.dates is not None and args.out:
        raise UsageError("--out names one file: use --out-dir DIR with --dates")
    days = [parse_day(t) for t in _split_dates(args.dates)] if args.dates is not None else [parse_day(args.date)]
    compare_day = parse_day(args.compare) if args.compare else None
    layers = _layers(args.layers)
    if args.year is not None and not args.fill.startswith("spending"):
        raise UsageError("--year applies only with --fill spending")
    view = urlstate.ViewState(
        day=days[0], layers=layers, fill=args.fill, spend_year=args.year, area=args.area, compare_day=compare_day
    ).normalised()
    targets = _export_targets(args, fmt, days, compare_day)
    from flankmap.render import static_export  # matplotlib: only for this command; an ImportError surfaces as it is

    if not args.out:
        targets[0].parent.mkdir(parents=True, exist_ok=True)

    base = os.environ.get(urlstate.BASE_URL_ENV, "")
    for day, target in zip(days, targets, strict=True):
        link = urlstate.permalink(replace(view, day=day), base)
        data = static_export.render(
            day,
            fmt,
            layers=layers,
            fill=args.fill,
            spend_year=args.year,
            compare_day=compare_day,
            permalink=link,
            area=args.area,
        )
        try:
            files.write_atomic(target, data, force=args.force)
        except FileExistsError:
            raise UsageError(f"{target} already exists: use --force to overwrite") from None
        print(f"wrote {target} ({len(data) / 1024:,.0f} kB)", file=sys.stdout)
    return 0


def _add_export_command(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="the map as briefing images (PNG, SVG, PDF), one interactive HTML file, or an animation (GIF, MP4)",
        description="Write the map on one or more dates as self-describing briefing images, as one offline "
        "HTML file with the whole timeline, or as an animation from one date to another.",
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", help="one date, YYYY-MM-DD (html: the day the file opens on; default today)")
    when.add_argument("--dates", help="several dates, comma-separated (one file each, with --out-dir)")
    p.add_argument("--from", dest="start", help="gif/mp4: first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", help="gif/mp4: last day, YYYY-MM-DD")
    p.add_argument("--step", help="gif/mp4: key-dates, or Nd for every N days plus the key dates (default: 7d)")
    p.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="png (1920x1080, 150 dpi), svg or pdf (A4 landscape); html (interactive, offline, every day); "
        "gif or mp4 (1280x720 animation); default: from --out's suffix, else png",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", help="output file (one date)")
    where.add_argument("--out-dir", help="output folder, files named flankmap-<date>.<format> (default: .)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--compare", help="also show what changed since this date (YYYY-MM-DD)")
    p.add_argument(
        "--fill", choices=urlstate.FILLS, default="status", help="fill countries by treaty status or spending"
    )
    p.add_argument("--year", type=_year, help="spending year (with --fill spending)")
    p.add_argument("--layers", help=f"comma list of {', '.join(urlstate.LAYERS)}, or none (default: both)")
    p.add_argument("--area", choices=tuple(urlstate.AREAS), default=urlstate.DEFAULT_AREA, help="map framing")
    p.set_defaults(func=cmd_export)


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
