"""Animated briefing: the map from one date to another as a GIF (or MP4), every frame a full briefing frame.

Each frame is drawn by the static renderer (:func:`flankmap.render.static_export.render_frame`: title with the date,
legend, sources, attribution, permalink), so a frame of the animation says as much as a PNG export. The
frames are the start, every N days (``--step Nd``) and every key date (:func:`flankmap.domain.treaty.key_dates`)
in between, and the end; key dates are held longer so a room can read what happened.

GIF: one palette for the whole animation (taken from a few frames spread over it, so colours do not
flicker between frames), no dithering (flat map colours compress well), and Pillow writes only the part
of each frame that changed. MP4 (H.264 via ``imageio-ffmpeg``'s bundled ffmpeg) holds a key date by
repeating its frame.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from flankmap.data.load import DATA_DIR
from flankmap.domain import treaty, treaty_days

FORMATS = ("gif", "mp4")
MIME_TYPES = {"gif": "image/gif", "mp4": "video/mp4"}
DEFAULT_STEP = "7d"
FRAME_MS = 400  # an ordinary frame
KEY_MS = 2000  # a key date: long enough to read its label
END_MS = 3000  # the last frame, before the loop starts again
MP4_FPS = 5  # frame durations above are multiples of 200 ms
PALETTE_COLOURS = 96
DEFAULT_WIDTH = 1280  # 1280x720


@dataclass(frozen=True)
class Frame:
    """One frame: its day, whether it is a key date (and which), and how long it shows."""

    day: dt.date
    key_label: str | None
    ms: int


def parse_step(text: str) -> int | None:
    """``key-dates`` -> None (key dates only); ``Nd`` -> N days. Raises ValueError for anything else."""
    if text == "key-dates":
        return None
    m = re.fullmatch(r"([1-9]\d{0,3})d", text or "")
    if not m:
        raise ValueError(f"invalid step {text!r}: use key-dates or a number of days from 1d to 9999d, such as 7d")
    return int(m.group(1))


def frames(
    start: dt.date, end: dt.date, step: str = DEFAULT_STEP, data_dir: Path = DATA_DIR, treaty: str | None = None
) -> list[Frame]:
    """The frames from ``start`` to ``end`` (inclusive): every step, every key date, start and end.

    Raises:
        ValueError: for a bad step or ``end`` before ``start``.
    """
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    days_step = parse_step(step)
    keys: dict[dt.date, str] = {}
    for key in ("ottawa", "ccm") if treaty == "both" else (treaty,):  # "both": either treaty's key dates
        for d, label in treaty_days.key_dates(data_dir, key):
            if start <= d <= end:
                keys[d] = f"{keys[d]}; {label}" if d in keys else label
    days = {start, end} | set(keys)
    if days_step:
        days |= {start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, days_step)}
    out = [Frame(d, keys.get(d), KEY_MS if d in keys else FRAME_MS) for d in sorted(days)]
    last = out[-1]
    out[-1] = Frame(last.day, last.key_label, max(last.ms, END_MS))
    return out


def withdrawal_year(data_dir: Path = DATA_DIR) -> tuple[dt.date, dt.date]:
    """The 2025-26 withdrawals as a range: from the first day of the month of the first withdrawal step in
    the key dates to the first day of the month after the last one (2025-03-01 to 2026-03-01 in the data).
    """
    milestones = {treaty.TREATY_ADOPTED, treaty.GENERAL_ENTRY_INTO_FORCE}
    steps = [d for d, _ in treaty_days.key_dates(data_dir) if d not in milestones]
    first, last = min(steps), max(steps)
    after = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return first.replace(day=1), after


MAX_FRAMES = 1500  # ~5 minutes of animation at 7d steps; memory does not grow with it (frames are streamed)
PALETTE_SAMPLES = 4


class TooManyFrames(ValueError):
    """A plan longer than the frame cap (the message says how to narrow it)."""

    def __init__(self, count: int, limit: int):  # noqa: D107 - the class docstring says it
        super().__init__(
            f"{count:,} frames planned, more than the limit of {limit:,}: "
            "narrow --from/--to or use a longer --step (e.g. 30d or key-dates)"
        )
        self.count, self.limit = count, limit


def _palette(images: list[np.ndarray]):
    """One adaptive palette from a few frames spread over the animation (the map colours all appear)."""
    from PIL import Image

    strip = Image.fromarray(np.concatenate(images, axis=0))
    return strip.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def quantize(image: np.ndarray, palette):
    """A frame in the animation's palette (no dithering)."""
    from PIL import Image

    return Image.fromarray(image).quantize(palette=palette, dither=Image.Dither.NONE)


