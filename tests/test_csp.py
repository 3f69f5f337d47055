"""The Content-Security-Policy: only the app's own scripts run, each by the hash of its text.

Every browser test checks the policy as it goes: tests/conftest.py's browser fixture fails a
test in which any page broke it (tests/browser_support.CspWatch), so every screen of every mode
in both languages (the axe walks), the first paint, the connection-lost and restart notices,
the not-set-up page, print, downloads and the kiosk reset are each walked under it. This file
checks the policy itself, that every script the app adds has its hash, and that the watch does
see a violation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.file_util import get_static_dir

from reflect import csp
from tests.browser_support import ROOT, open_app, running_server
from webserver.app import content_security_policy

STREAMLIT_PAGE = (Path(get_static_dir()) / "index.html").read_text(encoding="utf-8")


def test_the_policy_lets_run_exactly_the_apps_scripts_and_streamlits_own():
    policy = content_security_policy(ROOT)
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src "))
    sources = script_src.split()[1:]
    hashed = {name: csp.script_hash((ROOT / "assets" / name).read_text(encoding="utf-8"))
              for name in csp.SCRIPTS}
    # The scripts the server serves as files run by 'self', so their hashes are not needed.
    wanted = {value for name, value in hashed.items() if name not in csp.SERVED}
    assert set(csp.SERVED) < set(csp.SCRIPTS)
    assert not {hashed[name] for name in csp.SERVED} & set(sources)
    inline = csp.inline_scripts(STREAMLIT_PAGE)
    assert inline, "Streamlit's page has an inline script; the policy must hash it"
    wanted |= {csp.script_hash(text) for text in inline}
    assert set(sources) == {"'self'", "'wasm-unsafe-eval'"} | wanted
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    for directive in ("object-src 'none'", "base-uri 'none'", "form-action 'none'",
                      "frame-ancestors 'none'", "default-src 'self'", "connect-src 'self'"):
        assert directive in policy.split("; ")


def test_every_script_in_assets_is_one_the_policy_knows():
    assert sorted(path.name for path in (ROOT / "assets").glob("*.js")) == sorted(csp.SCRIPTS)


def test_a_script_the_policy_does_not_know_is_refused_before_it_reaches_a_page():
    with pytest.raises(csp.ScriptError, match="SCRIPTS"):
        csp.script_text(str(ROOT), "other.js")


def test_the_app_adds_a_script_in_one_place_only():
    """ui/parts.run_script is the only way onto a page for a script: its text is the hashed
    one. A script written anywhere else would have no hash, and the browser would block it."""
    places = []
    for path in sorted([*(ROOT / "ui").glob("*.py"), *(ROOT / "reflect").glob("*.py"),
                        ROOT / "app.py"]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"unsafe_allow_javascript|<script", line, re.IGNORECASE):
                places.append(f"{path.relative_to(ROOT)}:{number}")
    outside = [place for place in places if not place.startswith("reflect/csp.py:")]
    source = (ROOT / "ui" / "parts.py").read_text(encoding="utf-8")
    body = source[source.index("def run_script("):source.index("\ndef ", source.index(
        "def run_script("))]
    # The three lines of run_script's two tags and its st.html call, and nothing else.
    assert len(outside) == 3 and all(p.startswith("ui/parts.py:") for p in outside), places
    assert body.count("<script>") == 1 and body.count("<script src=") == 1
    assert body.count("unsafe_allow_javascript") == 1


def test_the_hash_is_of_the_text_the_browser_sees():
    assert csp.inline_scripts("<script>a\r\nb</script><script src=x.js></script>") == ["a\nb"]
    # The well-known hash of an empty script.
    assert csp.script_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("csp") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


@pytest.mark.browser
def test_a_script_without_a_hash_is_blocked_and_the_watch_sees_it(browser, server):
    """The guard every browser test relies on: a script the policy does not know, put on the
    live page the way Streamlit puts the app's, does not run, and the watch records it."""
    page = browser.new_page()
    open_app(page, server)
    assert browser.take() == []  # the app's own page broke nothing
    ran = page.evaluate("""() => new Promise((done) => {
        window.ranUnhashed = false;
        const tag = document.createElement("script");
        tag.textContent = "window.ranUnhashed = true;";
        document.body.append(tag);
        requestAnimationFrame(() => requestAnimationFrame(() => done(window.ranUnhashed)));
    })""")
    assert ran is False
    page.wait_for_function("() => true")  # one more round trip for the report to arrive
    seen = browser.take()
    assert seen and all("script-src" in line for line in seen), seen
    page.close()


@pytest.mark.browser
def test_the_first_paint_alone_breaks_nothing(browser, server):
    """Before Streamlit's scripts arrive (here they never do), the page is the first paint:
    the crisis lines and their inline style, under the same policy."""
    page = browser.new_page()
    page.route("**/static/js/**", lambda route: route.abort())
    page.goto(server)
    block = page.locator("#reflect-first")
    block.wait_for()
    assert "988" in block.inner_text()
    assert block.evaluate("node => getComputedStyle(node).borderTopStyle") == "solid"
    page.wait_for_function("() => true")  # one more round trip for any report to arrive
    assert browser.take() == []
    page.close()
