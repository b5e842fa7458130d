"""One-file interactive map benchmark: a date step in the browser vs a date step in the app, one run.

Builds the default view with ``flankmap.render.html_file`` (bench/out/flankmap.html), opens it from file:// in
headless Chromium and measures, over 200 one-day steps, the time from the slider's input event to the
repaint: ``performance.now()`` before the event, after the synchronous restyle, at the next
``requestAnimationFrame`` (the frame that paints the change) and just after that frame (a message posted
from the rAF callback). Then plays 2025-01-01 -> 2026-03-01 at one day per frame and checks that every day
was shown, in order. Beside it, in the same run: the app's own key step (``bench_map.run_keys``: ArrowRight on
the map page's timeline control, the file's control, until the frame after the map's ``data-flankmap-date``
shows the new day).

Run: ``python bench/bench_html.py [--steps 200] [--app-steps 200]``. Prints figures and ratios; exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_map import MapPage, run_keys, start, stop  # noqa: E402
from tests.e2e.conftest import ARGS, CHROMIUM  # noqa: E402

OUT = REPO / "bench" / "out"
TARGETS = {"work_p95_ms": 16, "size_mb": 1.5}
FRAME_MS = 1000 / 60 + 1  # one 60 Hz frame, with 1 ms of timer slack
PLAY_FROM, PLAY_TO = "2025-01-01", "2026-03-01"

STEPS_JS = """async ([startDay, n]) => {
  // Each step: wait a random part of a frame (input arrives at any time), dispatch the slider's input
  // event, then record: t1 after the synchronous restyle, t2 at the next requestAnimationFrame (the frame
  // that paints it), t3 when that frame's style/layout/paint are done (a message posted from the rAF).
  const slider = document.getElementById('fm-slider');
  FlankmapTimeline.setDay(startDay);
  const rows = [];
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  await frame(); await frame();
  for (let i = 0; i < n; i++) {
    await frame();
    await sleep(Math.random() * 12);
    const t0 = performance.now();
    slider.value = String(Number(slider.value) + 1);
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    const t1 = performance.now();
    const [t2, t3] = await new Promise(r => requestAnimationFrame(() => {
      const t2 = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r([t2, performance.now()]);
      ch.port2.postMessage(0);
    }));
    rows.push([t1 - t0, (t1 - t0) + (t3 - t2), t2 - t0, t3 - t0]);
  }
  return {rows, last: document.body.getAttribute('data-flankmap-date')};
}"""

PLAY_JS = """([from, to]) => new Promise(resolve => {
  const F = FlankmapTimeline;
  const d = new Date(Date.parse(from + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
  F.setDay(d);
  F.trace = [];
  let frames = 0, running = true;
  const count = () => { if (running) { frames++; requestAnimationFrame(count); } };
  requestAnimationFrame(count);
  const t0 = performance.now();
  F.play({speed: 'frame', to: to});
  const check = () => {
    if (F.playing()) return setTimeout(check, 50);
    running = false;
    resolve({trace: F.trace, frames, ms: performance.now() - t0});
  };
  check();
})"""


def quantiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=20, method="inclusive")
    return statistics.median(values), q[18], max(values)


def measure_file(browser, path: Path, steps: int) -> dict:
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    t0 = time.perf_counter()
    page.goto(path.as_uri() + "#date=2025-06-01")
    while not page.evaluate("window.__flankmapReady === true"):
        time.sleep(0.01)
    first_paint = time.perf_counter() - t0
    out = page.evaluate(STEPS_JS, ["2025-06-01", steps])
    restyle = [r[0] for r in out["rows"]]
    work = [r[1] for r in out["rows"]]
    to_frame = [r[2] for r in out["rows"]]
    painted = [r[3] for r in out["rows"]]
    expected_last = (dt.date(2025, 6, 1) + dt.timedelta(days=steps)).isoformat()
    play = page.evaluate(PLAY_JS, [PLAY_FROM, PLAY_TO])
    ctx.close()
    days, day = [], dt.date.fromisoformat(PLAY_FROM)
    while day <= dt.date.fromisoformat(PLAY_TO):
        days.append(day.isoformat())
        day += dt.timedelta(days=1)
    return {
        "first_paint_s": first_paint,
        "requests_besides_the_file": len(requests) - 1,
        "restyle": quantiles(restyle),
        "work": quantiles(work),
        "painted": quantiles(painted),
        # Painted in the next frame: the rAF came within one 60 Hz frame of the input event.
        "next_frame_share": sum(t <= FRAME_MS for t in to_frame) / len(to_frame),
        "steps_reached_expected_day": out["last"] == expected_last,
        "play_days": len(play["trace"]),
        "play_expected_days": len(days),
        "play_every_day_in_order": play["trace"] == days,
        "play_frames": play["frames"],
        "play_s": play["ms"] / 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--app-steps", type=int, default=200)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from flankmap.render import html_file

    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    data = html_file.export_html(dt.date(2025, 12, 27), permalink="?date=2025-12-27")
    build_s = time.perf_counter() - t0
    path = OUT / "flankmap.html"
    path.write_bytes(data)
    app, app_url = start("app.py")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            f = measure_file(browser, path, args.steps)
            mp = MapPage(browser, app_url, ours=True)
            mp.open("?date=2025-12-20")
            keys = run_keys(mp, args.app_steps, 60)
            mp.close()
            a = {"p50_ms": keys["latency"]["p50"], "p95_ms": keys["latency"]["p95"], "max_ms": keys["latency"]["max"]}
            a["ws_per_step"] = keys["ws_per_step"]
            browser.close()
    finally:
        stop(app)
    size_mb = len(data) / 1e6
    print(f"file: {path} {len(data) / 1024:,.0f} KB ({size_mb:.2f} MB), built in {build_s:.2f} s")
    print(
        f"opened from file:// in {f['first_paint_s']:.2f} s; "
        f"requests besides the file: {f['requests_besides_the_file']}"
    )
    print(f"{'date step (ms)':34}{'p50':>8}{'p95':>8}{'max':>8}")
    print(f"{'file: restyle (sync)':34}" + "".join(f"{v:8.2f}" for v in f["restyle"]))
    print(f"{'file: restyle + paint work':34}" + "".join(f"{v:8.2f}" for v in f["work"]))
    print(f"{'file: input -> frame painted':34}" + "".join(f"{v:8.2f}" for v in f["painted"]))
    print(f"{'app: key press -> map repainted':34}{a['p50_ms']:8.2f}{a['p95_ms']:8.2f}{a['max_ms']:8.2f}")
    print(
        f"file: painted in the next frame on {100 * f['next_frame_share']:.1f}% of steps\n"
        f"ratio app / file (input -> painted): p50 {a['p50_ms'] / f['painted'][0]:.1f}x, "
        f"p95 {a['p95_ms'] / f['painted'][1]:.1f}x; app websocket messages per step {a['ws_per_step']:.3f}, file 0"
    )
    print(
        f"playback {PLAY_FROM} -> {PLAY_TO} at one day per frame: {f['play_days']} of {f['play_expected_days']} "
        f"days shown, every day in order: {f['play_every_day_in_order']}; {f['play_frames']} frames in "
        f"{f['play_s']:.1f} s"
    )
    verdict = {
        f"restyle + paint p95 <= {TARGETS['work_p95_ms']} ms": f["work"][1] <= TARGETS["work_p95_ms"],
        "painted in the next frame on >= 95% of steps": f["next_frame_share"] >= 0.95,
        f"file <= {TARGETS['size_mb']} MB": size_mb <= TARGETS["size_mb"],
        "0 requests besides the file": f["requests_besides_the_file"] == 0,
        "200 steps reached the right day": f["steps_reached_expected_day"],
        "playback without skipped days": f["play_every_day_in_order"],
    }
    for name, ok in verdict.items():
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    (OUT / "bench_html.json").write_text(json.dumps({"file": f, "app": a, "size_bytes": len(data)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
