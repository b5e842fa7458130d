"""Load benchmark: N concurrent sessions open the map and move its date G times each; Flankmap vs a baseline.

The client speaks Streamlit's websocket protocol directly (``streamlit.proto.BackMsg_pb2`` /
``ForwardMsg_pb2``), as the browser does: it opens ``/_stcore/stream``, asks for the page and finds how the page
takes a date. A **gesture** moves the date by ``--gesture-days`` days:

- this tree (issue 20): the map page's timeline control moves the map in the browser and sends the settled date
  once, so a gesture is one message: the control's component value ``{date, seq, how}`` (a page rerun);
- the baseline (``main`` before issue 20): the date slider inside the map fragment, one message and one fragment
  rerun per day, as a person stepping with the arrow keys makes them (a drag there sends one message on release
  but does not move the map while dragging).

A rerun is timed from sending its message to receiving ``script_finished``, i.e. until every delta of the repaint
(map payload, figures, export buttons, table) has arrived; it counts as an error unless the new map arguments
carry the new date. Many asyncio sessions share one light client process pinned to a core of its own; the server
is pinned to the other (``taskset``), so the client is not the bottleneck.

Server CPU comes from the kernel's process accounting (``psutil`` user+system time of the server process tree,
after warm-up, before/after the gesture phase), per gesture and per rerun; RSS is sampled every 0.2 s.

Baseline (measured in the same run, same core, same client): by default ``main`` before issue 20 (commit
``BASELINE_REV``), checked out with ``git worktree add`` into a temporary directory; ``--baseline naive`` uses
``bench/naive_app.py`` (slider steps); ``--baseline none`` skips it.

Run: ``python bench/bench_load.py --sessions 20 --steps 20``; against a running deployment:
``python bench/bench_load.py --sessions 20 --steps 20 --url http://127.0.0.1:8600 --server-pids-file F``
(``deploy/run-local.sh`` writes the replicas' pids to ``$FLANKMAP_RUN_DIR/replicas.pids``). ``--steps`` is the
number of gestures per session.
Prints figures and ratios, writes ``bench/out/load.json``; exits 0 (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

OUT = REPO / "bench" / "out"
BASELINE_REV = "cbf4de8"  # main before issue 20: every date step a fragment rerun (61f73f6 before issue 12)
TARGETS = {"cpu_ms_per_step_median": 25, "p95_ms": 1000, "rss_mb": 600, "single_p50_ms": 200}
GESTURE_DAYS = 10  # a gesture moves the date this many days (the baseline: one rerun per day)
TIMELINE_COMPONENT = "flankmap_timeline"  # the map page's timeline control (ui/timeline_control.py)
EPOCH = dt.datetime(1970, 1, 1)
STEP_TIMEOUT_S = 30.0
SPREAD_DAYS = 365  # concurrent sessions open on days spread over the year before --query's date


def _micros(day: dt.date) -> float:
    return float((dt.datetime(day.year, day.month, day.day) - EPOCH) // dt.timedelta(microseconds=1))


def _day(micros: float) -> dt.date:
    return (EPOCH + dt.timedelta(microseconds=micros)).date()


# --- the websocket client -----------------------------------------------------------------------------------


class Session:
    """One simulated browser tab: open the page, then date steps."""

    def __init__(self, http_url: str, query: str):
        self.http_url = http_url.rstrip("/")
        self.query = query
        self.cookie = ""
        self.replica = ""
        self.slider_id = ""
        self.fragment_id = ""
        self.control_id = ""  # the timeline control's widget id (this tree); else the slider's (the baseline)
        self.seq = 0
        self.page_hash = ""
        self.day: dt.date | None = None
        self.ws = None
        self.session_id = ""
        self.downloads: dict[str, str] = {}  # download button label -> deferred file id (latest run)

    def _get_page(self) -> None:
        """GET / as a browser would first: the proxy's affinity cookie and the replica header come with it."""
        req = urllib.request.Request(
            f"{self.http_url}/{self.query}", headers={"Cookie": self.cookie} if self.cookie else {}
        )
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT_S) as resp:
            resp.read()
            cookies = [c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or []]
            if cookies:
                self.cookie = "; ".join(cookies)
        # The proxy names the replica on the health path only (never on pages, never its address).
        req = urllib.request.Request(
            f"{self.http_url}/_stcore/health", headers={"Cookie": self.cookie} if self.cookie else {}
        )
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT_S) as resp:
            resp.read()
            self.replica = resp.headers.get("X-Flankmap-Replica", "")

    async def open(self) -> float:
        import websockets

        t0 = time.perf_counter()
        await asyncio.to_thread(self._get_page)
        ws_url = "ws" + self.http_url[len("http") :] + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await websockets.connect(
            ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=STEP_TIMEOUT_S
        )
        await self._rerun(widget_states=None, fragment_id="")
        await self._until_finished(expect_day=None)
        if not self.slider_id and not self.control_id:
            raise RuntimeError("no date slider and no timeline control in the page")
        return time.perf_counter() - t0

    async def _rerun(self, widget_states, fragment_id: str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query.lstrip("?")
        msg.rerun_script.page_script_hash = self.page_hash
        if widget_states:
            for wid, value in widget_states:
                ws = msg.rerun_script.widget_states.widgets.add()
                ws.id = wid
                if isinstance(value, str):
                    ws.json_value = value  # the timeline control's value
                else:
                    ws.double_array_value.data.append(value)
        if fragment_id:
            msg.rerun_script.fragment_id = fragment_id
        await self.ws.send(msg.SerializeToString())

    async def _until_finished(self, expect_day: dt.date | None) -> None:
        """Read ForwardMsgs until script_finished; raise on an exception element or a missing repaint."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        saw_map = False
        deadline = time.perf_counter() + STEP_TIMEOUT_S
        while True:
            data = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.perf_counter()))
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash
                self.session_id = fm.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                etype = el.WhichOneof("type")
                if etype == "exception":
                    raise RuntimeError(f"exception in the page: {el.exception.message[:200]}")
                if etype == "slider" and el.slider.label == "Date" and not self.slider_id:
                    self.slider_id = el.slider.id
                    self.fragment_id = fm.delta.fragment_id
                    self.day = _day(el.slider.value[0] if el.slider.value else el.slider.default[0])
                if etype == "download_button" and el.download_button.deferred_file_id:
                    self.downloads[el.download_button.label] = el.download_button.deferred_file_id
                if etype == "component_instance":
                    comp = el.component_instance
                    if comp.component_name.endswith(TIMELINE_COMPONENT) and not self.control_id:
                        self.control_id = comp.id
                        args = json.loads(comp.json_args)
                        self.day, self.seq = dt.date.fromisoformat(args["date"]), int(args.get("seq", 0))
                    elif expect_day is not None:
                        saw_map = saw_map or f'"date": "{expect_day.isoformat()}"' in comp.json_args.replace('\\"', '"')
            elif kind == "script_finished":
                status = fm.script_finished
                if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    break
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("script compile error")
                # FINISHED_EARLY_FOR_RERUN: another rerun of this session follows; keep reading
        if expect_day is not None and not saw_map:
            raise RuntimeError(f"map not repainted for {expect_day}")

    async def step(self) -> float:
        """One day forward on the baseline's slider; seconds from sending the change to the end of the repaint."""
        self.day = self.day + dt.timedelta(days=1)
        t0 = time.perf_counter()
        await self._rerun([(self.slider_id, _micros(self.day))], self.fragment_id)
        await self._until_finished(expect_day=self.day)
        return time.perf_counter() - t0

    async def settle(self, days: int) -> float:
        """The timeline control's settled date, ``days`` later: one message, one page rerun; seconds as a step."""
        self.day = self.day + dt.timedelta(days=days)
        self.seq += 1
        value = json.dumps({"date": self.day.isoformat(), "seq": self.seq, "how": "drag"})
        t0 = time.perf_counter()
        await self._rerun([(self.control_id, value)], "")
        await self._until_finished(expect_day=self.day)
        return time.perf_counter() - t0

    async def gesture(self, days: int) -> list[float]:
        """Move the date ``days`` days the way the page takes it; the seconds of each rerun it made."""
        if self.control_id:
            return [await self.settle(days)]
        return [await self.step() for _ in range(days)]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def _one_session(url, query, steps, think, stagger, out, cpu=None, spread_days=0, days=GESTURE_DAYS):
    await asyncio.sleep(random.uniform(0, stagger))
    if spread_days and "date=" in query:
        # Readers start on different days, as real ones do: the per-day caches are not all hits.
        head, _, rest = query.partition("date=")
        day = dt.date.fromisoformat(rest[:10]) - dt.timedelta(days=random.randrange(spread_days))
        query = f"{head}date={day.isoformat()}{rest[10:]}"
    s = Session(url, query)
    try:
        out["open"].append(await s.open())
        out["replicas"].append(s.replica)
    except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
        out["errors"].append(f"open: {exc!r}"[:300])
        await s.close()
        return
    for _ in range(steps):
        await asyncio.sleep(random.uniform(*think))
        try:
            c0 = cpu() if cpu else 0.0
            reruns = await s.gesture(days)
            out["steps"].extend(reruns)
            out["gestures"].append(sum(reruns))
            if cpu:
                await asyncio.sleep(0.15)  # trailing work of the gesture (sending, cleanup) counts too
                out["cpu"].append(cpu() - c0)
        except Exception as exc:  # noqa: BLE001
            out["errors"].append(f"step: {exc!r}"[:300])
            break  # a broken session stops, as a user would reload
    await s.close()


def run_load(url, query, sessions, steps, think, stagger, cpu=None, spread_days=0, days=GESTURE_DAYS) -> dict:
    """``cpu``: a function giving the server's CPU seconds; with one session, CPU is then taken per gesture.
    ``steps``: gestures per session; ``days``: days a gesture moves the date."""
    out = {"open": [], "steps": [], "gestures": [], "errors": [], "replicas": [], "cpu": []}

    async def main():
        await asyncio.gather(
            *(_one_session(url, query, steps, think, stagger, out, cpu, spread_days, days) for _ in range(sessions))
        )

    t0 = time.perf_counter()
    asyncio.run(main())
    out["wall_s"] = time.perf_counter() - t0
    return out


# --- the server side: start, pin, account -------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cores() -> tuple[list[int], list[int]]:
    """(server cores, client cores): the first allowed core for the server, the rest for the client."""
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        return allowed, allowed
    return allowed[:1], allowed[1:]


def start_server(app_dir: Path, script: str, server_cores: list[int], env_extra: dict | None = None):
    port = _free_port()
    cmd = [
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
        "--browser.gatherUsageStats",
        "false",
    ]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", ",".join(map(str, server_cores)), *cmd]
    # As deploy/serve.sh runs a replica: no file watcher (it walks sys.modules on every rerun).
    env = {**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", **(env_extra or {})}
    proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"server for {app_dir / script} did not start")


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Accounting:
    """CPU seconds and peak RSS of a set of server processes (and their children)."""

    def __init__(self, pids: list[int]):
        import psutil

        self.procs = [psutil.Process(p) for p in pids]
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _tree(self):
        import psutil

        for p in self.procs:
            try:
                yield p
                yield from p.children(recursive=True)
            except psutil.Error:
                continue

    def cpu_s(self) -> float:
        """CPU seconds so far (user + system, clock-tick resolution: 10 ms on Linux). Process-level times,
        because Streamlit runs each rerun in a new thread whose per-thread accounting vanishes when it ends."""
        import psutil

        total = 0.0
        for p in self._tree():
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                continue
        return total

    def rss(self) -> int:
        import psutil

        total = 0
        for p in self._tree():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue
        return total

    def rss_each(self) -> list[int]:
        import psutil

        out = []
        for p in self.procs:
            try:
                out.append(p.memory_info().rss)
            except psutil.Error:
                out.append(0)
        return out

    def _sample(self):
        while not self._stop.is_set():
            self.peak_rss = max(self.peak_rss, self.rss())
            time.sleep(0.2)

    def __enter__(self):
        self.peak_rss = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measure(url: str, pids: list[int], query: str, sessions: int, steps: int, label: str, days: int) -> dict:
    """Warm up (one session), then a single-session run, then the concurrent run; figures for both."""
    think = (0.2, 0.6)
    # Warm imports and caches (one session per replica behind a proxy): the targets are for a warm server.
    run_load(url, query, max(1, len(pids)), 3, think, 0, days=days)
    acct = Accounting(pids) if pids else None
    single = run_load(
        url, query, 1, max(10, min(steps, 20)), (0.3, 0.3), 0, cpu=acct.cpu_s if acct else None, days=days
    )
    result = {"label": label, "single": _figures(single, sum(single["cpu"]) or float("nan"), 0)}
    cpu_each = sorted(single["cpu"])
    reruns_per_gesture = len(single["steps"]) / max(1, len(single["gestures"]))
    result["single"]["reruns_per_gesture"] = reruns_per_gesture
    result["single"]["cpu_ms_per_gesture_median"] = statistics.median(cpu_each) * 1000 if cpu_each else float("nan")
    # The mean is the finer figure: each gesture's CPU is counted in 10 ms clock ticks.
    result["single"]["cpu_ms_per_gesture_mean"] = statistics.mean(cpu_each) * 1000 if cpu_each else float("nan")
    result["single"]["cpu_ms_per_rerun_mean"] = result["single"]["cpu_ms_per_gesture_mean"] / reruns_per_gesture
    if acct:
        rss_before = acct.rss()
        with acct:
            cpu0 = acct.cpu_s()
            load = run_load(url, query, sessions, steps, think, stagger=2.0, spread_days=SPREAD_DAYS, days=days)
            cpu = acct.cpu_s() - cpu0
        result["peak_rss_mb"] = acct.peak_rss / 2**20
        # Growth while the sessions are open, per session (an upper bound: caches also fill meanwhile).
        result["rss_per_session_mb"] = (acct.peak_rss - rss_before) / 2**20 / max(1, sessions)
        result["rss_each_mb"] = [r / 2**20 for r in acct.rss_each()]
    else:
        load = run_load(url, query, sessions, steps, think, stagger=2.0, spread_days=SPREAD_DAYS, days=days)
        cpu = float("nan")
    result["load"] = _figures(load, cpu, len(load["open"]))
    result["load"]["replicas"] = {r or "-": load["replicas"].count(r) for r in sorted(set(load["replicas"]))}
    result["load"]["first_errors"] = load["errors"][:5]
    return result


def _figures(run: dict, cpu_s: float, opens: int) -> dict:
    """Rerun latency quantiles, gesture latency, and the CPU per gesture and per rerun (page opens counted as one
    more unit of work each, so the concurrent figures are upper bounds for a gesture)."""
    ms = sorted(t * 1000 for t in run["steps"])
    q = statistics.quantiles(ms, n=20, method="inclusive") if len(ms) >= 2 else ms * 19
    gestures = sorted(t * 1000 for t in run["gestures"])
    gq = statistics.quantiles(gestures, n=20, method="inclusive") if len(gestures) >= 2 else gestures * 19
    return {
        "steps": len(ms),
        "gestures": len(gestures),
        "errors": len(run["errors"]),
        "p50_ms": statistics.median(ms) if ms else float("nan"),
        "p95_ms": q[18] if ms else float("nan"),
        "max_ms": max(ms) if ms else float("nan"),
        "gesture_p50_ms": statistics.median(gestures) if gestures else float("nan"),
        "gesture_p95_ms": gq[18] if gestures else float("nan"),
        "open_p50_ms": statistics.median(run["open"]) * 1000 if run["open"] else float("nan"),
        "cpu_ms_per_gesture": cpu_s * 1000 / (len(gestures) + opens) if gestures else float("nan"),
        "cpu_ms_per_rerun": cpu_s * 1000 / (len(ms) + opens) if ms else float("nan"),
        "gestures_per_s": len(gestures) / run["wall_s"] if run.get("wall_s") else float("nan"),
    }


# --- baselines ----------------------------------------------------------------------------------------------


def baseline_dir(kind: str, tmp: Path) -> tuple[Path, str, dict]:
    """(directory, script, env) of the baseline app."""
    if kind == "naive":
        from bench.bench_map import baseline_geometry, naive_app_dir

        geometry = baseline_geometry()
        return naive_app_dir(), "naive_app.py", {"FLANKMAP_BENCH_GEOMETRY": str(geometry), "PYTHONPATH": str(REPO)}
    rev = kind.split(":", 1)[1] if kind.startswith("rev:") else BASELINE_REV
    target = tmp / f"baseline-{rev}"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "--force", str(target), rev],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return target, "app.py", {}


