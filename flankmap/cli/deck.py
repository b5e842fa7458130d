"""``python -m flankmap deck --briefing FILE.json --format pptx|pdf|html --out FILE [--force]`` and
``deck --example`` (kept apart from :mod:`flankmap.cli.commands`).

A refused briefing prints one line per problem (``flankmap: briefing: <path>: <what is wrong>``) and a last
line saying nothing was written; the exit status is 2, as for any bad argument.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flankmap.cli import base as cli
from flankmap.view import briefing, briefing_example

DECK_FORMATS = ("pptx", "pdf", "html")


def cmd_deck(args: argparse.Namespace) -> int:
    """Run ``deck``: print the example, or export a briefing file."""
    if args.example:
        sys.stdout.write(briefing_example.example().dumps())
        return 0
    if not args.briefing or not args.format or not args.out:
        raise cli.UsageError("deck needs --briefing FILE.json --format pptx|pdf|html --out FILE (or --example)")
    out = Path(args.out)
    if out.exists() and not args.force:
        raise cli.UsageError(f"{out} already exists: use --force to overwrite")
    if not out.parent.is_dir():
        raise cli.UsageError(f"cannot write {out}: no folder {out.parent}")
    try:
        doc = briefing.load_file(Path(args.briefing))
    except FileNotFoundError:
        raise cli.UsageError(f"no briefing file {args.briefing}") from None
    except IsADirectoryError:
        raise cli.UsageError(f"{args.briefing} is a folder, not a briefing file") from None
    except briefing.BriefingError as exc:
        for line in exc.lines():
            print(f"flankmap: briefing: {line}", file=sys.stderr)
        raise cli.UsageError(
            f"{args.briefing} refused: {len(exc.problems)} problem(s) listed above; nothing written"
        ) from None
    return _write(doc, args, out)


def _write(doc: briefing.Briefing, args: argparse.Namespace, out: Path) -> int:
    from flankmap.render import deck, files  # matplotlib and python-pptx only when a deck is made

    if args.format == "html" and deck.story_problem(doc):
        raise cli.UsageError(deck.story_problem(doc))
    data = deck.export(doc, args.format)
    try:
        files.write_atomic(out, data, force=args.force)
    except FileExistsError:
        raise cli.UsageError(f"{out} already exists: use --force to overwrite") from None
    print(f"wrote {out} ({len(data) / 1024:,.0f} kB, {len(doc.slides)} slides)")
    return 0


def add_deck_command(sub) -> None:
    """Register ``deck`` on the CLI's subparsers."""
    p = sub.add_parser("deck", help="a briefing (JSON) as PowerPoint, PDF or an offline story (HTML)")
    p.add_argument("--briefing", help="the briefing file (JSON, flankmap_briefing 1)")
    p.add_argument("--format", choices=DECK_FORMATS)
    p.add_argument("--out", help="the file to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--example", action="store_true", help="print an example briefing (five slides) and stop")
    p.set_defaults(func=cmd_deck)
