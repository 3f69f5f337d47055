"""Shared fixtures: the real content, a copy of small fixture content, and a clean cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reflect.content import load_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"


@pytest.fixture(scope="session")
def content():
    """The project's real content, loaded once."""
    return load_content(ROOT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the small fixture content, to break one thing at a time."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def real_content_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's real content and app, for AppTest runs that break it."""
    target = tmp_path / "app"
    target.mkdir()
    for name in ("app.py", "questions.yaml", "helplines.yaml"):
        shutil.copy(ROOT / name, target / name)
    for name in ("explanations", "assets", "reflect"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(autouse=True)
def app_arguments(monkeypatch):
    """AppTest runs app.py in this process: give it a script's argv, not pytest's."""
    monkeypatch.setattr("sys.argv", ["app.py"])
    for name in ("REFLECT_MODE", "REFLECT_IDLE_SECONDS", "REFLECT_COUNTDOWN_SECONDS",
                 "REFLECT_CLOSE_RETURN_SECONDS", "REFLECT_SITE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    """Caches live in the process: clear them so no test sees another's content."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def watched_browser():
    """Debian's Chromium, driven by Playwright, for the tests of one module; every page it
    opens records Content-Security-Policy violations (tests/browser_support.CspWatch)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS, CspWatch

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield CspWatch(chromium)
        chromium.close()


@pytest.fixture
def browser(watched_browser):
    """The module's Chromium. Whatever the test, no page may break the app's
    Content-Security-Policy: a test that saw a violation fails, naming it."""
    # A report that came in after the last test's end (Playwright hands events over during
    # its next call) is never dropped: it fails this test, saying where it came from.
    late = watched_browser.take()
    assert not late, ("Content-Security-Policy violations reported after the previous "
                      "browser test ended:\n" + "\n".join(late))
    yield watched_browser
    seen = watched_browser.take()
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)