def remove_baseline_worktree(path: Path) -> None:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _print(results: list[dict]) -> None:
    rows = [
        ("single session: reruns per gesture", lambda r: r["single"]["reruns_per_gesture"]),
        ("single session: rerun p50 (ms)", lambda r: r["single"]["p50_ms"]),
        ("single session: gesture p50 (ms, all its reruns)", lambda r: r["single"]["gesture_p50_ms"]),
        ("single session: server CPU per gesture, median (ms)", lambda r: r["single"]["cpu_ms_per_gesture_median"]),
        ("single session: server CPU per gesture, mean (ms)", lambda r: r["single"]["cpu_ms_per_gesture_mean"]),
        ("single session: server CPU per rerun, mean (ms)", lambda r: r["single"]["cpu_ms_per_rerun_mean"]),
        ("load: rerun p50 (ms)", lambda r: r["load"]["p50_ms"]),
        ("load: rerun p95 (ms)", lambda r: r["load"]["p95_ms"]),
        ("load: rerun max (ms)", lambda r: r["load"]["max_ms"]),
        ("load: gesture p50 (ms, all its reruns)", lambda r: r["load"]["gesture_p50_ms"]),
        ("load: gesture p95 (ms, all its reruns)", lambda r: r["load"]["gesture_p95_ms"]),
        ("load: page open p50 (ms)", lambda r: r["load"]["open_p50_ms"]),
        ("load: server CPU per gesture or page open (ms)", lambda r: r["load"]["cpu_ms_per_gesture"]),
        ("load: server CPU per rerun or page open (ms)", lambda r: r["load"]["cpu_ms_per_rerun"]),
        ("load: gestures per second (all sessions)", lambda r: r["load"]["gestures_per_s"]),
        ("load: peak RSS, all server processes (MB)", lambda r: r.get("peak_rss_mb", float("nan"))),
        ("load: RSS growth per open session (MB)", lambda r: r.get("rss_per_session_mb", float("nan"))),
        ("load: gestures done", lambda r: r["load"]["gestures"]),
        ("load: reruns done", lambda r: r["load"]["steps"]),
        ("load: errors", lambda r: r["load"]["errors"]),
    ]
    head = f"{'':52}" + "".join(f"{r['label']:>16}" for r in results)
    if len(results) == 2:
        head += f"{'ratio':>10}"
    print(head)
    for name, get in rows:
        vals = [get(r) for r in results]
        line = f"{name:52}" + "".join(f"{v:16.1f}" if isinstance(v, float) else f"{v:16}" for v in vals)
        if len(results) == 2 and isinstance(vals[0], float) and vals[1]:
            line += f"{vals[0] / vals[1]:10.2f}"
        print(line)
    for r in results:
        print(f"{r['label']}: sessions per replica {r['load']['replicas']}; first errors {r['load']['first_errors']}")
        if "rss_each_mb" in r:
            print(f"{r['label']}: RSS per server process after the run (MB) {[round(x) for x in r['rss_each_mb']]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--url", help="a running server or proxy (default: start one, pinned to its own core)")
    parser.add_argument("--server-pids-file", help="with --url: run-local.sh's replicas.pids (CPU and RSS)")
    parser.add_argument("--baseline", default="rev", help="'rev' (default, commit %s), 'rev:REV', 'naive', 'none'")
    parser.add_argument("--query", default="?date=2025-12-01", help="query string each session opens")
    parser.add_argument("--gesture-days", type=int, default=GESTURE_DAYS, help="days a gesture moves the date")
    args = parser.parse_args()

    server_cores, client_cores = cores()
    os.sched_setaffinity(0, client_cores)
    print(
        f"sessions={args.sessions} gestures each={args.steps} of {args.gesture_days} days; server cores={server_cores} "
        f"client cores={client_cores} "
        f"(machine shared with other work: compare with the baseline of this run, not across runs)"
    )
    results = []
    tmp = Path(tempfile.mkdtemp(prefix="flankmap-bench-"))
    worktree = None
    try:
        if args.url:
            pids = []
            if args.server_pids_file:
                # run-local.sh's replicas.pids: "NAME PID PORT" per line; the replicas are r1, r2, ...
                for line in Path(args.server_pids_file).read_text().splitlines():
                    fields = line.split()
                    if len(fields) >= 2 and fields[0] != "proxy":
                        pids.append(int(fields[1]))
            results.append(
                measure(args.url, pids, args.query, args.sessions, args.steps, "flankmap", args.gesture_days)
            )
        else:
            proc, url = start_server(REPO, "app.py", server_cores)
            try:
                results.append(
                    measure(url, [proc.pid], args.query, args.sessions, args.steps, "flankmap", args.gesture_days)
                )
            finally:
                stop(proc)
        if args.baseline != "none":
            app_dir, script, env = baseline_dir(args.baseline, tmp)
            if script == "app.py":
                worktree = app_dir
            proc, url = start_server(app_dir, script, server_cores, env)
            try:
                results.append(
                    measure(url, [proc.pid], args.query, args.sessions, args.steps, "baseline", args.gesture_days)
                )
            finally:
                stop(proc)
    finally:
        if worktree is not None:
            remove_baseline_worktree(worktree)
        shutil.rmtree(tmp, ignore_errors=True)
    _print(results)
    print(f"targets (issue 12, per rerun): {TARGETS}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
