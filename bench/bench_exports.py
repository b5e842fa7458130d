"""Export load test (issue 22, review finding 1): N sessions ask for every export at once, through the proxy.

``deploy/run-local.sh 2`` (two replicas behind HAProxy, the deployment's entry point and settings) is started
on loopback. Then, at the same moment:

- ``--sessions`` export sessions (default 10) each open the map on a view of their own (different dates,
  fills and framings, so the renders are not all cache hits) and request all five downloads of the export
  row at once: PNG, SVG, PDF, the interactive HTML and the withdrawal-year GIF, exactly as the browser does
  (a ``backend_operation_request`` per deferred download, then ``GET`` of the URL it returns, through the
  proxy with the affinity cookie). Each file is checked (PNG/SVG/PDF/HTML/GIF signature).
- ``--steppers`` other sessions (default 4) keep stepping the date one day at a time (think time 0.3-0.6 s)
  and the step latency is recorded: the app must stay usable while exports are made.

Peak RSS of each replica is sampled every 0.2 s (``psutil``). The run passes when there are 0 errors, and
every replica's peak RSS stays under the memory limit of ``deploy/`` divided by 1.25 (25 % headroom).
Figures go to stdout and ``bench/out/exports.json``; exit status 1 when the run does not pass.

Run: ``python bench/bench_exports.py [--sessions 10] [--steppers 4] [--views 8] [--days 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_load import Accounting, Session, _free_port  # noqa: E402

OUT = REPO / "bench" / "out"
HEADROOM = 1.25
EXPORT_TIMEOUT_S = 300.0
MAGIC = {
    "PNG": b"\x89PNG",
    "SVG": b"<?xml",
    "PDF": b"%PDF",
    "Interactive": b"<!doctype html>",
    "Withdrawal": b"GIF89a",
}
AREAS = ("baltic", "suwalki", "flank", "europe")
FILLS = ("status", "spending")


def memory_limit_mib() -> int:
    """The replicas' memory limit in deploy/ (compose mem_limit and the k8s limit must agree; a test checks)."""
    text = (REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    (value,) = re.findall(r"mem_limit:\s*(\d+)m", text)
    return int(value)


def view_query(i: int, views: int, days: int) -> str:
    """Session i's view: one of ``days`` dates; fill and framing cycle through ``views`` distinct combinations."""
    day = dt.date(2025, 12, 27) - dt.timedelta(days=3 * (i % max(1, days)))
    v = i % max(1, views)
    return f"?date={day.isoformat()}&fill={FILLS[v % len(FILLS)]}&area={AREAS[(v // len(FILLS)) % len(AREAS)]}"


def _http_get(url: str, cookie: str) -> bytes:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=EXPORT_TIMEOUT_S) as resp:
        return resp.read()


