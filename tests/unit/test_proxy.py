"""The proxy's hardening, behaviourally: ``deploy/haproxy-config.sh`` run by HAProxy in front of a stub replica.

Review findings 2, 5, 6, 13, 14, 18, 19 (issue 22). The stub is a tiny HTTP server on loopback that answers
every path (``ok`` on the health path), so each check is about what the proxy does, in about a second, without
starting Streamlit. Everything listens on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


class _Stub(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = b"ok" if self.path == "/_stcore/health" else b"stub " + self.path.encode()
        self.send_response(200)
        if self.path == "/_stcore/health":
            self.send_header("Set-Cookie", "_streamlit_xsrf=2|ab|cd|1; Path=/; SameSite=Lax")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def _start(tmp_path: Path, stub_port: int, env: dict[str, str]):
    if not Path(HAPROXY).exists():
        pytest.fail("haproxy not installed: `apt-get install -y haproxy` (.ci/run does)")
    port = _free_port()
    sock = tmp_path / "haproxy.sock"
    cfg = subprocess.run(
        ["sh", str(REPO / "deploy" / "haproxy-config.sh"), f"127.0.0.1:{port}", str(sock), f"r1=127.0.0.1:{stub_port}"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **env},
    ).stdout
    (tmp_path / "haproxy.cfg").write_text(cfg)
    proc = subprocess.Popen(
        [HAPROXY, "-db", "-f", str(tmp_path / "haproxy.cfg")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        if _stat(sock).get("r1") == "UP":
            return proc, port, sock
        time.sleep(0.1)
    proc.kill()
    pytest.fail("haproxy did not mark the stub UP in 20 s")


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _socket_cmd(sock: Path, command: str) -> str:
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(3)
            s.connect(str(sock))
            s.sendall(command.encode() + b"\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        return data.decode()
    except OSError:
        return ""


def _stat(sock: Path) -> dict[str, str]:
    import csv
    import io

    text = _socket_cmd(sock, "show stat")
    rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
    return {r["svname"]: r["status"] for r in rows if r.get("pxname") == "replicas" and r["svname"] != "BACKEND"}


def _get(port: int, path: str, headers: dict[str, str] | None = None, tls: ssl.SSLContext | None = None):
    conn = (
        http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=tls)
        if tls
        else http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    )
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()


@pytest.fixture
def proxy(tmp_path, stub):
    proc, port, sock = _start(tmp_path, stub, {"FLANKMAP_HTTP_REQUEST_TIMEOUT": "1s"})
    yield port, sock
    _stop(proc)


def test_security_headers_and_no_replica_address(proxy):
    port, _ = proxy
    status, headers, cookies = _get(port, "/")
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert "x-flankmap-replica" not in headers  # finding 19: not on ordinary responses
    assert "strict-transport-security" not in headers  # plain HTTP: no HSTS
    assert any(c.startswith("FLANKMAP_REPLICA=r1") and "HttpOnly" in c for c in cookies)
    _, health, _ = _get(port, "/_stcore/health")
    assert health["x-flankmap-replica"] == "r1"  # the name only, on the health path


def test_metrics_denied_host_config_kept(proxy):
    port, _ = proxy
    assert _get(port, "/_stcore/metrics")[0] == 404
    assert _get(port, "/_stcore/metrics?x=1")[0] == 404
    assert _get(port, "/_stcore/host-config")[0] == 200  # the browser client needs it on every connect


def test_foreign_origin_websocket_refused_at_the_proxy(proxy):
    port, _ = proxy
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    assert _get(port, "/_stcore/stream", {**upgrade, "Origin": "https://elsewhere.example"})[0] == 403
    assert _get(port, "/_stcore/stream", {**upgrade, "Origin": "http://127.0.0.1.evil.example"})[0] == 403
    same = f"http://127.0.0.1:{port}"
    assert _get(port, "/_stcore/stream", {**upgrade, "Origin": same})[0] != 403
    assert _get(port, "/_stcore/stream", upgrade)[0] != 403  # no Origin: not a browser, Streamlit decides


def test_a_slow_header_client_is_cut_off(proxy):
    port, _ = proxy
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        t0 = time.time()
        data = b""
        while chunk := s.recv(4096):  # the proxy answers 408 and closes after timeout http-request
            data += chunk
        assert time.time() - t0 < 8
    assert data.startswith(b"HTTP/1.1 408") or data == b""


def test_stats_socket_reads_but_cannot_change_servers(proxy):
    _, sock = proxy
    assert _stat(sock) == {"r1": "UP"}
    answer = _socket_cmd(sock, "disable server replicas/r1")
    assert "Permission denied" in answer
    assert _stat(sock) == {"r1": "UP"}


def test_per_client_request_rate_and_connection_limits(tmp_path, stub):
    proc, port, _ = _start(tmp_path, stub, {"FLANKMAP_CLIENT_REQ_RATE": "20", "FLANKMAP_CLIENT_MAX_CONN": "5"})
    try:
        held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(5)]
        try:
            time.sleep(0.2)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as extra:
                    extra.sendall(b"GET /_stcore/health HTTP/1.0\r\n\r\n")
                    answer = extra.recv(100)
            except (ConnectionResetError, BrokenPipeError):
                answer = b""
            assert answer == b"", f"a sixth connection from one address was served: {answer!r}"
        finally:
            for s in held:
                s.close()
        time.sleep(0.2)
        statuses = [_get(port, "/")[0] for _ in range(30)]
        # 20 requests per 10 s per address (the refused and idle connections above may count as requests too)
        assert statuses[:10] == [200] * 10 and statuses.count(200) <= 20 and statuses[-1] == 429, statuses
    finally:
        _stop(proc)


def test_config_rejects_injection_through_settings(tmp_path):
    out = subprocess.run(
        ["sh", str(REPO / "deploy" / "haproxy-config.sh"), "127.0.0.1:1", str(tmp_path / "s"), "r1=127.0.0.1:2"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "FLANKMAP_FRAME_ANCESTORS": "'self'\"\n    stats socket /tmp/x level admin"},
    )
    assert out.returncode == 2 and out.stdout == ""


def test_tls_termination_secure_cookie_and_hsts(tmp_path, stub):
    pem = tmp_path / "tls.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    pem.write_text((tmp_path / "cert.pem").read_text() + (tmp_path / "key.pem").read_text())
    proc, port, _ = _start(tmp_path, stub, {"FLANKMAP_TLS_CERT": str(pem)})
    try:
        ctx = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
        status, headers, cookies = _get(port, "/", tls=ctx)
        assert status == 200
        assert headers["strict-transport-security"].startswith("max-age=")
        assert any("FLANKMAP_REPLICA=r1" in c and "Secure" in c for c in cookies)
        _, _, cookies = _get(port, "/_stcore/health", tls=ctx)
        assert any(c.startswith("_streamlit_xsrf=") and c.endswith("; Secure") for c in cookies), cookies
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
            _get(port, "/")  # plain HTTP on the TLS port is not served
    finally:
        _stop(proc)
