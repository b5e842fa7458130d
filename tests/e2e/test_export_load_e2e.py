"""Export load through ``deploy/run-local.sh 2`` (issue 22, review finding 1), the short version of
``bench/bench_exports.py``: 10 sessions ask for every export of the map page at once (PNG, SVG, PDF, the
interactive HTML, the withdrawal-year GIF), while 2 other sessions keep stepping dates.

Bounded for a loaded 2-core machine: 2 distinct views and 2 dates among the 10 sessions (so each replica makes
a handful of renders, one at a time, and the rest are served from the caches), every wait bounded. It passes
when all 50 downloads arrive intact, nothing failed, every replica's peak RSS stays under the memory limit
of ``deploy/`` with 25 % headroom, and the other sessions stepped dates while the exports were being made.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def test_ten_sessions_export_everything_at_once_within_the_memory_limit():
    sys.path.insert(0, str(REPO / "bench"))
    import bench_exports

    figures = bench_exports.measure(sessions=10, steppers=2, views=2, days=2)
    print(figures)
    assert figures["errors"] == []
    assert figures["export_sessions_done"] == 10
    assert set(figures["bytes_by_format"]) == {"PNG", "SVG", "PDF", "Interactive", "Withdrawal"}
    for replica, peak in figures["peak_rss_mib"].items():
        assert peak < figures["rss_budget_mib"], f"{replica}: peak RSS {peak} MiB over {figures['rss_budget_mib']}"
    assert figures["steps_during"] > 0, "no other session stepped a date while the exports were made"
    assert figures["passed"]
