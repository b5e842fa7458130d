"""``deploy/run-local.sh --tls 1``: the proxy terminates TLS with a self-signed certificate made for the run
(review findings 2, 6, 13, 14, 19; issue 22). One replica, loopback only.

Checked: the app opens and its map paints over HTTPS in Chromium (trusting nothing but ignoring the
self-signed certificate); both cookies are Secure; HSTS and the other security headers are sent; the
metrics endpoint is refused; a websocket from a foreign Origin is refused by the proxy at once, one from
the app's own origin is accepted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
import subprocess
import time
import urllib.request

import pytest

from tests.e2e.conftest import REPO, Guard, _free_port, map_frame, shot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tls_cluster(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("run-local-tls")
    port = _free_port()
    env = {**os.environ, "FLANKMAP_RUN_DIR": str(run_dir), "FLANKMAP_REPLICA_BASE_PORT": str(_free_port())}
    log = open(run_dir / "run-local.out", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        ["bash", str(REPO / "deploy" / "run-local.sh"), "--tls", "1", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        ctx = None
        while time.time() < deadline:
            assert proc.poll() is None, (run_dir / "run-local.out").read_text()
            if (run_dir / "cert.pem").exists():
                ctx = ssl.create_default_context(cafile=str(run_dir / "cert.pem"))
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5, context=ctx) as r:
                        if r.read() == b"ok":
                            break
                except (OSError, ssl.SSLError):
                    pass
            time.sleep(0.3)
        else:
            pytest.fail("run-local.sh --tls 1 did not become healthy in 90 s")
        yield url, ctx
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        for line in (run_dir / "replicas.pids").read_text().splitlines():
            try:
                os.kill(int(line.split()[1]), signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_tls_headers_secure_cookies_and_internals(tls_cluster):
    url, ctx = tls_cluster
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10, context=ctx) as r:
        headers = r.headers
        cookies = headers.get_all("Set-Cookie") or []
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["X-Flankmap-Replica"] == "r1"
    assert any(c.startswith("FLANKMAP_REPLICA=") and "Secure" in c for c in cookies), cookies
    assert any(c.startswith("_streamlit_xsrf=") and "Secure" in c for c in cookies), cookies
    with urllib.request.urlopen(f"{url}/", timeout=10, context=ctx) as r:
        assert "X-Flankmap-Replica" not in r.headers
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10, context=ctx)
    assert err.value.code == 404


def test_foreign_origin_websocket_refused_at_once_own_origin_accepted(tls_cluster):
    import websockets

    url, ctx = tls_cluster
    ws_url = "wss" + url[len("https") :] + "/_stcore/stream"

    async def attempt(origin):
        t0 = time.perf_counter()
        try:
            async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=origin, ssl=ctx, open_timeout=20):
                return "open", time.perf_counter() - t0
        except websockets.exceptions.InvalidStatus as exc:
            return exc.response.status_code, time.perf_counter() - t0

    from concurrent.futures import ThreadPoolExecutor

    # In a thread of its own: Playwright's sync API (other tests of the session) keeps a loop running here.
    with ThreadPoolExecutor(1) as pool:
        foreign, took = pool.submit(asyncio.run, attempt("https://elsewhere.example")).result()
        own, _ = pool.submit(asyncio.run, attempt(url)).result()
    assert foreign == 403 and took < 5
    assert own == "open"


def test_the_app_works_over_https(tls_cluster, browser):
    url, _ = tls_cluster
    guard = Guard()
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, ignore_https_errors=True)
    ctx.route("**/*", guard)
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{url}/?date=2025-12-27", wait_until="commit")
        frame = map_frame(page, timeout_s=90)
        assert frame.evaluate("document.querySelectorAll('path.flankmap-country').length") > 10
        shot(page, "tls_run_local")
        assert "Traceback" not in page.locator("body").inner_text()
    finally:
        ctx.close()
    assert guard.external == []
