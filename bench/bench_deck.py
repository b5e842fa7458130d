"""Benchmark the deck export (issue 19): the five-slide example as PowerPoint and PDF, cold, and the story's size.

Targets: PowerPoint and PDF each <= 10 s cold (a fresh process: imports, geometry read and reprojected, five
slides drawn); the offline story <= 2 MB. Baseline, measured in the same run: one single-view PNG export cold
(``python -m flankmap export``), the unit a deck repeats five times.

Run: ``python bench/bench_deck.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_COLD_S = 10.0
TARGET_STORY_BYTES = 2_000_000


def cold(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flankmap", *args], cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "example.json"
        src.write_text(
            subprocess.run(
                [sys.executable, "-m", "flankmap", "deck", "--example"], cwd=REPO, check=True, capture_output=True,
                text=True,
            ).stdout,
            encoding="utf-8",
        )  # fmt: skip
        base = cold(["export", "--date", "2025-12-27", "--format", "png", "--out", f"{tmp}/one.png"])
        figures = {}
        for fmt in ("pptx", "pdf", "html"):
            out = Path(tmp) / f"deck.{fmt}"
            seconds = cold(["deck", "--briefing", str(src), "--format", fmt, "--out", str(out)])
            figures[fmt] = (seconds, out.stat().st_size)
    ok = True
    print(f"baseline: one PNG export, cold process: {base:.2f} s")
    for fmt, (seconds, size) in figures.items():
        line = f"deck {fmt:4s}: {seconds:5.2f} s cold ({seconds / base:.1f}x one PNG), {size / 1e6:.2f} MB"
        if fmt in ("pptx", "pdf"):
            passed = seconds <= TARGET_COLD_S
            line += f"  target <= {TARGET_COLD_S:.0f} s: {'ok' if passed else 'MISSED'}"
        else:
            passed = size <= TARGET_STORY_BYTES
            line += f"  target <= {TARGET_STORY_BYTES / 1e6:.0f} MB: {'ok' if passed else 'MISSED'}"
        ok &= passed
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
