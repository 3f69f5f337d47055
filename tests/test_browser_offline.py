"""What a reader sees when the server goes away, in real Chromium (issue 18, item 1): the app's
own calm words and the crisis lines, never Streamlit's dialog for developers.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import contacts
from tests.browser_support import free_port, open_app, start_process, stop_process

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "laptop": (1280, 800)}
LOCALES = {"en": "en-US", "es": "es-US"}
# What Streamlit's own dialogs say when the connection is lost (its 1.67 bundle).
DEVELOPER_WORDS = ("Is Streamlit still running", "streamlit run", "not responding",
                   "Connection error")
# Streamlit tells its host page each time it would open an error dialog (whether or not it
# may): the moment the old dialog appeared.
COUNT_DIALOGS = """() => { window.dialogsAsked = 0;
    addEventListener('message', (event) => {
        if (event.data && event.data.type === 'CLIENT_ERROR_DIALOG') window.dialogsAsked += 1;
    }); }"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LOCALES)
def test_a_lost_connection_shows_the_apps_own_words_and_the_crisis_lines(
        browser, tmp_path, content, lang, size):
    port = free_port()
    server = start_process(["bash", "scripts/serve.sh", "--server.port", "PORT"], port,
                           tmp_path / "server.log")
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale=LOCALES[lang])
    page = context.new_page()
    try:
        open_app(page, f"http://localhost:{port}/")
        page.wait_for_selector("#reflect-bar")
        page.evaluate(COUNT_DIALOGS)
        stop_process(server)
        # The connection is lost and Streamlit gives up its first tries: the moment its
        # dialog opened before.
        page.wait_for_function("() => window.dialogsAsked > 0", timeout=90_000)
        notice = page.locator("#reflect-offline")
        expect(notice).to_be_visible()  # (by then Streamlit's dialog has had time to draw)
        expect(page.get_by_role("dialog")).to_have_count(0)
        shown = page.locator("body").inner_text()
        assert [words for words in DEVELOPER_WORDS if words in shown] == []
        expect(notice).to_have_text(content.text(lang, "offline.notice"))
        expect(notice).to_have_attribute("role", "alert")
        for target in contacts.targets(content, web=False):
            expect(page.locator(f"#reflect-help-list a[href='{target}']")).to_be_visible()
    finally:
        stop_process(server)
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.browser_support import running_server

    log = tmp_path_factory.mktemp("offline") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


@pytest.mark.parametrize("lang", LOCALES)
def test_with_javascript_off_a_reader_gets_words_for_them_and_the_help_lines(
        browser, server, content, lang):
    context = browser.new_context(java_script_enabled=False, locale=LOCALES[lang],
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server)
    shown = page.locator("body").inner_text()
    for words in ("AI agents", "JSON", "_stcore", "Streamlit", "enable JavaScript to run"):
        assert words not in shown, words
    assert "agent" not in page.content()  # no pointer to the agent API left in the page
    assert content.text(lang, "loading.noscript") in shown
    for target in contacts.targets(content, web=False):
        expect(page.locator(f"#reflect-first a[href='{target}']")).to_be_visible()
    context.close()
