"""The deployment files hold what a safe multi-replica deployment needs. No container engine
or cluster runs here, so they are parsed and checked field by field."""

from __future__ import annotations

import importlib.metadata
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from reflect.content import content_fingerprint, load_content
from reflect.settings import BY_NAME, read_settings
from tests.readme import blocks, section
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
SAMPLE_SITE = ROOT / "examples" / "clinic"
SITE_PATCH = DEPLOY / "k8s" / "site" / "deployment-patch.yaml"
# The lists a strategic merge patch of a Deployment merges item by item, by the key the API
# names for each (its patchMergeKey); any other list is replaced. As `kubectl patch` does.
MERGE_KEYS = {"containers": "name", "env": "name", "volumeMounts": "mountPath",
              "volumes": "name"}


def manifests(name: str) -> list[dict]:
    return list(yaml.safe_load_all((DEPLOY / "k8s" / name).read_text(encoding="utf-8")))


def manifest(name: str) -> dict:
    (document,) = manifests(name)
    return document


def strategic_merge(base, patch):
    """base with a strategic merge patch applied: mappings merged key by key, the lists of
    MERGE_KEYS item by item (an item of the patch with a new key is added)."""
    if not (isinstance(base, dict) and isinstance(patch, dict)):
        return patch
    merged = dict(base)
    for key, value in patch.items():
        if key in MERGE_KEYS and isinstance(base.get(key), list):
            by_key = {item[MERGE_KEYS[key]]: item for item in base[key]}
            for item in value:
                name = item[MERGE_KEYS[key]]
                by_key[name] = strategic_merge(by_key.get(name, {}), item)
            merged[key] = list(by_key.values())
        else:
            merged[key] = strategic_merge(base.get(key), value)
    return merged


def deployment_with(site: bool) -> dict:
    """deployment.yaml as shipped, or with a clinic's site folder patched in."""
    shipped = manifest("deployment.yaml")
    if not site:
        return shipped
    return strategic_merge(shipped, yaml.safe_load(SITE_PATCH.read_text(encoding="utf-8")))


# The Deployment's promises hold without a site and with one.
with_and_without_a_site = pytest.mark.parametrize("site", [False, True],
                                                  ids=["without a site", "with a site"])


def clinic_readme() -> str:
    return section((ROOT / "README.md").read_text(encoding="utf-8"),
                   "Set it up for your clinic")


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


@with_and_without_a_site
def test_the_deployment_probes_health_and_shares_one_cookie_secret_from_a_file(site):
    shipped = deployment_with(site)
    assert shipped["kind"] == "Deployment" and shipped["spec"]["replicas"] >= 2
    pod = shipped["spec"]["template"]["spec"]
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


@with_and_without_a_site
def test_the_pod_runs_unprivileged_on_a_read_only_root_with_memory_only_scratch(site):
    pod = deployment_with(site)["spec"]["template"]["spec"]
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


def site_folder_of_the_readme() -> str:
    """The folder the README's clinic steps copy the example to."""
    (copy,) = [c for c in blocks(clinic_readme()) if c.startswith("cp -r examples/clinic ")]
    return shlex.split(copy)[-1]


def test_the_site_patch_mounts_the_clinics_configmap_read_only_where_reflect_site_points():
    shipped, patched = deployment_with(False), deployment_with(True)
    patch = yaml.safe_load(SITE_PATCH.read_text(encoding="utf-8"))
    # A patch, not an object: `kubectl apply -f deploy/k8s/` reads that folder, not below it.
    assert "kind" not in patch and SITE_PATCH.parent != DEPLOY / "k8s"
    # It names the shipped container, so it merges into it instead of adding a second one.
    (container,) = patched["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in patch["spec"]["template"]["spec"]["containers"]] == [
        container["name"]]
    site_env = BY_NAME["site"].env
    (plain,) = shipped["spec"]["template"]["spec"]["containers"]
    assert site_env not in {item["name"] for item in plain["env"]}  # no site unless patched
    env = {item["name"]: item.get("value") for item in container["env"]}
    volumes = {volume["name"]: volume for volume in patched["spec"]["template"]["spec"][
        "volumes"]}
    (mount,) = [m for m in container["volumeMounts"] if "configMap" in volumes[m["name"]]]
    assert mount["mountPath"] == env[site_env] and mount["readOnly"] is True
    # The whole volume: a file mounted with subPath is never refreshed when the ConfigMap is.
    assert "subPath" not in mount
    config_map = volumes[mount["name"]]["configMap"]
    assert config_map["defaultMode"] & 0o222 == 0
    # The README's commands make that ConfigMap from the clinic's folder in the app's
    # namespace, apply this patch, and later replace the ConfigMap in place.
    create, apply_patch, replace = [shlex.split(c) for c in blocks(clinic_readme())
                                    if c.startswith("kubectl ")]
    assert create == ["kubectl", "-n", NAMESPACE, "create", "configmap", config_map["name"],
                      f"--from-file={site_folder_of_the_readme()}/"]
    assert apply_patch == ["kubectl", "-n", NAMESPACE, "patch", "deployment",
                           shipped["metadata"]["name"], "--patch-file",
                           str(SITE_PATCH.relative_to(ROOT))]
    assert replace[:len(create)] == create
    assert replace[len(create):] == ["--dry-run=client", "-o", "yaml", "|", "kubectl",
                                     "apply", "-f", "-"]


