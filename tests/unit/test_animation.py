"""Animated export: the frame plan, one GIF frame per step, and the right date on every frame."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from PIL import Image

from flankmap.domain import treaty_days
from flankmap.render import animation, static_export
from flankmap.view import symbology


def test_plan_has_every_step_every_key_date_and_the_end():
    plan = animation.frames(dt.date(2025, 12, 1), dt.date(2026, 1, 15), "14d")
    days = [f.day for f in plan]
    assert days == [
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 15),
        dt.date(2025, 12, 27),  # key date: Baltic withdrawals effective
        dt.date(2025, 12, 29),
        dt.date(2026, 1, 10),  # key date: Finland
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 15),  # the end
    ]
    by_day = {f.day: f for f in plan}
    assert by_day[dt.date(2025, 12, 27)].ms == animation.KEY_MS > animation.FRAME_MS
    assert by_day[dt.date(2025, 12, 15)].ms == animation.FRAME_MS
    assert plan[-1].ms == animation.END_MS
    assert "withdrawal effective" in by_day[dt.date(2026, 1, 10)].key_label


def test_key_dates_step_and_bad_steps():
    plan = animation.frames(dt.date(2025, 6, 1), dt.date(2025, 8, 31), "key-dates")
    keys = [d for d, _ in treaty_days.key_dates() if dt.date(2025, 6, 1) <= d <= dt.date(2025, 8, 31)]
    assert [f.day for f in plan] == [dt.date(2025, 6, 1), *keys, dt.date(2025, 8, 31)]
    for bad in ("7", "0d", "d", "7days", "key_dates", ""):
        with pytest.raises(ValueError):
            animation.frames(dt.date(2025, 6, 1), dt.date(2025, 8, 31), bad)
    with pytest.raises(ValueError):
        animation.frames(dt.date(2025, 8, 31), dt.date(2025, 6, 1))


def test_withdrawal_year_comes_from_the_key_dates():
    assert animation.withdrawal_year() == (dt.date(2025, 3, 1), dt.date(2026, 3, 1))


def test_gif_has_one_frame_per_step_each_showing_its_own_day():
    start, end = dt.date(2025, 12, 25), dt.date(2025, 12, 28)
    data, plan = animation.render(start, end, "gif", step="1d", width_px=640)
    gif = Image.open(io.BytesIO(data))
    assert gif.n_frames == len(plan) == 4
    fresh = [static_export.render_frame(f.day, width_px=640) for f in plan]  # the static renderer, frame by frame
    for i, frame in enumerate(plan):
        gif.seek(i)
        assert gif.info["duration"] == frame.ms
        pixels = np.asarray(gif.convert("RGB")).astype(int)
        distances = [np.abs(pixels - f.astype(int)).mean() for f in fresh]
        assert int(np.argmin(distances)) == i, (frame.day, distances)  # closest to its own day's briefing frame
        # ... and that briefing frame is the one titled with this day (the SVG of the same view says so).
        svg = static_export.render(frame.day, "svg").decode("utf-8")
        assert f"Ottawa Convention status on {symbology.long_date(frame.day)}" in svg


def test_a_reused_frame_is_identical_to_a_fresh_one():
    days = [dt.date(2025, 9, 1), dt.date(2025, 9, 8)]  # nothing changes on the map between these days
    reused = list(static_export.render_frames(days, width_px=640))[1]
    assert np.array_equal(reused, static_export.render_frame(days[1], width_px=640))


def test_mp4_when_the_encoder_is_installed():
    pytest.importorskip("imageio_ffmpeg")
    data, plan = animation.render(dt.date(2025, 12, 26), dt.date(2025, 12, 27), "mp4", step="1d", width_px=640)
    assert data[4:8] == b"ftyp" and len(plan) == 2