def _sample_days(plan: list[Frame]) -> list[dt.date]:
    """The days of a few frames spread over the plan: the palette is taken from them before streaming."""
    if len(plan) <= PALETTE_SAMPLES:
        return [f.day for f in plan]
    return [plan[i].day for i in sorted(set(np.linspace(0, len(plan) - 1, PALETTE_SAMPLES).astype(int)))]


def write_gif(out: BinaryIO, images: Iterable[np.ndarray], plan: list[Frame], palette) -> None:
    """The frames as one looping GIF with their durations, written to ``out`` as they come.

    Constant memory: only the previous frame is kept (to write just the part that changed); nothing is
    collected, so a long plan costs time, not memory. ``images`` is consumed lazily (a generator).
    """
    from PIL import GifImagePlugin, ImageChops

    prev = None
    count = 0
    for image, frame in zip(images, plan, strict=True):
        pic = quantize(image, palette)
        if prev is None:
            header, _ = GifImagePlugin.getheader(
                pic, info={"loop": 0, "comment": b"Flankmap; map data (c) OpenStreetMap contributors (ODbL)"}
            )
            out.write(b"".join(header))
            bbox = (0, 0, *pic.size)
        else:
            bbox = ImageChops.difference(prev.convert("RGB"), pic.convert("RGB")).getbbox() or (0, 0, 1, 1)
        part = pic.crop(bbox) if bbox != (0, 0, *pic.size) else pic
        part.palette = pic.palette
        for chunk in GifImagePlugin.getdata(part, offset=bbox[:2], duration=frame.ms, disposal=1):
            out.write(chunk)
        prev = pic
        count += 1
    if count != len(plan):
        raise RuntimeError(f"{count} frames drawn for a plan of {len(plan)}")
    out.write(b";")


def encode_gif(images: list[np.ndarray], plan: list[Frame]) -> bytes:
    """The frames as one looping GIF (a convenience over :func:`write_gif` for frames already drawn)."""
    out = io.BytesIO()
    write_gif(out, images, plan, _palette([images[i] for i in _sample_indices(len(images))]))
    return out.getvalue()


def _sample_indices(n: int) -> list[int]:
    return sorted(set(np.linspace(0, n - 1, min(n, PALETTE_SAMPLES)).astype(int)))


def write_mp4(out: BinaryIO, images: Iterable[np.ndarray], plan: list[Frame]) -> None:
    """The frames as H.264 MP4 (yuv420p, plays everywhere), a frame repeated to hold it, streamed to ffmpeg.

    Raises:
        RuntimeError: when ``imageio-ffmpeg`` is not installed.
    """
    try:
        import imageio_ffmpeg
    except ImportError:
        raise RuntimeError("MP4 needs the imageio-ffmpeg package (pip install -r requirements.txt)") from None
    import os
    import shutil
    import tempfile

    images = iter(images)
    first = next(images)
    height, width = first.shape[:2]
    fd, tmp = tempfile.mkstemp(suffix=".mp4")
    os.close(fd)
    try:
        writer = imageio_ffmpeg.write_frames(
            tmp,
            (width, height),
            fps=MP4_FPS,
            codec="libx264",
            pix_fmt_out="yuv420p",
            quality=7,
            macro_block_size=8,
            ffmpeg_log_level="error",
        )
        writer.send(None)
        for image, frame in zip(itertools.chain([first], images), plan, strict=True):
            for _ in range(max(1, round(frame.ms * MP4_FPS / 1000))):
                writer.send(np.ascontiguousarray(image))
        writer.close()
        with open(tmp, "rb") as fh:
            shutil.copyfileobj(fh, out)
    finally:
        os.unlink(tmp)


def encode_mp4(images: list[np.ndarray], plan: list[Frame]) -> bytes:
    """The frames as MP4 bytes (a convenience over :func:`write_mp4`)."""
    out = io.BytesIO()
    write_mp4(out, images, plan)
    return out.getvalue()