def test_the_readmes_container_command_mounts_the_site_read_only_where_reflect_site_points():
    (command,) = [shlex.split(c) for c in blocks(clinic_readme()) if c.startswith("docker run")]
    options = list(zip(command, command[1:], strict=False))
    site = dict(value.split("=", 1) for flag, value in options if flag == "-e")[
        BY_NAME["site"].env]
    (mount,) = [value for flag, value in options if flag == "-v" and f":{site}:" in value]
    assert mount == f"$PWD/{site_folder_of_the_readme()}:{site}:ro"
    assert "--read-only" in command  # the root stays read-only: the site is only read
    # Otherwise deploy/README.md's command as it is, so the two stay one.
    deploy_readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    (shipped,) = [shlex.split(line) for block in blocks(section(deploy_readme, "Container"))
                  for line in block.splitlines() if line.startswith("docker run")]
    without_site = list(command)
    for pair in (["-v", mount], ["-e", f"{BY_NAME['site'].env}={site}"]):
        at = without_site.index(pair[1]) - 1
        assert without_site[at:at + 2] == pair
        del without_site[at:at + 2]
    assert without_site == shipped
    # What the README says of the image: its user, and the mode it sets.
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "USER 10001" in dockerfile and "(10001)" in clinic_readme()
    assert "REFLECT_MODE=personal" in dockerfile and "REFLECT_MODE=personal" in clinic_readme()


def configmap_volume(volume: Path, files: Path, version: str) -> None:
    """Lay files out in volume as kubelet shows a ConfigMap: each file a link into ..data,
    itself a link to a folder of that version, swapped whole on an update (AtomicWriter)."""
    stamped = volume / f"..{version}"
    shutil.copytree(files, stamped)
    data, swap = volume / "..data", volume / "..data_tmp"
    old = data.resolve() if data.is_symlink() else None
    swap.symlink_to(stamped.name, target_is_directory=True)
    swap.replace(data)
    if old:
        shutil.rmtree(old)
    for file in stamped.iterdir():
        if not (volume / file.name).is_symlink():
            (volume / file.name).symlink_to(Path("..data") / file.name)


def test_a_site_folder_mounted_from_a_configmap_loads_with_its_logo(tmp_path):
    volume = tmp_path / "site"
    volume.mkdir()
    configmap_volume(volume, SAMPLE_SITE, "2026_12_03_12_00_00.000000001")
    assert (volume / "site.yaml").is_symlink() and (volume / "logo.svg").is_symlink()
    mounted, sample = load_content(ROOT, site=volume), load_content(ROOT, site=SAMPLE_SITE)
    assert mounted.site.logo.media_type == "image/svg+xml"
    assert mounted.site.logo == sample.site.logo
    assert mounted.site.name == sample.site.name and mounted.helplines == sample.helplines
    assert read_settings([], {BY_NAME["site"].env: str(volume)}).site == str(volume)


def test_an_update_of_the_configmap_reaches_the_running_app_on_the_next_click(tmp_path):
    volume, edited = tmp_path / "site", tmp_path / "edited"
    volume.mkdir()
    configmap_volume(volume, SAMPLE_SITE, "2026_12_03_12_00_00.000000001")
    before = content_fingerprint(ROOT, volume)
    shutil.copytree(SAMPLE_SITE, edited)
    text = (edited / "site.yaml").read_text(encoding="utf-8")
    (edited / "site.yaml").write_text(text.replace('"555-0100"', '"555-0142"'),
                                      encoding="utf-8")
    configmap_volume(volume, edited, "2026_12_03_12_05_00.000000002")
    # The app loads the content again whenever this changes (ui/cached.py keys on it).
    assert content_fingerprint(ROOT, volume) != before
    assert load_content(ROOT, site=volume).helplines.clinic[0].phone == "555-0142"


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
