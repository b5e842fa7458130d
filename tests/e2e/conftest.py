"""Browser tier: a fresh Streamlit server per test session and Debian's Chromium driven by Playwright.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (``apt-get install chromium``). Every
request that leaves localhost is aborted and recorded; tests assert the list stays empty.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "tests" / "e2e" / "shots"
CHROMIUM = os.environ.get("FLANKMAP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = ("localhost", "127.0.0.1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """Start ``streamlit run app.py`` on a free port; yield its base URL; stop it afterwards."""
    port = _free_port()
    log = open(REPO / "build" / "e2e-server.log", "w") if (REPO / "build").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("Streamlit server did not become healthy within 60 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `apt-get update && apt-get install -y chromium` "
            "(the e2e tier never downloads a browser)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Guard:
    """Aborts and records every request to a host other than this machine."""

    def __init__(self):
        self.external: list[str] = []

    def __call__(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if host in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@pytest.fixture
def page(browser):
    """A fresh page (1400x1000) with the network guard; asserts no external request at teardown."""
    guard = Guard()
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.route("**/*", guard)
    pg = ctx.new_page()
    pg.guard = guard
    yield pg
    ctx.close()
    assert guard.external == [], f"requests left localhost: {guard.external}"


@pytest.fixture
def context_for(browser):
    """New browser contexts with the network guard (any viewport); closed and checked at teardown."""
    made = []

    def make(width: int, height: int, mobile: bool = False):
        guard = Guard()
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=mobile, has_touch=mobile, device_scale_factor=1
        )
        ctx.route("**/*", guard)
        made.append((ctx, guard))
        return ctx.new_page()

    yield make
    for ctx, guard in made:
        ctx.close()
        assert guard.external == [], f"requests left localhost: {guard.external}"


def wait_for(predicate, timeout_s: float = 20, what: str = "condition", poll_s: float = 0.05) -> None:
    """Poll ``predicate`` until it is true; fail naming ``what`` after ``timeout_s`` seconds."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - frames detach during reruns
            pass
        time.sleep(poll_s)
    raise AssertionError(f"timed out waiting for {what}")


def map_frame(page, timeout_s: float = 30):
    """The st_folium iframe's frame once its Leaflet map has country paths."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("document.querySelectorAll('path.flankmap-country').length") > 0:
                    return frame
            except Exception:  # noqa: BLE001 - frames detach while Streamlit re-renders
                continue
        time.sleep(0.1)
    raise AssertionError("the map did not paint country paths in time")


def control_frame(page, timeout_s: float = 30):
    """The map page's timeline control (a Streamlit component beside the map) once it shows a day."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("!!(window.FlankmapControlApp && FlankmapControlApp.day())"):
                    return frame
            except Exception:  # noqa: BLE001 - frames detach while Streamlit re-renders
                continue
        time.sleep(0.1)
    raise AssertionError("the timeline control did not start in time")


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
