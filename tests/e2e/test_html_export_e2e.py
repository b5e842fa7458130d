"""The one-file interactive map in headless Chromium, opened from file:// with every request recorded."""

from __future__ import annotations

import copy
import datetime as dt
import json
import time

import pytest

from flankmap.data import load
from flankmap.domain import intervals
from flankmap.render import html_file as offline
from flankmap.view import model, publish, urlstate
from tests.e2e.conftest import map_frame, shot

pytestmark = pytest.mark.e2e

READY = "window.__flankmapReady === true"
STYLE_JS = """[...document.querySelectorAll('path.flankmap-country')].map(p => [
  [...p.classList].find(c => c.startsWith('iso3-')).slice(5),
  p.getAttribute('fill'), p.getAttribute('stroke'), p.getAttribute('stroke-dasharray') || null])"""


def model_styles(day: dt.date, fill: str = "status") -> dict[str, tuple]:
    """(fill, stroke, dash) of every country in the view model, as the runtime writes them on the paths."""
    mv = model.view_of(urlstate.ViewState(day=day, fill=fill))
    out = {}
    for iso3, c in mv.countries.items():
        st = mv.styles[c.style]
        dash = " ".join(f"{d:g}" for d in st["dash"]) if st["dash"] else None
        out[iso3] = (f"url(#{st['hatch']})" if st["hatch"] else st["fill"], st["edge"], dash)
    return out


@pytest.fixture(scope="module")
def data():
    return publish.build_data(dt.date(2025, 12, 27), permalink="http://127.0.0.1:8501/?date=2025-12-27")


@pytest.fixture(scope="module")
def html_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("html") / "flankmap.html"
    path.write_text(offline.render_html(data), encoding="utf-8")
    return path


