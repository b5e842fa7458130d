"""``python -m flankmap export``: one image per date (PNG, SVG, PDF), the offline HTML file, GIF and MP4.

Nothing is overwritten without ``--force``; every file is written atomically (a temporary file renamed into place).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from flankmap.cli.base import STEP_ACCEPTED, UsageError, add_treaty, parse_day, range_key
from flankmap.domain import treaties, treaty
from flankmap.render import files
from flankmap.view import urlstate


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
    if args.out is not None:
        if not args.out:
            raise UsageError("empty --out: give a file name such as flankmap.png (or use --out-dir DIR)")
        if Path(args.out).is_dir():
            raise UsageError(f"--out {args.out!r} is a folder: give a file name, or use --out-dir {args.out!r}")
        if Path(args.out).suffix.lower().lstrip(".") != fmt:
            raise UsageError(f"--out {args.out!r} does not end in .{fmt} (the --format): rename it or change --format")
        targets = [Path(args.out)]
        if not targets[0].parent.is_dir():
            raise UsageError(f"folder {str(targets[0].parent)!r} of --out does not exist")
    else:
        out_dir = Path(args.out_dir or ".")
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out-dir {str(out_dir)!r} is not a folder")
        targets = [out_dir / files.output_name(d, fmt, args.fill, compare_day, args.treaty or "ottawa") for d in days]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not args.force:
        raise UsageError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}: use --force to overwrite"
        )
    if any(t.is_dir() for t in targets):
        raise UsageError(f"{next(str(t) for t in targets if t.is_dir())} is a folder")
    return targets


def _write(target: Path, data: bytes | None, force: bool, note: str = "", stream=None) -> None:
    """Write ``data`` (or, with ``stream``, what ``stream(fh)`` writes) atomically; errors name the target."""
    try:
        if stream is None:
            files.write_atomic(target, data, force=force)
        else:
            files.write_atomic_with(target, stream, force=force)
    except FileExistsError:
        raise UsageError(f"{target} already exists: use --force to overwrite") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    size = len(data) if data is not None else target.stat().st_size
    print(f"wrote {target} ({size / 1024:,.0f} kB){note() if callable(note) else note}", file=sys.stdout)


def _timeline_view(args: argparse.Namespace, fmt: str, day: dt.date) -> urlstate.ViewState:
    """The checks the interactive file and the animations share: no --dates, no --compare, --year rules."""
    if args.dates is not None:
        raise UsageError(f"--dates does not apply to --format {fmt}: " + _TIMELINE_USAGE[fmt])
    if args.compare:
        raise UsageError(f"--compare does not apply to --format {fmt} (it shows one date against another)")
    if args.year is not None and not args.fill.startswith("spending"):
        raise UsageError("--year applies only with --fill spending")
    return urlstate.ViewState(
        day=day,
        layers=_layers(args.layers),
        fill=args.fill,
        spend_year=args.year,
        area=args.area,
        treaty=args.treaty or urlstate.DEFAULT_TREATY,
    ).normalised()


_TIMELINE_USAGE = {
    "html": "use --date D (the day it opens on) and --out FILE.html",
    "gif": "use --from D1 --to D2 [--step key-dates|Nd] --out FILE.gif",
    "mp4": "use --from D1 --to D2 [--step key-dates|Nd] --out FILE.mp4",
}


def _export_html(args: argparse.Namespace) -> int:
    if args.start or args.end or args.step:
        raise UsageError("--from, --to and --step apply to gif and mp4: the html file holds every day")
    first, last = treaties.get(range_key(args.treaty)).adopted, treaty.data_last_day()
    day = parse_day(args.date, range_key(args.treaty)) if args.date else min(max(dt.date.today(), first), last)
    view = _timeline_view(args, "html", day)
    (target,) = _export_targets(args, "html", [day], None)
    from flankmap.render import html_file

    link = urlstate.permalink(view, os.environ.get(urlstate.BASE_URL_ENV, ""))
    data = html_file.export_html(
        day,
        fill=view.fill,
        area=view.area,
        layers=view.layers,
        spend_year=view.spend_year,
        permalink=link,
        treaty_key=view.treaty,
    )
    if not args.out:
        target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, data, args.force)
    return 0


def _frame_cap(plan: list) -> None:
    """Refuse, before anything is drawn, a plan over the frame cap (memory is constant, time is not)."""
    from flankmap.render import animation

    if len(plan) > animation.MAX_FRAMES:
        raise UsageError(str(animation.TooManyFrames(len(plan), animation.MAX_FRAMES)))


def _export_animation(args: argparse.Namespace, fmt: str) -> int:
    if args.date:
        raise UsageError(f"--date does not apply to --format {fmt}: " + _TIMELINE_USAGE[fmt])
    if not args.start or not args.end:
        raise UsageError(f"--from and --to are required with --format {fmt}: " + _TIMELINE_USAGE[fmt])
    start, end = parse_day(args.start, range_key(args.treaty)), parse_day(args.end, range_key(args.treaty))
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    from flankmap.render import animation

    step = args.step or animation.DEFAULT_STEP
    try:
        animation.parse_step(step)
    except ValueError as exc:
        raise UsageError(f"invalid --step {step!r}: {STEP_ACCEPTED}") from exc
    view = _timeline_view(args, fmt, start)
    if args.out is None:
        out_dir = Path(args.out_dir or ".")
        args.out = str(out_dir / animation.output_name(start, end, fmt, view.fill, view.treaty))
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
    _frame_cap(animation.frames(start, end, step))
    base = os.environ.get(urlstate.BASE_URL_ENV, "")
    t0, c0 = time.perf_counter(), time.process_time()
    plans = []

    def write(fh) -> None:  # streamed into the temporary file: memory does not grow with the frames
        plans.append(
            animation.render_to(
                fh,
                start,
                end,
                fmt,
                step=step,
                layers=view.layers,
                fill=view.fill,
                spend_year=view.spend_year,
                area=view.area,
                permalink_for=lambda d: urlstate.permalink(replace(view, day=d), base),
                treaty=view.treaty,
            )
        )

    _write(
        target,
        None,
        args.force,
        stream=write,
        note=lambda: (
            f", {len(plans[0])} frames in {time.perf_counter() - t0:.1f} s ({time.process_time() - c0:.1f} s CPU)"
        ),
    )
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
    if args.dates is not None and args.out is not None:
        raise UsageError("--out names one file: use --out-dir DIR with --dates")
    tk = range_key(args.treaty)
    days = (
        [parse_day(t, tk) for t in _split_dates(args.dates)] if args.dates is not None else [parse_day(args.date, tk)]
    )
    compare_day = parse_day(args.compare, tk) if args.compare else None
    layers = _layers(args.layers)
    if args.year is not None and not args.fill.startswith("spending"):
        raise UsageError("--year applies only with --fill spending")
    view = urlstate.ViewState(
        day=days[0],
        layers=layers,
        fill=args.fill,
        spend_year=args.year,
        area=args.area,
        compare_day=compare_day,
        treaty=args.treaty or urlstate.DEFAULT_TREATY,
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
            treaty=view.treaty,
        )
        _write(target, data, args.force)
    return 0


def add_export_command(subparsers) -> None:
    """Add the ``export`` command and its options."""
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
    add_treaty(p, both=True)
    p.set_defaults(func=cmd_export)
