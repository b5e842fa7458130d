"""Map benchmark: slider step -> map repainted, bytes per step, first paint; Flankmap vs a naive baseline.

Both apps run in this process's machine at the same time on free ports, and the same headless Chromium
drives them, so the ratio is measured in one run. Baseline (``bench/naive_app.py``): the same status map
with all layers inside ``st_folium`` and unsimplified geometry (the full-resolution OSM-derived layer from
``build/work/cleaned.json`` when the geodata build has run here, else Natural Earth 10m from
``../shared/data``).

Run: ``python bench/bench_map.py [--steps 15]``. Prints figures and ratios; exits 0 (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.conftest import ARGS, CHROMIUM, _free_port  # noqa: E402

OUT = REPO / "bench" / "out"
SLIDER = '[data-testid="stSlider"] input[type="range"]'
TARGETS = {"step_p50_ms": 200, "step_p95_ms": 400, "step_kb": 20, "country_layer_kb": 450, "first_paint_s": 3}


def baseline_geometry() -> Path:
    """A GeoJSON of unsimplified country polygons with an ``iso3`` property, made once under bench/out/."""
    import geopandas as gpd

    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "baseline_countries.geojson"
    if target.exists():
        return target
    osm = REPO / "build" / "work" / "cleaned.json"
    if osm.exists():
        gdf = gpd.read_file(osm).rename(columns={"A3": "iso3"})
    else:
        ne = REPO.parent / "shared" / "data" / "naturalearth" / "10m" / "ne_10m_admin_0_countries.gpkg"
        gdf = gpd.read_file(ne, bbox=(5, 44, 45, 72))[["ADM0_A3", "geometry"]].rename(columns={"ADM0_A3": "iso3"})
    gdf[["iso3", "geometry"]].to_file(target, driver="GeoJSON")
    return target


def naive_app_dir() -> Path:
    """Streamlit serves ./static beside the main script: give the baseline its own copy of the vendored
    Leaflet under bench/out/naive/ (gitignored), so both apps load the same local assets."""
    import shutil

    target = OUT / "naive"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "static" / "vendor", target / "static" / "vendor")
    shutil.copy(REPO / "bench" / "naive_app.py", target / "naive_app.py")
    shutil.copytree(REPO / ".streamlit", target / ".streamlit")
    return target


def start(script: str, env_extra: dict | None = None, cwd: Path = REPO):
    import os
    import subprocess
    import urllib.request

    port = _free_port()
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server for {script} did not start")


def find_frame(page, js: str, timeout_s: float = 60):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(js):
                    return frame
            except Exception:  # noqa: BLE001 - frames come and go during reruns
                continue
        time.sleep(0.01)
    return None


PATHS_JS = "document.querySelectorAll('path.leaflet-interactive').length > 0"


def measure(browser, base: str, query: str, painted_js: str, steps: int) -> dict:
    """Open the page, then press ArrowRight ``steps`` times; time each until ``painted_js(date)`` holds."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    received = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda data: received.append(
                (time.perf_counter(), len(data) if isinstance(data, bytes | bytearray) else len(data.encode()))
            ),
        ),
    )
    t0 = time.perf_counter()
    page.goto(f"{base}/{query}")
    frame = find_frame(page, PATHS_JS)
    first_paint = time.perf_counter() - t0
    # A returning user: same browser context (HTTP cache warm), page opened again.
    t0 = time.perf_counter()
    page.goto(f"{base}/{query}")
    frame = find_frame(page, PATHS_JS)
    first_paint_cached = time.perf_counter() - t0
    slider = page.locator(SLIDER)
    slider.wait_for()
    time.sleep(1.5)
    slider.focus()
    times, sizes = [], []
    for _ in range(steps):
        current = slider.get_attribute("aria-valuetext")
        import datetime as dt

        nxt = (dt.date.fromisoformat(current) + dt.timedelta(days=1)).isoformat()
        start_t = time.perf_counter()
        slider.press("ArrowRight")
        frame = find_frame(page, painted_js.replace("DATE", nxt), timeout_s=60)
        end_t = time.perf_counter()
        if frame is None:
            raise SystemExit(
                f"no repaint for {nxt} at {base}: slider shows {slider.get_attribute('aria-valuetext')}, url {page.url}"
            )
        time.sleep(0.4)  # let trailing messages of this step arrive before the next one
        times.append((end_t - start_t) * 1000)
        sizes.append(sum(n for t, n in received if start_t <= t <= end_t + 0.4))
        slider.focus()
    ctx.close()
    q = statistics.quantiles(times, n=20)
    return {
        "first_paint_s": first_paint,
        "first_paint_cached_s": first_paint_cached,
        "p50_ms": statistics.median(times),
        "p95_ms": q[18],
        "max_ms": max(times),
        "step_kb_median": statistics.median(sizes) / 1024,
        "step_kb_max": max(sizes) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    geometry = baseline_geometry()
    ours, ours_url = start("app.py")
    naive, naive_url = start(
        "naive_app.py", {"FLANKMAP_BENCH_GEOMETRY": str(geometry), "PYTHONPATH": str(REPO)}, cwd=naive_app_dir()
    )
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            # Warm both servers (imports, caches) before measuring; the budget is for a warm server.
            for url in (ours_url, naive_url):
                ctx = browser.new_context()
                pg = ctx.new_page()
                pg.goto(url)
                find_frame(pg, PATHS_JS)
                ctx.close()
            results["flankmap"] = measure(
                browser,
                ours_url,
                "?date=2025-12-20",
                "document.body.getAttribute('data-flankmap-date') === 'DATE'",
                args.steps,
            )
            results["naive"] = measure(
                browser,
                naive_url,
                "",
                "document.body.getAttribute('data-naive-date') === 'DATE' && " + PATHS_JS,
                args.steps,
            )
            browser.close()
    finally:
        ours.terminate()
        naive.terminate()
    layer_kb = (REPO / "data" / "geo" / "countries.geojson").stat().st_size / 1024
    f, n = results["flankmap"], results["naive"]
    print(f"baseline geometry: {geometry} ({geometry.stat().st_size / 1e6:.1f} MB)")
    print(f"{'':28}{'flankmap':>12}{'naive':>12}{'ratio':>9}{'target':>10}")
    rows = [
        ("slider step p50 (ms)", "p50_ms", TARGETS["step_p50_ms"]),
        ("slider step p95 (ms)", "p95_ms", TARGETS["step_p95_ms"]),
        ("slider step max (ms)", "max_ms", None),
        ("bytes per step, median (KB)", "step_kb_median", TARGETS["step_kb"]),
        ("bytes per step, max (KB)", "step_kb_max", TARGETS["step_kb"]),
        ("first paint, new browser (s)", "first_paint_s", TARGETS["first_paint_s"]),
        ("first paint, browser cache (s)", "first_paint_cached_s", TARGETS["first_paint_s"]),
    ]
    for label, key, target in rows:
        ratio = n[key] / f[key] if f[key] else float("nan")
        print(f"{label:28}{f[key]:12.1f}{n[key]:12.1f}{ratio:8.1f}x{'' if target is None else f'<= {target}':>10}")
    print(f"{'country layer (KB)':28}{layer_kb:12.1f}{'':12}{'':9}{'<= 450':>10}")
    verdict = {
        "step p50 <= 200 ms": f["p50_ms"] <= 200,
        "step p95 <= 400 ms": f["p95_ms"] <= 400,
        ">= 5x faster than naive (p50)": n["p50_ms"] / f["p50_ms"] >= 5,
        "step <= 20 KB": f["step_kb_max"] <= 20,
        "country layer <= 450 KB": layer_kb <= TARGETS["country_layer_kb"],
        "first paint <= 3 s (new browser)": f["first_paint_s"] <= 3,
        "first paint <= 3 s (browser cache)": f["first_paint_cached_s"] <= 3,
    }
    for name, ok in verdict.items():
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_map.json").write_text(json.dumps({"results": results, "layer_kb": layer_kb}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