def render_to(
    out: BinaryIO,
    start: dt.date,
    end: dt.date,
    fmt: str = "gif",
    *,
    step: str = DEFAULT_STEP,
    width_px: int = DEFAULT_WIDTH,
    layers=("borders", "labels"),
    fill: str = "status",
    spend_year: int | None = None,
    area: str = "baltic",
    permalink_for: Callable[[dt.date], str] | None = None,
    generated: dt.date | None = None,
    data_dir: Path = DATA_DIR,
    max_frames: int | None = MAX_FRAMES,
    treaty: str = "ottawa",
) -> list[Frame]:
    """Write the animation to ``out`` (a binary file) frame by frame; returns the frame plan it followed.

    Memory does not depend on the number of frames: each frame is drawn, encoded and dropped before the
    next (the GIF palette comes from a few frames drawn first). Arguments as for :func:`render`.

    Raises:
        ValueError: for a bad format, step or range.
        TooManyFrames: for a plan longer than ``max_frames`` (checked before anything is drawn).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    from flankmap.render import static_export

    plan = frames(start, end, step, data_dir, None if treaty == "ottawa" else treaty)
    if max_frames is not None and len(plan) > max_frames:
        raise TooManyFrames(len(plan), max_frames)

    def draw(days: list[dt.date]):
        return static_export.render_frames(
            days,
            width_px=width_px,
            layers=layers,
            fill=fill,
            spend_year=spend_year,
            permalink_for=permalink_for,
            generated=generated,
            area=area,
            data_dir=data_dir,
            treaty=treaty,
        )

    if fmt == "gif":
        palette = _palette(list(draw(_sample_days(plan))))
        write_gif(out, draw([f.day for f in plan]), plan, palette)
    else:
        write_mp4(out, draw([f.day for f in plan]), plan)
    return plan


def render(
    start: dt.date,
    end: dt.date,
    fmt: str = "gif",
    *,
    step: str = DEFAULT_STEP,
    width_px: int = DEFAULT_WIDTH,
    layers=("borders", "labels"),
    fill: str = "status",
    spend_year: int | None = None,
    area: str = "baltic",
    permalink_for: Callable[[dt.date], str] | None = None,
    generated: dt.date | None = None,
    data_dir: Path = DATA_DIR,
    max_frames: int | None = MAX_FRAMES,
    treaty: str = "ottawa",
) -> tuple[bytes, list[Frame]]:
    """The animation as bytes, with the frame plan it follows (:func:`render_to` into memory).

    Args:
        start: first day.
        end: last day (inclusive).
        fmt: ``gif`` or ``mp4``.
        step: ``Nd`` (every N days, plus the key dates) or ``key-dates`` (only those, plus start and end).
        width_px: frame width; height is 9/16 of it.
        layers: as for :func:`flankmap.render.static_export.render`.
        fill: as for :func:`flankmap.render.static_export.render`.
        spend_year: as for :func:`flankmap.render.static_export.render`.
        area: as for :func:`flankmap.render.static_export.render`.
        permalink_for: the link printed on the frame of a day (default: the app's query string).
        generated: the generation date printed on every frame (default: today).
        data_dir: folder holding the data files.
        max_frames: refuse longer plans (``None``: no cap).
        treaty: whose status the frames show (``ottawa``, ``ccm`` or ``both``; key-date frames follow it).

    Returns:
        The encoded animation and its frame plan.

    Raises:
        ValueError: for a bad format, step or range.
        TooManyFrames: for a plan longer than ``max_frames``.
    """
    out = io.BytesIO()
    plan = render_to(
        out,
        start,
        end,
        fmt,
        step=step,
        width_px=width_px,
        layers=layers,
        fill=fill,
        spend_year=spend_year,
        area=area,
        permalink_for=permalink_for,
        generated=generated,
        data_dir=data_dir,
        max_frames=max_frames,
        treaty=treaty,
    )
    return out.getvalue(), plan


def output_name(start: dt.date, end: dt.date, fmt: str, fill: str = "status", treaty: str = "ottawa") -> str:
    """``flankmap-2025-03-01-to-2026-03-01.gif`` (``-ccm`` for that treaty, ``-spending`` for that fill)."""
    return (
        f"flankmap-{start.isoformat()}-to-{end.isoformat()}"
        + ("" if treaty == "ottawa" else f"-{treaty}")
        + (f"-{fill.replace('_', '-')}" if fill.startswith("spending") else "")
        + f".{fmt}"
    )
