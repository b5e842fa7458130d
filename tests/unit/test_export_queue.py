"""Review finding 1: the app's exports are made one at a time per process, animations once per data version.

``ui.cache.animation_file`` renders an animation into a file keyed by the data version and the view (under a
cache folder in the temp directory, never ``data/``), and serves that file afterwards; ``heavy_render`` lets
one export render at a time; a wait that does not clear ends with ``ExportBusy`` instead of piling up.
"""

from __future__ import annotations

import threading
import time

import pytest

cache = pytest.importorskip("ui.cache")

ARGS = ("gif", "2025-12-25", "2025-12-28", ("borders",), "status", None, "baltic", "http://x/", "2026-12-05")


@pytest.fixture
def fake_render(tmp_path, monkeypatch):
    """animation.render_to replaced by a slow fake that records how many run at once."""
    from flankmap.render import animation

    monkeypatch.setattr(cache, "CACHE_ROOT", tmp_path / "cache")
    calls, running, peak = [], [0], [0]
    guard = threading.Lock()

    def render_to(fh, start, end, fmt, **kwargs):
        with guard:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.3)
        fh.write(b"GIF89a" + repr((start, end, kwargs["fill"])).encode())
        calls.append((start, end))
        with guard:
            running[0] -= 1
        return []

    monkeypatch.setattr(animation, "render_to", render_to)
    return calls, peak


def test_an_animation_is_rendered_once_then_served_from_its_file(fake_render, tmp_path):
    calls, _ = fake_render
    first = cache.animation_file(*ARGS, "v1")
    again = cache.animation_file(*ARGS, "v1")
    assert first == again and first.read_bytes().startswith(b"GIF89a") and len(calls) == 1
    assert tmp_path / "cache" in first.parents  # the cache folder, never data/
    assert (first.parent.stat().st_mode & 0o777) == 0o700


def test_a_new_data_version_renders_again_and_drops_the_old_files(fake_render):
    calls, _ = fake_render
    old = cache.animation_file(*ARGS, "v1")
    new = cache.animation_file(*ARGS, "v2")
    assert len(calls) == 2 and new != old and not old.exists() and not old.parent.exists()


def test_concurrent_requests_render_one_at_a_time_and_the_same_view_once(fake_render):
    calls, peak = fake_render
    views = [ARGS, ARGS, ARGS, (*ARGS[:4], "spending", *ARGS[5:]), (*ARGS[:6], "flank", *ARGS[7:])]
    threads = [threading.Thread(target=cache.animation_file, args=(*v, "v1")) for v in views]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert peak[0] == 1, "two heavy renders ran at once"
    assert len(calls) == 3  # the three requests for the same view shared one render
    assert cache.exports_in_progress() == 0


def test_the_cache_keeps_a_bounded_number_of_files(fake_render, monkeypatch):
    monkeypatch.setattr(cache, "MAX_CACHED_FILES", 3)
    paths = [cache.animation_file(*ARGS[:1], f"2025-12-{d:02d}", *ARGS[2:], "v1") for d in range(1, 7)]
    assert sum(p.exists() for p in paths) == 3 and paths[-1].exists()


def test_a_wait_that_does_not_clear_is_refused_not_piled_up(monkeypatch):
    monkeypatch.setattr(cache, "EXPORT_WAIT_S", 0.2)
    release = threading.Event()

    def hold():
        with cache.heavy_render():
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.05)
    try:
        assert cache.exports_in_progress() == 1
        with pytest.raises(cache.ExportBusy), cache.heavy_render():
            pass
    finally:
        release.set()
        holder.join()
    assert cache.exports_in_progress() == 0


def test_a_cache_root_owned_by_someone_else_or_open_to_others_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setattr(cache, "CACHE_ROOT", shared)
    root = cache._cache_root()
    assert root != shared and (root.stat().st_mode & 0o777) == 0o700
