"""The app runs on a read-only root filesystem, as deploy/k8s/deployment.yaml runs it
(readOnlyRootFilesystem: true): a real server in a private mount namespace where `/` is
read-only and only WRITABLE is a fresh tmpfs (the pod's emptyDir), walked to the close with
both downloads fetched. Linux with util-linux's unshare and mount; a user namespace of its own
(--map-root-user), so it needs user namespaces rather than root (a few distributions restrict
them for unprivileged users, Ubuntu 24.04's AppArmor for one: there, run it as root).
It runs with the sample clinic's site folder, read-only like the rest, as a clinic's pod
mounts its ConfigMap (deploy/k8s/site/deployment-patch.yaml): the app only reads it."""

from __future__ import annotations

import asyncio
import shlex
from pathlib import Path

import pytest

from reflect.content import load_content
from tests.browser_support import free_port, start_process, stop_process
from tests.protocol import Session, status

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
# Where the Deployment mounts its emptyDir (tests/test_deploy.py holds it to this). Measured
# with strace on a walk to the close with both downloads: the app and Streamlit write no file
# at all (downloads and the PDF stay in memory; with gatherUsageStats off Streamlit writes
# nothing under ~/.streamlit). /tmp is there for Python's tempfile and any library's scratch.
WRITABLE = ("/tmp",)  # noqa: S108 - a mount point in a namespace of its own
SERVE = [".venv/bin/python", "-m", "webserver", "--server.port", "PORT"]
SITE = ROOT / "examples" / "clinic"


def read_only_command(serve: list[str], keep: list[Path]) -> list[str]:
    """serve, in a mount namespace of its own: `/` read-only, each WRITABLE path a fresh tmpfs.

    A path to keep (this checkout, the secret file's folder) that lies under a WRITABLE path
    is opened before the tmpfs hides it and bound back read-only, as the image's files and the
    Secret volume are in a pod. /dev/shm stays writable, as in a pod.
    """
    steps, fd = ["set -e"], 3
    hidden = [(path, fd + n) for n, path in enumerate(keep)
              if any(path.is_relative_to(w) for w in WRITABLE)]
    steps += [f"exec {number}<{shlex.quote(str(path))}" for path, number in hidden]
    steps.append("mount -o remount,bind,ro /")
    steps += [f"mount -t tmpfs -o size=64m,mode=1777 tmpfs {w}" for w in WRITABLE]
    for path, number in hidden:
        steps += [f"mkdir -p {shlex.quote(str(path))}",
                  f"mount --no-canonicalize --bind /proc/self/fd/{number} "
                  f"{shlex.quote(str(path))}",
                  f"mount -o remount,bind,ro {shlex.quote(str(path))}",
                  f"exec {number}<&-"]
    steps.append("exec " + " ".join(shlex.quote(part) for part in serve))
    return ["unshare", "--map-root-user", "-m", "--propagation", "private", "bash", "-c",
            "; ".join(steps)]


async def walk_and_download(url: str) -> tuple[bytes, bytes]:
    async with Session(url) as tab:
        await tab.walk_to_close("Sometimes, or partly")
        await tab.tick_all(["Emotional relief", "Ways people find help"])
        return (await tab.download("Download as a web page"),
                await tab.download("Download as PDF"))


def test_the_app_serves_a_whole_visit_on_a_read_only_root(tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "cookieSecret").write_text("r" * 48 + "\n", encoding="utf-8")
    log = tmp_path / "server.log"
    port = free_port()
    command = read_only_command([str(port) if part == "PORT" else part for part in SERVE],
                                [ROOT, secrets])
    # As the image runs it: no bytecode written, the secret from its file, a clinic's site.
    env = {"PYTHONDONTWRITEBYTECODE": "1",
           "REFLECT_COOKIE_SECRET_FILE": str(secrets / "cookieSecret"),
           "REFLECT_SITE": str(SITE)}
    process = start_process(command, port, log, env=env)
    try:
        url = f"http://localhost:{port}"
        page, pdf = asyncio.run(walk_and_download(url))
        assert b"Emotional relief" in page and pdf.startswith(b"%PDF-")
        assert load_content(ROOT, SITE).site.name["en"].encode() in page
        assert status(url + "/") == 200
        assert process.poll() is None
    finally:
        stop_process(process)
    text = log.read_text(encoding="utf-8")
    assert "Read-only file system" not in text and "Errno 30" not in text, text
    assert "Traceback" not in text, text
