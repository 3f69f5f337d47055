"""The deployment's files pass the linters operators run on them: checkov (Kubernetes
manifests and the Dockerfile), gixy-next (the nginx configuration, inside the same main
configuration tests/nginx_support.py builds for the nginx tests) and hadolint (the Dockerfile).

The tools are pinned in requirements-lint.txt, in a virtual environment of their own
(.venv-lint, made by `scripts/setup.sh --test`). Each runs with no network at all (a network
namespace of its own, `unshare --net`): checkov's --skip-download keeps it offline, and
this proves it. A finding is fixed, or silenced in place with the tool's own mechanism and a
one-line reason; deploy/README.md lists each silenced check, and a test here keeps that list
true.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.nginx_support import nginx_conf

pytestmark = pytest.mark.tools

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".venv-lint" / "bin"


def run_offline(*command: str) -> subprocess.CompletedProcess:
    tool = TOOLS / command[0]
    assert tool.exists(), f"{tool} is missing: run `bash scripts/setup.sh --test`"
    return subprocess.run(["unshare", "--net", str(tool), *command[1:]], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def checkov_results() -> list[dict]:
    done = run_offline("checkov", "--directory", "deploy", "--skip-download", "--output",
                       "json", "--compact")
    assert done.stdout.strip(), done.stderr[-2000:]
    reports = json.loads(done.stdout)
    return reports if isinstance(reports, list) else [reports]


def test_checkov_finds_nothing_in_the_manifests_or_the_dockerfile():
    reports = checkov_results()
    frameworks = {report["check_type"] for report in reports}
    assert {"kubernetes", "dockerfile"} <= frameworks, frameworks
    failed = [f"{check['check_id']} {check['resource']} ({check['file_path']})"
              for report in reports for check in report["results"]["failed_checks"]]
    assert failed == []
    for report in reports:  # every file read, and checked
        assert report["summary"]["parsing_errors"] == 0, report["check_type"]
        assert report["summary"]["passed"] > 0, report["check_type"]


def test_every_check_silenced_in_place_is_listed_with_its_reason_in_deploy_readme():
    skipped = {(check["check_id"], Path(check["file_path"]).name)
               for report in checkov_results()
               for check in report["results"].get("skipped_checks", [])}
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(CKV2?_[A-Z0-9_]+)` \| `([^`]+)` \|", readme, re.MULTILINE))
    assert skipped == listed, (skipped, listed)
    for check_id, _ in skipped:  # each silenced in place, with a reason after "="
        files = (ROOT / "deploy").rglob("*.yaml")
        assert any(re.search(rf"checkov\.io/skip\d+: {check_id}=\S", f.read_text())
                   for f in files), check_id


def test_gixy_finds_nothing_in_the_nginx_configuration(tmp_path):
    conf = nginx_conf(tmp_path, listen=8443, backends=[8501, 8502, 8503], plain=8080)
    done = run_offline("gixy", "--format", "json", str(conf))
    assert done.returncode == 0, done.stdout + done.stderr
    findings = json.loads(done.stdout or "[]")
    assert [(f["plugin"], f["summary"]) for f in findings] == []


def test_hadolint_finds_nothing_in_the_dockerfile():
    done = run_offline("hadolint", "--no-color", "deploy/Dockerfile")
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
