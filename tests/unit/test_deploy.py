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


GATEWAY_SCHEMA = REPO / "tests" / "fixtures" / "gateway-api-v1.6.1-httproute-v1.schema.json"


def _all_docs() -> list[dict]:
    return [d for p in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in _docs(p.name)]


def _strict(schema):
    """A CRD schema made strict like ``kubectl --validate=strict``: no field the schema does not name."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _validate_httproute(doc: dict) -> None:
    """HTTPRoute against the Gateway API v1.6.1 CRD schema (vendored: kubernetes-validate has no CRDs).

    The CRD's CEL rules (x-kubernetes-validations) are not evaluated here; the API server does that.
    """
    import json

    import jsonschema

    schema = json.loads(GATEWAY_SCHEMA.read_text(encoding="utf-8"))
    schema.pop("$comment", None)
    jsonschema.validate(doc, _strict(schema))


@pytest.mark.parametrize("name", sorted(p.name for p in (DEPLOY / "k8s").glob("*.yaml")))
def test_manifests_validate_against_the_kubernetes_schema(name):
    import kubernetes_validate  # bundles the schemas: no network

    for doc in _docs(name):
        if doc["apiVersion"].startswith("gateway.networking.k8s.io/"):
            assert doc["kind"] == "HTTPRoute" and doc["apiVersion"] == "gateway.networking.k8s.io/v1"
            _validate_httproute(doc)
        else:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)  # raises ValidationError


def test_the_httproute_schema_check_can_fail():
    import jsonschema

    (route,) = _docs("httproute.yaml")
    bad = yaml.safe_load(yaml.safe_dump(route))
    bad["spec"]["rules"][-1]["sessionPersistence"]["type"] = "IPHash"
    with pytest.raises(jsonschema.ValidationError):
        _validate_httproute(bad)
    bad = yaml.safe_load(yaml.safe_dump(route))
    bad["spec"]["rules"][-1]["sessionAffinity"] = "cookie"  # a field the API does not have
    with pytest.raises(jsonschema.ValidationError):
        _validate_httproute(bad)


# The "restricted" Pod Security Standard (Kubernetes 1.30, https://kubernetes.io/docs/concepts/security/
# pod-security-standards/), written as rules: the baseline controls plus the restricted ones.
ALLOWED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


def restricted_violations(pod: dict) -> list[str]:
    """Violations of the restricted Pod Security Standard in a pod spec (an empty list: it passes)."""
    out = []
    psc = pod.get("securityContext", {})
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            out.append(f"{key} is set")
    for vol in pod.get("volumes", []):
        kinds = set(vol) - {"name"}
        if not kinds <= ALLOWED_VOLUMES:
            out.append(f"volume {vol['name']}: type {sorted(kinds)} not allowed")
    if psc.get("sysctls"):
        out.append("sysctls are set")
    if psc.get("runAsUser") == 0:
        out.append("pod runAsUser 0")
    containers = pod.get("containers", []) + pod.get("initContainers", [])
    for c in containers:
        csc = c.get("securityContext", {})
        name = c["name"]
        if csc.get("privileged"):
            out.append(f"{name}: privileged")
        if csc.get("allowPrivilegeEscalation") is not False:
            out.append(f"{name}: allowPrivilegeEscalation is not false")
        if not (csc.get("runAsNonRoot") is True or (psc.get("runAsNonRoot") is True and "runAsNonRoot" not in csc)):
            out.append(f"{name}: runAsNonRoot is not true")
        if csc.get("runAsUser") == 0:
            out.append(f"{name}: runAsUser 0")
        seccomp = csc.get("seccompProfile", psc.get("seccompProfile", {})).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            out.append(f"{name}: seccompProfile is {seccomp!r}, not RuntimeDefault or Localhost")
        caps = csc.get("capabilities", {})
        if "ALL" not in caps.get("drop", []):
            out.append(f"{name}: capabilities do not drop ALL")
        if set(caps.get("add", [])) - {"NET_BIND_SERVICE"}:
            out.append(f"{name}: adds capabilities {caps['add']}")
        if any(p.get("hostPort") for p in c.get("ports", [])):
            out.append(f"{name}: hostPort")
        for key in ("seLinuxOptions", "appArmorProfile"):
            if key in csc and key == "seLinuxOptions" and csc[key].get("type") not in (None, "container_t"):
                out.append(f"{name}: seLinuxOptions type")
        if csc.get("procMount", "Default") != "Default":
            out.append(f"{name}: procMount")
    return out


def _pod_specs() -> list[dict]:
    return [d["spec"]["template"]["spec"] for d in _all_docs() if d["kind"] in ("Deployment", "StatefulSet")]


def test_pods_pass_the_restricted_pod_security_standard():
    pods = _pod_specs()
    assert pods
    for pod in pods:
        assert restricted_violations(pod) == []


@pytest.mark.parametrize(
    "break_it, expected",
    [
        (lambda p, c: c["securityContext"]["capabilities"].pop("drop"), "drop ALL"),
        (lambda p, c: p["securityContext"].pop("seccompProfile"), "seccompProfile"),
        (lambda p, c: c["securityContext"].update(allowPrivilegeEscalation=True), "allowPrivilegeEscalation"),
        (lambda p, c: (p["securityContext"].pop("runAsNonRoot"), c["securityContext"].pop("runAsNonRoot")), "NonRoot"),
        (lambda p, c: p["volumes"].append({"name": "h", "hostPath": {"path": "/"}}), "hostPath"),
        (lambda p, c: p.update(hostNetwork=True), "hostNetwork"),
        (lambda p, c: c["securityContext"]["capabilities"].update(add=["NET_ADMIN"]), "adds capabilities"),
    ],
)
def test_the_restricted_check_can_fail(break_it, expected):
    pod = yaml.safe_load(yaml.safe_dump(_pod_specs()[0]))
    break_it(pod, pod["containers"][0])
    assert any(expected in v for v in restricted_violations(pod)), restricted_violations(pod)


def test_deployment_hardening_beyond_the_standard():
    (dep, pdb) = _docs("deployment.yaml")
    pod = dep["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert pod["automountServiceAccountToken"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    tmp = next(v for v in pod["volumes"] if v["name"] == "tmp")
    assert "emptyDir" in tmp
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    image = container["image"]
    assert ":" in image and not image.endswith(":latest"), image  # a versioned image
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["timeoutSeconds"] >= 2, probe
    assert container["readinessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert container["livenessProbe"] != container["readinessProbe"]  # a busy replica is not restarted
    assert container["resources"]["limits"]["memory"] == "768Mi"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    anti = pod["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]
    assert anti["podAffinityTerm"]["labelSelector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]
    assert pdb["kind"] == "PodDisruptionBudget"
    assert pdb["spec"]["selector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]


def test_network_policy_admits_only_the_gateway_and_allows_no_egress():
    (net,) = _docs("networkpolicy.yaml")
    (dep, _) = _docs("deployment.yaml")
    assert net["spec"]["podSelector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]
    assert set(net["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert net["spec"]["egress"] == []
    (rule,) = net["spec"]["ingress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 8501}] and rule["from"]


def test_routing_by_gateway_api_with_cookie_persistence_and_no_snippet():
    (route,) = _docs("httproute.yaml")
    rules = {r["name"]: r for r in route["spec"]["rules"]}
    assert rules["app"]["sessionPersistence"]["type"] == "Cookie"
    assert rules["app"]["sessionPersistence"]["sessionName"] == "FLANKMAP_REPLICA"
    assert "backendRefs" not in rules["no-metrics"]  # metrics: no backend, never served
    assert "backendRefs" not in rules["websocket-foreign-origin"]
    origin = rules["websocket-same-origin"]["matches"][0]["headers"][0]
    assert origin["name"] == "Origin" and origin["value"] == f"https://{route['spec']['hostnames'][0]}"
    headers = {h["name"]: h["value"] for h in rules["app"]["filters"][0]["responseHeaderModifier"]["set"]}
    assert headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" in headers
    text = yaml.safe_dump(route)  # the manifest itself, not its comments
    assert "snippet" not in text and "upstream_addr" not in text and "X-Flankmap-Replica" not in text


def test_kubectl_apply_of_the_folder_cannot_overwrite_the_secret():
    assert all(d["kind"] != "Secret" for d in _all_docs())
    assert "kubectl create secret generic flankmap" in (DEPLOY / "secret.example.txt").read_text(encoding="utf-8")


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
    assert text.startswith("#")
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


def test_image_base_is_current_python_3_11_pinned_by_digest_with_a_writable_tmp():
    import re

    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    (base,) = re.findall(r"^FROM (\S+)", text, flags=re.M)
    assert re.fullmatch(r"python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", base), base  # finding 7
    assert "MPLCONFIGDIR=/tmp/matplotlib" in text and "HOME=/tmp" in text  # finding 21
    assert "deploy/streamlit_main.py" in text


def test_compose_runs_several_hardened_replicas_behind_a_tls_proxy():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [n for n, s in services.items() if str(s.get("image", "")).startswith("flankmap:")]
    assert len(replicas) >= 2
    command = " ".join(services["proxy"]["command"])
    assert "haproxy-config.sh" in command
    for name in replicas:
        assert f"{name}={name}:8501" in command
    (dep, _) = _docs("deployment.yaml")
    for name in [*replicas, "proxy"]:
        svc = services[name]
        assert svc["read_only"] is True and any(t.startswith("/tmp:") for t in svc["tmpfs"]), name
        assert svc["cap_drop"] == ["ALL"] and "no-new-privileges:true" in svc["security_opt"], name
        assert svc["pids_limit"] > 0, name
    for name in replicas:
        assert services[name]["image"] == dep["spec"]["template"]["spec"]["containers"][0]["image"]
        assert services[name]["mem_limit"] == "768m"  # the limit the load test measured against
        assert services[name]["networks"] == ["internal"]
    assert compose["networks"]["internal"]["internal"] is True  # no egress from the replicas
    proxy = services["proxy"]
    assert proxy["environment"]["FLANKMAP_TLS_CERT"] and proxy["environment"]["FLANKMAP_RESOLVER"]
    assert any("FLANKMAP_TLS_CERT" in v for v in proxy["volumes"])
    assert proxy["ports"] == ["${FLANKMAP_HTTPS_PORT:-8443}:8443"]


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


def test_a_generated_download_survives_clean_ups_for_its_grace_period(monkeypatch):
    """A deferred download is unreferenced from the start; without the grace period two clean-ups (any
    session's reruns) deleted it before the browser fetched it (1 of 50 downloads in bench_exports.py)."""
    import importlib.util

    from streamlit.runtime import media_file_manager as mfm
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    for name in ("mark_for_delete", "is_marked_for_delete"):
        monkeypatch.setattr(mfm.MediaFileMetadata, name, mfm.MediaFileMetadata.__dict__[name])

    def generated(manager):
        # What MediaFileManager.execute_deferred stores: a downloadable file no session references.
        fid = manager._storage.load_and_get_id(b"GIF89a...", "image/gif", mfm.MediaFileKind.DOWNLOADABLE, "a.gif")
        manager._file_metadata[fid] = mfm.MediaFileMetadata(kind=mfm.MediaFileKind.DOWNLOADABLE)
        return fid

    manager = mfm.MediaFileManager(MemoryMediaFileStorage("/media"))
    fid = generated(manager)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert fid not in manager._file_metadata  # vanilla Streamlit: gone after two clean-ups

    spec = importlib.util.spec_from_file_location("streamlit_main", DEPLOY / "streamlit_main.py")
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)
    main.download_grace(0.3)
    manager = mfm.MediaFileManager(MemoryMediaFileStorage("/media"))
    fid = generated(manager)
    for _ in range(5):
        manager.remove_orphaned_files()
    assert fid in manager._file_metadata  # within the grace period: still served
    import time

    time.sleep(0.35)
    manager.remove_orphaned_files()
    assert fid not in manager._file_metadata  # after it: deleted at the next clean-up


def test_compose_proxy_config_re_resolves_replicas_and_is_valid(tmp_path):
    """Review finding 12: with FLANKMAP_RESOLVER (compose: Docker's DNS) a recreated replica's new address
    is picked up; without it (run-local.sh: fixed loopback addresses) there is no resolvers section."""
    import os

    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    pem = tmp_path / "tls.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")],
        check=True,
        capture_output=True,
    )
    pem.write_text((tmp_path / "c.pem").read_text() + (tmp_path / "k.pem").read_text())
    env = {**os.environ, "FLANKMAP_RESOLVER": "127.0.0.11:53", "FLANKMAP_TLS_CERT": str(pem)}
    cfg = subprocess.run(
        ["sh", str(DEPLOY / "haproxy-config.sh"), ":8443", str(tmp_path / "s.sock"), "r1=r1:8501", "r2=r2:8501"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert "nameserver dns 127.0.0.11:53" in cfg
    assert "server r1 r1:8501 cookie r1 resolvers dns init-addr last,libc,none" in cfg
    assert f"bind :8443 ssl crt {pem}" in cfg
    (tmp_path / "haproxy.cfg").write_text(cfg)
    result = subprocess.run([haproxy, "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "resolvers" not in _haproxy_cfg(tmp_path)