async def export_session(url: str, query: str, out: dict, start: asyncio.Event) -> None:
    """Open the map, then ask for every download of the export row at once; check each file."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    s = Session(url, query)
    try:
        await s.open()
        wanted = {label: fid for label, fid in s.downloads.items() if label.split()[0] in MAGIC}
        if len(wanted) != len(MAGIC):
            raise RuntimeError(f"export row incomplete: {sorted(s.downloads)}")
        await start.wait()  # every export session asks at the same moment
        t0 = time.perf_counter()
        ids = {}
        for n, (label, fid) in enumerate(wanted.items()):
            msg = BackMsg()
            msg.backend_operation_request.request_id = f"x{n}"
            msg.backend_operation_request.session_id = s.session_id
            msg.backend_operation_request.deferred_file.file_id = fid
            ids[f"x{n}"] = label
            await s.ws.send(msg.SerializeToString())
        urls, fetches = {}, []
        deadline = time.perf_counter() + EXPORT_TIMEOUT_S
        while len(urls) < len(ids):
            data = await asyncio.wait_for(s.ws.recv(), max(0.1, deadline - time.perf_counter()))
            fm = ForwardMsg()
            fm.ParseFromString(data)
            if fm.WhichOneof("type") != "backend_operation_response":
                continue
            resp = fm.backend_operation_response
            label = ids.get(resp.request_id)
            if label is None:
                continue
            if resp.error_msg:
                raise RuntimeError(f"{label}: {resp.error_msg} {resp.error_reason}")
            urls[label] = resp.deferred_file.url
            out["ready_s"].append((label.split()[0], time.perf_counter() - t0))
            # Fetched at once, as the browser does: Streamlit drops a generated file nobody references at the
            # next clean-up (after any session's rerun).
            link = url.rstrip("/") + "/" + resp.deferred_file.url.lstrip("/")
            fetches.append((label, asyncio.create_task(asyncio.to_thread(_http_get, link, s.cookie))))
        for label, task in fetches:
            body = await task
            if not body.startswith(MAGIC[label.split()[0]]):
                raise RuntimeError(f"{label}: not a {label.split()[0]} file: {body[:20]!r}")
            out["bytes"][label.split()[0]] = max(out["bytes"].get(label.split()[0], 0), len(body))
        out["done_s"].append(time.perf_counter() - t0)
        out["replicas"].append(s.replica)
    except Exception as exc:  # noqa: BLE001 - every failure is counted
        out["errors"].append(f"export {query}: {exc!r}"[:300])
    finally:
        await s.close()


async def stepper(url: str, query: str, out: dict, stop: asyncio.Event, opened: list) -> None:
    """Keep stepping dates while the exports run; every step's latency is recorded. On the map page a step is the
    timeline control's settled date, one day on (issue 20: the page reruns once per gesture); on a page with the
    sidebar slider, one slider step."""
    import random

    s = Session(url, query)
    try:
        await s.open()
        opened.append(s.replica)
        while not stop.is_set():
            await asyncio.sleep(random.uniform(0.3, 0.6))
            out["steps"].extend(await s.gesture(1))
            out["step_at"].append(time.perf_counter())
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"step {query}: {exc!r}"[:300])
    finally:
        await s.close()


def run(url: str, sessions: int, steppers: int, views: int, days: int) -> dict:
    out = {"ready_s": [], "done_s": [], "steps": [], "step_at": [], "errors": [], "bytes": {}, "replicas": []}

    async def main():
        start, stop = asyncio.Event(), asyncio.Event()
        opened: list[str] = []
        step_tasks = [
            asyncio.create_task(stepper(url, f"?date=2025-0{1 + i % 9}-01", out, stop, opened)) for i in range(steppers)
        ]
        export_tasks = [
            asyncio.create_task(export_session(url, view_query(i, views, days), out, start)) for i in range(sessions)
        ]
        await asyncio.sleep(0.5)
        deadline = time.perf_counter() + 120
        while len(opened) < steppers and time.perf_counter() < deadline and not all(t.done() for t in step_tasks):
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)  # every export session has its page before the signal (open ~1-10 s)
        start.set()
        t0 = time.perf_counter()
        await asyncio.gather(*export_tasks)
        t1 = time.perf_counter()
        out["export_wall_s"] = t1 - t0
        # Steps that finished while the exports were being made (not before the signal, not after).
        during = [lat for lat, at in zip(out["steps"], out["step_at"], strict=True) if t0 <= at <= t1]
        out["steps_during"] = during
        stop.set()
        await asyncio.gather(*step_tasks)

    _run_in_thread(main)
    return out


def _run_in_thread(coro_fn) -> None:
    """``asyncio.run`` in a thread of its own: the caller may already run an event loop (e.g. Playwright's
    sync API in the test session), where ``asyncio.run`` refuses to start."""
    import threading

    errors = []

    def target():
        try:
            asyncio.run(coro_fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def start_cluster(port: int, run_dir: Path, cache_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "FLANKMAP_RUN_DIR": str(run_dir), "FLANKMAP_CACHE_DIR": str(cache_dir)}
    proc = subprocess.Popen(
        ["bash", str(REPO / "deploy" / "run-local.sh"), "2", str(port)],
        cwd=REPO,
        env=env,
        stdout=open(run_dir / "run-local.out", "w"),  # noqa: SIM115 - lives as long as the cluster
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((run_dir / "run-local.out").read_text())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok" and len(replica_pids(run_dir)) == 2:
                    time.sleep(2.5)  # both replicas UP at the proxy (inter 1s rise 2)
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_cluster(proc, run_dir)
    raise RuntimeError("run-local.sh 2 did not become healthy in 120 s")


def replica_pids(run_dir: Path) -> dict[str, int]:
    path = run_dir / "replicas.pids"
    if not path.exists():
        return {}
    rows = [line.split() for line in path.read_text().splitlines()]
    return {name: int(pid) for name, pid, *_ in rows if name.startswith("r")}


def stop_cluster(proc: subprocess.Popen, run_dir: Path) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for pid in replica_pids(run_dir).values():  # run-local.sh stops them; make sure, by the pids it wrote
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def measure(sessions: int = 10, steppers: int = 4, views: int = 10, days: int = 10) -> dict:
    """Start the cluster, run the export storm, stop everything; the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="flankmap-exports-") as tmp:
        run_dir, cache_dir = Path(tmp) / "run", Path(tmp) / "cache"
        run_dir.mkdir()
        port = _free_port()
        proc = start_cluster(port, run_dir, cache_dir)
        try:
            pids = replica_pids(run_dir)
            accounts = {name: Accounting([pid]) for name, pid in pids.items()}
            idle = {name: a.rss() for name, a in accounts.items()}
            for a in accounts.values():
                a.__enter__()
            try:
                out = run(f"http://127.0.0.1:{port}", sessions, steppers, views, days)
            finally:
                for a in accounts.values():
                    a.__exit__(None, None, None)
            after = {name: a.rss() for name, a in accounts.items()}
            peak = {name: a.peak_rss for name, a in accounts.items()}
        finally:
            stop_cluster(proc, run_dir)
    limit = memory_limit_mib()
    steps = sorted(out["steps"])
    figures = {
        "sessions": sessions,
        "steppers": steppers,
        "views": views,
        "days": days,
        "errors": out["errors"],
        "memory_limit_mib": limit,
        "rss_budget_mib": round(limit / HEADROOM, 1),
        "idle_rss_mib": {k: round(v / 2**20, 1) for k, v in idle.items()},
        "peak_rss_mib": {k: round(v / 2**20, 1) for k, v in peak.items()},
        "rss_after_mib": {k: round(v / 2**20, 1) for k, v in after.items()},
        "export_wall_s": round(out.get("export_wall_s", 0.0), 1),
        "session_done_s": {
            "p50": round(statistics.median(out["done_s"]), 1) if out["done_s"] else None,
            "max": round(max(out["done_s"]), 1) if out["done_s"] else None,
        },
        "ready_s_by_format": {
            fmt: round(max(t for f, t in out["ready_s"] if f == fmt), 1)
            for fmt in sorted({f for f, _ in out["ready_s"]})
        },
        "bytes_by_format": out["bytes"],
        "export_sessions_done": len(out["done_s"]),
        "replicas_used": sorted(set(out["replicas"])),
        "steps_during": len(out.get("steps_during", [])),
        "step_ms_during_exports": {
            "p50": round(1000 * statistics.median(out["steps_during"]), 1) if out.get("steps_during") else None,
            "max": round(1000 * max(out["steps_during"]), 1) if out.get("steps_during") else None,
        },
        "step_ms": {
            "n": len(steps),
            "p50": round(1000 * statistics.median(steps), 1) if steps else None,
            "p95": round(1000 * steps[int(0.95 * (len(steps) - 1))], 1) if steps else None,
            "max": round(1000 * steps[-1], 1) if steps else None,
        },
    }
    figures["passed"] = (
        not out["errors"]
        and len(out["done_s"]) == sessions
        and all(v < figures["rss_budget_mib"] for v in figures["peak_rss_mib"].values())
        and figures["steps_during"] > 0
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--steppers", type=int, default=4)
    parser.add_argument("--views", type=int, default=8, help="distinct fill/framing views among the sessions")
    parser.add_argument("--days", type=int, default=10, help="distinct dates among the sessions")
    args = parser.parse_args()
    figures = measure(args.sessions, args.steppers, args.views, args.days)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "exports.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
