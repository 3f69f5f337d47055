"""The deployment files hold what a safe multi-replica deployment needs. No container engine
or cluster runs here, so they are parsed and checked field by field."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def manifest(name: str) -> dict:
    (document,) = list(yaml.safe_load_all((DEPLOY / "k8s" / name).read_text(encoding="utf-8")))
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


def test_the_deployment_probes_health_and_shares_one_cookie_secret():
    deployment = manifest("deployment.yaml")
    assert deployment["kind"] == "Deployment" and deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    env = {item["name"]: item for item in container["env"]}
    secret = env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
    assert secret["name"] and secret["key"]
    assert "REFLECT_MODE" in env


def test_the_service_ingress_and_autoscaler_fit_together():
    deployment, service = manifest("deployment.yaml"), manifest("service.yaml")
    ingress, hpa = manifest("ingress.yaml"), manifest("hpa.yaml")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert "/_stcore/metrics" in annotations["nginx.ingress.kubernetes.io/server-snippet"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"


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
    assert re.search(r"proxy_read_timeout 3600s;", conf)
    assert re.search(r"location = /_stcore/metrics \{\s*return 404;", conf)