@pytest.fixture
def fpage(browser):
    """A page that records every request it makes (file:// included) and every script error."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.requests = []
    pg.errors = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()
    assert pg.errors == []


def wait_js(page, expression: str, timeout_s: float = 10) -> None:
    """Poll an expression from outside (the file's Content-Security-Policy forbids in-page eval polling)."""
    deadline = time.time() + timeout_s
    while not page.evaluate(expression):
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def open_file(page, path, fragment: str = "") -> None:
    page.goto(path.as_uri() + fragment)
    wait_js(page, READY, 20)


def shown_date(page) -> str:
    return page.evaluate("document.body.getAttribute('data-flankmap-date')")


def test_opens_from_file_with_zero_requests_and_everything_in_the_frame(fpage, html_file):
    open_file(fpage, html_file, "#date=2025-12-27")
    assert fpage.requests == [html_file.as_uri()], "only the file itself may be loaded: 0 other requests"
    assert shown_date(fpage) == "2025-12-27"
    classes = fpage.evaluate("[...document.querySelectorAll('path')].map(p => p.getAttribute('class'))")
    assert sum("flankmap-country iso3-" in c for c in classes) == len(load.drawn_iso3s())
    assert any("flankmap-border segment-suwalki-gap" in c for c in classes)
    text = fpage.evaluate("document.body.innerText")
    for expected in (
        "Ottawa Convention status on 27 December 2025",
        "163 States Parties worldwide",
        "Withdrawal pending",  # the legend
        "© OpenStreetMap contributors",
        "Treaty data checked through",
        "http://127.0.0.1:8501/?date=2025-12-27",
        "Sources:",
    ):
        assert expected in text, expected
    slider = fpage.locator("#fm-slider")
    assert slider.get_attribute("aria-label")
    assert slider.get_attribute("aria-valuetext") == "2025-12-27"
    assert fpage.locator("#fm-ticks .tick").count() == len(intervals.key_dates())
    shot(fpage, "html_export_2025-12-27")


@pytest.mark.parametrize("day", ["2025-12-26", "2025-12-27", "2026-02-19", "2026-02-20"])
def test_fills_agree_with_the_apps_map_on_the_edge_days(fpage, html_file, day):
    open_file(fpage, html_file, f"#date={day}")
    assert shown_date(fpage) == day
    want = model_styles(dt.date.fromisoformat(day))
    got = {iso3: (fill, stroke, dash) for iso3, fill, stroke, dash in fpage.evaluate(STYLE_JS)}
    assert got, "no country paths"
    for iso3, (fill, stroke, dash) in got.items():
        assert (fill, stroke, dash or None) == want[iso3], (day, iso3)
    assert fpage.requests == [html_file.as_uri()]


def test_arrow_right_steps_one_day_and_the_fragment_follows(fpage, html_file):
    open_file(fpage, html_file, "#date=2025-12-26")
    est_before = fpage.evaluate("document.querySelector('path.iso3-EST').getAttribute('fill')")
    slider = fpage.locator("#fm-slider")
    slider.focus()
    slider.press("ArrowRight")
    assert shown_date(fpage) == "2025-12-27"
    assert slider.get_attribute("aria-valuetext") == "2025-12-27"
    assert fpage.evaluate("document.querySelector('path.iso3-EST').getAttribute('fill')") != est_before
    wait_js(fpage, "location.hash === '#date=2025-12-27'")
    slider.press("ArrowLeft")
    assert shown_date(fpage) == "2025-12-26"


def test_fragment_drives_the_date_and_bad_fragments_get_a_note(fpage, html_file):
    open_file(fpage, html_file, "#date=2025-06-01")
    fpage.evaluate("location.hash = '#date=2026-02-20'")
    wait_js(fpage, "document.body.getAttribute('data-flankmap-date') === '2026-02-20'")
    fpage.evaluate("location.hash = '#date=<b>x</b>'")
    note = fpage.locator("#fm-note")
    note.wait_for(state="visible")
    assert "<b>x</b>" in note.inner_text() and shown_date(fpage) == "2026-02-20"
    fpage.evaluate("location.hash = '#date=2099-01-01'")
    last = intervals.covered_range()[1].isoformat()
    wait_js(fpage, f"document.body.getAttribute('data-flankmap-date') === '{last}'")
    assert "outside" in note.inner_text()


def test_key_date_buttons_and_typed_date(fpage, html_file):
    open_file(fpage, html_file, "#date=2025-12-01")
    fpage.click("#fm-next")
    assert shown_date(fpage) == "2025-12-27"
    fpage.click("#fm-prev")
    assert shown_date(fpage) == "2025-08-20"
    fpage.fill("#fm-date", "2026-01-10")
    fpage.dispatch_event("#fm-date", "change")
    assert shown_date(fpage) == "2026-01-10"


def test_tooltip_counts_down_from_the_effective_date(fpage, html_file):
    open_file(fpage, html_file, "#date=2026-02-10")
    fpage.hover("path.iso3-POL")  # the middle of its box, inside Poland at any framing
    tip = fpage.locator(".flankmap-tip")
    tip.wait_for()
    assert "10 days until effective" in tip.inner_text()


def test_planted_html_in_data_fields_shows_as_text(fpage, tmp_path, data):
    planted = copy.deepcopy(data)
    evil = '<img src=x onerror="window.__pwned=1">Estonia</script><b>bold</b>'
    planted["countries"]["EST"]["name"] = evil
    for iv in planted["countries"]["EST"]["iv"]:
        iv["tip"].append(["i", evil])
        iv["label"] = evil
    planted["legend_rows"][0]["label"] = evil
    planted["credits"]["source"] = evil
    path = tmp_path / "planted.html"
    path.write_text(offline.render_html(planted), encoding="utf-8")
    open_file(fpage, path, "#date=2025-12-27")
    fpage.hover("path.iso3-EST")  # the middle of its box: mainland Estonia at any framing
    tip = fpage.locator(".flankmap-tip")
    tip.wait_for()
    assert evil in tip.inner_text()
    assert fpage.locator("img").count() == 0
    made_bold = "[...document.querySelectorAll('*')].some(e => e.textContent === 'bold')"
    assert fpage.evaluate(made_bold) is False
    assert evil in fpage.locator("#fm-legend").inner_text()
    assert evil in fpage.locator("#fm-source").inner_text()
    assert fpage.evaluate("window.__pwned") is None
    assert json.dumps(evil)[1:-1] not in path.read_text(encoding="utf-8"), "raw markup must not reach the file"


def test_phone_size(browser, html_file):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    open_file(pg, html_file, "#date=2026-02-20")
    assert pg.locator("#fm-slider").is_visible() and pg.locator("#fm-title").is_visible()
    assert "© OpenStreetMap contributors" in pg.locator("#fm-credits").inner_text()
    shot(pg, "html_export_phone_2026-02-20")
    ctx.close()


def test_the_apps_download_button_exports_the_current_view(server, page, browser, tmp_path):
    page.goto(f"{server}/?date=2026-01-10&area=suwalki")
    map_frame(page)
    # With a help text Streamlit nests the button in a second one (the tooltip target): take the outer one.
    button = page.locator(".st-key-fm_export_html button:has-text('Interactive map')").first
    with page.expect_download(timeout=60_000) as info:
        button.click()
    got = info.value
    assert got.suggested_filename == offline.output_name("status")
    path = tmp_path / got.suggested_filename
    got.save_as(path)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    requests = []
    pg.on("request", lambda r: requests.append(r.url))
    open_file(pg, path)
    assert shown_date(pg) == "2026-01-10"  # the day the app showed
    assert "area=suwalki" in pg.locator("#fm-permalink").inner_text()  # ... and its view
    assert requests == [path.as_uri()]
    ctx.close()


@pytest.mark.parametrize("fill", ["spending", "spending_nato"])
def test_spending_fills_agree_with_the_apps_map(fpage, tmp_path, fill):
    path = tmp_path / f"{fill}.html"
    path.write_bytes(offline.export_html(dt.date(2025, 12, 27), fill=fill))
    for day in ("2024-06-01", "2025-12-27"):
        open_file(fpage, path, f"#date={day}")
        want = model_styles(dt.date.fromisoformat(day), fill)
        for iso3, fill_attr, stroke, _ in fpage.evaluate(STYLE_JS):
            assert (fill_attr, stroke) == want[iso3][:2], (fill, day, iso3)
        title = model.view_of(urlstate.ViewState(day=dt.date.fromisoformat(day), fill=fill)).heading.title
        assert fpage.locator("#fm-title-main").inner_text() == title, (fill, day)  # same year and series


def test_csp_runs_only_the_files_own_scripts_no_handler_no_form(fpage, html_file, tmp_path):
    """Review finding 15: with hashes instead of 'unsafe-inline', an inline event handler or an injected
    script does not run, and a form cannot send anything; the file's own scripts still run from file://."""
    import http.server
    import socket
    import threading

    hits = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *_a):
            pass

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    violations = []
    fpage.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        open_file(fpage, html_file)
        assert fpage.evaluate("document.querySelectorAll('path.flankmap-country').length") > 0
        fpage.evaluate(
            """port => {
              window.__ran = [];
              const box = document.createElement('div');
              box.innerHTML = '<img src="x" onerror="window.__ran.push(1)"><svg onload="window.__ran.push(2)"></svg>';
              document.body.appendChild(box);
              const s = document.createElement('script');
              s.textContent = 'window.__ran.push(3)';
              document.body.appendChild(s);
              const f = document.createElement('form');
              f.method = 'POST'; f.action = 'http://127.0.0.1:' + port + '/form'; f.target = '_blank';
              document.body.appendChild(f);
              try { f.submit(); } catch (e) {}
            }""",
            port,
        )
        time.sleep(1.0)
        assert fpage.evaluate("window.__ran") == []
        assert hits == [], f"the form reached the listener: {hits}"
        assert any("form-action" in v or "script-src" in v for v in violations), violations
    finally:
        server.shutdown()


