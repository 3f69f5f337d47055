"""The help lines are in the first bytes of the page: readable before the app loads, and with
no JavaScript at all, in the browser's language, from the same help-line file as the app."""

from __future__ import annotations

import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from reflect.first_paint import first_paint
from tests import contacts
from tests.asgi import answer, fetch
from tests.browser_support import heading, open_app, running_server
from webserver.app import FirstPage

ROOT = Path(__file__).resolve().parent.parent
SERVE = ["bash", "scripts/serve.sh", "--server.port", "PORT"]


def page_html(url: str, headers: dict | None = None) -> tuple[str, dict]:
    request = urllib.request.Request(url + "/", headers=headers or {})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.read().decode("utf-8"), dict(response.headers)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("first_paint") / "server.log"
    with running_server(SERVE, log) as url:
        yield url


def test_every_crisis_line_is_in_the_block_in_each_language(content):
    for lang in content.languages:
        block = first_paint(content, lang).block
        for line in content.helplines.crisis:
            assert line.text[lang].name.replace("&", "&amp;") in block
        for contact in contacts.shown(content):
            assert contact in block
        assert content.text(lang, "loading.note") in block
        assert f'lang="{lang}"' in block
        assert "<h1" not in block  # the app's own heading stays the page's only h1


def test_a_kiosk_block_has_no_links(content):
    block = first_paint(content, "en", links=False).block
    assert "<a " not in block and "href" not in block
    for contact in contacts.shown(content):
        assert contact in block


def test_broken_content_leaves_the_page_alone_until_it_is_fixed(tmp_path):
    for name in ("questions.yaml", "helplines.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "explanations", tmp_path / "explanations")
    page = FirstPage(tmp_path, links=True)
    assert page("es").lang == "es"
    good = (tmp_path / "helplines.yaml").read_text(encoding="utf-8")
    (tmp_path / "helplines.yaml").write_text(good.replace("crisis:", "crisis: [", 1),
                                             encoding="utf-8")
    assert page("es") is None
    (tmp_path / "helplines.yaml").write_text(good + "\n", encoding="utf-8")
    assert page("es").lang == "es"


@pytest.mark.server
def test_the_raw_page_holds_the_crisis_contacts_in_english(server, content):
    body, headers = page_html(server)
    section = body[body.index('<section id="reflect-first"'):body.index("</section>")]
    for contact in contacts.shown(content):
        assert contact in section
    assert "This private page is loading. It is not a diagnosis." in section
    assert '<html lang="en">' in body
    assert "<title>A private reflection on coping</title>" in body
    assert body.index('id="reflect-first"') < body.index('id="root"')  # before the app
    # The preload hints are gone (they held back this paint on a slow phone); the app's own
    # script is still there and finds its modules itself.
    assert "modulepreload" not in body
    assert '<script type="module" crossorigin src="./static/js/index.' in body
    assert "Accept-Language" in headers["vary"]
    assert headers["cache-control"] == "no-store"


@pytest.mark.server
def test_the_raw_page_holds_the_crisis_contacts_in_spanish_when_asked(server, content):
    body, _ = page_html(server, {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    section = body[body.index('<section id="reflect-first"'):body.index("</section>")]
    assert '<html lang="es">' in body
    assert "¿Necesita ayuda ahora?" in section
    assert "Esta página privada se está cargando." in section
    assert "Llame al" in section
    for contact in contacts.shown(content):
        assert contact in section


@pytest.mark.server
@pytest.mark.parametrize("junk", ["", "*", "xx-YY", "es;q=abc", "en;q=0, es;q=0", "e" * 5000])
def test_a_junk_language_header_gets_the_default_language(server, junk):
    body, _ = page_html(server, {"Accept-Language": junk})
    assert '<html lang="en">' in body
    assert "Need help now?" in body


@pytest.mark.server
def test_only_the_page_is_changed(server):
    body, _ = page_html(server)
    script = body.split('<script type="module" crossorigin src="./')[1].split('"')[0]
    with urllib.request.urlopen(f"{server}/{script}", timeout=20) as response:
        served = response.read()
    installed = Path(__import__("streamlit").__file__).parent / "static" / script
    assert served == installed.read_bytes()
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=20) as response:
        assert response.read() == b"ok"


@pytest.mark.browser
def test_without_javascript_a_reader_still_sees_the_help_lines(server, browser, content):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + "/")
        block = page.locator("#reflect-first")
        assert block.is_visible()
        text = block.inner_text()
        for contact in contacts.shown(content):
            assert contact in text
        phone = contacts.first_phone(content)
        assert page.get_by_role("link", name=phone, exact=True).first.is_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_the_block_is_gone_once_the_app_has_drawn(server, browser):
    context = browser.new_context(locale="es-ES")
    try:
        page = context.new_page()
        open_app(page, server + "/")
        page.wait_for_selector("#reflect-first", state="detached")
        assert page.locator("h1").count() == 1
        assert heading(page) == "Una reflexión privada sobre cómo afronta lo difícil"
    finally:
        context.close()


ICON_LINKS = """() => [...document.querySelectorAll('link[rel~=icon]')].map((l) => l.href)"""


@pytest.mark.browser
def test_the_tab_shows_the_apps_own_icon_from_the_first_byte_and_after_every_run(
        server, browser):
    """Issue 22.2: the first page linked Streamlit's crown (./favicon.png) until its scripts
    ran. Now the first bytes carry the app's icon, and the app sets the same one."""
    from reflect.first_paint import icon_uri

    ours = icon_uri(ROOT)
    body, _ = page_html(server)
    assert f'<link rel="icon" type="image/svg+xml" href="{ours}" />' in body
    assert "favicon.png" not in body
    context = browser.new_context()
    try:
        page = context.new_page()
        asked = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(server + "/")
        assert page.evaluate(ICON_LINKS) == [ours]  # before any script of the app has run
        open_app(page, server + "/")
        page.wait_for_selector("[data-testid=stMain] h1")
        assert set(page.evaluate(ICON_LINKS)) == {ours}
        paths = [urllib.parse.urlsplit(url).path for url in asked]
        assert not [path for path in paths if "favicon" in path or path.startswith("/media/")]
    finally:
        context.close()


def serve_page(page_for, styles: str) -> str:
    """Streamlit's own index.html through the FirstPaint layer, as a browser would get it."""
    from streamlit.file_util import get_static_dir

    from webserver.middleware import FirstPaint

    index = (Path(get_static_dir()) / "index.html").read_bytes()
    streamlit_page = answer(kind=b"text/html; charset=utf-8", body=index)
    _, _, body = fetch(FirstPaint(streamlit_page, page_for, styles=styles), path="/",
                       headers=())
    return body.decode("utf-8")


def test_the_stylesheets_go_into_the_page_even_while_the_content_is_broken(tmp_path):
    """The runs do not draw what the page carries (ui/parts.stylesheets), so a page served
    while the content files were broken carries the stylesheets too: the screens drawn once
    they are fixed look as they should."""
    for name in ("questions.yaml", "helplines.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "explanations", tmp_path / "explanations")
    page = FirstPage(tmp_path, links=True)
    styles = ".reflect-test-rule { color: #1f2328; }"
    whole = serve_page(page, styles)
    body = whole[whole.index("<body"):]
    assert body.index(styles) < body.index('id="reflect-first"') < body.index('id="root"')
    (tmp_path / "helplines.yaml").write_text("crisis: [", encoding="utf-8")
    broken = serve_page(page, styles)
    assert styles in broken[broken.index("<body"):] and 'id="reflect-first"' not in broken
    assert "<style>" not in serve_page(page, "").split("<body", 1)[1]  # no styles, no change
