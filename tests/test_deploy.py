"""The deployment files hold what a safe multi-replica deployment needs. No container engine
or cluster runs here, so they are parsed and checked field by field."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import yaml

from reflect.settings import BY_NAME
from tests.test_read_only_root import WRITABLE

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
NAMESPACE = "reflect"
NGINX = "nginx.ingress.kubernetes.io/"
# streamlit/runtime/memory_session_storage.py: MemorySessionStorage(maxsize=128), the
# sessions kept for disconnectedSessionTTL after their connection dropped.
STREAMLIT_DISCONNECTED_SLOTS = 128
CLINIC_DEVICES = 20


def manifests(name: str) -> list[dict]:
    return list(yaml.safe_load_all((DEPLOY / "k8s" / name).read_text(encoding="utf-8")))


def manifest(name: str) -> dict:
    (document,) = manifests(name)
    return document


def test_the_dockerfile_is_slim_unprivileged_and_checks_health():
    lines = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
    assert re.match(r"FROM python:3\.\d+-slim-[a-z]+$", lines[next(
        i for i, line in enumerate(lines) if line.startswith("FROM"))])
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    health = " ".join(line for line in lines if "HEALTHCHECK" in line or "_stcore" in line)
    assert "HEALTHCHECK" in health and "/_stcore/health" in health
    assert any(line.startswith("CMD") and '"-m", "webserver"' in line for line in lines)
    text = "\n".join(lines)
    assert "REFLECT_MODE" in text and "COOKIE_SECRET" in text
    assert "cookieSecret" not in text.replace("COOKIE_SECRET", "")  # never baked in


def installer_pins() -> dict[str, str]:
    text = (ROOT / "requirements-installer.txt").read_text(encoding="utf-8")
    return dict(re.findall(r"^([a-z]+)==([0-9.]+)$", text, re.MULTILINE))


def test_the_installer_is_pinned_in_both_environments_and_in_the_image():
    pins = installer_pins()
    assert set(pins) == {"pip", "setuptools"}
    # This test runs in the environment scripts/setup.sh made: the pin is what it installed.
    assert importlib.metadata.version("pip") == pins["pip"]
    assert importlib.metadata.version("setuptools") == pins["setuptools"]
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    # Installed first, in every environment, and part of the reinstall stamp.
    assert 'wanted=$(cat requirements-installer.txt "$@"' in setup
    first = setup.index("-r requirements-installer.txt")
    assert first < setup.index('"${files[@]}"')
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.index("-r requirements-installer.txt") < dockerfile.index(
        "-r requirements.txt")
    # Debian packages in the image are pinned to a version of the release it names.
    installs = re.findall(r"apt-get install [^&]*", dockerfile)
    assert installs and all(re.search(r"\S+=\S+", line) for line in installs), installs


def test_the_image_holds_every_file_the_app_needs():
    # A module or content file left out of the image would fail only when a container starts.
    copied = set()
    for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            copied.update(part.rstrip("/") for part in line.split()[1:-1])
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"}
    needed = {p.name for p in ROOT.glob("*.py")} | packages | {
        "questions.yaml", "helplines.yaml", "explanations", "assets", ".streamlit",
        "requirements.txt", "requirements-installer.txt"}
    assert {"reflect", "ui", "webserver"} <= packages
    assert needed <= copied, needed - copied


def test_every_object_is_in_the_apps_own_namespace():
    (namespace,) = manifests("namespace.yaml")
    assert namespace["kind"] == "Namespace" and namespace["metadata"]["name"] == NAMESPACE
    objects = [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
               if path.name != "namespace.yaml" for doc in manifests(path.name)]
    kinds = {doc["kind"] for doc in objects}
    assert {"Deployment", "Service", "Ingress", "NetworkPolicy",
            "HorizontalPodAutoscaler"} <= kinds
    for doc in objects:
        assert doc["metadata"].get("namespace") == NAMESPACE, doc["metadata"]["name"]


def test_the_deployment_probes_health_and_shares_one_cookie_secret_from_a_file():
    deployment = manifest("deployment.yaml")
    assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    env = {item["name"]: item for item in container["env"]}
    assert "REFLECT_MODE" in env
    # The secret is never an environment variable: the app's own setting names its file.
    assert not any("valueFrom" in item for item in container["env"])
    assert "STREAMLIT_SERVER_COOKIE_SECRET" not in env
    secret_file = env[BY_NAME["cookie_secret_file"].env]["value"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    (mount,) = [m for m in container["volumeMounts"] if "secret" in volumes[m["name"]]]
    assert mount["readOnly"] is True
    secret = volumes[mount["name"]]["secret"]
    assert secret["secretName"] == "reflect-cookie-secret"
    (item,) = secret["items"]
    assert item["key"] == "cookieSecret"
    assert secret_file == f"{mount['mountPath']}/{item['path']}"
    assert secret["defaultMode"] & 0o007 == 0  # nobody but the app's user and group


def test_the_pod_runs_unprivileged_on_a_read_only_root_with_memory_only_scratch():
    pod = manifest("deployment.yaml")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    (container,) = pod["containers"]
    # By digest (the zeros are the documented placeholder), never a tag that can move.
    assert re.fullmatch(r"[a-z0-9.-]+(/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}", container["image"])
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    # Writable: exactly where the read-only-root test lets the real server write, in memory.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    scratch = {m["mountPath"]: volumes[m["name"]]["emptyDir"]
               for m in container["volumeMounts"] if "emptyDir" in volumes[m["name"]]}
    assert set(scratch) == set(WRITABLE)
    for empty_dir in scratch.values():
        assert empty_dir["medium"] == "Memory" and empty_dir["sizeLimit"]


def test_the_network_policy_lets_only_the_ingress_controller_in_and_nothing_out():
    deployment, policy = manifest("deployment.yaml"), manifest("networkpolicy.yaml")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = policy["spec"]["podSelector"]["matchLabels"]
    assert selector and selector.items() <= labels.items()
    assert sorted(policy["spec"]["policyTypes"]) == ["Egress", "Ingress"]
    assert not policy["spec"].get("egress")  # no outbound connection at all, not even DNS
    (rule,) = policy["spec"]["ingress"]
    (peer,) = rule["from"]
    assert peer["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"}
    assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "ingress-nginx"}
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert [port["port"] for port in rule["ports"]] == [
        port["containerPort"] for port in container["ports"]]


def ingresses() -> dict[str, dict]:
    """Each Ingress by its one path."""
    found = {}
    for ingress in manifests("ingress.yaml"):
        (rule,) = ingress["spec"]["rules"]
        (path,) = rule["http"]["paths"]
        found[path["path"]] = ingress
    return found


def test_the_service_ingresses_and_autoscaler_fit_together():
    deployment, service, hpa = (manifest("deployment.yaml"), manifest("service.yaml"),
                                manifest("hpa.yaml"))
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    routes = ingresses()
    assert set(routes) == {"/", "/_stcore/stream"}
    ports = {port["name"] for port in service["spec"]["ports"]}
    for ingress in routes.values():
        (rule,) = ingress["spec"]["rules"]
        assert rule["host"] == "reflect.example.org"
        assert ingress["spec"]["tls"] == [{"hosts": ["reflect.example.org"],
                                          "secretName": "reflect-tls"}]
        backend = rule["http"]["paths"][0]["backend"]["service"]
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"]["name"] in ports
        annotations = ingress["metadata"]["annotations"]
        assert annotations[NGINX + "force-ssl-redirect"] == "true"
        assert annotations[NGINX + "enable-access-log"] == "false"
        assert int(annotations[NGINX + "proxy-read-timeout"]) >= 3600
        assert int(annotations[NGINX + "proxy-send-timeout"]) >= 3600
        # No snippet of any kind: the app refuses /_stcore/metrics itself, shown on a real
        # server by tests/test_server_limits.py test_operator_routes_answer_404_for_everyone.
        assert not [key for key in annotations if "snippet" in key]
    assert "def test_operator_routes_answer_404_for_everyone" in (
        ROOT / "tests" / "test_server_limits.py").read_text(encoding="utf-8")
    # One stickiness for both, so a visitor's page and WebSocket reach the same pod.
    sticky = [{key: value for key, value in ingress["metadata"]["annotations"].items()
               if key.startswith((NGINX + "affinity", NGINX + "session-cookie"))}
              for ingress in routes.values()]
    assert sticky[0] == sticky[1] and sticky[0][NGINX + "affinity"] == "cookie"
    assert sticky[0][NGINX + "session-cookie-path"] == "/"
    assert routes["/_stcore/stream"]["spec"]["rules"][0]["http"]["paths"][0][
        "pathType"] == "Exact"
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"


def test_only_the_websocket_is_limited_per_client_and_the_limits_fit_streamlits_slots():
    routes = ingresses()
    assert not [key for key in routes["/"]["metadata"]["annotations"]
                if key.startswith(NGINX + "limit")]  # static bundles: never rate limited
    annotations = routes["/_stcore/stream"]["metadata"]["annotations"]
    per_minute = int(annotations[NGINX + "limit-rpm"])
    burst = per_minute * int(annotations[NGINX + "limit-burst-multiplier"])
    open_at_once = int(annotations[NGINX + "limit-connections"])
    assert_limits_fit(per_minute, burst, open_at_once)


def assert_limits_fit(per_minute: int, burst: int, open_at_once: int) -> None:
    """One rule for nginx and the Ingress. The new sessions one address can start while a
    dropped one is still kept stay under the 128 one Streamlit process keeps, with room left
    for the dropped sessions of as many other visitors as a clinic has devices. And 20
    devices behind one clinic address all start, and all reconnect after a Wi-Fi blip, at
    once."""
    ttl = CONFIG["server"]["disconnectedSessionTTL"]
    most = burst + per_minute * ttl / 60
    assert most <= STREAMLIT_DISCONNECTED_SLOTS - CLINIC_DEVICES, (burst, per_minute, most)
    assert burst >= 2 * CLINIC_DEVICES and open_at_once >= 2 * CLINIC_DEVICES


def test_the_nginx_configuration_is_sticky_upgrades_websockets_and_hides_metrics():
    conf = (DEPLOY / "nginx" / "reflect.conf").read_text(encoding="utf-8")
    assert re.search(r"hash \$reflect_route consistent;", conf)
    assert "add_header Set-Cookie $reflect_route_cookie always;" in conf
    assert '"reflect_route=$reflect_route; Path=/; Secure; HttpOnly; SameSite=Strict"' in conf
    # What no linter knows: a download is never written to nginx's temporary files on disk.
    media = conf[conf.index("location /media/ {"):]
    media = media[:media.index("}")]
    assert "proxy_max_temp_file_size 0;" in media and "gzip off;" in media
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    # The per-address limits on the stream, by the same rule as the Ingress's.
    rate = re.search(r"zone=reflect_stream_rate:\S+ rate=(\d+)r/m;", conf)
    burst = re.search(r"limit_req zone=reflect_stream_rate burst=(\d+) nodelay;", conf)
    connections = re.search(r"limit_conn reflect_stream_conn (\d+);", conf)
    assert_limits_fit(int(rate[1]), int(burst[1]), int(connections[1]))
    stream = conf[conf.index("location /_stcore/stream {"):]
    assert "limit_req zone" in stream[:stream.index("}")]
    assert conf.count("limit_req zone=") == 1 and conf.count("limit_conn reflect") == 1
    assert re.search(r"proxy_read_timeout 3600s;", conf)
    assert re.search(r"location = /_stcore/metrics \{\s*return 404;", conf)
