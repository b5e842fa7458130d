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
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
        raise ValueError(f"invalid step {text!r}: use key-dates or a number of days such as 7d")
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


def _palette(images: list[np.ndarray]):
    """One adaptive palette from a few frames spread over the animation (the map colours all appear)."""
    from PIL import Image

    sample = images if len(images) <= 4 else [images[i] for i in np.linspace(0, len(images) - 1, 4).astype(int)]
    strip = Image.fromarray(np.concatenate(sample, axis=0))
    return strip.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def quantize(image: np.ndarray, palette):
    """A frame in the animation's palette (no dithering)."""
    from PIL import Image

    return Image.fromarray(image).quantize(palette=palette, dither=Image.Dither.NONE)


def encode_gif(images: list[np.ndarray], plan: list[Frame]) -> bytes:
    """The frames as one looping GIF with their durations."""
    palette = _palette(images)
    pics = [quantize(im, palette) for im in images]
    out = io.BytesIO()
    pics[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=pics[1:],
        duration=[f.ms for f in plan],
        loop=0,
        optimize=False,
        disposal=1,
        comment=b"Flankmap; map data (c) OpenStreetMap contributors (ODbL)",
    )
    return out.getvalue()


def encode_mp4(images: list[np.ndarray], plan: list[Frame]) -> bytes:
    """The frames as H.264 MP4 (yuv420p, plays everywhere), a frame repeated to hold it.

    Raises:
        RuntimeError: when ``imageio-ffmpeg`` is not installed.
    """
    try:
        import imageio_ffmpeg
    except ImportError:
        raise RuntimeError("MP4 needs the imageio-ffmpeg package (pip install -r requirements.txt)") from None
    import os
    import tempfile

    height, width = images[0].shape[:2]
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
        for image, frame in zip(images, plan, strict=True):
            for _ in range(max(1, round(frame.ms * MP4_FPS / 1000))):
                writer.send(np.ascontiguousarray(image))
        writer.close()
        return Path(tmp).read_bytes()
    finally:
        os.unlink(tmp)


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
    treaty: str = "ottawa",
) -> tuple[bytes, list[Frame]]:
    """The animation as bytes, with the frame plan it follows.

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
        treaty: whose status the frames show (``ottawa`` or ``ccm``; key-date frames follow it).

    Returns:
        The encoded animation and its frame plan.

    Raises:
        ValueError: for a bad format, step or range.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    from flankmap.render import static_export

    plan = frames(start, end, step, data_dir, None if treaty == "ottawa" else treaty)
    images = list(
        static_export.render_frames(
            [f.day for f in plan],
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
    )
    data = encode_gif(images, plan) if fmt == "gif" else encode_mp4(images, plan)
    return data, plan


def output_name(start: dt.date, end: dt.date, fmt: str, fill: str = "status", treaty: str = "ottawa") -> str:
    """``flankmap-2025-03-01-to-2026-03-01.gif`` (``-ccm`` for that treaty, ``-spending`` for that fill)."""
    return (
        f"flankmap-{start.isoformat()}-to-{end.isoformat()}"
        + ("" if treaty == "ottawa" else f"-{treaty}")
        + (f"-{fill.replace('_', '-')}" if fill.startswith("spending") else "")
        + f".{fmt}"
    )