FIREFOX_PREFS = """
user_pref("network.dns.disabled", true);
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.proxy.no_proxies_on", "");
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("app.update.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
"""


def test_firefox_esr_runs_the_file_under_its_csp(html_file, tmp_path):
    """Review finding 15: the hash-based CSP works in Firefox ESR too (Debian's firefox-esr, headless, its own
    profile with DNS off and every proxy pointed at a closed loopback port: nothing can leave the machine).
    The screenshot shows the map only if the file's scripts ran: withdrawn and pending fills are drawn."""
    import shutil
    import subprocess

    import numpy as np
    from PIL import Image

    from flankmap.view import symbology as sym

    firefox = shutil.which("firefox-esr")
    if not firefox:
        pytest.fail("firefox-esr not installed: `apt-get install -y firefox-esr` (.ci/run does)")
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "user.js").write_text(FIREFOX_PREFS, encoding="utf-8")
    png = tmp_path / "firefox.png"
    subprocess.run(
        [firefox, "--headless", "--no-remote", "--profile", str(profile), "--window-size", "1400,900"]
        + ["--screenshot", str(png), html_file.as_uri() + "#2025-12-27"],
        capture_output=True,
        timeout=180,
        env={**__import__("os").environ, "MOZ_DISABLE_AUTO_SAFE_MODE": "1", "HOME": str(tmp_path)},
    )
    assert png.exists(), "firefox-esr wrote no screenshot"
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int).reshape(-1, 3)

    def share(hex_colour: str) -> float:
        rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(pixels - rgb).sum(axis=1) < 60).mean())

    assert share(sym.STATUS_COLOURS["withdrawn"]) > 0.01  # Estonia, Latvia, Lithuania on 2025-12-27
    assert share(sym.STATUS_COLOURS["withdrawal_pending"]) > 0.01  # Finland and Poland, hatched
    shutil.copy(png, shot_path("html_export_firefox"))


def shot_path(name: str):
    from tests.e2e.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
