"""Benchmark the static briefing export (flankmap.render.static_export) against its targets.

Targets (issue "Briefing output"): one PNG after warm-up <= 1 s; a batch of 10 dates <= 8 s in one process.
Baseline, measured in the same run: a naive export that re-reads and reprojects the geometry for every
image (what a script without the per-process cache would do).

Run: ``python bench/bench_export.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flankmap.render import static_export, static_geometry

TARGET_ONE_S = 1.0
TARGET_BATCH_S = 8.0
DATES = [dt.date(2025, 6, 27) + dt.timedelta(days=25 * i) for i in range(10)]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def naive_png(day: dt.date) -> bytes:
    """Cold path: drop the geometry cache first, so the file is read and reprojected again."""
    static_geometry._geometry_cached.cache_clear()
    return static_export.render(day, "png")


def main() -> int:
    t_import_warm = timed(lambda: static_export.render(DATES[0], "png"))  # first image: reads + reprojects once
    one = [timed(lambda d=d: static_export.render(d, "png")) for d in DATES[:5]]
    one_median = statistics.median(one)
    batch = timed(lambda: [static_export.render(d, "png") for d in DATES])
    naive = [timed(lambda d=d: naive_png(d)) for d in DATES[:3]]
    naive_median = statistics.median(naive)
    static_export.warm_up()
    svg = statistics.median(timed(lambda d=d: static_export.render(d, "svg")) for d in DATES[:3])
    pdf = statistics.median(timed(lambda d=d: static_export.render(d, "pdf")) for d in DATES[:3])

    print("flankmap.render.static_export export benchmark (PNG 1920x1080 @150 dpi, EPSG:3035)")
    print(f"  first PNG in process (geometry read + reprojected): {t_import_warm:.3f} s")
    print(
        f"  warm single PNG, median of 5: {one_median:.3f} s  (target {TARGET_ONE_S:.1f} s, "
        f"ratio {one_median / TARGET_ONE_S:.2f})  runs: {', '.join(f'{t:.3f}' for t in one)}"
    )
    print(
        f"  batch of {len(DATES)} dates, one process: {batch:.3f} s  (target {TARGET_BATCH_S:.1f} s, "
        f"ratio {batch / TARGET_BATCH_S:.2f})"
    )
    print(
        f"  naive PNG (re-read + reproject each time), median of 3: {naive_median:.3f} s  "
        f"(cached is {naive_median / one_median:.2f}x faster; naive batch of 10 ~ {naive_median * 10:.1f} s)"
    )
    print(f"  warm SVG median of 3: {svg:.3f} s; warm PDF (A4) median of 3: {pdf:.3f} s")
    ok = one_median <= TARGET_ONE_S and batch <= TARGET_BATCH_S
    print("  result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
