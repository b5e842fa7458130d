"""Two replicas behind HAProxy (``deploy/run-local.sh 2``): spread, affinity, steps, downloads, failover.

New browser contexts are new browsers (own cookie jar). The replica a browser is pinned to is read from
the ``X-Flankmap-Replica`` header of a health request with that browser's cookies (the proxy sends it on the
health path only); the proxy's view of the replicas from its stats socket.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Guard, _free_port, control_frame, map_frame, shot

pytestmark = pytest.mark.e2e

DAY = "2025-12-20"


def _free_block(n: int) -> int:
    """A base port B with B+1..B+n free (replica i listens on B+i)."""
    for _ in range(50):
        base = _free_port()
        if base + n > 65000:
            continue
        try:
            socks = []
            for i in range(1, n + 1):
                s = socket.socket()
                s.bind(("127.0.0.1", base + i))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port block")


def _health(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
        return resp.read().decode().strip(), resp.headers.get("X-Flankmap-Replica", "")


def proxy_status(run_dir: Path) -> dict[str, str]:
    """Replica name -> UP/DOWN/... as the proxy sees it (HAProxy ``show stat`` on the stats socket)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(3)
        s.connect(str(run_dir / "haproxy.sock"))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
    return {r["svname"]: r["status"] for r in rows if r["pxname"] == "replicas" and r["svname"] != "BACKEND"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("run-local")
    port = _free_port()
    env = {
        **os.environ,
        "FLANKMAP_RUN_DIR": str(run_dir),
        "FLANKMAP_REPLICA_BASE_PORT": str(_free_block(2)),
    }
    log = open(run_dir / "run-local.out", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        ["bash", str(REPO / "deploy" / "run-local.sh"), "2", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: cleanup can reach every replica it started
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            assert proc.poll() is None, (run_dir / "run-local.out").read_text()
            try:
                if _health(url)[0] == "ok" and set(proxy_status(run_dir).values()) == {"UP"}:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail("run-local.sh 2 did not become healthy in 90 s")
        yield url, run_dir, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        leftover = [line.split()[1] for line in (run_dir / "replicas.pids").read_text().splitlines()]
        for pid in leftover:  # run-local.sh stops them; make sure, by the pids it wrote
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass


def _open(browser, url: str):
    guard = Guard()
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.route("**/*", guard)
    page = ctx.new_page()
    page.set_default_timeout(90_000)  # a loaded 2-core machine: be patient, never flaky
    page.goto(f"{url}/?date={DAY}", wait_until="commit")
    page.guard = guard
    return ctx, page, _replica_of(ctx, url)


def _replica_of(ctx, url: str) -> str:
    """The replica this browser is pinned to: the proxy names it on the health path only (with the browser's
    affinity cookie; never on pages, never an address)."""
    return ctx.request.get(f"{url}/_stcore/health").headers.get("x-flankmap-replica", "")


def _applied(frame) -> str | None:
    return frame.evaluate("document.body.getAttribute('data-flankmap-date')")


def _wait(predicate, timeout_s: float = 30, what: str = "condition"):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - frames detach during reruns and reconnects
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _step(page) -> str:
    """One day forward with the keyboard; returns the new date once the map has shown it and the page (its
    replica) has taken it as the settled date (the address bar and the table under the map follow)."""
    frame = map_frame(page, timeout_s=90)
    slider = control_frame(page, timeout_s=90).locator("#fm-slider")
    before = slider.get_attribute("aria-valuetext")
    slider.focus()
    slider.press("ArrowRight")
    _wait(lambda: slider.get_attribute("aria-valuetext") != before, timeout_s=60, what="slider moved")
    new = slider.get_attribute("aria-valuetext")
    _wait(lambda: _applied(map_frame(page, timeout_s=5)) == new, timeout_s=60, what=f"map repainted for {new}")
    _wait(lambda: f"date={new}" in page.evaluate("location.href"), timeout_s=60, what=f"the replica settled {new}")
    caption = page.locator("table.flankmap-textalt caption")
    day = dt.date.fromisoformat(new)
    _wait(lambda: f"{day.day} {day:%B} {day.year}" in caption.inner_text(), timeout_s=60, what="table follows")
    assert frame is not None
    return new


def _no_error_page(page) -> None:
    text = page.locator("body").inner_text()
    for bad in ("Connection error", "Traceback", "503 Service Unavailable", "502 Bad Gateway"):
        assert bad not in text, f"error page: {bad!r} in {text[:300]!r}"


def test_replicas_spread_stick_step_download_and_fail_over(cluster, browser):
    url, run_dir, _ = cluster
    ok, replica = _health(url)
    assert ok == "ok" and replica in {"r1", "r2"}

    sessions = [_open(browser, url) for _ in range(3)]
    try:
        served = [r for _, _, r in sessions]
        assert set(served) == {"r1", "r2"}, f"new browsers were not spread over both replicas: {served}"
        for _, page, _ in sessions:
            map_frame(page, timeout_s=90)

        # Each browser stays on its replica across reloads (the affinity cookie, not the address: all of
        # these browsers share 127.0.0.1).
        for ctx, page, replica in sessions:
            resp = page.reload(wait_until="commit")
            assert "x-flankmap-replica" not in resp.headers  # review finding 19: not on pages
            assert _replica_of(ctx, url) == replica

        # Date steps through the proxy (the websocket upgrade of /_stcore/stream works) on both replicas.
        by_replica = {}
        for _, page, replica in sessions:
            by_replica.setdefault(replica, page)
        for page in by_replica.values():
            assert _step(page) == "2025-12-21"

        # A briefing download through the proxy: the file is served by the replica that holds the session.
        page = sessions[0][1]
        for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
            with page.expect_download(timeout=90_000) as info:
                page.locator(f".st-key-fm_export_{fmt} button").click()
            data = Path(info.value.path()).read_bytes()
            assert data.startswith(magic), f"{fmt} download: {data[:20]!r}"

        # Stop one replica (a crash: SIGKILL) ...
        dead = sessions[0][2]
        survivor = "r2" if dead == "r1" else "r1"
        pids = dict(line.split()[:2] for line in (run_dir / "replicas.pids").read_text().splitlines())
        os.kill(int(pids[dead]), signal.SIGKILL)
        # ... the proxy's health check marks it down ...
        _wait(lambda: proxy_status(run_dir).get(dead) == "DOWN", timeout_s=20, what=f"{dead} marked DOWN")
        assert proxy_status(run_dir).get(survivor) == "UP"
        # ... sessions on the survivor keep working ...
        assert _step(by_replica[survivor]) == "2025-12-22"
        # ... and new browsers are served by the survivor, without an error page.
        ctx, page, replica = _open(browser, url)
        sessions.append((ctx, page, replica))
        assert replica == survivor
        map_frame(page, timeout_s=90)
        _no_error_page(page)
        shot(page, "replicas_survivor_new_browser")
        assert _health(url) == ("ok", survivor)
    finally:
        for ctx, page, _ in sessions:
            ctx.close()
            assert page.guard.external == [], f"requests left localhost: {page.guard.external}"
