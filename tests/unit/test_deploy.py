"""deploy/: Kubernetes manifests against the official schemas (offline), the proxy configuration, the image."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S_VERSION = "1.30.0"


def _docs(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((DEPLOY / "k8s" / name).read_text(encoding="utf-8")) if d]


@pytest.mark.parametrize("name", sorted(p.name for p in (DEPLOY / "k8s").glob("*.yaml")))
def test_manifests_validate_against_the_kubernetes_schema(name):
    import kubernetes_validate  # bundles the schemas: no network

    for doc in _docs(name):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)  # raises ValidationError


def test_deployment_probes_health_and_requests_resources():
    (dep,) = _docs("deployment.yaml")
    (container,) = dep["spec"]["template"]["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert dep["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_ingress_uses_cookie_affinity():
    (ing,) = _docs("ingress.yaml")
    notes = ing["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert "X-Flankmap-Replica" in notes["nginx.ingress.kubernetes.io/configuration-snippet"]


def _haproxy_cfg(tmp_path: Path) -> str:
    out = subprocess.run(
        ["sh", str(DEPLOY / "haproxy-config.sh"), "127.0.0.1:8600", str(tmp_path / "s.sock"), "r1=127.0.0.1:8601"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_proxy_config_is_sticky_by_cookie_checks_health_and_names_the_replica(tmp_path):
    cfg = _haproxy_cfg(tmp_path)
    assert "cookie FLANKMAP_REPLICA insert" in cfg and "balance source" not in cfg
    assert "option httpchk GET /_stcore/health" in cfg
    assert "http-response set-header X-Flankmap-Replica %s" in cfg
    assert "server r1 127.0.0.1:8601 cookie r1" in cfg
    assert "timeout tunnel" in cfg  # the websocket outlives the usual server timeout


def test_haproxy_accepts_the_config(tmp_path):
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.fail("haproxy not installed: `apt-get install -y haproxy` (.ci/run does)")
    path = tmp_path / "haproxy.cfg"
    path.write_text(_haproxy_cfg(tmp_path))
    result = subprocess.run([haproxy, "-c", "-f", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_the_local_entry_point_as_non_root_with_a_healthcheck():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert text.startswith("#") and "FROM python:3.11.7-slim" in text
    assert "pip install -r requirements.txt" in text
    assert "USER flankmap" in text and "HEALTHCHECK" in text and "/_stcore/health" in text
    assert 'ENTRYPOINT ["/app/deploy/serve.sh"]' in text
    serve = (DEPLOY / "serve.sh").read_text(encoding="utf-8")
    for flag in (
        "--server.headless true",
        "--server.enableXsrfProtection true",
        "--browser.gatherUsageStats false",
    ):
        assert flag in serve
    assert "serve.sh" in (DEPLOY / "run-local.sh").read_text(encoding="utf-8")


def test_compose_runs_several_replicas_behind_the_proxy():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    replicas = [n for n, s in compose["services"].items() if s.get("image") == "flankmap:latest"]
    assert len(replicas) >= 2
    command = " ".join(compose["services"]["proxy"]["command"])
    assert "haproxy-config.sh" in command
    for name in replicas:
        assert f"{name}={name}:8501" in command


def test_no_full_gc_after_every_rerun():
    """Streamlit's post-run gc.collect(2) was ~90 ms of CPU per date step (bench/README.md)."""
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


# --- issue 22: limits on what a stranger can send, and no third-party lookups (review 2, 3, 16, 20, 24) --------


def _streamlit_config() -> dict:
    import tomllib

    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_streamlit_limits_and_loopback_bind_in_the_config():
    config = _streamlit_config()
    server = config["server"]
    assert server["address"] == "127.0.0.1"  # make run: this machine only (finding 24)
    assert server["maxMessageSize"] <= 2  # MB; the largest message is ~120 kB (finding 3)
    assert server["maxUploadSize"] == 1  # MB; the briefing upload is <= 256 kB (finding 16)
    assert server["allowedHosts"] == ["localhost", "127.0.0.1"]  # DNS-rebinding guard (finding 16)
    assert config["browser"]["serverAddress"]  # set: no external-address lookup at start (finding 20)


def test_a_replica_runs_with_the_limits_and_shows_no_traceback():
    serve = (DEPLOY / "serve.sh").read_text(encoding="utf-8")
    for flag in (
        "--server.maxMessageSize 2",
        "--server.maxUploadSize 1",
        "--client.showErrorDetails none",
        "--browser.serverAddress",
        "--server.allowedHosts",
        "deploy/streamlit_main.py run app.py",
    ):
        assert flag in serve, flag


def test_the_origin_check_never_asks_a_third_party_for_the_address(monkeypatch):
    """Finding 2: a foreign Origin made Streamlit fetch checkip.amazonaws.com (blocking, ~2 s when dropped)."""
    import importlib.util

    from streamlit import net_util
    from streamlit.web.server import server_util

    def no_network(*_a, **_k):
        raise AssertionError("Streamlit tried to look up the external address")

    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(net_util, "_make_blocking_http_get", no_network)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "10.0.0.5")
    spec = importlib.util.spec_from_file_location("streamlit_main", DEPLOY / "streamlit_main.py")
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)
    with pytest.raises(AssertionError):  # without the wrapper: the lookup happens
        server_util.is_url_from_allowed_origins("https://elsewhere.example")
    main.no_external_ip_lookup()
    assert server_util.is_url_from_allowed_origins("https://elsewhere.example") is False
    assert server_util.is_url_from_allowed_origins("http://127.0.0.1:8501") is True
