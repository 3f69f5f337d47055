"""The README's "Set it up for your clinic", followed on a fresh clone (issue 23).

The commands are read from the README's section in the committed HEAD (a `git clone` of this
checkout), in order, and run in the clone as a clinic would type them: copy the example,
check it, start it, start it as a kiosk. Two things differ, and only these: the clone reuses
this checkout's .venv (which scripts/setup.sh made) instead of running the setup step, and
each start gets `--server.port` with a free port (extra arguments go to `streamlit run`, as
the README says). The Docker and Kubernetes commands need an engine and a cluster:
tests/test_deploy.py checks them against the image and the manifests.
"""

from __future__ import annotations

import asyncio
import html
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from reflect.content import load_content
from tests import contacts
from tests.browser_support import free_port, running_server
from tests.protocol import Session, fetch
from tests.readme import blocks, section

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Set it up for your clinic"
SITE = "my-clinic"  # the folder the README's steps make
# What each step's command starts with, in the README's order.
SETUP, COPY, CHECK, SERVE = ("bash scripts/setup.sh", "cp -r examples/clinic ",
                             ".venv/bin/python -m reflect check --site ",
                             "bash scripts/serve.sh ")
ON_THIS_MACHINE = (SETUP, COPY, CHECK, SERVE)
ELSEWHERE = ("docker ", "kubectl ")  # tests/test_deploy.py
# Step 3, an edit a clinic makes, and the README's own example of a mistake (step 4).
EDIT = ("name: Riverbend front desk", "name: Maple Street front desk")
MISTAKE = ('phone: "555-0100"', 'phone: "555 0100"')
# A mistake saved while the app runs, of another length, so the fix is noticed by its size
# even where file times are coarse.
MISTAKE_WHILE_RUNNING = ('phone: "555-0100"', "phone: 555 0100")
# A hang guard for a start that should stop at once, not a wait for anything.
STOP_SECONDS = 60


@pytest.fixture
def clone(tmp_path) -> Path:
    """A fresh clone of this checkout's committed HEAD, with this checkout's .venv."""
    target = tmp_path / "reflect"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    (target / ".venv").symlink_to((ROOT / ".venv").resolve(), target_is_directory=True)
    return target


def steps(clone: Path) -> list[str]:
    """The commands of the README's clinic steps that run on the clinic's own computer."""
    readme = section((clone / "README.md").read_text(encoding="utf-8"), SECTION)
    commands = blocks(readme)
    unknown = [c for c in commands if not c.startswith(ON_THIS_MACHINE + ELSEWHERE)]
    assert unknown == [], f"this test does not know how to follow these steps: {unknown}"
    local = [c for c in commands if c.startswith(ON_THIS_MACHINE)]
    kinds = [next(k for k in ON_THIS_MACHINE if c.startswith(k)) for c in local]
    assert kinds == [SETUP, COPY, CHECK, SERVE, SERVE], local
    return local


def run(command: str, clone: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=clone, capture_output=True, text=True,
                          timeout=STOP_SECONDS)


def with_port(command: str) -> list[str]:
    """A README start command with `--server.port PORT` for streamlit, before the app's `--`."""
    words = shlex.split(command)
    where = words.index("--") if "--" in words else len(words)
    return [*words[:where], "--server.port", "PORT", *words[where:]]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def first_paint_lines(url: str) -> tuple[str, list[str]]:
    """The help-line block in the first HTML of `/`, and the names of its lines in order."""
    page = fetch(url + "/", {"Accept-Language": "en"}).decode("utf-8")
    start = page.index('<section id="reflect-first"')
    block = page[start:page.index("</section>", start)]
    return block, [html.unescape(n) for n in re.findall(r"<li><strong>(.*?):</strong>", block)]


async def welcome(url: str) -> str:
    async with Session(url) as tab:
        return tab.screen.text()


async def kiosk_close(url: str) -> str:
    async with Session(url) as tab:
        return (await tab.walk_to_close()).text()


def test_a_clinic_follows_the_readme_from_a_fresh_clone_to_the_kiosk(clone, tmp_path):
    _, copy, check, serve, kiosk = steps(clone)
    assert run(copy, clone).returncode == 0
    site = clone / SITE
    edit(site / "site.yaml", *EDIT)
    checked = run(check, clone)
    assert checked.returncode == 0 and checked.stdout.startswith("Site OK: "), checked.stderr
    content = load_content(clone, site)
    crisis = [line.text["en"].name for line in content.helplines.crisis]
    clinic = [line.text["en"].name for line in content.helplines.clinic]
    assert "Maple Street front desk" in clinic
    name = content.site.name["en"]

    with running_server(with_port(serve), tmp_path / "serve.log", cwd=clone) as url:
        # The first bytes: the crisis lines, then the clinic's own contacts, never instead.
        block, names = first_paint_lines(url)
        assert names == crisis + clinic
        for shown in contacts.shown(content, content.helplines.clinic):
            assert shown in block
        assert name in asyncio.run(welcome(url))
        # Broken while running: the calm page, with the crisis lines, until it is fixed.
        edit(site / "site.yaml", *MISTAKE_WHILE_RUNNING)
        calm = asyncio.run(welcome(url))
        assert "This app is not set up correctly" in calm and name not in calm
        assert contacts.first_phone(content) in calm
        edit(site / "site.yaml", *reversed(MISTAKE_WHILE_RUNNING))
        assert name in asyncio.run(welcome(url))

    with running_server(with_port(kiosk), tmp_path / "kiosk.log", cwd=clone) as url:
        block, names = first_paint_lines(url)
        assert names == crisis + clinic and "<a " not in block  # plain text on a kiosk
        close = contacts.plain(asyncio.run(kiosk_close(url)))
        assert content.site.kiosk_message["en"] in close
        for line in content.helplines.clinic:
            assert line.text["en"].name in close
        for shown in contacts.shown(content, content.helplines.clinic, web=False):
            assert shown in close


def test_a_mistake_fails_the_readmes_check_and_stops_its_start(clone, tmp_path):
    _, copy, check, serve, _ = steps(clone)
    readme = section((clone / "README.md").read_text(encoding="utf-8"), SECTION)
    (example,) = blocks(readme, "text")  # the README's example of what the check says
    assert run(copy, clone).returncode == 0
    edit(clone / SITE / "site.yaml", *MISTAKE)
    checked = run(check, clone)
    assert checked.returncode == 1
    assert example in checked.stderr.splitlines(), checked.stderr

    command = [str(free_port()) if part == "PORT" else part for part in with_port(serve)]
    started = subprocess.run(command, cwd=clone, capture_output=True, text=True,
                             timeout=STOP_SECONDS)
    assert started.returncode == 2, started.stderr
    assert started.stderr.startswith("The app cannot start: ")
    assert f"{SITE}/site.yaml: contacts[0].phone: '555 0100' is not valid. Fix: " in (
        started.stderr)
